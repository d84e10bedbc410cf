package io.nativenio.diff;

import static io.nativenio.diff.Tcp.LOOPBACK;
import static io.nativenio.diff.Tcp.expect;
import static io.nativenio.diff.Tcp.local;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.InputStream;
import java.io.OutputStream;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.net.StandardSocketOptions;
import java.net.UnknownHostException;
import java.nio.ByteBuffer;
import java.nio.channels.AlreadyConnectedException;
import java.nio.channels.AsynchronousCloseException;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.IllegalBlockingModeException;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.channels.spi.SelectorProvider;

/** The socket() adaptor of SocketChannel (behaviours.md#socket-adaptor, behaviours.md#reads-and-writes). */
class SocketAdaptorConformanceTest {

    private static final InetAddress ANY4 = new InetSocketAddress(0).getAddress();

    // socket() returns the same object every time; getChannel() is the channel; it is a java.net.Socket.
    @DiffTest
    void sameObject(SelectorProvider provider) throws Exception {
        try (SocketChannel c = provider.openSocketChannel()) {
            Socket s = c.socket();
            assertSame(s, c.socket());
            assertSame(c, s.getChannel());
            assertTrue(Socket.class.isAssignableFrom(s.getClass()));
        }
    }

    // getters of an unconnected socket.
    @DiffTest
    void gettersUnconnected(SelectorProvider provider) throws Exception {
        try (SocketChannel c = provider.openSocketChannel()) {
            Socket s = c.socket();
            SocketAdaptorTest.assertUnconnectedState(s);
            assertEquals(-1, s.getSoLinger());
            assertFalse(s.getTcpNoDelay());
            assertFalse(s.getKeepAlive());
            assertFalse(s.getReuseAddress());
            assertFalse(s.getOOBInline());
            assertEquals(0, s.getTrafficClass());
            assertEquals(c.getOption(StandardSocketOptions.SO_RCVBUF), s.getReceiveBufferSize());
            assertEquals(c.getOption(StandardSocketOptions.SO_SNDBUF), s.getSendBufferSize());
            expect(SocketException.class, "Socket is not connected", s::getInputStream);
            expect(SocketException.class, "Socket is not connected", s::getOutputStream);
            expect(SocketException.class, "Socket is not connected", () -> {
                s.shutdownInput();
                return null;
            });
            expect(SocketException.class, "Socket is not connected", () -> {
                s.shutdownOutput();
                return null;
            });
        }
    }

    // Connect through the adaptor; getters and toString of a connected socket (hostname kept).
    @DiffTest
    void gettersConnected(SelectorProvider provider) throws Exception {
        try (ServerSocketChannel server = Tcp.listen(provider); SocketChannel c = provider.openSocketChannel()) {
            Socket s = c.socket();
            InetSocketAddress target = new InetSocketAddress(InetAddress.getByAddress("localhost", new byte[] {127, 0, 0, 1}),
                    local(server).getPort());
            s.connect(target);
            assertTrue(c.isConnected());
            assertTrue(s.isConnected());
            assertTrue(s.isBound());
            assertEquals(target.getPort(), s.getPort());
            assertEquals(local(c).getPort(), s.getLocalPort());
            assertEquals("localhost/127.0.0.1", s.getInetAddress().toString());
            assertEquals(LOOPBACK, s.getLocalAddress());
            assertEquals(local(c), s.getLocalSocketAddress());
            assertEquals(target, s.getRemoteSocketAddress());
            assertEquals("Socket[addr=localhost/127.0.0.1,port=" + target.getPort() + ",localport=" + s.getLocalPort()
                    + "]", s.toString());
            try (SocketChannel a = server.accept()) {
                Socket as = a.socket();
                assertEquals("Socket[addr=/127.0.0.1,port=" + s.getLocalPort() + ",localport=" + target.getPort() + "]",
                        as.toString());
                assertTrue(as.isConnected());
            }
        }
    }

    // After close: isClosed, the addresses stay readable, options throw "Socket is closed".
    @DiffTest
    void gettersAfterClose(SelectorProvider provider) throws Exception {
        try (ServerSocketChannel server = Tcp.listen(provider); SocketChannel c = provider.openSocketChannel()) {
            Socket s = c.socket();
            s.connect(local(server));
            server.accept().close();
            InetSocketAddress l = local(c);
            s.close();
            assertFalse(c.isOpen());
            assertTrue(s.isClosed());
            assertFalse(s.isConnected());
            assertTrue(s.isBound());
            assertEquals(local(server).getPort(), s.getPort());
            assertEquals(l.getPort(), s.getLocalPort());
            assertEquals(ANY4, s.getLocalAddress());
            assertEquals(l, s.getLocalSocketAddress());
            assertEquals(local(server), s.getRemoteSocketAddress());
            assertEquals(local(server).getAddress(), s.getInetAddress());
            assertEquals("Socket[unconnected]", s.toString());
            expect(SocketException.class, "Socket is closed", s::getSoTimeout);
            expect(SocketException.class, "Socket is closed", s::getTcpNoDelay);
            expect(SocketException.class, "Socket is closed", s::getReceiveBufferSize);
            expect(SocketException.class, "Socket is closed", s::getInputStream);
            expect(SocketException.class, "Socket is closed", s::getOutputStream);
            expect(SocketException.class, "Socket is closed", () -> {
                s.setSoTimeout(3);
                return null;
            });
            expect(SocketException.class, "Socket is closed", () -> {
                s.setTcpNoDelay(true);
                return null;
            });
            // raw channel exceptions, not translated (as the JDK does)
            expect(AsynchronousCloseException.class, null, () -> {
                s.connect(local(server));
                return null;
            });
            expect(ClosedChannelException.class, null, () -> {
                s.bind(null);
                return null;
            });
            expect(ClosedChannelException.class, null, () -> {
                s.shutdownInput();
                return null;
            });
            expect(ClosedChannelException.class, null, () -> s.getOption(StandardSocketOptions.SO_RCVBUF));
            expect(ClosedChannelException.class, null, () -> s.setOption(StandardSocketOptions.TCP_NODELAY, true));
            assertEquals(c.supportedOptions().size(), s.supportedOptions().size());
            s.close();
        }
    }

    // SO_TIMEOUT: a read that times out throws SocketTimeoutException("Read timed out"), the socket stays
    // usable; a negative timeout is IAE.
    @DiffTest
    void soTimeoutRead(SelectorProvider provider) throws Exception {
        try (Tcp.Conn conn = Tcp.pair(provider)) {
            Socket s = conn.client.socket();
            s.setSoTimeout(100);
            assertEquals(100, s.getSoTimeout());
            InputStream in = s.getInputStream();
            expect(SocketTimeoutException.class, "Read timed out", in::read);
            expect(SocketTimeoutException.class, "Read timed out", () -> in.read(new byte[10]));
            assertTrue(conn.client.isOpen());
            assertTrue(conn.client.isBlocking(), "blocking mode restored after the timed read");
            conn.peer.write(ByteBuffer.wrap(new byte[] {42}));
            assertEquals(42, in.read());
            expect(IllegalArgumentException.class, "timeout < 0", () -> {
                s.setSoTimeout(-1);
                return null;
            });
            s.setSoTimeout(0);
            conn.peer.write(ByteBuffer.wrap(new byte[] {43}));
            assertEquals(43, in.read());
        }
    }

    // timed connect: success, timeout (SocketTimeoutException, socket closed), refused (closed).
    @DiffTest
    void timedConnect(SelectorProvider provider) throws Exception {
        try (ServerSocketChannel server = Tcp.listen(provider); SocketChannel c = provider.openSocketChannel()) {
            c.socket().connect(local(server), 5000);
            assertTrue(c.isConnected());
            assertTrue(c.isBlocking());
            server.accept().close();
        }
        try (Tcp.Backlog full = new Tcp.Backlog(provider); SocketChannel c = provider.openSocketChannel()) {
            expect(SocketTimeoutException.class, "Connect timed out", () -> {
                c.socket().connect(full.address(), 200);
                return null;
            });
            assertFalse(c.isOpen(), "a timed-out connect closes the socket");
            assertTrue(c.socket().isClosed());
        }
        InetSocketAddress dead = Tcp.refusedAddress(provider);
        for (int timeout : new int[] {0, 2000}) {
            try (SocketChannel c = provider.openSocketChannel()) {
                expect(ConnectException.class, Tcp.REFUSED_WHEN_POLLED, () -> { // both wait in a poll
                    c.socket().connect(dead, timeout);
                    return null;
                });
                assertTrue(c.socket().isClosed());
            }
        }
        try (SocketChannel c = provider.openSocketChannel(); ServerSocketChannel server = Tcp.listen(provider)) {
            c.configureBlocking(false);
            expect(IllegalBlockingModeException.class, null, () -> {
                c.socket().connect(local(server), 1000);
                return null;
            });
            expect(IllegalBlockingModeException.class, null, () -> {
                c.socket().connect(local(server));
                return null;
            });
            assertTrue(c.isOpen());
        }
    }

    // exception translation of connect and bind, per JDK version where they differ.
    @DiffTest
    void connectAndBindErrors(SelectorProvider provider) throws Exception {
        int feature = Runtime.version().feature();
        try (ServerSocketChannel server = Tcp.listen(provider); SocketChannel c = provider.openSocketChannel()) {
            Socket s = c.socket();
            expect(IllegalArgumentException.class, "connect: The address can't be null", () -> {
                s.connect(null);
                return null;
            });
            expect(IllegalArgumentException.class, "connect: timeout can't be negative", () -> {
                s.connect(local(server), -1);
                return null;
            });
            expect(SocketException.class, "Unsupported address type", () -> {
                s.connect(new Tcp.CustomAddress());
                return null;
            });
            Tcp.assertAdaptorBindErrors(s::bind);
            assertFalse(s.isClosed());
            s.bind(new InetSocketAddress(LOOPBACK, 0));
            assertTrue(s.isBound());
            expect(SocketException.class, "Already bound", () -> {
                s.bind(null);
                return null;
            });
            s.connect(local(server));
            server.accept().close();
            // up to JDK 23 the adaptor lets AlreadyConnectedException through; JDK 24 translates it (JDK-8343791)
            if (feature < 24) {
                expect(AlreadyConnectedException.class, null, () -> {
                    s.connect(local(server));
                    return null;
                });
            } else {
                expect(SocketException.class, "Already connected", () -> {
                    s.connect(local(server));
                    return null;
                });
            }
        }
        // an unresolved address: UnknownHostException; up to JDK 23 without a message, the socket kept open; JDK 24
        // names the address and closes the socket, as a failed connect does (JDK-8343791)
        try (SocketChannel c = provider.openSocketChannel()) {
            InetSocketAddress unresolved = InetSocketAddress.createUnresolved("nativenio.invalid", 80);
            if (feature < 24) {
                expect(UnknownHostException.class, null, () -> {
                    c.socket().connect(unresolved);
                    return null;
                });
                assertTrue(c.isOpen());
            } else {
                expect(UnknownHostException.class, "nativenio.invalid/<unresolved>:80", () -> {
                    c.socket().connect(unresolved);
                    return null;
                });
                assertFalse(c.isOpen());
            }
        }
    }

    // The adaptor's streams read and write the channel; EOF is -1; closing a stream closes the socket.
    @DiffTest
    void streams(SelectorProvider provider) throws Exception {
        try (Tcp.Conn conn = Tcp.pair(provider)) {
            Socket s = conn.client.socket();
            OutputStream out = s.getOutputStream();
            InputStream in = s.getInputStream();
            out.write(1);
            out.write(new byte[] {2, 3, 4}, 1, 2);
            out.flush();
            assertArrayEquals(new byte[] {1, 3, 4}, Tcp.readFully(conn.peer, 3));
            conn.peer.write(ByteBuffer.wrap(new byte[] {5, 6, 7}));
            byte[] b = new byte[8];
            int n = 0;
            while (n < 3) {
                n += in.read(b, n, 8 - n);
            }
            assertEquals(7, b[2]);
            assertEquals(0, in.read(b, 0, 0));
            assertEquals(0, in.available());
            conn.peer.shutdownOutput();
            assertEquals(-1, in.read());
            assertEquals(-1, in.read(b));
            in.close();
            assertFalse(conn.client.isOpen(), "closing the input stream closes the socket");
            assertTrue(s.isClosed());
        }
        try (Tcp.Conn conn = Tcp.pair(provider)) {
            conn.client.socket().getOutputStream().close();
            assertFalse(conn.client.isOpen(), "closing the output stream closes the socket");
        }
    }

    // AdaptorStreams: the streams throw IllegalBlockingModeException when the channel is non-blocking.
    @DiffTest
    void streamsNeedBlockingMode(SelectorProvider provider) throws Exception {
        try (Tcp.Conn conn = Tcp.pair(provider)) {
            Socket s = conn.client.socket();
            InputStream in = s.getInputStream();
            OutputStream out = s.getOutputStream();
            conn.client.configureBlocking(false);
            expect(IllegalBlockingModeException.class, null, in::read);
            expect(IllegalBlockingModeException.class, null, () -> in.read(new byte[4]));
            expect(IllegalBlockingModeException.class, null, () -> {
                out.write(1);
                return null;
            });
            s.setSoTimeout(50);
            expect(IllegalBlockingModeException.class, null, in::read);
            conn.client.configureBlocking(true);
            out.write(9);
            assertEquals(9, Tcp.readFully(conn.peer, 1)[0]);
        }
    }

    // A reset is sticky through the adaptor's stream too.
    @DiffTest
    void streamConnectionReset(SelectorProvider provider) throws Exception {
        try (Tcp.Conn conn = Tcp.pair(provider)) {
            Tcp.abort(conn.peer);
            Tcp.awaitReadable(provider, conn.client);
            InputStream in = conn.client.socket().getInputStream();
            expect(SocketException.class, "Connection reset", in::read);
            expect(SocketException.class, "Connection reset", in::read);
            expect(SocketException.class, "Connection reset", () -> conn.client.read(ByteBuffer.allocate(1)));
            assertFalse(conn.client.socket().isClosed());
        }
    }

    // Shutdown through the socket; isInputShutdown/isOutputShutdown; streams after shutdown.
    @DiffTest
    void shutdownViaSocket(SelectorProvider provider) throws Exception {
        try (Tcp.Conn conn = Tcp.pair(provider)) {
            Socket s = conn.client.socket();
            InputStream in = s.getInputStream();
            s.shutdownInput();
            assertTrue(s.isInputShutdown());
            assertFalse(s.isOutputShutdown());
            assertEquals(-1, conn.client.read(ByteBuffer.allocate(1)));
            assertEquals(-1, in.read());
            expect(SocketException.class, "Socket input is shutdown", s::getInputStream);
            s.shutdownOutput();
            assertTrue(s.isOutputShutdown());
            assertEquals(-1, conn.peer.read(ByteBuffer.allocate(1)));
            expect(SocketException.class, "Socket output is shutdown", s::getOutputStream);
            s.shutdownInput(); // idempotent
            s.shutdownOutput();
            assertTrue(s.isConnected());
            assertFalse(s.isClosed());
        }
    }

    // Options through the adaptor, with its own validation messages.
    @DiffTest
    void optionsViaSocket(SelectorProvider provider) throws Exception {
        try (SocketChannel c = provider.openSocketChannel()) {
            Socket s = c.socket();
            s.setTcpNoDelay(true);
            assertEquals(true, c.getOption(StandardSocketOptions.TCP_NODELAY));
            s.setKeepAlive(true);
            assertTrue(s.getKeepAlive());
            s.setReuseAddress(true);
            assertTrue(s.getReuseAddress());
            s.setOOBInline(true);
            assertTrue(s.getOOBInline());
            s.setReceiveBufferSize(65536);
            assertEquals(65536, s.getReceiveBufferSize());
            s.setSendBufferSize(65536);
            assertEquals(65536, s.getSendBufferSize());
            s.setTrafficClass(16);
            assertEquals(16, s.getTrafficClass());
            s.setSoLinger(true, 5);
            assertEquals(5, s.getSoLinger());
            s.setSoLinger(true, 70_000);
            assertEquals(65535, s.getSoLinger());
            s.setSoLinger(false, 99);
            assertEquals(-1, s.getSoLinger());
            s.setSoLinger(true, -1);
            assertEquals(-1, s.getSoLinger(), "a negative linger means off");
            expect(IllegalArgumentException.class, "Invalid receive size", () -> {
                s.setReceiveBufferSize(0);
                return null;
            });
            expect(IllegalArgumentException.class, "Invalid send size", () -> {
                s.setSendBufferSize(0);
                return null;
            });
            expect(IllegalArgumentException.class, "Invalid IP_TOS value", () -> {
                s.setTrafficClass(256);
                return null;
            });
            assertSame(s, s.setOption(StandardSocketOptions.TCP_NODELAY, false));
            assertEquals(false, s.getOption(StandardSocketOptions.TCP_NODELAY));
            expect(UnsupportedOperationException.class, "'IP_MULTICAST_TTL' not supported",
                    () -> s.setOption(StandardSocketOptions.IP_MULTICAST_TTL, 1));
            expect(NullPointerException.class, null, () -> s.getOption(null));
        }
    }

    // SendUrgentData, OutOfBand: sendUrgentData; with SO_OOBINLINE the peer reads the byte inline.
    @DiffTest
    void urgentData(SelectorProvider provider) throws Exception {
        try (Tcp.Conn conn = Tcp.pair(provider)) {
            conn.peer.socket().setOOBInline(true);
            conn.client.socket().sendUrgentData(0x1_2A);
            assertEquals(0x2A, Tcp.readFully(conn.peer, 1)[0]);
        }
    }

    // Bind through the adaptor; toString while bound but unconnected.
    @DiffTest
    void bindViaSocket(SelectorProvider provider) throws Exception {
        try (SocketChannel c = provider.openSocketChannel()) {
            Socket s = c.socket();
            s.bind(new InetSocketAddress(LOOPBACK, 0));
            assertTrue(s.isBound());
            assertFalse(s.isConnected());
            assertEquals(local(c).getPort(), s.getLocalPort());
            assertEquals(LOOPBACK, s.getLocalAddress());
            assertEquals("Socket[unconnected]", s.toString());
        }
    }
}
