package io.nativenio.epoll;

import io.nativenio.ch.NativeLibrary;

/**
 * JNI facade of native/linux/eventfd.c: the eventfd(2) that wakes a selector of the epoll backend (registered
 * edge-triggered, never read) and of the io_uring backend (polled for POLLIN, read to clear it).
 */
public final class EventFd {
    static {
        NativeLibrary.loadOrThrowError();
    }

    private EventFd() {
    }

    /** A non-blocking, close-on-exec eventfd, or -errno. */
    public static native int open();

    /** Adds 1 to the counter, which makes the eventfd readable; 0 or -errno. */
    public static native int signal(int fd);

    /** Resets the counter to 0; 0 or -errno. */
    public static native int clear(int fd);
}
