package io.nativenio.epoll;

import io.nativenio.ch.Backend;
import io.nativenio.ch.OneShotPoller;
import io.nativenio.ch.Poller;
import java.io.IOException;

/** The epoll(7) backend (Linux). */
public final class EPollBackend implements Backend {
    /** Initialises the JNI facade: UnsatisfiedLinkError where the loaded library does not carry epoll. */
    public EPollBackend() {
        EPoll.initialize();
    }

    @Override
    public String name() {
        return "epoll";
    }

    @Override
    public Poller openPoller() throws IOException {
        return new EPollPoller();
    }

    @Override
    public OneShotPoller openOneShotPoller() throws IOException {
        return new EPollOneShotPoller();
    }
}
