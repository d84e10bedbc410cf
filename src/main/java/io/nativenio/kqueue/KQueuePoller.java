package io.nativenio.kqueue;

import io.nativenio.ch.Errors;
import io.nativenio.ch.IOStatus;
import io.nativenio.ch.NativeBuffer;
import io.nativenio.ch.Poller;
import io.nativenio.ch.PollerResources;
import java.io.IOException;

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

    private final PollerResources resources = new PollerResources();
    private final int kq;
    private final NativeBuffer events;
    // zero but for the ident, filter and flags that each change writes: fflags, data, udata and what a system adds
    private final NativeBuffer changes;
    private int changeCount;

    KQueuePoller() throws IOException {
        kq = resources.fd(KQueue.create());
        events = resources.buffer(MAX_EVENTS * KQueue.KEVENT_SIZE);
        changes = resources.buffer(64 * KQueue.KEVENT_SIZE);
        resources.check(KQueue.register(kq, WAKEUP, KQueue.EVFILT_USER, KQueue.EV_ADD | KQueue.EV_CLEAR, 0));
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

    /**
     * Appends a change, growing the changelist, and the event array with it: every change that fails takes an
     * event slot, and a kernel with no slot left stops applying the rest of the changelist.
     */
    private void addChange(int fd, short filter, int flags) {
        int size = (changeCount + 1) * KQueue.KEVENT_SIZE;
        changes.grow(size);
        events.grow(size);
        KQueue.set(changes.buf(), changeCount++, fd, filter, flags);
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
        // after EINTR the changes are applied all the same (kevent(2))
        return IOStatus.polled(KQueue.select(kq, changes.address(), count, events.address(),
                Math.max(MAX_EVENTS, count), timeout));
    }

    @Override
    public int fd(int i) {
        return KQueue.ident(events.buf(), i);
    }

    /** The filter's poll bit, as the JDK's KQueueSelectorImpl.processEvents; EV_EOF adds nothing. */
    @Override
    public int events(int i) {
        short filter = KQueue.filter(events.buf(), i);
        return filter == KQueue.EVFILT_READ ? POLLIN : filter == KQueue.EVFILT_WRITE ? POLLOUT : 0;
    }

    @Override
    public boolean isWakeup(int i) {
        return KQueue.filter(events.buf(), i) == KQueue.EVFILT_USER;
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
        resources.close();
    }
}
