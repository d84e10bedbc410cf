package io.nativenio.iouring;

import io.nativenio.ch.NativeLibrary;

/**
 * JNI facade of native/linux/iouring.c: io_uring(7) used as a readiness queue (one-shot poll requests). The
 * layout of the ring's bookkeeping, of a request and of a completion, and the constants, are read from native
 * code at start-up, one native each; the kernel's own ring offsets and sizes never reach Java (the native code
 * takes them from io_uring_setup's params).
 */
final class IOUring {
    static {
        NativeLibrary.loadOrThrowError();
    }

    /** The size of the native ring bookkeeping that {@link #open} fills, in memory the caller owns. */
    static final int RING_SIZE = ringSize();
    /** A request: POLL_ADD of fd for events tagged user_data, or with events 0 POLL_REMOVE of the poll tagged user_data. */
    static final int REQUEST_SIZE = requestSize();
    static final int REQUEST_USER_DATA_OFFSET = requestUserDataOffset();
    static final int REQUEST_FD_OFFSET = requestFdOffset();
    static final int REQUEST_EVENTS_OFFSET = requestEventsOffset();
    /** A completion as the kernel writes it (struct io_uring_cqe). */
    static final int CQE_SIZE = cqeSize();
    static final int CQE_USER_DATA_OFFSET = cqeUserDataOffset();
    static final int CQE_RES_OFFSET = cqeResOffset();
    /** A poll(2) entry (struct pollfd): an int fd, then short events and revents. */
    static final int POLLFD_SIZE = pollfdSize();
    static final int POLLFD_FD_OFFSET = pollfdFdOffset();
    static final int POLLFD_EVENTS_OFFSET = pollfdEventsOffset();
    static final int POLLFD_REVENTS_OFFSET = pollfdReventsOffset();
    /** Linux's errno for completions the kernel dropped (io_uring_enter(2)); no other platform has io_uring or it. */
    static final int EBADR = ebadr();

    private IOUring() {
    }

    /** Does nothing but run the static initializer, which reads every constant from the library. */
    static void initialize() {
    }

    /**
     * Sets up a ring of at least {@code sqEntries} submission and {@code cqEntries} completion entries, its
     * bookkeeping in the {@link #RING_SIZE} bytes at {@code ring}. The ring fd, or -errno: io_uring_setup's
     * own, or EOPNOTSUPP when the kernel lacks a feature the backend needs (docs/iouring.md#kernel).
     */
    static native int open(long ring, int sqEntries, int cqEntries);

    /** Unmaps and closes the ring, cancelling what is in flight; 0 or -errno. */
    static native int close(long ring);

    /** Submits {@code count} requests ({@link #REQUEST_SIZE} bytes each at {@code requests}) at once, without waiting; 0 or -errno. */
    static native int submit(long ring, long requests, int count);

    /**
     * Submits {@code count} requests ({@link #REQUEST_SIZE} bytes each at {@code requests}) and waits up to
     * {@code timeout} ms (-1: no limit, 0: not at all) for a completion, in one io_uring_enter, or in none when
     * completions are waiting and nothing is to be submitted; then copies at most {@code max} (0 or more)
     * completions ({@link #CQE_SIZE} bytes each) to {@code cqes}. The number copied, or -errno: EINTR when a wait ended
     * without a completion (wait again for the time left), EBADR when the kernel dropped completions.
     */
    static native int select(long ring, long requests, int count, long cqes, int max, int timeout);

    /**
     * Copies at most {@code max} completions already in the completion queue to {@code cqes}, with no syscall unless
     * requests wait to be submitted or completions overflowed; for a poll that has events to report already. The
     * number copied, or -errno (EBADR as {@link #select}).
     */
    static native int reap(long ring, long cqes, int max);

    /**
     * poll(2) of {@code count} entries ({@link #POLLFD_SIZE} bytes each at {@code fds}) without waiting: the
     * number of entries whose revents are set, or -errno.
     */
    static native int pollNow(long fds, int count);

    private static native int ringSize();

    private static native int requestSize();

    private static native int requestUserDataOffset();

    private static native int requestFdOffset();

    private static native int requestEventsOffset();

    private static native int cqeSize();

    private static native int cqeUserDataOffset();

    private static native int cqeResOffset();

    private static native int pollfdSize();

    private static native int pollfdFdOffset();

    private static native int pollfdEventsOffset();

    private static native int pollfdReventsOffset();

    private static native int ebadr();
}
