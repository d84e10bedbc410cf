package io.nativenio.ch;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketException;
import java.net.UnknownHostException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * One {@code struct sockaddr_in} or {@code sockaddr_in6} in native memory, per thread, laid out with the sizes and
 * offsets native/common/net.c reports (never hard-coded in Java: docs/architecture.md#the-native-layer). A socket call encodes
 * its address here, or the kernel stores one here that is then decoded, on the same thread, with no call in between.
 */
final class NativeSocketAddress {
    /** The bytes this holds: room for the larger of sockaddr_in and sockaddr_in6. */
    static final int SIZE = Math.max(Net.SOCKADDR_IN6_SIZE, Net.SOCKADDR_IN_SIZE);

    private static final ThreadLocal<NativeSocketAddress> CACHE = ThreadLocal.withInitial(NativeSocketAddress::new);

    private final ByteBuffer buf;
    private final long address;

    private NativeSocketAddress() {
        buf = ByteBuffer.allocateDirect(SIZE).order(ByteOrder.nativeOrder());
        address = IO.address(buf);
    }

    static NativeSocketAddress get() {
        return CACHE.get();
    }

    long address() {
        return address;
    }

    /**
     * Stores {@code isa} as a sockaddr_in6 when {@code inet6}, else as a sockaddr_in; returns the length to
     * pass to the kernel. On an IPv6 socket an IPv4 address becomes IPv4-mapped, except the IPv4 wildcard,
     * which becomes the IPv6 wildcard, as in the JDK's {@code NET_InetAddressToSockaddr}: so
     * {@code bind(new InetSocketAddress(port))} listens on both families.
     */
    int encode(boolean inet6, InetSocketAddress isa) {
        return encode(inet6, isa, true);
    }

    /**
     * Stores the destination of a datagram as {@link #encode(boolean, InetSocketAddress)} does, except that
     * on an IPv6 socket every IPv4 address becomes IPv4-mapped, the wildcard too, as the JDK's
     * {@code sun.nio.ch.NativeSocketAddress.encode} does for {@code DatagramChannel.send}: a datagram sent to
     * 0.0.0.0 then reaches the local host over IPv4, from 127.0.0.1.
     */
    int encodeDestination(boolean inet6, InetSocketAddress isa) {
        return encode(inet6, isa, false);
    }

    private int encode(boolean inet6, InetSocketAddress isa, boolean ipv4WildcardAsIpv6Wildcard) {
        for (int i = 0; i < buf.capacity(); i++) {
            buf.put(i, (byte) 0);
        }
        InetAddress ia = isa.getAddress();
        byte[] bytes = ia.getAddress();
        if (inet6) {
            putFamily(Net.SIN6_FAMILY, Net.AF_INET6);
            putPort(Net.SIN6_PORT, isa.getPort());
            if (bytes.length == 4) {
                if (!ipv4WildcardAsIpv6Wildcard || !ia.isAnyLocalAddress()) {
                    buf.put(Net.SIN6_ADDR + 10, (byte) 0xff).put(Net.SIN6_ADDR + 11, (byte) 0xff);
                    buf.put(Net.SIN6_ADDR + 12, bytes);
                }
            } else {
                buf.put(Net.SIN6_ADDR, bytes);
                buf.putInt(Net.SIN6_SCOPE_ID, ((Inet6Address) ia).getScopeId());
            }
            return Net.SOCKADDR_IN6_SIZE;
        }
        putFamily(Net.SIN_FAMILY, Net.AF_INET);
        putPort(Net.SIN_PORT, isa.getPort());
        buf.put(Net.SIN_ADDR, bytes);
        return Net.SOCKADDR_IN_SIZE;
    }

    /**
     * The address stored by the kernel. An IPv4-mapped IPv6 address becomes an Inet4Address, as the JDK's
     * {@code NET_SockaddrToInetAddress} does.
     */
    InetSocketAddress decode() throws SocketException {
        int family = Net.SA_FAMILY_SIZE == 2 ? buf.getShort(Net.SIN_FAMILY) & 0xffff : buf.get(Net.SIN_FAMILY) & 0xff;
        try {
            if (family == Net.AF_INET) {
                byte[] bytes = new byte[4];
                buf.get(Net.SIN_ADDR, bytes);
                return new InetSocketAddress(InetAddress.getByAddress(bytes), getPort(Net.SIN_PORT));
            }
            if (family == Net.AF_INET6) {
                byte[] bytes = new byte[16];
                buf.get(Net.SIN6_ADDR, bytes);
                int port = getPort(Net.SIN6_PORT);
                if (isIPv4Mapped(bytes)) {
                    byte[] v4 = {bytes[12], bytes[13], bytes[14], bytes[15]};
                    return new InetSocketAddress(InetAddress.getByAddress(v4), port);
                }
                int scope = buf.getInt(Net.SIN6_SCOPE_ID);
                InetAddress ia = scope == 0 ? InetAddress.getByAddress(bytes) : Inet6Address.getByAddress(null, bytes, scope);
                return new InetSocketAddress(ia, port);
            }
        } catch (UnknownHostException e) {
            throw new AssertionError(e); // only thrown for a byte array of the wrong length
        }
        throw new SocketException("Protocol family unavailable");
    }

    /** Whether this holds exactly the {@link #SIZE} bytes of {@code raw} (the kernel zeroes what it does not use). */
    boolean sameAs(byte[] raw) {
        for (int i = 0; i < SIZE; i++) {
            if (buf.get(i) != raw[i]) {
                return false;
            }
        }
        return true;
    }

    void copyTo(byte[] raw) {
        buf.get(0, raw, 0, SIZE);
    }

    private static boolean isIPv4Mapped(byte[] a) {
        for (int i = 0; i < 10; i++) {
            if (a[i] != 0) {
                return false;
            }
        }
        return (a[10] & 0xff) == 0xff && (a[11] & 0xff) == 0xff;
    }

    private void putFamily(int offset, int family) {
        if (Net.SA_FAMILY_SIZE == 2) {
            buf.putShort(offset, (short) family);
        } else {
            buf.put(offset, (byte) family);
        }
    }

    /** Ports are in network byte order. */
    private void putPort(int offset, int port) {
        buf.put(offset, (byte) (port >> 8)).put(offset + 1, (byte) port);
    }

    private int getPort(int offset) {
        return (buf.get(offset) & 0xff) << 8 | (buf.get(offset + 1) & 0xff);
    }
}
