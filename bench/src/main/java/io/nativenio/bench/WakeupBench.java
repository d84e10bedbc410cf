package io.nativenio.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.Selector;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The wakeup round trip between two threads: another thread waits in select() on a selector with no keys;
 * the benchmark thread calls wakeup() and spins until that select() has returned (the waiting thread counts
 * its returns). Each wakeup ends exactly one select: one already under way, or the next one.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = "--add-exports=java.base/sun.nio.ch=ALL-UNNAMED")
public class WakeupBench {
    @Param({"jdk", "nativenio"})
    public String provider;

    private Selector selector;
    private Thread waiter;
    private volatile long returns;
    private volatile boolean stop;

    @Setup(Level.Trial)
    public void setUp() throws Exception {
        selector = Providers.of(provider).openSelector();
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
