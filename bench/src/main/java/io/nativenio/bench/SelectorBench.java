package io.nativenio.bench;

import java.io.IOException;
import java.nio.channels.Pipe;
import java.nio.channels.Selector;
import java.nio.channels.spi.SelectorProvider;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.TearDown;

/**
 * The selector's hot paths on both providers, in one run: an idle selectNow over many keys and wakeup()
 * followed by the select it ends, on one thread. ReadyKeysBench has the selects that find keys ready.
 */
public class SelectorBench extends ProviderBench {
    @Param({"100"})
    public int pipes;

    private Selector selector;
    private Pipe[] idle;

    @Setup(Level.Trial)
    public void setUp() throws Exception {
        SelectorProvider p = provider();
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
