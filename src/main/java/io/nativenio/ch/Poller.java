package io.nativenio.ch;

import java.io.IOException;

/**
 * The kernel readiness queue under a selector: fds and poll event bits only, no keys. Events use the
 * bits of poll(2) (POLLIN, POLLOUT, POLLERR, POLLHUP); a backend translates its own events into them. One
 * poll may report several events for one fd (one per direction, for some kernels); the selector counts and
 * updates the fd's key once per selection op all the same. Only the selecting thread calls it, except
 * {@link #wakeup()}.
 */
public interface Poller {
    int POLLIN = 0x1;
    int POLLOUT = 0x4;
    int POLLERR = 0x8;
    int POLLHUP = 0x10;

    /**
     * Queues a change of the fd's registered events, applied at the start of the next {@link #poll}. After a
     * change to 0 the fd is never reported again until a change makes its events non-zero; a poller may keep
     * it registered with the kernel all the same, to make that change cheaper (see {@link #remove}).
     */
    void queueUpdate(int fd, int registeredEvents, int newEvents);

    /**
     * Removes the fd, registered for {@code registeredEvents}, from the queue at once; used when a key is
     * deregistered and when the fd's socket is replaced. Called with 0 too, for a poller that still holds an fd
     * whose events went to 0; a poller that does not does nothing then.
     */
    void remove(int fd, int registeredEvents);

    /**
     * Applies queued updates and waits up to {@code timeout} ms (-1: no limit, 0: do not block).
     * Returns the number of ready events, or {@link IOStatus#INTERRUPTED} if a signal interrupted the wait.
     */
    int poll(int timeout) throws IOException;

    /**
     * An fd that is readable whenever {@link #poll} would return at once (the queue's own fd): a virtual
     * thread parks on it instead of blocking in poll (behaviours.md#blocking-io-parks-a-virtual-thread).
     */
    int pollFd();

    /** The fd of the i-th ready event of the last poll. */
    int fd(int i);

    /** The poll bits of the i-th ready event of the last poll. */
    int events(int i);

    /** True if the i-th ready event is the wakeup signal, which the caller then clears. */
    boolean isWakeup(int i);

    void wakeup() throws IOException;

    void clearWakeup() throws IOException;

    void close() throws IOException;
}
