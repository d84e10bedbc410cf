package io.nativenio.bench;

import java.io.IOException;
import java.nio.channels.Pipe;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.spi.SelectorProvider;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.TearDown;

/**
 * The key-update paths over {@code channels} idle pipe sources on one selector (ns per operation, each
 * operation touching every key):
 * {@code interestToggle} sets every key's interest to 0 or back to OP_READ, then one selectNow applies the
 * changes; {@code registerCancel} registers every channel, selectNow (the registrations reach the kernel),
 * cancels every key, selectNow (the flush that deregisters them).
 */
public class KeyChurnBench extends ProviderBench {
    @Param({"1000"})
    public int channels;

    private Selector toggled;
    private Pipe[] toggledPipes;
    private SelectionKey[] keys;
    private int interest;
    private Selector churned;
    private Pipe[] churnedPipes;
    private SelectionKey[] churnedKeys;

    @Setup(Level.Trial)
    public void setUp() throws Exception {
        SelectorProvider p = provider();
        toggled = p.openSelector();
        toggledPipes = Pipes.open(p, toggled, channels, false);
        keys = toggled.keys().toArray(new SelectionKey[0]);
        interest = SelectionKey.OP_READ;
        churned = p.openSelector();
        // Registered once with a scratch selector only to get non-blocking sources.
        try (Selector scratch = p.openSelector()) {
            churnedPipes = Pipes.open(p, scratch, channels, false);
        }
        churnedKeys = new SelectionKey[channels];
    }

    @TearDown(Level.Trial)
    public void tearDown() throws IOException {
        Pipes.close(toggledPipes);
        Pipes.close(churnedPipes);
        toggled.close();
        churned.close();
    }

    @Benchmark
    public int interestToggle() throws IOException {
        interest ^= SelectionKey.OP_READ;
        for (SelectionKey k : keys) {
            k.interestOps(interest);
        }
        return toggled.selectNow();
    }

    @Benchmark
    public int registerCancel() throws IOException {
        for (int i = 0; i < churnedPipes.length; i++) {
            churnedKeys[i] = churnedPipes[i].source().register(churned, SelectionKey.OP_READ);
        }
        int n = churned.selectNow();
        for (SelectionKey k : churnedKeys) {
            k.cancel();
        }
        return n + churned.selectNow();
    }
}
