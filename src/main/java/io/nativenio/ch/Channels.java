package io.nativenio.ch;

import java.io.IOException;
import java.net.ProtocolFamily;
import java.net.StandardProtocolFamily;
import java.nio.channels.DatagramChannel;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.channels.spi.SelectorProvider;

/** Opens the socket channels for {@code NativeSelectorProvider}, which lives in the exported package. */
public final class Channels {
    private Channels() {
    }

    /** A TCP channel of {@code family}, or of the default family (INET6 where available) when it is null. */
    public static SocketChannel openSocketChannel(SelectorProvider provider, ProtocolFamily family) throws IOException {
        return new SocketChannelImpl(provider, family == null ? Net.defaultFamily() : Net.checkFamily(family, "SocketChannel"));
    }

    public static ServerSocketChannel openServerSocketChannel(SelectorProvider provider, ProtocolFamily family)
            throws IOException {
        return new ServerSocketChannelImpl(provider,
                family == null ? Net.defaultFamily() : Net.checkFamily(family, "ServerSocketChannel"));
    }

    /** A UDP channel of {@code family}, or of the default family when it is null (E43). */
    public static DatagramChannel openDatagramChannel(SelectorProvider provider, ProtocolFamily family) throws IOException {
        if (family == StandardProtocolFamily.UNIX) {
            throw new UnsupportedOperationException("Protocol family not supported"); // as the JDK's (A5)
        }
        return new DatagramChannelImpl(provider,
                family == null ? Net.defaultFamily() : Net.checkFamily(family, "DatagramChannel"));
    }
}
