package io.nativenio.jvm.app;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NetPermission;
import java.net.SocketAddress;
import java.net.SocketPermission;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.channels.spi.SelectorProvider;
import java.security.Permission;
import java.util.List;

/**
 * The SecurityManager checks of TCP channels on JDK 17 (behaviours.md#securitymanager-checks-on-jdk-17): for the
 * provider named by the first argument ({@code jdk} or {@code nativenio}), installs a SecurityManager that allows
 * everything but the SocketPermission action named by the second argument ({@code listen}, {@code connect},
 * {@code accept}, {@code resolve} (alone) or {@code none}), or NetPermission("accessUnixDomainSocket")
 * ({@code unix}), then binds, connects, accepts, sends and receives over TCP, UDP and UNIX-domain channels,
 * printing each result as a {@code name=result} line.
 */
public final class SecurityProbe {
    private SecurityProbe() {
    }


    @SuppressWarnings("removal")
    public static void main(String[] args) throws Exception {
        SelectorProvider p = ProbeSupport.provider(args[0]);
        String denied = args[1];
        ServerSocketChannel server = p.openServerSocketChannel();
        SocketChannel client = p.openSocketChannel();
        DatagramChannel udp = p.openDatagramChannel(StandardProtocolFamily.INET);
        DatagramChannel peer = p.openDatagramChannel(StandardProtocolFamily.INET).bind(new InetSocketAddress("127.0.0.1", 0));
        ServerSocketChannel unixServer = p.openServerSocketChannel(StandardProtocolFamily.UNIX);
        SocketChannel unixClient = p.openSocketChannel(StandardProtocolFamily.UNIX);
        Path unixPath = Path.of("probe.sock");
        Files.deleteIfExists(unixPath);
        System.setSecurityManager(new SecurityManager() {
            @Override
            public void checkPermission(Permission perm) {
                if (perm instanceof NetPermission && perm.getName().equals("accessUnixDomainSocket") && denied.equals("unix")) {
                    throw new SecurityException("denied " + perm);
                }
                // "resolve" alone is the check of getLocalAddress; it is also part of every other action
                String actions = perm.getActions();
                boolean deny = denied.equals("resolve") ? actions.equals("resolve")
                        : List.of(actions.split(",")).contains(denied);
                if (perm instanceof SocketPermission && deny) {
                    throw new SecurityException("denied " + perm);
                }
            }
        });
        InetSocketAddress any = new InetSocketAddress(InetAddress.getByName("127.0.0.1"), 0);
        print("server.bind", () -> server.bind(any).getLocalAddress());
        print("server.local", server::getLocalAddress);
        print("client.connect", () -> {
            InetSocketAddress local = (InetSocketAddress) server.getLocalAddress();
            return client.connect(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), local.getPort()));
        });
        print("client.open", client::isOpen);
        print("server.accept", () -> {
            server.configureBlocking(false);
            for (int i = 0; i < 100; i++) {
                SocketChannel a = server.accept();
                if (a != null) {
                    a.close();
                    return "accepted";
                }
                Thread.sleep(10);
            }
            return "nothing to accept";
        });
        print("client.local", () -> client.isConnected() ? ((InetSocketAddress) client.getLocalAddress()).getAddress() : null);
        client.close();
        server.close();
        datagrams(udp, peer);
        unix(unixServer, unixClient, unixPath);
    }

    /** DatagramChannel: bind checks listen, send and connect check connect, receive checks accept (drops). */
    private static void datagrams(DatagramChannel udp, DatagramChannel peer) throws Exception {
        print("udp.bind", () -> udp.bind(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), 0)).getLocalAddress());
        print("udp.send", () -> peer.send(ByteBuffer.wrap(new byte[] {1, 2, 3}), udp.getLocalAddress()));
        print("udp.receive", () -> {
            udp.configureBlocking(false);
            for (int i = 0; i < 50; i++) {
                SocketAddress from = udp.receive(ByteBuffer.allocate(16));
                if (from != null) {
                    return "received";
                }
                Thread.sleep(10);
            }
            return "nothing received";
        });
        print("udp.connect", () -> udp.connect(peer.getLocalAddress()).isConnected());
        print("udp.local", udp::getLocalAddress);
        udp.close();
        peer.close();
    }

    /** UNIX-domain channels: bind, connect and accept check NetPermission("accessUnixDomainSocket"). */
    private static void unix(ServerSocketChannel server, SocketChannel client, Path path) throws Exception {
        print("unix.bind", () -> server.bind(UnixDomainSocketAddress.of(path)).getLocalAddress());
        print("unix.connect", () -> client.connect(UnixDomainSocketAddress.of(path)));
        print("unix.accept", () -> {
            try (SocketChannel a = server.accept()) {
                return a.getRemoteAddress();
            }
        });
        print("unix.local", server::getLocalAddress);
        client.close();
        server.close();
        Files.deleteIfExists(path);
    }

    private static void print(String name, ProbeSupport.Op op) {
        String result = ProbeSupport.result(op);
        // the port differs from run to run; the rest must not
        System.out.println(name + "=" + result.replaceAll(":[0-9]+", ":PORT").replaceAll("localport=[0-9]+", "localport=PORT"));
    }
}
