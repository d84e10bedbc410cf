package io.nativenio.ch;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * Reads and writes between an fd and ByteBuffers, after the JDK's {@code sun.nio.ch.IOUtil}: direct
 * buffers in place, heap buffers through a temporary direct buffer, scatter/gather through readv/writev
 * with at most IOV_MAX buffers per call (behaviours.md#reads-and-writes). Results are counts or {@link IOStatus} codes;
 * a read of 0 bytes into a non-empty buffer is EOF. An empty buffer transfers nothing and returns 0
 * without a system call, as the JDK's, and is left out of an iovec array, so a direct buffer without
 * memory (address 0) never reaches the kernel here. The {@link Dispatch} says how the fd is written and how
 * a failure is reported.
 * Variants with a {@code max} transfer at most that many bytes (the compatibility-testing mode's short reads and
 * writes, docs/testing.md#perturbations-of-channels).
 */
final class IOUtil {
    private IOUtil() {
    }

    static int read(int fd, ByteBuffer dst, Dispatch d) throws IOException {
        return read(fd, dst, Integer.MAX_VALUE, d);
    }

    /** A read into {@code dst} of at most {@code max} bytes, {@code max > 0}. */
    static int read(int fd, ByteBuffer dst, int max, Dispatch d) throws IOException {
        checkNotReadOnly(dst);
        int pos = dst.position();
        int rem = Math.min(Math.max(dst.limit() - pos, 0), max);
        if (rem == 0) {
            return 0;
        }
        if (dst.isDirect()) {
            checkAccessible(dst, pos);
            int n = d.readStatus(IO.read(fd, dst, pos, rem));
            if (n > 0) {
                dst.position(pos + n);
            }
            return n;
        }
        ByteBuffer tmp = TempBuffers.get(rem);
        try {
            int n = d.readStatus(IO.read(fd, tmp, 0, rem));
            if (n > 0) {
                dst.put(tmp.limit(n));
            }
            return n;
        } finally {
            TempBuffers.release(tmp);
        }
    }

    static int write(int fd, ByteBuffer src, Dispatch d) throws IOException {
        return write(fd, src, Integer.MAX_VALUE, d);
    }

    /** A write from {@code src} of at most {@code max} bytes, {@code max > 0}. */
    static int write(int fd, ByteBuffer src, int max, Dispatch d) throws IOException {
        int pos = src.position();
        int rem = Math.min(Math.max(src.limit() - pos, 0), max);
        if (rem == 0) {
            return 0; // no system call, as the JDK: nothing to write, whatever the fd's state
        }
        if (src.isDirect()) {
            checkAccessible(src, pos);
            int n = (int) d.writeResult(d.write(fd, src, pos, rem));
            if (n > 0) {
                src.position(pos + n);
            }
            return n;
        }
        ByteBuffer tmp = TempBuffers.get(rem);
        try {
            tmp.put(0, src, pos, rem); // absolute bulk copy: no view buffer per write
            int n = (int) d.writeResult(d.write(fd, tmp, 0, rem));
            if (n > 0) {
                src.position(pos + n);
            }
            return n;
        } finally {
            TempBuffers.release(tmp);
        }
    }

    /** Scattering read into {@code dsts[offset, offset + length)}; the caller checked the bounds. */
    static long read(int fd, ByteBuffer[] dsts, int offset, int length, Dispatch d) throws IOException {
        return read(fd, dsts, offset, length, Long.MAX_VALUE, d);
    }

    /** A scattering read of at most {@code max} bytes, {@code max > 0}. */
    static long read(int fd, ByteBuffer[] dsts, int offset, int length, long max, Dispatch d) throws IOException {
        for (int i = offset; i < offset + length; i++) {
            checkNotReadOnly(dsts[i]);
        }
        IOVecs vecs = IOVecs.get();
        try {
            int count = vecs.fill(dsts, offset, length, max, false);
            if (count == 0) {
                return 0;
            }
            long n = d.readResult(IO.readv(fd, vecs.address(), count));
            if (n == 0) {
                return IOStatus.EOF;
            }
            if (n > 0) {
                vecs.completeRead(n);
            }
            return n;
        } finally {
            vecs.release();
        }
    }

    /** Gathering write from {@code srcs[offset, offset + length)}; the caller checked the bounds. */
    static long write(int fd, ByteBuffer[] srcs, int offset, int length, Dispatch d) throws IOException {
        return write(fd, srcs, offset, length, Long.MAX_VALUE, d);
    }

    /** A gathering write of at most {@code max} bytes, {@code max > 0}. */
    static long write(int fd, ByteBuffer[] srcs, int offset, int length, long max, Dispatch d)
            throws IOException {
        IOVecs vecs = IOVecs.get();
        try {
            int count = vecs.fill(srcs, offset, length, max, true);
            if (count == 0) {
                return 0;
            }
            long n = d.writeResult(d.writev(fd, vecs.address(), count));
            if (n > 0) {
                vecs.completeWrite(n);
            }
            return n;
        } finally {
            vecs.release();
        }
    }

    /** Reads into {@code b[off, off + len)} through a temporary direct buffer (the socket adaptor's streams). */
    static int read(int fd, byte[] b, int off, int len) throws IOException {
        ByteBuffer tmp = TempBuffers.get(len);
        try {
            int n = Dispatch.STREAM.readStatus(IO.read(fd, tmp, 0, len));
            if (n > 0) {
                tmp.get(0, b, off, n);
            }
            return n;
        } finally {
            TempBuffers.release(tmp);
        }
    }

    /** Writes from {@code b[off, off + len)} to a socket through a temporary direct buffer. */
    static int write(int fd, byte[] b, int off, int len) throws IOException {
        ByteBuffer tmp = TempBuffers.get(len);
        try {
            tmp.put(0, b, off, len);
            return (int) Dispatch.STREAM.writeResult(IO.send(fd, tmp, 0, len));
        } finally {
            TempBuffers.release(tmp);
        }
    }

    /**
     * The bytes remaining in {@code buf}, or in {@code bufs[offset, offset + length)} when that is not null; for
     * a read ({@code into}), a read-only buffer fails as the read would.
     */
    static long remaining(ByteBuffer buf, ByteBuffer[] bufs, int offset, int length, boolean into) {
        if (bufs == null) {
            if (into) {
                checkNotReadOnly(buf);
            }
            return buf.remaining();
        }
        long n = 0;
        for (int i = offset; i < offset + length; i++) {
            if (into) {
                checkNotReadOnly(bufs[i]);
            }
            n += bufs[i].remaining();
        }
        return n;
    }

    private static void checkNotReadOnly(ByteBuffer buf) {
        if (buf.isReadOnly()) {
            throw new IllegalArgumentException("Read-only buffer");
        }
    }

    /**
     * Loads the byte at {@code pos} of a direct buffer before its memory goes to the kernel. For a view of a
     * java.lang.foreign segment that load throws what the JDK's IOUtil throws when it acquires the segment's
     * arena: IllegalStateException("Already closed") once the arena is closed, WrongThreadException on a
     * thread that does not own a confined arena; for other direct buffers it is a plain load. Unlike the JDK,
     * nothing stops a shared arena from being closed while the system call runs: no public API acquires one
     * (docs/jdk-changes.md#memory-segments).
     */
    static void checkAccessible(ByteBuffer direct, int pos) {
        direct.get(pos);
    }

    /**
     * An iovec array and the buffers it currently describes: one per platform thread, as the JDK's
     * IOVecWrapper; virtual threads borrow one from a {@link SharedPool} instead (see {@link TempBuffers}).
     */
    private static final class IOVecs {
        private static final ThreadLocal<IOVecs> CACHE = ThreadLocal.withInitial(() -> new IOVecs(false));
        private static final SharedPool<IOVecs> SHARED = new SharedPool<>(SharedPool.DEFAULT_SLOTS, v -> 0);

        private final ByteBuffer iov;
        private final long iovAddress;
        private final ByteBuffer[] buffers = new ByteBuffer[IO.IOV_MAX];
        /** The temporary direct buffer standing in for a heap buffer, or null where the buffer is direct. */
        private final ByteBuffer[] temps = new ByteBuffer[IO.IOV_MAX];
        private int count;
        private boolean busy;
        /** Lives in {@link #SHARED}, not in a thread's {@link #CACHE}. */
        private final boolean shared;

        private IOVecs(boolean shared) {
            this.shared = shared;
            // Lives as long as its thread or the pool: the JDK keeps its IOVecWrapper the same way.
            iov = ByteBuffer.allocateDirect(IO.IOV_MAX * IO.IOVEC_SIZE).order(ByteOrder.nativeOrder());
            iovAddress = IO.address(iov);
        }

        static IOVecs get() {
            if (VirtualThreads.isVirtual()) {
                IOVecs v = SHARED.take(0);
                // A new one is dropped, its array freed by the GC, if the pool is full when it comes back.
                return v != null ? v : new IOVecs(true);
            }
            IOVecs v = CACHE.get();
            // A nested use on one thread cannot happen today; fail loudly rather than corrupt the array.
            if (v.busy) {
                throw new IllegalStateException("iovec array in use");
            }
            v.busy = true;
            return v;
        }

        long address() {
            return iovAddress;
        }

        /** Describes up to IOV_MAX non-empty buffers, with {@code max} bytes at most; returns how many. */
        int fill(ByteBuffer[] bufs, int offset, int length, long max, boolean forWrite) {
            for (int i = offset; i < offset + length && count < IO.IOV_MAX && max > 0; i++) {
                ByteBuffer b = bufs[i];
                int pos = b.position();
                int rem = (int) Math.min(Math.max(b.limit() - pos, 0), max);
                if (rem == 0) {
                    continue;
                }
                long base;
                if (b.isDirect()) {
                    checkAccessible(b, pos);
                    base = IO.address(b) + pos;
                    temps[count] = null;
                } else {
                    ByteBuffer tmp = TempBuffers.get(rem);
                    if (forWrite) {
                        tmp.put(0, b, pos, rem);
                    }
                    base = IO.address(tmp);
                    temps[count] = tmp;
                }
                buffers[count] = b;
                int at = count * IO.IOVEC_SIZE;
                iov.putLong(at + IO.IOVEC_BASE_OFFSET, base);
                iov.putLong(at + IO.IOVEC_LEN_OFFSET, rem);
                count++;
                max -= rem;
            }
            return count;
        }

        void completeRead(long n) {
            for (int i = 0; i < count && n > 0; i++) {
                ByteBuffer b = buffers[i];
                int rem = b.remaining();
                int got = (int) Math.min(n, rem);
                ByteBuffer tmp = temps[i];
                if (tmp != null) {
                    b.put(tmp.limit(got));
                } else {
                    b.position(b.position() + got);
                }
                n -= got;
            }
        }

        void completeWrite(long n) {
            for (int i = 0; i < count && n > 0; i++) {
                ByteBuffer b = buffers[i];
                int put = (int) Math.min(n, b.remaining());
                b.position(b.position() + put);
                n -= put;
            }
        }

        void release() {
            for (int i = 0; i < count; i++) {
                if (temps[i] != null) {
                    TempBuffers.release(temps[i]);
                    temps[i] = null;
                }
                buffers[i] = null;
            }
            count = 0;
            busy = false;
            if (shared) {
                SHARED.offer(this);
            }
        }
    }
}
