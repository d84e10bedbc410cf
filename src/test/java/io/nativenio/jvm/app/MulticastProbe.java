package io.nativenio.jvm.app;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.net.ProtocolFamily;
import java.net.SocketAddress;
import java.net.StandardProtocolFamily;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.nio.channels.MembershipKey;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.spi.SelectorProvider;
import java.nio.charset.StandardCharsets;

/**
 * Multicast traffic on one provider (behaviours.md#multicast), run inside a network namespace of the test's own
 * with one veth interface {@code mc0} (10.99.0.1/24, fd00:99::1/64): any-source and source-specific joins,
 * block, unblock, drop and loopback, over IPv4 and IPv6. Argument: {@code jdk} or {@code nativenio}. Prints
 * one {@code name=result} line per step; the integration test compares the two providers' output.
 */
public final class MulticastProbe {
    private MulticastProbe() {
    }

    public static void main(String[] args) throws Exception {
        SelectorProvider p = ProbeSupport.provider(args[0]);
        NetworkInterface mc0 = NetworkInterface.getByName("mc0");
        System.out.println("mc0.multicast=" + mc0.supportsMulticast());
        run(p, StandardProtocolFamily.INET, InetAddress.getByName("239.1.2.3"), InetAddress.getByName("10.99.0.1"), mc0);
        run(p, StandardProtocolFamily.INET6, InetAddress.getByName("ff15::1:3"), InetAddress.getByName("fd00:99::1"), mc0);
    }

    private static void run(SelectorProvider p, ProtocolFamily family, InetAddress group, InetAddress self,
            NetworkInterface lo) throws Exception {
        String f = family.name();
        try (DatagramChannel receiver = p.openDatagramChannel(family); DatagramChannel sender = p.openDatagramChannel(family);
                Selector selector = p.openSelector()) {
            receiver.setOption(StandardSocketOptions.SO_REUSEADDR, true);
            receiver.bind(new InetSocketAddress(0));
            int port = ((InetSocketAddress) receiver.getLocalAddress()).getPort();
            sender.setOption(StandardSocketOptions.IP_MULTICAST_IF, lo);
            sender.setOption(StandardSocketOptions.IP_MULTICAST_LOOP, true);
            sender.bind(new InetSocketAddress(self, 0));
            System.out.println(f + ".options=if:" + sender.getOption(StandardSocketOptions.IP_MULTICAST_IF).getName()
                    + " loop:" + sender.getOption(StandardSocketOptions.IP_MULTICAST_LOOP)
                    + " ttl:" + sender.getOption(StandardSocketOptions.IP_MULTICAST_TTL));
            receiver.configureBlocking(false);
            receiver.register(selector, SelectionKey.OP_READ);
            InetSocketAddress target = new InetSocketAddress(group, port);

            MembershipKey key = receiver.join(group, lo);
            System.out.println(f + ".join=" + key.isValid() + " " + key.group().getHostAddress() + " source=" + key.sourceAddress());
            System.out.println(f + ".anySource=" + exchange(sender, receiver, selector, target, "one"));
            key.block(self);
            System.out.println(f + ".blocked=" + exchange(sender, receiver, selector, target, "two"));
            key.unblock(self);
            System.out.println(f + ".unblocked=" + exchange(sender, receiver, selector, target, "three"));
            key.drop();
            System.out.println(f + ".dropped=" + key.isValid() + " " + exchange(sender, receiver, selector, target, "four"));
            MembershipKey ssm = receiver.join(group, lo, self);
            System.out.println(f + ".sourceSpecific=" + ssm.sourceAddress().getHostAddress() + " "
                    + exchange(sender, receiver, selector, target, "five"));
            ssm.drop();
        } catch (Exception e) {
            System.out.println(f + ".error=" + e.getClass().getName() + ": " + e.getMessage());
        }
    }

    /** Sends {@code text} to the group; what the receiver got within a second ("nothing" if nothing). */
    private static String exchange(DatagramChannel sender, DatagramChannel receiver, Selector selector,
            SocketAddress target, String text) throws Exception {
        sender.send(ByteBuffer.wrap(text.getBytes(StandardCharsets.US_ASCII)), target);
        selector.selectedKeys().clear();
        if (selector.select(1000) == 0) {
            return "nothing";
        }
        ByteBuffer b = ByteBuffer.allocate(64);
        SocketAddress from = receiver.receive(b);
        String got = new String(b.array(), 0, b.flip().remaining(), StandardCharsets.US_ASCII);
        return "got '" + got + "' from self:" + (((InetSocketAddress) from).getPort()
                == ((InetSocketAddress) sender.getLocalAddress()).getPort());
    }
}
