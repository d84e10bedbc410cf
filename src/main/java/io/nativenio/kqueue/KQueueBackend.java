package io.nativenio.kqueue;

import io.nativenio.ch.Backend;

/** The kqueue(2) backend (macOS, FreeBSD; Linux with libkqueue for tests, docs/kqueue.md). */
public final class KQueueBackend {
    private KQueueBackend() {
    }

    /** Initialises the JNI facade: UnsatisfiedLinkError where the loaded library does not carry kqueue. */
    public static Backend create() {
        KQueue.initialize();
        return new Backend("kqueue", KQueuePoller::new, KQueueOneShotPoller::new);
    }
}
