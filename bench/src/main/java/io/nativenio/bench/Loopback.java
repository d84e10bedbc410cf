package io.nativenio.bench;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.channels.spi.SelectorProvider;

/** A TCP connection over loopback, both ends blocking, for the socket benchmarks. */
record Loopback(SocketChannel client, SocketChannel server) {
    static Loopback connect(SelectorProvider p) throws IOException {
        try (ServerSocketChannel listener = p.openServerSocketChannel()) {
            listener.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
            SocketChannel client = p.openSocketChannel();
            client.connect(listener.getLocalAddress());
            return new Loopback(client, listener.accept());
        }
    }
}
