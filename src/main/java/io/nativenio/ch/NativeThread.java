package io.nativenio.ch;

/**
 * The native thread of a Java thread blocked in I/O, and the signal that wakes it (CONFORMANCE D31):
 * a no-op handler installed without SA_RESTART, so the blocked syscall fails with EINTR.
 */
final class NativeThread {
    static {
        NativeLibrary.loadOrThrowError();
        int rc = init();
        if (rc != 0) {
            throw new ExceptionInInitializerError("sigaction failed: " + IO.strerror(-rc));
        }
    }

    private NativeThread() {
    }

    /** The calling thread's pthread_t, never 0 on Linux or macOS. */
    static native long current();

    /** Signals a thread recorded by {@link #current()} that is still inside its I/O bracket. */
    static void signal(long thread) {
        int rc = signal0(thread);
        if (rc != 0) {
            throw new InternalError("pthread_kill failed: " + IO.strerror(-rc));
        }
    }

    private static native int init();

    private static native int signal0(long thread);
}
