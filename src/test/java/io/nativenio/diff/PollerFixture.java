package io.nativenio.diff;

import io.nativenio.ch.Poller;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.Pipe;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.util.ArrayList;
import java.util.List;

/**
 * What the tests of a backend's poller (below the selector) share: the JDK's pipes, so that readiness does not
 * depend on nativenio's channels, TCP connections of the JDK's channels, their fds, and a poll's events as text.
 * Closing it closes the pipes and connections it made.
 */
public final class PollerFixture implements AutoCloseable {
    private final List<Pipe> pipes = new ArrayList<>();
    private final List<SocketChannel> sockets = new ArrayList<>();

    /** Both ends of a TCP connection over the loopback address, blocking. */
    public record Connection(SocketChannel client, SocketChannel peer) {
    }

    /** A JDK pipe, closed with this fixture; with one byte in it if {@code readable}. */
    public Pipe pipe(boolean readable) throws IOException {
        Pipe p = Providers.jdk().openPipe();
        pipes.add(p);
        if (readable) {
            p.sink().write(ByteBuffer.wrap(new byte[] {1}));
        }
        return p;
    }

    /** A JDK TCP connection, closed with this fixture. */
    public Connection connection() throws IOException {
        try (ServerSocketChannel server = Providers.jdk().openServerSocketChannel()) {
            server.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
            SocketChannel client = Providers.jdk().openSocketChannel();
            sockets.add(client);
            client.connect(server.getLocalAddress());
            SocketChannel peer = server.accept();
            sockets.add(peer);
            return new Connection(client, peer);
        }
    }

    /** The fd of a JDK channel (sun.nio.ch.SelChImpl.getFDVal, exported to the test JVM). */
    public static int fd(Object channel) {
        try {
            return (int) Class.forName("sun.nio.ch.SelChImpl").getMethod("getFDVal").invoke(channel);
        } catch (ReflectiveOperationException e) {
            throw new AssertionError(e);
        }
    }

    /** The first {@code n} events of the poller's last poll, "fd:events" or "wakeup", separated by spaces. */
    public static String events(Poller poller, int n) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < n; i++) {
            sb.append(poller.isWakeup(i) ? "wakeup" : poller.fd(i) + ":" + poller.events(i)).append(' ');
        }
        return sb.toString().trim();
    }

    @Override
    public void close() throws IOException {
        for (Pipe p : pipes) {
            p.source().close();
            p.sink().close();
        }
        for (SocketChannel s : sockets) {
            s.close();
        }
    }
}
