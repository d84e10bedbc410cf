package io.nativenio.diff;

import static io.nativenio.diff.SocketAdaptorTest.assertThrowsMessage;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.DatagramPacket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.MulticastSocket;
import java.net.NetworkInterface;
import java.net.ProtocolFamily;
import java.net.SocketException;
import java.net.StandardProtocolFamily;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.nio.channels.spi.SelectorProvider;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.function.Executable;

/**
 * DatagramChannel.socket() as a java.net.MulticastSocket (behaviours.md#datagramsocket-adaptor): every method of
 * MulticastSocket that needs no multicast traffic beyond the loopback interface (the traffic itself is
 * MulticastSocketIT's, in a network namespace).
 */
@SuppressWarnings("deprecation") // the deprecated methods of MulticastSocket are under test too
class MulticastSocketAdaptorTest {
    private static final InetAddress LOOPBACK = InetAddress.getLoopbackAddress();
    private static final InetAddress WILDCARD = new InetSocketAddress(0).getAddress();
    private static final InetAddress GROUP = DatagramIOTest.address("239.255.10.3");
    private static final List<ProtocolFamily> FAMILIES = List.of(StandardProtocolFamily.INET, StandardProtocolFamily.INET6);

    /**
     * From JDK 25 setInterface's message names the address only when jdk.includeInExceptions allows it, which
     * JDK 25's default java.security does (hostInfoExclSocket). HostInfoIT compares the other settings.
     */
    private static final boolean JDK_25 = Runtime.version().feature() >= 25;

    private static MulticastSocket socket(DatagramChannel dc) {
        return assertInstanceOf(MulticastSocket.class, dc.socket());
    }

    private static NetworkInterface loopbackInterface() throws SocketException {
        return NetworkInterface.getByInetAddress(LOOPBACK);
    }

    // The adaptor is a MulticastSocket that overrides every public method of MulticastSocket, so that none of
    // them reaches the superclass's own socket (on 17 and 25).
    @DiffTest
    void isAMulticastSocketOverridingEveryPublicMethod(SelectorProvider provider) throws Exception {
        try (DatagramChannel dc = provider.openDatagramChannel()) {
            assertEquals(Set.of(), SocketAdaptorTest.notOverridden(MulticastSocket.class, socket(dc).getClass()));
        }
    }

    // socket() opens no file descriptor: the JDK's adaptor makes none; nativenio's superclass opens one, which its
    // constructor closes again.
    @DiffTest
    void socketOpensNoFileDescriptor(SelectorProvider provider) throws Exception {
        try (DatagramChannel dc = provider.openDatagramChannel()) {
            int before = Providers.stableFdCount();
            socket(dc);
            Providers.assertFdCount(before, "after socket()");
        }
    }

    // setTimeToLive/getTimeToLive and the deprecated setTTL/getTTL are IP_MULTICAST_TTL (an unsigned byte).
    @DiffTest
    void timeToLive(SelectorProvider provider) throws Exception {
        for (ProtocolFamily family : FAMILIES) {
            try (DatagramChannel dc = provider.openDatagramChannel(family)) {
                MulticastSocket s = socket(dc);
                assertEquals(1, s.getTimeToLive());
                assertEquals(1, s.getTTL());
                s.setTimeToLive(255);
                assertEquals(255, s.getTimeToLive());
                assertEquals((byte) 255, s.getTTL());
                assertEquals(255, dc.getOption(StandardSocketOptions.IP_MULTICAST_TTL));
                s.setTTL((byte) 200);
                assertEquals(200, s.getTimeToLive());
                s.setTimeToLive(0);
                assertEquals(0, s.getTTL());
                dc.setOption(StandardSocketOptions.IP_MULTICAST_TTL, 3);
                assertEquals(3, s.getTimeToLive());
                assertThrowsMessage(IllegalArgumentException.class, "Invalid TTL/hop value", () -> s.setTimeToLive(-1));
                assertThrowsMessage(IllegalArgumentException.class, "Invalid TTL/hop value", () -> s.setTimeToLive(256));
                assertEquals(3, s.getTimeToLive());
            }
        }
    }

    // setLoopbackMode(true) disables IP_MULTICAST_LOOP; getLoopbackMode says whether it is disabled.
    @DiffTest
    void loopbackMode(SelectorProvider provider) throws Exception {
        for (ProtocolFamily family : FAMILIES) {
            try (DatagramChannel dc = provider.openDatagramChannel(family)) {
                MulticastSocket s = socket(dc);
                assertFalse(s.getLoopbackMode());
                s.setLoopbackMode(true);
                assertTrue(s.getLoopbackMode());
                assertFalse(dc.getOption(StandardSocketOptions.IP_MULTICAST_LOOP));
                s.setLoopbackMode(false);
                assertFalse(s.getLoopbackMode());
                assertTrue(dc.getOption(StandardSocketOptions.IP_MULTICAST_LOOP));
            }
        }
    }

    // Without IP_MULTICAST_IF, getNetworkInterface is "any interface" (index 0, the wildcard address) and
    // getInterface the wildcard address; setNetworkInterface and setInterface set IP_MULTICAST_IF, and
    // getInterface then gives the address setInterface was given, or else the interface's first address.
    @DiffTest
    void outgoingInterface(SelectorProvider provider) throws Exception {
        NetworkInterface lo = loopbackInterface();
        for (ProtocolFamily family : FAMILIES) {
            try (DatagramChannel dc = provider.openDatagramChannel(family)) {
                MulticastSocket s = socket(dc);
                NetworkInterface any = s.getNetworkInterface();
                assertEquals(0, any.getIndex());
                assertEquals(WILDCARD.getHostName(), any.getName());
                assertEquals(List.of(WILDCARD), any.inetAddresses().toList());
                assertEquals(WILDCARD, s.getInterface());
                assertNull(dc.getOption(StandardSocketOptions.IP_MULTICAST_IF));

                s.setNetworkInterface(lo);
                assertEquals(lo, s.getNetworkInterface());
                assertEquals(lo, dc.getOption(StandardSocketOptions.IP_MULTICAST_IF));
                assertEquals(lo.inetAddresses().findFirst().orElseThrow(), s.getInterface());

                s.setInterface(LOOPBACK);
                assertEquals(LOOPBACK, s.getInterface());
                assertEquals(lo, s.getNetworkInterface());

                assertThrowsMessage(IllegalArgumentException.class, "Invalid value 'null'", () -> s.setNetworkInterface(null));
                assertThrowsMessage(SocketException.class, "Invalid value 'null'", () -> s.setInterface(null));
                InetAddress nobodys = DatagramIOTest.address("192.0.2.1");
                assertThrowsMessage(SocketException.class, JDK_25 ? "No network interface found with address 192.0.2.1"
                        : "No network interface with address 192.0.2.1", () -> s.setInterface(nobodys));
                assertEquals(LOOPBACK, s.getInterface());
            }
        }
    }

    // The deprecated joinGroup(InetAddress) and leaveGroup(InetAddress) on the IP_MULTICAST_IF interface (the
    // loopback interface: no datagram is sent), with the JDK's exceptions: an IllegalArgumentException of the
    // channel becomes SocketException("joinGroup failed") caused by it.
    @DiffTest
    void joinAndLeaveByAddress(SelectorProvider provider) throws Exception {
        NetworkInterface lo = loopbackInterface();
        try (DatagramChannel dc = provider.openDatagramChannel(StandardProtocolFamily.INET)) {
            MulticastSocket s = socket(dc);
            s.setNetworkInterface(lo);
            s.joinGroup(GROUP);
            assertThrowsMessage(SocketException.class, "Already a member of group", () -> s.joinGroup(GROUP));
            assertThrowsMessage(SocketException.class, "Already a member of group",
                    () -> s.joinGroup(new InetSocketAddress(GROUP, 0), lo));
            assertEquals(lo, s.getNetworkInterface());
            s.leaveGroup(GROUP);
            assertThrowsMessage(SocketException.class, "Not a member of group", () -> s.leaveGroup(GROUP));
            assertThrowsMessage(SocketException.class, "Not a multicast address", () -> s.joinGroup(LOOPBACK));
            assertThrowsMessage(SocketException.class, "Not a multicast address", () -> s.leaveGroup(LOOPBACK));
            assertThrows(NullPointerException.class, () -> s.joinGroup((InetAddress) null));
            assertThrows(NullPointerException.class, () -> s.leaveGroup((InetAddress) null));
            InetAddress ipv6Group = DatagramIOTest.address("ff02::a");
            SocketException e = assertThrowsMessage(SocketException.class, "joinGroup failed", () -> s.joinGroup(ipv6Group));
            IllegalArgumentException cause = assertInstanceOf(IllegalArgumentException.class, e.getCause());
            assertEquals("Only IPv6 sockets can join IPv6 multicast group", cause.getMessage());
            assertThrowsMessage(SocketException.class, "Not a member of group", () -> s.leaveGroup(ipv6Group));
        }
    }

    // send(packet, ttl) sends with that TTL and then puts the socket's TTL back, also when the send fails.
    @DiffTest
    void sendWithTimeToLive(SelectorProvider provider) throws Exception {
        try (DatagramChannel receiver = DatagramIOTest.bound(provider, StandardProtocolFamily.INET);
                DatagramChannel dc = DatagramIOTest.bound(provider, StandardProtocolFamily.INET)) {
            MulticastSocket s = socket(dc);
            s.setTimeToLive(5);
            byte[] b = "ttl".getBytes(StandardCharsets.US_ASCII);
            s.send(new DatagramPacket(b, b.length, receiver.getLocalAddress()), (byte) 9);
            assertEquals(5, s.getTimeToLive());
            ByteBuffer in = ByteBuffer.allocate(8);
            assertEquals(dc.getLocalAddress(), receiver.receive(in));
            assertEquals("ttl", new String(in.array(), 0, in.position(), StandardCharsets.US_ASCII));
            assertThrowsMessage(IllegalArgumentException.class, "Address not set",
                    () -> s.send(new DatagramPacket(b, b.length), (byte) 9));
            assertEquals(5, s.getTimeToLive());
        }
    }

    // Every MulticastSocket method of a closed socket: SocketException("Socket is closed").
    @DiffTest
    void closed(SelectorProvider provider) throws Exception {
        NetworkInterface lo = loopbackInterface();
        DatagramChannel dc = provider.openDatagramChannel(StandardProtocolFamily.INET);
        MulticastSocket s = socket(dc);
        s.close();
        byte[] b = new byte[1];
        DatagramPacket p = new DatagramPacket(b, 1, new InetSocketAddress(LOOPBACK, 9));
        for (Executable e : List.<Executable>of(s::getTimeToLive, () -> s.setTimeToLive(1), s::getTTL,
                () -> s.setTTL((byte) 1), s::getLoopbackMode, () -> s.setLoopbackMode(true), s::getNetworkInterface,
                () -> s.setNetworkInterface(lo), s::getInterface, () -> s.setInterface(LOOPBACK),
                () -> s.joinGroup(GROUP), () -> s.leaveGroup(GROUP), () -> s.send(p, (byte) 1))) {
            assertThrowsMessage(SocketException.class, "Socket is closed", e);
        }
    }
}
