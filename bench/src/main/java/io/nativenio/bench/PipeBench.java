package io.nativenio.bench;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.Pipe;
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

/** One write and one read of {@code size} bytes through a blocking pipe, heap and direct buffers. */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = "--add-exports=java.base/sun.nio.ch=ALL-UNNAMED")
public class PipeBench {
    @Param({"jdk", "nativenio"})
    public String provider;

    @Param({"64", "8192"})
    public int size;

    @Param({"heap", "direct"})
    public String buffer;

    private Pipe pipe;
    private ByteBuffer out;
    private ByteBuffer in;

    @Setup(Level.Trial)
    public void setUp() throws Exception {
        SelectorProvider p = Providers.of(provider);
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
