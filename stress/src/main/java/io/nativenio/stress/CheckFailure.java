package io.nativenio.stress;

/** A check's finding: what went wrong, for the result line. */
final class CheckFailure extends Exception {
    private static final long serialVersionUID = 1L;

    CheckFailure(String message) {
        super(message, null, false, false);
    }
}
