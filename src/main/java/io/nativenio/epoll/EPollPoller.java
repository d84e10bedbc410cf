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
 * The epoll(7) poller: level-triggered (behaviours.md#level-triggered-readiness), an edge-triggered eventfd for wakeup
 * (behaviours.md#wakeup), and one JNI call per poll that applies the queued epoll_ctl changes and then waits. The event
 * array, the update array and the parked table are native memory owned by this object; nothing is allocated per poll
 * in steady state.
 *
 * <p>An fd whose events go to 0 is parked rather than deleted: EPOLL_CTL_MOD with no events keeps it in the set, so
 * that turning its events on again is one more MOD, where a delete now and an add later would each free or allocate
 * the kernel's state for the fd (an interest set that goes to 0 and back is common: flow control, paused reads).
 * epoll still reports a parked fd's errors and hang-ups; the native wait drops those events, deletes the fd then and
 * clears its byte in the table, and waits on if nothing else was ready, so a parked fd is never reported.
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
    // fd -> 1 while parked; written here and by the native wait, on the selecting thread only
    private ByteBuffer parked;
    private long parkedAddress;

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
        int rc = ev == null || up == null ? 0 : EPoll.ctl(epfd, EPoll.CTL_ADD, eventFd, EPoll.EPOLLIN | EPoll.EPOLLET);
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
        int op;
        if (newEvents == 0) {
            op = EPoll.CTL_MOD;
            setParked(fd, true);
        } else if (registeredEvents != 0) {
            op = EPoll.CTL_MOD;
        } else if (isParked(fd)) {
            // an add if the kernel dropped the fd meanwhile (its MOD to 0 failed, or the file behind it changed)
            op = EPoll.CTL_MOD_OR_ADD;
            setParked(fd, false);
        } else {
            op = EPoll.CTL_ADD;
        }
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

    private boolean isParked(int fd) {
        ByteBuffer p = parked;
        return p != null && fd < p.capacity() && p.get(fd) != 0;
    }

    private void setParked(int fd, boolean on) {
        ByteBuffer p = parked;
        if (p == null || fd >= p.capacity()) {
            if (!on) {
                return;
            }
            p = growParked(fd);
        }
        p.put(fd, (byte) (on ? 1 : 0));
    }

    private ByteBuffer growParked(int fd) {
        int old = parked == null ? 0 : parked.capacity();
        ByteBuffer bigger = IO.allocate(Math.max(fd + 1, Math.max(1024, old * 2)));
        if (bigger == null) {
            throw new OutOfMemoryError("cannot grow the epoll parked table");
        }
        for (int i = 0; i < bigger.capacity(); i++) {
            bigger.put(i, i < old ? parked.get(i) : 0);
        }
        if (parked != null) {
            IO.free(parked);
        }
        parked = bigger;
        parkedAddress = IO.address(bigger);
        return bigger;
    }

    @Override
    public void remove(int fd, int registeredEvents) {
        if (registeredEvents == 0 && !isParked(fd)) {
            return; // not in the set
        }
        setParked(fd, false);
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
        ByteBuffer p = parked;
        int n = EPoll.select(epfd, updatesAddress, count, eventsAddress, MAX_EVENTS, timeout,
                parkedAddress, p == null ? 0 : p.capacity());
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

    /**
     * Nothing to do: the eventfd is registered edge-triggered, so epoll reports it once per {@link #wakeup()}'s
     * write and its counter never needs a read (a syscall saved per wakeup, as Netty's epoll transport does).
     */
    @Override
    public void clearWakeup() {
    }

    @Override
    public void close() throws IOException {
        IO.free(events);
        IO.free(updates);
        if (parked != null) {
            IO.free(parked);
        }
        int rc1 = IO.close(eventFd);
        int rc2 = IO.close(epfd);
        Errors.check(Math.min(rc1, rc2));
    }
}
