package io.nativenio.ch;

import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.net.PortUnreachableException;
import java.net.ProtocolFamily;
import java.net.SocketAddress;
import java.net.SocketException;
import java.net.SocketOption;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.AlreadyBoundException;
import java.nio.channels.AlreadyConnectedException;
import java.nio.channels.DatagramChannel;
import java.nio.channels.IllegalBlockingModeException;
import java.nio.channels.MembershipKey;
import java.nio.channels.NotYetConnectedException;
import java.nio.channels.spi.SelectorProvider;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.locks.ReentrantLock;

/**
 * A UDP channel, after the JDK 17 {@code DatagramChannelImpl} (behaviours.md#datagrams,
 * behaviours.md#discovery-and-start-up, behaviours.md#readiness-per-channel-type, behaviours.md#socket-options).
 * Blocking mode uses a blocking fd; a close from another thread wakes a blocked thread through {@link ChannelFd}.
 * Unlike a TCP channel it binds itself on first use, and connect can be undone.
 */
final class DatagramChannelImpl extends DatagramChannel implements NativeChannel {
    private final ProtocolFamily family;
    private final boolean inet6;
    private final ChannelFd fd;

    // Guarded by fd.stateLock; remoteAddress is non-null while connected.
    private volatile InetSocketAddress remoteAddress;
    private InetSocketAddress localAddress;
    private InetSocketAddress initialLocalAddress; // the local address before connect, restored by disconnect
    private Multicast multicast; // created by the first join
    private DatagramSocket socket; // the adaptor, created by the first socket()
    private final List<NativeSelectionKey> selectionKeys = new ArrayList<>(); // guarded by itself; see registered

    /** The options a socket needs before bind, and that every family has: copied first by {@link #recreateSocket}. */
    private static final Set<SocketOption<?>> SOCKET_LEVEL_OPTIONS = Set.of(StandardSocketOptions.SO_SNDBUF,
            StandardSocketOptions.SO_RCVBUF, StandardSocketOptions.SO_REUSEADDR, StandardSocketOptions.SO_REUSEPORT,
            StandardSocketOptions.SO_BROADCAST);

    // Guarded by fd.readLock: the last sender, returned again while the sender stays the same (as the JDK).
    private InetSocketAddress cachedSender;
    private final byte[] cachedSenderRaw = new byte[NativeSocketAddress.SIZE];

    DatagramChannelImpl(SelectorProvider provider, ProtocolFamily family) throws IOException {
        super(provider);
        this.family = family;
        this.inet6 = Net.isInet6(family);
        this.fd = new ChannelFd(this, Net.socket(family, false, false), this::begin, this::end);
    }

    /** A channel for an inherited UDP socket {@code fd} (behaviours.md#inherited-channel); owns {@code fd}. */
    DatagramChannelImpl(SelectorProvider provider, ProtocolFamily family, int fd, Runnable afterClose)
            throws IOException {
        super(provider);
        this.family = family;
        this.inet6 = Net.isInet6(family);
        InetSocketAddress local = Net.localAddress(fd);
        // last: nothing may fail once a Cleaner watches the channel
        this.fd = new ChannelFd(this, fd, this::begin, this::end, afterClose);
        synchronized (this.fd.stateLock) {
            this.localAddress = local;
        }
    }

    boolean isInet6() {
        return inet6;
    }

    @Override
    public DatagramSocket socket() {
        synchronized (fd.stateLock) {
            if (socket == null) {
                socket = DatagramSocketAdaptor.create(this);
            }
            return socket;
        }
    }

    @Override
    public SocketAddress getLocalAddress() throws IOException {
        synchronized (fd.stateLock) {
            fd.ensureOpen();
            return Net.revealedLocalAddress(localAddress);
        }
    }

    @Override
    public SocketAddress getRemoteAddress() throws IOException {
        synchronized (fd.stateLock) {
            fd.ensureOpen();
            return remoteAddress;
        }
    }

    // -- options

    @Override
    public <T> DatagramChannel setOption(SocketOption<T> name, T value) throws IOException {
        SocketOptions.checkSet(supportedOptions(), name, value);
        synchronized (fd.stateLock) {
            fd.ensureOpen();
            if (name == StandardSocketOptions.IP_MULTICAST_IF) {
                Multicast.setInterface(fdVal(), inet6, (NetworkInterface) value);
            } else {
                SocketOptions.setDatagram(fdVal(), inet6, name, value);
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
            if (name == StandardSocketOptions.IP_MULTICAST_IF) {
                return (T) Multicast.getInterface(fdVal(), inet6);
            }
            return (T) SocketOptions.getDatagram(fdVal(), inet6, name);
        }
    }

    @Override
    public Set<SocketOption<?>> supportedOptions() {
        return SocketOptions.DATAGRAM;
    }

    // -- bind, connect, disconnect

    @Override
    public DatagramChannel bind(SocketAddress local) throws IOException {
        fd.lockBoth();
        try {
            synchronized (fd.stateLock) {
                fd.ensureOpen();
                if (localAddress != null) {
                    throw new AlreadyBoundException();
                }
                bindInternal(local);
            }
        } finally {
            fd.unlockBoth();
        }
        return this;
    }

    /** Binds to {@code local}, or to an ephemeral port on the wildcard address when null; holds stateLock. */
    private void bindInternal(SocketAddress local) throws IOException {
        InetSocketAddress isa = local == null
                ? new InetSocketAddress(Net.anyLocalAddress(family), 0)
                : Net.checkAddress(local, family);
        Net.checkListen(isa.getPort());
        Net.bind(fdVal(), family, isa);
        localAddress = Net.localAddress(fdVal());
    }

    @Override
    public boolean isConnected() {
        return remoteAddress != null && !fd.isClosing();
    }

    @Override
    public DatagramChannel connect(SocketAddress remote) throws IOException {
        return connect(remote, true);
    }

    /**
     * Connects; {@code check} false lets a connected channel connect to another peer, as the socket
     * adaptor's connect does (the JDK's {@code connect(SocketAddress, boolean)}).
     */
    DatagramChannel connect(SocketAddress remote, boolean check) throws IOException {
        InetSocketAddress isa = Net.checkAddress(remote, family);
        checkPermission(isa, true);
        fd.lockBoth();
        try {
            synchronized (fd.stateLock) {
                fd.ensureOpen();
                if (check && remoteAddress != null) {
                    throw new AlreadyConnectedException();
                }
                if (isa.getPort() == 0) {
                    throw new SocketException("Can't connect to port 0");
                }
                if (localAddress == null) {
                    bindInternal(null);
                }
                initialLocalAddress = localAddress;
                if (Net.connect(fdVal(), family, isa) <= 0) {
                    throw new AssertionError("a UDP connect cannot be in progress");
                }
                remoteAddress = isa;
                localAddress = Net.localAddress(fdVal());
                dropQueuedDatagrams();
            }
        } finally {
            fd.unlockBoth();
        }
        return this;
    }

    /** Discards the datagrams received before connect, from any sender; holds both I/O locks. */
    private void dropQueuedDatagrams() throws IOException {
        boolean blocking = isBlocking();
        if (blocking) {
            fd.lockedConfigureBlocking(false);
        }
        try {
            ByteBuffer buf = ByteBuffer.allocate(100);
            while (receiveOnce(buf.clear(), false) >= 0) {
                // until nothing is queued
            }
        } finally {
            if (blocking) {
                fd.tryLockedConfigureBlocking(true);
            }
        }
    }

    /**
     * The SecurityManager's checks (JDK 17) of a send to {@code isa}, or with {@code connect} of a connect to it,
     * which also receives from it.
     */
    @SuppressWarnings("removal")
    private static void checkPermission(InetSocketAddress isa, boolean connect) {
        SecurityManager sm = System.getSecurityManager();
        if (sm != null) {
            InetAddress ia = isa.getAddress();
            if (ia.isMulticastAddress()) {
                sm.checkMulticast(ia);
            } else {
                sm.checkConnect(ia.getHostAddress(), isa.getPort());
                if (connect) {
                    sm.checkAccept(ia.getHostAddress(), isa.getPort());
                }
            }
        }
    }

    @Override
    public DatagramChannel disconnect() throws IOException {
        fd.lockBoth();
        try {
            synchronized (fd.stateLock) {
                if (isOpen() && remoteAddress != null) {
                    lockedDisconnect();
                }
            }
        } finally {
            fd.unlockBoth();
        }
        return this;
    }

    /** Dissolves the association; holds both I/O locks and the state lock. */
    private void lockedDisconnect() throws IOException {
        int rc = Datagram.disconnect(fdVal(), inet6);
        if (rc < 0) {
            throw Net.socketException(-rc);
        }
        remoteAddress = null;
        localAddress = Net.localAddress(fdVal());
        try {
            if (!localAddress.equals(initialLocalAddress)) {
                repairSocket(initialLocalAddress);
            }
        } finally {
            initialLocalAddress = null;
        }
    }

    /**
     * Restores the local address of before connect, which dissolving the association changed (the JDK's
     * {@code repairSocket}). Linux drops the port of a socket that connect bound: it is bound again. macOS moves a
     * socket bound to a specific address to the wildcard one: the socket is re-created. Holds both I/O locks and
     * the state lock.
     */
    private void repairSocket(InetSocketAddress target) throws IOException {
        if (localAddress.getPort() == 0) {
            Net.bind(fdVal(), family, target);
            localAddress = Net.localAddress(fdVal());
        } else {
            recreateSocket(target);
        }
    }

    /**
     * Replaces the socket by a new one bound to {@code target} under the same fd number, as the JDK does on macOS:
     * the new socket gets the options that bind needs, the blocking mode and then every option of the old one,
     * joins its groups, and every selector re-registers the fd, whose registration went with the old socket.
     * Holds both I/O locks and the state lock.
     */
    private void recreateSocket(InetSocketAddress target) throws IOException {
        Map<SocketOption<?>, Object> options = new HashMap<>();
        for (SocketOption<?> option : supportedOptions()) {
            Object value = getOption(option);
            if (value != null) {
                options.put(option, value);
            }
        }
        int newfd = Net.socket(family, false, false);
        try {
            for (Map.Entry<SocketOption<?>, Object> e : options.entrySet()) {
                if (SOCKET_LEVEL_OPTIONS.contains(e.getKey())) {
                    try {
                        SocketOptions.setDatagram(newfd, inet6, e.getKey(), e.getValue());
                    } catch (IOException ignore) {
                        // set again below, as the JDK
                    }
                }
            }
            Errors.check(Datagram.replace(newfd, fdVal()));
        } finally {
            IO.close(newfd);
        }
        try {
            Net.bind(fdVal(), family, target);
        } catch (IOException e) {
            localAddress = null; // left unbound, as the JDK's
            throw e;
        }
        localAddress = Net.localAddress(fdVal());
        for (Map.Entry<SocketOption<?>, Object> e : options.entrySet()) {
            @SuppressWarnings("unchecked")
            SocketOption<Object> option = (SocketOption<Object>) e.getKey();
            try {
                setOption(option, e.getValue());
            } catch (IOException ignore) {
                // as the JDK: an option the new socket refuses keeps its default
            }
        }
        if (multicast != null) {
            multicast.rejoinAll();
        }
        synchronized (selectionKeys) {
            for (NativeSelectionKey k : selectionKeys) {
                k.reset();
            }
        }
    }

    /** The socket re-creation of macOS's disconnect, for the test that runs it where disconnect never does. */
    void recreateSocket() throws IOException {
        fd.lockBoth();
        try {
            synchronized (fd.stateLock) {
                fd.ensureOpen();
                recreateSocket(localAddress);
            }
        } finally {
            fd.unlockBoth();
        }
    }

    InetSocketAddress localAddress() {
        synchronized (fd.stateLock) {
            return localAddress;
        }
    }

    /** The peer, or null; as the JDK's, still the peer after close. */
    InetSocketAddress remoteAddress() {
        return remoteAddress;
    }

    // -- receive and read

    /**
     * Starts a receive, read, send or write: begin() in blocking mode, then under the state lock the open
     * check, the connected check when {@code mustBeConnected}, an implicit bind and the thread record. Returns
     * the peer, or null if not connected. The caller calls {@code fd.end} in a finally block.
     */
    private InetSocketAddress beginIO(boolean reader, boolean blocking, boolean mustBeConnected) throws IOException {
        if (blocking) {
            fd.beginBlocking();
        }
        synchronized (fd.stateLock) {
            fd.ensureOpen();
            InetSocketAddress remote = remoteAddress;
            if (remote == null && mustBeConnected) {
                throw new NotYetConnectedException();
            }
            if (localAddress == null) {
                bindInternal(null);
            }
            if (blocking) {
                fd.setThread(reader);
            }
            return remote;
        }
    }

    @Override
    public SocketAddress receive(ByteBuffer dst) throws IOException {
        if (dst.isReadOnly()) {
            throw new IllegalArgumentException("Read-only buffer");
        }
        fd.readLock.lock();
        try {
            if (ChannelFd.CHECK_OPEN_BEFORE_BEGIN) {
                fd.ensureOpen();
            }
            return receive(dst, isBlocking(), 0);
        } finally {
            fd.readLock.unlock();
        }
    }

    /**
     * The socket adaptor's receive (the JDK's {@code blockingReceive}): one datagram into the packet's buffer,
     * at most {@code p.getLength()} bytes, waiting at most {@code nanos} when that is positive. Sets the
     * packet's length and sender with its public setters (the README's known difference).
     */
    void blockingReceive(DatagramPacket p, int length, long nanos) throws IOException {
        fd.readLock.lock();
        try {
            fd.ensureOpen();
            if (!isBlocking()) {
                throw new IllegalBlockingModeException();
            }
            ByteBuffer dst = ByteBuffer.wrap(p.getData(), p.getOffset(), length);
            SocketAddress sender;
            if (nanos > 0) {
                fd.lockedConfigureBlocking(false);
                try {
                    sender = receive(dst, true, nanos);
                } finally {
                    fd.tryLockedConfigureBlocking(true);
                }
            } else {
                sender = receive(dst, true, 0);
            }
            if (sender != null) {
                p.setLength(dst.position() - p.getOffset());
                p.setSocketAddress(sender);
            }
        } finally {
            fd.readLock.unlock();
        }
    }

    /** A receive under the read lock; a blocking one waits at most {@code nanos} when that is positive. */
    private SocketAddress receive(ByteBuffer dst, boolean blocking, long nanos) throws IOException {
        SocketAddress sender = null;
        try {
            boolean connected = beginIO(true, blocking, false) != null;
            if (connected || System.getSecurityManager() == null) {
                int n = blocking ? waitAndReceive(dst, connected, nanos, ChannelFd.timerStart(nanos))
                        : receiveOnce(dst, connected);
                if (n > 0 || (n == 0 && isOpen())) {
                    sender = sender();
                }
            } else {
                sender = untrustedReceive(dst, blocking, nanos);
            }
            return sender;
        } finally {
            fd.end(true, blocking, sender != null);
        }
    }

    /**
     * {@link #receiveOnce} until a datagram arrives or the channel is closed; when {@code nanos} is positive
     * (a non-blocking fd), at most until {@code nanos} after {@code start}.
     */
    private int waitAndReceive(ByteBuffer dst, boolean connected, long nanos, long start) throws IOException {
        int n;
        do {
            n = receiveOnce(dst, connected);
        } while (fd.awaitRetry(n, Poller.POLLIN, start, nanos, "Receive timed out"));
        return n;
    }

    /**
     * Receives one datagram into {@code dst} (the rest is dropped; an empty buffer drops it all): its
     * length, {@link IOStatus#UNAVAILABLE} or {@link IOStatus#INTERRUPTED}. The sender is then
     * {@link #sender()} on the same thread.
     */
    private int receiveOnce(ByteBuffer dst, boolean connected) throws IOException {
        int pos = dst.position();
        int rem = Math.max(dst.limit() - pos, 0);
        long address = NativeSocketAddress.get().address();
        if (dst.isDirect() && rem > 0) {
            IOUtil.checkAccessible(dst, pos);
            int n = (int) fd.countRead(receiveResult(Datagram.receive0(fdVal(), dst, pos, rem, address, connected)));
            if (n > 0) {
                dst.position(pos + n);
            }
            return n;
        }
        // A temporary buffer of at least one byte: recvfrom into nothing would not wait for a datagram.
        int size = Math.max(rem, 1);
        ByteBuffer tmp = TempBuffers.get(size);
        try {
            int n = (int) fd.countRead(receiveResult(Datagram.receive0(fdVal(), tmp, 0, size, address, connected)));
            if (n > 0 && rem > 0) {
                dst.put(tmp.limit(n));
            }
            return n;
        } finally {
            TempBuffers.release(tmp);
        }
    }

    /**
     * A receive's or send's native result: a count or a status, or throws as the JDK's native receive does: a
     * PortUnreachableException for the ICMP port unreachable a connected socket reports once (ECONNREFUSED), the
     * SocketException of another errno.
     */
    private static int receiveResult(int rc) throws IOException {
        if (rc == -Errno.ECONNREFUSED) {
            throw new PortUnreachableException(); // once: the kernel clears the error it reports
        }
        return (int) IOStatus.of(rc, Net::socketException);
    }

    /**
     * The sender of the datagram just received: the same object as last time if the sender is the same,
     * found by comparing the raw sockaddr, so that a steady stream from one peer allocates nothing (as the
     * JDK's sourceSocketAddress).
     */
    private InetSocketAddress sender() throws IOException {
        NativeSocketAddress sa = NativeSocketAddress.get();
        if (cachedSender != null && sa.sameAs(cachedSenderRaw)) {
            return cachedSender;
        }
        cachedSender = sa.decode();
        sa.copyTo(cachedSenderRaw);
        return cachedSender;
    }

    /**
     * A receive on an unconnected channel under a SecurityManager (JDK 17): datagrams from senders that
     * {@code checkAccept} refuses are dropped. Null in non-blocking mode when none is accepted.
     */
    @SuppressWarnings("removal")
    private SocketAddress untrustedReceive(ByteBuffer dst, boolean blocking, long nanos) throws IOException {
        SecurityManager sm = System.getSecurityManager();
        ByteBuffer tmp = ByteBuffer.allocate(dst.remaining());
        long start = ChannelFd.timerStart(nanos);
        for (;;) {
            int n = blocking ? waitAndReceive(tmp.clear(), false, nanos, start) : receiveOnce(tmp.clear(), false);
            if (n < 0 || !isOpen()) {
                return null;
            }
            InetSocketAddress isa = sender();
            try {
                if (sm != null) {
                    sm.checkAccept(isa.getAddress().getHostAddress(), isa.getPort());
                }
                dst.put(tmp.flip());
                return isa;
            } catch (SecurityException se) {
                if (!blocking) {
                    return null; // the datagram is dropped
                }
            }
        }
    }

    @Override
    public int read(ByteBuffer dst) throws IOException {
        return (int) transfer(true, Objects.requireNonNull(dst), null, 0, 0);
    }

    @Override
    public long read(ByteBuffer[] dsts, int offset, int length) throws IOException {
        return transfer(true, null, dsts, Objects.checkFromIndexSize(offset, length, dsts.length), length);
    }

    /**
     * A read ({@code reader}) or write of the connected channel: one datagram from or to {@code buf}, or
     * scattered over or gathered from {@code bufs} when that is not null; waits in blocking mode.
     */
    private long transfer(boolean reader, ByteBuffer buf, ByteBuffer[] bufs, int offset, int length) throws IOException {
        ReentrantLock lock = reader ? fd.readLock : fd.writeLock;
        lock.lock();
        try {
            if (ChannelFd.CHECK_OPEN_BEFORE_BEGIN) {
                fd.ensureOpen();
            }
            boolean blocking = isBlocking();
            long n = 0;
            try {
                beginIO(reader, blocking, true);
                n = readOrWrite(reader, blocking, buf, bufs, offset, length);
            } finally {
                fd.end(reader, blocking, n > 0);
            }
            return IOStatus.normalize(n);
        } finally {
            lock.unlock();
        }
    }

    /** A read or write of the connected channel, retried in blocking mode; under the read or write lock. */
    private long readOrWrite(boolean reader, boolean blocking, ByteBuffer buf, ByteBuffer[] bufs, int offset,
            int length) throws IOException {
        int events = reader ? Poller.POLLIN : Poller.POLLOUT;
        long n;
        do {
            n = reader ? readOnce(buf, bufs, offset, length) : writeOnce(buf, bufs, offset, length);
        } while (blocking && fd.awaitRetry(n, events));
        return n;
    }

    private long readOnce(ByteBuffer dst, ByteBuffer[] dsts, int offset, int length) throws IOException {
        return fd.countRead(dsts == null ? IOUtil.read(fdVal(), dst, Dispatch.DATAGRAM)
                : IOUtil.read(fdVal(), dsts, offset, length, Dispatch.DATAGRAM));
    }

    // -- send and write

    @Override
    public int send(ByteBuffer src, SocketAddress target) throws IOException {
        Objects.requireNonNull(src);
        InetSocketAddress isa = Net.checkAddress(target, family);
        fd.writeLock.lock();
        try {
            if (ChannelFd.CHECK_OPEN_BEFORE_BEGIN) {
                fd.ensureOpen();
            }
            boolean blocking = isBlocking();
            int n = 0;
            boolean completed = false;
            try {
                InetSocketAddress remote = beginIO(false, blocking, false);
                if (remote != null) {
                    if (!target.equals(remote)) {
                        throw new AlreadyConnectedException();
                    }
                    n = (int) readOrWrite(false, blocking, src, null, 0, 0);
                    completed = n > 0;
                } else {
                    checkPermission(isa, false);
                    isa = Net.scoped(isa);
                    if (isa.getPort() == 0) {
                        throw new SocketException("Can't send to port 0");
                    }
                    do {
                        n = sendOnce(src, isa);
                    } while (blocking && fd.awaitRetry(n, Poller.POLLOUT));
                    completed = n >= 0;
                }
            } finally {
                fd.end(false, blocking, completed);
            }
            return IOStatus.normalize(n);
        } finally {
            fd.writeLock.unlock();
        }
    }

    /**
     * The socket adaptor's send (the JDK's {@code blockingSend}): the packet's data to its address, or to the
     * peer when it has none, which then becomes the packet's address as in the JDK.
     */
    void blockingSend(DatagramPacket p) throws IOException {
        // Before JDK 19 the adaptor found the target before the channel checked its state.
        InetSocketAddress target = Adaptors.JDK_19 ? null : target(p);
        fd.writeLock.lock();
        try {
            fd.ensureOpen();
            if (!isBlocking()) {
                throw new IllegalBlockingModeException();
            }
            if (target == null) {
                target = target(p);
            }
            send(ByteBuffer.wrap(p.getData(), p.getOffset(), p.getLength()), target);
        } finally {
            fd.writeLock.unlock();
        }
    }

    private InetSocketAddress target(DatagramPacket p) {
        if (p.getAddress() != null) {
            return (InetSocketAddress) p.getSocketAddress();
        }
        InetSocketAddress remote = remoteAddress;
        if (remote == null) {
            throw new IllegalArgumentException("Address not set");
        }
        p.setAddress(remote.getAddress());
        p.setPort(remote.getPort());
        return remote;
    }

    /** Sends all of {@code src} as one datagram to {@code target}: its length or an {@link IOStatus} code. */
    private int sendOnce(ByteBuffer src, InetSocketAddress target) throws IOException {
        int pos = src.position();
        int rem = Math.max(src.limit() - pos, 0);
        NativeSocketAddress sa = NativeSocketAddress.get();
        int len = sa.encodeDestination(inet6, target);
        int n;
        if (src.isDirect()) {
            if (rem > 0) {
                IOUtil.checkAccessible(src, pos);
            }
            n = sendResult(Datagram.send(fdVal(), src, pos, rem, sa.address(), len), rem);
        } else {
            ByteBuffer tmp = TempBuffers.get(rem);
            try {
                tmp.put(0, src, pos, rem);
                n = sendResult(Datagram.send(fdVal(), tmp, 0, rem, sa.address(), len), rem);
            } finally {
                TempBuffers.release(tmp);
            }
        }
        if (n > 0) {
            src.position(pos + n);
        }
        return (int) fd.countWritten(n);
    }

    /** A PortUnreachableException of an unconnected channel counts as sent, as the JDK's. */
    private int sendResult(int rc, int rem) throws IOException {
        if (rc == -Errno.ECONNREFUSED) {
            if (isConnected()) {
                throw new PortUnreachableException();
            }
            return rem;
        }
        return receiveResult(rc);
    }

    @Override
    public int write(ByteBuffer src) throws IOException {
        return (int) transfer(false, Objects.requireNonNull(src), null, 0, 0);
    }

    @Override
    public long write(ByteBuffer[] srcs, int offset, int length) throws IOException {
        return transfer(false, null, srcs, Objects.checkFromIndexSize(offset, length, srcs.length), length);
    }

    /** A write to the peer; an empty buffer sends nothing, as the JDK's IOUtil. */
    private long writeOnce(ByteBuffer src, ByteBuffer[] srcs, int offset, int length) throws IOException {
        return fd.countWritten(srcs == null ? IOUtil.write(fdVal(), src, Dispatch.DATAGRAM)
                : IOUtil.write(fdVal(), srcs, offset, length, Dispatch.DATAGRAM));
    }


    // -- multicast

    @Override
    public MembershipKey join(InetAddress group, NetworkInterface interf) throws IOException {
        return innerJoin(group, interf, null);
    }

    @Override
    public MembershipKey join(InetAddress group, NetworkInterface interf, InetAddress source) throws IOException {
        Objects.requireNonNull(source);
        return innerJoin(group, interf, source);
    }

    private MembershipKey innerJoin(InetAddress group, NetworkInterface interf, InetAddress source) throws IOException {
        Multicast.checkJoin(family, group, source);
        Multicast.checkPermission(group);
        synchronized (fd.stateLock) {
            fd.ensureOpen();
            if (multicast == null) {
                multicast = new Multicast(this);
            }
            return multicast.join(group, interf, source);
        }
    }

    /** The membership of {@code group} on {@code interf} for all sources, or null (for the socket adaptor). */
    MembershipKey findMembership(InetAddress group, NetworkInterface interf) {
        synchronized (fd.stateLock) {
            return multicast == null ? null : multicast.checkMembership(group, interf, null);
        }
    }

    /** The state lock, which guards the memberships of {@link Multicast}. */
    Object stateLock() {
        return fd.stateLock;
    }

    /** The memberships, once a group was joined. */
    Multicast multicast() {
        synchronized (fd.stateLock) {
            return multicast;
        }
    }

    // -- close and selection (behaviours.md#async-close-wakes-a-blocked-thread,
    // behaviours.md#interrupt-closes-a-channel-in-blocking-io,
    // behaviours.md#non-blocking-close-waits-for-io-in-progress)

    @Override
    protected void implCloseSelectableChannel() throws IOException {
        synchronized (fd.stateLock) {
            if (multicast != null) {
                multicast.invalidateAll();
            }
        }
        fd.close(isBlocking());
    }

    @Override
    protected void implConfigureBlocking(boolean block) throws IOException {
        fd.configureBlocking(block);
    }

    @Override
    public ChannelFd channelFd() {
        return fd;
    }

    /** Remembers the key, whose registration {@link #recreateSocket} resets; forgets the cancelled ones. */
    @Override
    public void registered(NativeSelectionKey key) {
        synchronized (selectionKeys) {
            selectionKeys.removeIf(k -> !k.isValid());
            selectionKeys.add(key);
        }
    }
}
