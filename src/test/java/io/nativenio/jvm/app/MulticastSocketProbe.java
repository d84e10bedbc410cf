package io.nativenio.jvm.app;

import java.net.DatagramPacket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.MulticastSocket;
import java.net.NetworkInterface;
import java.net.ProtocolFamily;
import java.net.SocketTimeoutException;
import java.net.StandardProtocolFamily;
import java.net.StandardSocketOptions;
import java.nio.channels.DatagramChannel;
import java.nio.channels.spi.SelectorProvider;
import java.nio.charset.StandardCharsets;

/**
 * DatagramChannel.socket() as a MulticastSocket with multicast traffic (behaviours.md#datagramsocket-adaptor,
 * behaviours.md#multicast), on one provider, inside the integration test's network namespace with one veth
 * interface {@code ms0} (10.97.0.1/24, fd00:97::1/64, the IPv4 multicast route): joinGroup and leaveGroup in both
 * forms, on "any interface" and on ms0, TTL, send with a TTL, the outgoing interface and the loopback mode, over
 * IPv4 and IPv6. Argument: {@code jdk} or {@code nativenio}. Prints one {@code name=result} line per step.
 */
@SuppressWarnings("deprecation") // the deprecated methods of MulticastSocket are under test too
public final class MulticastSocketProbe {
    private MulticastSocketProbe() {
    }

    public static void main(String[] args) throws Exception {
        SelectorProvider p = ProbeSupport.provider(args[0]);
        NetworkInterface ms0 = NetworkInterface.getByName("ms0");
        run(p, StandardProtocolFamily.INET, InetAddress.getByName("239.2.3.4"), InetAddress.getByName("10.97.0.1"), ms0);
        run(p, StandardProtocolFamily.INET6, InetAddress.getByName("ff15::2:4"), InetAddress.getByName("fd00:97::1"), ms0);
    }

    private static void run(SelectorProvider p, ProtocolFamily family, InetAddress group, InetAddress self,
            NetworkInterface ms0) throws Exception {
        String f = family.name() + ".";
        try (DatagramChannel rc = p.openDatagramChannel(family); DatagramChannel sc = p.openDatagramChannel(family)) {
            rc.setOption(StandardSocketOptions.SO_REUSEADDR, true).bind(new InetSocketAddress(0));
            MulticastSocket r = (MulticastSocket) rc.socket();
            MulticastSocket s = (MulticastSocket) sc.socket();
            s.bind(new InetSocketAddress(self, 0));
            s.setNetworkInterface(ms0);
            InetSocketAddress target = new InetSocketAddress(group, r.getLocalPort());
            InetSocketAddress groupAddress = new InetSocketAddress(group, 0);
            print(f + "joinAnyInterface", () -> {
                r.joinGroup(group);
                return exchange(s, r, target, "one");
            });
            print(f + "joinAgain", () -> {
                r.joinGroup(group);
                return null;
            });
            print(f + "leave", () -> {
                r.leaveGroup(group);
                return exchange(s, r, target, "two");
            });
            print(f + "leaveAgain", () -> {
                r.leaveGroup(group);
                return null;
            });
            print(f + "joinDefault", () -> {
                r.joinGroup(groupAddress, null);
                return exchange(s, r, target, "three") + " interface " + r.getNetworkInterface().getIndex();
            });
            print(f + "leaveDefault", () -> {
                r.leaveGroup(groupAddress, null);
                return exchange(s, r, target, "four");
            });
            print(f + "joinOnInterface", () -> {
                r.joinGroup(groupAddress, ms0);
                return exchange(s, r, target, "five");
            });
            print(f + "sendWithTtl", () -> {
                s.setTimeToLive(7);
                s.send(packet("six", target), (byte) 200);
                return receive(r) + " ttl after " + s.getTimeToLive() + " " + s.getTTL();
            });
            print(f + "interface", () -> s.getInterface().getHostAddress() + " " + s.getNetworkInterface().getName());
            print(f + "setInterface", () -> {
                s.setInterface(self);
                return s.getInterface().getHostAddress() + " " + s.getNetworkInterface().getName() + " "
                        + exchange(s, r, target, "seven");
            });
            print(f + "loopbackDisabled", () -> {
                s.setLoopbackMode(true);
                return s.getLoopbackMode() + " " + exchange(s, r, target, "eight");
            });
            print(f + "loopbackEnabled", () -> {
                s.setLoopbackMode(false);
                return s.getLoopbackMode() + " " + exchange(s, r, target, "nine");
            });
            print(f + "leaveOnInterface", () -> {
                r.leaveGroup(groupAddress, ms0);
                return exchange(s, r, target, "ten");
            });
        }
    }

    private static DatagramPacket packet(String text, InetSocketAddress target) {
        byte[] b = text.getBytes(StandardCharsets.US_ASCII);
        return new DatagramPacket(b, b.length, target);
    }

    /** Sends {@code text} to the group; what the receiver got within a second ("nothing" if nothing). */
    private static String exchange(MulticastSocket s, MulticastSocket r, InetSocketAddress target, String text)
            throws Exception {
        s.send(packet(text, target));
        return receive(r);
    }

    private static String receive(MulticastSocket r) throws Exception {
        DatagramPacket p = new DatagramPacket(new byte[64], 64);
        r.setSoTimeout(1000);
        try {
            r.receive(p);
        } catch (SocketTimeoutException e) {
            return "nothing";
        }
        return "got '" + new String(p.getData(), p.getOffset(), p.getLength(), StandardCharsets.US_ASCII) + "'";
    }

    private static void print(String name, ProbeSupport.Op op) {
        System.out.println(name + "=" + ProbeSupport.result(op));
    }
}
