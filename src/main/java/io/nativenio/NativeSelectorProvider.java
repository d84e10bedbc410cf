package io.nativenio;

import io.nativenio.ch.Channels;
import io.nativenio.ch.InheritedChannel;
import io.nativenio.ch.NativeLibrary;
import io.nativenio.ch.NativeSelector;
import io.nativenio.ch.PipeImpl;
import java.io.IOException;
import java.lang.System.Logger.Level;
import java.net.ProtocolFamily;
import java.nio.channels.Channel;
import java.nio.channels.DatagramChannel;
import java.nio.channels.Pipe;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.channels.spi.AbstractSelector;
import java.nio.channels.spi.SelectorProvider;
import java.util.Objects;

/**
 * The nativenio {@link SelectorProvider}: selectors and channels over JNI and epoll.
 *
 * <p>Select it with {@code -Djava.nio.channels.spi.SelectorProvider=io.nativenio.NativeSelectorProvider},
 * or put the jar on the class path or module path (ServiceLoader). Construction loads the native library
 * and makes no NIO call (CONFORMANCE A2). If the library cannot be loaded, construction throws a
 * {@link SecurityException} that explains why: JDK 17's ServiceLoader lookup then skips this provider and
 * falls back to the JDK's own; the system-property route and JDK 25 report it as a
 * {@link java.util.ServiceConfigurationError}.
 */
public final class NativeSelectorProvider extends SelectorProvider {
    /** Creates the provider; called by {@link SelectorProvider#provider()}. */
    public NativeSelectorProvider() {
        try {
            NativeLibrary.load();
        } catch (NativeLibrary.UnavailableException e) {
            System.getLogger("io.nativenio").log(Level.WARNING, e.getMessage());
            throw new SecurityException(e.getMessage(), e);
        }
    }

    @Override
    public AbstractSelector openSelector() throws IOException {
        return new NativeSelector(this);
    }

    @Override
    public Pipe openPipe() throws IOException {
        return new PipeImpl(this);
    }

    /** A TCP or UDP socket on standard input as a channel, created on the first call (CONFORMANCE A8). */
    @Override
    public Channel inheritedChannel() throws IOException {
        return InheritedChannel.get(this);
    }

    @Override
    public SocketChannel openSocketChannel() throws IOException {
        return Channels.openSocketChannel(this, null);
    }

    @Override
    public SocketChannel openSocketChannel(ProtocolFamily family) throws IOException {
        return Channels.openSocketChannel(this, Objects.requireNonNull(family, "'family' is null"));
    }

    @Override
    public ServerSocketChannel openServerSocketChannel() throws IOException {
        return Channels.openServerSocketChannel(this, null);
    }

    @Override
    public ServerSocketChannel openServerSocketChannel(ProtocolFamily family) throws IOException {
        return Channels.openServerSocketChannel(this, Objects.requireNonNull(family, "'family' is null"));
    }

    @Override
    public DatagramChannel openDatagramChannel() throws IOException {
        return Channels.openDatagramChannel(this, null);
    }

    @Override
    public DatagramChannel openDatagramChannel(ProtocolFamily family) throws IOException {
        return Channels.openDatagramChannel(this, Objects.requireNonNull(family, "'family' is null"));
    }

    /** The version of this jar, or "dev" when run from classes. */
    public static String version() {
        String v = NativeSelectorProvider.class.getPackage().getImplementationVersion();
        return v == null ? "dev" : v;
    }
}
