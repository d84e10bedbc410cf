package io.nativenio.epoll;

import io.nativenio.ch.Errors;
import io.nativenio.ch.IOStatus;
import io.nativenio.ch.NativeBuffer;
import io.nativenio.ch.Poller;
import io.nativenio.ch.PollerResources;
import java.io.IOException;

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

    private final PollerResources resources = new PollerResources();
    private final int epfd;
    private final int eventFd;
    private final NativeBuffer events;
    private final NativeBuffer updates;
    private int updateCount;
    // fd -> 1 while parked; written here and by the native wait, on the selecting thread only; empty until a first park
    private final NativeBuffer parked;

    EPollPoller() throws IOException {
        epfd = resources.fd(EPoll.create());
        eventFd = resources.fd(EventFd.open());
        events = resources.buffer(MAX_EVENTS * EPoll.EVENT_SIZE);
        updates = resources.buffer(64 * UPDATE_INTS * Integer.BYTES);
        parked = resources.buffer(0);
        resources.check(EPoll.ctl(epfd, EPoll.CTL_ADD, eventFd, POLLIN | EPoll.EPOLLET));
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
        updates.grow(at + UPDATE_INTS * Integer.BYTES);
        updates.buf().putInt(at, fd).putInt(at + 4, op).putInt(at + 8, newEvents);
        updateCount++;
    }

    private boolean isParked(int fd) {
        return fd < parked.capacity() && parked.buf().get(fd) != 0;
    }

    private void setParked(int fd, boolean on) {
        if (fd >= parked.capacity()) {
            if (!on) {
                return;
            }
            parked.grow(Math.max(fd + 1, 1024));
        }
        parked.buf().put(fd, (byte) (on ? 1 : 0));
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
        return IOStatus.polled(EPoll.select(epfd, updates.address(), count, events.address(), MAX_EVENTS, timeout,
                parked.address(), parked.capacity()));
    }

    @Override
    public int fd(int i) {
        return EPoll.fd(events.buf(), i);
    }

    @Override
    public int events(int i) {
        return events.buf().getInt(i * EPoll.EVENT_SIZE + EPoll.EVENTS_OFFSET);
    }

    @Override
    public boolean isWakeup(int i) {
        return fd(i) == eventFd;
    }

    @Override
    public void wakeup() throws IOException {
        Errors.check(EventFd.signal(eventFd));
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
        resources.close();
    }
}
