package io.nativenio.epoll;

import io.nativenio.ch.Errno;
import io.nativenio.ch.Errors;
import io.nativenio.ch.IO;
import io.nativenio.ch.IOStatus;
import io.nativenio.ch.Poller;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * The epoll(7) poller: level-triggered (behaviours.md#level-triggered-readiness), an eventfd for wakeup
 * (behaviours.md#wakeup), and one JNI call per poll that applies the queued epoll_ctl changes and then waits. The event
 * array and the update array are native memory owned by this object; nothing is allocated per poll in steady state.
 */
final class EPollPoller implements Poller {
    /** The JDK's epoll selector returns at most this many events per wait. */
    private static final int MAX_EVENTS = 1024;
    private static final int UPDATE_INTS = 3; // fd, op, events

    static {
        if (EPoll.EPOLLIN != POLLIN || EPoll.EPOLLOUT != POLLOUT || EPoll.EPOLLERR != POLLERR
                || EPoll.EPOLLHUP != POLLHUP) {
            throw new ExceptionInInitializerError("epoll event bits differ from poll(2) bits");
        }
    }

    private final int epfd;
    private final int eventFd;
    private final ByteBuffer events;
    private final long eventsAddress;
    private ByteBuffer updates;
    private long updatesAddress;
    private int updateCount;

    EPollPoller() throws IOException {
        epfd = Errors.check(EPoll.create());
        int efd = EPoll.eventFd();
        if (efd < 0) {
            IO.close(epfd);
            throw Errors.ioException(-efd);
        }
        eventFd = efd;
        ByteBuffer ev = IO.allocate(MAX_EVENTS * EPoll.EVENT_SIZE);
        ByteBuffer up = ev == null ? null : IO.allocate(64 * UPDATE_INTS * Integer.BYTES);
        int rc = ev == null || up == null ? 0 : EPoll.ctl(epfd, EPoll.CTL_ADD, eventFd, EPoll.EPOLLIN);
        if (ev == null || up == null || rc < 0) {
            if (ev != null) {
                IO.free(ev);
            }
            if (up != null) {
                IO.free(up);
            }
            IO.close(eventFd);
            IO.close(epfd);
            if (rc < 0) {
                throw Errors.ioException(-rc);
            }
            throw new OutOfMemoryError("cannot allocate the epoll arrays");
        }
        events = ev.order(ByteOrder.nativeOrder());
        eventsAddress = IO.address(events);
        updates = up.order(ByteOrder.nativeOrder());
        updatesAddress = IO.address(updates);
    }

    @Override
    public void queueUpdate(int fd, int registeredEvents, int newEvents) {
        int op = newEvents == 0 ? EPoll.CTL_DEL : registeredEvents == 0 ? EPoll.CTL_ADD : EPoll.CTL_MOD;
        int at = updateCount * UPDATE_INTS * Integer.BYTES;
        if (at + UPDATE_INTS * Integer.BYTES > updates.capacity()) {
            growUpdates();
        }
        updates.putInt(at, fd).putInt(at + 4, op).putInt(at + 8, newEvents);
        updateCount++;
    }

    private void growUpdates() {
        ByteBuffer bigger = IO.allocate(updates.capacity() * 2);
        if (bigger == null) {
            throw new OutOfMemoryError("cannot grow the epoll update array");
        }
        bigger.order(ByteOrder.nativeOrder()).put(updates.clear());
        IO.free(updates);
        updates = bigger;
        updatesAddress = IO.address(bigger);
    }

    @Override
    public void remove(int fd, int registeredEvents) {
        // The result is ignored as in the JDK: the fd is still open here (deferred close,
        // behaviours.md#deferred-close-of-a-registered-channel), so the only possible failure is ENOENT, which means it
        // was not in the set anyway.
        EPoll.ctl(epfd, EPoll.CTL_DEL, fd, 0);
    }

    @Override
    public int pollFd() {
        return epfd;
    }

    @Override
    public int poll(int timeout) throws IOException {
        int count = updateCount;
        updateCount = 0;
        // epoll_ctl failures are ignored, as the JDK's EPollSelectorImpl ignores them: the key's state
        // stays what Java recorded, and the fd is removed from epoll by the kernel when it is closed.
        int n = EPoll.select(epfd, updatesAddress, count, eventsAddress, MAX_EVENTS, timeout);
        if (n == -Errno.EINTR) {
            return IOStatus.INTERRUPTED;
        }
        return Errors.check(n);
    }

    @Override
    public int fd(int i) {
        return events.getInt(i * EPoll.EVENT_SIZE + EPoll.DATA_OFFSET);
    }

    @Override
    public int events(int i) {
        return events.getInt(i * EPoll.EVENT_SIZE + EPoll.EVENTS_OFFSET);
    }

    @Override
    public boolean isWakeup(int i) {
        return fd(i) == eventFd;
    }

    @Override
    public void wakeup() throws IOException {
        Errors.check(EPoll.eventFdSignal(eventFd));
    }

    @Override
    public void clearWakeup() throws IOException {
        Errors.check(EPoll.eventFdDrain(eventFd));
    }

    @Override
    public void close() throws IOException {
        IO.free(events);
        IO.free(updates);
        int rc1 = IO.close(eventFd);
        int rc2 = IO.close(epfd);
        Errors.check(Math.min(rc1, rc2));
    }
}
