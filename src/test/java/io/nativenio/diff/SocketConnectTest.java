package io.nativenio.diff;

import static io.nativenio.diff.Tcp.LOOPBACK;
import static io.nativenio.diff.Tcp.expect;
import static io.nativenio.diff.Tcp.local;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.BindException;
import java.net.ConnectException;
import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.StandardProtocolFamily;
import java.nio.ByteBuffer;
import java.nio.channels.AlreadyBoundException;
import java.nio.channels.AlreadyConnectedException;
import java.nio.channels.ConnectionPendingException;
import java.nio.channels.NoConnectionPendingException;
import java.nio.channels.NotYetConnectedException;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.channels.UnresolvedAddressException;
import java.nio.channels.UnsupportedAddressTypeException;
import java.nio.channels.spi.SelectorProvider;

/** SocketChannel connect/finishConnect state machine and client bind (behaviours.md#connect-state-machine,
 * behaviours.md#bind-and-socket-defaults, behaviours.md#readiness-per-channel-type). */
class SocketConnectTest {

    /** Completes a non-blocking connect by polling finishConnect (at most 10 s). */
    private static void finish(SocketChannel c) throws Exception {
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (!c.finishConnect()) {
            assertTrue(c.isConnectionPending());
            assertTrue(System.nanoTime() < deadline, "connect did not complete in 10 s");
            Thread.sleep(5);
        }
    }

    // Blocking connect; state, addresses before and after; finishConnect when connected.
    @DiffTest
    void blockingConnect(SelectorProvider provider) throws Exception {
        try (ServerSocketChannel server = Tcp.listen(provider); SocketChannel c = provider.openSocketChannel()) {
            assertSame(provider, c.provider());
            assertTrue(c.isBlocking());
            assertFalse(c.isConnected());
            assertFalse(c.isConnectionPending());
            assertNull(c.getRemoteAddress(), "getRemoteAddress null while unconnected");
            assertNull(c.getLocalAddress(), "getLocalAddress null while unbound");
            InetSocketAddress target = local(server);
            assertTrue(c.connect(target));
            assertTrue(c.isConnected());
            assertFalse(c.isConnectionPending());
            assertTrue(c.finishConnect(), "finishConnect on a connected channel returns true");
            assertEquals(target, c.getRemoteAddress());
            InetSocketAddress l = local(c);
            assertEquals(LOOPBACK, l.getAddress(), "local address recorded after connect");
            assertNotEquals(0, l.getPort());
            try (SocketChannel peer = server.accept()) {
                assertEquals(l, peer.getRemoteAddress());
                assertEquals(target, peer.getLocalAddress());
            }
        }
    }

    // The remote address is the caller's InetSocketAddress (hostname kept, as in the JDK's toString).
    @DiffTest
    void remoteAddressKeepsHostName(SelectorProvider provider) throws Exception {
        try (ServerSocketChannel server = Tcp.listen(provider); SocketChannel c = provider.openSocketChannel()) {
            InetSocketAddress target = new InetSocketAddress(InetAddress.getByAddress("localhost",
                    new byte[] {127, 0, 0, 1}), local(server).getPort());
            c.connect(target);
            assertEquals("localhost/127.0.0.1:" + target.getPort(), c.getRemoteAddress().toString());
            assertEquals("localhost/127.0.0.1:" + target.getPort(), c.socket().getRemoteSocketAddress().toString());
            server.accept().close();
        }
    }

    // non-blocking connect: pending state, the exceptions of each operation while pending, finishConnect.
    @DiffTest
    void nonBlockingConnect(SelectorProvider provider) throws Exception {
        try (ServerSocketChannel server = Tcp.listen(provider); SocketChannel c = provider.openSocketChannel()) {
            c.configureBlocking(false);
            InetSocketAddress target = local(server);
            boolean now = c.connect(target);
            if (!now) {
                assertTrue(c.isConnectionPending());
                assertFalse(c.isConnected());
                assertEquals(target, c.getRemoteAddress(), "remote address set while pending");
                expect(ConnectionPendingException.class, null, () -> c.connect(target));
                expect(ConnectionPendingException.class, null, () -> c.bind(null));
                expect(NotYetConnectedException.class, null, () -> c.read(ByteBuffer.allocate(1)));
                expect(NotYetConnectedException.class, null, () -> c.write(ByteBuffer.allocate(1)));
                expect(NotYetConnectedException.class, null, c::shutdownOutput);
                expect(NotYetConnectedException.class, null, c::shutdownInput);
                assertTrue(c.isOpen(), "none of these closes the channel");
                finish(c);
            }
            assertTrue(c.isConnected());
            assertFalse(c.isConnectionPending());
            assertTrue(c.finishConnect());
            assertEquals(target, c.getRemoteAddress());
            assertEquals(LOOPBACK, local(c).getAddress(), "local address recorded when the connection completes");
            try (SocketChannel peer = server.accept()) {
                assertEquals(local(c), peer.getRemoteAddress());
                assertFalse(c.isBlocking());
            }
        }
    }

    // AlreadyConnectedException, in blocking and non-blocking mode: bind after connect.
    @DiffTest
    void alreadyConnected(SelectorProvider provider) throws Exception {
        try (Tcp.Conn conn = Tcp.pair(provider)) {
            InetSocketAddress target = local(conn.server);
            expect(AlreadyConnectedException.class, null, () -> conn.client.connect(target));
            expect(AlreadyBoundException.class, null, () -> conn.client.bind(null));
            expect(AlreadyBoundException.class, null, () -> conn.peer.bind(null));
            conn.client.configureBlocking(false);
            expect(AlreadyConnectedException.class, null, () -> conn.client.connect(target));
            assertTrue(conn.client.finishConnect());
            assertTrue(conn.client.isOpen());
            assertTrue(conn.client.isConnected());
        }
    }

    // finishConnect without connect throws NoConnectionPendingException and changes nothing.
    @DiffTest
    void finishConnectWithoutConnect(SelectorProvider provider) throws Exception {
        try (SocketChannel c = provider.openSocketChannel()) {
            expect(NoConnectionPendingException.class, null, c::finishConnect);
            c.configureBlocking(false);
            expect(NoConnectionPendingException.class, null, c::finishConnect);
            assertTrue(c.isOpen());
            assertFalse(c.isConnectionPending());
        }
    }

    // Connecting to the wildcard address goes to the loopback address of the same family.
    @DiffTest
    void connectToWildcardGoesToLoopback(SelectorProvider provider) throws Exception {
        try (ServerSocketChannel server = Tcp.listen(provider)) {
            int port = local(server).getPort();
            for (InetSocketAddress wildcard : new InetSocketAddress[] {new InetSocketAddress(port),
                new InetSocketAddress(InetAddress.getByName("0.0.0.0"), port)}) {
                try (SocketChannel c = provider.openSocketChannel(StandardProtocolFamily.INET)) {
                    assertTrue(c.connect(wildcard));
                    assertEquals(new InetSocketAddress(LOOPBACK, port), c.getRemoteAddress());
                    server.accept().close();
                }
                try (SocketChannel c = provider.openSocketChannel()) {
                    c.configureBlocking(false);
                    if (!c.connect(wildcard)) {
                        finish(c);
                    }
                    assertEquals(new InetSocketAddress(LOOPBACK, port), c.getRemoteAddress());
                    c.configureBlocking(true);
                    server.accept().close();
                }
            }
        }
    }

    // IPv6: the INET6 wildcard goes to ::1; a dual-stack (INET6) channel reaches an IPv4 server and
    // reports IPv4 addresses (behaviours.md#default-family-and-dual-stack).
    @DiffTest
    void ipv6AndDualStack(SelectorProvider provider) throws Exception {
        InetAddress v6loopback = InetAddress.getByName("::1");
        try (ServerSocketChannel server6 = provider.openServerSocketChannel(StandardProtocolFamily.INET6)) {
            server6.bind(new InetSocketAddress(v6loopback, 0));
            int port = local(server6).getPort();
            try (SocketChannel c = provider.openSocketChannel(StandardProtocolFamily.INET6)) {
                c.connect(new InetSocketAddress(InetAddress.getByName("::"), port));
                assertEquals(new InetSocketAddress(v6loopback, port), c.getRemoteAddress());
                assertInstanceOf(Inet6Address.class, local(c).getAddress());
                try (SocketChannel peer = server6.accept()) {
                    assertEquals(local(c), peer.getRemoteAddress());
                }
            }
            try (SocketChannel c = provider.openSocketChannel(StandardProtocolFamily.INET)) {
                expect(UnsupportedAddressTypeException.class, null,
                        () -> c.connect(new InetSocketAddress(v6loopback, port)));
                assertTrue(c.isOpen());
            }
        }
        try (ServerSocketChannel server4 = Tcp.listen(provider);
                SocketChannel c = provider.openSocketChannel(StandardProtocolFamily.INET6)) {
            c.connect(local(server4));
            assertInstanceOf(Inet4Address.class, local(c).getAddress(), "IPv4-mapped address reported as IPv4");
            assertEquals(LOOPBACK, local(c).getAddress());
            try (SocketChannel peer = server4.accept()) {
                assertEquals(local(c), peer.getRemoteAddress());
            }
        }
    }

    // A refused blocking connect throws ConnectException("Connection refused") and closes.
    @DiffTest
    void refusedBlockingConnectCloses(SelectorProvider provider) throws Exception {
        InetSocketAddress dead = Tcp.refusedAddress(provider);
        SocketChannel c = provider.openSocketChannel();
        try {
            expect(ConnectException.class, "Connection refused", () -> c.connect(dead));
            assertFalse(c.isOpen(), "a failed connect closes the channel");
            assertFalse(c.isConnectionPending());
        } finally {
            c.close();
        }
    }

    // A refused non-blocking connect: finishConnect throws ConnectException and closes the channel.
    @DiffTest
    void refusedNonBlockingConnectCloses(SelectorProvider provider) throws Exception {
        InetSocketAddress dead = Tcp.refusedAddress(provider);
        SocketChannel c = provider.openSocketChannel();
        try (Selector sel = provider.openSelector()) {
            c.configureBlocking(false);
            boolean connected;
            try {
                connected = c.connect(dead);
            } catch (ConnectException e) { // the kernel may refuse at once; the JDK passes it on
                assertEquals("Connection refused", e.getMessage());
                assertFalse(c.isOpen());
                return;
            }
            assertFalse(connected);
            SelectionKey k = c.register(sel, SelectionKey.OP_CONNECT);
            assertEquals(1, sel.select(10_000));
            assertEquals(SelectionKey.OP_CONNECT, k.readyOps(), "readiness: a failed connect is reported as OP_CONNECT");
            expect(ConnectException.class, Tcp.REFUSED_WHEN_POLLED, c::finishConnect);
            assertFalse(c.isOpen());
            assertFalse(k.isValid());
            sel.selectNow();
        } finally {
            c.close();
        }
    }

    // Bad addresses throw and leave the channel open and usable.
    @DiffTest
    void badAddressesChangeNothing(SelectorProvider provider) throws Exception {
        try (ServerSocketChannel server = Tcp.listen(provider); SocketChannel c = provider.openSocketChannel()) {
            expect(NullPointerException.class, null, () -> c.connect(null));
            expect(UnresolvedAddressException.class, null,
                    () -> c.connect(InetSocketAddress.createUnresolved("nativenio.invalid", 80)));
            expect(UnsupportedAddressTypeException.class, null, () -> c.connect(new Tcp.CustomAddress()));
            c.configureBlocking(false);
            expect(NullPointerException.class, null, () -> c.connect(null));
            expect(UnresolvedAddressException.class, null,
                    () -> c.connect(InetSocketAddress.createUnresolved("nativenio.invalid", 80)));
            expect(UnsupportedAddressTypeException.class, null, () -> c.connect(new Tcp.CustomAddress()));
            assertTrue(c.isOpen());
            assertFalse(c.isConnectionPending());
            assertNull(c.getRemoteAddress());
            c.configureBlocking(true);
            assertTrue(c.connect(local(server)), "still usable");
            server.accept().close();
        }
    }

    // client bind: bind(null), explicit address, AlreadyBoundException, local address kept after connect.
    @DiffTest
    void clientBind(SelectorProvider provider) throws Exception {
        try (ServerSocketChannel server = Tcp.listen(provider)) {
            try (SocketChannel c = provider.openSocketChannel(StandardProtocolFamily.INET)) {
                assertSame(c, c.bind(null));
                InetSocketAddress l = local(c);
                assertTrue(l.getAddress().isAnyLocalAddress());
                assertInstanceOf(Inet4Address.class, l.getAddress());
                assertNotEquals(0, l.getPort());
                expect(AlreadyBoundException.class, null, () -> c.bind(null));
                c.connect(local(server));
                assertEquals(l.getPort(), local(c).getPort(), "connect keeps the bound port");
                assertEquals(LOOPBACK, local(c).getAddress());
                server.accept().close();
            }
            try (SocketChannel c = provider.openSocketChannel()) {
                c.bind(new InetSocketAddress(LOOPBACK, 0));
                InetSocketAddress l = local(c);
                assertEquals(LOOPBACK, l.getAddress());
                c.connect(local(server));
                assertEquals(l, local(c));
                server.accept().close();
            }
            // the default family: the JDK's answer is the oracle (INET6 when the machine has IPv6)
            try (SocketChannel c = provider.openSocketChannel(); SocketChannel j = Providers.jdk().openSocketChannel()) {
                c.bind(null);
                j.bind(null);
                assertSame(local(j).getAddress().getClass(), local(c).getAddress().getClass());
                assertTrue(local(c).getAddress().isAnyLocalAddress());
            }
        }
    }

    // OS errors from bind become BindException with the OS message.
    @DiffTest
    void clientBindErrors(SelectorProvider provider) throws Exception {
        try (SocketChannel a = provider.openSocketChannel(); SocketChannel b = provider.openSocketChannel()) {
            a.bind(new InetSocketAddress(LOOPBACK, 0));
            Tcp.assertBindErrors(b, a);
            b.bind(null);
            assertNotEquals(0, local(b).getPort());
        }
        try (SocketChannel c = provider.openSocketChannel(StandardProtocolFamily.INET)) {
            expect(UnsupportedAddressTypeException.class, null,
                    () -> c.bind(new InetSocketAddress(InetAddress.getByName("::1"), 0)));
        }
    }

    // OP_CONNECT only while pending; OP_READ/OP_WRITE only once connected; validOps.
    @DiffTest
    void connectReadiness(SelectorProvider provider) throws Exception {
        try (ServerSocketChannel server = Tcp.listen(provider); SocketChannel c = provider.openSocketChannel();
                Selector sel = provider.openSelector()) {
            assertEquals(SelectionKey.OP_READ | SelectionKey.OP_WRITE | SelectionKey.OP_CONNECT, c.validOps());
            c.configureBlocking(false);
            boolean now = c.connect(local(server));
            SelectionKey k = c.register(sel, SelectionKey.OP_READ | SelectionKey.OP_WRITE);
            if (!now) {
                Thread.sleep(100); // let the handshake complete; the check below holds either way
                assertEquals(0, sel.selectNow(), "OP_READ/OP_WRITE are not reported while the connect is pending");
                k.interestOps(SelectionKey.OP_CONNECT);
                assertEquals(1, sel.select(10_000));
                assertEquals(SelectionKey.OP_CONNECT, k.readyOps());
                sel.selectedKeys().clear();
                assertTrue(c.finishConnect());
            }
            k.interestOps(SelectionKey.OP_CONNECT);
            assertEquals(0, sel.selectNow(), "OP_CONNECT is not reported once connected");
            k.interestOps(SelectionKey.OP_CONNECT | SelectionKey.OP_WRITE);
            assertEquals(1, sel.selectNow());
            assertEquals(SelectionKey.OP_WRITE, k.readyOps());
            sel.selectedKeys().clear();
            k.interestOps(SelectionKey.OP_READ);
            assertEquals(0, sel.selectNow(), "nothing to read yet");
            try (SocketChannel peer = server.accept()) {
                peer.write(ByteBuffer.wrap(new byte[] {1}));
                assertEquals(1, sel.select(10_000));
                assertEquals(SelectionKey.OP_READ, k.readyOps());
            }
        }
    }

    // An unconnected socket is hung up for the kernel (EPOLLHUP), so the JDK reports it ready for
    // its whole interest set (behaviours.md#ready-sets-are-replaced-or-accumulated).
    @DiffTest
    void unconnectedRegisteredChannelIsReady(SelectorProvider provider) throws Exception {
        try (SocketChannel c = provider.openSocketChannel(); Selector sel = provider.openSelector()) {
            c.configureBlocking(false);
            SelectionKey k = c.register(sel, SelectionKey.OP_READ);
            assertEquals(1, sel.selectNow());
            assertEquals(SelectionKey.OP_READ, k.readyOps());
            sel.selectedKeys().clear();
            k.interestOps(SelectionKey.OP_READ | SelectionKey.OP_WRITE | SelectionKey.OP_CONNECT);
            assertEquals(1, sel.selectNow());
            assertEquals(SelectionKey.OP_READ | SelectionKey.OP_WRITE | SelectionKey.OP_CONNECT, k.readyOps());
        }
    }

    // toString of each state (SocketChannelImpl.toString names the public superclass).
    @DiffTest
    void toStringStates(SelectorProvider provider) throws Exception {
        try (ServerSocketChannel server = Tcp.listen(provider)) {
            InetSocketAddress target = local(server);
            SocketChannel c = provider.openSocketChannel();
            assertEquals("java.nio.channels.SocketChannel[unconnected]", c.toString());
            c.bind(new InetSocketAddress(LOOPBACK, 0));
            InetSocketAddress l = local(c);
            assertEquals("java.nio.channels.SocketChannel[unconnected local=" + l + "]", c.toString());
            c.connect(target);
            assertEquals("java.nio.channels.SocketChannel[connected local=" + l + " remote=" + target + "]", c.toString());
            c.shutdownInput();
            assertEquals("java.nio.channels.SocketChannel[connected ishut local=" + l + " remote=" + target + "]",
                    c.toString());
            c.shutdownOutput();
            assertEquals("java.nio.channels.SocketChannel[connected ishut oshut local=" + l + " remote=" + target
                    + "]", c.toString());
            c.close();
            assertEquals("java.nio.channels.SocketChannel[closed]", c.toString());
            server.accept().close();
        }
    }

    // The pending state's toString shows the remote address only.
    @DiffTest
    void toStringPending(SelectorProvider provider) throws Exception {
        try (Tcp.Backlog full = new Tcp.Backlog(provider); SocketChannel c = provider.openSocketChannel()) {
            c.configureBlocking(false);
            assertFalse(c.connect(full.address()));
            assertEquals("java.nio.channels.SocketChannel[connection-pending remote=" + full.address() + "]",
                    c.toString());
            assertNull(c.getLocalAddress(), "local address recorded only when the connection completes");
        }
    }

    // A connect started non-blocking and finished in blocking mode: finishConnect waits and returns true.
    @DiffTest
    void blockingFinishConnect(SelectorProvider provider) throws Exception {
        try (ServerSocketChannel server = Tcp.listen(provider); SocketChannel c = provider.openSocketChannel()) {
            c.configureBlocking(false);
            boolean now = c.connect(local(server));
            c.configureBlocking(true);
            assertTrue(c.finishConnect(), "blocking finishConnect completes the connect (connected at once: " + now + ")");
            assertTrue(c.isConnected());
            assertFalse(c.isConnectionPending());
            assertEquals(LOOPBACK, local(c).getAddress());
            server.accept().close();
        }
    }
}
