package io.nativenio.epoll;

import io.nativenio.ch.Backend;

/** The epoll(7) backend (Linux). */
public final class EPollBackend {
    private EPollBackend() {
    }

    /** Initialises the JNI facade: UnsatisfiedLinkError where the loaded library does not carry epoll. */
    public static Backend create() {
        EPoll.initialize();
        return new Backend("epoll", EPollPoller::new, EPollOneShotPoller::new);
    }
}
