package io.nativenio.conformance;

/** A problem with the run's inputs (a bad list line, a missing file): the run stops with exit status 2. */
final class SetupException extends Exception {
    private static final long serialVersionUID = 1L;

    SetupException(String message) {
        super(message);
    }
}
