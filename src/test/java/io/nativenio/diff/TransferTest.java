package io.nativenio.diff;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.spi.SelectorProvider;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.zip.CRC32;
import org.junit.jupiter.api.io.TempDir;

/**
 * FileChannel.transferTo/transferFrom with the provider's SocketChannel, several MB, blocking and non-blocking
 * (behaviours.md#filechannel-transfers-with-nativenio-sockets: the JDK copies through buffers for a third-party
 * channel).
 */
class TransferTest {
    private static final int SIZE = 6 << 20;

    @TempDir
    Path dir;

    /** A new file in {@link #dir} holding {@code content}. */
    private Path tempFile(byte[] content) throws Exception {
        return Files.write(Files.createTempFile(dir, "from", ".bin"), content);
    }

    private static long crc(byte[] b, int off, int len) {
        CRC32 c = new CRC32();
        c.update(b, off, len);
        return c.getValue();
    }

    /** Reads {@code ch} to EOF in a thread; returns {length, crc}. */
    private static Async<long[]> drain(java.nio.channels.SocketChannel ch) {
        return Async.start("drain", () -> {
            ByteBuffer b = ByteBuffer.allocate(100_000);
            CRC32 crc = new CRC32();
            long total = 0;
            int n;
            while ((n = ch.read(b.clear())) >= 0) {
                b.flip();
                crc.update(b);
                total += n;
            }
            return new long[] {total, crc.getValue()};
        });
    }

    // Item 5: transferTo from a file into a blocking socket, whole and from an offset.
    @DiffTest
    void transferToBlocking(SelectorProvider provider) throws Exception {
        byte[] data = Tcp.random(SIZE, 5);
        Path file = tempFile(data);
        try (Tcp.Conn conn = Tcp.pair(provider); FileChannel fc = FileChannel.open(file, StandardOpenOption.READ)) {
            Async<long[]> reader = drain(conn.peer);
            long pos = 1000;
            long end = SIZE - 777;
            while (pos < end) {
                long n = fc.transferTo(pos, end - pos, conn.client);
                assertTrue(n > 0, "a blocking transfer makes progress");
                pos += n;
            }
            conn.client.shutdownOutput();
            long[] r = reader.get();
            assertEquals(end - 1000, r[0]);
            assertEquals(crc(data, 1000, (int) (end - 1000)), r[1]);
        }
    }

    // Item 5: transferTo into a non-blocking socket: partial transfers, driven by OP_WRITE.
    @DiffTest
    void transferToNonBlocking(SelectorProvider provider) throws Exception {
        byte[] data = Tcp.random(SIZE, 6);
        Path file = tempFile(data);
        try (Tcp.Conn conn = Tcp.pair(provider); FileChannel fc = FileChannel.open(file, StandardOpenOption.READ);
                Selector sel = provider.openSelector()) {
            conn.client.setOption(java.net.StandardSocketOptions.SO_SNDBUF, 65536);
            conn.peer.setOption(java.net.StandardSocketOptions.SO_RCVBUF, 65536);
            conn.client.configureBlocking(false);
            conn.client.register(sel, SelectionKey.OP_WRITE);
            // nobody reads yet: the first transfer must stop when the socket buffers are full
            long pos = fc.transferTo(0, SIZE, conn.client);
            assertTrue(pos > 0 && pos < SIZE, "a partial transfer into a full non-blocking socket: " + pos);
            Async<long[]> reader = drain(conn.peer);
            int partial = 1;
            while (pos < SIZE) {
                long n = fc.transferTo(pos, SIZE - pos, conn.client);
                assertTrue(n >= 0);
                if (n < SIZE - pos) {
                    partial++;
                    sel.select(10_000);
                    sel.selectedKeys().clear();
                }
                pos += n;
                assertEquals(0, fc.position(), "transferTo does not move the file position");
            }
            conn.client.shutdownOutput();
            long[] r = reader.get();
            assertEquals(SIZE, r[0]);
            assertEquals(crc(data, 0, SIZE), r[1]);
            assertTrue(partial > 0);
        }
    }

    // Item 5: transferFrom a blocking socket into a file.
    @DiffTest
    void transferFromBlocking(SelectorProvider provider) throws Exception {
        byte[] data = Tcp.random(SIZE, 7);
        Path file = Files.createTempFile(dir, "to", ".bin");
        try (Tcp.Conn conn = Tcp.pair(provider);
                FileChannel fc = FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
            Async<Integer> writer = Async.start("writer", () -> {
                int n = conn.peer.write(ByteBuffer.wrap(data));
                conn.peer.shutdownOutput();
                return n;
            });
            long pos = 0;
            while (pos < SIZE) {
                long n = fc.transferFrom(conn.client, pos, SIZE - pos);
                assertTrue(n > 0, "a blocking transferFrom waits for data");
                pos += n;
            }
            assertEquals(SIZE, writer.get());
            assertEquals(0, fc.transferFrom(conn.client, pos, 100), "EOF transfers nothing");
            assertEquals(SIZE, fc.size());
            byte[] got = Files.readAllBytes(file);
            assertEquals(crc(data, 0, SIZE), crc(got, 0, got.length));
        }
    }

    // Item 5: transferFrom a non-blocking socket: 0 when nothing is available, driven by OP_READ.
    @DiffTest
    void transferFromNonBlocking(SelectorProvider provider) throws Exception {
        byte[] data = Tcp.random(SIZE, 8);
        Path file = Files.createTempFile(dir, "to", ".bin");
        try (Tcp.Conn conn = Tcp.pair(provider);
                FileChannel fc = FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE);
                Selector sel = provider.openSelector()) {
            conn.client.configureBlocking(false);
            assertEquals(0, fc.transferFrom(conn.client, 0, 100), "nothing available: 0");
            conn.client.register(sel, SelectionKey.OP_READ);
            Async<Integer> writer = Async.start("writer", () -> conn.peer.write(ByteBuffer.wrap(data)));
            long pos = 0;
            while (pos < SIZE) {
                long n = fc.transferFrom(conn.client, pos, SIZE - pos);
                if (n == 0) {
                    assertTrue(sel.select(10_000) > 0, "data within 10 s");
                    sel.selectedKeys().clear();
                }
                pos += n;
            }
            assertEquals(SIZE, writer.get());
            byte[] got = Files.readAllBytes(file);
            assertEquals(SIZE, got.length);
            assertEquals(crc(data, 0, SIZE), crc(got, 0, got.length));
        }
    }
}
