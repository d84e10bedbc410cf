package io.nativenio.observe;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.nativenio.NativeSelectorProvider;
import io.nativenio.NativeSelectorProviderMXBean;
import io.nativenio.diff.Providers;
import java.lang.management.ManagementFactory;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.nio.channels.Pipe;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.channels.spi.SelectorProvider;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import javax.management.JMX;
import javax.management.MBeanServer;
import javax.management.ObjectName;
import org.junit.jupiter.api.Test;

/**
 * The provider's counters (docs/observability.md#the-mxbean) count a known workload exactly. Each test runs on a
 * provider of its own, so nothing else in the JVM counts with it; the workload runs on the JDK's provider too, and
 * its results (bytes moved, keys selected) must be the same there: the counts then follow from them.
 */
class CountersTest {
    private static final InetAddress LOOPBACK = InetAddress.getLoopbackAddress();

    /** The MXBean's counters, in the order of its attributes (theMXBeanShowsTheCounters checks that these are all). */
    private static final List<String> NAMES = List.of("OpenSocketChannels", "OpenServerSocketChannels",
            "OpenDatagramChannels", "OpenPipeChannels", "OpenSelectors", "RegisteredKeys", "OpenFds", "Selects", "Wakeups",
            "ReadinessChanges", "BytesRead", "BytesWritten");

    /** Counter name to value, read through the MXBean interface's getters. */
    private static Map<String, Long> snapshot(NativeSelectorProviderMXBean c) {
        Map<String, Long> m = new LinkedHashMap<>();
        for (String name : NAMES) {
            try {
                m.put(name, (Long) NativeSelectorProviderMXBean.class.getMethod("get" + name).invoke(c));
            } catch (ReflectiveOperationException e) {
                throw new AssertionError(name, e);
            }
        }
        return m;
    }

    private static Map<String, Long> expect(long... values) {
        Map<String, Long> m = new LinkedHashMap<>();
        for (int i = 0; i < NAMES.size(); i++) {
            m.put(NAMES.get(i), values[i]);
        }
        return m;
    }

    /**
     * One of each channel, bytes each way, a selector with one key through interest changes, a wakeup and the
     * deferred close of the registered channel; the counters are checked at each step and the operations' results
     * recorded, for the JDK's provider to give the same.
     */
    private static List<Object> workload(SelectorProvider p, Counters c) throws Exception {
        List<Object> results = new ArrayList<>();
        try (ServerSocketChannel ssc = p.openServerSocketChannel().bind(new InetSocketAddress(LOOPBACK, 0));
                SocketChannel client = p.openSocketChannel()) {
            client.connect(ssc.getLocalAddress());
            SocketChannel server = ssc.accept();
            results.add(client.write(ByteBuffer.allocate(100)));
            results.add(server.read(ByteBuffer.allocate(100)));
            ByteBuffer[] two = {ByteBuffer.allocate(30), ByteBuffer.allocate(20)};
            results.add(server.write(new ByteBuffer[] {ByteBuffer.allocate(30), ByteBuffer.allocate(20)}));
            results.add(client.read(two));
            Pipe pipe = p.openPipe();
            results.add(pipe.sink().write(ByteBuffer.allocate(10)));
            results.add(pipe.source().read(ByteBuffer.allocate(10)));
            pipe.sink().close();
            pipe.source().close();
            try (DatagramChannel dc = p.openDatagramChannel().bind(new InetSocketAddress(LOOPBACK, 0))) {
                results.add(dc.send(ByteBuffer.allocate(7), dc.getLocalAddress()));
                results.add(dc.receive(ByteBuffer.allocate(7)) != null);
                if (c != null) {
                    // the client, the accepted channel, the listener and the datagram channel
                    assertEquals(expect(2, 1, 1, 0, 0, 0, 4, 0, 0, 0, 100 + 50 + 10 + 7, 100 + 50 + 10 + 7),
                            snapshot(c));
                }
            }
            try (Selector sel = p.openSelector()) {
                server.configureBlocking(false);
                SelectionKey k = server.register(sel, SelectionKey.OP_READ);
                results.add(sel.selectNow()); // adds the fd: one change
                k.interestOps(SelectionKey.OP_READ | SelectionKey.OP_WRITE);
                results.add(sel.selectNow()); // changes it: writable now
                sel.selectedKeys().clear();
                k.interestOps(SelectionKey.OP_READ);
                sel.wakeup();
                sel.wakeup(); // a signal is pending: not signalled again
                results.add(sel.select()); // woken, and one change
                server.close(); // registered: the fd waits for the selector
                if (c != null) {
                    assertEquals(expect(1, 1, 0, 0, 1, 1, 3, 3, 1, 3, 167, 167), snapshot(c));
                }
                results.add(sel.selectNow()); // deregisters the key, removes the fd, closes it
                if (c != null) {
                    assertEquals(expect(1, 1, 0, 0, 1, 0, 2, 4, 1, 4, 167, 167), snapshot(c));
                }
            }
        }
        return results;
    }

    @Test
    void aKnownWorkloadIsCountedExactly() throws Exception {
        SelectorProvider p = new NativeSelectorProvider();
        Counters c = Counters.of(p);
        assertEquals(expect(0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0), snapshot(c));
        List<Object> ours = workload(p, c);
        // everything closed; the selector's close signalled it once more
        assertEquals(expect(0, 0, 0, 0, 0, 0, 0, 4, 2, 4, 167, 167), snapshot(c));
        assertEquals(workload(Providers.jdk(), null), ours);
    }

    /** Threads that count at once lose no count: four writers and four readers on four pipes. */
    @Test
    void concurrentCountsAreExact() throws Exception {
        SelectorProvider p = new NativeSelectorProvider();
        Counters c = Counters.of(p);
        int threads = 4;
        int transfers = 2000;
        ExecutorService pool = Executors.newFixedThreadPool(2 * threads);
        try {
            List<Future<Long>> moved = new ArrayList<>();
            List<Pipe> pipes = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                Pipe pipe = p.openPipe();
                pipes.add(pipe);
                int size = 1 + 97 * t;
                long total = (long) size * transfers;
                moved.add(pool.submit(transfer(total, () -> pipe.sink().write(ByteBuffer.allocate(size)))));
                moved.add(pool.submit(transfer(total, () -> pipe.source().read(ByteBuffer.allocate(size)))));
            }
            long written = 0;
            long read = 0;
            for (int i = 0; i < moved.size(); i++) {
                if (i % 2 == 0) {
                    written += moved.get(i).get();
                } else {
                    read += moved.get(i).get();
                }
            }
            assertEquals(read, written);
            assertEquals(written, c.getBytesWritten());
            assertEquals(read, c.getBytesRead());
            assertEquals(2L * threads, c.getOpenPipeChannels());
            for (Pipe pipe : pipes) {
                pipe.sink().close();
                pipe.source().close();
            }
            assertEquals(0, c.getOpenFds());
        } finally {
            pool.shutdownNow();
        }
    }

    /** Calls {@code op} (a blocking read or write) until it moved {@code total} bytes; returns that sum. */
    private static Callable<Long> transfer(long total, Callable<Integer> op) {
        return () -> {
            long moved = 0;
            while (moved < total) {
                moved += op.call();
            }
            return moved;
        };
    }

    /** Any JMX client reads the same values under the provider's ObjectName, plain or through a proxy. */
    @Test
    void theMXBeanShowsTheCounters() throws Exception {
        SelectorProvider p = new NativeSelectorProvider();
        Counters c = Counters.of(p);
        c.awaitPublished();
        MBeanServer server = ManagementFactory.getPlatformMBeanServer();
        ObjectName name = new ObjectName(c.objectName());
        assertTrue(server.isRegistered(name), name.toString());
        assertEquals("MXBean " + name, c.publishedAs());
        try (SocketChannel client = p.openSocketChannel();
                ServerSocketChannel ssc = p.openServerSocketChannel().bind(new InetSocketAddress(LOOPBACK, 0))) {
            SocketAddress to = ssc.getLocalAddress();
            client.connect(to);
            try (SocketChannel peer = ssc.accept()) {
                client.write(ByteBuffer.allocate(1234));
                NativeSelectorProviderMXBean proxy = JMX.newMXBeanProxy(server, name, NativeSelectorProviderMXBean.class);
                assertEquals(1234L, server.getAttribute(name, "BytesWritten"));
                assertEquals(2L, server.getAttribute(name, "OpenSocketChannels"));
                assertEquals(3L, proxy.getOpenFds());
                assertEquals(c.getBackend(), server.getAttribute(name, "Backend"));
                assertEquals(snapshot(c), snapshot(proxy));
                Set<String> counters = new TreeSet<>();
                for (java.lang.reflect.Method m : NativeSelectorProviderMXBean.class.getMethods()) {
                    if (m.getReturnType() == long.class) {
                        counters.add(m.getName().substring("get".length()));
                    }
                }
                assertEquals(counters, new TreeSet<>(NAMES), "every counter of the MXBean is checked");
            }
        }
    }
}
