package io.nativenio.bench;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.Pipe;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.spi.SelectorProvider;
import java.util.Iterator;
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
 * The selector's hot paths on both providers, in one run: an idle selectNow over many keys, a select that
 * finds every key of many pipes ready (and the selected-key iteration), and the wakeup/select round trip.
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
    private Selector readySelector;
    private Pipe[] ready;

    @Setup(Level.Trial)
    public void setUp() throws Exception {
        SelectorProvider p = Providers.of(provider);
        selector = p.openSelector();
        idle = open(p, selector, pipes, false);
        readySelector = p.openSelector();
        ready = open(p, readySelector, pipes, true);
    }

    private static Pipe[] open(SelectorProvider p, Selector sel, int n, boolean fill) throws IOException {
        Pipe[] result = new Pipe[n];
        for (int i = 0; i < n; i++) {
            Pipe pipe = p.openPipe();
            pipe.source().configureBlocking(false);
            pipe.source().register(sel, SelectionKey.OP_READ);
            if (fill) {
                pipe.sink().write(ByteBuffer.wrap(new byte[] {1}));
            }
            result[i] = pipe;
        }
        return result;
    }

    @TearDown(Level.Trial)
    public void tearDown() throws IOException {
        for (Pipe[] set : new Pipe[][] {idle, ready}) {
            for (Pipe pipe : set) {
                pipe.source().close();
                pipe.sink().close();
            }
        }
        selector.close();
        readySelector.close();
    }

    /** selectNow with {@code pipes} registered keys, none ready. */
    @Benchmark
    public int selectNowIdle() throws IOException {
        return selector.selectNow();
    }

    /** selectNow with every key ready, then iterate and clear the selected-key set. */
    @Benchmark
    public int selectNowAllReady() throws IOException {
        int n = readySelector.selectNow();
        Iterator<SelectionKey> it = readySelector.selectedKeys().iterator();
        while (it.hasNext()) {
            n += it.next().readyOps();
            it.remove();
        }
        return n;
    }

    /** wakeup() followed by a blocking select that it ends. */
    @Benchmark
    public int wakeupSelect() throws IOException {
        selector.wakeup();
        return selector.select();
    }
}
