package io.nativenio.ch;

import java.io.IOException;
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
 * nativenio's provider with selectors over a {@link SplitEventPoller}: the differential selector tests run on
 * it as a third provider, so that the selector's handling of several events per fd per poll (a kqueue
 * backend's) is tested wherever the suite runs.
 */
public final class SplitEventProvider extends SelectorProvider {
    @Override
    public AbstractSelector openSelector() throws IOException {
        return new NativeSelector(this, new SplitEventPoller(Backends.get().openPoller()));
    }

    @Override
    public Pipe openPipe() throws IOException {
        return new PipeImpl(this);
    }

    @Override
    public Channel inheritedChannel() {
        throw new UnsupportedOperationException("the split-event test provider has no inherited channel");
    }

    @Override
    public SocketChannel openSocketChannel() throws IOException {
        return Channels.openSocketChannel(this, null);
    }

    @Override
    public SocketChannel openSocketChannel(ProtocolFamily family) throws IOException {
        return Channels.openSocketChannel(this, Objects.requireNonNull(family));
    }

    @Override
    public ServerSocketChannel openServerSocketChannel() throws IOException {
        return Channels.openServerSocketChannel(this, null);
    }

    @Override
    public ServerSocketChannel openServerSocketChannel(ProtocolFamily family) throws IOException {
        return Channels.openServerSocketChannel(this, Objects.requireNonNull(family));
    }

    @Override
    public DatagramChannel openDatagramChannel() throws IOException {
        return Channels.openDatagramChannel(this, null);
    }

    @Override
    public DatagramChannel openDatagramChannel(ProtocolFamily family) throws IOException {
        return Channels.openDatagramChannel(this, Objects.requireNonNull(family));
    }
}
