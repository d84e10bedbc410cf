package io.nativenio.jvm.app;

import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.channels.spi.SelectorProvider;
import java.nio.charset.StandardCharsets;

/**
 * Link-local IPv6 addresses given without a scope id (behaviours.md#bind-and-socket-defaults), on one provider,
 * inside the integration test's network namespace: fe80::99:1 on interface ll0 only, fe80::99:2 on ll0 and ll1,
 * fe80::99:3 on none. Binds, connects and sends with each, on DatagramChannel, its socket adaptor, SocketChannel
 * and ServerSocketChannel. Argument: {@code jdk} or {@code nativenio}. Prints one {@code name=result} line each
 * (addresses without ports, which differ from run to run).
 */
public final class LinkLocalProbe {
    private LinkLocalProbe() {
    }

    public static void main(String[] args) throws Exception {
        SelectorProvider p = ProbeSupport.provider(args[0]);
        InetAddress one = InetAddress.getByName("fe80::99:1");
        InetAddress two = InetAddress.getByName("fe80::99:2");
        InetAddress none = InetAddress.getByName("fe80::99:3");
        System.out.println("unscoped=" + one.getHostAddress());
        print("datagram.bind", () -> {
            try (DatagramChannel dc = p.openDatagramChannel()) {
                return host(dc.bind(new InetSocketAddress(one, 0)).getLocalAddress());
            }
        });
        print("datagram.send", () -> {
            try (DatagramChannel dc = p.openDatagramChannel()) {
                dc.bind(new InetSocketAddress(one, 0));
                dc.send(ascii("to self"), new InetSocketAddress(one, port(dc.getLocalAddress())));
                ByteBuffer b = ByteBuffer.allocate(32);
                SocketAddress from = dc.receive(b);
                return text(b) + " from " + host(from);
            }
        });
        print("datagram.connect", () -> {
            try (DatagramChannel dc = p.openDatagramChannel()) {
                dc.bind(new InetSocketAddress(one, 0));
                dc.connect(new InetSocketAddress(one, port(dc.getLocalAddress())));
                dc.write(ascii("connected"));
                ByteBuffer b = ByteBuffer.allocate(32);
                dc.read(b);
                return text(b) + " remote " + host(dc.getRemoteAddress()) + " local " + host(dc.getLocalAddress());
            }
        });
        print("datagram.sendUnbound", () -> {
            try (DatagramChannel receiver = p.openDatagramChannel(); DatagramChannel dc = p.openDatagramChannel()) {
                receiver.bind(new InetSocketAddress(one, 0));
                dc.send(ascii("unbound"), new InetSocketAddress(one, port(receiver.getLocalAddress())));
                ByteBuffer b = ByteBuffer.allocate(32);
                SocketAddress from = receiver.receive(b);
                return text(b) + " from " + host(from);
            }
        });
        print("adaptor", () -> {
            try (DatagramChannel dc = p.openDatagramChannel()) {
                DatagramSocket s = dc.socket();
                s.bind(new InetSocketAddress(one, 0));
                byte[] data = "adaptor".getBytes(StandardCharsets.US_ASCII);
                s.send(new DatagramPacket(data, data.length, new InetSocketAddress(one, s.getLocalPort())));
                DatagramPacket in = new DatagramPacket(new byte[32], 32);
                s.receive(in);
                return new String(in.getData(), 0, in.getLength(), StandardCharsets.US_ASCII) + " from "
                        + in.getAddress().getHostAddress() + " local " + s.getLocalAddress().getHostAddress();
            }
        });
        print("stream", () -> {
            try (ServerSocketChannel server = p.openServerSocketChannel(); SocketChannel client = p.openSocketChannel()) {
                server.bind(new InetSocketAddress(one, 0));
                client.bind(new InetSocketAddress(one, 0));
                client.connect(new InetSocketAddress(one, port(server.getLocalAddress())));
                try (SocketChannel accepted = server.accept()) {
                    return "server " + host(server.getLocalAddress()) + " client remote " + host(client.getRemoteAddress())
                            + " accepted remote " + host(accepted.getRemoteAddress());
                }
            }
        });
        print("twoInterfaces.bind", () -> {
            try (DatagramChannel dc = p.openDatagramChannel()) {
                return host(dc.bind(new InetSocketAddress(two, 0)).getLocalAddress());
            }
        });
        print("twoInterfaces.send", () -> {
            try (DatagramChannel dc = p.openDatagramChannel()) {
                return dc.send(ascii("x"), new InetSocketAddress(two, 9));
            }
        });
        print("twoInterfaces.connect", () -> {
            try (SocketChannel sc = p.openSocketChannel()) {
                return sc.connect(new InetSocketAddress(two, 9));
            }
        });
        print("noInterface.bind", () -> {
            try (DatagramChannel dc = p.openDatagramChannel()) {
                return host(dc.bind(new InetSocketAddress(none, 0)).getLocalAddress());
            }
        });
    }

    private static ByteBuffer ascii(String s) {
        return ByteBuffer.wrap(s.getBytes(StandardCharsets.US_ASCII));
    }

    private static String text(ByteBuffer b) {
        b.flip();
        return StandardCharsets.US_ASCII.decode(b).toString();
    }

    private static int port(SocketAddress sa) {
        return ((InetSocketAddress) sa).getPort();
    }

    /** The address with its scope, as getHostAddress() prints it, without the port. */
    private static String host(SocketAddress sa) {
        return ((InetSocketAddress) sa).getAddress().getHostAddress();
    }

    private static void print(String name, ProbeSupport.Op op) {
        System.out.println(name + "=" + ProbeSupport.result(op));
    }
}
