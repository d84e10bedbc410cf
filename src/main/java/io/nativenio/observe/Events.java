package io.nativenio.observe;

import java.net.SocketAddress;

/**
 * The JFR events of nativenio, for code that must not name jdk.jfr: the channels, the selector and the
 * virtual-thread parker. Every hook has one shape:
 *
 * <pre>{@code
 * Object event = Events.begin(Events.SOCKET_READ);  // null unless a recording is on and wants the event
 * long n = implRead(...);
 * Events.socketRead(event, n, this, 0);             // does nothing for null
 * }</pre>
 *
 * With no recording running, {@link #begin} is one read of a volatile boolean and the end call one null check:
 * nothing is allocated, timed or looked up. The boolean follows JFR's recordings through a
 * {@code FlightRecorderListener}, registered when this class is first used, where jdk.jfr is present and
 * nativenio lives as long as the JVM (see {@link Support}); elsewhere it stays false and no event is made.
 */
public final class Events {
    public static final int SOCKET_READ = 0;
    public static final int SOCKET_WRITE = 1;
    public static final int SELECT = 2;
    public static final int CONNECT = 3;
    public static final int ACCEPT = 4;
    public static final int CLOSE = 5;
    public static final int PARK = 6;

    /** The peer of a socket channel, asked for only when an event is committed. */
    public interface Peer {
        SocketAddress peer();
    }

    private static volatile boolean recording;

    static {
        if (Support.JFR && Support.JVM_LIFETIME) {
            Jfr.listen();
        }
    }

    private Events() {
    }

    /** Set by JFR's listener: whether a recording is running. */
    static void recording(boolean on) {
        recording = on;
    }

    /**
     * Starts timing an event of {@code type} ({@link #SOCKET_READ}, ...): the event, or null when no recording
     * runs or the running ones do not want the event.
     */
    public static Object begin(int type) {
        return recording ? Jfr.begin(type) : null;
    }

    /** Ends a read that returned {@code n} (-1: end of stream) with SO_TIMEOUT {@code timeoutMillis} (0: none). */
    public static void socketRead(Object event, long n, Peer channel, long timeoutMillis) {
        if (event != null) {
            Jfr.socketRead(event, n, channel.peer(), timeoutMillis);
        }
    }

    /** Ends a write that wrote {@code n} bytes. */
    public static void socketWrite(Object event, long n, Peer channel) {
        if (event != null) {
            Jfr.socketWrite(event, n, channel.peer());
        }
    }

    /** Ends a connect of {@code channel} that {@code connected} or left in progress. */
    public static void connect(Object event, Peer channel, boolean connected) {
        if (event != null) {
            Jfr.connect(event, channel.peer(), connected);
        }
    }

    /** Ends an accept that returned {@code accepted}, null if no connection was waiting. */
    public static void accept(Object event, Peer accepted) {
        if (event != null && accepted != null) {
            Jfr.accept(event, accepted.peer());
        }
    }

    /** Ends the close of a channel of {@code kind} (a {@link Counters} kind) that was registered. */
    public static void close(Object event, int kind, int fd, boolean fdClosed) {
        if (event != null) {
            Jfr.close(event, kind, fd, fdClosed);
        }
    }

    /** Ends a virtual thread's park on {@code fd}, for input ({@code read}) or output, at most {@code nanos} (0: none). */
    public static void park(Object event, int fd, boolean read, long nanos) {
        if (event != null) {
            Jfr.park(event, fd, read, nanos);
        }
    }

    /**
     * An instant event of the compatibility-testing mode: a perturbation or a detector's finding of
     * {@code kind}, committed at once when a recording is on and wants it.
     */
    public static void compat(String kind, String detail) {
        if (recording) {
            Jfr.compat(kind, detail);
        }
    }

    /** Ends a select (see {@link SelectorObserver}). */
    static void select(Object event, String backend, int keys, int selected, boolean woken, long timeout) {
        Jfr.select(event, backend, keys, selected, woken, timeout);
    }
}
