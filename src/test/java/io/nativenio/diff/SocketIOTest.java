package io.nativenio.diff;

import static io.nativenio.diff.Tcp.expect;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.SocketException;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.nio.channels.spi.SelectorProvider;
import java.util.Arrays;
import java.util.zip.CRC32;

/** SocketChannel read and write (behaviours.md#reads-and-writes-run-concurrently, behaviours.md#reads-and-writes). */
class SocketIOTest {

    private static ByteBuffer buffer(int kind, int capacity) {
        switch (kind) {
            case 0:
                return ByteBuffer.allocate(capacity);
            case 1:
                return ByteBuffer.allocateDirect(capacity);
            case 2: // a heap slice with a non-zero array offset
                return ByteBuffer.allocate(capacity + 7).position(7).slice();
            default: // a direct slice
                return ByteBuffer.allocateDirect(capacity + 5).position(5).slice();
        }
    }

    // Heap, direct and sliced buffers at non-zero positions and limits: only [position, limit) moves.
    @DiffTest
    void buffersAtPositionsAndLimits(SelectorProvider provider) throws Exception {
        try (Tcp.Conn conn = Tcp.pair(provider)) {
            for (int kind = 0; kind < 4; kind++) {
                ByteBuffer src = buffer(kind, 32);
                for (int i = 0; i < 32; i++) {
                    src.put(i, (byte) (i + 1));
                }
                src.position(3).limit(20);
                assertEquals(17, conn.client.write(src));
                assertEquals(20, src.position());
                assertEquals(20, src.limit());
                ByteBuffer dst = buffer(kind, 40);
                dst.position(5).limit(22);
                while (dst.hasRemaining()) {
                    assertTrue(conn.peer.read(dst) > 0);
                }
                assertEquals(22, dst.position());
                dst.limit(40);
                for (int i = 0; i < 40; i++) {
                    byte expected = i >= 5 && i < 22 ? (byte) (i - 5 + 4) : 0;
                    assertEquals(expected, dst.get(i), "kind " + kind + " byte " + i);
                }
            }
        }
    }

    // A read-only destination throws IAE("Read-only buffer"), also inside an array, and consumes nothing;
    // a read-only source is fine.
    @DiffTest
    void readOnlyBuffers(SelectorProvider provider) throws Exception {
        try (Tcp.Conn conn = Tcp.pair(provider)) {
            assertEquals(3, conn.client.write(ByteBuffer.wrap(new byte[] {1, 2, 3}).asReadOnlyBuffer()));
            ByteBuffer ro = ByteBuffer.allocate(8).asReadOnlyBuffer();
            expect(IllegalArgumentException.class, "Read-only buffer", () -> conn.peer.read(ro));
            expect(IllegalArgumentException.class, "Read-only buffer",
                    () -> conn.peer.read(ByteBuffer.allocateDirect(8).asReadOnlyBuffer()));
            expect(IllegalArgumentException.class, "Read-only buffer",
                    () -> conn.peer.read(ByteBuffer.allocate(0).asReadOnlyBuffer()));
            ByteBuffer ok = ByteBuffer.allocate(8);
            expect(IllegalArgumentException.class, "Read-only buffer", () -> conn.peer.read(new ByteBuffer[] {ok, ro}));
            expect(IllegalArgumentException.class, "Read-only buffer",
                    () -> conn.peer.read(new ByteBuffer[] {ok, ro}, 0, 2));
            assertEquals(0, ok.position(), "nothing read into the writable buffer");
            assertEquals(0, ro.position());
            conn.peer.configureBlocking(false);
            expect(IllegalArgumentException.class, "Read-only buffer", () -> conn.peer.read(ro));
            conn.peer.configureBlocking(true);
            assertArrayEquals(new byte[] {1, 2, 3}, Tcp.readFully(conn.peer, 3), "the data is still there");
            // a read-only buffer outside [offset, offset+length) is not checked
            conn.client.write(ByteBuffer.wrap(new byte[] {4}));
            assertEquals(1, conn.peer.read(new ByteBuffer[] {ro, ok}, 1, 1));
            assertEquals(4, ok.get(0));
        }
    }

    // An empty buffer reads and writes 0 at once, even in blocking mode with nothing to read.
    @DiffTest
    void emptyBuffers(SelectorProvider provider) throws Exception {
        try (Tcp.Conn conn = Tcp.pair(provider)) {
            assertEquals(0, conn.client.read(ByteBuffer.allocate(0)));
            assertEquals(0, conn.client.read(ByteBuffer.allocateDirect(10).position(10)));
            assertEquals(0, conn.client.read(new ByteBuffer[0]));
            assertEquals(0, conn.client.read(new ByteBuffer[] {ByteBuffer.allocate(0), ByteBuffer.allocateDirect(0)}));
            assertEquals(0, conn.client.read(new ByteBuffer[] {ByteBuffer.allocate(4)}, 1, 0));
            assertEquals(0, conn.client.write(ByteBuffer.allocate(0)));
            assertEquals(0, conn.client.write(new ByteBuffer[] {ByteBuffer.allocate(0)}));
            assertEquals(0, conn.client.write(new ByteBuffer[0]));
            conn.client.configureBlocking(false);
            assertEquals(0, conn.client.read(ByteBuffer.allocate(10)), "non-blocking read with nothing: 0");
            assertEquals(0, conn.client.read(new ByteBuffer[] {ByteBuffer.allocate(3), ByteBuffer.allocateDirect(3)}));
            assertEquals(0, conn.client.read(ByteBuffer.allocate(0)));
        }
    }

    // EOF is -1, every time, for single and scattering reads, blocking or not.
    @DiffTest
    void endOfStream(SelectorProvider provider) throws Exception {
        try (Tcp.Conn conn = Tcp.pair(provider)) {
            conn.peer.write(ByteBuffer.wrap(new byte[] {9}));
            conn.peer.shutdownOutput();
            ByteBuffer b = ByteBuffer.allocate(10);
            assertEquals(1, conn.client.read(b));
            assertEquals(-1, conn.client.read(b));
            assertEquals(-1, conn.client.read(ByteBuffer.allocateDirect(10)));
            assertEquals(-1, conn.client.read(new ByteBuffer[] {ByteBuffer.allocate(2), ByteBuffer.allocate(2)}));
            assertEquals(0, conn.client.read(ByteBuffer.allocate(0)), "an empty buffer still reads 0 at EOF");
            conn.client.configureBlocking(false);
            assertEquals(-1, conn.client.read(b));
            // the other direction still works (half-close)
            conn.client.write(ByteBuffer.wrap(new byte[] {5}));
            assertEquals(5, Tcp.readFully(conn.peer, 1)[0]);
        }
    }

    // gathering and scattering I/O across heap, direct and sliced buffers, with offset and length.
    @DiffTest
    void scatterGather(SelectorProvider provider) throws Exception {
        try (Tcp.Conn conn = Tcp.pair(provider)) {
            ByteBuffer[] src = {ByteBuffer.wrap("xx".getBytes()), ByteBuffer.wrap("ab".getBytes()),
                ByteBuffer.allocateDirect(3).put("cde".getBytes()).flip(), buffer(2, 4).put("fghi".getBytes()).flip(),
                ByteBuffer.wrap("yy".getBytes())};
            src[3].position(1);
            assertEquals(8L, conn.client.write(src, 1, 3));
            assertEquals(0, src[0].position());
            assertFalse(src[1].hasRemaining() || src[2].hasRemaining() || src[3].hasRemaining());
            assertEquals(0, src[4].position());
            ByteBuffer[] dst = {ByteBuffer.allocate(1), ByteBuffer.allocate(3), ByteBuffer.allocateDirect(2),
                buffer(3, 10), ByteBuffer.allocate(5)};
            long total = 0;
            while (total < 8) {
                long n = conn.peer.read(dst, 1, 3);
                assertTrue(n > 0);
                total += n;
            }
            assertEquals(8, total);
            assertEquals(0, dst[0].position());
            assertEquals(0, dst[4].position());
            byte[] got = new byte[8];
            int i = 0;
            for (int d = 1; d <= 3; d++) {
                dst[d].flip();
                while (dst[d].hasRemaining()) {
                    got[i++] = dst[d].get();
                }
            }
            assertEquals("abcdeghi", new String(got));
            assertEquals(3, dst[3].limit(), "filled in order: the last buffer got 3");
        }
    }

    // Bad offset/length throw IndexOutOfBoundsException (Objects.checkFromIndexSize) and move nothing.
    @DiffTest
    void scatterGatherBounds(SelectorProvider provider) throws Exception {
        try (Tcp.Conn conn = Tcp.pair(provider)) {
            ByteBuffer[] two = {ByteBuffer.allocate(2), ByteBuffer.allocate(2)};
            expect(IndexOutOfBoundsException.class, "Range [3, 3 + 0) out of bounds for length 2",
                    () -> conn.client.read(two, 3, 0));
            expect(IndexOutOfBoundsException.class, "Range [1, 1 + 2) out of bounds for length 2",
                    () -> conn.client.read(two, 1, 2));
            expect(IndexOutOfBoundsException.class, "Range [-1, -1 + 1) out of bounds for length 2",
                    () -> conn.client.read(two, -1, 1));
            expect(IndexOutOfBoundsException.class, "Range [0, 0 + -1) out of bounds for length 2",
                    () -> conn.client.read(two, 0, -1));
            expect(IndexOutOfBoundsException.class, "Range [3, 3 + 0) out of bounds for length 2",
                    () -> conn.client.write(two, 3, 0));
            expect(IndexOutOfBoundsException.class, "Range [2, 2 + 1) out of bounds for length 2",
                    () -> conn.client.write(two, 2, 1));
            expect(IndexOutOfBoundsException.class, "Range [0, 0 + -1) out of bounds for length 2",
                    () -> conn.client.write(two, 0, -1));
            assertEquals(0, two[0].position());
            assertEquals(0L, conn.client.read(two, 2, 0), "an empty range at the end is legal");
            assertEquals(0L, conn.client.write(two, 2, 0));
            assertTrue(conn.client.isOpen());
        }
    }

    // A blocking write loops until the buffer is empty; several MB with a checksum, blocking both ways.
    @DiffTest
    void largeBlockingTransfer(SelectorProvider provider) throws Exception {
        byte[] data = Tcp.random(8 << 20, 35);
        for (boolean direct : new boolean[] {false, true}) {
            try (Tcp.Conn conn = Tcp.pair(provider)) {
                Async<Integer> writer = Async.start("writer", () -> {
                    ByteBuffer b = direct ? ByteBuffer.allocateDirect(data.length).put(data).flip() : ByteBuffer.wrap(data);
                    int n = conn.client.write(b);
                    conn.client.shutdownOutput();
                    return n;
                });
                ByteBuffer in = direct ? ByteBuffer.allocateDirect(100_000) : ByteBuffer.allocate(77_777);
                CRC32 crc = new CRC32();
                long total = 0;
                int n;
                while ((n = conn.peer.read(in.clear())) >= 0) {
                    in.flip();
                    crc.update(in);
                    total += n;
                }
                assertEquals(data.length, writer.get(), "one blocking write sends everything");
                assertEquals(data.length, total);
                assertEquals(Tcp.crc(data), crc.getValue());
            }
        }
    }

    // non-blocking writes are short when the socket buffer fills, for single and gathering writes.
    @DiffTest
    void shortNonBlockingWrites(SelectorProvider provider) throws Exception {
        try (Tcp.Conn conn = Tcp.pair(provider)) {
            conn.client.configureBlocking(false);
            ByteBuffer big = ByteBuffer.allocate(16 << 20);
            int n = conn.client.write(big);
            assertTrue(n > 0 && n < big.capacity(), "short write: " + n);
            assertEquals(n, big.position());
            ByteBuffer[] many = new ByteBuffer[16];
            for (int i = 0; i < many.length; i++) {
                many[i] = i % 2 == 0 ? ByteBuffer.allocate(1 << 20) : ByteBuffer.allocateDirect(1 << 20);
            }
            long total = 0;
            long m;
            while ((m = conn.client.write(many)) > 0) {
                total += m;
            }
            assertEquals(0L, m, "a full socket buffer writes 0");
            // Loopback keeps delivering and acknowledging what was queued, so room can open again
            // between two writes: write small buffers until the socket is full once more.
            int r;
            do {
                ByteBuffer small = ByteBuffer.allocate(100);
                r = conn.client.write(small);
                assertEquals(r, small.position());
            } while (r > 0);
            long positions = Arrays.stream(many).mapToLong(ByteBuffer::position).sum();
            assertEquals(total, positions, "the buffers' positions account for every byte written");
            assertTrue(total < 16L << 20);
        }
    }

    // Several MB each way at once, both ends non-blocking, driven by one selector; checksums match.
    @DiffTest
    void largeNonBlockingTransferWithSelector(SelectorProvider provider) throws Exception {
        byte[] up = Tcp.random(6 << 20, 1);
        byte[] down = Tcp.random(5 << 20, 2);
        try (Tcp.Conn conn = Tcp.pair(provider); Selector sel = provider.openSelector()) {
            conn.client.configureBlocking(false);
            conn.peer.configureBlocking(false);
            class End {
                final SocketChannel ch;
                final ByteBuffer out;
                final ByteBuffer in;
                final CRC32 crc = new CRC32();
                long received;
                int shortWrites;
                boolean eof;

                End(SocketChannel ch, byte[] send, int direct) {
                    this.ch = ch;
                    this.out = direct == 1 ? ByteBuffer.allocateDirect(send.length).put(send).flip() : ByteBuffer.wrap(send);
                    this.in = direct == 1 ? ByteBuffer.allocate(50_000) : ByteBuffer.allocateDirect(64 << 10);
                }
            }
            End a = new End(conn.client, up, 0);
            End b = new End(conn.peer, down, 1);
            conn.client.register(sel, SelectionKey.OP_READ | SelectionKey.OP_WRITE, a);
            conn.peer.register(sel, SelectionKey.OP_READ | SelectionKey.OP_WRITE, b);
            while (!(a.eof && b.eof)) {
                assertTrue(sel.select(10_000) > 0, "progress within 10 s");
                for (SelectionKey k : sel.selectedKeys()) {
                    End e = (End) k.attachment();
                    if (k.isValid() && k.isWritable()) {
                        int before = e.out.remaining();
                        int n = e.ch.write(e.out);
                        if (n < before) {
                            e.shortWrites++;
                        }
                        if (!e.out.hasRemaining()) {
                            e.ch.shutdownOutput();
                            k.interestOps(k.interestOps() & ~SelectionKey.OP_WRITE);
                        }
                    }
                    if (k.isValid() && k.isReadable()) {
                        int n = e.ch.read(e.in.clear());
                        if (n < 0) {
                            e.eof = true;
                            k.interestOps(k.interestOps() & ~SelectionKey.OP_READ);
                        } else {
                            e.in.flip();
                            e.crc.update(e.in);
                            e.received += n;
                        }
                    }
                }
                sel.selectedKeys().clear();
            }
            assertEquals(down.length, a.received);
            assertEquals(up.length, b.received);
            assertEquals(Tcp.crc(down), a.crc.getValue());
            assertEquals(Tcp.crc(up), b.crc.getValue());
            assertTrue(a.shortWrites > 0 && b.shortWrites > 0, "several MB cannot go in one non-blocking write");
        }
    }

    // A read and a write run concurrently in different threads (separate read and write locks).
    @DiffTest
    void readAndWriteConcurrently(SelectorProvider provider) throws Exception {
        try (Tcp.Conn conn = Tcp.pair(provider)) {
            Async<Integer> reader = Async.start("reader", () -> conn.client.read(ByteBuffer.allocate(10)));
            Providers.awaitBlockedIn(reader.thread, Tcp.BLOCKING);
            assertEquals(3, conn.client.write(ByteBuffer.wrap(new byte[] {1, 2, 3})), "write while a read is blocked");
            assertArrayEquals(new byte[] {1, 2, 3}, Tcp.readFully(conn.peer, 3));
            conn.peer.write(ByteBuffer.wrap(new byte[] {4, 5}));
            assertEquals(2, reader.get());
        }
    }

    // After a RST, every read throws SocketException("Connection reset") (sticky), blocking or
    // not, single or scattering; the channel stays open; writes then fail with IOException("Broken pipe").
    @DiffTest
    void connectionResetIsStickyForReads(SelectorProvider provider) throws Exception {
        try (Tcp.Conn conn = Tcp.pair(provider)) {
            Tcp.abort(conn.peer);
            Tcp.awaitReadable(provider, conn.client);
            for (int i = 0; i < 3; i++) {
                expect(SocketException.class, "Connection reset", () -> conn.client.read(ByteBuffer.allocate(10)));
            }
            expect(SocketException.class, "Connection reset", () -> conn.client.read(ByteBuffer.allocateDirect(10)));
            expect(SocketException.class, "Connection reset", () -> conn.client.read(new ByteBuffer[] {ByteBuffer.allocate(1)}));
            expect(SocketException.class, "Connection reset", () -> conn.client.read(ByteBuffer.allocate(0)));
            conn.client.configureBlocking(false);
            expect(SocketException.class, "Connection reset", () -> conn.client.read(ByteBuffer.allocate(10)));
            assertTrue(conn.client.isOpen(), "a reset does not close the channel");
            assertTrue(conn.client.isConnected());
            expect(IOException.class, "Broken pipe", () -> conn.client.write(ByteBuffer.allocate(10)));
            expect(IOException.class, "Broken pipe", () -> conn.client.write(new ByteBuffer[] {ByteBuffer.allocate(1)}));
            conn.client.configureBlocking(true);
            expect(IOException.class, "Broken pipe", () -> conn.client.write(ByteBuffer.allocateDirect(10)));
            conn.client.shutdownInput();
            assertEquals(-1, conn.client.read(ByteBuffer.allocate(10)), "after shutdownInput reads see EOF");
        }
    }

    // measured: when a write is the first call to meet the RST, it throws a plain
    // IOException("Connection reset by peer"), later writes "Broken pipe", and reads then see EOF, not a reset
    // (the kernel's error was consumed by the write).
    @DiffTest
    void connectionResetSeenByWriteFirst(SelectorProvider provider) throws Exception {
        try (Tcp.Conn conn = Tcp.pair(provider)) {
            Tcp.abort(conn.peer);
            Tcp.awaitReadable(provider, conn.client);
            expect(IOException.class, "Connection reset by peer", () -> conn.client.write(ByteBuffer.allocate(10)));
            expect(IOException.class, "Broken pipe", () -> conn.client.write(ByteBuffer.allocate(10)));
            assertEquals(-1, conn.client.read(ByteBuffer.allocate(10)));
            assertTrue(conn.client.isOpen());
        }
    }

    // After an orderly close by the peer, reads see EOF, the first write succeeds and a
    // later one fails with IOException("Broken pipe") (no SIGPIPE: the JVM keeps running).
    @DiffTest
    void writeAfterPeerClosed(SelectorProvider provider) throws Exception {
        try (Tcp.Conn conn = Tcp.pair(provider)) {
            conn.peer.close();
            assertEquals(-1, conn.client.read(ByteBuffer.allocate(10)));
            assertEquals(10, conn.client.write(ByteBuffer.allocate(10)), "the first write after FIN succeeds");
            long deadline = System.nanoTime() + 10_000_000_000L;
            IOException failure = null;
            while (failure == null && System.nanoTime() < deadline) {
                try {
                    conn.client.write(ByteBuffer.allocate(10));
                    Thread.sleep(10);
                } catch (IOException e) {
                    failure = e;
                }
            }
            assertTrue(failure != null, "a write fails once the RST arrived");
            assertEquals(IOException.class, failure.getClass(), failure.toString());
            assertEquals("Broken pipe", failure.getMessage());
            expect(IOException.class, "Broken pipe", () -> conn.client.write(ByteBuffer.allocate(10)));
            assertEquals(-1, conn.client.read(ByteBuffer.allocate(10)));
        }
    }
}
