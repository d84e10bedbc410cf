package io.nativenio.ch;

import io.nativenio.observe.Events;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ProtocolFamily;
import java.net.ServerSocket;
import java.net.SocketAddress;
import java.net.SocketOption;
import java.net.StandardProtocolFamily;
import java.nio.channels.AlreadyBoundException;
import java.nio.channels.AsynchronousCloseException;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.IllegalBlockingModeException;
import java.nio.channels.NotYetBoundException;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.channels.spi.SelectorProvider;
import java.util.Set;

/**
 * A listening TCP or UNIX-domain socket, after the JDK's {@code ServerSocketChannelImpl} (behaviours.md#accept,
 * behaviours.md#bind-and-socket-defaults, behaviours.md#readiness-per-channel-type, behaviours.md#supported-options,
 * behaviours.md#unix-domain-stream-channels). The fd's read lock is the accept lock.
 */
final class ServerSocketChannelImpl extends ServerSocketChannel implements NativeChannel {
    private final ProtocolFamily family;
    private final boolean unix;
    private final ChannelFd fd;

    // Guarded by fd.stateLock.
    private SocketAddress localAddress;
    private ServerSocket socket;

    ServerSocketChannelImpl(SelectorProvider provider, ProtocolFamily family) throws IOException {
        super(provider);
        this.family = family;
        this.unix = family == StandardProtocolFamily.UNIX;
        this.fd = new ChannelFd(this, unix ? UnixDomainSockets.socket() : Net.socket(family, true, true), this::begin,
                this::end);
    }

    /** A channel for an inherited listening socket {@code fd} (behaviours.md#inherited-channel); owns {@code fd}. */
    ServerSocketChannelImpl(SelectorProvider provider, ProtocolFamily family, int fd, Runnable afterClose)
            throws IOException {
        super(provider);
        this.family = family;
        this.unix = family == StandardProtocolFamily.UNIX;
        SocketAddress local = unix ? UnixDomainSockets.localAddress(fd) : Net.localAddress(fd);
        // last: nothing may fail once it watches the channel
        this.fd = new ChannelFd(this, fd, this::begin, this::end, afterClose);
        synchronized (this.fd.stateLock) {
            this.localAddress = local;
        }
    }

    /** The server socket adaptor, created on first use; the same object every time
     * (behaviours.md#serversocket-adaptor). None for UNIX. */
    @Override
    public ServerSocket socket() {
        if (unix) {
            throw new UnsupportedOperationException("Not supported");
        }
        synchronized (fd.stateLock) {
            if (socket == null) {
                socket = ServerSocketAdaptor.create(this);
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

    /** The local address of an INET or INET6 channel, for the socket adaptor. */
    InetSocketAddress localAddress() {
        synchronized (fd.stateLock) {
            return (InetSocketAddress) localAddress;
        }
    }

    boolean isBound() {
        synchronized (fd.stateLock) {
            return localAddress != null;
        }
    }

    @Override
    public <T> ServerSocketChannel setOption(SocketOption<T> name, T value) throws IOException {
        SocketOptions.checkSet(supportedOptions(), name, value);
        synchronized (fd.stateLock) {
            fd.ensureOpen();
            SocketOptions.set(fdVal(), name, value);
            return this;
        }
    }

    @Override
    @SuppressWarnings("unchecked")
    public <T> T getOption(SocketOption<T> name) throws IOException {
        SocketOptions.checkGet(supportedOptions(), name);
        synchronized (fd.stateLock) {
            fd.ensureOpen();
            return (T) SocketOptions.get(fdVal(), name);
        }
    }

    @Override
    public Set<SocketOption<?>> supportedOptions() {
        return unix ? UnixDomainSockets.SERVER_OPTIONS : SocketOptions.SERVER;
    }

    /** Binds and listens; a backlog below 1 means 50. */
    @Override
    public ServerSocketChannel bind(SocketAddress local, int backlog) throws IOException {
        synchronized (fd.stateLock) {
            fd.ensureOpen();
            if (localAddress != null) {
                throw new AlreadyBoundException();
            }
            localAddress = unix ? UnixDomainSockets.bindServer(fdVal(), local, backlog) : netBind(local, backlog);
        }
        return this;
    }

    private SocketAddress netBind(SocketAddress local, int backlog) throws IOException {
        InetSocketAddress isa = local == null
                ? new InetSocketAddress(Net.anyLocalAddress(family), 0)
                : Net.checkAddress(local, family);
        Net.checkListen(isa.getPort());
        Net.bind(fdVal(), family, isa);
        Net.listen(fdVal(), backlog < 1 ? 50 : backlog);
        return Net.localAddress(fdVal());
    }

    private void beginAccept(boolean blocking) throws ClosedChannelException {
        if (blocking) {
            fd.beginBlocking();
        }
        synchronized (fd.stateLock) {
            fd.ensureOpen();
            if (localAddress == null) {
                throw new NotYetBoundException();
            }
            if (blocking) {
                fd.setThread(true);
            }
        }
    }

    /**
     * Ends an accept; if {@code end(true)} throws ClosedByInterruptException after a connection was taken,
     * closes the new fd rather than leaking it.
     */
    private void endAccept(boolean blocking, int newfd) throws AsynchronousCloseException {
        try {
            fd.end(true, blocking, newfd >= 0);
        } catch (AsynchronousCloseException e) {
            if (newfd >= 0) {
                IO.close(newfd);
            }
            throw e;
        }
    }

    /** Accepts a connection: the new channel is blocking and of this provider; null if none waits. */
    @Override
    public SocketChannel accept() throws IOException {
        Object event = Events.begin(Events.ACCEPT);
        SocketChannelImpl sc = implAccept();
        Events.accept(event, sc);
        return sc;
    }

    private SocketChannelImpl implAccept() throws IOException {
        int n = IOStatus.UNAVAILABLE; // n is the new fd once accepted, and 0 is a valid fd
        fd.readLock.lock();
        try {
            if (ChannelFd.CHECK_OPEN_BEFORE_BEGIN) {
                fd.ensureOpen();
            }
            boolean blocking = isBlocking();
            try {
                beginAccept(blocking);
                do {
                    n = acceptOnce();
                } while (blocking && fd.awaitRetry(n, Poller.POLLIN));
            } finally {
                endAccept(blocking, n);
            }
        } finally {
            fd.readLock.unlock();
        }
        return n >= 0 ? finishAccept(n) : null;
    }

    /** One accept(2): the new fd, or {@link IOStatus#UNAVAILABLE} / {@link IOStatus#INTERRUPTED}. */
    private int acceptOnce() throws IOException {
        return unix ? UnixDomainSockets.accept(fdVal()) : Net.accept(fdVal());
    }


    /** The adaptor's ServerSocket.accept with SO_TIMEOUT {@code nanos} (behaviours.md#serversocket-adaptor). */
    SocketChannel blockingAccept(long nanos) throws IOException {
        Object event = Events.begin(Events.ACCEPT);
        SocketChannelImpl sc = implBlockingAccept(nanos);
        Events.accept(event, sc);
        return sc;
    }

    private SocketChannelImpl implBlockingAccept(long nanos) throws IOException {
        int n = IOStatus.UNAVAILABLE; // n is the new fd once accepted, and 0 is a valid fd
        fd.readLock.lock();
        try {
            if (!isBlocking()) {
                throw new IllegalBlockingModeException();
            }
            try {
                beginAccept(true);
                fd.lockedConfigureBlocking(false);
                try {
                    long start = ChannelFd.timerStart(nanos);
                    do {
                        n = acceptOnce();
                    } while (fd.awaitRetry(n, Poller.POLLIN, start, nanos, "Accept timed out"));
                } finally {
                    fd.tryLockedConfigureBlocking(true);
                }
            } finally {
                endAccept(true, n);
            }
        } finally {
            fd.readLock.unlock();
        }
        return finishAccept(n);
    }

    /**
     * Wraps an accepted fd (blocking: accepted without the non-blocking flag) in a channel. The peer's address was
     * stored by the accept on this thread (NativeSocketAddress, or UnixDomainSockets for UNIX). On failure
     * the fd is closed.
     */
    private SocketChannelImpl finishAccept(int newfd) throws IOException {
        try {
            SocketAddress remote;
            if (unix) {
                remote = UnixDomainSockets.acceptedPeer();
            } else {
                InetSocketAddress isa = NativeSocketAddress.get().decode();
                Net.checkAccept(isa);
                remote = isa;
            }
            return new SocketChannelImpl(provider(), family, newfd, remote, null);
        } catch (IOException | RuntimeException | Error e) {
            // including a SecurityException of checkAccept (behaviours.md#securitymanager-checks-on-jdk-17)
            IO.close(newfd);
            throw e;
        }
    }

    @Override
    protected void implConfigureBlocking(boolean block) throws IOException {
        fd.configureBlocking(block);
    }

    @Override
    protected void implCloseSelectableChannel() throws IOException {
        fd.close(isBlocking());
    }

    @Override
    public ChannelFd channelFd() {
        return fd;
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder(getClass().getName()).append('[');
        if (!isOpen()) {
            sb.append("closed");
        } else {
            synchronized (fd.stateLock) {
                sb.append(localAddress == null ? "unbound" : localAddress.toString());
            }
        }
        return sb.append(']').toString();
    }
}
