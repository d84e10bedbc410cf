package io.nativenio.ch;

import java.lang.System.Logger.Level;

/**
 * The native thread of a Java thread blocked in I/O, and the signal that wakes it: a no-op handler
 * installed without SA_RESTART, so the blocked syscall fails with EINTR (as sun.nio.ch.NativeThread).
 *
 * <p>The handler is process-wide and shared with the JDK and with other copies of nativenio in other class
 * loaders: {@link #init()} installs ours only where the signal has no handler and keeps one that is there
 * (see native/common/native_thread.c). A kept handler with SA_RESTART or SA_RESETHAND, installed by other code,
 * is reported as a warning: with SA_RESTART a blocked syscall resumes instead of failing with EINTR (most
 * still end, as the close has replaced the fd by a dead socket, but not all), with SA_RESETHAND the second
 * signal ends the process.
 */
final class NativeThread {
    private static final int KEPT_RESTARTING = 1;
    private static final int KEPT_RESETTING = 2;

    static {
        NativeLibrary.loadOrThrowError();
        int rc = init();
        if (rc < 0) {
            throw new ExceptionInInitializerError("sigaction failed: " + IO.strerror(-rc));
        }
        if (rc > 0) {
            String flags = switch (rc) {
                case KEPT_RESTARTING -> "SA_RESTART";
                case KEPT_RESETTING -> "SA_RESETHAND";
                default -> "SA_RESTART and SA_RESETHAND";
            };
            System.getLogger("io.nativenio").log(Level.WARNING, "nativenio: the signal that wakes threads blocked"
                    + " in I/O on an asynchronous close already has a handler, installed by other code with " + flags
                    + ". It is kept. With SA_RESTART a blocked syscall resumes instead of failing with EINTR, so"
                    + " closing a channel may not wake a thread blocked on it; with SA_RESETHAND the second such"
                    + " signal ends the process.");
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

    /** 0, -errno, or the KEPT_* bits of an unsuitable handler that was kept. */
    private static native int init();

    private static native int signal0(long thread);
}
