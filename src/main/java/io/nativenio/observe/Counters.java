package io.nativenio.observe;

import io.nativenio.NativeSelectorProviderMXBean;
import io.nativenio.ch.Backends;
import java.lang.ref.WeakReference;
import java.nio.channels.Channel;
import java.nio.channels.DatagramChannel;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.channels.spi.SelectorProvider;
import java.util.Map;
import java.util.WeakHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;

/**
 * The live counters of one provider, published as its MXBean. Striped ({@link LongAdder}): threads that count
 * at the same time add to different cells, so no read or write waits on a shared cache line. Each provider's
 * counters are found once per channel or selector ({@link #of}), never on an I/O path.
 */
public final class Counters implements NativeSelectorProviderMXBean {
    /** Channel kinds, by the JDK type a channel extends. */
    public static final int SOCKET = 0;
    public static final int SERVER_SOCKET = 1;
    public static final int DATAGRAM = 2;
    public static final int PIPE = 3;

    private static final AtomicInteger IDS = new AtomicInteger();
    private static final Map<SelectorProvider, Counters> BY_PROVIDER = new WeakHashMap<>();
    // The last provider looked up: nearly every program has one.
    private static volatile Last last;

    private final int id;
    private volatile boolean registered;
    private volatile Thread registrar;
    private final LongAdder[] open = {new LongAdder(), new LongAdder(), new LongAdder(), new LongAdder()};
    private final LongAdder selectors = new LongAdder();
    private final LongAdder keys = new LongAdder();
    private final LongAdder fds = new LongAdder();
    private final LongAdder selects = new LongAdder();
    private final LongAdder wakeups = new LongAdder();
    private final LongAdder readinessChanges = new LongAdder();
    private final LongAdder bytesRead = new LongAdder();
    private final LongAdder bytesWritten = new LongAdder();

    private Counters(int id) {
        this.id = id;
    }

    /** The counters of {@code provider}, created (and their MXBean registered) on the first call. */
    public static Counters of(SelectorProvider provider) {
        Last l = last;
        if (l != null && l.provider.get() == provider) {
            return l.counters;
        }
        Counters c;
        boolean created = false;
        synchronized (BY_PROVIDER) {
            c = BY_PROVIDER.get(provider);
            if (c == null) {
                c = new Counters(IDS.incrementAndGet());
                BY_PROVIDER.put(provider, c);
                created = true;
            }
        }
        last = new Last(new WeakReference<>(provider), c);
        if (created && Support.MXBEAN) {
            c.publish();
        }
        return c;
    }

    /**
     * Registers the MXBean from a thread of its own: starting the platform MBeanServer, when nothing did
     * before, takes a few hundred milliseconds of CPU that the thread opening its first channel must not wait for.
     */
    private void publish() {
        Thread t = new Thread(() -> registered = Jmx.register(this), "nativenio-mxbean");
        t.setDaemon(true);
        try {
            t.start();
            registrar = t;
        } catch (RuntimeException e) { // a SecurityManager that refuses: no MXBean
            System.getLogger("io.nativenio").log(System.Logger.Level.DEBUG, "nativenio: no MXBean", e);
        }
    }

    /** Waits until the MXBean is registered, or its registration failed (for the self-check and tests). */
    public void awaitPublished() throws InterruptedException {
        Thread t = registrar;
        if (t != null) {
            t.join();
        }
    }

    private record Last(WeakReference<SelectorProvider> provider, Counters counters) {
    }

    /** The kind of {@code channel}: {@link #SOCKET}, {@link #SERVER_SOCKET}, {@link #DATAGRAM} or {@link #PIPE}. */
    public static int kindOf(Channel channel) {
        if (channel instanceof SocketChannel) {
            return SOCKET;
        }
        if (channel instanceof ServerSocketChannel) {
            return SERVER_SOCKET;
        }
        return channel instanceof DatagramChannel ? DATAGRAM : PIPE;
    }

    /** The name of the MXBean: {@code io.nativenio:type=SelectorProvider,id=N}. */
    public String objectName() {
        return "io.nativenio:type=SelectorProvider,id=" + id;
    }

    /** Where the counters can be read: the MXBean's name, or why there is none. */
    public String publishedAs() {
        if (registered) {
            return "MXBean " + objectName();
        }
        if (!Support.JMX) {
            return "no MXBean: the runtime has no java.management";
        }
        if (!Support.JVM_LIFETIME) {
            return "no MXBean: nativenio's class loader can be discarded";
        }
        return Support.MXBEAN ? "no MXBean: registering " + objectName() + " failed"
                : "no MXBean: -Dnativenio.mxbean=true publishes one";
    }

    // -- counting

    /** A channel of {@code kind} was opened, with its fd. */
    public void opened(int kind) {
        open[kind].increment();
        fds.increment();
    }

    /** A channel of {@code kind} was closed (its fd may stay open for a selector: {@link #fdClosed}). */
    public void closed(int kind) {
        open[kind].decrement();
    }

    public void fdClosed() {
        fds.decrement();
    }

    public void read(long n) {
        bytesRead.add(n);
    }

    public void written(long n) {
        bytesWritten.add(n);
    }

    void selectorOpened() {
        selectors.increment();
    }

    void selectorClosed() {
        selectors.decrement();
    }

    void keyRegistered() {
        keys.increment();
    }

    void keyDeregistered() {
        keys.decrement();
    }

    void selected() {
        selects.increment();
    }

    void wakeup() {
        wakeups.increment();
    }

    void readinessChange() {
        readinessChanges.increment();
    }

    // -- the MXBean

    @Override
    public String getBackend() {
        try {
            return Backends.get().name();
        } catch (UnsupportedOperationException e) {
            return "none";
        }
    }

    @Override
    public long getOpenSocketChannels() {
        return open[SOCKET].sum();
    }

    @Override
    public long getOpenServerSocketChannels() {
        return open[SERVER_SOCKET].sum();
    }

    @Override
    public long getOpenDatagramChannels() {
        return open[DATAGRAM].sum();
    }

    @Override
    public long getOpenPipeChannels() {
        return open[PIPE].sum();
    }

    @Override
    public long getOpenSelectors() {
        return selectors.sum();
    }

    @Override
    public long getRegisteredKeys() {
        return keys.sum();
    }

    @Override
    public long getOpenFds() {
        return fds.sum();
    }

    @Override
    public long getSelects() {
        return selects.sum();
    }

    @Override
    public long getWakeups() {
        return wakeups.sum();
    }

    @Override
    public long getReadinessChanges() {
        return readinessChanges.sum();
    }

    @Override
    public long getBytesRead() {
        return bytesRead.sum();
    }

    @Override
    public long getBytesWritten() {
        return bytesWritten.sum();
    }
}
