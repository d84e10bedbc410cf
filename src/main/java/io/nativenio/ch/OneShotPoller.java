package io.nativenio.ch;

/**
 * A readiness queue on which an armed fd fires once: virtual threads park until their fd is ready through
 * it (VirtualThreads). {@link #arm} and {@link #disarm} are called by any thread while one platform thread
 * waits in {@link #poll}.
 */
public interface OneShotPoller {
    /** Watches {@code fd} for one of the poll {@code events} (POLLIN or POLLOUT), once; 0 or -errno. */
    int arm(int fd, int events);

    /** Stops watching {@code fd} for {@code events}; a failure (the fd was closed meanwhile) is ignored. */
    void disarm(int fd, int events);

    /** Waits without limit; the number of ready fds, or -errno (-EINTR after a signal). */
    int poll();

    /** The fd of the i-th ready event of the last poll. */
    int fd(int i);
}
