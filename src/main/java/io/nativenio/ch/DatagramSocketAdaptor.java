package io.nativenio.ch;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.DatagramSocketImpl;
import java.net.InetAddress;
import java.net.InetSocketAddress;
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
import java.util.Collections;
import java.util.Map;
import java.util.Set;
import java.util.WeakHashMap;

/**
 * {@link DatagramChannelImpl#socket()}: the channel as a {@link DatagramSocket}, after the JDK's
 * {@code sun.nio.ch.DatagramSocketAdaptor} (behaviours.md#datagramsocket-adaptor). The JDK's extends MulticastSocket
 * through a private constructor; this one extends DatagramSocket through {@code DatagramSocket(DatagramSocketImpl)}
 * with a stub impl, and overrides every public method of DatagramSocket, so the stub is never used. The methods
 * are in the order of java.net.DatagramSocket.
 */
final class DatagramSocketAdaptor extends DatagramSocket {
    private final DatagramChannelImpl dc;

    private volatile int timeout; // SO_TIMEOUT of receive, in milliseconds

    /** Packets received into, weakly (DatagramPacket has identity equality); see {@link #receive}. */
    private final Map<DatagramPacket, ReceivedInto> received = Collections.synchronizedMap(new WeakHashMap<>());

    /** The buffer of a packet after a receive, the room it had and the length that receive set. */
    private record ReceivedInto(byte[] data, int offset, int room, int length) {
    }

    private DatagramSocketAdaptor(DatagramChannelImpl dc) {
        super(new StubDatagramSocketImpl());
        this.dc = dc;
    }

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

    /** SocketException("Socket closed") caused by {@code e} (SocketException(String, Throwable) is JDK 19+). */
    private static SocketException socketClosed(ClosedChannelException e) {
        SocketException se = new SocketException("Socket closed");
        se.initCause(e);
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
        if (size <= 0) {
            throw new IllegalArgumentException("Invalid send size");
        }
        Adaptors.setOption(dc, StandardSocketOptions.SO_SNDBUF, size);
    }

    @Override
    public int getSendBufferSize() throws SocketException {
        return Adaptors.getOption(dc, StandardSocketOptions.SO_SNDBUF);
    }

    @Override
    public void setReceiveBufferSize(int size) throws SocketException {
        if (size <= 0) {
            throw new IllegalArgumentException("Invalid receive size");
        }
        Adaptors.setOption(dc, StandardSocketOptions.SO_RCVBUF, size);
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

    /** Joins {@code mcastaddr} on {@code netIf}, or on the IP_MULTICAST_IF interface when that is null. */
    @Override
    public void joinGroup(SocketAddress mcastaddr, NetworkInterface netIf) throws IOException {
        InetAddress group = checkGroup(mcastaddr);
        NetworkInterface ni = netIf != null ? netIf : defaultNetworkInterface();
        if (isClosed()) {
            throw new SocketException("Socket is closed");
        }
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
        NetworkInterface ni = netIf != null ? netIf : defaultNetworkInterface();
        if (isClosed()) {
            throw new SocketException("Socket is closed");
        }
        Multicast.checkPermission(group);
        synchronized (this) {
            MembershipKey key = dc.findMembership(group, ni);
            if (key == null) {
                throw new SocketException("Not a member of group");
            }
            key.drop();
        }
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

    /**
     * The interface of joinGroup and leaveGroup without one: IP_MULTICAST_IF. Where that is not set, the JDK
     * (on Linux) uses a NetworkInterface with index 0, "any interface", which only its private constructor
     * makes; this adaptor cannot, and fails instead (reported, not yet in the README).
     */
    private NetworkInterface defaultNetworkInterface() throws SocketException {
        NetworkInterface ni = Adaptors.getOption(dc, StandardSocketOptions.IP_MULTICAST_IF);
        if (ni == null) {
            throw new SocketException("No network interface given and IP_MULTICAST_IF not set");
        }
        return ni;
    }

    /** The impl handed to DatagramSocket(DatagramSocketImpl); the adaptor overrides everything that uses it. */
    private static final class StubDatagramSocketImpl extends DatagramSocketImpl {
        private static <T> T shouldNotGetHere() {
            throw new InternalError("Should not get here");
        }

        @Override
        protected void create() {
            shouldNotGetHere();
        }

        @Override
        protected void bind(int lport, InetAddress laddr) {
            shouldNotGetHere();
        }

        @Override
        protected void send(DatagramPacket p) {
            shouldNotGetHere();
        }

        @Override
        protected int peek(InetAddress i) {
            return shouldNotGetHere();
        }

        @Override
        protected int peekData(DatagramPacket p) {
            return shouldNotGetHere();
        }

        @Override
        protected void receive(DatagramPacket p) {
            shouldNotGetHere();
        }

        @Override
        @Deprecated
        protected void setTTL(byte ttl) {
            shouldNotGetHere();
        }

        @Override
        @Deprecated
        protected byte getTTL() {
            return shouldNotGetHere();
        }

        @Override
        protected void setTimeToLive(int ttl) {
            shouldNotGetHere();
        }

        @Override
        protected int getTimeToLive() {
            return shouldNotGetHere();
        }

        @Override
        protected void join(InetAddress inetaddr) {
            shouldNotGetHere();
        }

        @Override
        protected void leave(InetAddress inetaddr) {
            shouldNotGetHere();
        }

        @Override
        protected void joinGroup(SocketAddress mcastaddr, NetworkInterface netIf) {
            shouldNotGetHere();
        }

        @Override
        protected void leaveGroup(SocketAddress mcastaddr, NetworkInterface netIf) {
            shouldNotGetHere();
        }

        @Override
        protected void close() {
            shouldNotGetHere();
        }

        @Override
        public void setOption(int optID, Object value) {
            shouldNotGetHere();
        }

        @Override
        public Object getOption(int optID) {
            return shouldNotGetHere();
        }
    }
}
