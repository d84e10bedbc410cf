package io.nativenio.diff;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrowsExactly;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.BindException;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.SocketException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.AlreadyBoundException;
import java.nio.channels.AlreadyConnectedException;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.NotYetBoundException;
import java.nio.channels.NotYetConnectedException;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.channels.UnsupportedAddressTypeException;
import java.nio.channels.spi.SelectorProvider;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import org.junit.jupiter.api.io.TempDir;

/**
 * UNIX-domain stream channels (behaviours.md#unix-domain-stream-channels, behaviours.md#stream-sockets): bind, connect,
 * accept and echo in both modes, large transfers, shutdown, addresses, {@code bind(null)} naming, errors and messages.
 * Sockets live in a fresh temporary directory per test.
 */
class UnixDomainSocketTest {
    static final UnixDomainSocketAddress UNNAMED = UnixDomainSocketAddress.of("");

    @TempDir
    Path dir;

    /** A UNIX server channel of {@code provider} bound to {@code dir/name}. */
    static ServerSocketChannel server(SelectorProvider provider, Path dir, String name) throws IOException {
        ServerSocketChannel ssc = provider.openServerSocketChannel(StandardProtocolFamily.UNIX);
        try {
            return ssc.bind(UnixDomainSocketAddress.of(dir.resolve(name)));
        } catch (IOException | RuntimeException e) {
            ssc.close();
            throw e;
        }
    }

    /** A blocking UNIX client connected to {@code ssc}. */
    static SocketChannel connect(SelectorProvider provider, ServerSocketChannel ssc) throws IOException {
        SocketChannel sc = provider.openSocketChannel(StandardProtocolFamily.UNIX);
        try {
            assertTrue(sc.connect(ssc.getLocalAddress()));
            return sc;
        } catch (IOException | RuntimeException | Error e) {
            sc.close();
            throw e;
        }
    }

    /** A blocking UNIX client connected to a server bound to {@code dir/s}, and the accepted channel. */
    static Tcp.Conn pair(SelectorProvider provider, Path dir) throws IOException {
        return Tcp.pair(server(provider, dir, "s"), () -> provider.openSocketChannel(StandardProtocolFamily.UNIX));
    }

    static byte[] bytes(ByteBuffer b) {
        byte[] a = new byte[b.remaining()];
        b.get(a);
        return a;
    }

    /** Reads exactly {@code n} bytes from a blocking channel. */
    static byte[] readFully(SocketChannel sc, int n) throws IOException {
        ByteBuffer b = ByteBuffer.allocate(n);
        while (b.hasRemaining()) {
            if (sc.read(b) < 0) {
                throw new AssertionError("EOF after " + b.position() + " of " + n + " bytes");
            }
        }
        return b.array();
    }

    // A blocking connect and accept; the client is unnamed, both ends see the server's path.
    @DiffTest
    void blockingEcho(SelectorProvider provider) throws Exception {
        UnixDomainSocketAddress path = UnixDomainSocketAddress.of(dir.resolve("s"));
        try (ServerSocketChannel ssc = provider.openServerSocketChannel(StandardProtocolFamily.UNIX)) {
            assertNull(ssc.getLocalAddress());
            assertSame(ssc, ssc.bind(path));
            assertEquals(path, ssc.getLocalAddress());
            try (SocketChannel sc = provider.openSocketChannel(StandardProtocolFamily.UNIX)) {
                assertNull(sc.getLocalAddress());
                assertNull(sc.getRemoteAddress());
                assertTrue(sc.connect(path));
                assertTrue(sc.isConnected());
                assertEquals(UNNAMED, sc.getLocalAddress());
                assertEquals(path, sc.getRemoteAddress());
                try (SocketChannel peer = ssc.accept()) {
                    assertSame(provider, peer.provider());
                    assertTrue(peer.isBlocking());
                    assertTrue(peer.isConnected());
                    assertEquals(path, peer.getLocalAddress());
                    assertEquals(UNNAMED, peer.getRemoteAddress());
                    assertEquals(5, sc.write(ByteBuffer.wrap("hello".getBytes())));
                    assertEquals("hello", new String(readFully(peer, 5)));
                    ByteBuffer[] srcs = {ByteBuffer.wrap("ab".getBytes()), ByteBuffer.allocateDirect(3).put("cde".getBytes()).flip()};
                    assertEquals(5, peer.write(srcs));
                    assertEquals("abcde", new String(readFully(sc, 5)));
                }
                assertEquals(-1, sc.read(ByteBuffer.allocate(1)));
            }
        }
        assertTrue(Files.exists(path.getPath()), "the socket file stays after close");
    }

    // A named client; the accepted channel's remote address is the client's path; files stay.
    @DiffTest
    void namedClient(SelectorProvider provider) throws Exception {
        UnixDomainSocketAddress cpath = UnixDomainSocketAddress.of(dir.resolve("c"));
        try (ServerSocketChannel ssc = server(provider, dir, "s");
                SocketChannel sc = provider.openSocketChannel(StandardProtocolFamily.UNIX)) {
            assertSame(sc, sc.bind(cpath));
            assertEquals(cpath, sc.getLocalAddress());
            assertThrowsExactly(AlreadyBoundException.class, () -> sc.bind(null));
            assertTrue(sc.connect(ssc.getLocalAddress()));
            assertEquals(cpath, sc.getLocalAddress());
            try (SocketChannel peer = ssc.accept()) {
                assertEquals(cpath, peer.getRemoteAddress());
                assertEquals(ssc.getLocalAddress(), peer.getLocalAddress());
            }
            assertThrowsExactly(AlreadyConnectedException.class, () -> sc.connect(ssc.getLocalAddress()));
        }
        assertTrue(Files.exists(cpath.getPath()));
    }

    // A relative path is kept as given, on both ends.
    @DiffTest
    void relativePath(SelectorProvider provider) throws Exception {
        Path rel = Path.of("").toAbsolutePath().relativize(dir.resolve("r"));
        UnixDomainSocketAddress path = UnixDomainSocketAddress.of(rel);
        try (ServerSocketChannel ssc = provider.openServerSocketChannel(StandardProtocolFamily.UNIX).bind(path);
                SocketChannel sc = connect(provider, ssc);
                SocketChannel peer = ssc.accept()) {
            assertEquals(path, ssc.getLocalAddress());
            assertEquals(path, sc.getRemoteAddress());
            assertEquals(path, peer.getLocalAddress());
        } finally {
            Files.deleteIfExists(dir.resolve("r"));
        }
    }

    // A non-blocking connect, accept and echo driven by a selector (behaviours.md#readiness-per-channel-type).
    @DiffTest
    void nonBlockingWithSelector(SelectorProvider provider) throws Exception {
        try (ServerSocketChannel ssc = server(provider, dir, "s");
                Selector sel = provider.openSelector();
                SocketChannel sc = provider.openSocketChannel(StandardProtocolFamily.UNIX)) {
            ssc.configureBlocking(false);
            assertNull(ssc.accept());
            SelectionKey acceptKey = ssc.register(sel, SelectionKey.OP_ACCEPT);
            sc.configureBlocking(false);
            if (!sc.connect(ssc.getLocalAddress())) {
                SelectionKey k = sc.register(sel, SelectionKey.OP_CONNECT);
                while (!sc.finishConnect()) {
                    sel.select();
                    sel.selectedKeys().clear();
                }
                k.cancel();
                sel.selectNow();
            }
            assertTrue(sc.isConnected());
            assertEquals(UNNAMED, sc.getLocalAddress());
            while (!sel.selectedKeys().contains(acceptKey)) {
                sel.select();
            }
            assertTrue(acceptKey.isAcceptable());
            sel.selectedKeys().clear();
            try (SocketChannel peer = ssc.accept()) {
                assertNotNull(peer);
                assertTrue(peer.isBlocking(), "an accepted channel is blocking");
                assertNull(ssc.accept());
                peer.configureBlocking(false);
                SelectionKey readKey = peer.register(sel, SelectionKey.OP_READ);
                assertEquals(0, peer.read(ByteBuffer.allocate(8)));
                SelectionKey writeKey = sc.register(sel, SelectionKey.OP_WRITE);
                while (!sel.selectedKeys().contains(writeKey)) {
                    sel.select();
                }
                assertTrue(writeKey.isWritable());
                assertEquals(4, sc.write(ByteBuffer.wrap("ping".getBytes())));
                writeKey.interestOps(0);
                sel.selectedKeys().clear();
                while (!sel.selectedKeys().contains(readKey)) {
                    sel.select();
                }
                assertEquals(SelectionKey.OP_READ, readKey.readyOps());
                ByteBuffer in = ByteBuffer.allocate(8);
                assertEquals(4, peer.read(in));
                assertEquals("ping", new String(bytes(in.flip())));
                sc.close();
                sel.selectedKeys().clear();
                sel.select();
                assertTrue(readKey.isReadable());
                assertEquals(-1, peer.read(ByteBuffer.allocate(1)));
            }
        }
    }

    // A large transfer, blocking writer against a non-blocking reader that drains by selection.
    @DiffTest
    void largeTransfer(SelectorProvider provider) throws Exception {
        byte[] data = new byte[8 * 1024 * 1024 + 13];
        new Random(42).nextBytes(data);
        try (ServerSocketChannel ssc = server(provider, dir, "s");
                SocketChannel sc = connect(provider, ssc);
                SocketChannel peer = ssc.accept();
                Selector sel = provider.openSelector()) {
            Async<Integer> writer = Async.start("writer", () -> {
                int n = sc.write(ByteBuffer.wrap(data));
                sc.shutdownOutput();
                return n;
            });
            peer.configureBlocking(false);
            peer.register(sel, SelectionKey.OP_READ);
            ByteBuffer in = ByteBuffer.allocateDirect(data.length + 1);
            int n;
            while ((n = peer.read(in)) >= 0) {
                if (n == 0) {
                    sel.select();
                    sel.selectedKeys().clear();
                }
            }
            assertEquals(data.length, writer.get());
            assertArrayEquals(data, bytes(in.flip()));
        }
    }

    // A non-blocking write fills the socket buffer and then returns 0; the peer gets every byte.
    @DiffTest
    void nonBlockingWriteFillsBuffer(SelectorProvider provider) throws Exception {
        try (ServerSocketChannel ssc = server(provider, dir, "s");
                SocketChannel sc = connect(provider, ssc);
                SocketChannel peer = ssc.accept()) {
            sc.configureBlocking(false);
            ByteBuffer chunk = ByteBuffer.allocate(64 * 1024);
            long written = 0;
            int n;
            while ((n = sc.write(chunk.clear())) > 0) {
                written += n;
            }
            assertEquals(0, n);
            assertTrue(written > 0);
            ByteBuffer in = ByteBuffer.allocate(64 * 1024);
            long read = 0;
            while (read < written) {
                read += peer.read(in.clear());
            }
            assertEquals(written, read);
        }
    }

    // Shutdown of each direction.
    @DiffTest
    void shutdown(SelectorProvider provider) throws Exception {
        try (SocketChannel unconnected = provider.openSocketChannel(StandardProtocolFamily.UNIX)) {
            assertThrowsExactly(NotYetConnectedException.class, unconnected::shutdownInput);
            assertThrowsExactly(NotYetConnectedException.class, unconnected::shutdownOutput);
        }
        try (ServerSocketChannel ssc = server(provider, dir, "s");
                SocketChannel sc = connect(provider, ssc);
                SocketChannel peer = ssc.accept()) {
            assertSame(sc, sc.shutdownOutput());
            sc.shutdownOutput();
            assertEquals(-1, peer.read(ByteBuffer.allocate(4)));
            assertEquals(3, peer.write(ByteBuffer.wrap("abc".getBytes())));
            assertEquals("abc", new String(readFully(sc, 3)));
            assertThrowsExactly(java.nio.channels.AsynchronousCloseException.class,
                    () -> sc.write(ByteBuffer.wrap("x".getBytes())));
            assertTrue(sc.isOpen());
            peer.shutdownInput();
            assertEquals(-1, peer.read(ByteBuffer.allocate(4)));
            sc.shutdownInput();
            assertEquals(-1, sc.read(ByteBuffer.allocate(4)));
        }
    }

    // A server's bind(null) picks socket_<n> in the directory the JDK's provider picks (jdk.net.unixdomain.tmpdir,
    // from the system property or the JDK's net.properties, or else java.io.tmpdir; UnixTempDirIT varies them).
    @DiffTest
    void serverBindNullUsesTempName(SelectorProvider provider) throws Exception {
        Path expectedDir;
        try (ServerSocketChannel jdk = Providers.jdk().openServerSocketChannel(StandardProtocolFamily.UNIX)) {
            Path jdkFile = ((UnixDomainSocketAddress) jdk.bind(null, 0).getLocalAddress()).getPath();
            expectedDir = jdkFile.getParent();
            Files.deleteIfExists(jdkFile);
        }
        Path file;
        try (ServerSocketChannel ssc = provider.openServerSocketChannel(StandardProtocolFamily.UNIX)) {
            ssc.bind(null, 0);
            file = ((UnixDomainSocketAddress) ssc.getLocalAddress()).getPath();
            try {
                assertEquals(expectedDir, file.getParent());
                assertTrue(file.getFileName().toString().matches("socket_[0-9]+"), file.toString());
                try (SocketChannel sc = connect(provider, ssc); SocketChannel peer = ssc.accept()) {
                    assertEquals(ssc.getLocalAddress(), peer.getLocalAddress());
                }
            } catch (Throwable e) {
                Files.deleteIfExists(file);
                throw e;
            }
        }
        try {
            assertTrue(Files.exists(file), "the socket file stays after close");
        } finally {
            Files.deleteIfExists(file);
        }
    }

    // A client's bind(null) and bind("") leave it unnamed, with local address "".
    @DiffTest
    void clientBindUnnamed(SelectorProvider provider) throws Exception {
        try (SocketChannel a = provider.openSocketChannel(StandardProtocolFamily.UNIX);
                SocketChannel b = provider.openSocketChannel(StandardProtocolFamily.UNIX)) {
            assertSame(a, a.bind(null));
            assertEquals(UNNAMED, a.getLocalAddress());
            assertThrowsExactly(AlreadyBoundException.class, () -> a.bind(UNNAMED));
            b.bind(UNNAMED);
            assertEquals(UNNAMED, b.getLocalAddress());
            try (ServerSocketChannel ssc = server(provider, dir, "s")) {
                assertTrue(b.connect(ssc.getLocalAddress()));
                try (SocketChannel peer = ssc.accept()) {
                    assertEquals(UNNAMED, peer.getRemoteAddress());
                }
            }
        }
    }

    // Bind errors with the JDK's exceptions and messages.
    @DiffTest
    void bindErrors(SelectorProvider provider) throws Exception {
        try (ServerSocketChannel ssc = provider.openServerSocketChannel(StandardProtocolFamily.UNIX)) {
            BindException e = assertThrowsExactly(BindException.class, () -> ssc.bind(UNNAMED));
            assertEquals("Server socket cannot bind to unnamed address", e.getMessage());
            assertThrowsExactly(UnsupportedAddressTypeException.class, () -> ssc.bind(new InetSocketAddress(0)));
            assertThrowsExactly(NotYetBoundException.class, ssc::accept);
            assertNull(ssc.getLocalAddress());
            assertTrue(ssc.isOpen());
            ssc.bind(UnixDomainSocketAddress.of(dir.resolve("s")));
            assertThrowsExactly(AlreadyBoundException.class, () -> ssc.bind(null));
            try (ServerSocketChannel other = provider.openServerSocketChannel(StandardProtocolFamily.UNIX);
                    SocketChannel client = provider.openSocketChannel(StandardProtocolFamily.UNIX)) {
                e = assertThrowsExactly(BindException.class, () -> other.bind(ssc.getLocalAddress()));
                assertEquals("Address already in use", e.getMessage());
                e = assertThrowsExactly(BindException.class, () -> client.bind(ssc.getLocalAddress()));
                assertEquals("Address already in use", e.getMessage());
                assertThrowsExactly(UnsupportedAddressTypeException.class, () -> client.bind(new InetSocketAddress(0)));
                SocketException se = assertThrowsExactly(SocketException.class,
                        () -> other.bind(UnixDomainSocketAddress.of(dir.resolve("missing/s"))));
                assertEquals("No such file or directory", se.getMessage());
            }
        }
        try (SocketChannel tcp = provider.openSocketChannel();
                ServerSocketChannel tcpServer = provider.openServerSocketChannel()) {
            assertThrowsExactly(UnsupportedAddressTypeException.class, () -> tcp.bind(UNNAMED));
            assertThrowsExactly(UnsupportedAddressTypeException.class, () -> tcp.connect(UNNAMED));
            assertThrowsExactly(UnsupportedAddressTypeException.class, () -> tcpServer.bind(UNNAMED));
        }
    }

    // The longest path sun_path takes is 106 bytes; one more is a SocketException.
    @DiffTest
    void pathLength(SelectorProvider provider) throws Exception {
        String prefix = dir.toString() + "/";
        int room = 106 - prefix.getBytes(System.getProperty("sun.jnu.encoding")).length;
        Path longest = Path.of(prefix + "p".repeat(room));
        Path tooLong = Path.of(prefix + "q".repeat(room + 1));
        try (ServerSocketChannel ssc = provider.openServerSocketChannel(StandardProtocolFamily.UNIX)) {
            ssc.bind(UnixDomainSocketAddress.of(longest));
            assertEquals(UnixDomainSocketAddress.of(longest), ssc.getLocalAddress());
            try (SocketChannel sc = connect(provider, ssc); SocketChannel peer = ssc.accept()) {
                assertEquals(ssc.getLocalAddress(), sc.getRemoteAddress());
            }
        }
        try (ServerSocketChannel ssc = provider.openServerSocketChannel(StandardProtocolFamily.UNIX);
                SocketChannel named = provider.openSocketChannel(StandardProtocolFamily.UNIX);
                SocketChannel sc = provider.openSocketChannel(StandardProtocolFamily.UNIX)) {
            SocketException e = assertThrowsExactly(SocketException.class, () -> ssc.bind(UnixDomainSocketAddress.of(tooLong)));
            assertEquals("Unix domain path too long", e.getMessage());
            assertTrue(ssc.isOpen());
            e = assertThrowsExactly(SocketException.class, () -> named.bind(UnixDomainSocketAddress.of(tooLong)));
            assertEquals("Unix domain path too long", e.getMessage());
            e = assertThrowsExactly(SocketException.class, () -> sc.connect(UnixDomainSocketAddress.of(tooLong)));
            assertEquals("Unix domain path too long", e.getMessage());
            assertFalse(sc.isOpen(), "a failed connect closes the channel");
        }
        assertFalse(Files.exists(tooLong));
    }

    // Connect errors; every IOException closes the channel, bad input does not.
    @DiffTest
    void connectErrors(SelectorProvider provider) throws Exception {
        try (SocketChannel sc = provider.openSocketChannel(StandardProtocolFamily.UNIX)) {
            assertThrowsExactly(NullPointerException.class, () -> sc.connect(null));
            assertThrowsExactly(UnsupportedAddressTypeException.class, () -> sc.connect(new InetSocketAddress(80)));
            assertTrue(sc.isOpen());
            SocketException e = assertThrowsExactly(SocketException.class,
                    () -> sc.connect(UnixDomainSocketAddress.of(dir.resolve("missing"))));
            assertEquals("No such file or directory", e.getMessage());
            assertFalse(sc.isOpen());
            assertThrowsExactly(ClosedChannelException.class, sc::getLocalAddress);
        }
        try (SocketChannel sc = provider.openSocketChannel(StandardProtocolFamily.UNIX)) {
            ConnectException e = assertThrowsExactly(ConnectException.class, () -> sc.connect(UNNAMED));
            assertEquals("Connection refused", e.getMessage());
            assertFalse(sc.isOpen());
        }
        Path notListening = dir.resolve("bound");
        try (ServerSocketChannel bound = provider.openServerSocketChannel(StandardProtocolFamily.UNIX);
                SocketChannel named = provider.openSocketChannel(StandardProtocolFamily.UNIX).bind(UnixDomainSocketAddress.of(notListening));
                SocketChannel sc = provider.openSocketChannel(StandardProtocolFamily.UNIX)) {
            ConnectException e = assertThrowsExactly(ConnectException.class, () -> sc.connect(UnixDomainSocketAddress.of(notListening)));
            assertEquals("Connection refused", e.getMessage());
        }
    }

    // No socket adaptors for UNIX channels, no UNIX datagram channels (behaviours.md#protocol-families).
    @DiffTest
    void unsupported(SelectorProvider provider) throws Exception {
        try (SocketChannel sc = provider.openSocketChannel(StandardProtocolFamily.UNIX);
                ServerSocketChannel ssc = provider.openServerSocketChannel(StandardProtocolFamily.UNIX)) {
            assertEquals("Not supported", assertThrowsExactly(UnsupportedOperationException.class, sc::socket).getMessage());
            assertEquals("Not supported", assertThrowsExactly(UnsupportedOperationException.class, ssc::socket).getMessage());
        }
        UnsupportedOperationException e = assertThrowsExactly(UnsupportedOperationException.class,
                () -> provider.openDatagramChannel(StandardProtocolFamily.UNIX));
        assertEquals("Protocol family not supported", e.getMessage());
        assertThrowsExactly(NullPointerException.class, () -> provider.openSocketChannel(null));
        assertThrowsExactly(NullPointerException.class, () -> provider.openServerSocketChannel(null));
    }
}
