package io.nativenio.bench;

import java.io.IOException;
import java.nio.channels.Pipe;
import java.nio.channels.Selector;
import java.nio.channels.spi.SelectorProvider;
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
 * The selector's hot paths on both providers, in one run: an idle selectNow over many keys and wakeup()
 * followed by the select it ends, on one thread. ReadyKeysBench has the selects that find keys ready.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = "--add-exports=java.base/sun.nio.ch=ALL-UNNAMED")
public class SelectorBench {
    @Param({"jdk", "nativenio"})
    public String provider;

    @Param({"100"})
    public int pipes;

    private Selector selector;
    private Pipe[] idle;

    @Setup(Level.Trial)
    public void setUp() throws Exception {
        SelectorProvider p = Providers.of(provider);
        selector = p.openSelector();
        idle = Pipes.open(p, selector, pipes, false);
    }

    @TearDown(Level.Trial)
    public void tearDown() throws IOException {
        Pipes.close(idle);
        selector.close();
    }

    /** selectNow with {@code pipes} registered keys, none ready. */
    @Benchmark
    public int selectNowIdle() throws IOException {
        return selector.selectNow();
    }

    /** wakeup() followed by a blocking select that it ends. */
    @Benchmark
    public int wakeupSelect() throws IOException {
        selector.wakeup();
        return selector.select();
    }
}
