package io.nativenio.epoll;

import io.nativenio.ch.Errno;
import io.nativenio.ch.NativeBuffer;
import io.nativenio.ch.OneShotPoller;
import io.nativenio.ch.PollerResources;
import java.io.IOException;

/**
 * An epoll set whose fds are added with EPOLLONESHOT, for parked virtual threads. One fd can be in an
 * epoll set only once, so a read and a write waiting at the same time need two of these.
 */
final class EPollOneShotPoller implements OneShotPoller {
    private static final int MAX_EVENTS = 64;

    private final int epfd;
    private final NativeBuffer events;

    /** Never closed: the backend's one-shot pollers live as long as the JVM. */
    EPollOneShotPoller() throws IOException {
        PollerResources resources = new PollerResources(); // released only if the epoll set cannot be had
        epfd = resources.fd(EPoll.create());
        events = resources.buffer(MAX_EVENTS * EPoll.EVENT_SIZE);
    }

    @Override
    public int arm(int fd, int pollEvents) {
        int ev = pollEvents | EPoll.EPOLLONESHOT;
        int rc = EPoll.ctl(epfd, EPoll.CTL_ADD, fd, ev);
        return rc == -Errno.EEXIST ? EPoll.ctl(epfd, EPoll.CTL_MOD, fd, ev) : rc;
    }

    @Override
    public void disarm(int fd, int pollEvents) {
        EPoll.ctl(epfd, EPoll.CTL_DEL, fd, 0);
    }

    @Override
    public int poll() {
        return EPoll.select(epfd, 0, 0, events.address(), MAX_EVENTS, -1, 0, 0);
    }

    @Override
    public int fd(int i) {
        return EPoll.fd(events.buf(), i);
    }
}
