package io.nativenio.ch;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketAddress;
import java.net.SocketException;
import java.net.SocketOption;
import java.net.StandardSocketOptions;
import java.net.UnknownHostException;
import java.nio.channels.SocketChannel;
import java.nio.channels.UnresolvedAddressException;
import java.util.Set;

/**
 * {@link SocketChannelImpl#socket()}: the channel as a {@link Socket}, after the JDK's
 * {@code sun.nio.ch.SocketAdaptor} (behaviours.md#socket-adaptor). It overrides every public method of Socket, so the
 * stub SocketImpl under it is never used; the methods are in the order of java.net.Socket.
 */
final class SocketAdaptor extends Socket {
    private final SocketChannelImpl sc;

    private volatile int timeout; // SO_TIMEOUT of reads, in milliseconds

    private SocketAdaptor(SocketChannelImpl sc) throws SocketException {
        super(new StubSocketImpl());
        this.sc = sc;
    }

    static Socket create(SocketChannelImpl sc) {
        return Adaptors.create(() -> new SocketAdaptor(sc));
    }

    @Override
    public void connect(SocketAddress remote) throws IOException {
        connect(remote, 0);
    }

    @Override
    public void connect(SocketAddress remote, int timeout) throws IOException {
        if (remote == null) {
            throw new IllegalArgumentException("connect: The address can't be null");
        }
        // From JDK 24 the adaptor checks an unresolved address itself and closes the socket; before, the
        // channel's UnresolvedAddressException becomes an UnknownHostException without a message.
        if (Adaptors.JDK_8343791 && remote instanceof InetSocketAddress && ((InetSocketAddress) remote).isUnresolved()) {
            if (!sc.isOpen()) {
                throw new SocketException("Socket is closed");
            }
            if (sc.isConnected()) {
                throw new SocketException("Already connected");
            }
            close();
            throw new UnknownHostException(Net.HOST_INFO_IN_OTHER_EXCEPTIONS ? trim(remote.toString()) : "");
        }
        if (timeout < 0) {
            throw new IllegalArgumentException("connect: timeout can't be negative");
        }
        try {
            sc.blockingConnect(remote, Adaptors.nanos(timeout));
        } catch (UnresolvedAddressException e) {
            throw new UnknownHostException();
        } catch (Exception e) {
            Adaptors.translate(e);
        }
    }

    /** As the JDK's Exceptions.formatMsg: no leading, trailing or repeated spaces. */
    private static String trim(String s) {
        return s.replaceAll(" {2,}", " ").replaceAll("^ | $", "");
    }

    @Override
    public void bind(SocketAddress local) throws IOException {
        try {
            sc.bind(local);
        } catch (Exception x) {
            Adaptors.translate(x);
        }
    }

    @Override
    public InetAddress getInetAddress() {
        InetSocketAddress remote = sc.remoteAddress();
        return remote == null ? null : remote.getAddress();
    }

    @Override
    public InetAddress getLocalAddress() {
        if (sc.isOpen()) {
            InetSocketAddress local = sc.localAddress();
            if (local != null) {
                return Adaptors.revealed(local).getAddress();
            }
        }
        return new InetSocketAddress(0).getAddress();
    }

    @Override
    public int getPort() {
        InetSocketAddress remote = sc.remoteAddress();
        return remote == null ? 0 : remote.getPort();
    }

    @Override
    public int getLocalPort() {
        InetSocketAddress local = sc.localAddress();
        return local == null ? -1 : local.getPort();
    }

    @Override
    public SocketAddress getRemoteSocketAddress() {
        return sc.remoteAddress();
    }

    @Override
    public SocketAddress getLocalSocketAddress() {
        return Adaptors.revealed(sc.localAddress());
    }

    @Override
    public SocketChannel getChannel() {
        return sc;
    }

    @Override
    public InputStream getInputStream() throws IOException {
        checkStream(sc.isInputOpen(), "Socket input is shutdown");
        return new In();
    }

    @Override
    public OutputStream getOutputStream() throws IOException {
        checkStream(sc.isOutputOpen(), "Socket output is shutdown");
        return new Out();
    }

    private void checkStream(boolean directionOpen, String shutdownMessage) throws SocketException {
        if (!sc.isOpen()) {
            throw new SocketException("Socket is closed");
        }
        if (!sc.isConnected()) {
            throw new SocketException("Socket is not connected");
        }
        if (!directionOpen) {
            throw new SocketException(shutdownMessage);
        }
    }

    @Override
    public void setTcpNoDelay(boolean on) throws SocketException {
        Adaptors.setOption(sc, StandardSocketOptions.TCP_NODELAY, on);
    }

    @Override
    public boolean getTcpNoDelay() throws SocketException {
        return Adaptors.getOption(sc, StandardSocketOptions.TCP_NODELAY);
    }

    @Override
    public void setSoLinger(boolean on, int linger) throws SocketException {
        Adaptors.setOption(sc, StandardSocketOptions.SO_LINGER, on ? linger : -1);
    }

    @Override
    public int getSoLinger() throws SocketException {
        return Adaptors.getOption(sc, StandardSocketOptions.SO_LINGER);
    }

    @Override
    public void sendUrgentData(int data) throws IOException {
        int n = sc.sendOutOfBandData((byte) data);
        if (n == 0) {
            throw new IOException("Socket buffer full");
        }
    }

    @Override
    public void setOOBInline(boolean on) throws SocketException {
        Adaptors.setOption(sc, SocketOptions.SO_OOBINLINE, on);
    }

    @Override
    public boolean getOOBInline() throws SocketException {
        return Adaptors.getOption(sc, SocketOptions.SO_OOBINLINE);
    }

    @Override
    public void setSoTimeout(int timeout) throws SocketException {
        this.timeout = Adaptors.checkSoTimeout(sc, timeout);
    }

    @Override
    public int getSoTimeout() throws SocketException {
        return Adaptors.checkSoTimeout(sc, timeout);
    }

    @Override
    public void setSendBufferSize(int size) throws SocketException {
        Adaptors.setBufferSize(sc, StandardSocketOptions.SO_SNDBUF, size);
    }

    @Override
    public int getSendBufferSize() throws SocketException {
        return Adaptors.getOption(sc, StandardSocketOptions.SO_SNDBUF);
    }

    @Override
    public void setReceiveBufferSize(int size) throws SocketException {
        Adaptors.setBufferSize(sc, StandardSocketOptions.SO_RCVBUF, size);
    }

    @Override
    public int getReceiveBufferSize() throws SocketException {
        return Adaptors.getOption(sc, StandardSocketOptions.SO_RCVBUF);
    }

    @Override
    public void setKeepAlive(boolean on) throws SocketException {
        Adaptors.setOption(sc, StandardSocketOptions.SO_KEEPALIVE, on);
    }

    @Override
    public boolean getKeepAlive() throws SocketException {
        return Adaptors.getOption(sc, StandardSocketOptions.SO_KEEPALIVE);
    }

    @Override
    public void setTrafficClass(int tc) throws SocketException {
        Adaptors.setOption(sc, StandardSocketOptions.IP_TOS, tc);
    }

    @Override
    public int getTrafficClass() throws SocketException {
        return Adaptors.getOption(sc, StandardSocketOptions.IP_TOS);
    }

    @Override
    public void setReuseAddress(boolean on) throws SocketException {
        Adaptors.setOption(sc, StandardSocketOptions.SO_REUSEADDR, on);
    }

    @Override
    public boolean getReuseAddress() throws SocketException {
        return Adaptors.getOption(sc, StandardSocketOptions.SO_REUSEADDR);
    }

    @Override
    public void close() throws IOException {
        sc.close();
    }

    @Override
    public void shutdownInput() throws IOException {
        try {
            sc.shutdownInput();
        } catch (Exception x) {
            Adaptors.translate(x);
        }
    }

    @Override
    public void shutdownOutput() throws IOException {
        try {
            sc.shutdownOutput();
        } catch (Exception x) {
            Adaptors.translate(x);
        }
    }

    @Override
    public String toString() {
        if (sc.isConnected()) {
            return "Socket[addr=" + getInetAddress() + ",port=" + getPort() + ",localport=" + getLocalPort() + "]";
        }
        return "Socket[unconnected]";
    }

    @Override
    public boolean isConnected() {
        return sc.isConnected();
    }

    @Override
    public boolean isBound() {
        return sc.localAddress() != null;
    }

    @Override
    public boolean isClosed() {
        return !sc.isOpen();
    }

    @Override
    public boolean isInputShutdown() {
        return !sc.isInputOpen();
    }

    @Override
    public boolean isOutputShutdown() {
        return !sc.isOutputOpen();
    }

    /** Does nothing, as Socket's own (which the JDK's adaptor inherits). */
    @Override
    public void setPerformancePreferences(int connectionTime, int latency, int bandwidth) {
    }

    @Override
    public <T> Socket setOption(SocketOption<T> name, T value) throws IOException {
        sc.setOption(name, value);
        return this;
    }

    @Override
    public <T> T getOption(SocketOption<T> name) throws IOException {
        return sc.getOption(name);
    }

    @Override
    public Set<SocketOption<?>> supportedOptions() {
        return sc.supportedOptions();
    }

    /** The socket's InputStream: blocking reads that honour SO_TIMEOUT when it is read. */
    private final class In extends InputStream {
        @Override
        public int read() throws IOException {
            byte[] a = new byte[1];
            int n = read(a, 0, 1);
            return n > 0 ? a[0] & 0xff : -1;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            return sc.blockingRead(b, off, len, Adaptors.nanos(timeout));
        }

        @Override
        public int available() throws IOException {
            return sc.available();
        }

        /** Closes the socket, as closing either of its streams does. */
        @Override
        public void close() throws IOException {
            SocketAdaptor.this.close();
        }
    }

    /** The socket's OutputStream: every write is written whole, in blocking mode. */
    private final class Out extends OutputStream {
        @Override
        public void write(int b) throws IOException {
            write(new byte[] {(byte) b}, 0, 1);
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            sc.blockingWriteFully(b, off, len);
        }

        @Override
        public void close() throws IOException {
            SocketAdaptor.this.close();
        }
    }
}
