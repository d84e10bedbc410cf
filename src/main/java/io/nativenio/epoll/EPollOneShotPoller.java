package io.nativenio.epoll;

import io.nativenio.ch.Errors;
import io.nativenio.ch.IO;
import io.nativenio.ch.OneShotPoller;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * An epoll set whose fds are added with EPOLLONESHOT, for parked virtual threads. One fd can be in an
 * epoll set only once, so a read and a write waiting at the same time need two of these.
 */
final class EPollOneShotPoller implements OneShotPoller {
    private static final int MAX_EVENTS = 64;

    private final int epfd;
    private final ByteBuffer events;
    private final long eventsAddress;

    EPollOneShotPoller() throws IOException {
        epfd = Errors.check(EPoll.create());
        ByteBuffer ev = IO.allocate(MAX_EVENTS * EPoll.EVENT_SIZE); // lives as long as the poller's thread: the JVM
        if (ev == null) {
            IO.close(epfd);
            throw new OutOfMemoryError("cannot allocate the epoll array");
        }
        events = ev.order(ByteOrder.nativeOrder());
        eventsAddress = IO.address(events);
    }

    @Override
    public int arm(int fd, int pollEvents) {
        int ev = pollEvents | EPoll.EPOLLONESHOT;
        int rc = EPoll.ctl(epfd, EPoll.CTL_ADD, fd, ev);
        return rc == -EPoll.EEXIST ? EPoll.ctl(epfd, EPoll.CTL_MOD, fd, ev) : rc;
    }

    @Override
    public void disarm(int fd, int pollEvents) {
        EPoll.ctl(epfd, EPoll.CTL_DEL, fd, 0);
    }

    @Override
    public int poll() {
        return EPoll.select(epfd, 0, 0, eventsAddress, MAX_EVENTS, -1, 0, 0);
    }

    @Override
    public int fd(int i) {
        return events.getInt(i * EPoll.EVENT_SIZE + EPoll.DATA_OFFSET);
    }
}
