package io.nativenio.diff;

import static io.nativenio.diff.SocketAdaptorTest.assertThrowsMessage;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrowsExactly;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.BindException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketAddress;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.net.StandardProtocolFamily;
import java.net.StandardSocketOptions;
import java.nio.channels.AsynchronousCloseException;
import java.nio.channels.ClosedByInterruptException;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.IllegalBlockingModeException;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.channels.spi.SelectorProvider;

/** ServerSocketChannel.socket(): the ServerSocket adaptor (behaviours.md#serversocket-adaptor,
 * behaviours.md#stream-sockets). */
class ServerSocketAdaptorTest {
    private static final InetAddress LOOPBACK = InetAddress.getLoopbackAddress();

    /** An accept on a closed channel: AsynchronousCloseException up to 22, ClosedChannelException from 23
     * (behaviours.md#operations-on-a-closed-blocking-channel). */
    private static final Class<? extends IOException> CLOSED_ACCEPT = Runtime.version().feature() >= 23
            ? ClosedChannelException.class : AsynchronousCloseException.class;

    /** A listening channel of {@code provider}, bound through its adaptor to an ephemeral loopback port. */
    private static ServerSocketChannel listening(SelectorProvider provider) throws IOException {
        ServerSocketChannel ssc = provider.openServerSocketChannel(StandardProtocolFamily.INET);
        ssc.socket().bind(new InetSocketAddress(LOOPBACK, 0));
        return ssc;
    }

    // socket() is one object, before and after close; getChannel() is the channel.
    @DiffTest
    void socketIsTheSameObject(SelectorProvider provider) throws IOException {
        ServerSocketChannel ssc = provider.openServerSocketChannel();
        ServerSocket ss = ssc.socket();
        assertSame(ss, ssc.socket());
        assertSame(ssc, ss.getChannel());
        ss.close();
        assertFalse(ssc.isOpen());
        assertTrue(ss.isClosed());
        assertSame(ss, ssc.socket());
    }

    // The getters of an unbound server socket; accept needs a bound one.
    @DiffTest
    void unbound(SelectorProvider provider) throws IOException {
        try (ServerSocketChannel ssc = provider.openServerSocketChannel()) {
            ServerSocket ss = ssc.socket();
            assertEquals("ServerSocket[unbound]", ss.toString());
            assertFalse(ss.isBound());
            assertFalse(ss.isClosed());
            assertNull(ss.getInetAddress());
            assertEquals(-1, ss.getLocalPort());
            assertNull(ss.getLocalSocketAddress());
            assertEquals(0, ss.getSoTimeout());
            assertThrowsMessage(SocketException.class, "Socket is not bound yet", ss::accept);
            ss.setSoTimeout(100);
            assertThrowsMessage(SocketException.class, "Socket is not bound yet", ss::accept);
            ss.setPerformancePreferences(1, 2, 3);
        }
    }

    // bind(null) is the wildcard address; the getters and toString of a bound server socket.
    @DiffTest
    void bindNull(SelectorProvider provider) throws IOException {
        try (ServerSocketChannel ssc = provider.openServerSocketChannel()) {
            ServerSocket ss = ssc.socket();
            ss.bind(null);
            assertTrue(ss.isBound());
            InetSocketAddress local = (InetSocketAddress) ssc.getLocalAddress();
            assertTrue(ss.getInetAddress().isAnyLocalAddress());
            assertEquals(local.getAddress(), ss.getInetAddress());
            assertEquals(local.getPort(), ss.getLocalPort());
            assertEquals(local, ss.getLocalSocketAddress());
            assertEquals("ServerSocket[addr=" + local.getAddress() + ",localport=" + local.getPort() + "]", ss.toString());
            assertThrowsMessage(SocketException.class, "Already bound", () -> ss.bind(null));
            assertThrowsMessage(SocketException.class, "Already bound", () -> ss.bind(null, 5));
        }
    }

    // bind's errors, translated or not as the JDK does.
    @DiffTest
    void bindErrors(SelectorProvider provider) throws IOException {
        try (ServerSocketChannel taken = listening(provider); ServerSocketChannel ssc = provider.openServerSocketChannel()) {
            ServerSocket ss = ssc.socket();
            ss.setReuseAddress(false);
            assertThrowsMessage(BindException.class, "Address already in use", () -> ss.bind(taken.getLocalAddress()));
            assertThrowsMessage(SocketException.class, "Unsupported address type", () -> ss.bind(new SocketAddress() {
            }));
            assertThrowsMessage(SocketException.class, "Unresolved address",
                    () -> ss.bind(InetSocketAddress.createUnresolved("localhost", 0), 10));
            assertFalse(ss.isBound());
            assertTrue(ssc.isOpen());
            ss.bind(new InetSocketAddress(LOOPBACK, 0), -1);
            assertEquals("ServerSocket[addr=" + ss.getInetAddress() + ",localport=" + ss.getLocalPort() + "]", ss.toString());
            ss.close();
            assertThrowsMessage(ClosedChannelException.class, null, () -> ss.bind(null));
            assertTrue(ss.isBound());
        }
    }

    // Accept returns the accepted channel's own adaptor, connected, of the same provider.
    @DiffTest
    void accept(SelectorProvider provider) throws IOException {
        try (ServerSocketChannel ssc = listening(provider); SocketChannel client = provider.openSocketChannel()) {
            client.connect(ssc.getLocalAddress());
            try (Socket s = ssc.socket().accept()) {
                SocketChannel accepted = s.getChannel();
                assertSame(provider, accepted.provider());
                assertSame(s, accepted.socket());
                assertTrue(accepted.isBlocking());
                assertTrue(s.isConnected());
                assertEquals(client.getLocalAddress(), s.getRemoteSocketAddress());
                assertEquals(ssc.socket().getLocalPort(), s.getLocalPort());
                assertEquals("Socket[addr=" + s.getInetAddress() + ",port=" + s.getPort() + ",localport="
                        + s.getLocalPort() + "]", s.toString());
                s.getOutputStream().write(9);
                assertEquals(9, client.socket().getInputStream().read());
            }
        }
    }

    // Accept needs blocking mode, but a non-blocking channel without SO_TIMEOUT still accepts a
    // connection that is waiting (the JDK's long-standing behaviour).
    @DiffTest
    void nonBlockingAccept(SelectorProvider provider) throws Exception {
        try (ServerSocketChannel ssc = listening(provider); SocketChannel client = provider.openSocketChannel()) {
            ServerSocket ss = ssc.socket();
            ssc.configureBlocking(false);
            assertThrowsMessage(IllegalBlockingModeException.class, null, ss::accept);
            client.connect(ssc.getLocalAddress());
            ss.setSoTimeout(1000);
            assertThrowsMessage(IllegalBlockingModeException.class, null, ss::accept);
            ss.setSoTimeout(0);
            Socket s = null;
            while (s == null) { // the connection may not be in the queue yet
                try {
                    s = ss.accept();
                } catch (IllegalBlockingModeException e) {
                    Thread.sleep(1);
                }
            }
            try (Socket accepted = s) {
                assertTrue(accepted.getChannel().isBlocking());
                assertEquals(client.getLocalAddress(), accepted.getRemoteSocketAddress());
            }
        }
    }

    // SO_TIMEOUT: an accept that times out leaves the server socket usable; get and set, and their checks.
    @DiffTest
    void acceptTimeout(SelectorProvider provider) throws IOException {
        try (ServerSocketChannel ssc = listening(provider); SocketChannel client = provider.openSocketChannel()) {
            ServerSocket ss = ssc.socket();
            assertThrowsMessage(IllegalArgumentException.class, "timeout < 0", () -> ss.setSoTimeout(-1));
            ss.setSoTimeout(100);
            assertEquals(100, ss.getSoTimeout());
            assertThrowsMessage(SocketTimeoutException.class, "Accept timed out", ss::accept);
            assertTrue(ssc.isOpen());
            client.connect(ssc.getLocalAddress());
            ss.setSoTimeout(10_000);
            try (Socket s = ss.accept()) {
                assertEquals(client.getLocalAddress(), s.getRemoteSocketAddress());
            }
            ss.close();
            assertThrowsMessage(SocketException.class, "Socket is closed", ss::getSoTimeout);
            assertThrowsMessage(SocketException.class, "Socket is closed", () -> ss.setSoTimeout(1));
        }
    }

    // Accept on a closed server socket, with and without SO_TIMEOUT.
    @DiffTest
    void acceptClosed(SelectorProvider provider) throws IOException {
        ServerSocketChannel ssc = listening(provider);
        ServerSocket ss = ssc.socket();
        ss.setSoTimeout(100);
        ss.close();
        assertThrowsMessage(AsynchronousCloseException.class, null, ss::accept); // blockingAccept, on 17 and 25
        ServerSocketChannel ssc2 = listening(provider);
        ssc2.close();
        assertThrowsMessage(CLOSED_ACCEPT, null, ssc2.socket()::accept);
    }

    // A thread blocked in accept (with and without SO_TIMEOUT) and the server socket is closed,
    // or the thread is interrupted.
    @DiffTest
    void asyncCloseOfBlockedAccept(SelectorProvider provider) throws Exception {
        for (int timeout : new int[] {0, 60_000}) {
            try (ServerSocketChannel ssc = listening(provider)) {
                ssc.socket().setSoTimeout(timeout);
                Async<Socket> acceptor = Async.start("acceptor", ssc.socket()::accept);
                Providers.awaitBlockedIn(acceptor.thread, "accept", "blockingAccept");
                ssc.socket().close();
                assertEquals(AsynchronousCloseException.class, acceptor.failure().getClass());
            }
            try (ServerSocketChannel ssc = listening(provider)) {
                ssc.socket().setSoTimeout(timeout);
                Async<Boolean> acceptor = Async.start("acceptor", () -> {
                    try (Socket s = ssc.socket().accept()) {
                        return false;
                    } catch (ClosedByInterruptException e) {
                        return Thread.currentThread().isInterrupted();
                    }
                });
                Providers.awaitBlockedIn(acceptor.thread, "accept", "blockingAccept");
                acceptor.thread.interrupt();
                assertTrue(acceptor.get());
                assertTrue(ssc.socket().isClosed());
            }
        }
    }

    // The options through the ServerSocket API, their translation and their checks.
    @DiffTest
    void options(SelectorProvider provider) throws IOException {
        try (ServerSocketChannel ssc = provider.openServerSocketChannel()) {
            ServerSocket ss = ssc.socket();
            assertTrue(ss.getReuseAddress());
            ss.setReuseAddress(false);
            assertFalse(ss.getReuseAddress());
            assertEquals(false, ssc.getOption(StandardSocketOptions.SO_REUSEADDR));
            ss.setReceiveBufferSize(65536);
            assertEquals(65536, ss.getReceiveBufferSize());
            assertThrowsMessage(IllegalArgumentException.class, "size cannot be 0 or negative", () -> ss.setReceiveBufferSize(0));
            assertEquals(ssc.supportedOptions(), ss.supportedOptions());
            assertSame(ss, ss.setOption(StandardSocketOptions.SO_RCVBUF, 32768));
            assertEquals(32768, ss.getOption(StandardSocketOptions.SO_RCVBUF));
            assertThrowsExactly(UnsupportedOperationException.class, () -> ss.setOption(StandardSocketOptions.IP_TOS, 0));
            ss.close();
            assertThrowsMessage(SocketException.class, "Socket is closed", () -> ss.setReuseAddress(true));
            assertThrowsMessage(SocketException.class, "Socket is closed", ss::getReuseAddress);
            assertThrowsMessage(SocketException.class, "Socket is closed", () -> ss.setReceiveBufferSize(1024));
            assertThrowsMessage(SocketException.class, "Socket is closed", ss::getReceiveBufferSize);
            assertThrowsMessage(ClosedChannelException.class, null, () -> ss.setOption(StandardSocketOptions.SO_RCVBUF, 1024));
            assertThrowsMessage(ClosedChannelException.class, null, () -> ss.getOption(StandardSocketOptions.SO_RCVBUF));
            assertEquals(ssc.supportedOptions(), ss.supportedOptions());
            ss.setPerformancePreferences(0, 1, 2);
        }
    }

    // The wildcard address of an IPv6 server socket, and its toString.
    @DiffTest
    void ipv6(SelectorProvider provider) throws IOException {
        try (ServerSocketChannel ssc = provider.openServerSocketChannel(StandardProtocolFamily.INET6)) {
            ServerSocket ss = ssc.socket();
            ss.bind(new InetSocketAddress(InetAddress.getByName("::"), 0));
            assertTrue(ss.getInetAddress().isAnyLocalAddress());
            assertEquals("ServerSocket[addr=" + ss.getInetAddress() + ",localport=" + ss.getLocalPort() + "]", ss.toString());
            try (SocketChannel client = provider.openSocketChannel(StandardProtocolFamily.INET6)) {
                client.socket().connect(new InetSocketAddress(InetAddress.getByName("::1"), ss.getLocalPort()));
                try (Socket s = ss.accept()) {
                    assertEquals(InetAddress.getByName("::1"), s.getInetAddress());
                    assertEquals(client.socket().getLocalPort(), s.getPort());
                }
            }
        }
    }
}
