package io.nativenio.diff;

import static io.nativenio.diff.Tcp.LOOPBACK;
import static io.nativenio.diff.Tcp.expect;
import static io.nativenio.diff.Tcp.local;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.BindException;
import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.StandardProtocolFamily;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.AlreadyBoundException;
import java.nio.channels.AsynchronousCloseException;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.NotYetBoundException;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.channels.UnsupportedAddressTypeException;
import java.nio.channels.spi.SelectorProvider;
import java.util.ArrayList;
import java.util.List;

/** ServerSocketChannel bind and accept (behaviours.md#stream-sockets, behaviours.md#readiness-per-channel-type,
 * behaviours.md#operations-on-a-closed-blocking-channel). */
class ServerSocketTest {

    // A blocking accept returns a blocking, connected channel of the same provider with both addresses set.
    @DiffTest
    void bindAndAccept(SelectorProvider provider) throws Exception {
        try (ServerSocketChannel server = provider.openServerSocketChannel()) {
            assertSame(provider, server.provider());
            assertTrue(server.isBlocking());
            assertNull(server.getLocalAddress(), "bind and socket defaults: null before bind");
            assertSame(server, server.bind(new InetSocketAddress(LOOPBACK, 0)));
            InetSocketAddress addr = local(server);
            assertEquals(LOOPBACK, addr.getAddress());
            assertNotEquals(0, addr.getPort());
            try (SocketChannel client = provider.openSocketChannel()) {
                client.connect(addr);
                try (SocketChannel accepted = server.accept()) {
                    assertNotNull(accepted);
                    assertSame(provider, accepted.provider());
                    assertTrue(accepted.isBlocking());
                    assertTrue(accepted.isConnected());
                    assertFalse(accepted.isConnectionPending());
                    assertTrue(accepted.isOpen());
                    assertEquals(addr, accepted.getLocalAddress());
                    assertEquals(local(client), accepted.getRemoteAddress());
                    accepted.write(ByteBuffer.wrap(new byte[] {7}));
                    assertEquals(7, Tcp.readFully(client, 1)[0]);
                }
            }
            assertTrue(server.isOpen(), "closing an accepted channel leaves the server open");
        }
    }

    // bind(null) binds the wildcard address on an ephemeral port; a second bind throws.
    @DiffTest
    void bindNullAndAlreadyBound(SelectorProvider provider) throws Exception {
        try (ServerSocketChannel server = provider.openServerSocketChannel(StandardProtocolFamily.INET)) {
            server.bind(null);
            InetSocketAddress addr = local(server);
            assertTrue(addr.getAddress().isAnyLocalAddress());
            assertInstanceOf(Inet4Address.class, addr.getAddress());
            assertNotEquals(0, addr.getPort());
            expect(AlreadyBoundException.class, null, () -> server.bind(null));
            expect(AlreadyBoundException.class, null, () -> server.bind(new InetSocketAddress(LOOPBACK, 0), 5));
            assertEquals(addr, server.getLocalAddress());
            // the wildcard server accepts a loopback client
            try (SocketChannel c = provider.openSocketChannel()) {
                c.connect(new InetSocketAddress(LOOPBACK, addr.getPort()));
                server.accept().close();
            }
        }
        try (ServerSocketChannel server = provider.openServerSocketChannel();
                ServerSocketChannel j = Providers.jdk().openServerSocketChannel()) {
            server.bind(null);
            j.bind(null);
            assertSame(local(j).getAddress().getClass(), local(server).getAddress().getClass(),
                    "default family as the JDK's");
        }
    }

    // address in use -> BindException; SO_REUSEADDR is true by default on a server (false on a client).
    @DiffTest
    void bindErrorsAndReuseAddress(SelectorProvider provider) throws Exception {
        try (ServerSocketChannel a = Tcp.listen(provider); ServerSocketChannel b = provider.openServerSocketChannel();
                SocketChannel c = provider.openSocketChannel()) {
            assertEquals(Boolean.TRUE, b.getOption(StandardSocketOptions.SO_REUSEADDR));
            assertEquals(Boolean.FALSE, c.getOption(StandardSocketOptions.SO_REUSEADDR));
            Tcp.assertBindErrors(b, a);
            b.bind(new InetSocketAddress(LOOPBACK, 0), 3);
            assertNotNull(b.getLocalAddress(), "still usable after the failed binds");
        }
        try (ServerSocketChannel s = provider.openServerSocketChannel(StandardProtocolFamily.INET)) {
            expect(UnsupportedAddressTypeException.class, null,
                    () -> s.bind(new InetSocketAddress(InetAddress.getByName("::1"), 0)));
        }
    }

    // Accept before bind throws NotYetBoundException, blocking or not.
    @DiffTest
    void acceptNotBound(SelectorProvider provider) throws Exception {
        try (ServerSocketChannel server = provider.openServerSocketChannel()) {
            expect(NotYetBoundException.class, null, server::accept);
            server.configureBlocking(false);
            expect(NotYetBoundException.class, null, server::accept);
            assertTrue(server.isOpen());
        }
    }

    // non-blocking accept returns null when nothing is pending; OP_ACCEPT; the accepted channel is
    // blocking even though the server is not.
    @DiffTest
    void nonBlockingAccept(SelectorProvider provider) throws Exception {
        try (ServerSocketChannel server = Tcp.listen(provider); Selector sel = provider.openSelector();
                SocketChannel client = provider.openSocketChannel()) {
            assertEquals(SelectionKey.OP_ACCEPT, server.validOps());
            server.configureBlocking(false);
            assertNull(server.accept());
            SelectionKey k = server.register(sel, SelectionKey.OP_ACCEPT);
            assertEquals(0, sel.selectNow());
            client.connect(local(server));
            assertEquals(1, sel.select(10_000));
            assertEquals(SelectionKey.OP_ACCEPT, k.readyOps());
            sel.selectedKeys().clear();
            try (SocketChannel accepted = server.accept()) {
                assertNotNull(accepted);
                assertTrue(accepted.isBlocking(), "accepted channels start blocking");
                assertTrue(accepted.isConnected());
                assertSame(provider, accepted.provider());
                assertEquals(local(client), accepted.getRemoteAddress());
            }
            assertNull(server.accept());
            assertEquals(0, sel.selectNow());
        }
    }

    // backlog < 1 means the default; a positive backlog works; the queue holds several connections.
    @DiffTest
    void backlog(SelectorProvider provider) throws Exception {
        for (int backlog : new int[] {-1, 0, 1, 50}) {
            try (ServerSocketChannel server = provider.openServerSocketChannel()) {
                server.bind(new InetSocketAddress(LOOPBACK, 0), backlog);
                List<SocketChannel> clients = new ArrayList<>();
                try {
                    for (int i = 0; i < 2; i++) {
                        SocketChannel c = provider.openSocketChannel();
                        clients.add(c);
                        c.connect(local(server));
                    }
                    for (int i = 0; i < 2; i++) {
                        server.accept().close();
                    }
                } finally {
                    for (SocketChannel c : clients) {
                        c.close();
                    }
                }
            }
        }
    }

    // IPv6 servers: INET6 on ::1; a dual-stack wildcard server reports IPv4 clients as IPv4 addresses.
    @DiffTest
    void ipv6Server(SelectorProvider provider) throws Exception {
        InetAddress v6loopback = InetAddress.getByName("::1");
        try (ServerSocketChannel server = provider.openServerSocketChannel(StandardProtocolFamily.INET6)) {
            server.bind(new InetSocketAddress(v6loopback, 0));
            try (SocketChannel c = provider.openSocketChannel(StandardProtocolFamily.INET6)) {
                c.connect(local(server));
                try (SocketChannel a = server.accept()) {
                    assertInstanceOf(Inet6Address.class, ((InetSocketAddress) a.getRemoteAddress()).getAddress());
                    assertEquals(local(c), a.getRemoteAddress());
                }
            }
        }
        try (ServerSocketChannel server = provider.openServerSocketChannel(StandardProtocolFamily.INET6)) {
            server.bind(null);
            assertInstanceOf(Inet6Address.class, local(server).getAddress());
            try (SocketChannel c = provider.openSocketChannel(StandardProtocolFamily.INET)) {
                c.connect(new InetSocketAddress(LOOPBACK, local(server).getPort()));
                try (SocketChannel a = server.accept()) {
                    InetSocketAddress remote = (InetSocketAddress) a.getRemoteAddress();
                    assertInstanceOf(Inet4Address.class, remote.getAddress(), "mapped address reported as IPv4");
                    assertEquals(local(c), remote);
                    assertEquals(LOOPBACK, ((InetSocketAddress) a.getLocalAddress()).getAddress());
                }
            }
        }
    }

    // A blocking accept on a closed server throws AsynchronousCloseException on JDK 17 (the
    // open check runs inside begin/end) and ClosedChannelException on 25; non-blocking: ClosedChannelException.
    // Everything else on a closed server throws ClosedChannelException on both.
    @DiffTest
    void closedServer(SelectorProvider provider) throws Exception {
        Class<?> blockingAccept = Runtime.version().feature() <= 22 ? AsynchronousCloseException.class
                : ClosedChannelException.class;
        ServerSocketChannel server = Tcp.listen(provider);
        server.close();
        server.close(); // idempotent
        assertFalse(server.isOpen());
        Throwable t = Tcp.expectClosed(server::accept);
        assertSame(blockingAccept, t.getClass(), t.toString());
        expect(ClosedChannelException.class, null, () -> server.bind(null));
        expect(ClosedChannelException.class, null, server::getLocalAddress);
        expect(ClosedChannelException.class, null, () -> server.getOption(StandardSocketOptions.SO_RCVBUF));
        expect(ClosedChannelException.class, null, () -> server.setOption(StandardSocketOptions.SO_RCVBUF, 4096));
        expect(ClosedChannelException.class, null, () -> server.configureBlocking(false));
        assertFalse(server.supportedOptions().isEmpty());
        ServerSocketChannel nb = provider.openServerSocketChannel();
        nb.configureBlocking(false);
        nb.close();
        expect(ClosedChannelException.class, null, nb::accept);
        ServerSocketChannel unbound = provider.openServerSocketChannel();
        unbound.close();
        t = Tcp.expectClosed(unbound::accept);
        assertSame(blockingAccept, t.getClass(), "a closed unbound server: " + t);
    }

    // Many connections accepted one after another carry their own data.
    @DiffTest
    void manyAccepts(SelectorProvider provider) throws Exception {
        try (ServerSocketChannel server = Tcp.listen(provider)) {
            for (int i = 0; i < 20; i++) {
                try (SocketChannel c = provider.openSocketChannel()) {
                    c.connect(local(server));
                    c.write(ByteBuffer.wrap(new byte[] {(byte) i}));
                    try (SocketChannel a = server.accept()) {
                        assertEquals((byte) i, Tcp.readFully(a, 1)[0]);
                    }
                }
            }
        }
    }
}
