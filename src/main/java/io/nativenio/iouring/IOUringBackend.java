package io.nativenio.iouring;

import io.nativenio.ch.Backend;
import io.nativenio.ch.Errno;
import io.nativenio.ch.Errors;
import io.nativenio.ch.IO;
import io.nativenio.epoll.EPollBackend;
import java.nio.ByteBuffer;

/**
 * The io_uring(7) backend (Linux 5.11 and later, docs/iouring.md): selectors poll through a ring; parked virtual
 * threads wait in epoll's one-shot poller, which io_uring could not make cheaper
 * (docs/iouring.md#parked-virtual-threads).
 */
public final class IOUringBackend {
    private IOUringBackend() {
    }

    /** The io_uring backend, its JNI facade initialised: UnsatisfiedLinkError where the loaded library lacks it. */
    public static Backend create() {
        IOUring.initialize();
        return new Backend("io_uring", IOUringPoller::new, EPollBackend.create()::openOneShotPoller);
    }

    /**
     * Why this kernel does not give the backend its rings (io_uring_setup refused by the kernel, a seccomp filter
     * or kernel.io_uring_disabled, or a feature missing), or null when it does: sets up one ring and closes it.
     * UnsatisfiedLinkError where the loaded library does not carry io_uring.
     */
    public static String unavailable() {
        IOUring.initialize();
        ByteBuffer ring = IO.allocate(IOUring.RING_SIZE);
        if (ring == null) {
            throw new OutOfMemoryError("cannot allocate the io_uring ring");
        }
        try {
            int rc = IOUring.open(IO.address(ring), IOUringPoller.SQ_ENTRIES, IOUringPoller.CQ_ENTRIES);
            if (rc >= 0) {
                IOUring.close(IO.address(ring));
                return null;
            }
            return rc == -Errno.EOPNOTSUPP
                    ? "the kernel's io_uring lacks a feature this backend needs (Linux 5.11 or later)"
                    : "io_uring_setup: " + Errors.ioException(-rc).getMessage();
        } finally {
            IO.free(ring);
        }
    }
}
