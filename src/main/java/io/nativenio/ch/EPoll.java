package io.nativenio.ch;

/** JNI facade of native/epoll.c. Struct layout and constants are read from native code at start-up. */
final class EPoll {
    static {
        NativeLibrary.loadOrThrowError();
    }

    static final int EPOLLIN = constant(0);
    static final int EPOLLOUT = constant(1);
    static final int EPOLLERR = constant(2);
    static final int EPOLLHUP = constant(3);
    static final int CTL_ADD = constant(4);
    static final int CTL_MOD = constant(5);
    static final int CTL_DEL = constant(6);
    static final int EPOLLONESHOT = constant(7);
    static final int EEXIST = constant(8);
    static final int EVENT_SIZE = eventSize();
    static final int EVENTS_OFFSET = eventsOffset();
    static final int DATA_OFFSET = dataOffset();

    private EPoll() {
    }

    static native int create();

    static native int ctl(int epfd, int op, int fd, int events);

    /**
     * Applies {@code count} updates (int triples fd, op, events at {@code updates}; each op slot receives its
     * result) and then waits up to {@code timeout} ms (-1: forever) for at most {@code max} events.
     */
    static native int select(int epfd, long updates, int count, long events, int max, int timeout);

    private static native int eventSize();

    private static native int eventsOffset();

    private static native int dataOffset();

    private static native int constant(int which);
}
