package io.nativenio.diff;

import static io.nativenio.diff.SocketAdaptorTest.assertThrowsMessage;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.UncheckedIOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.net.SocketAddress;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.net.StandardProtocolFamily;
import java.net.StandardSocketOptions;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.AsynchronousCloseException;
import java.nio.channels.ClosedByInterruptException;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.DatagramChannel;
import java.nio.channels.IllegalBlockingModeException;
import java.nio.channels.UnsupportedAddressTypeException;
import java.nio.channels.spi.SelectorProvider;
import java.nio.charset.StandardCharsets;
import java.util.Set;

/** DatagramChannel.socket(): the DatagramSocket adaptor (behaviours.md#datagramsocket-adaptor, behaviours.md#datagrams,
 * behaviours.md#stream-sockets). */
class DatagramSocketAdaptorTest {
    private static final InetAddress LOOPBACK = InetAddress.getLoopbackAddress();
    private static final InetAddress WILDCARD = new InetSocketAddress(0).getAddress();
    private static final InetAddress GROUP = DatagramIOTest.address("239.255.10.2");

    /**
     * From JDK 19 an interrupted receive throws ClosedByInterruptException, before that SocketException; and
     * send checks the channel before the packet's address.
     */
    private static final boolean JDK_19 = Runtime.version().feature() >= 19;

    /** Where a blocked receive waits: the untimed one in recvfrom, the timed one in poll. */
    private static final String[] BLOCKING_METHODS = {"receive0", "poll", "poll0"};

    /** A blocking IPv4 channel bound to an ephemeral port of the loopback address. */
    private static DatagramChannel bound(SelectorProvider provider) throws Exception {
        return DatagramIOTest.bound(provider, StandardProtocolFamily.INET);
    }

    private static DatagramPacket packet(String text, SocketAddress target) {
        byte[] b = text.getBytes(StandardCharsets.US_ASCII);
        return target == null ? new DatagramPacket(b, b.length) : new DatagramPacket(b, b.length, target);
    }

    private static String text(DatagramPacket p) {
        return new String(p.getData(), p.getOffset(), p.getLength(), StandardCharsets.US_ASCII);
    }

    /**
     * A thread blocked in {@code s.receive} with SO_TIMEOUT {@code timeout}; its failure is what the receive
     * threw. It checks that its interrupt status is {@code interrupted} afterwards.
     */
    private static Async<Object> blockedReceiver(DatagramSocket s, int timeout, boolean interrupted) throws Exception {
        s.setSoTimeout(timeout);
        Async<Object> r = Async.start("receiver", () -> {
            try {
                s.receive(new DatagramPacket(new byte[10], 10));
                return null;
            } finally {
                assertEquals(interrupted, Thread.currentThread().isInterrupted());
            }
        });
        Providers.awaitBlockedIn(r.thread, BLOCKING_METHODS);
        return r;
    }

    // The JDK's adaptor and ours override every public method of DatagramSocket (on 17 and 25).
    @DiffTest
    void overrideThePublicMethods(SelectorProvider provider) throws Exception {
        try (DatagramChannel dc = provider.openDatagramChannel()) {
            assertEquals(Set.of(), SocketAdaptorTest.notOverridden(DatagramSocket.class, dc.socket().getClass()));
        }
    }

    // socket() is one object, before and after close; getChannel() is the channel.
    @DiffTest
    void socketIsTheSameObject(SelectorProvider provider) throws Exception {
        DatagramChannel dc = provider.openDatagramChannel();
        DatagramSocket s = dc.socket();
        assertSame(s, dc.socket());
        assertSame(dc, s.getChannel());
        s.close();
        assertFalse(dc.isOpen());
        assertSame(s, dc.socket());
        assertTrue(s.isClosed());
        s.close();
    }

    // The getters of an unbound, a bound, a connected, a disconnected and a closed socket.
    @DiffTest
    void getters(SelectorProvider provider) throws Exception {
        DatagramChannel dc = provider.openDatagramChannel(StandardProtocolFamily.INET);
        DatagramSocket s = dc.socket();
        try (DatagramChannel peer = bound(provider); DatagramChannel peer2 = bound(provider)) {
            assertFalse(s.isBound());
            assertFalse(s.isConnected());
            assertFalse(s.isClosed());
            assertNull(s.getInetAddress());
            assertEquals(-1, s.getPort());
            assertNull(s.getRemoteSocketAddress());
            assertNull(s.getLocalSocketAddress());
            assertEquals(WILDCARD, s.getLocalAddress());
            assertEquals(0, s.getLocalPort());
            assertEquals(0, s.getSoTimeout());

            s.bind(new InetSocketAddress(LOOPBACK, 0));
            assertTrue(s.isBound());
            assertEquals(dc.getLocalAddress(), s.getLocalSocketAddress());
            assertEquals(LOOPBACK, s.getLocalAddress());
            int port = s.getLocalPort();
            assertNotEquals(0, port);

            InetSocketAddress remote = (InetSocketAddress) peer.getLocalAddress();
            s.connect(remote);
            assertTrue(s.isConnected());
            assertTrue(dc.isConnected());
            assertEquals(remote, s.getRemoteSocketAddress());
            assertEquals(remote.getAddress(), s.getInetAddress());
            assertEquals(remote.getPort(), s.getPort());

            // unlike the channel, the adaptor connects again to another peer
            InetSocketAddress remote2 = (InetSocketAddress) peer2.getLocalAddress();
            s.connect(remote2.getAddress(), remote2.getPort());
            assertEquals(remote2, s.getRemoteSocketAddress());
            assertEquals(remote2, dc.getRemoteAddress());

            s.disconnect();
            assertFalse(s.isConnected());
            assertNull(s.getRemoteSocketAddress());
            assertEquals(-1, s.getPort());
            assertEquals(port, s.getLocalPort());
            s.disconnect();

            s.connect(remote);
            s.close();
            assertTrue(s.isClosed());
            assertTrue(s.isBound());
            assertTrue(s.isConnected());
            assertEquals(remote, s.getRemoteSocketAddress());
            assertNull(s.getLocalSocketAddress());
            assertNull(s.getLocalAddress());
            assertEquals(-1, s.getLocalPort());
            s.disconnect();
        } finally {
            dc.close();
        }
    }

    // bind's arguments, translated to SocketException where the JDK translates them.
    @DiffTest
    void bind(SelectorProvider provider) throws Exception {
        try (DatagramChannel dc = provider.openDatagramChannel(StandardProtocolFamily.INET)) {
            DatagramSocket s = dc.socket();
            assertThrowsMessage(UnsupportedAddressTypeException.class, null,
                    () -> s.bind(UnixDomainSocketAddress.of("x")));
            assertThrowsMessage(SocketException.class, "Unsupported address type",
                    () -> s.bind(new InetSocketAddress(InetAddress.getByName("::1"), 0)));
            assertThrowsMessage(SocketException.class, "Unresolved address",
                    () -> s.bind(InetSocketAddress.createUnresolved("localhost", 0)));
            s.bind(null);
            assertTrue(s.isBound());
            assertEquals(WILDCARD, s.getLocalAddress());
            assertNotEquals(0, s.getLocalPort());
            SocketException e = assertThrowsMessage(SocketException.class, "Already bound",
                    () -> s.bind(new InetSocketAddress(LOOPBACK, 0)));
            assertSame(java.nio.channels.AlreadyBoundException.class, e.getCause().getClass());
            s.close();
            assertThrowsMessage(SocketException.class, "Socket is closed", () -> s.bind(null));
        }
    }

    // connect's arguments; connect binds first; on a closed socket it does nothing.
    @DiffTest
    void connect(SelectorProvider provider) throws Exception {
        try (DatagramChannel dc = provider.openDatagramChannel(StandardProtocolFamily.INET)) {
            DatagramSocket s = dc.socket();
            assertThrowsMessage(IllegalArgumentException.class, "Address can't be null", () -> s.connect(null));
            assertThrowsMessage(IllegalArgumentException.class, "Address can't be null", () -> s.connect(null, 1));
            assertThrowsMessage(UnsupportedAddressTypeException.class, null,
                    () -> s.connect(UnixDomainSocketAddress.of("x")));
            assertThrowsMessage(SocketException.class, "Can't connect to port 0",
                    () -> s.connect(new InetSocketAddress(LOOPBACK, 0)));
            UncheckedIOException u = assertThrowsMessage(UncheckedIOException.class,
                    "java.net.SocketException: Can't connect to port 0", () -> s.connect(LOOPBACK, 0));
            assertSame(SocketException.class, u.getCause().getClass());
            assertThrowsMessage(SocketException.class, "Unresolved address",
                    () -> s.connect(InetSocketAddress.createUnresolved("localhost", 9)));
            assertFalse(s.isBound());
            s.connect(new InetSocketAddress(LOOPBACK, 9));
            assertTrue(s.isBound());
            assertEquals(LOOPBACK, s.getLocalAddress());
            s.close();
            s.connect(new InetSocketAddress(LOOPBACK, 10));
            s.connect(LOOPBACK, 10);
            assertEquals(new InetSocketAddress(LOOPBACK, 9), s.getRemoteSocketAddress());
        }
    }

    // Send and receive with DatagramPacket: offsets, the sender, a new address per sender.
    @DiffTest
    void sendAndReceive(SelectorProvider provider) throws Exception {
        try (DatagramChannel a = bound(provider); DatagramChannel b = bound(provider)) {
            DatagramSocket sa = a.socket();
            DatagramSocket sb = b.socket();
            byte[] data = "..hello..".getBytes(StandardCharsets.US_ASCII);
            sa.send(new DatagramPacket(data, 2, 5, b.getLocalAddress()));

            byte[] buf = new byte[20];
            DatagramPacket p = new DatagramPacket(buf, 3, 10);
            sb.receive(p);
            assertEquals(5, p.getLength());
            assertEquals(3, p.getOffset());
            assertSame(buf, p.getData());
            assertEquals("hello", text(p));
            assertEquals(a.getLocalAddress(), p.getSocketAddress());
            assertEquals(0, buf[2]);
            assertEquals(0, buf[8]);

            // a datagram longer than the packet is truncated
            sa.send(packet("0123456789", b.getLocalAddress()));
            DatagramPacket small = new DatagramPacket(new byte[4], 4);
            sb.receive(small);
            assertEquals("0123", text(small));

            // a packet of length 0 receives and drops the whole datagram
            sa.send(packet("dropped", b.getLocalAddress()));
            DatagramPacket empty = new DatagramPacket(new byte[4], 0);
            sb.receive(empty);
            assertEquals(0, empty.getLength());
            assertEquals(a.getLocalAddress(), empty.getSocketAddress());

            // an empty datagram
            sa.send(new DatagramPacket(new byte[0], 0, b.getLocalAddress()));
            DatagramPacket p2 = new DatagramPacket(new byte[10], 10);
            sb.receive(p2);
            assertEquals(0, p2.getLength());

            // the channel and the adaptor see the same datagrams
            sa.send(packet("to the channel", b.getLocalAddress()));
            java.nio.ByteBuffer bb = java.nio.ByteBuffer.allocate(20);
            assertEquals(a.getLocalAddress(), b.receive(bb));
            assertEquals("to the channel", DatagramIOTest.text(bb));
        }
    }

    // A connected socket sends a packet without an address to the peer, and sets that address in
    // the packet; another address is an IllegalArgumentException; unconnected, a packet needs an address.
    @DiffTest
    void sendAddresses(SelectorProvider provider) throws Exception {
        try (DatagramChannel a = bound(provider); DatagramChannel b = bound(provider); DatagramChannel c = bound(provider)) {
            DatagramSocket sa = a.socket();
            assertThrowsMessage(IllegalArgumentException.class, "Address not set", () -> sa.send(packet("x", null)));
            assertThrowsMessage(SocketException.class, "Can't send to port 0",
                    () -> sa.send(packet("x", new InetSocketAddress(LOOPBACK, 0))));
            assertThrowsMessage(UnsupportedAddressTypeException.class, null,
                    () -> sa.send(packet("x", new InetSocketAddress(InetAddress.getByName("::1"), 9))));

            sa.connect(b.getLocalAddress());
            DatagramPacket p = packet("to the peer", null);
            sa.send(p);
            assertEquals(b.getLocalAddress(), p.getSocketAddress());
            sa.send(packet("again", b.getLocalAddress()));
            assertThrowsMessage(IllegalArgumentException.class, "Connected and packet address differ",
                    () -> sa.send(packet("x", c.getLocalAddress())));

            DatagramPacket r = new DatagramPacket(new byte[20], 20);
            b.socket().receive(r);
            assertEquals("to the peer", text(r));
            r.setLength(20);
            b.socket().receive(r);
            assertEquals("again", text(r));
        }
    }

    // SO_TIMEOUT bounds a receive: SocketTimeoutException, and the socket stays usable.
    @DiffTest
    void receiveTimeout(SelectorProvider provider) throws Exception {
        try (DatagramChannel a = bound(provider); DatagramChannel b = bound(provider)) {
            DatagramSocket sb = b.socket();
            assertThrowsMessage(IllegalArgumentException.class, "timeout < 0", () -> sb.setSoTimeout(-1));
            sb.setSoTimeout(20);
            assertEquals(20, sb.getSoTimeout());
            DatagramPacket p = new DatagramPacket(new byte[10], 10);
            assertThrowsMessage(SocketTimeoutException.class, "Receive timed out", () -> sb.receive(p));
            assertTrue(b.isOpen());
            assertTrue(b.isBlocking());
            a.socket().send(packet("late", b.getLocalAddress()));
            sb.setSoTimeout(10_000);
            sb.receive(p);
            assertEquals("late", text(p));
            sb.setSoTimeout(0);
            assertEquals(0, sb.getSoTimeout());
        }
    }

    // Send and receive need a blocking channel.
    @DiffTest
    void nonBlockingChannel(SelectorProvider provider) throws Exception {
        try (DatagramChannel a = bound(provider)) {
            a.configureBlocking(false);
            DatagramSocket s = a.socket();
            assertThrowsMessage(IllegalBlockingModeException.class, null,
                    () -> s.receive(new DatagramPacket(new byte[1], 1)));
            s.setSoTimeout(10);
            assertThrowsMessage(IllegalBlockingModeException.class, null,
                    () -> s.receive(new DatagramPacket(new byte[1], 1)));
            assertThrowsMessage(IllegalBlockingModeException.class, null,
                    () -> s.send(packet("x", a.getLocalAddress())));
        }
    }

    // A closed socket: send and receive throw SocketException("Socket closed"), the rest
    // SocketException("Socket is closed"); the 9+ option methods throw the channel's exception.
    @DiffTest
    void closed(SelectorProvider provider) throws Exception {
        DatagramChannel dc = bound(provider);
        SocketAddress local = dc.getLocalAddress();
        DatagramSocket s = dc.socket();
        s.close();
        SocketException e = assertThrowsMessage(SocketException.class, "Socket closed", () -> s.send(packet("x", local)));
        assertSame(ClosedChannelException.class, e.getCause().getClass());
        e = assertThrowsMessage(SocketException.class, "Socket closed", () -> s.receive(new DatagramPacket(new byte[1], 1)));
        assertSame(ClosedChannelException.class, e.getCause().getClass());
        // before JDK 19 the packet's address was checked before the channel
        if (JDK_19) {
            assertThrowsMessage(SocketException.class, "Socket closed", () -> s.send(packet("x", null)));
        } else {
            assertThrowsMessage(IllegalArgumentException.class, "Address not set", () -> s.send(packet("x", null)));
        }
        assertThrowsMessage(SocketException.class, "Socket is closed", () -> s.setSoTimeout(1));
        assertThrowsMessage(SocketException.class, "Socket is closed", s::getSoTimeout);
        assertThrowsMessage(SocketException.class, "Socket is closed", () -> s.setSendBufferSize(1000));
        assertThrowsMessage(SocketException.class, "Socket is closed", s::getReceiveBufferSize);
        assertThrowsMessage(SocketException.class, "Socket is closed", () -> s.setBroadcast(true));
        assertThrowsMessage(SocketException.class, "Socket is closed", s::getTrafficClass);
        assertThrowsMessage(SocketException.class, "Socket is closed", s::getReuseAddress);
        assertThrowsMessage(ClosedChannelException.class, null, () -> s.getOption(StandardSocketOptions.SO_RCVBUF));
        assertThrowsMessage(ClosedChannelException.class, null,
                () -> s.setOption(StandardSocketOptions.SO_RCVBUF, 1000));
        assertEquals(dc.supportedOptions(), s.supportedOptions());
    }

    // A receive blocked in another thread, with or without SO_TIMEOUT, ends with
    // SocketException("Socket closed") caused by AsynchronousCloseException when the socket is closed.
    @DiffTest
    void blockedReceiveClosed(SelectorProvider provider) throws Exception {
        for (int timeout : new int[] {0, 60_000}) {
            try (DatagramChannel dc = bound(provider)) {
                DatagramSocket s = dc.socket();
                Async<Object> r = blockedReceiver(s, timeout, false);
                s.close();
                Throwable t = r.failure(SocketException.class);
                assertEquals("Socket closed", t.getMessage());
                assertSame(AsynchronousCloseException.class, t.getCause().getClass());
            }
        }
    }

    // Interrupting a receive closes the channel: SocketException caused by ClosedByInterruptException
    // on JDK 17, ClosedByInterruptException from JDK 19; the interrupt status stays set.
    @DiffTest
    void blockedReceiveInterrupted(SelectorProvider provider) throws Exception {
        for (int timeout : new int[] {0, 60_000}) {
            try (DatagramChannel dc = bound(provider)) {
                DatagramSocket s = dc.socket();
                Async<Object> r = blockedReceiver(s, timeout, true);
                r.thread.interrupt();
                Throwable t = r.failure();
                if (JDK_19) {
                    assertSame(ClosedByInterruptException.class, t.getClass(), t.toString());
                } else {
                    assertSame(SocketException.class, t.getClass(), t.toString());
                    assertEquals("Socket closed", t.getMessage());
                    assertSame(ClosedByInterruptException.class, t.getCause().getClass());
                }
                assertFalse(dc.isOpen());
                assertTrue(s.isClosed());
            }
        }
    }

    // The option methods, their argument checks and the 9+ option methods (behaviours.md#supported-options,
    // behaviours.md#option-values-and-validation).
    @DiffTest
    void options(SelectorProvider provider) throws Exception {
        try (DatagramChannel dc = provider.openDatagramChannel(StandardProtocolFamily.INET)) {
            DatagramSocket s = dc.socket();
            assertFalse(s.getBroadcast());
            s.setBroadcast(true);
            assertTrue(s.getBroadcast());
            assertTrue(dc.getOption(StandardSocketOptions.SO_BROADCAST));
            assertFalse(s.getReuseAddress());
            s.setReuseAddress(true);
            assertTrue(s.getReuseAddress());
            assertEquals(dc.getOption(StandardSocketOptions.SO_RCVBUF), s.getReceiveBufferSize());
            assertEquals(dc.getOption(StandardSocketOptions.SO_SNDBUF), s.getSendBufferSize());
            s.setReceiveBufferSize(65536);
            assertEquals(65536, s.getReceiveBufferSize());
            s.setSendBufferSize(32768);
            assertEquals(32768, s.getSendBufferSize());
            assertThrowsMessage(IllegalArgumentException.class, "Invalid receive size", () -> s.setReceiveBufferSize(0));
            assertThrowsMessage(IllegalArgumentException.class, "Invalid send size", () -> s.setSendBufferSize(-1));
            assertEquals(0, s.getTrafficClass());
            s.setTrafficClass(0x10);
            assertEquals(0x10, s.getTrafficClass());
            assertThrowsMessage(IllegalArgumentException.class, "Invalid IP_TOS value", () -> s.setTrafficClass(256));

            assertSame(s, s.setOption(StandardSocketOptions.IP_MULTICAST_TTL, 3));
            assertEquals(3, s.getOption(StandardSocketOptions.IP_MULTICAST_TTL));
            assertEquals(dc.supportedOptions(), s.supportedOptions());
            assertThrowsMessage(UnsupportedOperationException.class, "'TCP_NODELAY' not supported",
                    () -> s.setOption(StandardSocketOptions.TCP_NODELAY, true));
            assertThrowsMessage(NullPointerException.class, null, () -> s.getOption(null));
        }
    }

    // joinGroup and leaveGroup on the loopback interface (no multicast datagram is sent): argument
    // checks, a second join or leave, the IP_MULTICAST_IF interface when none is given, and close
    // (behaviours.md#multicast).
    @DiffTest
    void groups(SelectorProvider provider) throws Exception {
        NetworkInterface lo = NetworkInterface.getByName("lo");
        InetSocketAddress group = new InetSocketAddress(GROUP, 0);
        try (DatagramChannel dc = provider.openDatagramChannel(StandardProtocolFamily.INET)) {
            DatagramSocket s = dc.socket();
            assertThrowsMessage(IllegalArgumentException.class, "Unsupported address type",
                    () -> s.joinGroup(UnixDomainSocketAddress.of("x"), lo));
            assertThrowsMessage(IllegalArgumentException.class, "Unsupported address type", () -> s.joinGroup(null, lo));
            assertThrowsMessage(IllegalArgumentException.class, "Unresolved address",
                    () -> s.joinGroup(InetSocketAddress.createUnresolved("localhost", 0), lo));
            assertThrowsMessage(SocketException.class, "Not a multicast address",
                    () -> s.joinGroup(new InetSocketAddress(LOOPBACK, 0), lo));
            assertThrowsMessage(SocketException.class, "Not a multicast address",
                    () -> s.leaveGroup(new InetSocketAddress(LOOPBACK, 0), lo));
            assertThrowsMessage(SocketException.class, "Not a member of group", () -> s.leaveGroup(group, lo));

            s.joinGroup(group, lo);
            assertThrowsMessage(SocketException.class, "Already a member of group", () -> s.joinGroup(group, lo));
            s.leaveGroup(group, lo);
            assertThrowsMessage(SocketException.class, "Not a member of group", () -> s.leaveGroup(group, lo));

            s.setOption(StandardSocketOptions.IP_MULTICAST_IF, lo);
            s.joinGroup(group, null);
            assertThrowsMessage(SocketException.class, "Already a member of group", () -> s.joinGroup(group, lo));
            s.leaveGroup(group, null);

            s.close();
            assertThrowsMessage(SocketException.class, "Socket is closed", () -> s.joinGroup(group, lo));
            assertThrowsMessage(SocketException.class, "Socket is closed", () -> s.leaveGroup(group, lo));
            assertThrowsMessage(SocketException.class, "Socket is closed", () -> s.joinGroup(group, null));
        }
    }

    // A packet reused for receive keeps the room of its buffer (the JDK's private bufLength; nativenio
    // remembers what its receive set), while setLength and setData by the caller change it.
    @DiffTest
    void reusedPacketKeepsItsRoom(SelectorProvider provider) throws Exception {
        try (DatagramChannel a = bound(provider); DatagramChannel b = bound(provider)) {
            DatagramPacket p = new DatagramPacket(new byte[10], 10);
            a.socket().send(packet("abc", b.getLocalAddress()));
            b.socket().receive(p);
            assertEquals(3, p.getLength());
            a.socket().send(packet("defgh", b.getLocalAddress()));
            b.socket().receive(p);
            assertEquals("defgh", text(p));
            p.setLength(2);
            a.socket().send(packet("ijklm", b.getLocalAddress()));
            b.socket().receive(p);
            assertEquals("ij", text(p));
            a.socket().send(packet("nopq", b.getLocalAddress()));
            b.socket().receive(p);
            assertEquals("no", text(p)); // the room set by setLength(2) stays
            p.setData(new byte[4]);
            a.socket().send(packet("rstuvw", b.getLocalAddress()));
            b.socket().receive(p);
            assertEquals("rstu", text(p));
        }
    }
}
