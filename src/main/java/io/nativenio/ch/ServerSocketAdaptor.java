package io.nativenio.ch;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketAddress;
import java.net.SocketException;
import java.net.SocketOption;
import java.net.StandardSocketOptions;
import java.nio.channels.IllegalBlockingModeException;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.util.Set;

/**
 * {@link ServerSocketChannelImpl#socket()}: the channel as a {@link ServerSocket}, after the JDK's
 * {@code sun.nio.ch.ServerSocketAdaptor} (behaviours.md#serversocket-adaptor). It overrides every public method of
 * ServerSocket; the methods are in the order of java.net.ServerSocket.
 */
final class ServerSocketAdaptor extends ServerSocket {
    private final ServerSocketChannelImpl ssc;

    private volatile int timeout; // SO_TIMEOUT of accept, in milliseconds

    private ServerSocketAdaptor(ServerSocketChannelImpl ssc) {
        super(new StubSocketImpl());
        this.ssc = ssc;
    }

    static ServerSocket create(ServerSocketChannelImpl ssc) {
        return Adaptors.create(() -> new ServerSocketAdaptor(ssc));
    }

    @Override
    public void bind(SocketAddress local) throws IOException {
        bind(local, 50);
    }

    @Override
    public void bind(SocketAddress local, int backlog) throws IOException {
        try {
            ssc.bind(local == null ? new InetSocketAddress(0) : local, backlog);
        } catch (Exception x) {
            Adaptors.translate(x);
        }
    }

    @Override
    public InetAddress getInetAddress() {
        InetSocketAddress local = ssc.localAddress();
        return local == null ? null : Adaptors.revealed(local).getAddress();
    }

    @Override
    public int getLocalPort() {
        InetSocketAddress local = ssc.localAddress();
        return local == null ? -1 : local.getPort();
    }

    /** As ServerSocket's own (which the JDK's adaptor inherits), over this adaptor's methods. */
    @Override
    public SocketAddress getLocalSocketAddress() {
        if (!isBound()) {
            return null;
        }
        return new InetSocketAddress(getInetAddress(), getLocalPort());
    }

    /**
     * Accepts in blocking mode, or with SO_TIMEOUT. Without a timeout a non-blocking channel still accepts
     * a connection that is already waiting (the JDK keeps that long-standing behaviour), and only throws
     * IllegalBlockingModeException when there is none.
     */
    @Override
    public Socket accept() throws IOException {
        SocketChannel sc = null;
        try {
            int timeout = this.timeout;
            if (timeout > 0) {
                sc = ssc.blockingAccept(Adaptors.nanos(timeout));
            } else {
                sc = ssc.accept();
                if (sc == null) {
                    throw new IllegalBlockingModeException();
                }
            }
        } catch (Exception e) {
            Adaptors.translate(e);
        }
        return sc.socket();
    }

    @Override
    public void close() throws IOException {
        ssc.close();
    }

    @Override
    public ServerSocketChannel getChannel() {
        return ssc;
    }

    @Override
    public boolean isBound() {
        return ssc.isBound();
    }

    @Override
    public boolean isClosed() {
        return !ssc.isOpen();
    }

    @Override
    public void setSoTimeout(int timeout) throws SocketException {
        this.timeout = Adaptors.checkSoTimeout(ssc, timeout);
    }

    @Override
    public int getSoTimeout() throws SocketException {
        return Adaptors.checkSoTimeout(ssc, timeout);
    }

    @Override
    public void setReuseAddress(boolean on) throws SocketException {
        Adaptors.setOption(ssc, StandardSocketOptions.SO_REUSEADDR, on);
    }

    @Override
    public boolean getReuseAddress() throws SocketException {
        return Adaptors.getOption(ssc, StandardSocketOptions.SO_REUSEADDR);
    }

    @Override
    public String toString() {
        if (!isBound()) {
            return "ServerSocket[unbound]";
        }
        return "ServerSocket[addr=" + getInetAddress() + ",localport=" + getLocalPort() + "]";
    }

    @Override
    public void setReceiveBufferSize(int size) throws SocketException {
        if (size <= 0) { // 0 is valid for the channel, not for a ServerSocket
            throw new IllegalArgumentException("size cannot be 0 or negative");
        }
        Adaptors.setOption(ssc, StandardSocketOptions.SO_RCVBUF, size);
    }

    @Override
    public int getReceiveBufferSize() throws SocketException {
        return Adaptors.getOption(ssc, StandardSocketOptions.SO_RCVBUF);
    }

    /** Does nothing, as ServerSocket's own (which the JDK's adaptor inherits). */
    @Override
    public void setPerformancePreferences(int connectionTime, int latency, int bandwidth) {
    }

    @Override
    public <T> ServerSocket setOption(SocketOption<T> name, T value) throws IOException {
        ssc.setOption(name, value);
        return this;
    }

    @Override
    public <T> T getOption(SocketOption<T> name) throws IOException {
        return ssc.getOption(name);
    }

    @Override
    public Set<SocketOption<?>> supportedOptions() {
        return ssc.supportedOptions();
    }
}
