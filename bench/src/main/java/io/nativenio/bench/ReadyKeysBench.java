package io.nativenio.bench;

import java.io.IOException;
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
 * ready); the idle rest are unbound datagram channels registered for OP_READ (one fd each, so 10,000 keys
 * fit the usual limit of 20,000 open files).
 */
public class ReadyKeysBench extends ProviderBench {
    @Param({"100", "10000"})
    public int registered;

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
        idle = new DatagramChannel[registered - ready];
        for (int i = 0; i < idle.length; i++) {
            idle[i] = p.openDatagramChannel();
            idle[i].configureBlocking(false);
            idle[i].register(selector, SelectionKey.OP_READ);
        }
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
