package io.nativenio.ch;

/**
 * The errno values that results are compared against, read from native/common/errno.c (they differ between
 * Linux, macOS and FreeBSD). A native returns a failure as {@code -errno}.
 */
public final class Errno {
    static {
        NativeLibrary.loadOrThrowError();
    }

    static final int EAGAIN = eagain();
    public static final int EINTR = eintr();
    static final int ENOENT = enoent();
    static final int ECONNRESET = econnreset();
    static final int ECONNREFUSED = econnrefused();
    static final int ETIMEDOUT = etimedout();
    static final int ENOTCONN = enotconn();
    static final int EHOSTUNREACH = ehostunreach();
    static final int EADDRINUSE = eaddrinuse();
    static final int EADDRNOTAVAIL = eaddrnotavail();
    static final int EACCES = eacces();
    static final int EPROTO = eproto();
    static final int ENOPROTOOPT = enoprotoopt();
    public static final int EOPNOTSUPP = eopnotsupp();
    public static final int EEXIST = eexist();
    public static final int ECANCELED = ecanceled();

    private Errno() {
    }

    private static native int eagain();

    private static native int eintr();

    private static native int enoent();

    private static native int econnreset();

    private static native int econnrefused();

    private static native int etimedout();

    private static native int enotconn();

    private static native int ehostunreach();

    private static native int eaddrinuse();

    private static native int eaddrnotavail();

    private static native int eacces();

    private static native int eproto();

    private static native int enoprotoopt();

    private static native int eopnotsupp();

    private static native int eexist();

    private static native int ecanceled();
}
