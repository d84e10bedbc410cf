package io.nativenio.bench.proc;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.util.Iterator;

/**
 * A plain java.nio echo server as an application would write it: one thread, one selector, the
 * selected-key iterator, a direct buffer per connection; a connection whose echo does not fit in the
 * socket stops reading until it drains. Runs until killed.
 */
public final class EchoServer {
    private static final int BUFFER = 64 * 1024;

    private EchoServer() {
    }

    public static void main(String[] args) throws IOException {
        Selector selector = Selector.open();
        ServerSocketChannel listener = ServerSocketChannel.open();
        listener.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 1024);
        listener.configureBlocking(false);
        listener.register(selector, SelectionKey.OP_ACCEPT);
        Announce.listening(((InetSocketAddress) listener.getLocalAddress()).getPort());
        while (true) {
            selector.select();
            Iterator<SelectionKey> it = selector.selectedKeys().iterator();
            while (it.hasNext()) {
                SelectionKey key = it.next();
                it.remove();
                try {
                    if (key.isAcceptable()) {
                        accept(listener, selector);
                    } else if (key.isReadable()) {
                        read(key);
                    } else if (key.isWritable()) {
                        write(key);
                    }
                } catch (IOException e) {
                    key.channel().close();
                }
            }
        }
    }

    private static void accept(ServerSocketChannel listener, Selector selector) throws IOException {
        SocketChannel ch = listener.accept();
        if (ch != null) {
            ch.configureBlocking(false);
            ch.setOption(StandardSocketOptions.TCP_NODELAY, true);
            ch.register(selector, SelectionKey.OP_READ, ByteBuffer.allocateDirect(BUFFER));
        }
    }

    private static void read(SelectionKey key) throws IOException {
        SocketChannel ch = (SocketChannel) key.channel();
        ByteBuffer buf = (ByteBuffer) key.attachment();
        if (ch.read(buf) < 0) {
            ch.close();
            return;
        }
        flush(key, ch, buf);
    }

    private static void write(SelectionKey key) throws IOException {
        flush(key, (SocketChannel) key.channel(), (ByteBuffer) key.attachment());
    }

    /** Writes what {@code buf} holds (it is in fill mode); reads again only once all of it went out. */
    private static void flush(SelectionKey key, SocketChannel ch, ByteBuffer buf) throws IOException {
        buf.flip();
        ch.write(buf);
        if (buf.hasRemaining()) {
            buf.compact();
            key.interestOps(SelectionKey.OP_WRITE);
        } else {
            buf.clear();
            if (key.interestOps() != SelectionKey.OP_READ) {
                key.interestOps(SelectionKey.OP_READ);
            }
        }
    }
}
