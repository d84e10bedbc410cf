package io.nativenio.ch;

import java.nio.ByteBuffer;

/**
 * JNI facade of native/common/datagram.c: sendto, recvfrom, disconnect and the multicast calls of UDP sockets,
 * failures returned as {@code -errno} (behaviours.md#datagrams). Buffers are direct ByteBuffers with a position
 * and a length, checked against the capacity on the native side; socket addresses are the calling thread's
 * {@link NativeSocketAddress}. IPv4 addresses are ints in host byte order, IPv6 ones 16-byte arrays.
 */
final class Datagram {
    static {
        NativeLibrary.loadOrThrowError();
    }

    static final int ECONNREFUSED = constant(0);
    static final int IP_MULTICAST_TTL = constant(1);
    static final int IP_MULTICAST_LOOP = constant(2);
    static final int IPV6_MULTICAST_IF = constant(3);
    static final int IPV6_MULTICAST_HOPS = constant(4);
    static final int IPV6_MULTICAST_LOOP = constant(5);
    static final int IP_MTU_DISCOVER = constant(6);
    static final int IPV6_MTU_DISCOVER = constant(7);
    static final int IP_PMTUDISC_DO = constant(8);
    static final int IP_PMTUDISC_DONT = constant(9);
    static final int ENOPROTOOPT = constant(10);
    static final int EOPNOTSUPP = constant(11);

    /** Operations of {@link #group6}. */
    static final int JOIN = 0;
    static final int LEAVE = 1;
    static final int BLOCK = 2;
    static final int UNBLOCK = 3;

    private Datagram() {
    }

    /** sendto(2) of {@code buf[pos, pos + len)} to the sockaddr at {@code address}: bytes sent or -errno. */
    static native int send0(int fd, ByteBuffer buf, int pos, int len, long address, int addressLength);

    /**
     * recvfrom(2) into {@code buf[pos, pos + len)}, the sender stored at {@code address}: the datagram's
     * length, truncated to {@code len}, or -errno. ECONNREFUSED is retried unless {@code connected}.
     */
    static native int receive0(int fd, ByteBuffer buf, int pos, int len, long address, boolean connected);

    /** connect(2) to AF_UNSPEC. */
    static native int disconnect0(int fd, boolean inet6);

    static native int setInterface4(int fd, int interf);

    /** The IPv4 multicast interface's address in the low 32 bits, or -errno in the high 32 bits. */
    static native long getInterface40(int fd);

    /** Joins ({@code join} true) or leaves an IPv4 group; {@code source} 0 means any source. */
    static native int join4(boolean join, int fd, int group, int interf, int source);

    static native int block4(boolean block, int fd, int group, int interf, int source);

    /** {@link #JOIN}, {@link #LEAVE}, {@link #BLOCK} or {@link #UNBLOCK} for an IPv6 group on interface {@code index}. */
    static native int group6(int op, int fd, byte[] group, int index, byte[] source);

    private static native int constant(int which);
}
