package io.nativenio.bench;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.Pipe;
import java.nio.channels.spi.SelectorProvider;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.TearDown;

/** One write and one read of {@code size} bytes through a blocking pipe, heap and direct buffers. */
public class PipeBench extends ProviderBench {
    @Param({"64", "8192"})
    public int size;

    @Param({"heap", "direct"})
    public String buffer;

    private Pipe pipe;
    private ByteBuffer out;
    private ByteBuffer in;

    @Setup(Level.Trial)
    public void setUp() throws Exception {
        SelectorProvider p = provider();
        pipe = p.openPipe();
        boolean direct = buffer.equals("direct");
        out = direct ? ByteBuffer.allocateDirect(size) : ByteBuffer.allocate(size);
        in = direct ? ByteBuffer.allocateDirect(size) : ByteBuffer.allocate(size);
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
