package io.nativenio.jvm.app;

import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.Channel;
import java.nio.channels.DatagramChannel;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.channels.spi.SelectorProvider;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Started with a socket on standard input (by a launcher the integration test runs), prints what
 * {@code System.inheritedChannel()} gives as {@code key=value} lines, uses it (echo for a connected socket,
 * a connection to itself for a listening one, a datagram to itself for a UDP one), closes it and writes to
 * the file named by the first argument where fd 0 points afterwards (stdout may be /dev/null by then).
 */
public final class InheritedProbe {
    private InheritedProbe() {
    }

    public static void main(String[] args) throws Exception {
        Channel c = System.inheritedChannel();
        System.out.println("provider.ours=" + (SelectorProvider.provider().getClass().getName().startsWith("io.nativenio")));
        System.out.println("channel.class=" + (c == null ? null : c.getClass().getName()));
        System.out.println("same=" + (System.inheritedChannel() == c));
        if (c instanceof SocketChannel) {
            SocketChannel sc = (SocketChannel) c;
            System.out.println("kind=SocketChannel blocking=" + sc.isBlocking() + " connected=" + sc.isConnected()
                    + " provider=" + (sc.provider() == SelectorProvider.provider()));
            System.out.println("remote=" + host(sc.getRemoteAddress()) + " local=" + host(sc.getLocalAddress()));
            ByteBuffer in = ByteBuffer.allocate(4);
            while (in.hasRemaining() && sc.read(in) >= 0) {
                // "ping" from the test
            }
            sc.write(ByteBuffer.wrap(("pong:" + new String(in.array(), StandardCharsets.US_ASCII)).getBytes(StandardCharsets.US_ASCII)));
        } else if (c instanceof ServerSocketChannel) {
            ServerSocketChannel ssc = (ServerSocketChannel) c;
            System.out.println("kind=ServerSocketChannel blocking=" + ssc.isBlocking() + " local=" + host(ssc.getLocalAddress()));
            try (SocketChannel client = SocketChannel.open(ssc.getLocalAddress()); SocketChannel peer = ssc.accept()) {
                System.out.println("accepted=" + (peer.getRemoteAddress().equals(client.getLocalAddress())) + " provider="
                        + (peer.provider() == SelectorProvider.provider()));
            }
        } else if (c instanceof DatagramChannel) {
            DatagramChannel dc = (DatagramChannel) c;
            System.out.println("kind=DatagramChannel blocking=" + dc.isBlocking() + " local=" + host(dc.getLocalAddress()));
            try (DatagramChannel sender = DatagramChannel.open()) {
                sender.send(ByteBuffer.wrap("dgram".getBytes(StandardCharsets.US_ASCII)), dc.getLocalAddress());
                ByteBuffer b = ByteBuffer.allocate(16);
                int from = ((InetSocketAddress) dc.receive(b)).getPort();
                System.out.println("received.from.sender=" + (from == ((InetSocketAddress) sender.getLocalAddress()).getPort())
                        + " bytes=" + b.flip().remaining());
            }
        }
        System.out.flush();
        if (c != null) {
            c.close();
        }
        Files.writeString(Path.of(args[0]), Files.readSymbolicLink(Path.of("/proc/self/fd/0")).toString() + "\n");
    }

    /** The host of an internet address (ports differ from run to run), the path of a UNIX-domain one. */
    private static String host(Object address) {
        if (address instanceof InetSocketAddress) {
            return ((InetSocketAddress) address).getAddress().getHostAddress();
        }
        return address == null ? null : "unix:" + address;
    }
}
