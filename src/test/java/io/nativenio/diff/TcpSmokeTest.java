package io.nativenio.diff;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.ConnectException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.StandardProtocolFamily;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.channels.spi.SelectorProvider;

/** The first TCP behaviours end to end: connect, accept, echo, refused connect (behaviours.md#stream-sockets). */
class TcpSmokeTest {

    // A blocking connect and accept, both ends see each other's addresses, bytes go both ways
    // (behaviours.md#connect-state-machine, behaviours.md#accept).
    @DiffTest
    void blockingEcho(SelectorProvider provider) throws Exception {
        try (ServerSocketChannel ssc = provider.openServerSocketChannel()) {
            assertNull(ssc.getLocalAddress());
            ssc.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
            try (SocketChannel sc = provider.openSocketChannel()) {
                assertFalse(sc.isConnected());
                assertTrue(sc.connect(ssc.getLocalAddress()));
                assertTrue(sc.isConnected());
                try (SocketChannel peer = ssc.accept()) {
                    assertSame(provider, peer.provider());
                    assertTrue(peer.isBlocking());
                    assertEquals(sc.getLocalAddress(), peer.getRemoteAddress());
                    assertEquals(sc.getRemoteAddress(), peer.getLocalAddress());
                    assertEquals(5, sc.write(ByteBuffer.wrap("hello".getBytes())));
                    ByteBuffer in = ByteBuffer.allocateDirect(16);
                    assertEquals(5, peer.read(in));
                    assertEquals("hello", new String(bytes(in.flip())));
                    peer.shutdownOutput();
                    assertEquals(-1, sc.read(ByteBuffer.allocate(1)));
                }
            }
        }
    }

    // A non-blocking connect completes through OP_CONNECT and finishConnect (behaviours.md#connect-state-machine,
    // behaviours.md#readiness-per-channel-type).
    @DiffTest
    void nonBlockingConnect(SelectorProvider provider) throws Exception {
        try (ServerSocketChannel ssc = provider.openServerSocketChannel(StandardProtocolFamily.INET);
                Selector sel = provider.openSelector();
                SocketChannel sc = provider.openSocketChannel(StandardProtocolFamily.INET)) {
            ssc.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
            sc.configureBlocking(false);
            boolean now = sc.connect(ssc.getLocalAddress());
            if (!now) {
                assertTrue(sc.isConnectionPending());
                SelectionKey k = sc.register(sel, SelectionKey.OP_CONNECT);
                assertEquals(1, sel.select(5000));
                assertTrue(k.isConnectable());
                assertTrue(sc.finishConnect());
            }
            assertTrue(sc.isConnected());
            assertTrue(sc.finishConnect());
            try (SocketChannel peer = ssc.accept()) {
                assertEquals(sc.getLocalAddress(), peer.getRemoteAddress());
            }
        }
    }

    // A refused connect throws ConnectException and closes the channel (behaviours.md#connect-state-machine).
    @DiffTest
    void refusedConnectCloses(SelectorProvider provider) throws Exception {
        InetSocketAddress free;
        try (ServerSocketChannel ssc = provider.openServerSocketChannel()) {
            ssc.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
            free = (InetSocketAddress) ssc.getLocalAddress();
        }
        SocketChannel sc = provider.openSocketChannel();
        ConnectException e = assertThrows(ConnectException.class, () -> sc.connect(free));
        assertEquals("Connection refused", e.getMessage());
        assertFalse(sc.isOpen());
    }

    // On a dual-stack socket the IPv4 wildcard binds the IPv6 wildcard (NET_InetAddressToSockaddr), so
    // bind(new InetSocketAddress(port)) accepts IPv6 connections too (behaviours.md#bind-and-socket-defaults).
    @DiffTest
    void ipv4WildcardBindIsDualStack(SelectorProvider provider) throws Exception {
        try (ServerSocketChannel ssc = provider.openServerSocketChannel()) {
            ssc.bind(new InetSocketAddress(InetAddress.getByName("0.0.0.0"), 0));
            InetSocketAddress local = (InetSocketAddress) ssc.getLocalAddress();
            assertTrue(local.getAddress().isAnyLocalAddress());
            assertEquals(16, local.getAddress().getAddress().length, local.toString());
            try (SocketChannel sc = provider.openSocketChannel(StandardProtocolFamily.INET6)) {
                assertTrue(sc.connect(new InetSocketAddress(InetAddress.getByName("::1"), local.getPort())));
                try (SocketChannel peer = ssc.accept()) {
                    assertEquals(sc.getLocalAddress(), peer.getRemoteAddress());
                }
            }
        }
    }

    private static byte[] bytes(ByteBuffer b) {
        byte[] a = new byte[b.remaining()];
        b.get(a);
        return a;
    }
}
