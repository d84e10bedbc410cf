package io.nativenio.jvm.app;

import java.io.EOFException;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.channels.spi.SelectorProvider;
import java.util.Arrays;
import java.util.Iterator;

/**
 * A small NIO echo program with two classic bugs: it takes a key that select reports acceptable to mean that
 * accept() returns a connection, and a key reported readable to mean that read() returns data, so that a read
 * of nothing must be the end of the stream. Both hold on the JDK's provider over loopback; SelectionKey's
 * specification promises neither (readiness is "only a hint, not a guarantee"). One selector thread runs a
 * server and a client over loopback: the client sends 200 messages of 64 bytes, one at a time, and checks each
 * echo. Prints {@code outcome=passed} and exits 0, or {@code outcome=failed: <what>} and exits 1.
 * Argument: {@code jdk} or {@code nativenio}.
 */
public final class ReadyMeansDataEcho {
    private static final int MESSAGES = 200;
    private static final int SIZE = 64;

    private ReadyMeansDataEcho() {
    }

    public static void main(String[] args) throws Exception {
        SelectorProvider provider = ProbeSupport.provider(args[0]);
        try {
            run(provider);
            System.out.println("outcome=passed");
        } catch (IOException | RuntimeException e) {
            System.out.println("outcome=failed: " + e);
            System.exit(1);
        }
    }

    private static void run(SelectorProvider provider) throws IOException {
        try (Selector sel = provider.openSelector();
                ServerSocketChannel server = provider.openServerSocketChannel();
                SocketChannel client = provider.openSocketChannel()) {
            server.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
            server.configureBlocking(false);
            server.register(sel, SelectionKey.OP_ACCEPT);
            client.connect(server.getLocalAddress());
            client.configureBlocking(false);
            ByteBuffer echo = ByteBuffer.allocate(SIZE);
            SelectionKey clientKey = client.register(sel, SelectionKey.OP_READ, echo);
            int sent = 0;
            send(client, message(sent));
            while (sent < MESSAGES) {
                sel.select();
                for (Iterator<SelectionKey> it = sel.selectedKeys().iterator(); it.hasNext();) {
                    SelectionKey k = it.next();
                    it.remove();
                    if (k.isAcceptable()) {
                        SocketChannel peer = server.accept(); // the bug: null when nothing is pending
                        peer.configureBlocking(false);
                        peer.register(sel, SelectionKey.OP_READ, ByteBuffer.allocate(SIZE));
                    } else if (k == clientKey) {
                        if (client.read(echo) <= 0) { // the bug: 0 is "no data now", not the end
                            throw new EOFException("the server closed the connection after " + sent + " messages");
                        }
                        if (!echo.hasRemaining()) {
                            if (!Arrays.equals(echo.array(), message(sent))) {
                                throw new IllegalStateException("echo " + sent + " differs");
                            }
                            echo.clear();
                            if (++sent < MESSAGES) {
                                send(client, message(sent));
                            }
                        }
                    } else {
                        serve(k);
                    }
                }
            }
        }
    }

    /** The server's end: echoes each whole message; closes the connection when read() finds nothing. */
    private static void serve(SelectionKey k) throws IOException {
        SocketChannel peer = (SocketChannel) k.channel();
        ByteBuffer buf = (ByteBuffer) k.attachment();
        if (peer.read(buf) <= 0) { // the bug again
            peer.close();
            return;
        }
        if (!buf.hasRemaining()) {
            buf.flip();
            send(peer, buf);
            buf.clear();
        }
    }

    private static byte[] message(int n) {
        byte[] m = new byte[SIZE];
        Arrays.fill(m, (byte) n);
        return m;
    }

    private static void send(SocketChannel ch, byte[] m) throws IOException {
        send(ch, ByteBuffer.wrap(m));
    }

    private static void send(SocketChannel ch, ByteBuffer buf) throws IOException {
        while (buf.hasRemaining()) {
            ch.write(buf);
        }
    }
}
