package io.nativenio.bench;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.channels.DatagramChannel;
import java.nio.channels.Pipe;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.spi.SelectorProvider;
import java.util.Iterator;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.TearDown;

/**
 * selectNow with {@code ready} keys ready among {@code registered}, then the iteration and removal of the
 * selected keys an event loop does. The ready keys are pipes with a byte waiting (never read, so they stay
 * ready); the idle rest are unbound datagram channels registered for OP_READ (one fd each). Its time should
 * grow with the ready keys, not the registered ones: {@code registered} goes from 100 to {@code max}, as many
 * as the open-file limit leaves room for (see {@link #maxRegistered}; 19,000 under a limit of 20,000).
 */
public class ReadyKeysBench extends ProviderBench {
    @Param({"100", "1000", "10000", "max"})
    public String registered;

    @Param({"100"})
    public int ready;

    private Selector selector;
    private Pipe[] readyPipes;
    private DatagramChannel[] idle;

    @Setup(Level.Trial)
    public void setUp() throws Exception {
        SelectorProvider p = provider();
        selector = p.openSelector();
        readyPipes = Pipes.open(p, selector, ready, true);
        int total = registered.equals("max") ? maxRegistered(ready) : Integer.parseInt(registered);
        if (registered.equals("max")) {
            System.out.println("ReadyKeysBench: registered=max is " + total + " channels");
        }
        idle = new DatagramChannel[total - ready];
        for (int i = 0; i < idle.length; i++) {
            idle[i] = p.openDatagramChannel();
            idle[i].configureBlocking(false);
            idle[i].register(selector, SelectionKey.OP_READ);
        }
    }

    /**
     * The most keys that fit the open-file limit (with the {@code ready} pipes' two fds each already open), less
     * 500 fds for the JVM, JMH and the selector, rounded down to a thousand.
     */
    static int maxRegistered(int ready) {
        var os = (com.sun.management.UnixOperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
        long room = os.getMaxFileDescriptorCount() - os.getOpenFileDescriptorCount() - 500;
        int total = (int) Math.min(1_000_000, (room + ready) / 1000 * 1000);
        if (total <= ready) {
            throw new IllegalStateException("the open-file limit (" + os.getMaxFileDescriptorCount()
                    + ") leaves no room for registered=max; raise it with ulimit -n");
        }
        return total;
    }

    @TearDown(Level.Trial)
    public void tearDown() throws IOException {
        Pipes.close(readyPipes);
        for (DatagramChannel ch : idle) {
            ch.close();
        }
        selector.close();
    }

    @Benchmark
    public int selectNow() throws IOException {
        int n = selector.selectNow();
        Iterator<SelectionKey> it = selector.selectedKeys().iterator();
        while (it.hasNext()) {
            n += it.next().readyOps();
            it.remove();
        }
        return n;
    }
}
