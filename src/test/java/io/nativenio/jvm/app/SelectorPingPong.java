package io.nativenio.jvm.app;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.channels.spi.SelectorProvider;
import java.util.Iterator;

/**
 * A 64-byte TCP ping-pong over loopback through one selector on one thread, for counting the syscalls of a
 * selection (docs/iouring.md#measurements): both ends of the connection are registered with the selector and
 * every message costs one select on each side. Arguments: the number of round trips, and {@code steady} (each
 * end writes as soon as it has read; interest stays OP_READ) or {@code toggle} (an end that has read sets OP_WRITE
 * and writes when the key says writable, then sets OP_READ again, as servers with a write queue do). Prints
 * {@code selects=N} and {@code provider=} the provider's class.
 */
public final class SelectorPingPong {
    private static final int SIZE = 64;

    private SelectorPingPong() {
    }

    public static void main(String[] args) throws IOException {
        int rounds = Integer.parseInt(args[0]);
        boolean toggle = args[1].equals("toggle");
        SelectorProvider provider = SelectorProvider.provider();
        try (Selector selector = provider.openSelector();
                ServerSocketChannel server = provider.openServerSocketChannel();
                SocketChannel client = provider.openSocketChannel()) {
            server.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
            client.connect(server.getLocalAddress());
            try (SocketChannel peer = server.accept()) {
                ByteBuffer clientBuf = ByteBuffer.allocateDirect(SIZE);
                ByteBuffer peerBuf = ByteBuffer.allocateDirect(SIZE);
                for (SocketChannel ch : new SocketChannel[] {client, peer}) {
                    ch.configureBlocking(false);
                    ch.register(selector, SelectionKey.OP_READ, ch == client ? clientBuf : peerBuf);
                }
                writeAll(client, clientBuf);
                long selects = 0;
                int done = 0;
                while (done < rounds) {
                    selector.select();
                    selects++;
                    Iterator<SelectionKey> it = selector.selectedKeys().iterator();
                    while (it.hasNext()) {
                        SelectionKey k = it.next();
                        it.remove();
                        SocketChannel ch = (SocketChannel) k.channel();
                        ByteBuffer buf = (ByteBuffer) k.attachment();
                        if (k.isWritable()) {
                            writeAll(ch, buf);
                            k.interestOps(SelectionKey.OP_READ);
                        } else if (k.isReadable() && ch.read(buf) > 0 && !buf.hasRemaining()) {
                            if (ch == client) {
                                done++;
                            }
                            if (toggle) {
                                k.interestOps(SelectionKey.OP_WRITE);
                            } else {
                                writeAll(ch, buf);
                            }
                        }
                    }
                }
                System.out.println("provider=" + provider.getClass().getName());
                System.out.println("selects=" + selects);
            }
        }
    }

    /** Writes the whole buffer back (a 64-byte write to an idle loopback socket is whole), ready for the next read. */
    private static void writeAll(SocketChannel ch, ByteBuffer buf) throws IOException {
        buf.clear();
        while (buf.hasRemaining()) {
            ch.write(buf);
        }
        buf.clear();
    }
}
