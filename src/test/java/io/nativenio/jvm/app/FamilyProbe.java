package io.nativenio.jvm.app;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ProtocolFamily;
import java.net.StandardProtocolFamily;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.channels.spi.SelectorProvider;

/**
 * What the protocol family rules give on one provider (behaviours.md#default-family-and-dual-stack,
 * behaviours.md#protocol-families): for the JDK's provider (argument {@code jdk}, reached with --add-exports
 * java.base/sun.nio.ch) or nativenio's ({@code nativenio}), prints one {@code name=result} line per operation, where
 * the result is the address or the exception's class and message. The integration test compares the two outputs, with
 * and without {@code java.net.preferIPv4Stack}.
 */
public final class FamilyProbe {
    private FamilyProbe() {
    }


    public static void main(String[] args) throws Exception {
        SelectorProvider p = ProbeSupport.provider(args[0]);
        for (ProtocolFamily f : new ProtocolFamily[] {null, StandardProtocolFamily.INET, StandardProtocolFamily.INET6}) {
            String name = f == null ? "default" : f.name();
            print(name + ".server.bindNull", () -> {
                try (ServerSocketChannel s = f == null ? p.openServerSocketChannel() : p.openServerSocketChannel(f)) {
                    return ((InetSocketAddress) s.bind(null).getLocalAddress()).getAddress();
                }
            });
            print(name + ".client.bindNull", () -> {
                try (SocketChannel s = f == null ? p.openSocketChannel() : p.openSocketChannel(f)) {
                    return ((InetSocketAddress) s.bind(null).getLocalAddress()).getAddress();
                }
            });
            for (String target : new String[] {"127.0.0.1", "::1", "0.0.0.0", "::"}) {
                print(name + ".connect." + target, () -> connect(p, f, InetAddress.getByName(target)));
            }
        }
    }

    /** Connects a channel of family {@code f} to a server bound to the wildcard; returns both local addresses. */
    private static Object connect(SelectorProvider p, ProtocolFamily f, InetAddress target) throws Exception {
        try (ServerSocketChannel server = p.openServerSocketChannel().bind(null);
                SocketChannel c = f == null ? p.openSocketChannel() : p.openSocketChannel(f)) {
            int port = ((InetSocketAddress) server.getLocalAddress()).getPort();
            c.connect(new InetSocketAddress(target, port));
            try (SocketChannel a = server.accept()) {
                return "remote=" + ((InetSocketAddress) c.getRemoteAddress()).getAddress() + " local="
                        + ((InetSocketAddress) c.getLocalAddress()).getAddress() + " accepted.remote="
                        + ((InetSocketAddress) a.getRemoteAddress()).getAddress();
            }
        }
    }

    private static void print(String name, ProbeSupport.Op op) {
        String result = ProbeSupport.result(op);
        System.out.println(name + "=" + result);
    }
}
