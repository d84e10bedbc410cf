package io.nativenio.ch;

import io.nativenio.compat.Compat;
import io.nativenio.observe.Events;
import java.io.IOException;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ProtocolFamily;
import java.net.Socket;
import java.net.SocketAddress;
import java.net.SocketException;
import java.net.SocketOption;
import java.net.StandardProtocolFamily;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.AlreadyBoundException;
import java.nio.channels.AlreadyConnectedException;
import java.nio.channels.AsynchronousCloseException;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.ConnectionPendingException;
import java.nio.channels.IllegalBlockingModeException;
import java.nio.channels.NoConnectionPendingException;
import java.nio.channels.NotYetConnectedException;
import java.nio.channels.SelectionKey;
import java.nio.channels.SocketChannel;
import java.nio.channels.spi.SelectorProvider;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * A TCP or UNIX-domain socket channel, after the JDK's {@code SocketChannelImpl} (behaviours.md#stream-sockets,
 * behaviours.md#deferred-close-of-a-registered-channel, behaviours.md#readiness-per-channel-type,
 * behaviours.md#supported-options, behaviours.md#unix-domain-stream-channels); the UNIX branches go through
 * {@link UnixDomainSockets}, as the JDK's {@code isUnixSocket()} ones. Blocking mode uses a blocking fd; a close or
 * shutdown from another thread wakes a blocked thread through {@link ChannelFd}. State only grows: unconnected,
 * connection pending, connected; closing is the fd's.
 */
final class SocketChannelImpl extends SocketChannel implements NativeChannel, Events.Peer {
    private static final int ST_UNCONNECTED = 0;
    private static final int ST_CONNECTIONPENDING = 1;
    private static final int ST_CONNECTED = 2;

    private final ProtocolFamily family;
    private final boolean inet6;
    private final boolean unix;
    private final ChannelFd fd;

    private volatile int state; // written under fd.stateLock
    private volatile boolean isInputClosed;
    private volatile boolean isOutputClosed;
    private boolean connectionReset; // guarded by fd.readLock

    // Guarded by fd.stateLock.
    private SocketAddress localAddress;
    private SocketAddress remoteAddress;
    private Socket socket;

    SocketChannelImpl(SelectorProvider provider, ProtocolFamily family) throws IOException {
        super(provider);
        this.family = family;
        this.inet6 = Net.isInet6(family);
        this.unix = family == StandardProtocolFamily.UNIX;
        this.fd = new ChannelFd(this, unix ? UnixDomainSockets.socket() : Net.socket(family, true, false), this::begin,
                this::end);
    }

    /**
     * A channel for a connected socket {@code newfd} of {@code family}, accepted by a server channel or
     * inherited (then {@code afterClose} detaches the standard streams); owns {@code newfd}.
     */
    SocketChannelImpl(SelectorProvider provider, ProtocolFamily family, int newfd, SocketAddress remote,
            Runnable afterClose) throws IOException {
        super(provider);
        this.family = family;
        this.inet6 = Net.isInet6(family);
        this.unix = family == StandardProtocolFamily.UNIX;
        SocketAddress local = localAddressOf(newfd); // before the ChannelFd, which counts the channel as open
        this.fd = new ChannelFd(this, newfd, this::begin, this::end, afterClose);
        synchronized (fd.stateLock) {
            this.localAddress = local;
            this.remoteAddress = remote;
            this.state = ST_CONNECTED;
        }
    }

    private SocketAddress localAddressOf(int fd) throws IOException {
        return unix ? UnixDomainSockets.localAddress(fd) : Net.localAddress(fd);
    }

    private void ensureOpenAndConnected() throws ClosedChannelException {
        if (fd.isClosing()) {
            throw new ClosedChannelException();
        }
        if (state != ST_CONNECTED) {
            throw new NotYetConnectedException();
        }
    }

    /** The socket adaptor, created on first use; the same object every time (behaviours.md#socket-adaptor). None for
     * UNIX. */
    @Override
    public Socket socket() {
        if (unix) {
            throw new UnsupportedOperationException("Not supported");
        }
        synchronized (fd.stateLock) {
            if (socket == null) {
                socket = SocketAdaptor.create(this);
            }
            return socket;
        }
    }

    @Override
    public SocketAddress getLocalAddress() throws IOException {
        synchronized (fd.stateLock) {
            fd.ensureOpen();
            return unix ? UnixDomainSockets.revealedLocalAddress(localAddress)
                    : Net.revealedLocalAddress((InetSocketAddress) localAddress);
        }
    }

    @Override
    public SocketAddress getRemoteAddress() throws IOException {
        synchronized (fd.stateLock) {
            fd.ensureOpen();
            return remoteAddress;
        }
    }

    /** The local address of an INET or INET6 channel, for the socket adaptor. */
    InetSocketAddress localAddress() {
        synchronized (fd.stateLock) {
            return (InetSocketAddress) localAddress;
        }
    }

    /** The remote address of an INET or INET6 channel, for the socket adaptor. */
    InetSocketAddress remoteAddress() {
        synchronized (fd.stateLock) {
            return (InetSocketAddress) remoteAddress;
        }
    }

    /** The remote address of any family, even once closed: for the JFR events. */
    @Override
    public SocketAddress peer() {
        synchronized (fd.stateLock) {
            return remoteAddress;
        }
    }

    // -- options (behaviours.md#socket-options)

    @Override
    public <T> SocketChannel setOption(SocketOption<T> name, T value) throws IOException {
        SocketOptions.checkSet(supportedOptions(), name, value);
        synchronized (fd.stateLock) {
            fd.ensureOpen();
            if (unix) {
                UnixDomainSockets.setOption(fdVal(), name, value);
            } else if (name == StandardSocketOptions.IP_TOS) {
                SocketOptions.setIpTos(fdVal(), inet6, (Integer) value);
            } else {
                SocketOptions.set(fdVal(), name, value);
            }
            return this;
        }
    }

    @Override
    @SuppressWarnings("unchecked")
    public <T> T getOption(SocketOption<T> name) throws IOException {
        SocketOptions.checkGet(supportedOptions(), name);
        synchronized (fd.stateLock) {
            fd.ensureOpen();
            if (unix) {
                return (T) UnixDomainSockets.getOption(fdVal(), name);
            }
            if (name == StandardSocketOptions.IP_TOS) {
                return (T) Integer.valueOf(SocketOptions.getIpTos(fdVal(), inet6));
            }
            return (T) SocketOptions.get(fdVal(), name);
        }
    }

    @Override
    public Set<SocketOption<?>> supportedOptions() {
        return unix ? UnixDomainSockets.OPTIONS : SocketOptions.STREAM;
    }

    // -- read and write

    /** Marks the start of a read that may block: the JDK's beginRead. */
    private void beginRead(boolean blocking) throws ClosedChannelException {
        if (blocking) {
            fd.beginBlocking();
            synchronized (fd.stateLock) {
                fd.ensureOpen();
                fd.setThread(true);
            }
        }
    }

    /** A read found the connection reset: every later read fails the same way (the JDK's sticky reset). */
    private SocketException connectionReset() {
        connectionReset = true;
        return new SocketException("Connection reset");
    }

    private void beginWrite(boolean blocking) throws ClosedChannelException {
        if (blocking) {
            fd.beginBlocking();
            synchronized (fd.stateLock) {
                fd.ensureOpen();
                if (isOutputClosed) {
                    throw new ClosedChannelException();
                }
                fd.setThread(false);
            }
        }
    }

    @Override
    public int read(ByteBuffer dst) throws IOException {
        Objects.requireNonNull(dst);
        return (int) read(dst, null, null, 0, 0, 0);
    }

    @Override
    public long read(ByteBuffer[] dsts, int offset, int length) throws IOException {
        return read(null, dsts, null, Objects.checkFromIndexSize(offset, length, dsts.length), length, 0);
    }

    /**
     * One read: into {@code dst}, or a scattering one into {@code dsts} when that is not null, or, for the socket
     * adaptor's InputStream.read, into {@code b[offset, offset + length)} when {@code b} is not null
     * ({@link #blockingRead}).
     */
    private long read(ByteBuffer dst, ByteBuffer[] dsts, byte[] b, int offset, int length, long nanos)
            throws IOException {
        Object event = Events.begin(Events.SOCKET_READ);
        long n = implRead(dst, dsts, b, offset, length, nanos);
        Events.socketRead(event, n, this, TimeUnit.NANOSECONDS.toMillis(nanos));
        return n;
    }

    private long implRead(ByteBuffer dst, ByteBuffer[] dsts, byte[] b, int offset, int length, long nanos)
            throws IOException {
        if (b != null) {
            Objects.checkFromIndexSize(offset, length, b.length);
            if (length == 0) {
                return 0;
            }
        }
        fd.readLock.lock();
        try {
            ensureOpenAndConnected();
            boolean blocking = isBlocking();
            if (b != null && !blocking) {
                throw new IllegalBlockingModeException();
            }
            long n = 0;
            try {
                beginRead(blocking);
                if (connectionReset) {
                    throw new SocketException("Connection reset");
                }
                if (isInputClosed) {
                    return IOStatus.EOF;
                }
                n = b == null ? readBuffers(dst, dsts, offset, length, blocking) : readBytes(b, offset, length, nanos);
            } catch (ConnectionResetException e) {
                throw connectionReset();
            } finally {
                fd.end(true, blocking, n > 0);
                if (n <= 0 && isInputClosed) {
                    return IOStatus.EOF; // as the JDK: shutdownInput turns a failed or interrupted read into EOF
                }
            }
            return IOStatus.normalize(n);
        } finally {
            fd.readLock.unlock();
        }
    }

    private long readBuffers(ByteBuffer dst, ByteBuffer[] dsts, int offset, int length, boolean blocking)
            throws IOException {
        long n;
        do {
            n = fd.read(dst, dsts, offset, length, blocking);
        } while (blocking && fd.awaitRetry(n, Poller.POLLIN));
        return n;
    }

    /**
     * The adaptor's read into {@code b[off, off + len)} in blocking mode: with {@code nanos > 0} on an fd made
     * non-blocking for the call, and at most {@code nanos} long.
     */
    private int readBytes(byte[] b, int off, int len, long nanos) throws IOException {
        if (nanos > 0) {
            fd.lockedConfigureBlocking(false);
        }
        try {
            long start = ChannelFd.timerStart(nanos);
            int n;
            do {
                n = fd.read(b, off, len);
            } while (fd.awaitRetry(n, Poller.POLLIN, start, nanos, "Read timed out"));
            return n;
        } finally {
            if (nanos > 0) {
                fd.tryLockedConfigureBlocking(true);
            }
        }
    }

    @Override
    public int write(ByteBuffer src) throws IOException {
        Objects.requireNonNull(src);
        return (int) write(src, null, 0, 0);
    }

    @Override
    public long write(ByteBuffer[] srcs, int offset, int length) throws IOException {
        Objects.checkFromIndexSize(offset, length, srcs.length);
        return write(null, srcs, offset, length);
    }

    /** One write from {@code src}, or a gathering write when {@code srcs} is not null. */
    private long write(ByteBuffer src, ByteBuffer[] srcs, int offset, int length) throws IOException {
        Object event = Events.begin(Events.SOCKET_WRITE);
        long n = implWrite(src, srcs, offset, length, NOT_URGENT);
        Events.socketWrite(event, n, this);
        return n;
    }

    /** The {@code urgent} argument of a write of buffers, which is no byte of urgent data. */
    private static final int NOT_URGENT = -1;

    /** Socket.sendUrgentData: one byte of out-of-band data. */
    int sendOutOfBandData(byte b) throws IOException {
        return (int) implWrite(null, null, 0, 0, b & 0xff);
    }

    /**
     * A write from {@code src} or, when {@code srcs} is not null, a gathering one; or, when {@code urgent} is not
     * {@link #NOT_URGENT}, Socket.sendUrgentData's byte {@code urgent}.
     */
    private long implWrite(ByteBuffer src, ByteBuffer[] srcs, int offset, int length, int urgent) throws IOException {
        fd.writeLock.lock();
        try {
            ensureOpenAndConnected();
            boolean blocking = isBlocking();
            long n = 0;
            try {
                beginWrite(blocking);
                if (urgent != NOT_URGENT) {
                    n = sendUrgent((byte) urgent, blocking);
                } else {
                    do {
                        n = fd.write(src, srcs, offset, length, blocking);
                    } while (blocking && fd.awaitRetry(n, Poller.POLLOUT));
                }
            } finally {
                fd.end(false, blocking, n > 0);
                if (n <= 0 && isOutputClosed) {
                    throw new AsynchronousCloseException(); // the JDK's quirk after shutdownOutput
                }
            }
            return IOStatus.normalize(n);
        } finally {
            fd.writeLock.unlock();
        }
    }

    private int sendUrgent(byte b, boolean blocking) throws IOException {
        int n;
        do {
            n = (int) fd.countWritten(Net.sendOOB(fdVal(), b));
        } while (n == IOStatus.INTERRUPTED && isOpen());
        if (blocking && n == IOStatus.UNAVAILABLE) {
            throw new SocketException("No buffer space available");
        }
        return n;
    }

    // -- bind and connect

    @Override
    public SocketChannel bind(SocketAddress local) throws IOException {
        fd.lockBoth();
        try {
            synchronized (fd.stateLock) {
                fd.ensureOpen();
                if (state == ST_CONNECTIONPENDING) {
                    throw new ConnectionPendingException();
                }
                if (localAddress != null) {
                    throw new AlreadyBoundException();
                }
                localAddress = unix ? UnixDomainSockets.bindClient(fdVal(), local) : netBind(local);
            }
        } finally {
            fd.unlockBoth();
        }
        return this;
    }

    private SocketAddress netBind(SocketAddress local) throws IOException {
        InetSocketAddress isa = local == null
                ? new InetSocketAddress(Net.anyLocalAddress(family), 0)
                : Net.checkAddress(local, family);
        Net.checkListen(isa.getPort());
        Net.bind(fdVal(), family, isa);
        return Net.localAddress(fdVal());
    }

    @Override
    public boolean isConnected() {
        return state == ST_CONNECTED && !fd.isClosing();
    }

    @Override
    public boolean isConnectionPending() {
        return state == ST_CONNECTIONPENDING && !fd.isClosing();
    }

    /** The address to connect to: a wildcard address means the loopback address of its family. */
    private SocketAddress checkRemote(SocketAddress sa) {
        if (unix) {
            UnixDomainSockets.checkPermission();
            return UnixDomainSockets.checkAddress(sa);
        }
        InetSocketAddress isa = Net.checkAddress(sa, family);
        Net.checkConnect(isa);
        InetAddress address = isa.getAddress();
        if (address.isAnyLocalAddress()) {
            InetAddress loopback = address instanceof Inet4Address ? Net.INET4_LOOPBACK : Net.INET6_LOOPBACK;
            return new InetSocketAddress(loopback, isa.getPort());
        }
        return isa;
    }

    /** One connect(2): 1 if connected, 0 if in progress, {@link IOStatus#INTERRUPTED} after EINTR. */
    private int connectOnce(SocketAddress sa) throws IOException {
        return unix ? UnixDomainSockets.connect(fdVal(), sa) : Net.connect(fdVal(), family, (InetSocketAddress) sa);
    }

    private void beginConnect(boolean blocking, SocketAddress sa) throws ClosedChannelException {
        if (blocking) {
            fd.beginBlocking();
        }
        synchronized (fd.stateLock) {
            fd.ensureOpen();
            if (state == ST_CONNECTED) {
                throw new AlreadyConnectedException();
            }
            if (state == ST_CONNECTIONPENDING) {
                throw new ConnectionPendingException();
            }
            state = ST_CONNECTIONPENDING;
            remoteAddress = sa;
            if (blocking) {
                fd.setThread(true);
            }
        }
    }

    /** Ends a connect or finishConnect; records the local address once connected. */
    private void endConnect(boolean blocking, boolean completed) throws IOException {
        fd.end(true, blocking, completed);
        if (completed) {
            synchronized (fd.stateLock) {
                if (state == ST_CONNECTIONPENDING && !fd.isClosing()) {
                    localAddress = localAddressOf(fdVal());
                    state = ST_CONNECTED;
                }
            }
        }
    }

    @Override
    public boolean connect(SocketAddress remote) throws IOException {
        Object event = Events.begin(Events.CONNECT);
        boolean connected = implConnect(remote);
        Events.connect(event, this, connected);
        return connected;
    }

    private boolean implConnect(SocketAddress remote) throws IOException {
        return lockAndConnect(checkRemote(remote), 0, false);
    }

    /**
     * Runs a connect to {@code sa}, the socket adaptor's timed one ({@code adaptor}) or, when {@code sa} is null,
     * finishConnect, holding both I/O locks; as the JDK's, any failure closes the channel.
     */
    private boolean lockAndConnect(SocketAddress sa, long nanos, boolean adaptor) throws IOException {
        try {
            fd.lockBoth();
            try {
                if (sa == null) {
                    return lockedFinishConnect();
                }
                return adaptor ? lockedBlockingConnect(sa, nanos) : lockedConnect(sa);
            } finally {
                fd.unlockBoth();
            }
        } catch (IOException e) {
            close();
            throw Net.withAddress(e, sa != null ? sa : peer());
        }
    }

    private boolean lockedConnect(SocketAddress sa) throws IOException {
        if (ChannelFd.CHECK_OPEN_BEFORE_BEGIN) {
            fd.ensureOpen();
        }
        boolean blocking = isBlocking();
        boolean connected = false;
        try {
            beginConnect(blocking, sa);
            int n = connectOnce(sa);
            // deferred-connect: a connect the kernel completed may be reported pending (docs/testing.md)
            boolean deferred = Compat.DEFERRED_CONNECT && !blocking && fd.compat.deferConnect();
            if (n > 0) {
                connected = !deferred;
            } else if (blocking) {
                connected = awaitConnect(0);
            }
        } finally {
            endConnect(blocking, connected);
        }
        return connected;
    }

    /**
     * Waits for a pending connection: until established (true), the channel closed (false), or, with
     * {@code nanos > 0}, the time is up (SocketTimeoutException). A failed connection throws.
     */
    private boolean awaitConnect(long nanos) throws IOException {
        long start = ChannelFd.timerStart(nanos);
        boolean polled = Net.pollConnectNow(fdVal());
        while (!polled && isOpen()) {
            fd.park(Poller.POLLOUT, start, nanos, "Connect timed out");
            polled = Net.pollConnectNow(fdVal());
        }
        return polled && isOpen();
    }

    /** A connect completed by this call is a connect event; one still pending, or completed before, is not. */
    @Override
    public boolean finishConnect() throws IOException {
        boolean pending = isConnectionPending();
        Object event = pending ? Events.begin(Events.CONNECT) : null;
        boolean connected = lockAndConnect(null, 0, false);
        if (connected) {
            Events.connect(event, this, true);
        }
        return connected;
    }

    private boolean lockedFinishConnect() throws IOException {
        if (isConnected()) {
            return true;
        }
        if (ChannelFd.CHECK_OPEN_BEFORE_BEGIN) {
            // on JDK 17 beginFinishConnect checks it inside the bracket
            // (behaviours.md#operations-on-a-closed-blocking-channel)
            fd.ensureOpen();
        }
        boolean blocking = isBlocking();
        boolean connected = false;
        try {
            beginFinishConnect(blocking);
            connected = blocking ? awaitConnect(0) : Net.pollConnectNow(fdVal()) && isOpen() && !deferFinish();
        } finally {
            endConnect(blocking, connected);
        }
        return connected;
    }

    /** deferred-connect: whether a non-blocking finishConnect that found the connection established returns false. */
    private boolean deferFinish() {
        return Compat.DEFERRED_CONNECT && fd.compat.deferFinish();
    }

    private void beginFinishConnect(boolean blocking) throws ClosedChannelException {
        if (blocking) {
            fd.beginBlocking();
        }
        synchronized (fd.stateLock) {
            fd.ensureOpen();
            if (state != ST_CONNECTIONPENDING) {
                throw new NoConnectionPendingException();
            }
            if (blocking) {
                fd.setThread(true);
            }
        }
    }

    // -- shutdown and close

    @Override
    public SocketChannel shutdownInput() throws IOException {
        return shutdown(true);
    }

    @Override
    public SocketChannel shutdownOutput() throws IOException {
        return shutdown(false);
    }

    /** Shuts the input or the output down, once, and wakes the thread blocked reading or writing. */
    private SocketChannel shutdown(boolean input) throws IOException {
        synchronized (fd.stateLock) {
            fd.ensureOpen();
            if (!isConnected()) {
                throw new NotYetConnectedException();
            }
            if (input ? !isInputClosed : !isOutputClosed) {
                Net.shutdown(fdVal(), input ? Net.SHUT_RD : Net.SHUT_WR);
                fd.signal(input);
                if (input) {
                    isInputClosed = true;
                } else {
                    isOutputClosed = true;
                }
            }
            return this;
        }
    }

    boolean isInputOpen() {
        return !isInputClosed;
    }

    boolean isOutputOpen() {
        return !isOutputClosed;
    }

    @Override
    protected void implCloseSelectableChannel() throws IOException {
        fd.close(isBlocking());
    }

    /**
     * A connected channel closed in non-blocking mode while still registered keeps its fd until the selector
     * lets go of it; shut its output down now so that the peer sees EOF. A positive SO_LINGER is
     * turned off first; SO_LINGER 0 (an abortive close) skips the shutdown.
     */
    @Override
    public void closeDeferred() {
        if (state != ST_CONNECTED || !isRegistered()) {
            return;
        }
        try {
            int linger = Net.getIntOption(fdVal(), Net.SOL_SOCKET, Net.SO_LINGER);
            if (linger != 0) {
                if (linger > 0) {
                    Net.setIntOption(fdVal(), Net.SOL_SOCKET, Net.SO_LINGER, -1);
                }
                Net.shutdown(fdVal(), Net.SHUT_WR);
            }
        } catch (IOException ignore) {
            // as the JDK: the close goes on
        }
    }

    @Override
    protected void implConfigureBlocking(boolean block) throws IOException {
        fd.configureBlocking(block);
    }

    // -- blocking operations of the socket adaptor (behaviours.md#socket-adaptor)

    /** Socket.connect(addr, timeout): a blocking connect that gives up after {@code nanos} (0: never). */
    void blockingConnect(SocketAddress remote, long nanos) throws IOException {
        Object event = Events.begin(Events.CONNECT);
        lockAndConnect(checkRemote(remote), nanos, true);
        Events.connect(event, this, true);
    }

    private boolean lockedBlockingConnect(SocketAddress sa, long nanos) throws IOException {
        if (!isBlocking()) {
            throw new IllegalBlockingModeException();
        }
        boolean connected = false;
        try {
            beginConnect(true, sa);
            fd.lockedConfigureBlocking(false);
            try {
                connected = connectOnce(sa) > 0 || awaitConnect(nanos);
            } finally {
                fd.tryLockedConfigureBlocking(true);
            }
        } finally {
            endConnect(true, connected);
        }
        return connected;
    }

    /**
     * The adaptor's InputStream.read: at least one byte, -1 at EOF, in blocking mode only; with
     * {@code nanos > 0} a SocketTimeoutException when nothing arrives in time (SO_TIMEOUT).
     */
    int blockingRead(byte[] b, int off, int len, long nanos) throws IOException {
        return (int) read(null, null, b, off, len, nanos);
    }

    /** The adaptor's OutputStream.write: writes all of {@code b[off, off + len)} in blocking mode. */
    void blockingWriteFully(byte[] b, int off, int len) throws IOException {
        Object event = Events.begin(Events.SOCKET_WRITE);
        implBlockingWriteFully(b, off, len);
        Events.socketWrite(event, len, this);
    }

    private void implBlockingWriteFully(byte[] b, int off, int len) throws IOException {
        Objects.checkFromIndexSize(off, len, b.length);
        if (len == 0) {
            return;
        }
        fd.writeLock.lock();
        try {
            ensureOpenAndConnected();
            if (!isBlocking()) {
                throw new IllegalBlockingModeException();
            }
            int pos = off;
            int end = off + len;
            try {
                beginWrite(true);
                while (pos < end && isOpen()) {
                    int n;
                    do {
                        n = writeBytes(b, pos, end - pos);
                    } while (fd.awaitRetry(n, Poller.POLLOUT));
                    if (n > 0) {
                        pos += n;
                    }
                }
            } finally {
                fd.end(false, true, pos >= end);
            }
        } finally {
            fd.writeLock.unlock();
        }
    }

    private int writeBytes(byte[] b, int off, int len) throws IOException {
        return (int) fd.countWritten(IOUtil.write(fdVal(), b, off, len));
    }

    /** The adaptor's InputStream.available. */
    int available() throws IOException {
        synchronized (fd.stateLock) {
            ensureOpenAndConnected();
            return isInputClosed ? 0 : Net.available(fdVal());
        }
    }

    // -- selection

    @Override
    public int readyOps(int events, int interest) {
        int ops = 0;
        boolean connected = isConnected();
        if ((events & Poller.POLLIN) != 0 && connected) {
            ops |= interest & SelectionKey.OP_READ;
        }
        if ((events & Poller.POLLOUT) != 0) {
            if (connected) {
                ops |= interest & SelectionKey.OP_WRITE;
            }
            if (isConnectionPending()) {
                ops |= interest & SelectionKey.OP_CONNECT;
            }
        }
        return ops;
    }

    @Override
    public ChannelFd channelFd() {
        return fd;
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder(SocketChannel.class.getName()).append('[');
        if (!isOpen()) {
            sb.append("closed");
        } else {
            synchronized (fd.stateLock) {
                switch (state) {
                    case ST_UNCONNECTED:
                        sb.append("unconnected");
                        break;
                    case ST_CONNECTIONPENDING:
                        sb.append("connection-pending");
                        break;
                    default:
                        sb.append("connected");
                        if (isInputClosed) {
                            sb.append(" ishut");
                        }
                        if (isOutputClosed) {
                            sb.append(" oshut");
                        }
                        break;
                }
                if (localAddress != null) {
                    sb.append(" local=").append(localAddress);
                }
                if (remoteAddress != null) {
                    sb.append(" remote=").append(remoteAddress);
                }
            }
        }
        return sb.append(']').toString();
    }
}
