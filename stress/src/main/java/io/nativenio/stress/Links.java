package io.nativenio.stress;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.StandardProtocolFamily;
import java.net.StandardSocketOptions;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ReadableByteChannel;
import java.nio.channels.DatagramChannel;
import java.nio.channels.NetworkChannel;
import java.nio.channels.Pipe;
import java.nio.channels.SelectableChannel;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.channels.WritableByteChannel;
import java.nio.channels.spi.SelectorProvider;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.SplittableRandom;

/**
 * Connected channel pairs of one provider, over the kinds of fds it serves: a pipe, TCP, UDP and
 * UNIX-domain stream sockets. The reader end of a pair is always opened first, so it gets the lowest
 * free fd number. TCP ends close with SO_LINGER 0 (a reset), so a million cycles leave no TIME_WAIT
 * sockets behind to exhaust the ephemeral ports.
 */
final class Links implements AutoCloseable {
    static final InetSocketAddress LOOPBACK = new InetSocketAddress(InetAddress.getLoopbackAddress(), 0);

    enum Kind { PIPE, TCP, UDP, UNIX }

    /** Every kind, in the order of {@link Kind}. */
    static final Kind[] KINDS = Kind.values();

    /** A connected pair: {@code in} reads what {@code out} writes. */
    record Link(SelectableChannel in, WritableByteChannel out) implements AutoCloseable {
        ReadableByteChannel reader() {
            return (ReadableByteChannel) in;
        }

        @Override
        public void close() throws IOException {
            try {
                in.close();
            } finally {
                out.close();
            }
        }
    }

    final SelectorProvider provider;
    private final Path dir;
    private final ServerSocketChannel tcpListener;
    private final ServerSocketChannel unixListener;

    Links(SelectorProvider provider) throws IOException {
        this.provider = provider;
        this.dir = Files.createTempDirectory("stress");
        this.tcpListener = provider.openServerSocketChannel().bind(LOOPBACK, 1024);
        this.unixListener = provider.openServerSocketChannel(StandardProtocolFamily.UNIX)
                .bind(UnixDomainSocketAddress.of(dir.resolve("l")), 1024);
    }

    /** A link of a kind drawn from {@code random}. */
    Link openAny(SplittableRandom random) throws IOException {
        return open(KINDS[random.nextInt(KINDS.length)]);
    }

    Link open(Kind kind) throws IOException {
        return switch (kind) {
            case PIPE -> {
                Pipe p = provider.openPipe();
                yield new Link(p.source(), p.sink());
            }
            case TCP -> stream(provider.openSocketChannel(), tcpListener, true);
            case UNIX -> stream(provider.openSocketChannel(StandardProtocolFamily.UNIX), unixListener, false);
            case UDP -> {
                DatagramChannel a = provider.openDatagramChannel().bind(LOOPBACK);
                DatagramChannel b = provider.openDatagramChannel().bind(LOOPBACK);
                a.connect(b.getLocalAddress());
                b.connect(a.getLocalAddress());
                yield new Link(a, b);
            }
        };
    }

    SocketAddress tcpAddress() throws IOException {
        return tcpListener.getLocalAddress();
    }

    private Link stream(SocketChannel client, ServerSocketChannel listener, boolean tcp) throws IOException {
        try {
            client.connect(listener.getLocalAddress());
            SocketChannel peer = listener.accept();
            if (tcp) {
                client.setOption(StandardSocketOptions.SO_LINGER, 0);
                peer.setOption(StandardSocketOptions.SO_LINGER, 0);
            }
            return new Link(client, peer);
        } catch (IOException | RuntimeException e) {
            client.close();
            throw e;
        }
    }

    /** Writes one byte to {@code link.out}, so that {@code link.in} is readable. */
    static void poke(Link link) throws IOException {
        link.out().write(ByteBuffer.wrap(new byte[] {42}));
    }

    static void lingerZero(NetworkChannel ch) throws IOException {
        ch.setOption(StandardSocketOptions.SO_LINGER, 0);
    }

    @Override
    public void close() throws IOException {
        try {
            tcpListener.close();
            unixListener.close();
        } finally {
            Files.deleteIfExists(dir.resolve("l"));
            Files.deleteIfExists(dir);
        }
    }
}
