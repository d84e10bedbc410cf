package io.nativenio.ch;

import java.io.IOException;
import java.net.SocketException;
import java.net.SocketOption;
import java.net.StandardSocketOptions;
import java.util.Collections;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * The socket options of TCP channels, after the JDK's {@code Net.setSocketOption}, {@code SocketOptionRegistry} and the
 * {@code jdk.net} extended options (behaviours.md#socket-options). Channels check that the option is supported, the
 * value's type and that they are open; this class validates values, maps each option to its level and name, and applies
 * the conversions of the JDK's {@code NET_SetSockOpt} and {@code NET_GetSockOpt} of the {@link Platform}. An extended
 * option is offered where the platform has it (its number is not -1) and a fresh socket takes it, as the JDK's
 * {@code jdk.net} does: TCP_QUICKACK and SO_INCOMING_NAPI_ID on Linux only, the keep-alive options everywhere.
 */
final class SocketOptions {
    /** The socket adaptor's SO_OOBINLINE; the JDK's is internal ({@code sun.nio.ch.ExtendedSocketOption}). */
    static final SocketOption<Boolean> SO_OOBINLINE = new Named<>("SO_OOBINLINE", Boolean.class);

    /** Level and name of every option, by identity; the extended ones are added as they are found. */
    private static final Map<SocketOption<?>, Key> KEYS = new IdentityHashMap<>(Map.of(
            StandardSocketOptions.SO_SNDBUF, new Key(Net.SOL_SOCKET, Net.SO_SNDBUF),
            StandardSocketOptions.SO_RCVBUF, new Key(Net.SOL_SOCKET, Net.SO_RCVBUF),
            StandardSocketOptions.SO_KEEPALIVE, new Key(Net.SOL_SOCKET, Net.SO_KEEPALIVE),
            StandardSocketOptions.SO_REUSEADDR, new Key(Net.SOL_SOCKET, Net.SO_REUSEADDR),
            StandardSocketOptions.SO_REUSEPORT, new Key(Net.SOL_SOCKET, Net.SO_REUSEPORT),
            StandardSocketOptions.SO_LINGER, new Key(Net.SOL_SOCKET, Net.SO_LINGER),
            StandardSocketOptions.TCP_NODELAY, new Key(Net.IPPROTO_TCP, Net.TCP_NODELAY),
            SO_OOBINLINE, new Key(Net.SOL_SOCKET, Net.SO_OOBINLINE),
            StandardSocketOptions.SO_BROADCAST, new Key(Net.SOL_SOCKET, Net.SO_BROADCAST)));

    // jdk.net.ExtendedSocketOptions, looked up by name so that nothing links against jdk.net: with
    // --limit-modules=java.base they are null and unsupported, as on the JDK
    // (behaviours.md#extended-socket-options-found-at-run-time).
    static final SocketOption<?> TCP_QUICKACK = extended("TCP_QUICKACK", Net.IPPROTO_TCP, Net.TCP_QUICKACK);
    static final SocketOption<?> TCP_KEEPIDLE = extended("TCP_KEEPIDLE", Net.IPPROTO_TCP, Net.TCP_KEEPIDLE);
    static final SocketOption<?> TCP_KEEPINTERVAL = extended("TCP_KEEPINTERVAL", Net.IPPROTO_TCP, Net.TCP_KEEPINTVL);
    static final SocketOption<?> TCP_KEEPCOUNT = extended("TCP_KEEPCOUNT", Net.IPPROTO_TCP, Net.TCP_KEEPCNT);
    static final SocketOption<?> SO_INCOMING_NAPI_ID =
            extended("SO_INCOMING_NAPI_ID", Net.SOL_SOCKET, Net.SO_INCOMING_NAPI_ID);

    /** JDK 19+ (absent on 17): the platform's don't-fragment option (Datagram.IP_DONTFRAG); see setDatagram. */
    static final SocketOption<?> IP_DONTFRAGMENT = extended("IP_DONTFRAGMENT", Net.IPPROTO_IP, Datagram.IP_DONTFRAG);

    /** The largest SO_SNDBUF or SO_RCVBUF a BSD kernel takes, -1 on Linux (which caps it itself). */
    private static final int MAX_SOCKET_BUFFER = Net.maxSocketBuffer();

    private static final boolean REUSE_PORT_AVAILABLE = Net.isOptionAvailable(Net.SOL_SOCKET, Net.SO_REUSEPORT);

    /** SocketChannel.supportedOptions() for INET and INET6. */
    static final Set<SocketOption<?>> STREAM = options(StandardSocketOptions.SO_SNDBUF, StandardSocketOptions.SO_RCVBUF,
            StandardSocketOptions.SO_KEEPALIVE, StandardSocketOptions.SO_REUSEADDR, StandardSocketOptions.SO_LINGER,
            StandardSocketOptions.TCP_NODELAY, StandardSocketOptions.IP_TOS, SO_OOBINLINE);

    /** ServerSocketChannel.supportedOptions() for INET and INET6: no IP_TOS (behaviours.md#supported-options). */
    static final Set<SocketOption<?>> SERVER = options(StandardSocketOptions.SO_RCVBUF, StandardSocketOptions.SO_REUSEADDR);

    /**
     * DatagramChannel.supportedOptions() for INET and INET6, with the JDK's datagram extended options
     * (behaviours.md#supported-options).
     */
    static final Set<SocketOption<?>> DATAGRAM = datagramOptions();

    private SocketOptions() {
    }

    /** The checks of every channel's setOption before it takes its state lock
     * (behaviours.md#option-values-and-validation). */
    static void checkSet(Set<SocketOption<?>> supported, SocketOption<?> name, Object value) {
        checkGet(supported, name);
        if (!name.type().isInstance(value)) {
            throw new IllegalArgumentException("Invalid value '" + value + "'");
        }
    }

    static void checkGet(Set<SocketOption<?>> supported, SocketOption<?> name) {
        Objects.requireNonNull(name);
        if (!supported.contains(name)) {
            throw new UnsupportedOperationException("'" + name + "' not supported");
        }
    }

    /** Sets an option other than IP_TOS; {@code value} has the option's type (the JDK's UNSPEC family). */
    static void set(int fd, SocketOption<?> name, Object value) throws IOException {
        if (name == SO_INCOMING_NAPI_ID) {
            throw new SocketException("Attempt to set read only option " + name);
        }
        int arg = name.type() == Boolean.class ? ((Boolean) value ? 1 : 0) : (Integer) value;
        if (name == StandardSocketOptions.SO_RCVBUF || name == StandardSocketOptions.SO_SNDBUF) {
            if (arg < 0) {
                throw new IllegalArgumentException("Invalid send/receive buffer size");
            }
            if (MAX_SOCKET_BUFFER >= 0 && arg > MAX_SOCKET_BUFFER) {
                arg = MAX_SOCKET_BUFFER; // NET_SetSockOpt on BSD: more is ENOBUFS there
            }
            if (name == StandardSocketOptions.SO_RCVBUF && arg < 1024) {
                arg = 1024; // NET_SetSockOpt on Linux and BSD: a tiny receive buffer drops small packets
            }
        } else if (name == StandardSocketOptions.SO_LINGER) {
            arg = arg < 0 ? -1 : Math.min(arg, 65535);
        }
        Key key = key(name);
        Net.setIntOption(fd, key.level, key.name, arg);
    }

    static Object get(int fd, SocketOption<?> name) throws IOException {
        Key key = key(name);
        int value = Net.getIntOption(fd, key.level, key.name);
        if (Platform.HALVES_BUFFER_SIZES
                && (name == StandardSocketOptions.SO_RCVBUF || name == StandardSocketOptions.SO_SNDBUF)) {
            value /= 2; // NET_GetSockOpt: Linux reports twice the size set (behaviours.md#option-values-and-validation)
        }
        return name.type() == Boolean.class ? Boolean.valueOf(value != 0) : (Object) Integer.valueOf(value);
    }

    /**
     * Sets IP_TOS on a socket of the given family: IPV6_TCLASS on a dual-stack socket, and on Linux then IP_TOS
     * too (Linux keeps both; behaviours.md#option-values-and-validation); IP_TOS on an IPv4 one.
     */
    static void setIpTos(int fd, boolean inet6, int tos) throws IOException {
        if (tos < 0 || tos > 255) {
            throw new IllegalArgumentException("Invalid IP_TOS value");
        }
        setBoth(fd, inet6, Net.IPV6_TCLASS, Net.IP_TOS, tos);
    }

    static int getIpTos(int fd, boolean inet6) throws IOException {
        return inet6 ? Net.getIntOption(fd, Net.IPPROTO_IPV6, Net.IPV6_TCLASS) : Net.getIntOption(fd, Net.IPPROTO_IP, Net.IP_TOS);
    }

    /**
     * Sets an option of a DatagramChannel other than IP_MULTICAST_IF. The IP-level ones have an IPv4 and an
     * IPv6 variant: a dual-stack socket gets the IPv6 one and, on Linux, then the IPv4 one best effort, as the
     * JDK (behaviours.md#multicast, behaviours.md#option-values-and-validation).
     */
    static void setDatagram(int fd, boolean inet6, SocketOption<?> name, Object value) throws IOException {
        if (name == StandardSocketOptions.IP_TOS) {
            setIpTos(fd, inet6, (Integer) value);
        } else if (name == StandardSocketOptions.IP_MULTICAST_TTL) {
            int ttl = (Integer) value;
            if (ttl < 0 || ttl > 255) {
                throw new IllegalArgumentException("Invalid TTL/hop value");
            }
            setBoth(fd, inet6, Datagram.IPV6_MULTICAST_HOPS, Datagram.IP_MULTICAST_TTL, ttl);
        } else if (name == StandardSocketOptions.IP_MULTICAST_LOOP) {
            setBoth(fd, inet6, Datagram.IPV6_MULTICAST_LOOP, Datagram.IP_MULTICAST_LOOP, (Boolean) value ? 1 : 0);
        } else if (name == IP_DONTFRAGMENT) {
            int mode = (Boolean) value ? Datagram.DONTFRAG_ON : Datagram.DONTFRAG_OFF;
            if (inet6) {
                Net.setIntOption(fd, Net.IPPROTO_IPV6, Datagram.IPV6_DONTFRAG, mode);
            } else {
                Net.setIntOption(fd, Net.IPPROTO_IP, Datagram.IP_DONTFRAG, mode);
            }
        } else {
            if (name == StandardSocketOptions.SO_REUSEADDR && Platform.DATAGRAM_REUSE_ADDRESS_SETS_REUSE_PORT) {
                try {
                    Net.setIntOption(fd, Net.SOL_SOCKET, Net.SO_REUSEPORT, (Boolean) value ? 1 : 0);
                } catch (SocketException ignore) {
                    // as the JDK's NET_SetSockOpt: best effort
                }
            }
            set(fd, name, value);
        }
    }

    /** Reads an option of a DatagramChannel other than IP_MULTICAST_IF: the variant of the socket's family. */
    static Object getDatagram(int fd, boolean inet6, SocketOption<?> name) throws IOException {
        if (name == StandardSocketOptions.IP_TOS) {
            return getIpTos(fd, inet6);
        } else if (name == StandardSocketOptions.IP_MULTICAST_TTL) {
            return inet6 ? Net.getIntOption(fd, Net.IPPROTO_IPV6, Datagram.IPV6_MULTICAST_HOPS)
                    : Net.getIntOption(fd, Net.IPPROTO_IP, Datagram.IP_MULTICAST_TTL);
        } else if (name == StandardSocketOptions.IP_MULTICAST_LOOP) {
            return (inet6 ? Net.getIntOption(fd, Net.IPPROTO_IPV6, Datagram.IPV6_MULTICAST_LOOP)
                    : Net.getIntOption(fd, Net.IPPROTO_IP, Datagram.IP_MULTICAST_LOOP)) != 0;
        } else if (name == IP_DONTFRAGMENT) {
            return (inet6 ? Net.getIntOption(fd, Net.IPPROTO_IPV6, Datagram.IPV6_DONTFRAG)
                    : Net.getIntOption(fd, Net.IPPROTO_IP, Datagram.IP_DONTFRAG)) == Datagram.DONTFRAG_ON;
        }
        return get(fd, name);
    }

    /**
     * The IPv6 option on a dual-stack socket, then on Linux the IPv4 one best effort
     * ({@link Platform#SETS_BOTH_IP_OPTIONS}); the IPv4 one alone otherwise.
     */
    private static void setBoth(int fd, boolean inet6, int ipv6Name, int ipv4Name, int value) throws IOException {
        if (inet6) {
            Net.setIntOption(fd, Net.IPPROTO_IPV6, ipv6Name, value);
            if (Platform.SETS_BOTH_IP_OPTIONS) {
                try {
                    Net.setIntOption(fd, Net.IPPROTO_IP, ipv4Name, value);
                } catch (SocketException ignore) {
                    // as the JDK: the IPv4 value is best effort
                }
            }
        } else {
            Net.setIntOption(fd, Net.IPPROTO_IP, ipv4Name, value);
        }
    }

    private static Key key(SocketOption<?> name) {
        Key key = KEYS.get(name);
        if (key == null) {
            throw new AssertionError("Option not found: " + name);
        }
        return key;
    }

    /** The {@code standard} options of a TCP channel, with its extended ones. */
    private static Set<SocketOption<?>> options(SocketOption<?>... standard) {
        return available(standard, TCP_QUICKACK, TCP_KEEPIDLE, TCP_KEEPINTERVAL, TCP_KEEPCOUNT, SO_INCOMING_NAPI_ID);
    }

    private static Set<SocketOption<?>> datagramOptions() {
        return available(new SocketOption<?>[] {StandardSocketOptions.SO_SNDBUF, StandardSocketOptions.SO_RCVBUF,
                StandardSocketOptions.SO_REUSEADDR, StandardSocketOptions.SO_BROADCAST, StandardSocketOptions.IP_TOS,
                StandardSocketOptions.IP_MULTICAST_IF, StandardSocketOptions.IP_MULTICAST_TTL,
                StandardSocketOptions.IP_MULTICAST_LOOP}, SO_INCOMING_NAPI_ID, IP_DONTFRAGMENT);
    }

    /** The {@code standard} options, SO_REUSEPORT where the kernel has it, and the {@code extended} ones found. */
    private static Set<SocketOption<?>> available(SocketOption<?>[] standard, SocketOption<?>... extended) {
        Set<SocketOption<?>> set = new HashSet<>();
        Collections.addAll(set, standard);
        if (REUSE_PORT_AVAILABLE) {
            set.add(StandardSocketOptions.SO_REUSEPORT);
        }
        for (SocketOption<?> o : extended) {
            if (o != null) {
                set.add(o);
            }
        }
        return Collections.unmodifiableSet(set);
    }

    /**
     * The public constant {@code jdk.net.ExtendedSocketOptions.<field>} if module jdk.net is present and the
     * kernel has the option, else null.
     */
    private static SocketOption<?> extended(String field, int level, int name) {
        if (!Net.isOptionAvailable(level, name)) {
            return null;
        }
        try {
            SocketOption<?> option = (SocketOption<?>) Class.forName("jdk.net.ExtendedSocketOptions").getField(field).get(null);
            KEYS.put(option, new Key(level, name));
            return option;
        } catch (ReflectiveOperationException | LinkageError | ClassCastException absent) {
            return null;
        }
    }

    /** The level and name of an option for setsockopt(2). */
    private record Key(int level, int name) {
    }

    /** A socket option of our own, compared by identity as the JDK's are. */
    private static final class Named<T> implements SocketOption<T> {
        private final String name;
        private final Class<T> type;

        Named(String name, Class<T> type) {
            this.name = name;
            this.type = type;
        }

        @Override
        public String name() {
            return name;
        }

        @Override
        public Class<T> type() {
            return type;
        }

        @Override
        public String toString() {
            return name;
        }
    }
}
