package io.nativenio.kqueue;

import io.nativenio.ch.NativeBuffer;
import io.nativenio.ch.OneShotPoller;
import io.nativenio.ch.Poller;
import io.nativenio.ch.PollerResources;
import java.io.IOException;

/**
 * A kqueue whose filters are added with EV_ONESHOT, for parked virtual threads, as the JDK's
 * KQueuePoller: the filter of the requested events, deleted by the kernel once it fires.
 */
final class KQueueOneShotPoller implements OneShotPoller {
    private static final int MAX_EVENTS = 64;

    private final PollerResources resources = new PollerResources();
    private final int kq;
    private final NativeBuffer events; // lives as long as the poller's thread: the JVM

    KQueueOneShotPoller() throws IOException {
        kq = resources.fd(KQueue.create());
        events = resources.buffer(MAX_EVENTS * KQueue.KEVENT_SIZE);
    }

    private static short filter(int pollEvents) {
        return (pollEvents & Poller.POLLIN) != 0 ? KQueue.EVFILT_READ : KQueue.EVFILT_WRITE;
    }

    @Override
    public int arm(int fd, int pollEvents) {
        return KQueue.register(kq, fd, filter(pollEvents), KQueue.EV_ADD | KQueue.EV_ONESHOT, 0);
    }

    @Override
    public void disarm(int fd, int pollEvents) {
        KQueue.register(kq, fd, filter(pollEvents), KQueue.EV_DELETE, 0); // ENOENT once it fired
    }

    @Override
    public int poll() {
        return KQueue.select(kq, 0, 0, events.address(), MAX_EVENTS, -1);
    }

    @Override
    public int fd(int i) {
        return KQueue.ident(events.buf(), i);
    }

    /** Frees the poller; only tests do, since the backend's one-shot pollers live as long as the JVM. */
    void close() throws IOException {
        resources.close();
    }
}
