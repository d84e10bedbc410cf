package io.nativenio.kqueue;

import io.nativenio.ch.Backend;

/** The kqueue(2) backend (macOS, FreeBSD; Linux with libkqueue for tests, docs/kqueue.md). */
public final class KQueueBackend {
    private KQueueBackend() {
    }

    /** The kqueue backend, its JNI facade initialised: UnsatisfiedLinkError where the loaded library lacks it. */
    public static Backend create() {
        KQueue.initialize();
        return new Backend("kqueue", KQueuePoller::new, KQueueOneShotPoller::new);
    }
}
