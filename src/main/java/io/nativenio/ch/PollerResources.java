package io.nativenio.ch;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * What one poller holds of the kernel and of native memory (its queue's fd, a wakeup fd, {@link NativeBuffer}s,
 * other handles), released together by {@link #close()}, the last acquired first. A step of a poller's
 * constructor that fails releases what the earlier steps acquired before it throws, so that a poller the kernel
 * refuses leaks nothing and its constructor needs no clean-up of its own.
 */
public final class PollerResources {
    /** The release of one handle: 0 or -errno. */
    @FunctionalInterface
    public interface Release {
        int release();
    }

    private final List<Release> held = new ArrayList<>();

    /** {@code rc}, a native's result, if it is not an error; else releases everything and throws its IOException. */
    public int check(int rc) throws IOException {
        if (rc < 0) {
            IOException e = Errors.ioException(-rc);
            releaseAfter(e);
            throw e;
        }
        return rc;
    }

    /** The fd that a native returned, closed with the rest; or, as {@link #check}, the native's IOException. */
    public int fd(int rc) throws IOException {
        int fd = check(rc);
        held.add(() -> IO.close(fd));
        return fd;
    }

    /** {@code size} bytes of native memory (none yet for 0), freed with the rest; OutOfMemoryError as {@link #check}. */
    public NativeBuffer buffer(int size) {
        NativeBuffer b;
        try {
            b = new NativeBuffer(size);
        } catch (OutOfMemoryError e) {
            releaseAfter(e);
            throw e;
        }
        add(() -> {
            b.free();
            return 0;
        });
        return b;
    }

    /** Holds a handle of another kind, released by {@code release}. */
    public void add(Release release) {
        held.add(release);
    }

    /** Releases everything, the last acquired first; the IOException of the first that failed, once all were tried. */
    public void close() throws IOException {
        Errors.check(releaseAll());
    }

    private void releaseAfter(Throwable failure) {
        int rc = releaseAll();
        if (rc < 0) {
            failure.addSuppressed(Errors.ioException(-rc));
        }
    }

    private int releaseAll() {
        int first = 0;
        for (int i = held.size() - 1; i >= 0; i--) {
            int rc = held.get(i).release();
            if (first == 0 && rc < 0) {
                first = rc;
            }
        }
        held.clear();
        return first;
    }
}
