package io.nativenio.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.Selector;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.TearDown;

/**
 * The wakeup round trip between two threads: another thread waits in select() on a selector with no keys;
 * the benchmark thread calls wakeup() and spins until that select() has returned (the waiting thread counts
 * its returns). Each wakeup ends exactly one select: one already under way, or the next one.
 */
public class WakeupBench extends ProviderBench {
    private Selector selector;
    private Thread waiter;
    private volatile long returns;
    private volatile boolean stop;

    @Setup(Level.Trial)
    public void setUp() throws Exception {
        selector = provider().openSelector();
        waiter = new Thread(() -> {
            try {
                while (!stop) {
                    selector.select();
                    returns = returns + 1; // the only writer
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }, "selecting");
        waiter.setDaemon(true);
        waiter.start();
    }

    @TearDown(Level.Trial)
    public void tearDown() throws Exception {
        stop = true;
        selector.wakeup();
        waiter.join();
        selector.close();
    }

    @Benchmark
    public long wakeupRoundTrip() {
        long target = returns + 1;
        selector.wakeup();
        while (returns < target) {
            Thread.onSpinWait();
        }
        return target;
    }
}
