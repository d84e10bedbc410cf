package io.nativenio.diff;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.PortUnreachableException;
import java.net.ProtocolFamily;
import java.net.SocketAddress;
import java.net.SocketException;
import java.net.StandardProtocolFamily;
import java.nio.ByteBuffer;
import java.nio.channels.AlreadyBoundException;
import java.nio.channels.AlreadyConnectedException;
import java.nio.channels.DatagramChannel;
import java.nio.channels.NotYetConnectedException;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.spi.SelectorProvider;
import java.nio.charset.StandardCharsets;

/** DatagramChannel send, receive, read and write over loopback (behaviours.md#datagrams,
 * behaviours.md#default-family-and-dual-stack). */
class DatagramIOTest {
    private static final InetAddress LOOPBACK4 = address("127.0.0.1");

    static InetAddress address(String s) {
        try {
            return InetAddress.getByName(s);
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    static ByteBuffer text(String s, boolean direct) {
        byte[] b = s.getBytes(StandardCharsets.US_ASCII);
        return (direct ? ByteBuffer.allocateDirect(b.length) : ByteBuffer.allocate(b.length)).put(b).flip();
    }

    static String text(ByteBuffer buf) {
        ByteBuffer b = buf.duplicate().flip();
        byte[] a = new byte[b.remaining()];
        b.get(a);
        return new String(a, StandardCharsets.US_ASCII);
    }

    /** A channel bound to an ephemeral port of 127.0.0.1. */
    static DatagramChannel bound(SelectorProvider provider, ProtocolFamily family) throws Exception {
        DatagramChannel dc = family == null ? provider.openDatagramChannel() : provider.openDatagramChannel(family);
        try {
            return dc.bind(new InetSocketAddress(LOOPBACK4, 0));
        } catch (Exception e) {
            dc.close();
            throw e;
        }
    }

    /** A port on 127.0.0.1 where nothing listens (it was just released). */
    static InetSocketAddress freePort(SelectorProvider provider) throws Exception {
        try (DatagramChannel dc = bound(provider, StandardProtocolFamily.INET)) {
            return (InetSocketAddress) dc.getLocalAddress();
        }
    }

    // Send and receive, both families, heap and direct buffers, blocking mode.
    @DiffTest
    void sendReceive(SelectorProvider provider) throws Exception {
        for (ProtocolFamily family : new ProtocolFamily[] {null, StandardProtocolFamily.INET, StandardProtocolFamily.INET6}) {
            for (boolean direct : new boolean[] {false, true}) {
                try (DatagramChannel a = bound(provider, family); DatagramChannel b = bound(provider, family)) {
                    assertFalse(a.isConnected());
                    assertNull(a.getRemoteAddress());
                    assertEquals(5, a.send(text("hello", direct), b.getLocalAddress()));
                    ByteBuffer dst = direct ? ByteBuffer.allocateDirect(20) : ByteBuffer.allocate(20);
                    SocketAddress sender = b.receive(dst);
                    assertEquals(a.getLocalAddress(), sender);
                    assertEquals(InetSocketAddress.class, sender.getClass());
                    assertEquals("hello", text(dst));
                }
            }
        }
    }

    // A datagram sent to the IPv4 wildcard from a dual-stack channel reaches an IPv4 channel of the local
    // host, from 127.0.0.1: the destination stays IPv4-mapped (only bind and connect turn the IPv4 wildcard
    // into the IPv6 one). Found by the stress module's API sequences.
    @DiffTest
    void sendToIpv4WildcardFromDualStack(SelectorProvider provider) throws Exception {
        try (DatagramChannel receiver = provider.openDatagramChannel(StandardProtocolFamily.INET);
                DatagramChannel sender = provider.openDatagramChannel()) {
            receiver.bind(new InetSocketAddress(0));
            int port = ((InetSocketAddress) receiver.getLocalAddress()).getPort();
            sender.bind(new InetSocketAddress(0));
            assertEquals(5, sender.send(text("hello", false), new InetSocketAddress("0.0.0.0", port)));
            receiver.configureBlocking(false);
            try (Selector sel = provider.openSelector()) {
                receiver.register(sel, SelectionKey.OP_READ);
                assertEquals(1, sel.select(10_000), "the datagram arrived");
            }
            ByteBuffer dst = ByteBuffer.allocate(20);
            InetSocketAddress from = (InetSocketAddress) receiver.receive(dst);
            assertEquals("hello", text(dst));
            assertEquals(InetAddress.getByName("127.0.0.1"), from.getAddress());
        }
    }

    // bind(null) and implicit binds use the wildcard address of the family; the address types match the JDK.
    @DiffTest
    void localAddresses(SelectorProvider provider) throws Exception {
        for (ProtocolFamily family : new ProtocolFamily[] {null, StandardProtocolFamily.INET, StandardProtocolFamily.INET6}) {
            try (DatagramChannel dc = family == null ? provider.openDatagramChannel() : provider.openDatagramChannel(family)) {
                assertNull(dc.getLocalAddress());
                dc.bind(null);
                InetSocketAddress local = (InetSocketAddress) dc.getLocalAddress();
                assertTrue(local.getAddress().isAnyLocalAddress());
                assertEquals(family == StandardProtocolFamily.INET ? 4 : 16, local.getAddress().getAddress().length);
                assertTrue(local.getPort() > 0);
                assertThrows(AlreadyBoundException.class, () -> dc.bind(null));
            }
            try (DatagramChannel dc = family == null ? provider.openDatagramChannel() : provider.openDatagramChannel(family)) {
                dc.bind(new InetSocketAddress(0));
                InetSocketAddress local = (InetSocketAddress) dc.getLocalAddress();
                assertEquals(family == StandardProtocolFamily.INET ? 4 : 16, local.getAddress().getAddress().length,
                        local.toString());
            }
            // an unbound channel binds itself when it sends (for connect: see connectBinds)
            try (DatagramChannel dc = family == null ? provider.openDatagramChannel() : provider.openDatagramChannel(family);
                    DatagramChannel peer = bound(provider, family)) {
                dc.send(text("x", false), peer.getLocalAddress());
                InetSocketAddress local = (InetSocketAddress) dc.getLocalAddress();
                assertTrue(local.getAddress().isAnyLocalAddress());
                assertEquals(local.getPort(), ((InetSocketAddress) peer.receive(ByteBuffer.allocate(1))).getPort());
            }
        }
    }

    // Receive returns null in non-blocking mode when nothing waits; an unbound channel binds itself first.
    @DiffTest
    void nonBlockingReceiveReturnsNull(SelectorProvider provider) throws Exception {
        try (DatagramChannel dc = provider.openDatagramChannel()) {
            dc.configureBlocking(false);
            ByteBuffer dst = ByteBuffer.allocate(10);
            assertNull(dc.receive(dst));
            assertEquals(0, dst.position());
            assertNotNull(dc.getLocalAddress());
        }
    }

    // One InetSocketAddress per sender: the same sender may give the same object, another one a new one.
    @DiffTest
    void senderAddresses(SelectorProvider provider) throws Exception {
        try (DatagramChannel rx = bound(provider, null); DatagramChannel a = bound(provider, null);
                DatagramChannel b = bound(provider, null)) {
            a.send(text("1", false), rx.getLocalAddress());
            a.send(text("2", false), rx.getLocalAddress());
            b.send(text("3", false), rx.getLocalAddress());
            a.send(text("4", false), rx.getLocalAddress());
            SocketAddress s1 = rx.receive(ByteBuffer.allocate(1));
            SocketAddress s2 = rx.receive(ByteBuffer.allocate(1));
            SocketAddress s3 = rx.receive(ByteBuffer.allocate(1));
            SocketAddress s4 = rx.receive(ByteBuffer.allocate(1));
            assertEquals(a.getLocalAddress(), s1);
            assertSame(s1, s2);
            assertEquals(b.getLocalAddress(), s3);
            assertNotSame(s1, s4);
            assertEquals(s1, s4);
        }
    }

    // An oversized datagram is truncated silently; an empty buffer consumes a datagram; empty datagrams.
    @DiffTest
    void truncationAndEmptyBuffers(SelectorProvider provider) throws Exception {
        for (boolean direct : new boolean[] {false, true}) {
            try (DatagramChannel a = bound(provider, null); DatagramChannel b = bound(provider, null)) {
                SocketAddress to = b.getLocalAddress();
                a.send(text("0123456789", direct), to);
                a.send(text("second", direct), to);
                a.send(text("third", direct), to);
                a.send(ByteBuffer.allocate(0), to);
                ByteBuffer small = direct ? ByteBuffer.allocateDirect(4) : ByteBuffer.allocate(4);
                assertEquals(a.getLocalAddress(), b.receive(small));
                assertEquals("0123", text(small));
                ByteBuffer empty = direct ? ByteBuffer.allocateDirect(0) : ByteBuffer.allocate(0);
                assertEquals(a.getLocalAddress(), b.receive(empty)); // consumes "second"
                ByteBuffer dst = ByteBuffer.allocate(10);
                assertEquals(a.getLocalAddress(), b.receive(dst));
                assertEquals("third", text(dst));
                dst.clear();
                assertEquals(a.getLocalAddress(), b.receive(dst)); // the empty datagram
                assertEquals(0, dst.position());
                // a full buffer (no remaining bytes) also consumes one
                a.send(text("abc", direct), to);
                ByteBuffer full = ByteBuffer.allocate(4).position(4);
                assertEquals(a.getLocalAddress(), b.receive(full));
                b.configureBlocking(false);
                assertNull(b.receive(ByteBuffer.allocate(4)));
            }
        }
    }

    // Send with an empty buffer sends an empty datagram; write with an empty buffer sends nothing.
    @DiffTest
    void emptySendAndWrite(SelectorProvider provider) throws Exception {
        try (DatagramChannel a = bound(provider, null); DatagramChannel b = bound(provider, null)) {
            a.connect(b.getLocalAddress());
            assertEquals(0, a.write(ByteBuffer.allocate(0)));
            assertEquals(0, a.write(new ByteBuffer[] {ByteBuffer.allocate(0)}));
            assertEquals(0, a.send(ByteBuffer.allocate(0), b.getLocalAddress()));
            a.write(text("x", false));
            b.configureBlocking(false);
            ByteBuffer dst = ByteBuffer.allocate(4);
            assertEquals(a.getLocalAddress(), b.receive(dst));
            assertEquals("x", text(dst));
            assertNull(b.receive(dst.clear()));
        }
        try (DatagramChannel a = bound(provider, null); DatagramChannel b = bound(provider, null)) {
            assertEquals(0, a.send(ByteBuffer.allocate(0), b.getLocalAddress()));
            ByteBuffer dst = ByteBuffer.allocate(4);
            assertEquals(a.getLocalAddress(), b.receive(dst));
            assertEquals(0, dst.position());
        }
    }

    // Connect binds an unbound channel, sets the remote address, and drops datagrams queued from others.
    @DiffTest
    void connectBindsAndDropsQueued(SelectorProvider provider) throws Exception {
        for (boolean blocking : new boolean[] {true, false}) {
            try (DatagramChannel dc = provider.openDatagramChannel(); DatagramChannel peer = bound(provider, null);
                    DatagramChannel other = bound(provider, null)) {
                dc.configureBlocking(blocking);
                dc.bind(new InetSocketAddress(LOOPBACK4, 0));
                SocketAddress local = dc.getLocalAddress();
                other.send(text("old1", false), local);
                peer.send(text("old2", false), local);
                other.send(text("old3", false), local);
                Thread.sleep(20); // loopback delivery is synchronous; this is only a margin
                assertSame(dc, dc.connect(peer.getLocalAddress()));
                assertTrue(dc.isConnected());
                assertEquals(peer.getLocalAddress(), dc.getRemoteAddress());
                assertEquals(local, dc.getLocalAddress());
                assertThrows(AlreadyConnectedException.class, () -> dc.connect(other.getLocalAddress()));
                other.send(text("later", false), local);
                peer.send(text("new", false), local);
                ByteBuffer dst = ByteBuffer.allocate(10);
                if (!blocking) {
                    dc.configureBlocking(true);
                }
                assertEquals(3, dc.read(dst));
                assertEquals("new", text(dst));
                dc.configureBlocking(false);
                assertEquals(0, dc.read(dst.clear()));
                assertNull(dc.receive(dst.clear()));
            }
        }
        try (DatagramChannel dc = provider.openDatagramChannel(); DatagramChannel peer = bound(provider, null)) {
            assertNull(dc.getLocalAddress());
            dc.connect(peer.getLocalAddress());
            InetSocketAddress local = (InetSocketAddress) dc.getLocalAddress();
            assertTrue(local.getPort() > 0);
            assertFalse(local.getAddress().isAnyLocalAddress());
            assertThrows(AlreadyBoundException.class, () -> dc.bind(null));
        }
    }

    // disconnect keeps the local address, allows any sender again, and does nothing when not connected.
    @DiffTest
    void disconnectKeepsLocalAddress(SelectorProvider provider) throws Exception {
        for (boolean bindFirst : new boolean[] {true, false}) {
            for (boolean wildcard : new boolean[] {true, false}) {
                try (DatagramChannel dc = provider.openDatagramChannel(); DatagramChannel peer = bound(provider, null);
                        DatagramChannel other = bound(provider, null)) {
                    assertSame(dc, dc.disconnect());
                    if (bindFirst) {
                        dc.bind(wildcard ? null : new InetSocketAddress(LOOPBACK4, 0));
                    }
                    SocketAddress before = dc.getLocalAddress();
                    dc.connect(peer.getLocalAddress());
                    SocketAddress connected = dc.getLocalAddress();
                    dc.disconnect();
                    assertFalse(dc.isConnected());
                    assertNull(dc.getRemoteAddress());
                    if (bindFirst) {
                        assertEquals(before, dc.getLocalAddress());
                    } else {
                        assertEquals(((InetSocketAddress) connected).getPort(),
                                ((InetSocketAddress) dc.getLocalAddress()).getPort());
                    }
                    other.send(text("hi", false), new InetSocketAddress(LOOPBACK4,
                            ((InetSocketAddress) dc.getLocalAddress()).getPort()));
                    ByteBuffer dst = ByteBuffer.allocate(4);
                    assertEquals(other.getLocalAddress(), dc.receive(dst));
                    assertThrows(NotYetConnectedException.class, () -> dc.read(ByteBuffer.allocate(1)));
                    // connect again, to another peer
                    dc.connect(other.getLocalAddress());
                    assertEquals(other.getLocalAddress(), dc.getRemoteAddress());
                }
            }
        }
    }

    // Read and write need a connected channel; send to another address than the peer is refused.
    @DiffTest
    void connectedOnlyOperations(SelectorProvider provider) throws Exception {
        try (DatagramChannel dc = provider.openDatagramChannel(); DatagramChannel peer = bound(provider, null);
                DatagramChannel other = bound(provider, null)) {
            assertThrows(NotYetConnectedException.class, () -> dc.read(ByteBuffer.allocate(1)));
            assertThrows(NotYetConnectedException.class, () -> dc.read(new ByteBuffer[] {ByteBuffer.allocate(1)}));
            assertThrows(NotYetConnectedException.class, () -> dc.write(ByteBuffer.allocate(1)));
            assertThrows(NotYetConnectedException.class, () -> dc.write(new ByteBuffer[] {ByteBuffer.allocate(1)}));
            dc.configureBlocking(false);
            assertThrows(NotYetConnectedException.class, () -> dc.read(ByteBuffer.allocate(1)));
            assertThrows(NotYetConnectedException.class, () -> dc.write(ByteBuffer.allocate(1)));
            dc.configureBlocking(true);
            dc.connect(peer.getLocalAddress());
            assertThrows(AlreadyConnectedException.class, () -> dc.send(text("x", false), other.getLocalAddress()));
            assertEquals(1, dc.send(text("y", true), peer.getLocalAddress()));
            ByteBuffer dst = ByteBuffer.allocate(4);
            assertEquals(dc.getLocalAddress(), peer.receive(dst));
            assertEquals("y", text(dst));
        }
    }

    // scatter read and gather write of one datagram each, heap and direct buffers.
    @DiffTest
    void scatterGather(SelectorProvider provider) throws Exception {
        try (DatagramChannel a = bound(provider, null); DatagramChannel b = bound(provider, null)) {
            a.connect(b.getLocalAddress());
            b.connect(a.getLocalAddress());
            assertEquals(7, a.write(new ByteBuffer[] {text("abc", false), text("defg", true)}));
            ByteBuffer[] dsts = {ByteBuffer.allocate(2), ByteBuffer.allocateDirect(3), ByteBuffer.allocate(1)};
            assertEquals(6, b.read(dsts, 0, 3));
            assertEquals("ab", text(dsts[0]));
            assertEquals("cde", text(dsts[1]));
            assertEquals("f", text(dsts[2]));
            assertThrows(IndexOutOfBoundsException.class, () -> b.read(dsts, 2, 2));
            assertThrows(IndexOutOfBoundsException.class, () -> a.write(dsts, -1, 1));
            // a zero-length datagram read through read()
            a.write(text("z", false));
            assertEquals(1, b.read(ByteBuffer.allocateDirect(5)));
        }
    }

    // A zero-length datagram read by read() and by a scattering read.
    @DiffTest
    void zeroLengthDatagramRead(SelectorProvider provider) throws Exception {
        try (DatagramChannel a = bound(provider, null); DatagramChannel b = bound(provider, null)) {
            b.connect(a.getLocalAddress());
            a.send(ByteBuffer.allocate(0), b.getLocalAddress());
            a.send(ByteBuffer.allocate(0), b.getLocalAddress());
            a.send(ByteBuffer.allocate(0), b.getLocalAddress());
            assertEquals(zeroLengthReadResult(), b.read(ByteBuffer.allocate(5)));
            assertEquals(zeroLengthReadResult(), b.read(ByteBuffer.allocateDirect(5)));
            assertEquals(zeroLengthReadResult(), b.read(new ByteBuffer[] {ByteBuffer.allocate(5)}));
        }
    }

    /** What read returns for a datagram of no bytes: the JDK's DatagramDispatcher reports EOF. */
    private static long zeroLengthReadResult() {
        return -1;
    }

    // port 0 is refused by connect and by send.
    @DiffTest
    void portZero(SelectorProvider provider) throws Exception {
        try (DatagramChannel dc = provider.openDatagramChannel()) {
            SocketException e = assertThrows(SocketException.class, () -> dc.connect(new InetSocketAddress(LOOPBACK4, 0)));
            assertEquals("Can't connect to port 0", e.getMessage());
            assertTrue(dc.isOpen());
            assertFalse(dc.isConnected());
            for (boolean direct : new boolean[] {false, true}) {
                SocketException e2 = assertThrows(SocketException.class,
                        () -> dc.send(text("x", direct), new InetSocketAddress(LOOPBACK4, 0)));
                assertEquals("Can't send to port 0", e2.getMessage());
            }
            assertTrue(dc.isOpen());
        }
    }

    // An ICMP port unreachable shows once, as PortUnreachableException, on a connected channel.
    @DiffTest
    void portUnreachableOnce(SelectorProvider provider) throws Exception {
        InetSocketAddress nobody = freePort(provider);
        for (int how = 0; how < 3; how++) {
            try (DatagramChannel dc = provider.openDatagramChannel()) {
                dc.connect(nobody);
                dc.write(text("ping", false));
                // Loopback usually has the ICMP error pending before the send returns; a loaded CI machine once
                // took longer than 20 ms. Nothing can wait for it without taking it: a select would do on epoll,
                // but libkqueue's emulation of kqueue (the kqueue stage) clears the error when it polls the socket.
                Thread.sleep(200);
                ByteBuffer dst = ByteBuffer.allocate(10);
                Class<?> thrown;
                if (how == 0) {
                    thrown = assertThrows(PortUnreachableException.class, () -> dc.read(dst)).getClass();
                } else if (how == 1) {
                    thrown = assertThrows(PortUnreachableException.class, () -> dc.receive(dst)).getClass();
                } else {
                    thrown = assertThrows(PortUnreachableException.class, () -> dc.write(text("again", false))).getClass();
                }
                assertEquals(PortUnreachableException.class, thrown);
                assertTrue(dc.isOpen());
                assertTrue(dc.isConnected());
                dc.configureBlocking(false);
                assertEquals(0, dc.read(dst)); // reported once only
                assertNull(dc.receive(dst));
            }
        }
        // unconnected: the error is never reported
        try (DatagramChannel dc = provider.openDatagramChannel()) {
            dc.send(text("ping", false), nobody);
            Thread.sleep(20);
            dc.configureBlocking(false);
            assertNull(dc.receive(ByteBuffer.allocate(10)));
            assertEquals(4, dc.send(text("ping", false), nobody));
            assertNull(dc.receive(ByteBuffer.allocate(10)));
        }
    }

    // A non-blocking send of a datagram sends all of it (or nothing); position and remaining follow.
    @DiffTest
    void bufferPositions(SelectorProvider provider) throws Exception {
        try (DatagramChannel a = bound(provider, null); DatagramChannel b = bound(provider, null)) {
            a.configureBlocking(false);
            ByteBuffer src = text("0123456789", false).position(3).limit(8);
            assertEquals(5, a.send(src, b.getLocalAddress()));
            assertEquals(8, src.position());
            ByteBuffer dst = ByteBuffer.allocate(20).position(2).limit(6);
            assertEquals(a.getLocalAddress(), b.receive(dst));
            assertEquals(6, dst.position());
            assertEquals("3456", new String(dst.array(), 2, 4, StandardCharsets.US_ASCII));
        }
    }
}
