package io.nativenio.epoll;

import io.nativenio.ch.Backend;

/** The epoll(7) backend (Linux). */
public final class EPollBackend {
    private EPollBackend() {
    }

    /** The epoll backend, its JNI facade initialised: UnsatisfiedLinkError where the loaded library lacks it. */
    public static Backend create() {
        EPoll.initialize();
        return new Backend("epoll", EPollPoller::new, EPollOneShotPoller::new);
    }
}
