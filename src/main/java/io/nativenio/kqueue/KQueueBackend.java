package io.nativenio.kqueue;

import io.nativenio.ch.Backend;
import io.nativenio.ch.OneShotPoller;
import io.nativenio.ch.Poller;
import java.io.IOException;

/** The kqueue(2) backend (macOS, FreeBSD; Linux with libkqueue for tests, docs/kqueue.md). */
public final class KQueueBackend implements Backend {
    /** Initialises the JNI facade: UnsatisfiedLinkError where the loaded library does not carry kqueue. */
    public KQueueBackend() {
        KQueue.initialize();
    }

    @Override
    public String name() {
        return "kqueue";
    }

    @Override
    public Poller openPoller() throws IOException {
        return new KQueuePoller();
    }

    @Override
    public OneShotPoller openOneShotPoller() throws IOException {
        return new KQueueOneShotPoller();
    }
}
