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

    /** A TCP or UNIX-domain channel of {@code family}, or TCP of the default family (INET6 where available) when null. */
    public static SocketChannel openSocketChannel(SelectorProvider provider, ProtocolFamily family) throws IOException {
        return new SocketChannelImpl(provider, streamFamily(family));
    }

    public static ServerSocketChannel openServerSocketChannel(SelectorProvider provider, ProtocolFamily family)
            throws IOException {
        return new ServerSocketChannelImpl(provider, streamFamily(family));
    }

    /** A UDP channel of {@code family}, or of the default family when it is null
     * (behaviours.md#default-family-and-dual-stack); UNIX is UOE, as the JDK's (behaviours.md#protocol-families). */
    public static DatagramChannel openDatagramChannel(SelectorProvider provider, ProtocolFamily family) throws IOException {
        return new DatagramChannelImpl(provider, family == null ? Net.defaultFamily() : Net.checkFamily(family));
    }

    /** Stream channels take INET, INET6 and UNIX (behaviours.md#unix-domain-stream-channels). */
    private static ProtocolFamily streamFamily(ProtocolFamily family) {
        if (family == null) {
            return Net.defaultFamily();
        }
        return family == StandardProtocolFamily.UNIX ? family : Net.checkFamily(family);
    }
}
