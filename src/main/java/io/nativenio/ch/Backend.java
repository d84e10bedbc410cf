package io.nativenio.ch;

import java.io.IOException;

/** A kernel readiness mechanism: the pollers of selectors and of parked virtual threads. {@link Backends} picks one. */
public interface Backend {
    /** The name that {@code -Dnativenio.backend} takes and the self-check prints, as {@link Backends} knows it. */
    String name();

    Poller openPoller() throws IOException;

    OneShotPoller openOneShotPoller() throws IOException;
}
