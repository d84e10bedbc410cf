package io.nativenio.ch;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.MulticastSocket;
import java.net.NetworkInterface;
import java.net.SocketAddress;
import java.net.SocketException;
import java.net.SocketOption;
import java.net.StandardSocketOptions;
import java.nio.channels.AlreadyConnectedException;
import java.nio.channels.ClosedByInterruptException;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.DatagramChannel;
import java.nio.channels.MembershipKey;
import java.nio.channels.UnsupportedAddressTypeException;
import java.security.AccessController;
import java.security.PrivilegedAction;
import java.util.Collections;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.WeakHashMap;
import java.util.concurrent.locks.ReentrantLock;

/**
 * {@link DatagramChannelImpl#socket()}: the channel as a {@link MulticastSocket}, after the JDK's
 * {@code sun.nio.ch.DatagramSocketAdaptor} (behaviours.md#datagramsocket-adaptor), which extends MulticastSocket too.
 * The JDK's reaches a private constructor that makes no socket; the public {@code MulticastSocket(SocketAddress)}
 * used here opens an unbound JDK socket as the superclass's delegate, which the constructor closes at once: every
 * public method of DatagramSocket and MulticastSocket is overridden to act on the channel, so the delegate is never
 * used again. The methods are in the order of java.net.DatagramSocket, then java.net.MulticastSocket.
 */
final class DatagramSocketAdaptor extends MulticastSocket {
    /**
     * From JDK 24 getInterface returns null for an IP_MULTICAST_IF interface without addresses; before, it throws
     * SocketException("Network interface has no IP address") (the Security Manager's removal rewrote it; JDK 24
     * itself not checked).
     */
    private static final boolean INTERFACE_WITHOUT_ADDRESS_IS_NULL = Runtime.version().feature() >= 24;

    /**
     * From JDK 25 setInterface's message for an address no interface has names the address only when
     * jdk.includeInExceptions allows it (the JDK's {@code Exceptions.formatMsg}).
     */
    private static final boolean FILTERED_INTERFACE_MESSAGE = Runtime.version().feature() >= 25;

    private final DatagramChannelImpl dc;

    /**
     * "Any interface": the NetworkInterface with index 0 that the JDK's adaptor gives for an unset IP_MULTICAST_IF and
     * joins on when none is given. Only a private NetworkInterface constructor makes one, so it is the superclass's
     * delegate's (a JDK adaptor with IP_MULTICAST_IF unset), taken before that is closed.
     */
    private final NetworkInterface anyInterface;

    private volatile int timeout; // SO_TIMEOUT of receive, in milliseconds

    /** Packets received into, weakly (DatagramPacket has identity equality); see {@link #receive}. */
    private final Map<DatagramPacket, ReceivedInto> received = Collections.synchronizedMap(new WeakHashMap<>());

    /** The buffer of a packet after a receive, the room it had and the length that receive set. */
    private record ReceivedInto(byte[] data, int offset, int room, int length) {
    }

    /** Held while the TTL is read or changed, so that send(p, ttl) puts it back before anyone sees it. */
    private final ReentrantLock sendLock = new ReentrantLock();

    /** The interface of the last setInterface or getInterface and the address it gave, as the JDK caches them. */
    private final Object outgoingInterfaceLock = new Object();
    private NetworkInterface outgoingNetworkInterface; // guarded by outgoingInterfaceLock
    private InetAddress outgoingInetAddress; // guarded by outgoingInterfaceLock

    private DatagramSocketAdaptor(DatagramChannelImpl dc) throws IOException {
        super((SocketAddress) null);
        try {
            anyInterface = super.getNetworkInterface();
        } finally {
            super.close(); // the delegate's socket: the fd count is as before this constructor
        }
        this.dc = dc;
    }

    /**
     * The adaptor; an UncheckedIOException when the superclass cannot open its delegate's socket (no fd left,
     * docs/differences.md#the-datagramsocket-adaptor-opens-a-socket-for-a-moment).
     */
    static DatagramSocket create(DatagramChannelImpl dc) {
        return Adaptors.create(() -> new DatagramSocketAdaptor(dc));
    }

    /** As the JDK's Net.asInetSocketAddress: no translation to SocketException. */
    private static InetSocketAddress asInet(SocketAddress sa) {
        if (!(sa instanceof InetSocketAddress)) {
            throw new UnsupportedAddressTypeException();
        }
        return (InetSocketAddress) sa;
    }

    @Override
    public void bind(SocketAddress local) throws SocketException {
        SocketAddress isa = local == null ? new InetSocketAddress(0) : asInet(local);
        try {
            dc.bind(isa);
        } catch (Exception x) {
            throw Net.translateToSocketException(x);
        }
    }

    @Override
    public void connect(InetAddress address, int port) {
        if (address == null) {
            throw new IllegalArgumentException("Address can't be null");
        }
        try {
            connectInternal(new InetSocketAddress(address, port));
        } catch (SocketException x) {
            throw new UncheckedIOException(x);
        }
    }

    @Override
    public void connect(SocketAddress remote) throws SocketException {
        if (remote == null) {
            throw new IllegalArgumentException("Address can't be null");
        }
        connectInternal(asInet(remote));
    }

    /** Connects, or connects again to another peer; does nothing when closed (as the JDK's). */
    private void connectInternal(SocketAddress remote) throws SocketException {
        try {
            dc.connect(remote, false);
        } catch (ClosedChannelException e) {
            // ignored, as the JDK's
        } catch (Exception x) {
            throw Net.translateToSocketException(x);
        }
    }

    @Override
    public void disconnect() {
        try {
            dc.disconnect();
        } catch (IOException x) {
            throw new UncheckedIOException(x);
        }
    }

    @Override
    public boolean isBound() {
        return dc.localAddress() != null;
    }

    @Override
    public boolean isConnected() {
        return dc.remoteAddress() != null;
    }

    @Override
    public InetAddress getInetAddress() {
        InetSocketAddress remote = dc.remoteAddress();
        return remote == null ? null : remote.getAddress();
    }

    @Override
    public int getPort() {
        InetSocketAddress remote = dc.remoteAddress();
        return remote == null ? -1 : remote.getPort();
    }

    @Override
    public SocketAddress getRemoteSocketAddress() {
        return dc.remoteAddress();
    }

    @Override
    public SocketAddress getLocalSocketAddress() {
        InetSocketAddress local = dc.localAddress();
        if (local == null || isClosed()) {
            return null;
        }
        return revealed(local.getAddress()) ? local : new InetSocketAddress(local.getPort());
    }

    /**
     * Sends the packet's data, to its address or else to the peer. The packet's monitor is held, as the JDK's
     * DatagramSocket does, so that no other thread changes it meanwhile.
     */
    @Override
    public void send(DatagramPacket p) throws IOException {
        try {
            synchronized (p) {
                dc.blockingSend(p);
            }
        } catch (AlreadyConnectedException e) {
            throw new IllegalArgumentException("Connected and packet address differ");
        } catch (ClosedChannelException e) {
            throw socketClosed(e);
        }
    }

    /**
     * Receives into the packet's buffer; SO_TIMEOUT bounds the wait. The JDK receives up to the packet's
     * private buffer length, which setLength and setData change but receiving does not; a third party cannot
     * read it, and our receive has to call setLength, which changes it. So this adaptor remembers, per
     * packet, the length it received up to and the length it set: a packet that comes back with that length
     * and the same buffer gets the same room again, as on the JDK; any other length counts as set by the caller.
     */
    @Override
    public void receive(DatagramPacket p) throws IOException {
        try {
            if (Adaptors.RECEIVE_HOLDS_PACKET) {
                synchronized (p) {
                    int room = room(p);
                    dc.blockingReceive(p, room, Adaptors.nanos(timeout));
                    received.put(p, new ReceivedInto(p.getData(), p.getOffset(), room, p.getLength()));
                }
            } else {
                receiveWithoutHoldingThePacket(p);
            }
        } catch (ClosedByInterruptException e) {
            if (Adaptors.JDK_19) {
                throw e;
            }
            throw socketClosed(e);
        } catch (ClosedChannelException e) {
            throw socketClosed(e);
        }
    }

    /** The bytes a receive into {@code p} may fill: see {@link #receive}. The caller holds p's monitor. */
    private int room(DatagramPacket p) {
        ReceivedInto last = received.get(p);
        return last != null && last.data == p.getData() && last.offset == p.getOffset()
                && last.length == p.getLength() ? last.room : p.getLength();
    }

    /**
     * Up to JDK 23 the JDK's adaptor waits without the packet's monitor: it receives into a buffer of the
     * packet's room, then copies into the buffer the packet has when the datagram arrives, as much as that one
     * takes. So another thread's setData or setLength does not wait for the datagram, and a virtual thread that
     * waits here does not pin its carrier.
     */
    private void receiveWithoutHoldingThePacket(DatagramPacket p) throws IOException {
        int room;
        synchronized (p) {
            room = room(p);
        }
        DatagramPacket scratch = new DatagramPacket(new byte[room], room);
        dc.blockingReceive(scratch, room, Adaptors.nanos(timeout));
        synchronized (p) {
            int now = room(p);
            int length = Math.min(scratch.getLength(), now);
            System.arraycopy(scratch.getData(), 0, p.getData(), p.getOffset(), length);
            p.setLength(length);
            p.setSocketAddress(scratch.getSocketAddress());
            received.put(p, new ReceivedInto(p.getData(), p.getOffset(), now, length));
        }
    }

    private static SocketException socketClosed(ClosedChannelException e) {
        return withCause(new SocketException("Socket closed"), e);
    }

    /** {@code se} caused by {@code cause} (SocketException(String, Throwable) is JDK 19+). */
    private static SocketException withCause(SocketException se, Throwable cause) {
        se.initCause(cause);
        return se;
    }

    @Override
    public InetAddress getLocalAddress() {
        if (isClosed()) {
            return null;
        }
        InetSocketAddress local = dc.localAddress();
        InetAddress address = local == null ? null : local.getAddress();
        return address != null && revealed(address) ? address : new InetSocketAddress(0).getAddress();
    }

    /**
     * Whether the local address may be revealed: on JDK 17, not under a SecurityManager that denies
     * {@code checkConnect(host, -1)}, when the adaptor gives the wildcard address instead. A wildcard is never
     * hidden.
     */
    @SuppressWarnings("removal")
    private static boolean revealed(InetAddress address) {
        SecurityManager sm = System.getSecurityManager();
        if (sm != null && !address.isAnyLocalAddress()) {
            try {
                sm.checkConnect(address.getHostAddress(), -1);
            } catch (SecurityException e) {
                return false;
            }
        }
        return true;
    }

    @Override
    public int getLocalPort() {
        if (isClosed()) {
            return -1;
        }
        InetSocketAddress local = dc.localAddress();
        return local == null ? 0 : local.getPort();
    }

    @Override
    public void setSoTimeout(int timeout) throws SocketException {
        this.timeout = Adaptors.checkSoTimeout(dc, timeout);
    }

    @Override
    public int getSoTimeout() throws SocketException {
        return Adaptors.checkSoTimeout(dc, timeout);
    }

    @Override
    public void setSendBufferSize(int size) throws SocketException {
        Adaptors.setBufferSize(dc, StandardSocketOptions.SO_SNDBUF, size);
    }

    @Override
    public int getSendBufferSize() throws SocketException {
        return Adaptors.getOption(dc, StandardSocketOptions.SO_SNDBUF);
    }

    @Override
    public void setReceiveBufferSize(int size) throws SocketException {
        Adaptors.setBufferSize(dc, StandardSocketOptions.SO_RCVBUF, size);
    }

    @Override
    public int getReceiveBufferSize() throws SocketException {
        return Adaptors.getOption(dc, StandardSocketOptions.SO_RCVBUF);
    }

    @Override
    public void setReuseAddress(boolean on) throws SocketException {
        Adaptors.setOption(dc, StandardSocketOptions.SO_REUSEADDR, on);
    }

    @Override
    public boolean getReuseAddress() throws SocketException {
        return Adaptors.getOption(dc, StandardSocketOptions.SO_REUSEADDR);
    }

    @Override
    public void setBroadcast(boolean on) throws SocketException {
        Adaptors.setOption(dc, StandardSocketOptions.SO_BROADCAST, on);
    }

    @Override
    public boolean getBroadcast() throws SocketException {
        return Adaptors.getOption(dc, StandardSocketOptions.SO_BROADCAST);
    }

    @Override
    public void setTrafficClass(int tc) throws SocketException {
        Adaptors.setOption(dc, StandardSocketOptions.IP_TOS, tc);
    }

    @Override
    public int getTrafficClass() throws SocketException {
        return Adaptors.getOption(dc, StandardSocketOptions.IP_TOS);
    }

    @Override
    public void close() {
        try {
            dc.close();
        } catch (IOException x) {
            throw new Error(x);
        }
    }

    @Override
    public boolean isClosed() {
        return !dc.isOpen();
    }

    @Override
    public DatagramChannel getChannel() {
        return dc;
    }

    @Override
    public <T> DatagramSocket setOption(SocketOption<T> name, T value) throws IOException {
        dc.setOption(name, value);
        return this;
    }

    @Override
    public <T> T getOption(SocketOption<T> name) throws IOException {
        return dc.getOption(name);
    }

    @Override
    public Set<SocketOption<?>> supportedOptions() {
        return dc.supportedOptions();
    }

    /**
     * Joins {@code mcastaddr} on {@code netIf}; when that is null, on the IP_MULTICAST_IF interface, else on "any
     * interface" (index 0), for which the kernel picks one (on macOS the JDK first tries its private
     * NetworkInterface.getDefault: docs/differences.md).
     */
    @Override
    public void joinGroup(SocketAddress mcastaddr, NetworkInterface netIf) throws IOException {
        InetAddress group = checkGroup(mcastaddr);
        NetworkInterface ni = groupInterface(netIf);
        synchronized (this) {
            if (dc.findMembership(group, ni) != null) {
                Multicast.checkPermission(group);
                throw new SocketException("Already a member of group");
            }
            dc.join(group, ni);
        }
    }

    @Override
    public void leaveGroup(SocketAddress mcastaddr, NetworkInterface netIf) throws IOException {
        InetAddress group = checkGroup(mcastaddr);
        NetworkInterface ni = groupInterface(netIf);
        Multicast.checkPermission(group);
        synchronized (this) {
            MembershipKey key = dc.findMembership(group, ni);
            if (key == null) {
                throw new SocketException("Not a member of group");
            }
            key.drop();
        }
    }

    /** The interface of joinGroup and leaveGroup: {@code netIf}, else as getNetworkInterface; the socket is open. */
    private NetworkInterface groupInterface(NetworkInterface netIf) throws SocketException {
        NetworkInterface ni = netIf != null ? netIf : getNetworkInterface();
        if (isClosed()) {
            throw new SocketException("Socket is closed");
        }
        return ni;
    }

    /** The group of joinGroup and leaveGroup, with the JDK's checks and messages. */
    private static InetAddress checkGroup(SocketAddress mcastaddr) throws SocketException {
        if (!(mcastaddr instanceof InetSocketAddress)) {
            throw new IllegalArgumentException("Unsupported address type");
        }
        InetAddress group = ((InetSocketAddress) mcastaddr).getAddress();
        if (group == null) {
            throw new IllegalArgumentException("Unresolved address");
        }
        if (!group.isMulticastAddress()) {
            throw new SocketException("Not a multicast address");
        }
        return group;
    }

    // -- java.net.MulticastSocket

    @Override
    @Deprecated
    public void setTTL(byte ttl) throws IOException {
        setTimeToLive(Byte.toUnsignedInt(ttl));
    }

    @Override
    public void setTimeToLive(int ttl) throws IOException {
        sendLock.lock();
        try {
            Adaptors.setOption(dc, StandardSocketOptions.IP_MULTICAST_TTL, ttl);
        } finally {
            sendLock.unlock();
        }
    }

    @Override
    @Deprecated
    public byte getTTL() throws IOException {
        return (byte) getTimeToLive();
    }

    @Override
    public int getTimeToLive() throws IOException {
        sendLock.lock();
        try {
            return Adaptors.getOption(dc, StandardSocketOptions.IP_MULTICAST_TTL);
        } finally {
            sendLock.unlock();
        }
    }

    /** joinGroup(SocketAddress, null); an IllegalArgumentException, which this method does not specify, is wrapped. */
    @Override
    @Deprecated
    public void joinGroup(InetAddress group) throws IOException {
        changeMembership(group, true);
    }

    /** leaveGroup(SocketAddress, null); an IllegalArgumentException, which this method does not specify, is wrapped. */
    @Override
    @Deprecated
    public void leaveGroup(InetAddress group) throws IOException {
        changeMembership(group, false);
    }

    private void changeMembership(InetAddress group, boolean join) throws IOException {
        SocketAddress mcastaddr = new InetSocketAddress(Objects.requireNonNull(group), 0);
        try {
            if (join) {
                joinGroup(mcastaddr, null);
            } else {
                leaveGroup(mcastaddr, null);
            }
        } catch (IllegalArgumentException e) {
            throw withCause(new SocketException(join ? "joinGroup failed" : "leaveGroup failed"), e);
        }
    }

    /** Sets the interface that has {@code inf} as IP_MULTICAST_IF, and remembers {@code inf} for getInterface. */
    @Override
    @Deprecated
    public void setInterface(InetAddress inf) throws SocketException {
        if (inf == null) {
            throw new SocketException("Invalid value 'null'");
        }
        NetworkInterface ni = NetworkInterface.getByInetAddress(inf);
        if (ni == null) {
            throw new SocketException(noInterfaceMessage(inf.getHostAddress()));
        }
        synchronized (outgoingInterfaceLock) {
            setNetworkInterface(ni);
            outgoingNetworkInterface = ni;
            outgoingInetAddress = inf;
        }
    }

    private static String noInterfaceMessage(String address) {
        if (!FILTERED_INTERFACE_MESSAGE) {
            return "No network interface with address " + address;
        }
        return "No network interface found with address" + (Net.HOST_INFO_IN_OTHER_EXCEPTIONS ? " " + address : "");
    }

    /**
     * The address of setInterface while IP_MULTICAST_IF is still its interface; else the first address of the
     * IP_MULTICAST_IF interface; the wildcard address when none is set.
     */
    @Override
    @Deprecated
    public InetAddress getInterface() throws SocketException {
        synchronized (outgoingInterfaceLock) {
            NetworkInterface ni = Adaptors.getOption(dc, StandardSocketOptions.IP_MULTICAST_IF);
            if (ni != null) {
                if (!ni.equals(outgoingNetworkInterface)) {
                    InetAddress ia = firstAddress(ni);
                    if (ia == null && !INTERFACE_WITHOUT_ADDRESS_IS_NULL) {
                        throw new SocketException("Network interface has no IP address");
                    }
                    outgoingNetworkInterface = ni;
                    outgoingInetAddress = ia;
                }
                return outgoingInetAddress;
            }
        }
        return new InetSocketAddress(0).getAddress();
    }

    /** Its first address, or null; with the provider's permissions (on JDK 17 a SecurityManager hides addresses). */
    @SuppressWarnings("removal")
    private static InetAddress firstAddress(NetworkInterface ni) {
        return AccessController.doPrivileged(
                (PrivilegedAction<InetAddress>) () -> ni.inetAddresses().findFirst().orElse(null));
    }

    @Override
    public void setNetworkInterface(NetworkInterface netIf) throws SocketException {
        Adaptors.setOption(dc, StandardSocketOptions.IP_MULTICAST_IF, netIf);
    }

    /** IP_MULTICAST_IF, or "any interface" (index 0) when it is not set. */
    @Override
    public NetworkInterface getNetworkInterface() throws SocketException {
        NetworkInterface ni = Adaptors.getOption(dc, StandardSocketOptions.IP_MULTICAST_IF);
        return ni != null ? ni : anyInterface;
    }

    /** {@code disable}: true turns IP_MULTICAST_LOOP off. */
    @Override
    @Deprecated
    public void setLoopbackMode(boolean disable) throws SocketException {
        Adaptors.setOption(dc, StandardSocketOptions.IP_MULTICAST_LOOP, !disable);
    }

    @Override
    @Deprecated
    public boolean getLoopbackMode() throws SocketException {
        return !Adaptors.getOption(dc, StandardSocketOptions.IP_MULTICAST_LOOP);
    }

    /** Sends with IP_MULTICAST_TTL {@code ttl}, then puts the TTL back; no other TTL change comes between. */
    @Override
    @Deprecated
    public void send(DatagramPacket p, byte ttl) throws IOException {
        sendLock.lock();
        try {
            int oldValue = getTimeToLive();
            try {
                setTTL(ttl);
                send(p);
            } finally {
                setTimeToLive(oldValue);
            }
        } finally {
            sendLock.unlock();
        }
    }
}
