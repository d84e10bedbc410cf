package io.nativenio.diff;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrowsExactly;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketAddress;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.net.StandardProtocolFamily;
import java.net.StandardSocketOptions;
import java.net.UnknownHostException;
import java.nio.ByteBuffer;
import java.nio.channels.AlreadyConnectedException;
import java.nio.channels.AsynchronousCloseException;
import java.nio.channels.ClosedByInterruptException;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.IllegalBlockingModeException;
import java.nio.channels.NotYetConnectedException;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.channels.spi.SelectorProvider;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

/** SocketChannel.socket(): the Socket adaptor and its streams (behaviours.md#socket-adaptor,
 * behaviours.md#stream-sockets). */
class SocketAdaptorTest {
    private static final InetAddress LOOPBACK = InetAddress.getLoopbackAddress();

    /**
     * From JDK 24 (JDK-8343791) the adaptor checks an unresolved address itself, closes the socket and names
     * the host, and a connect when connected is a SocketException.
     */
    private static final boolean JDK_8343791 = Runtime.version().feature() >= 24;

    /** A connected pair of our test: a listener, a client and the accepted end; closes all three. */
    static final class Conn implements AutoCloseable {
        final ServerSocketChannel listener;
        final SocketChannel client;
        final SocketChannel server;

        Conn(SelectorProvider provider) throws IOException {
            listener = provider.openServerSocketChannel(StandardProtocolFamily.INET);
            try {
                listener.bind(new InetSocketAddress(LOOPBACK, 0));
                client = provider.openSocketChannel(StandardProtocolFamily.INET);
                client.socket().connect(listener.getLocalAddress());
                server = listener.accept();
            } catch (IOException | RuntimeException e) {
                close();
                throw e;
            }
        }

        Socket socket() {
            return client.socket();
        }

        Socket peer() {
            return server.socket();
        }

        @Override
        public void close() throws IOException {
            for (AutoCloseable c : new AutoCloseable[] {server, client, listener}) {
                try {
                    if (c != null) {
                        c.close();
                    }
                } catch (Exception ignore) {
                    // best effort
                }
            }
        }
    }

    /** Asserts that {@code e} throws exactly {@code type} with exactly {@code message} (null: none). */
    static <T extends Throwable> T assertThrowsMessage(Class<T> type, String message, Executable e) {
        T t = assertThrowsExactly(type, e);
        assertEquals(message, t.getMessage(), () -> "message of " + t);
        return t;
    }

    /** The public instance methods {@code base} declares that {@code adaptor} does not declare itself. */
    static Set<String> notOverridden(Class<?> base, Class<?> adaptor) {
        Set<String> missing = new TreeSet<>();
        for (Method m : base.getDeclaredMethods()) {
            if (Modifier.isPublic(m.getModifiers()) && !Modifier.isStatic(m.getModifiers())) {
                try {
                    adaptor.getDeclaredMethod(m.getName(), m.getParameterTypes());
                } catch (NoSuchMethodException e) {
                    missing.add(m.getName());
                }
            }
        }
        return missing;
    }

    /** What {@link #notOverridden} finds for the adaptors of socket() and of ServerSocketChannel.socket(). */
    private static List<Set<String>> notOverridden(SelectorProvider provider) throws IOException {
        try (SocketChannel sc = provider.openSocketChannel(); ServerSocketChannel ssc = provider.openServerSocketChannel()) {
            return List.of(notOverridden(Socket.class, sc.socket().getClass()),
                    notOverridden(ServerSocket.class, ssc.socket().getClass()));
        }
    }

    // The JDK's adaptors override every public method of Socket and ServerSocket but the ones
    // that do nothing or only call overridden methods there: Socket.setPerformancePreferences,
    // ServerSocket.setPerformancePreferences and ServerSocket.getLocalSocketAddress (on 17 and 25)
    // (behaviours.md#serversocket-adaptor).
    @DiffTest
    void overrideThePublicMethods(SelectorProvider provider) throws IOException {
        List<Set<String>> missing = notOverridden(provider);
        assertTrue(Set.of("setPerformancePreferences").containsAll(missing.get(0)), missing::toString);
        assertTrue(Set.of("setPerformancePreferences", "getLocalSocketAddress").containsAll(missing.get(1)),
                missing::toString);
    }

    // Nativenio's adaptors override those too, so no state of Socket or ServerSocket is ever used
    // (behaviours.md#serversocket-adaptor).
    @Test
    void nativenioOverridesEveryPublicMethod() throws IOException {
        assertEquals(List.of(Set.of(), Set.of()), notOverridden(Providers.nativenio()));
    }

    // socket() is one object, before and after close; getChannel() is the channel.
    @DiffTest
    void socketIsTheSameObject(SelectorProvider provider) throws IOException {
        SocketChannel sc = provider.openSocketChannel();
        Socket s = sc.socket();
        assertSame(s, sc.socket());
        assertSame(sc, s.getChannel());
        sc.close();
        assertSame(s, sc.socket());
        assertTrue(s.isClosed());
    }

    /** The state getters of a socket adaptor whose channel is neither bound nor connected. */
    static void assertUnconnectedState(Socket s) throws SocketException {
        assertEquals("Socket[unconnected]", s.toString());
        assertFalse(s.isConnected());
        assertFalse(s.isBound());
        assertFalse(s.isClosed());
        assertFalse(s.isInputShutdown());
        assertFalse(s.isOutputShutdown());
        assertNull(s.getInetAddress());
        assertEquals(0, s.getPort());
        assertEquals(-1, s.getLocalPort());
        assertEquals(new InetSocketAddress(0).getAddress(), s.getLocalAddress());
        assertNull(s.getRemoteSocketAddress());
        assertNull(s.getLocalSocketAddress());
        assertEquals(0, s.getSoTimeout());
    }

    // The getters of an unconnected, unbound socket, and the operations that need a connection.
    @DiffTest
    void unconnected(SelectorProvider provider) throws IOException {
        try (SocketChannel sc = provider.openSocketChannel()) {
            Socket s = sc.socket();
            assertUnconnectedState(s);
            assertThrowsMessage(SocketException.class, "Socket is not connected", s::getInputStream);
            assertThrowsMessage(SocketException.class, "Socket is not connected", s::getOutputStream);
            assertThrowsMessage(SocketException.class, "Socket is not connected", s::shutdownInput);
            assertThrowsMessage(SocketException.class, "Socket is not connected", s::shutdownOutput);
            assertThrowsMessage(NotYetConnectedException.class, null, () -> s.sendUrgentData(1));
            s.setPerformancePreferences(1, 2, 3);
        }
    }

    // Bind, and bind's errors translated to the Socket API's.
    @DiffTest
    void bind(SelectorProvider provider) throws IOException {
        try (SocketChannel sc = provider.openSocketChannel(StandardProtocolFamily.INET)) {
            Socket s = sc.socket();
            s.bind(new InetSocketAddress(LOOPBACK, 0));
            assertTrue(s.isBound());
            assertFalse(s.isConnected());
            assertEquals(sc.getLocalAddress(), s.getLocalSocketAddress());
            assertEquals(LOOPBACK, s.getLocalAddress());
            assertEquals(((InetSocketAddress) sc.getLocalAddress()).getPort(), s.getLocalPort());
            assertEquals("Socket[unconnected]", s.toString());
            assertThrowsMessage(SocketException.class, "Already bound", () -> s.bind(null));
        }
        try (SocketChannel sc = provider.openSocketChannel()) {
            Socket s = sc.socket();
            assertThrowsMessage(SocketException.class, "Unsupported address type", () -> s.bind(new SocketAddress() {
            }));
            assertThrowsMessage(SocketException.class, "Unresolved address",
                    () -> s.bind(InetSocketAddress.createUnresolved("localhost", 0)));
            assertFalse(s.isBound());
            s.bind(null);
            assertTrue(s.isBound());
            assertTrue(s.getLocalAddress().isAnyLocalAddress());
            s.close();
            assertThrowsMessage(ClosedChannelException.class, null, () -> s.bind(null));
            assertEquals(new InetSocketAddress(0).getAddress(), s.getLocalAddress());
        }
    }

    // Connect through the adaptor; the getters and toString of a connected socket; a second connect.
    @DiffTest
    void connected(SelectorProvider provider) throws IOException {
        try (Conn c = new Conn(provider)) {
            Socket s = c.socket();
            InetSocketAddress remote = (InetSocketAddress) c.listener.getLocalAddress();
            assertTrue(s.isConnected());
            assertTrue(s.isBound());
            assertEquals(LOOPBACK, s.getInetAddress());
            assertEquals(remote.getPort(), s.getPort());
            assertEquals(remote, s.getRemoteSocketAddress());
            assertEquals(c.client.getLocalAddress(), s.getLocalSocketAddress());
            assertEquals(LOOPBACK, s.getLocalAddress());
            int localPort = ((InetSocketAddress) c.client.getLocalAddress()).getPort();
            assertEquals(localPort, s.getLocalPort());
            assertEquals("Socket[addr=/" + LOOPBACK.getHostAddress() + ",port=" + remote.getPort() + ",localport=" + localPort + "]",
                    s.toString());
            assertEquals(c.server.getRemoteAddress(), s.getLocalSocketAddress());
            if (JDK_8343791) {
                assertThrowsMessage(SocketException.class, "Already connected", () -> s.connect(remote));
                assertThrowsMessage(SocketException.class, "Already connected", () -> s.connect(remote, 1000));
            } else {
                assertThrowsMessage(AlreadyConnectedException.class, null, () -> s.connect(remote));
            }
            assertTrue(s.isConnected());
            s.close();
            assertTrue(s.isClosed());
            assertFalse(s.isConnected());
            assertEquals("Socket[unconnected]", s.toString());
        }
    }

    // connect's argument checks, in the JDK's order.
    @DiffTest
    void connectArguments(SelectorProvider provider) throws IOException {
        try (SocketChannel sc = provider.openSocketChannel()) {
            Socket s = sc.socket();
            assertThrowsMessage(IllegalArgumentException.class, "connect: The address can't be null", () -> s.connect(null));
            assertThrowsMessage(IllegalArgumentException.class, "connect: The address can't be null",
                    () -> s.connect(null, -1));
            InetSocketAddress any = new InetSocketAddress(LOOPBACK, 1);
            assertThrowsMessage(IllegalArgumentException.class, "connect: timeout can't be negative",
                    () -> s.connect(any, -1));
            assertThrowsMessage(SocketException.class, "Unsupported address type", () -> s.connect(new SocketAddress() {
            }));
            assertFalse(s.isClosed());
        }
    }

    // An unresolved address is an UnknownHostException; from JDK 24 it names the host and closes the socket.
    @DiffTest
    void connectUnresolved(SelectorProvider provider) throws IOException {
        InetSocketAddress unresolved = InetSocketAddress.createUnresolved("nosuchhost.invalid", 80);
        try (SocketChannel sc = provider.openSocketChannel()) {
            Socket s = sc.socket();
            UnknownHostException e = assertThrowsExactly(UnknownHostException.class, () -> s.connect(unresolved));
            if (JDK_8343791) {
                assertEquals(unresolved.toString(), e.getMessage());
                assertTrue(s.isClosed());
                assertThrowsMessage(SocketException.class, "Socket is closed", () -> s.connect(unresolved));
            } else {
                assertNull(e.getMessage());
                assertFalse(s.isClosed());
            }
        }
    }

    // A refused connect is a ConnectException and closes the socket; connect on a closed socket
    // (behaviours.md#connect-state-machine).
    @DiffTest
    void connectRefused(SelectorProvider provider) throws IOException {
        InetSocketAddress free;
        try (ServerSocketChannel ssc = provider.openServerSocketChannel()) {
            ssc.bind(new InetSocketAddress(LOOPBACK, 0));
            free = (InetSocketAddress) ssc.getLocalAddress();
        }
        try (SocketChannel sc = provider.openSocketChannel()) {
            Socket s = sc.socket();
            assertThrowsMessage(ConnectException.class, Tcp.REFUSED_WHEN_POLLED, () -> s.connect(free, 5000));
            assertTrue(s.isClosed());
            assertFalse(sc.isOpen());
            assertThrowsMessage(AsynchronousCloseException.class, null, () -> s.connect(free));
        }
    }

    // A timed connect that succeeds, and one that times out (the listener's queue is full, so the
    // kernel drops the SYN): SocketTimeoutException, and the socket is closed.
    @DiffTest
    void timedConnect(SelectorProvider provider) throws Exception {
        try (ServerSocketChannel ssc = provider.openServerSocketChannel(StandardProtocolFamily.INET)) {
            ssc.bind(new InetSocketAddress(LOOPBACK, 0), 1);
            List<SocketChannel> fillers = new ArrayList<>();
            try {
                try (SocketChannel sc = provider.openSocketChannel(StandardProtocolFamily.INET)) {
                    sc.socket().connect(ssc.getLocalAddress(), 10_000);
                    assertTrue(sc.isConnected());
                }
                for (int i = 0; i < 4; i++) {
                    SocketChannel f = provider.openSocketChannel(StandardProtocolFamily.INET);
                    fillers.add(f);
                    f.configureBlocking(false);
                    f.connect(ssc.getLocalAddress());
                }
                try (SocketChannel sc = provider.openSocketChannel(StandardProtocolFamily.INET)) {
                    Socket s = sc.socket();
                    assertThrowsMessage(SocketTimeoutException.class, "Connect timed out",
                            () -> s.connect(ssc.getLocalAddress(), 200));
                    assertTrue(s.isClosed());
                }
                // A connect that waits in the same queue, and another thread closes the socket
                try (SocketChannel sc = provider.openSocketChannel(StandardProtocolFamily.INET)) {
                    Async<Void> connector = Async.start("connector", () -> {
                        sc.socket().connect(ssc.getLocalAddress(), 60_000);
                        return null;
                    });
                    Providers.awaitBlockedIn(connector.thread, "blockingConnect");
                    sc.socket().close();
                    assertEquals(AsynchronousCloseException.class, connector.failure().getClass());
                }
            } finally {
                for (SocketChannel f : fillers) {
                    f.close();
                }
            }
        }
    }

    // Connect and the streams need a blocking channel.
    @DiffTest
    void nonBlockingChannel(SelectorProvider provider) throws IOException {
        try (SocketChannel sc = provider.openSocketChannel()) {
            sc.configureBlocking(false);
            assertThrowsMessage(IllegalBlockingModeException.class, null,
                    () -> sc.socket().connect(new InetSocketAddress(LOOPBACK, 1)));
            assertTrue(sc.isOpen());
        }
        try (Conn c = new Conn(provider)) {
            InputStream in = c.socket().getInputStream();
            OutputStream out = c.socket().getOutputStream();
            c.client.configureBlocking(false);
            assertThrowsMessage(IllegalBlockingModeException.class, null, in::read);
            assertThrowsMessage(IllegalBlockingModeException.class, null, () -> out.write(1));
            assertEquals(0, in.read(new byte[1], 0, 0));
            assertEquals(0, in.available());
            c.client.configureBlocking(true);
            out.write(7);
            assertEquals(7, c.peer().getInputStream().read());
        }
    }

    // Bytes through the streams both ways, single bytes, available(), arguments, EOF.
    @DiffTest
    void streams(SelectorProvider provider) throws Exception {
        try (Conn c = new Conn(provider)) {
            InputStream in = c.socket().getInputStream();
            OutputStream out = c.socket().getOutputStream();
            InputStream peerIn = c.peer().getInputStream();
            OutputStream peerOut = c.peer().getOutputStream();
            byte[] big = new byte[3 << 20];
            for (int i = 0; i < big.length; i++) {
                big[i] = (byte) (i * 31);
            }
            Async<byte[]> reader = Async.start("reader", () -> peerIn.readNBytes(big.length));
            out.write(big);
            assertArrayEquals(big, reader.get());
            peerOut.write("hello".getBytes(StandardCharsets.US_ASCII));
            assertEquals('h', in.read());
            while (in.available() < 4) {
                Thread.sleep(1);
            }
            assertEquals(4, in.available());
            byte[] b = new byte[8];
            assertEquals(0, in.read(b, 0, 0));
            assertEquals(4, in.read(b, 2, 6));
            assertEquals("ello", new String(b, 2, 4, StandardCharsets.US_ASCII));
            assertThrowsExactly(IndexOutOfBoundsException.class, () -> in.read(b, 4, 5));
            assertThrowsExactly(IndexOutOfBoundsException.class, () -> out.write(b, -1, 1));
            assertThrowsExactly(NullPointerException.class, () -> in.read(null, 0, 1));
            assertThrowsExactly(NullPointerException.class, () -> out.write(null, 0, 1));
            out.write(b, 0, 0);
            peerOut.write(0xff);
            assertEquals(0xff, in.read());
            c.peer().close();
            assertEquals(-1, in.read());
            assertEquals(-1, in.read(b));
            assertEquals(0, in.available());
        }
    }

    // SO_TIMEOUT: a read that times out leaves the socket usable; get and set, and their checks.
    @DiffTest
    void readTimeout(SelectorProvider provider) throws IOException {
        try (Conn c = new Conn(provider)) {
            Socket s = c.socket();
            assertThrowsMessage(IllegalArgumentException.class, "timeout < 0", () -> s.setSoTimeout(-1));
            s.setSoTimeout(100);
            assertEquals(100, s.getSoTimeout());
            InputStream in = s.getInputStream();
            assertThrowsMessage(SocketTimeoutException.class, "Read timed out", in::read);
            assertTrue(s.isConnected());
            c.peer().getOutputStream().write(5);
            assertEquals(5, in.read());
            s.setSoTimeout(0);
            assertEquals(0, s.getSoTimeout());
            s.close();
            assertThrowsMessage(SocketException.class, "Socket is closed", s::getSoTimeout);
            assertThrowsMessage(SocketException.class, "Socket is closed", () -> s.setSoTimeout(1));
        }
    }

    // shutdownInput and shutdownOutput through the adaptor and what the streams then do.
    @DiffTest
    void shutdown(SelectorProvider provider) throws IOException {
        try (Conn c = new Conn(provider)) {
            Socket s = c.socket();
            InputStream in = s.getInputStream();
            OutputStream out = s.getOutputStream();
            s.shutdownInput();
            assertTrue(s.isInputShutdown());
            assertEquals(-1, in.read());
            assertEquals(0, in.available());
            assertThrowsMessage(SocketException.class, "Socket input is shutdown", s::getInputStream);
            s.shutdownInput();
            s.shutdownOutput();
            assertTrue(s.isOutputShutdown());
            assertEquals(-1, c.peer().getInputStream().read());
            assertThrowsMessage(SocketException.class, "Socket output is shutdown", s::getOutputStream);
            // unlike SocketChannel.write after shutdownOutput (AsynchronousCloseException)
            assertThrowsMessage(ClosedChannelException.class, null, () -> out.write(1));
            assertTrue(s.isConnected());
            assertTrue(s.toString().startsWith("Socket[addr="));
            s.close();
            assertThrowsMessage(ClosedChannelException.class, null, s::shutdownInput);
            assertThrowsMessage(ClosedChannelException.class, null, s::shutdownOutput);
        }
    }

    // Closing either stream closes the socket; the streams and the getters of a closed socket.
    @DiffTest
    void closeThroughStreams(SelectorProvider provider) throws IOException {
        try (Conn c = new Conn(provider)) {
            Socket s = c.socket();
            InputStream in = s.getInputStream();
            OutputStream out = s.getOutputStream();
            in.close();
            assertTrue(s.isClosed());
            assertFalse(c.client.isOpen());
            out.close();
            assertThrowsMessage(ClosedChannelException.class, null, in::read);
            assertThrowsMessage(ClosedChannelException.class, null, () -> out.write(1));
            assertThrowsMessage(ClosedChannelException.class, null, in::available);
            assertEquals(0, in.read(new byte[1], 0, 0));
            assertThrowsMessage(SocketException.class, "Socket is closed", s::getInputStream);
            assertThrowsMessage(SocketException.class, "Socket is closed", s::getOutputStream);
            assertThrowsMessage(ClosedChannelException.class, null, () -> s.sendUrgentData(1));
            assertEquals(new InetSocketAddress(0).getAddress(), s.getLocalAddress());
            assertTrue(s.isBound());
            assertEquals(LOOPBACK, s.getInetAddress());
            s.close();
        }
    }

    // A connection reset is sticky for the stream: every read throws "Connection reset"; available() works.
    @DiffTest
    void connectionReset(SelectorProvider provider) throws IOException {
        try (Conn c = new Conn(provider)) {
            InputStream in = c.socket().getInputStream();
            c.peer().setSoLinger(true, 0);
            c.peer().close();
            assertThrowsMessage(SocketException.class, "Connection reset", in::read);
            assertThrowsMessage(SocketException.class, "Connection reset", in::read);
            assertEquals(0, in.available());
            assertTrue(c.socket().isConnected());
        }
    }

    // A thread blocked in a stream read (with and without SO_TIMEOUT) and the socket is closed, or
    // the thread is interrupted.
    @DiffTest
    void asyncCloseOfBlockedRead(SelectorProvider provider) throws Exception {
        for (int timeout : new int[] {0, 60_000}) {
            try (Conn c = new Conn(provider)) {
                c.socket().setSoTimeout(timeout);
                InputStream in = c.socket().getInputStream();
                Async<Integer> reader = Async.start("reader", in::read);
                Providers.awaitBlockedIn(reader.thread, "blockingRead");
                c.socket().close();
                assertEquals(AsynchronousCloseException.class, reader.failure().getClass());
            }
            try (Conn c = new Conn(provider)) {
                c.socket().setSoTimeout(timeout);
                InputStream in = c.socket().getInputStream();
                Async<Boolean> reader = Async.start("reader", () -> {
                    try {
                        in.read();
                        return false;
                    } catch (ClosedByInterruptException e) {
                        return Thread.currentThread().isInterrupted();
                    }
                });
                Providers.awaitBlockedIn(reader.thread, "blockingRead");
                reader.thread.interrupt();
                assertTrue(reader.get());
                assertTrue(c.socket().isClosed());
            }
        }
    }

    // A stream write blocked on a full send buffer fails when the output is shut down (the socket
    // stays open) or the socket is closed; a read blocked when the input is shut down returns EOF.
    @DiffTest
    void shutdownAndCloseOfBlockedStreams(SelectorProvider provider) throws Exception {
        try (Conn c = new Conn(provider)) {
            InputStream in = c.socket().getInputStream();
            Async<Integer> reader = Async.start("reader", in::read);
            Providers.awaitBlockedIn(reader.thread, "blockingRead");
            c.socket().shutdownInput();
            assertEquals(-1, reader.get());
            assertTrue(c.socket().isConnected());
        }
        for (boolean close : new boolean[] {false, true}) {
            try (Conn c = new Conn(provider)) {
                OutputStream out = c.socket().getOutputStream();
                Async<Void> writer = Async.start("writer", () -> {
                    out.write(new byte[64 << 20]);
                    return null;
                });
                Providers.awaitBlockedIn(writer.thread, "blockingWriteFully");
                if (close) {
                    c.socket().close();
                } else {
                    c.socket().shutdownOutput();
                }
                Throwable t = writer.failure();
                if (close) {
                    assertEquals(AsynchronousCloseException.class, t.getClass(), t::toString);
                } else { // unlike SocketChannel.write (AsynchronousCloseException): the fd's own error
                    assertEquals(IOException.class, t.getClass(), t::toString);
                    assertEquals("Broken pipe", t.getMessage());
                }
                assertEquals(close, c.socket().isClosed());
            }
        }
    }

    // The options through the Socket API, their translation and their checks.
    @DiffTest
    void options(SelectorProvider provider) throws IOException {
        try (Conn c = new Conn(provider)) {
            Socket s = c.socket();
            assertFalse(s.getTcpNoDelay());
            s.setTcpNoDelay(true);
            assertTrue(s.getTcpNoDelay());
            assertEquals(true, c.client.getOption(StandardSocketOptions.TCP_NODELAY));
            assertEquals(-1, s.getSoLinger());
            s.setSoLinger(true, 5);
            assertEquals(5, s.getSoLinger());
            s.setSoLinger(true, 70_000);
            assertEquals(65535, s.getSoLinger());
            s.setSoLinger(false, 5);
            assertEquals(-1, s.getSoLinger());
            s.setSoLinger(true, -3);
            assertEquals(-1, s.getSoLinger());
            assertFalse(s.getKeepAlive());
            s.setKeepAlive(true);
            assertTrue(s.getKeepAlive());
            s.setReuseAddress(true);
            assertTrue(s.getReuseAddress());
            s.setReuseAddress(false);
            assertFalse(s.getReuseAddress());
            s.setSendBufferSize(65536);
            assertEquals(65536, s.getSendBufferSize());
            s.setReceiveBufferSize(65536);
            assertEquals(65536, s.getReceiveBufferSize());
            assertThrowsMessage(IllegalArgumentException.class, "Invalid send size", () -> s.setSendBufferSize(0));
            assertThrowsMessage(IllegalArgumentException.class, "Invalid receive size", () -> s.setReceiveBufferSize(-1));
            s.setTrafficClass(0x10);
            assertEquals(0x10, s.getTrafficClass());
            assertThrowsExactly(IllegalArgumentException.class, () -> s.setTrafficClass(256));
            assertFalse(s.getOOBInline());
            s.setOOBInline(true);
            assertTrue(s.getOOBInline());
            assertEquals(c.client.supportedOptions(), s.supportedOptions());
            assertSame(s, s.setOption(StandardSocketOptions.SO_KEEPALIVE, false));
            assertEquals(false, s.getOption(StandardSocketOptions.SO_KEEPALIVE));
            assertThrowsExactly(UnsupportedOperationException.class,
                    () -> s.setOption(StandardSocketOptions.IP_MULTICAST_LOOP, true));
            s.close();
            assertThrowsMessage(SocketException.class, "Socket is closed", () -> s.setTcpNoDelay(true));
            assertThrowsMessage(SocketException.class, "Socket is closed", s::getTcpNoDelay);
            assertThrowsMessage(SocketException.class, "Socket is closed", s::getSoLinger);
            assertThrowsMessage(SocketException.class, "Socket is closed", () -> s.setReceiveBufferSize(1024));
            assertThrowsMessage(SocketException.class, "Socket is closed", s::getOOBInline);
            assertThrowsMessage(ClosedChannelException.class, null, () -> s.setOption(StandardSocketOptions.SO_KEEPALIVE, true));
            assertThrowsMessage(ClosedChannelException.class, null, () -> s.getOption(StandardSocketOptions.SO_KEEPALIVE));
            assertEquals(c.client.supportedOptions(), s.supportedOptions());
            s.setPerformancePreferences(0, 1, 2);
        }
    }

    // sendUrgentData; with SO_OOBINLINE the peer reads the urgent byte in line with the data.
    @DiffTest
    void sendUrgentData(SelectorProvider provider) throws IOException {
        try (Conn c = new Conn(provider)) {
            c.peer().setOOBInline(true);
            c.socket().getOutputStream().write('x');
            c.socket().sendUrgentData('A');
            InputStream in = c.peer().getInputStream();
            assertEquals('x', in.read());
            assertEquals('A', in.read());
        }
    }

    // What HttpServer, Jetty and Tomcat do: configure through the adaptors, then use the channel
    // (behaviours.md#serversocket-adaptor).
    @DiffTest
    void configureThenUseTheChannel(SelectorProvider provider) throws IOException {
        try (ServerSocketChannel ssc = provider.openServerSocketChannel()) {
            ServerSocket ss = ssc.socket();
            ss.setReuseAddress(true);
            ss.bind(new InetSocketAddress(LOOPBACK, 0), 100);
            try (SocketChannel sc = provider.openSocketChannel()) {
                sc.socket().setTcpNoDelay(true);
                sc.socket().setKeepAlive(true);
                sc.connect(new InetSocketAddress(LOOPBACK, ss.getLocalPort()));
                try (SocketChannel peer = ssc.accept()) {
                    peer.socket().setTcpNoDelay(true);
                    sc.write(ByteBuffer.wrap(new byte[] {1, 2}));
                    ByteBuffer dst = ByteBuffer.allocate(2);
                    while (dst.hasRemaining()) {
                        peer.read(dst);
                    }
                    assertEquals(sc.socket().getLocalPort(), peer.socket().getPort());
                }
            }
        }
    }
}
