package io.nativenio.diff;

import static io.nativenio.diff.DatagramIOTest.address;
import static io.nativenio.diff.DatagramBadInputTest.assertThrowsExactly;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.net.NetworkInterface;
import java.net.ProtocolFamily;
import java.net.StandardProtocolFamily;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.DatagramChannel;
import java.nio.channels.MembershipKey;
import java.nio.channels.spi.SelectorProvider;

/**
 * Multicast memberships on the loopback interface: argument checks, join/drop/block/unblock and
 * MembershipKey semantics (behaviours.md#multicast). No multicast datagram is sent: multicast traffic
 * runs only inside a network namespace of the test run's own (MulticastIT), which these in-process tests do not create.
 */
class DatagramMulticastTest {
    private static final InetAddress GROUP4 = address("239.255.10.1");
    private static final InetAddress GROUP6 = address("ff15::10:1");
    private static final InetAddress SOURCE4 = address("127.0.0.2");
    private static final InetAddress SOURCE6 = address("::1");

    private static NetworkInterface lo() throws Exception {
        return NetworkInterface.getByName("lo");
    }

    // join's argument checks with the JDK's messages; nothing is joined.
    @DiffTest
    void joinArguments(SelectorProvider provider) throws Exception {
        NetworkInterface lo = lo();
        try (DatagramChannel dc = provider.openDatagramChannel(StandardProtocolFamily.INET)) {
            assertThrowsExactly(IllegalArgumentException.class, "Group not a multicast address",
                    () -> dc.join(address("127.0.0.1"), lo));
            assertThrowsExactly(IllegalArgumentException.class, "Only IPv6 sockets can join IPv6 multicast group",
                    () -> dc.join(GROUP6, lo));
            assertThrowsExactly(IllegalArgumentException.class, "Source address is a wildcard address",
                    () -> dc.join(GROUP4, lo, address("0.0.0.0")));
            assertThrowsExactly(IllegalArgumentException.class, "Source address is multicast address",
                    () -> dc.join(GROUP4, lo, address("239.1.1.1")));
            assertThrowsExactly(IllegalArgumentException.class, "Source address is different type to group",
                    () -> dc.join(GROUP4, lo, SOURCE6));
            assertThrowsExactly(NullPointerException.class, null, () -> dc.join(GROUP4, lo, null));
            assertThrowsExactly(NullPointerException.class, null, () -> dc.join(null, lo));
            assertThrowsExactly(NullPointerException.class, null, () -> dc.join(GROUP4, null));
        }
    }

    // Join, the same key again, conflicts, drop and close invalidate, for IPv4 and IPv6 groups.
    @DiffTest
    void membershipKeys(SelectorProvider provider) throws Exception {
        NetworkInterface lo = lo();
        for (ProtocolFamily family : new ProtocolFamily[] {StandardProtocolFamily.INET, StandardProtocolFamily.INET6}) {
            for (InetAddress group : family == StandardProtocolFamily.INET ? new InetAddress[] {GROUP4}
                    : new InetAddress[] {GROUP4, GROUP6}) {
                InetAddress source = group == GROUP4 ? SOURCE4 : SOURCE6;
                DatagramChannel dc = provider.openDatagramChannel(family);
                try {
                    MembershipKey key = dc.join(group, lo);
                    assertTrue(key.isValid());
                    assertSame(dc, key.channel());
                    assertEquals(group, key.group());
                    assertEquals(lo, key.networkInterface());
                    assertNull(key.sourceAddress());
                    assertEquals("<" + group.getHostAddress() + ",lo>", key.toString());
                    assertSame(key, dc.join(group, lo));
                    // the JDK's two messages read the wrong way round; they are matched as they are
                    assertThrowsExactly(IllegalStateException.class, "Already have source-specific membership",
                            () -> dc.join(group, lo, source));
                    assertSame(key, key.block(source));
                    assertSame(key, key.block(source));
                    assertThrowsExactly(IllegalStateException.class, "not blocked", () -> key.unblock(address(
                            group == GROUP4 ? "127.0.0.3" : "::2")));
                    assertSame(key, key.unblock(source));
                    assertThrowsExactly(IllegalStateException.class, "not blocked", () -> key.unblock(source));
                    key.drop();
                    assertFalse(key.isValid());
                    key.drop();
                    assertThrowsExactly(IllegalStateException.class, "key is no longer valid", () -> key.block(source));
                    // source-specific
                    MembershipKey ssm = dc.join(group, lo, source);
                    assertEquals(source, ssm.sourceAddress());
                    assertSame(ssm, dc.join(group, lo, source));
                    assertThrowsExactly(IllegalStateException.class, "Already a member to receive all packets",
                            () -> dc.join(group, lo));
                    assertThrowsExactly(IllegalStateException.class, "key is source-specific", () -> ssm.block(source));
                    assertEquals("<" + group.getHostAddress() + ",lo," + source.getHostAddress() + ">", ssm.toString());
                    ssm.drop();
                    assertFalse(ssm.isValid());
                    assertTrue(dc.join(group, lo).isValid());
                } finally {
                    dc.close();
                }
            }
        }
    }

    // Closing the channel invalidates its keys; a closed channel cannot join.
    @DiffTest
    void closeInvalidates(SelectorProvider provider) throws Exception {
        NetworkInterface lo = lo();
        DatagramChannel dc = provider.openDatagramChannel(StandardProtocolFamily.INET);
        MembershipKey key = dc.join(GROUP4, lo);
        dc.close();
        assertFalse(key.isValid());
        key.drop();
        assertThrowsExactly(ClosedChannelException.class, null, () -> dc.join(GROUP4, lo));
        assertThrowsExactly(IllegalStateException.class, "key is no longer valid", () -> key.block(SOURCE4));
    }
}
