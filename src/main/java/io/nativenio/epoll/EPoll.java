package io.nativenio.epoll;

import io.nativenio.ch.NativeLibrary;
import java.nio.ByteBuffer;

/**
 * JNI facade of native/linux/epoll.c: epoll(7). Struct layout and constants are read from native code at
 * start-up, one native each; epoll's event bits are the poll(2) bits of {@link io.nativenio.ch.Poller}, as
 * native/linux/epoll.c asserts when it compiles.
 */
final class EPoll {
    static {
        NativeLibrary.loadOrThrowError();
    }

    static final int EPOLLONESHOT = epolloneshot();
    static final int EPOLLET = epollet();
    static final int CTL_ADD = ctlAdd();
    static final int CTL_MOD = ctlMod();
    static final int CTL_DEL = ctlDel();
    /** Not epoll's: EPOLL_CTL_MOD, or EPOLL_CTL_ADD if the fd is not in the set; only in select's updates. */
    static final int CTL_MOD_OR_ADD = ctlModOrAdd();
    static final int EVENT_SIZE = eventSize();
    static final int EVENTS_OFFSET = eventsOffset();
    static final int DATA_OFFSET = dataOffset();

    private EPoll() {
    }

    /** The fd in the data of the i-th struct epoll_event in {@code buf}. */
    static int fd(ByteBuffer buf, int i) {
        return buf.getInt(i * EVENT_SIZE + DATA_OFFSET);
    }

    /** Does nothing but run the static initializer, which reads every constant from the library. */
    static void initialize() {
    }

    static native int create();

    static native int ctl(int epfd, int op, int fd, int events);

    /**
     * Applies {@code count} updates (int triples fd, op, events at {@code updates}; each op slot receives its
     * result) and then waits up to {@code timeout} ms (-1: forever) for at most {@code max} events.
     * {@code parked} ({@code parkedLength} bytes, one per fd; 0 and 0 for none) marks the fds kept in the set
     * with no events: their events (an error or hang-up) are dropped, the fd is deleted from the set and its
     * byte cleared, and a wait that found nothing else goes on for the rest of the timeout.
     */
    static native int select(int epfd, long updates, int count, long events, int max, int timeout,
                             long parked, int parkedLength);

    private static native int eventSize();

    private static native int eventsOffset();

    private static native int dataOffset();

    private static native int epolloneshot();

    private static native int epollet();

    private static native int ctlAdd();

    private static native int ctlMod();

    private static native int ctlDel();

    private static native int ctlModOrAdd();
}
