package io.nativenio.ch;

import java.io.IOException;
import java.util.function.IntFunction;

/** Status codes of one syscall as the channels see them, after the JDK's {@code sun.nio.ch.IOStatus}. */
public final class IOStatus {
    static final int EOF = -1;
    /** Nothing available in non-blocking mode (EAGAIN). */
    static final int UNAVAILABLE = -2;
    /** The syscall was interrupted by a signal (EINTR); the caller retries while the channel is open. */
    public static final int INTERRUPTED = -3;

    private IOStatus() {
    }

    /** Maps a native result ({@code >= 0} or {@code -errno}) to a count or a status, or throws. */
    static long of(long rc) throws IOException {
        return of(rc, Errors::ioException);
    }

    /**
     * {@link #of(long)} with the exception of an errno other than EAGAIN and EINTR made by {@code failure}: the
     * JDK's exception class for it depends on the call (an IOException for reads and writes, a SocketException for
     * a datagram's receive and send).
     */
    static long of(long rc, IntFunction<IOException> failure) throws IOException {
        if (rc >= 0) {
            return rc;
        }
        int errno = (int) -rc;
        if (errno == Errno.EAGAIN) {
            return UNAVAILABLE;
        }
        if (errno == Errno.EINTR) {
            return INTERRUPTED;
        }
        throw failure.apply(errno);
    }

    /**
     * A poller's wait result ({@code >= 0} or {@code -errno}) as {@link Poller#poll} returns it: the number of
     * events, {@link #INTERRUPTED} after a signal (EINTR), or the IOException of another errno.
     */
    public static int polled(int rc) throws IOException {
        return rc == -Errno.EINTR ? INTERRUPTED : Errors.check(rc);
    }

    /**
     * EAGAIN (an fd made non-blocking for a timed operation or a virtual thread) or EINTR (a signal): a
     * blocking operation waits, if needed, and tries again (the JDK's {@code IOStatus.okayToRetry}).
     */
    static boolean okayToRetry(long n) {
        return n == UNAVAILABLE || n == INTERRUPTED;
    }

    /** The value a channel method returns: counts and EOF pass through, other statuses become 0. */
    static int normalize(int n) {
        return n == UNAVAILABLE || n == INTERRUPTED ? 0 : n;
    }

    static long normalize(long n) {
        return n == UNAVAILABLE || n == INTERRUPTED ? 0 : n;
    }
}
