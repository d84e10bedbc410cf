package io.nativenio.ch;

/**
 * Where the JDK's channels behave differently on Linux and on macOS and FreeBSD, decided once from the platform the
 * native library is built for, as the JDK keeps these rules in its linux and macosx (BSD) sources. Option numbers
 * and the native side of each difference come from native/common/platform.h; an option a platform lacks has the
 * number -1 there and is not offered (see {@link SocketOptions}).
 */
final class Platform {
    /** Linux; otherwise macOS or FreeBSD, which share the JDK's BSD rules (its {@code _ALLBSD_SOURCE}). */
    static final boolean LINUX = NativeLibrary.platform().startsWith("linux-");
    static final boolean MACOS = NativeLibrary.platform().startsWith("macos-");

    /**
     * Linux reports twice the SO_SNDBUF or SO_RCVBUF it was given (room for its own bookkeeping): the JDK's
     * {@code NET_GetSockOpt} halves what it reads there, and only there.
     */
    static final boolean HALVES_BUFFER_SIZES = LINUX;

    /**
     * A dual-stack socket also takes the IPv4 variant of an IP-level option it is given (IP_TOS, the multicast
     * ones), best effort: Linux applies only that one to IPv4 traffic. The JDK's
     * {@code Net.shouldSetBothIPv4AndIPv6Options} is true on Linux only.
     */
    static final boolean SETS_BOTH_IP_OPTIONS = LINUX;

    /**
     * SO_REUSEADDR on a UDP socket also sets SO_REUSEPORT, best effort, so that several sockets can bind the
     * same port as on Linux: the JDK's {@code NET_SetSockOpt} on BSD.
     */
    static final boolean DATAGRAM_REUSE_ADDRESS_SETS_REUSE_PORT = !LINUX;

    /** An IPv6 socket can join an IPv4 multicast group: the JDK's {@code Net.canIPv6SocketJoinIPv4Group}. */
    static final boolean IPV6_SOCKET_JOINS_IPV4_GROUPS = LINUX || MACOS;

    /**
     * An IPv6 socket joins an IPv4 group with the IPv6 requests and the IPv4-mapped group address, not the IPv4
     * requests: the JDK's {@code Net.canJoin6WithIPv4Group}, true on macOS.
     */
    static final boolean JOINS_IPV4_GROUPS_AS_IPV6 = MACOS;

    private Platform() {
    }
}
