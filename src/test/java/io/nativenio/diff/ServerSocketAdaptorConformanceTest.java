package io.nativenio.diff;

import static io.nativenio.diff.Tcp.LOOPBACK;
import static io.nativenio.diff.Tcp.expect;
import static io.nativenio.diff.Tcp.local;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.BindException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.AsynchronousCloseException;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.IllegalBlockingModeException;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.channels.spi.SelectorProvider;

/** The socket() adaptor of ServerSocketChannel (behaviours.md#serversocket-adaptor,
 * behaviours.md#operations-on-a-closed-blocking-channel). */
class ServerSocketAdaptorConformanceTest {

    // Same object, getChannel, unbound getters and toString.
    @DiffTest
    void unboundGetters(SelectorProvider provider) throws Exception {
        try (ServerSocketChannel ch = provider.openServerSocketChannel()) {
            ServerSocket s = ch.socket();
            assertSame(s, ch.socket());
            assertSame(ch, s.getChannel());
            assertEquals("ServerSocket[unbound]", s.toString());
            assertFalse(s.isBound());
            assertFalse(s.isClosed());
            assertEquals(-1, s.getLocalPort());
            assertNull(s.getInetAddress());
            assertNull(s.getLocalSocketAddress());
            assertEquals(0, s.getSoTimeout());
            assertTrue(s.getReuseAddress(), "bind and socket defaults: SO_REUSEADDR on");
            assertEquals(ch.getOption(StandardSocketOptions.SO_RCVBUF), s.getReceiveBufferSize());
            expect(SocketException.class, "Socket is not bound yet", s::accept);
            expect(IllegalArgumentException.class, "timeout < 0", () -> {
                s.setSoTimeout(-1);
                return null;
            });
            expect(IllegalArgumentException.class, "size cannot be 0 or negative", () -> {
                s.setReceiveBufferSize(0);
                return null;
            });
        }
    }

    // HttpServer's schan.socket().bind(addr, backlog): bind with a backlog, bound getters, errors.
    @DiffTest
    void bindWithBacklog(SelectorProvider provider) throws Exception {
        try (ServerSocketChannel ch = provider.openServerSocketChannel(); ServerSocketChannel other = Tcp.listen(provider)) {
            ServerSocket s = ch.socket();
            expect(BindException.class, "Address already in use", () -> {
                s.bind(local(other), 0);
                return null;
            });
            assertFalse(s.isBound());
            assertTrue(ch.isOpen(), "a failed bind does not close");
            Tcp.assertAdaptorBindErrors(s::bind);
            s.bind(new InetSocketAddress(LOOPBACK, 0), 5);
            assertTrue(s.isBound());
            assertEquals(local(ch).getPort(), s.getLocalPort());
            assertEquals(LOOPBACK, s.getInetAddress());
            assertEquals(local(ch), s.getLocalSocketAddress());
            assertEquals("ServerSocket[addr=/127.0.0.1,localport=" + s.getLocalPort() + "]", s.toString());
            expect(SocketException.class, "Already bound", () -> {
                s.bind(null);
                return null;
            });
        }
    }

    // Accept returns the accepted channel's socket(); SO_TIMEOUT gives SocketTimeoutException.
    @DiffTest
    void acceptAndTimeout(SelectorProvider provider) throws Exception {
        try (ServerSocketChannel ch = Tcp.listen(provider); SocketChannel c = provider.openSocketChannel()) {
            ServerSocket s = ch.socket();
            s.setSoTimeout(100);
            assertEquals(100, s.getSoTimeout());
            expect(SocketTimeoutException.class, "Accept timed out", s::accept);
            assertTrue(ch.isOpen());
            assertTrue(ch.isBlocking(), "blocking mode restored after the timed accept");
            c.connect(local(ch));
            try (Socket a = s.accept()) {
                SocketChannel ac = a.getChannel();
                assertSame(a, ac.socket());
                assertSame(provider, ac.provider());
                assertTrue(ac.isBlocking());
                assertTrue(a.isConnected());
                assertEquals(local(c), a.getRemoteSocketAddress());
                c.write(ByteBuffer.wrap(new byte[] {11}));
                assertEquals(11, a.getInputStream().read());
            }
        }
    }

    // NonBlockingAccept: accept through the adaptor of a non-blocking channel: IllegalBlockingModeException.
    @DiffTest
    void nonBlockingAccept(SelectorProvider provider) throws Exception {
        try (ServerSocketChannel ch = Tcp.listen(provider)) {
            ch.configureBlocking(false);
            expect(IllegalBlockingModeException.class, null, ch.socket()::accept);
            ch.socket().setSoTimeout(50);
            expect(IllegalBlockingModeException.class, null, ch.socket()::accept);
            assertTrue(ch.isOpen());
        }
    }

    // A closed server adaptor: getters keep the address; options "Socket is closed"; accept
    // of a blocking one as the channel's (AsynchronousCloseException on 17, ClosedChannelException on 25).
    @DiffTest
    void closed(SelectorProvider provider) throws Exception {
        ServerSocketChannel ch = Tcp.listen(provider);
        ServerSocket s = ch.socket();
        int port = s.getLocalPort();
        s.close();
        assertFalse(ch.isOpen());
        assertTrue(s.isClosed());
        assertTrue(s.isBound());
        assertEquals(port, s.getLocalPort());
        assertEquals(LOOPBACK, s.getInetAddress());
        assertEquals("ServerSocket[addr=/127.0.0.1,localport=" + port + "]", s.toString());
        expect(SocketException.class, "Socket is closed", s::getSoTimeout);
        expect(SocketException.class, "Socket is closed", s::getReceiveBufferSize);
        expect(SocketException.class, "Socket is closed", () -> {
            s.setSoTimeout(5);
            return null;
        });
        expect(ClosedChannelException.class, null, () -> {
            s.bind(null);
            return null;
        });
        Class<? extends Throwable> accept = Runtime.version().feature() <= 22 ? AsynchronousCloseException.class
                : ClosedChannelException.class;
        expect(accept, null, s::accept);
        ServerSocketChannel unbound = provider.openServerSocketChannel();
        unbound.close();
        assertEquals("ServerSocket[unbound]", unbound.socket().toString());
    }

    // HttpServer's pattern: register for OP_ACCEPT, accept, cancel, selectNow, back to blocking.
    @DiffTest
    void httpServerPattern(SelectorProvider provider) throws Exception {
        try (ServerSocketChannel ch = provider.openServerSocketChannel(); Selector sel = provider.openSelector();
                SocketChannel c = provider.openSocketChannel()) {
            ch.socket().bind(new InetSocketAddress(LOOPBACK, 0), 0);
            ch.configureBlocking(false);
            SelectionKey k = ch.register(sel, SelectionKey.OP_ACCEPT);
            c.connect(ch.socket().getLocalSocketAddress());
            assertEquals(1, sel.select(10_000));
            try (SocketChannel a = ch.accept()) {
                a.socket().setTcpNoDelay(true);
                assertEquals(true, a.getOption(StandardSocketOptions.TCP_NODELAY));
                assertEquals(local(c), a.socket().getRemoteSocketAddress());
            }
            k.cancel();
            sel.selectNow();
            ch.configureBlocking(true);
            assertTrue(ch.isBlocking());
        }
    }
}
