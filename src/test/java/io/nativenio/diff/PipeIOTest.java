package io.nativenio.diff;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.Pipe;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.spi.SelectorProvider;
import java.security.MessageDigest;
import java.util.Random;

/** Pipe reads and writes (behaviours.md#pipe-channels, behaviours.md#reads-and-writes). */
class PipeIOTest {

    private static ByteBuffer buffer(boolean direct, int capacity) {
        return direct ? ByteBuffer.allocateDirect(capacity) : ByteBuffer.allocate(capacity);
    }

    private static byte[] bytes(int n, int seed) {
        byte[] b = new byte[n];
        new Random(seed).nextBytes(b);
        return b;
    }

    // A non-blocking write to a full pipe returns 0, for single and gathering writes
    // (behaviours.md#readiness-per-channel-type).
    @DiffTest
    void nonBlockingWriteToFullPipe(SelectorProvider provider) throws Exception {
        try (PipeFixture f = new PipeFixture(provider)) {
            f.sink.configureBlocking(false);
            ByteBuffer b = ByteBuffer.allocateDirect(4096);
            long total = 0;
            int n;
            while ((n = f.sink.write(b.clear())) > 0) {
                total += n;
            }
            assertEquals(0, n);
            assertTrue(total >= 4096);
            assertEquals(0, f.sink.write(ByteBuffer.allocate(10)));
            assertEquals(0, f.sink.write(new ByteBuffer[] {ByteBuffer.allocate(10), ByteBuffer.allocateDirect(10)}));
            SelectionKey k = f.sink.register(f.sel, SelectionKey.OP_WRITE);
            assertEquals(0, f.sel.selectNow());
            // drain; the sink becomes writable again
            ByteBuffer in = ByteBuffer.allocate(1 << 20);
            long read = 0;
            while (read < total) {
                read += f.src.read(in.clear());
            }
            assertEquals(total, read);
            assertEquals(1, f.sel.selectNow());
            assertTrue(k.isWritable());
        }
    }

    // source() and sink() return the same objects; both ends start blocking and open.
    @DiffTest
    void sameObjects(SelectorProvider provider) throws Exception {
        Pipe p = provider.openPipe();
        try (Pipe.SourceChannel src = p.source(); Pipe.SinkChannel sink = p.sink()) {
            assertSame(src, p.source());
            assertSame(sink, p.sink());
            assertSame(provider, src.provider());
            assertSame(provider, sink.provider());
            try (Selector sel = provider.openSelector()) {
                assertSame(provider, sel.provider());
            }
            assertTrue(src.isBlocking() && sink.isBlocking());
            assertTrue(src.isOpen() && sink.isOpen());
        }
    }

    // Heap and direct buffers, at several positions and limits, blocking and non-blocking.
    @DiffTest
    void readWriteBufferKinds(SelectorProvider provider) throws Exception {
        Pipe p = provider.openPipe();
        try (Pipe.SourceChannel src = p.source(); Pipe.SinkChannel sink = p.sink()) {
            int seed = 0;
            for (boolean blocking : new boolean[] {true, false}) {
                src.configureBlocking(blocking);
                sink.configureBlocking(blocking);
                for (boolean directOut : new boolean[] {false, true}) {
                    for (boolean directIn : new boolean[] {false, true}) {
                        for (int[] pl : new int[][] {{0, 100}, {3, 100}, {17, 40}, {99, 100}, {0, 1}}) {
                            byte[] data = bytes(100, seed++);
                            ByteBuffer out = buffer(directOut, 100);
                            out.put(data).position(pl[0]).limit(pl[1]);
                            int len = pl[1] - pl[0];
                            assertEquals(len, sink.write(out));
                            assertEquals(pl[1], out.position());
                            assertEquals(pl[1], out.limit());

                            ByteBuffer in = buffer(directIn, 200);
                            in.position(50).limit(50 + len + 10);
                            int got = src.read(in);
                            assertEquals(len, got);
                            assertEquals(50 + len, in.position());
                            byte[] back = new byte[len];
                            in.position(50);
                            in.get(back);
                            byte[] expected = new byte[len];
                            System.arraycopy(data, pl[0], expected, 0, len);
                            assertArrayEquals(expected, back);
                        }
                    }
                }
            }
        }
    }

    // An empty buffer reads 0 and writes 0, in both modes; a non-blocking read with nothing returns 0.
    @DiffTest
    void emptyBuffersAndNothingAvailable(SelectorProvider provider) throws Exception {
        Pipe p = provider.openPipe();
        try (Pipe.SourceChannel src = p.source(); Pipe.SinkChannel sink = p.sink()) {
            for (boolean direct : new boolean[] {false, true}) {
                assertEquals(0, src.read(buffer(direct, 0)));
                assertEquals(0, src.read(buffer(direct, 10).position(10)));
                assertEquals(0, sink.write(buffer(direct, 0)));
                assertEquals(0, src.read(new ByteBuffer[] {buffer(direct, 0), buffer(direct, 5).position(5)}));
                assertEquals(0, sink.write(new ByteBuffer[] {buffer(direct, 0)}));
                assertEquals(0, src.read(new ByteBuffer[0]));
                assertEquals(0, sink.write(new ByteBuffer[0]));
            }
            src.configureBlocking(false);
            assertEquals(0, src.read(ByteBuffer.allocate(10)));
            assertEquals(0, src.read(ByteBuffer.allocateDirect(10)));
            assertEquals(0, src.read(new ByteBuffer[] {ByteBuffer.allocate(3), ByteBuffer.allocateDirect(3)}));
        }
    }

    // A read-only buffer throws IllegalArgumentException("Read-only buffer"), also inside an array.
    @DiffTest
    void readOnlyBuffer(SelectorProvider provider) throws Exception {
        Pipe p = provider.openPipe();
        try (Pipe.SourceChannel src = p.source(); Pipe.SinkChannel sink = p.sink()) {
            sink.write(ByteBuffer.wrap(new byte[] {1, 2, 3}));
            for (ByteBuffer ro : new ByteBuffer[] {ByteBuffer.allocate(4).asReadOnlyBuffer(),
                    ByteBuffer.allocateDirect(4).asReadOnlyBuffer()}) {
                assertEquals("Read-only buffer",
                        assertThrows(IllegalArgumentException.class, () -> src.read(ro)).getMessage());
                assertEquals("Read-only buffer", assertThrows(IllegalArgumentException.class,
                        () -> src.read(new ByteBuffer[] {ByteBuffer.allocate(1), ro})).getMessage());
                assertEquals("Read-only buffer", assertThrows(IllegalArgumentException.class,
                        () -> src.read(new ByteBuffer[] {ro, ByteBuffer.allocate(1)}, 0, 2)).getMessage());
            }
            // nothing was consumed; a read-only buffer can be written from
            ByteBuffer b = ByteBuffer.allocate(3);
            assertEquals(3, src.read(b));
            assertEquals(2, sink.write(ByteBuffer.wrap(new byte[] {4, 5}).asReadOnlyBuffer()));
            assertEquals(2, src.read(ByteBuffer.allocate(5)));
        }
    }

    // EOF returns -1 once the sink is closed and the data is read, in both modes.
    @DiffTest
    void eofAfterSinkClosed(SelectorProvider provider) throws Exception {
        for (boolean blocking : new boolean[] {true, false}) {
            Pipe p = provider.openPipe();
            try (Pipe.SourceChannel src = p.source(); Pipe.SinkChannel sink = p.sink()) {
                src.configureBlocking(blocking);
                sink.write(ByteBuffer.wrap(new byte[] {1, 2}));
                sink.close();
                ByteBuffer b = ByteBuffer.allocate(10);
                assertEquals(2, src.read(b));
                assertEquals(-1, src.read(b));
                assertEquals(-1, src.read(ByteBuffer.allocateDirect(1)));
                assertEquals(-1, src.read(new ByteBuffer[] {ByteBuffer.allocate(1)}));
                assertEquals(0, src.read(ByteBuffer.allocate(0)), "an empty buffer reads 0 even at EOF");
            }
        }
    }

    // A write after the source is closed throws IOException("Broken pipe") and raises no SIGPIPE.
    @DiffTest
    void writeAfterSourceClosed(SelectorProvider provider) throws Exception {
        for (boolean blocking : new boolean[] {true, false}) {
            Pipe p = provider.openPipe();
            try (Pipe.SinkChannel sink = p.sink()) {
                sink.configureBlocking(blocking);
                p.source().close();
                for (ByteBuffer b : new ByteBuffer[] {ByteBuffer.allocate(5), ByteBuffer.allocateDirect(5)}) {
                    IOException e = assertThrows(IOException.class, () -> sink.write(b));
                    assertEquals(IOException.class, e.getClass());
                    assertEquals("Broken pipe", e.getMessage());
                    assertEquals(0, b.position());
                }
                IOException e = assertThrows(IOException.class,
                        () -> sink.write(new ByteBuffer[] {ByteBuffer.allocate(5)}));
                assertEquals("Broken pipe", e.getMessage());
                assertTrue(sink.isOpen(), "the channel stays open");
            }
        }
    }

    // scatter/gather across heap and direct buffers, with offset and length.
    @DiffTest
    void scatterGather(SelectorProvider provider) throws Exception {
        Pipe p = provider.openPipe();
        try (Pipe.SourceChannel src = p.source(); Pipe.SinkChannel sink = p.sink()) {
            byte[] data = bytes(60, 42);
            ByteBuffer[] out = {ByteBuffer.allocate(5), ByteBuffer.wrap(data, 0, 20), ByteBuffer.allocateDirect(40),
                ByteBuffer.allocate(0), ByteBuffer.wrap(data, 50, 10), ByteBuffer.allocate(7)};
            out[2].put(data, 20, 30).flip();
            assertEquals(60, sink.write(out, 1, 4));
            assertEquals(0, out[1].remaining());
            assertEquals(0, out[2].remaining());
            assertEquals(0, out[4].remaining());
            assertEquals(5, out[0].remaining());
            assertEquals(7, out[5].remaining());

            ByteBuffer[] in = {ByteBuffer.allocate(100), ByteBuffer.allocateDirect(25), ByteBuffer.allocate(0),
                ByteBuffer.allocate(30).position(10), ByteBuffer.allocateDirect(100)};
            assertEquals(60, src.read(in, 1, 4));
            assertEquals(0, in[0].position());
            assertEquals(25, in[1].position());
            assertEquals(30, in[3].position());
            assertEquals(15, in[4].position());
            byte[] back = new byte[60];
            in[1].flip().get(back, 0, 25);
            in[3].position(10);
            in[3].get(back, 25, 20);
            in[4].flip().get(back, 45, 15);
            assertArrayEquals(data, back);
        }
    }

    // offset/length are checked with IndexOutOfBoundsException; null arrays and elements give NPE.
    @DiffTest
    void scatterGatherBounds(SelectorProvider provider) throws Exception {
        Pipe p = provider.openPipe();
        try (Pipe.SourceChannel src = p.source(); Pipe.SinkChannel sink = p.sink()) {
            ByteBuffer[] bufs = {ByteBuffer.allocate(1), ByteBuffer.allocate(1)};
            int[][] bad = {{-1, 1}, {0, 3}, {1, 2}, {3, 0}, {0, -1}, {Integer.MAX_VALUE, 1}};
            for (int[] b : bad) {
                assertThrows(IndexOutOfBoundsException.class, () -> src.read(bufs, b[0], b[1]));
                assertThrows(IndexOutOfBoundsException.class, () -> sink.write(bufs, b[0], b[1]));
            }
            assertEquals(0, src.read(bufs, 2, 0));
            assertEquals(0, sink.write(bufs, 2, 0));
            assertThrows(NullPointerException.class, () -> src.read((ByteBuffer) null));
            assertThrows(NullPointerException.class, () -> sink.write((ByteBuffer) null));
            assertThrows(NullPointerException.class, () -> src.read((ByteBuffer[]) null));
            assertThrows(NullPointerException.class, () -> sink.write((ByteBuffer[]) null));
            assertThrows(NullPointerException.class, () -> sink.write(new ByteBuffer[] {null}));
            assertThrows(NullPointerException.class, () -> src.read(new ByteBuffer[] {null}));
        }
    }

    // More buffers than IOV_MAX: one readv/writev moves at most IOV_MAX buffers (a short transfer).
    @DiffTest
    void moreBuffersThanIovMax(SelectorProvider provider) throws Exception {
        Pipe p = provider.openPipe();
        try (Pipe.SourceChannel src = p.source(); Pipe.SinkChannel sink = p.sink()) {
            int n = 3000;
            ByteBuffer[] out = new ByteBuffer[n];
            for (int i = 0; i < n; i++) {
                out[i] = (i % 2 == 0 ? ByteBuffer.allocate(1) : ByteBuffer.allocateDirect(1)).put(0, (byte) i);
            }
            long written = sink.write(out);
            assertTrue(written > 0 && written <= n);
            assertEquals(1024, written, "IOV_MAX buffers per writev on Linux");
            long total = written;
            while (total < n) {
                total += sink.write(out);
            }
            ByteBuffer[] in = new ByteBuffer[n];
            for (int i = 0; i < n; i++) {
                in[i] = i % 3 == 0 ? ByteBuffer.allocateDirect(1) : ByteBuffer.allocate(1);
            }
            long read = src.read(in);
            assertEquals(1024, read);
            long got = read;
            while (got < n) {
                got += src.read(in);
            }
            for (int i = 0; i < n; i++) {
                assertEquals((byte) i, in[i].get(0), "byte " + i);
            }
        }
    }

    // Several MB from a writer thread to a reader, blocking, with a content check.
    @DiffTest
    void largeBlockingTransfer(SelectorProvider provider) throws Exception {
        Pipe p = provider.openPipe();
        try (Pipe.SourceChannel src = p.source(); Pipe.SinkChannel sink = p.sink()) {
            int total = 8 << 20;
            Async<byte[]> writer = Async.start("writer", () -> {
                MessageDigest md = MessageDigest.getInstance("SHA-256");
                Random r = new Random(7);
                int sent = 0;
                int round = 0;
                while (sent < total) {
                    int len = Math.min(total - sent, 1 + r.nextInt(200_000));
                    byte[] chunk = new byte[len];
                    r.nextBytes(chunk);
                    md.update(chunk);
                    ByteBuffer b = round++ % 2 == 0 ? ByteBuffer.wrap(chunk)
                            : ByteBuffer.allocateDirect(len).put(chunk).flip();
                    while (b.hasRemaining()) {
                        sink.write(b); // a blocking write writes everything
                        assertEquals(0, b.remaining());
                    }
                    sent += len;
                }
                sink.close();
                return md.digest();
            });
            MessageDigest md = MessageDigest.getInstance("SHA-256");
            ByteBuffer heap = ByteBuffer.allocate(70_000);
            ByteBuffer direct = ByteBuffer.allocateDirect(33_333);
            long received = 0;
            int round = 0;
            while (true) {
                ByteBuffer b = round++ % 2 == 0 ? heap.clear() : direct.clear();
                int n = src.read(b);
                if (n < 0) {
                    break;
                }
                assertTrue(n > 0, "a blocking read returns data or EOF");
                b.flip();
                byte[] chunk = new byte[n];
                b.get(chunk);
                md.update(chunk);
                received += n;
            }
            assertEquals(total, received);
            assertArrayEquals(writer.get(), md.digest());
        }
    }

    // Several MB through gathering writes and scattering reads of mixed buffers, blocking.
    @DiffTest
    void largeScatterGatherTransfer(SelectorProvider provider) throws Exception {
        Pipe p = provider.openPipe();
        try (Pipe.SourceChannel src = p.source(); Pipe.SinkChannel sink = p.sink()) {
            byte[] data = bytes(6 << 20, 11);
            Async<Long> writer = Async.start("writer", () -> {
                ByteBuffer whole = ByteBuffer.wrap(data);
                long sent = 0;
                while (whole.hasRemaining()) {
                    ByteBuffer[] bufs = new ByteBuffer[7];
                    for (int i = 0; i < bufs.length; i++) {
                        int len = Math.min(whole.remaining(), 1 + i * 9_000);
                        ByteBuffer part = whole.slice().limit(len);
                        bufs[i] = i % 2 == 0 ? part : ByteBuffer.allocateDirect(len).put(part.duplicate()).flip();
                        whole.position(whole.position() + len);
                    }
                    long n = sink.write(bufs);
                    for (ByteBuffer b : bufs) {
                        assertEquals(0, b.remaining(), "a blocking gathering write writes everything");
                    }
                    sent += n;
                }
                sink.close();
                return sent;
            });
            ByteBuffer back = ByteBuffer.allocate(data.length + 1);
            ByteBuffer[] in = new ByteBuffer[5];
            ByteBuffer direct = ByteBuffer.allocateDirect(50_000);
            while (true) {
                int room = back.remaining();
                in[0] = back.slice().limit(Math.min(room, 1000));
                in[1] = direct.clear().limit(Math.min(Math.max(room - 1000, 0), 50_000));
                in[2] = ByteBuffer.allocate(0);
                in[3] = back.slice().position(in[0].limit() + in[1].limit()).slice();
                in[3].limit(Math.min(in[3].limit(), 3000));
                in[4] = ByteBuffer.allocate(1);
                long n = src.read(in);
                if (n < 0) {
                    break;
                }
                // put the parts back in order into `back`
                int pos = back.position();
                back.put(in[0].flip());
                back.put(direct.flip());
                int afterDirect = back.position();
                in[3].flip();
                byte[] rest = new byte[in[3].remaining()];
                in[3].get(rest);
                back.position(afterDirect).put(rest);
                back.put(in[4].flip());
                assertEquals(n, back.position() - pos);
            }
            assertEquals(data.length, writer.get());
            assertEquals(data.length, back.position());
            assertArrayEquals(data, java.util.Arrays.copyOf(back.array(), data.length));
        }
    }

    // Channels.newInputStream/newOutputStream over a blocking pipe.
    @DiffTest
    void streams(SelectorProvider provider) throws Exception {
        Pipe p = provider.openPipe();
        try (java.io.InputStream in = java.nio.channels.Channels.newInputStream(p.source());
                java.io.OutputStream out = java.nio.channels.Channels.newOutputStream(p.sink())) {
            out.write(new byte[] {1, 2, 3});
            out.write(4);
            byte[] b = new byte[4];
            assertEquals(4, in.readNBytes(b, 0, 4));
            assertArrayEquals(new byte[] {1, 2, 3, 4}, b);
            out.close();
            assertEquals(-1, in.read());
        }
    }

    // Several MB through non-blocking ends driven by one selector, with a content check
    // (behaviours.md#readiness-per-channel-type).
    @DiffTest
    void largeSelectorDrivenTransfer(SelectorProvider provider) throws Exception {
        try (PipeFixture f = new PipeFixture(provider)) {
            SelectionKey rk = f.registerSource(SelectionKey.OP_READ);
            SelectionKey wk = f.registerSink(SelectionKey.OP_WRITE);
            byte[] data = bytes(4 << 20, 3);
            ByteBuffer out = ByteBuffer.wrap(data);
            ByteBuffer in = ByteBuffer.allocateDirect(data.length);
            while (in.hasRemaining()) {
                f.sel.select(1000);
                for (SelectionKey k : f.sel.selectedKeys()) {
                    if (k == wk && k.isWritable()) {
                        ByteBuffer slice = out.duplicate().limit(Math.min(out.limit(), out.position() + 100_000));
                        int n = f.sink.write(slice);
                        out.position(out.position() + n);
                        if (!out.hasRemaining()) {
                            wk.interestOps(0);
                        }
                    } else if (k == rk && k.isReadable()) {
                        assertTrue(f.src.read(in) >= 0);
                    }
                }
                f.sel.selectedKeys().clear();
            }
            byte[] back = new byte[data.length];
            in.flip().get(back);
            assertArrayEquals(data, back);
            assertEquals(0, f.src.read(ByteBuffer.allocate(1)));
        }
    }
}
