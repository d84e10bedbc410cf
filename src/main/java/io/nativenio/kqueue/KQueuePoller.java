package io.nativenio.kqueue;

import io.nativenio.ch.Errno;
import io.nativenio.ch.Errors;
import io.nativenio.ch.IO;
import io.nativenio.ch.IOStatus;
import io.nativenio.ch.Poller;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * The kqueue(2) poller, after the JDK's KQueueSelectorImpl: a read and a write filter per fd, level-triggered
 * (never EV_CLEAR; behaviours.md#level-triggered-readiness), each reported as its own event. Interest changes
 * become EV_ADD and EV_DELETE changes per filter in a changelist that the one kevent() call of the next poll
 * applies before it waits. A wakeup triggers an EVFILT_USER event (behaviours.md#wakeup): one kevent() call
 * and no fd, where the JDK writes to a pipe; EV_CLEAR resets it when a poll returns it. The changelist and
 * the event array are native memory owned by this object; nothing is allocated per poll in steady state.
 */
final class KQueuePoller implements Poller {
    /** The JDK's kqueue selector returns at most this many events per wait. */
    private static final int MAX_EVENTS = 256;
    /** The ident of the wakeup event; EVFILT_USER idents are apart from fds. */
    private static final int WAKEUP = 0;

    private final int kq;
    private ByteBuffer events;
    private long eventsAddress;
    private ByteBuffer changes;
    private long changesAddress;
    private int changeCount;

    KQueuePoller() throws IOException {
        kq = Errors.check(KQueue.create());
        ByteBuffer ev = IO.allocate(MAX_EVENTS * KQueue.KEVENT_SIZE);
        ByteBuffer ch = ev == null ? null : IO.allocate(64 * KQueue.KEVENT_SIZE);
        int rc = ev == null || ch == null ? 0
                : KQueue.register(kq, WAKEUP, KQueue.EVFILT_USER, KQueue.EV_ADD | KQueue.EV_CLEAR, 0);
        if (ev == null || ch == null || rc < 0) {
            if (ev != null) {
                IO.free(ev);
            }
            if (ch != null) {
                IO.free(ch);
            }
            IO.close(kq);
            if (rc < 0) {
                throw Errors.ioException(-rc);
            }
            throw new OutOfMemoryError("cannot allocate the kevent arrays");
        }
        events = ev.order(ByteOrder.nativeOrder());
        eventsAddress = IO.address(events);
        changes = zero(ch.order(ByteOrder.nativeOrder()), 0);
        changesAddress = IO.address(changes);
    }

    /**
     * Zeroes {@code buf} from {@code from} on. Changes write only ident, filter and flags, so the other
     * fields of struct kevent (fflags, data, udata and what a system adds) stay zero from here on.
     */
    private static ByteBuffer zero(ByteBuffer buf, int from) {
        for (int i = from; i < buf.capacity(); i++) {
            buf.put(i, (byte) 0);
        }
        return buf;
    }

    /** Adds or deletes the read and the write filter of the fd as the JDK's KQueueSelectorImpl.processUpdateQueue. */
    @Override
    public void queueUpdate(int fd, int registeredEvents, int newEvents) {
        int changed = registeredEvents ^ newEvents;
        if ((changed & POLLIN) != 0) {
            addChange(fd, KQueue.EVFILT_READ, (newEvents & POLLIN) != 0 ? KQueue.EV_ADD : KQueue.EV_DELETE);
        }
        if ((changed & POLLOUT) != 0) {
            addChange(fd, KQueue.EVFILT_WRITE, (newEvents & POLLOUT) != 0 ? KQueue.EV_ADD : KQueue.EV_DELETE);
        }
    }

    private void addChange(int fd, short filter, int flags) {
        if ((changeCount + 1) * KQueue.KEVENT_SIZE > changes.capacity()) {
            growChanges();
        }
        KQueue.set(changes, changeCount++, fd, filter, flags);
    }

    /**
     * Doubles the changelist, and the event array with it when that is smaller: every change that fails
     * takes an event slot, and a kernel with no slot left stops applying the rest of the changelist.
     */
    private void growChanges() {
        int capacity = changes.capacity() * 2;
        changes = grow(changes, capacity);
        changesAddress = IO.address(changes);
        if (events.capacity() < capacity) {
            IO.free(events);
            events = allocate(capacity);
            eventsAddress = IO.address(events);
        }
    }

    private static ByteBuffer grow(ByteBuffer old, int capacity) {
        ByteBuffer bigger = allocate(capacity);
        bigger.put(old.clear());
        IO.free(old);
        return zero(bigger, old.capacity());
    }

    private static ByteBuffer allocate(int capacity) {
        ByteBuffer buf = IO.allocate(capacity);
        if (buf == null) {
            throw new OutOfMemoryError("cannot grow the kevent arrays");
        }
        return buf.order(ByteOrder.nativeOrder());
    }

    @Override
    public void remove(int fd, int registeredEvents) {
        // Both filters in one call, each deleted whether or not the other fails. The result is ignored as
        // in the JDK: the fd is still open here (deferred close,
        // behaviours.md#deferred-close-of-a-registered-channel), so a failure means the filter was not there.
        boolean read = (registeredEvents & POLLIN) != 0;
        boolean write = (registeredEvents & POLLOUT) != 0;
        if (read || write) {
            KQueue.delete(kq, fd, read ? KQueue.EVFILT_READ : KQueue.EVFILT_WRITE,
                    read && write ? KQueue.EVFILT_WRITE : 0);
        }
    }

    /**
     * The kqueue fd, readable while events are pending; -1 where it is not (libkqueue, docs/kqueue.md), so
     * that watching it fails and a virtual thread waits in kevent() as a platform thread does.
     */
    @Override
    public int pollFd() {
        return KQueue.POLLABLE ? kq : -1;
    }

    @Override
    public int poll(int timeout) throws IOException {
        int count = changeCount;
        changeCount = 0;
        int n = KQueue.select(kq, changesAddress, count, eventsAddress,
                Math.max(MAX_EVENTS, count), timeout);
        if (n == -Errno.EINTR) {
            return IOStatus.INTERRUPTED; // the changes are applied all the same (kevent(2))
        }
        return Errors.check(n);
    }

    @Override
    public int fd(int i) {
        return KQueue.ident(events, i);
    }

    /** The filter's poll bit, as the JDK's KQueueSelectorImpl.processEvents; EV_EOF adds nothing. */
    @Override
    public int events(int i) {
        short filter = KQueue.filter(events, i);
        return filter == KQueue.EVFILT_READ ? POLLIN : filter == KQueue.EVFILT_WRITE ? POLLOUT : 0;
    }

    @Override
    public boolean isWakeup(int i) {
        return KQueue.filter(events, i) == KQueue.EVFILT_USER;
    }

    @Override
    public void wakeup() throws IOException {
        Errors.check(KQueue.register(kq, WAKEUP, KQueue.EVFILT_USER, 0, KQueue.NOTE_TRIGGER));
    }

    /** Nothing to do: the poll that returned the wakeup event reset it (EV_CLEAR). */
    @Override
    public void clearWakeup() {
    }

    @Override
    public void close() throws IOException {
        IO.free(events);
        IO.free(changes);
        Errors.check(IO.close(kq));
    }
}
