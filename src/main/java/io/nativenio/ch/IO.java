package io.nativenio.ch;

import java.nio.ByteBuffer;

/**
 * JNI facade of native/common/io.c: one syscall per call, failures returned as {@code -errno}. Buffers are direct
 * ByteBuffers with an explicit position and length; the native side checks the range against the capacity.
 */
public final class IO {
    static {
        NativeLibrary.loadOrThrowError();
    }

    static final int IOV_MAX = iovMax();
    static final int IOVEC_SIZE = iovecSize();
    static final int IOVEC_BASE_OFFSET = iovecBaseOffset();
    static final int IOVEC_LEN_OFFSET = iovecLenOffset();

    private IO() {
    }

    static native int read(int fd, ByteBuffer buf, int pos, int len);

    static native int write(int fd, ByteBuffer buf, int pos, int len);

    /** write for sockets: send(2) with MSG_NOSIGNAL (no SIGPIPE, behaviours.md#reads-and-writes). */
    static native int send(int fd, ByteBuffer buf, int pos, int len);

    static native long readv(int fd, long iov, int count);

    static native long writev(int fd, long iov, int count);

    /** writev for sockets: sendmsg(2) with MSG_NOSIGNAL. */
    static native long sendv(int fd, long iov, int count);

    public static native int close(int fd);

    static native int dup(int fd);

    static native int dup2(int from, int to);

    static native int openDevNull();

    public static native long pipe();

    static native int deadSocket();

    static native int setBlocking(int fd, boolean blocking);

    /** Native memory of {@code size} bytes as a direct buffer, or null; free it with {@link #free}. */
    public static native ByteBuffer allocate(int size);

    public static native void free(ByteBuffer buf);

    public static native long address(ByteBuffer buf);

    static native String strerror(int errno);

    private static native int iovMax();

    private static native int iovecSize();

    private static native int iovecBaseOffset();

    private static native int iovecLenOffset();
}
