package io.nativenio.bench;

import java.nio.ByteBuffer;
import org.openjdk.jmh.annotations.Param;

/** The benchmarks that write {@code size} bytes from {@code out} and read them into {@code in}, heap or direct. */
public abstract class BufferBench extends ProviderBench {
    @Param({"64", "8192"})
    public int size;

    @Param({"heap", "direct"})
    public String buffer;

    ByteBuffer out;
    ByteBuffer in;

    /** Allocates {@code out} and {@code in} as the parameters say; called by each subclass's setup. */
    void allocateBuffers() {
        boolean direct = buffer.equals("direct");
        out = direct ? ByteBuffer.allocateDirect(size) : ByteBuffer.allocate(size);
        in = direct ? ByteBuffer.allocateDirect(size) : ByteBuffer.allocate(size);
    }
}
