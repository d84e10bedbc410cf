package io.nativenio.observe;

import java.lang.System.Logger.Level;
import java.net.SocketAddress;
import java.util.List;
import jdk.jfr.Event;
import jdk.jfr.FlightRecorder;
import jdk.jfr.FlightRecorderListener;
import jdk.jfr.Recording;
import jdk.jfr.RecordingState;

/** The one class that names jdk.jfr outside the event classes: loaded only where {@link Support#JFR} holds. */
final class Jfr {
    private static final List<Class<? extends Event>> TYPES = List.of(SocketReadEvent.class, SocketWriteEvent.class,
            SelectEvent.class, ConnectEvent.class, AcceptEvent.class, CloseEvent.class, ParkEvent.class,
            CompatEvent.class);

    private static final String[] KINDS = {"SocketChannel", "ServerSocketChannel", "DatagramChannel", "Pipe"};

    private Jfr() {
    }

    /** Follows the recordings of JFR, which calls back at once if it is already initialized. */
    static void listen() {
        try {
            FlightRecorder.addListener(new Listener());
        } catch (RuntimeException e) { // a SecurityManager that refuses: no events
            System.getLogger("io.nativenio").log(Level.DEBUG, "nativenio: no JFR events", e);
        }
    }

    private static final class Listener implements FlightRecorderListener {
        @Override
        public void recorderInitialized(FlightRecorder recorder) {
            for (Class<? extends Event> type : TYPES) {
                FlightRecorder.register(type); // listed in the recording's metadata even before the first event
            }
            update(recorder);
        }

        @Override
        public void recordingStateChanged(Recording recording) {
            update(FlightRecorder.getFlightRecorder());
        }
    }

    /** Serialized, so that the last of two concurrent changes decides from the newer state. */
    private static synchronized void update(FlightRecorder recorder) {
        boolean running = false;
        for (Recording r : recorder.getRecordings()) {
            running |= r.getState() == RecordingState.RUNNING;
        }
        Events.recording(running);
    }

    static Object begin(int type) {
        Event e = switch (type) {
            case Events.SOCKET_READ -> new SocketReadEvent();
            case Events.SOCKET_WRITE -> new SocketWriteEvent();
            case Events.SELECT -> new SelectEvent();
            case Events.CONNECT -> new ConnectEvent();
            case Events.ACCEPT -> new AcceptEvent();
            case Events.CLOSE -> new CloseEvent();
            case Events.PARK -> new ParkEvent();
            default -> throw new IllegalArgumentException("event type " + type);
        };
        if (!e.isEnabled()) {
            return null;
        }
        e.begin();
        return e;
    }

    static void socketRead(Object event, long n, SocketAddress remote, long timeout) {
        SocketReadEvent e = (SocketReadEvent) event;
        e.end();
        if (e.shouldCommit()) {
            e.remote(remote);
            e.timeout = timeout;
            e.bytesRead = Math.max(n, 0);
            e.endOfStream = n < 0;
            e.commit();
        }
    }

    static void socketWrite(Object event, long n, SocketAddress remote) {
        SocketWriteEvent e = (SocketWriteEvent) event;
        e.end();
        if (e.shouldCommit()) {
            e.remote(remote);
            e.bytesWritten = Math.max(n, 0);
            e.commit();
        }
    }

    static void connect(Object event, SocketAddress remote, boolean connected) {
        ConnectEvent e = (ConnectEvent) event;
        e.end();
        if (e.shouldCommit()) {
            e.remote(remote);
            e.connected = connected;
            e.commit();
        }
    }

    static void accept(Object event, SocketAddress remote) {
        AcceptEvent e = (AcceptEvent) event;
        e.end();
        if (e.shouldCommit()) {
            e.remote(remote);
            e.commit();
        }
    }

    static void close(Object event, int kind, int fd, boolean fdClosed) {
        CloseEvent e = (CloseEvent) event;
        e.end();
        if (e.shouldCommit()) {
            e.kind = KINDS[kind];
            e.fd = fd;
            e.fdClosed = fdClosed;
            e.commit();
        }
    }

    static void park(Object event, int fd, boolean read, long nanos) {
        ParkEvent e = (ParkEvent) event;
        e.end();
        if (e.shouldCommit()) {
            e.fd = fd;
            e.operation = read ? "read" : "write";
            e.timeout = nanos;
            e.commit();
        }
    }

    static void compat(String kind, String detail) {
        CompatEvent e = new CompatEvent();
        if (e.isEnabled()) {
            e.kind = kind;
            e.detail = detail;
            e.commit();
        }
    }

    static void select(Object event, String backend, int keys, int selected, boolean woken, long timeout) {
        SelectEvent e = (SelectEvent) event;
        e.end();
        if (e.shouldCommit()) {
            e.backend = backend;
            e.keysRegistered = keys;
            e.keysSelected = selected;
            e.woken = woken;
            e.timeout = timeout;
            e.commit();
        }
    }
}
