package io.nativenio.diff;

import static io.nativenio.diff.DatagramIOTest.bound;
import static io.nativenio.diff.DatagramIOTest.text;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.Socket;
import java.net.StandardProtocolFamily;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.nio.channels.FileChannel;
import java.nio.channels.Pipe;
import java.nio.channels.ScatteringByteChannel;
import java.nio.channels.spi.SelectorProvider;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/**
 * Empty direct buffers whose address is 0: {@code FileChannel.map} of 0 bytes gives one. The JDK writes
 * nothing and returns 0 for a stream write or a connected datagram write, reads 0, skips it in
 * scatter/gather arrays, sends an empty datagram with {@code send}, and drops a datagram received into it.
 */
class EmptyBufferTest {
    private static Path file;
    private static FileChannel fc;

    @BeforeAll
    static void mapFile() throws IOException {
        file = Files.createTempFile("nativenio-empty", ".bin");
        fc = FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE);
    }

    @AfterAll
    static void unmapFile() throws IOException {
        fc.close();
        Files.delete(file);
    }

    /** A writable direct buffer of capacity 0 at address 0, as FileChannel.map gives for 0 bytes. */
    private static ByteBuffer empty() throws IOException {
        ByteBuffer b = fc.map(FileChannel.MapMode.READ_WRITE, 0, 0);
        assertTrue(b.isDirect());
        assertEquals(0, b.capacity());
        return b;
    }

    /** Reads {@code n} bytes scattered over an empty buffer, a 1-byte buffer and the rest. */
    private static String scatterText(ScatteringByteChannel ch, int n) throws IOException {
        ByteBuffer first = ByteBuffer.allocateDirect(1);
        ByteBuffer rest = ByteBuffer.allocate(n - 1);
        assertEquals(n, ch.read(new ByteBuffer[] {empty(), first, empty(), rest}));
        return text(first) + text(rest);
    }

    @DiffTest
    void socketChannel(SelectorProvider provider) throws Exception {
        try (Tcp.Conn c = Tcp.pair(provider)) {
            for (boolean blocking : new boolean[] {true, false}) {
                c.client.configureBlocking(blocking);
                c.peer.configureBlocking(blocking);
                assertEquals(0, c.client.write(empty()));
                assertEquals(0, c.client.write(new ByteBuffer[] {empty()}));
                assertEquals(0, c.client.write(new ByteBuffer[] {empty(), empty()}, 1, 1));
                assertEquals(3, c.client.write(new ByteBuffer[] {empty(), text("abc", true), empty()}));
                assertEquals(2, c.client.write(new ByteBuffer[] {text("d", false), empty(), text("e", true)}));
                assertEquals(0, c.peer.read(empty()));
                assertEquals(0, c.peer.read(new ByteBuffer[] {empty(), empty()}));
                c.peer.configureBlocking(true);
                assertEquals("abcde", scatterText(c.peer, 5));
            }
        }
    }

    // Nothing to transfer makes no system call: no error from a connection the peer closed, no EOF.
    @DiffTest
    void socketPeerClosed(SelectorProvider provider) throws Exception {
        try (Tcp.Conn c = Tcp.pair(provider)) {
            c.peer.close();
            assertEquals(0, c.client.read(empty()));
            assertEquals(-1, c.client.read(ByteBuffer.allocate(1)));
            for (int i = 0; i < 3; i++) {
                assertEquals(0, c.client.write(empty()));
                assertEquals(0, c.client.write(ByteBuffer.allocate(0)));
            }
        }
    }

    @DiffTest
    void socketAdaptorStreams(SelectorProvider provider) throws Exception {
        try (Tcp.Conn c = Tcp.pair(provider)) {
            Socket s = c.client.socket();
            s.getOutputStream().write(new byte[0]);
            s.getOutputStream().write(new byte[] {'x'}, 1, 0);
            s.getOutputStream().write(new byte[] {'y'});
            assertEquals(0, c.peer.socket().getInputStream().read(new byte[4], 2, 0));
            assertEquals('y', c.peer.socket().getInputStream().read());
        }
    }

    @DiffTest
    void pipe(SelectorProvider provider) throws Exception {
        Pipe p = provider.openPipe();
        try (Pipe.SourceChannel source = p.source(); Pipe.SinkChannel sink = p.sink()) {
            for (boolean blocking : new boolean[] {true, false}) {
                source.configureBlocking(blocking);
                sink.configureBlocking(blocking);
                assertEquals(0, sink.write(empty()));
                assertEquals(0, sink.write(new ByteBuffer[] {empty()}));
                assertEquals(4, sink.write(new ByteBuffer[] {text("ab", false), empty(), text("cd", true)}));
                assertEquals(0, source.read(empty()));
                assertEquals(0, source.read(new ByteBuffer[] {empty()}));
                source.configureBlocking(true);
                assertEquals("abcd", scatterText(source, 4));
            }
        }
    }

    // DatagramChannel.send sends an empty datagram, connected or not; the receiver sees one of length 0.
    @DiffTest
    void datagramSend(SelectorProvider provider) throws Exception {
        try (DatagramChannel a = bound(provider, StandardProtocolFamily.INET);
                DatagramChannel b = bound(provider, StandardProtocolFamily.INET)) {
            assertEquals(0, a.send(empty(), b.getLocalAddress()));
            ByteBuffer dst = ByteBuffer.allocate(8);
            assertEquals(a.getLocalAddress(), b.receive(dst));
            assertEquals(0, dst.position());
            a.send(text("next", true), b.getLocalAddress());
            assertEquals("next", readDatagram(b));
        }
    }

    // A connected DatagramChannel writes nothing for an empty buffer (the JDK's IOUtil returns 0 first),
    // send to the peer included; an empty buffer among others is skipped in a gathering write.
    @DiffTest
    void connectedDatagram(SelectorProvider provider) throws Exception {
        try (DatagramChannel a = bound(provider, StandardProtocolFamily.INET);
                DatagramChannel b = bound(provider, StandardProtocolFamily.INET)) {
            a.connect(b.getLocalAddress());
            b.connect(a.getLocalAddress());
            assertEquals(0, a.write(empty()));
            assertEquals(0, a.write(new ByteBuffer[] {empty(), empty()}));
            assertEquals(0, a.send(empty(), b.getLocalAddress()));
            assertEquals(3, a.write(new ByteBuffer[] {empty(), text("abc", true)}));
            b.configureBlocking(false);
            assertEquals(0, b.read(empty()));
            assertEquals(0, b.read(new ByteBuffer[] {empty()}));
            b.configureBlocking(true);
            assertEquals("abc", scatterText(b, 3));
            assertEquals(2, a.write(new ByteBuffer[] {text("de", false), empty()}));
            assertEquals("de", readDatagram(b));
        }
    }

    // receive into an empty buffer takes the datagram and drops its bytes, from a sender that is returned.
    @DiffTest
    void receiveIntoEmpty(SelectorProvider provider) throws Exception {
        try (DatagramChannel a = bound(provider, StandardProtocolFamily.INET);
                DatagramChannel b = bound(provider, StandardProtocolFamily.INET)) {
            a.send(text("dropped", true), b.getLocalAddress());
            a.send(text("kept", false), b.getLocalAddress());
            ByteBuffer dst = empty();
            assertEquals(a.getLocalAddress(), b.receive(dst));
            assertEquals(0, dst.position());
            assertEquals("kept", readDatagram(b));
            b.configureBlocking(false);
            assertNull(b.receive(empty()));
            a.send(empty(), b.getLocalAddress());
            b.configureBlocking(true);
            assertNotNull(b.receive(empty()));
        }
    }

    private static String readDatagram(DatagramChannel ch) throws IOException {
        ByteBuffer dst = ByteBuffer.allocate(16);
        ch.receive(dst);
        return text(dst);
    }
}
