package io.nativenio.bench;

import java.io.IOException;
import java.nio.channels.Pipe;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.TearDown;

/** One write and one read of {@code size} bytes through a blocking pipe, heap and direct buffers. */
public class PipeBench extends BufferBench {
    private Pipe pipe;

    @Setup(Level.Trial)
    public void setUp() throws Exception {
        pipe = provider().openPipe();
        allocateBuffers();
    }

    @TearDown(Level.Trial)
    public void tearDown() throws IOException {
        pipe.sink().close();
        pipe.source().close();
    }

    @Benchmark
    public int writeRead() throws IOException {
        out.clear();
        in.clear();
        pipe.sink().write(out);
        int n = 0;
        while (n < size) {
            n += pipe.source().read(in);
        }
        return n;
    }
}
