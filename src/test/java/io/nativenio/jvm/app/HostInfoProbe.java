package io.nativenio.jvm.app;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.MulticastSocket;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.DatagramChannel;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.channels.spi.SelectorProvider;
import java.nio.file.Path;

/**
 * The exceptions of a refused connect (behaviours.md#connect-state-machine), on the JDK's provider and on
 * nativenio's in this one JVM, which the integration test starts with and without jdk.includeInExceptions=hostInfo:
 * SocketChannel.open(address), a non-blocking connect and finishConnect, the socket adaptor's connect with and
 * without a timeout, and a UNIX-domain connect to a path where nothing listens; and the messages that name a host
 * under hostInfoExclSocket too (an unresolved address, MulticastSocket.setInterface). Prints one
 * {@code provider.case=class: message; cause} line each.
 */
@SuppressWarnings("deprecation") // MulticastSocket.setInterface
public final class HostInfoProbe {
    private HostInfoProbe() {
    }

    public static void main(String[] args) throws Exception {
        InetSocketAddress refusing = refusingEndpoint();
        UnixDomainSocketAddress nobody = UnixDomainSocketAddress.of(Path.of("nobody.sock").toAbsolutePath());
        for (String name : new String[] {"jdk", "nativenio"}) {
            SelectorProvider p = ProbeSupport.provider(name);
            print(name + ".open", () -> p.openSocketChannel().connect(refusing));
            print(name + ".finishConnect", () -> finishConnect(p, refusing));
            print(name + ".adaptor", () -> {
                p.openSocketChannel().socket().connect(refusing);
                return null;
            });
            print(name + ".adaptorTimeout", () -> {
                p.openSocketChannel().socket().connect(refusing, 10_000);
                return null;
            });
            print(name + ".unix", () -> p.openSocketChannel(StandardProtocolFamily.UNIX).connect(nobody));
            // messages that name a host only with hostInfo or hostInfoExclSocket (JDK 24+; JDK 25's java.security
            // has hostInfoExclSocket)
            print(name + ".unresolved", () -> {
                p.openSocketChannel().socket().connect(InetSocketAddress.createUnresolved("nosuchhost.invalid", 80));
                return null;
            });
            print(name + ".setInterface", () -> {
                try (DatagramChannel dc = p.openDatagramChannel()) {
                    ((MulticastSocket) dc.socket()).setInterface(InetAddress.getByName("192.0.2.1"));
                    return null;
                }
            });
        }
    }

    /** A loopback port where nothing listens: one a server just gave back. */
    private static InetSocketAddress refusingEndpoint() throws IOException {
        try (ServerSocketChannel s = ServerSocketChannel.open()) {
            s.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
            return new InetSocketAddress(InetAddress.getLoopbackAddress(), ((InetSocketAddress) s.getLocalAddress()).getPort());
        }
    }

    private static boolean finishConnect(SelectorProvider p, InetSocketAddress target) throws IOException {
        try (SocketChannel sc = p.openSocketChannel(); Selector selector = p.openSelector()) {
            sc.configureBlocking(false);
            if (sc.connect(target)) {
                return true;
            }
            sc.register(selector, SelectionKey.OP_CONNECT);
            selector.select();
            return sc.finishConnect();
        }
    }

    private static void print(String name, ProbeSupport.Op op) {
        String result;
        try {
            result = "returned " + op.run();
        } catch (Exception e) {
            result = e.getClass().getName() + ": " + e.getMessage() + "; cause " + e.getCause();
        }
        System.out.println(name + "=" + result);
    }
}
