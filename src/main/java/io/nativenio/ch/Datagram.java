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

    static final int IP_MULTICAST_TTL = ipMulticastTtl();
    static final int IP_MULTICAST_LOOP = ipMulticastLoop();
    static final int IPV6_MULTICAST_IF = ipv6MulticastIf();
    static final int IPV6_MULTICAST_HOPS = ipv6MulticastHops();
    static final int IPV6_MULTICAST_LOOP = ipv6MulticastLoop();

    /**
     * jdk.net.ExtendedSocketOptions.IP_DONTFRAGMENT: the option of an IPv4 and of an IPv6 socket, set to
     * {@code DONTFRAG_ON} or {@code DONTFRAG_OFF}; IP_MTU_DISCOVER with IP_PMTUDISC_DO and _DONT on Linux,
     * IP_DONTFRAG with 1 and 0 on macOS and FreeBSD, as the JDK's LinuxSocketOptions and MacOSXSocketOptions.
     */
    static final int IP_DONTFRAG = ipDontfrag();
    static final int IPV6_DONTFRAG = ipv6Dontfrag();
    static final int DONTFRAG_ON = dontfragOn();
    static final int DONTFRAG_OFF = dontfragOff();

    /** Operations of {@link #group6}. */
    static final int JOIN = 0;
    static final int LEAVE = 1;
    static final int BLOCK = 2;
    static final int UNBLOCK = 3;

    private Datagram() {
    }

    /** sendto(2) of {@code buf[pos, pos + len)} to the sockaddr at {@code address}: bytes sent or -errno. */
    static native int send(int fd, ByteBuffer buf, int pos, int len, long address, int addressLength);

    /**
     * recvfrom(2) into {@code buf[pos, pos + len)}, the sender stored at {@code address}: the datagram's
     * length, truncated to {@code len}, or -errno. ECONNREFUSED is retried unless {@code connected}. Named as the
     * JDK's native receive: the tests that wait for a thread to block in a receive look for that frame on both
     * providers.
     */
    static native int receive0(int fd, ByteBuffer buf, int pos, int len, long address, boolean connected);

    /** Dissolves the association: connect(2) to AF_UNSPEC on Linux, to the family's zero address on BSD. */
    static native int disconnect(int fd, boolean inet6);

    /**
     * Puts socket {@code newfd}, given {@code fd}'s blocking mode, in the place of {@code fd} with dup2: the fd
     * number stays, the old socket is gone; the caller still closes {@code newfd}. 0 or -errno.
     */
    static native int replace(int newfd, int fd);

    static native int setInterface4(int fd, int interf);

    /** The IPv4 multicast interface's address in the low 32 bits, or -errno in the high 32 bits. */
    static native long getInterface4(int fd);

    /** Joins ({@code join} true) or leaves an IPv4 group; {@code source} 0 means any source. */
    static native int join4(boolean join, int fd, int group, int interf, int source);

    static native int block4(boolean block, int fd, int group, int interf, int source);

    /** {@link #JOIN}, {@link #LEAVE}, {@link #BLOCK} or {@link #UNBLOCK} for an IPv6 group on interface {@code index}. */
    static native int group6(int op, int fd, byte[] group, int index, byte[] source);

    private static native int ipMulticastTtl();

    private static native int ipMulticastLoop();

    private static native int ipv6MulticastIf();

    private static native int ipv6MulticastHops();

    private static native int ipv6MulticastLoop();

    private static native int ipDontfrag();

    private static native int ipv6Dontfrag();

    private static native int dontfragOn();

    private static native int dontfragOff();
}
