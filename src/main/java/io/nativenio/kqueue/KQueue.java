package io.nativenio.kqueue;

import io.nativenio.ch.NativeLibrary;
import java.nio.ByteBuffer;

/**
 * JNI facade of native/bsd/kqueue.c: kqueue(2) and kevent(2). Struct layout and constants are read from
 * native code at start-up, one native each: {@code struct kevent} differs between systems (FreeBSD 12 added
 * fields to it).
 */
final class KQueue {
    static {
        NativeLibrary.loadOrThrowError();
    }

    static final int KEVENT_SIZE = keventSize();
    static final int IDENT_OFFSET = identOffset();
    static final int IDENT_SIZE = identSize();
    static final int FILTER_OFFSET = filterOffset();
    static final int FLAGS_OFFSET = flagsOffset();
    static final short EVFILT_READ = (short) evfiltRead();
    static final short EVFILT_WRITE = (short) evfiltWrite();
    static final short EVFILT_USER = (short) evfiltUser();
    static final int EV_ADD = evAdd();
    static final int EV_DELETE = evDelete();
    static final int EV_ONESHOT = evOneshot();
    static final int EV_CLEAR = evClear();
    static final int NOTE_TRIGGER = noteTrigger();
    /** Whether a kqueue's fd is readable while it has pending events (false with libkqueue). */
    static final boolean POLLABLE = pollable() != 0;

    private KQueue() {
    }

    /** The ident of the i-th struct kevent in {@code buf}: an fd for the read and write filters. */
    static int ident(ByteBuffer buf, int i) {
        int at = i * KEVENT_SIZE + IDENT_OFFSET;
        return IDENT_SIZE == Long.BYTES ? (int) buf.getLong(at) : buf.getInt(at);
    }

    static short filter(ByteBuffer buf, int i) {
        return buf.getShort(i * KEVENT_SIZE + FILTER_OFFSET);
    }

    /** Writes the ident, filter and flags of the i-th struct kevent in {@code buf}; its other fields stay as they are. */
    static void set(ByteBuffer buf, int i, int ident, short filter, int flags) {
        int at = i * KEVENT_SIZE;
        if (IDENT_SIZE == Long.BYTES) {
            buf.putLong(at + IDENT_OFFSET, ident);
        } else {
            buf.putInt(at + IDENT_OFFSET, ident);
        }
        buf.putShort(at + FILTER_OFFSET, filter).putShort(at + FLAGS_OFFSET, (short) flags);
    }

    /** Does nothing but run the static initializer, which reads every constant from the library. */
    static void initialize() {
    }

    /** A close-on-exec kqueue, or -errno. */
    static native int create();

    /** Applies one change ({@code EV_SET(ident, filter, flags, fflags, 0, 0)}); 0 or -errno. */
    static native int register(int kq, long ident, int filter, int flags, int fflags);

    /**
     * Deletes filter {@code filter1} and, unless 0, {@code filter2} of {@code ident} in one call, each
     * whether or not the other fails; 0 or the first -errno.
     */
    static native int delete(int kq, long ident, int filter1, int filter2);

    /**
     * Applies {@code count} changes (struct kevent at {@code changes}) and then waits up to {@code timeout}
     * ms (-1: forever) for at most {@code max} (at least {@code count}) events at {@code events}. Failed
     * changes are left out of the result. The number of events or -errno.
     */
    static native int select(int kq, long changes, int count, long events, int max, int timeout);

    private static native int keventSize();

    private static native int identOffset();

    private static native int identSize();

    private static native int filterOffset();

    private static native int flagsOffset();

    private static native int evfiltRead();

    private static native int evfiltWrite();

    private static native int evfiltUser();

    private static native int evAdd();

    private static native int evDelete();

    private static native int evOneshot();

    private static native int evClear();

    private static native int noteTrigger();

    private static native int pollable();
}
