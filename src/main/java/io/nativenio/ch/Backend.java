package io.nativenio.ch;

import java.io.IOException;

/**
 * A kernel readiness mechanism: its name and how it opens the pollers of selectors and of parked virtual threads.
 * Each backend package makes its own; {@link Backends} picks one.
 */
public final class Backend {
    /** Opens one poller of a backend: its kernel queue and native memory, or the kernel's refusal. */
    @FunctionalInterface
    public interface Opener<P> {
        P open() throws IOException;
    }

    private final String name;
    private final Opener<? extends Poller> poller;
    private final Opener<? extends OneShotPoller> oneShotPoller;

    public Backend(String name, Opener<? extends Poller> poller, Opener<? extends OneShotPoller> oneShotPoller) {
        this.name = name;
        this.poller = poller;
        this.oneShotPoller = oneShotPoller;
    }

    /** The name that {@code -Dnativenio.backend} takes and the self-check prints, as {@link Backends} knows it. */
    public String name() {
        return name;
    }

    public Poller openPoller() throws IOException {
        return poller.open();
    }

    public OneShotPoller openOneShotPoller() throws IOException {
        return oneShotPoller.open();
    }
}
