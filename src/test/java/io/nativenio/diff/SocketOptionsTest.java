package io.nativenio.diff;

import static io.nativenio.diff.Tcp.expect;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.SocketException;
import java.net.SocketOption;
import java.net.StandardProtocolFamily;
import java.net.StandardSocketOptions;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.NetworkChannel;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.channels.spi.SelectorProvider;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/** Socket options of TCP channels (behaviours.md#socket-options). */
class SocketOptionsTest {

    private static final Set<String> SOCKET_OPTIONS = new TreeSet<>(Set.of("SO_SNDBUF", "SO_RCVBUF", "SO_KEEPALIVE",
            "SO_REUSEADDR", "SO_REUSEPORT", "SO_LINGER", "TCP_NODELAY", "IP_TOS", "SO_OOBINLINE", "TCP_QUICKACK",
            "TCP_KEEPIDLE", "TCP_KEEPINTERVAL", "TCP_KEEPCOUNT", "SO_INCOMING_NAPI_ID"));
    private static final Set<String> SERVER_OPTIONS = new TreeSet<>(Set.of("SO_RCVBUF", "SO_REUSEADDR",
            "SO_REUSEPORT", "TCP_QUICKACK", "TCP_KEEPIDLE", "TCP_KEEPINTERVAL", "TCP_KEEPCOUNT", "SO_INCOMING_NAPI_ID"));

    /** name -> type name of every option. */
    private static Map<String, String> describe(NetworkChannel ch) {
        return describe(ch::supportedOptions);
    }

    // supportedOptions() equal to the JDK's (names and types; SO_OOBINLINE is internal, so compared by
    // name); the standard and jdk.net options are the public constants themselves (behaviours.md#supported-options).
    @DiffTest
    void supportedOptions(SelectorProvider provider) throws Exception {
        try (SocketChannel c = provider.openSocketChannel(); SocketChannel c4 = provider.openSocketChannel(StandardProtocolFamily.INET);
                SocketChannel c6 = provider.openSocketChannel(StandardProtocolFamily.INET6);
                ServerSocketChannel s = provider.openServerSocketChannel();
                SocketChannel jc = Providers.jdk().openSocketChannel();
                ServerSocketChannel js = Providers.jdk().openServerSocketChannel()) {
            assertEquals(SOCKET_OPTIONS, describe(c).keySet());
            assertEquals(SERVER_OPTIONS, describe(s).keySet());
            assertEquals(describe(jc), describe(c));
            assertEquals(describe(jc), describe(c4));
            assertEquals(describe(jc), describe(c6));
            assertEquals(describe(js), describe(s));
            for (SocketOption<?> o : new SocketOption<?>[] {StandardSocketOptions.SO_SNDBUF, StandardSocketOptions.SO_RCVBUF,
                StandardSocketOptions.SO_KEEPALIVE, StandardSocketOptions.SO_REUSEADDR, StandardSocketOptions.SO_REUSEPORT,
                StandardSocketOptions.SO_LINGER, StandardSocketOptions.TCP_NODELAY, StandardSocketOptions.IP_TOS,
                Tcp.ext("TCP_QUICKACK"), Tcp.ext("TCP_KEEPIDLE"), Tcp.ext("TCP_KEEPINTERVAL"), Tcp.ext("TCP_KEEPCOUNT"),
                Tcp.ext("SO_INCOMING_NAPI_ID")}) {
                assertTrue(c.supportedOptions().contains(o), o.name());
            }
            assertTrue(s.supportedOptions().contains(Tcp.ext("TCP_KEEPIDLE")));
            assertEquals("java.lang.Boolean", describe(c).get("SO_OOBINLINE"));
            assertEquals(describe(c), describe(c.socket()::supportedOptions));
        }
    }

    /** name -> type name of every option of the set {@code s} gives. */
    private static Map<String, String> describe(java.util.function.Supplier<Set<SocketOption<?>>> s) {
        Map<String, String> m = new TreeMap<>();
        for (SocketOption<?> o : s.get()) {
            m.put(o.name(), o.type().getName());
        }
        return m;
    }

    // Every option's default value (behaviours.md#option-values-and-validation). Kernel-tunable ones (buffer sizes,
    // keepalive timers) are compared with the JDK's on this machine; the others are literals.
    @DiffTest
    void defaults(SelectorProvider provider) throws Exception {
        try (SocketChannel c = provider.openSocketChannel(); ServerSocketChannel s = provider.openServerSocketChannel();
                SocketChannel jc = Providers.jdk().openSocketChannel();
                ServerSocketChannel js = Providers.jdk().openServerSocketChannel()) {
            Map<String, Object> v = Providers.optionValues(c);
            assertEquals(-1, v.get("SO_LINGER"));
            assertEquals(false, v.get("TCP_NODELAY"));
            assertEquals(false, v.get("SO_KEEPALIVE"));
            assertEquals(false, v.get("SO_REUSEADDR"));
            assertEquals(false, v.get("SO_REUSEPORT"));
            assertEquals(false, v.get("SO_OOBINLINE"));
            assertEquals(0, v.get("IP_TOS"));
            assertEquals(0, v.get("SO_INCOMING_NAPI_ID"));
            assertEquals(Providers.optionValues(jc), v, "every default as the JDK's");
            Map<String, Object> sv = Providers.optionValues(s);
            assertEquals(true, sv.get("SO_REUSEADDR"), "bind and socket defaults: servers reuse addresses");
            assertEquals(Providers.optionValues(js), sv);
        }
    }

    // set/get round trips; buffer sizes read back as set (the kernel doubles, the JDK halves)
    // (behaviours.md#option-values-and-validation).
    @DiffTest
    void roundTrips(SelectorProvider provider) throws Exception {
        try (SocketChannel c = provider.openSocketChannel(StandardProtocolFamily.INET)) {
            assertSame(c, c.setOption(StandardSocketOptions.SO_RCVBUF, 65536));
            assertEquals(65536, c.getOption(StandardSocketOptions.SO_RCVBUF));
            c.setOption(StandardSocketOptions.SO_SNDBUF, 65536);
            assertEquals(65536, c.getOption(StandardSocketOptions.SO_SNDBUF));
            c.setOption(StandardSocketOptions.SO_RCVBUF, 100_000);
            assertEquals(100_000, c.getOption(StandardSocketOptions.SO_RCVBUF));
            for (SocketOption<Boolean> o : java.util.List.of(StandardSocketOptions.TCP_NODELAY,
                    StandardSocketOptions.SO_KEEPALIVE, StandardSocketOptions.SO_REUSEADDR,
                    StandardSocketOptions.SO_REUSEPORT, Tcp.<Boolean>byName(c, "SO_OOBINLINE"), Tcp.<Boolean>ext("TCP_QUICKACK"))) {
                c.setOption(o, true);
                assertEquals(true, c.getOption(o), o.name());
                c.setOption(o, false);
                assertEquals(false, c.getOption(o), o.name());
            }
            for (String name : new String[] {"TCP_KEEPIDLE", "TCP_KEEPINTERVAL", "TCP_KEEPCOUNT"}) {
                SocketOption<Integer> o = Tcp.ext(name);
                c.setOption(o, 5);
                assertEquals(5, c.getOption(o), name);
                c.setOption(o, 100);
                assertEquals(100, c.getOption(o), name);
            }
            c.setOption(StandardSocketOptions.IP_TOS, 16);
            assertEquals(16, c.getOption(StandardSocketOptions.IP_TOS));
            c.setOption(StandardSocketOptions.IP_TOS, 255);
            assertEquals(252, c.getOption(StandardSocketOptions.IP_TOS), "Linux keeps the ECN bits for itself");
            c.setOption(StandardSocketOptions.IP_TOS, 0);
            assertEquals(0, c.getOption(StandardSocketOptions.IP_TOS));
        }
        try (SocketChannel c = provider.openSocketChannel(StandardProtocolFamily.INET6)) {
            c.setOption(StandardSocketOptions.IP_TOS, 16); // IPV6_TCLASS (and IP_TOS, dual stack)
            assertEquals(16, c.getOption(StandardSocketOptions.IP_TOS));
            c.setOption(StandardSocketOptions.IP_TOS, 255);
            assertEquals(252, c.getOption(StandardSocketOptions.IP_TOS));
        }
        try (ServerSocketChannel s = provider.openServerSocketChannel()) {
            s.setOption(StandardSocketOptions.SO_REUSEADDR, false);
            assertEquals(false, s.getOption(StandardSocketOptions.SO_REUSEADDR));
            s.setOption(StandardSocketOptions.SO_RCVBUF, 32768);
            assertEquals(32768, s.getOption(StandardSocketOptions.SO_RCVBUF));
        }
    }

    // SO_LINGER: negative means off (-1), values above 65535 are clamped, 0 is abortive close
    // (behaviours.md#option-values-and-validation).
    @DiffTest
    void lingerClamping(SelectorProvider provider) throws Exception {
        try (SocketChannel c = provider.openSocketChannel()) {
            int[][] cases = {{5, 5}, {0, 0}, {65535, 65535}, {65536, 65535}, {70_000, 65535},
                {Integer.MAX_VALUE, 65535}, {-1, -1}, {-5, -1}, {Integer.MIN_VALUE, -1}};
            for (int[] t : cases) {
                c.setOption(StandardSocketOptions.SO_LINGER, t[0]);
                assertEquals(t[1], c.getOption(StandardSocketOptions.SO_LINGER), "SO_LINGER " + t[0]);
            }
        }
    }

    // buffer sizes at the extremes equal the JDK's (kernel minimum and maximum, halved)
    // (behaviours.md#option-values-and-validation).
    @DiffTest
    void bufferSizeExtremes(SelectorProvider provider) throws Exception {
        try (SocketChannel c = provider.openSocketChannel(); SocketChannel j = Providers.jdk().openSocketChannel()) {
            for (SocketOption<Integer> o : java.util.List.of(StandardSocketOptions.SO_RCVBUF, StandardSocketOptions.SO_SNDBUF)) {
                for (int size : new int[] {0, 1, 1024, 8 << 20}) {
                    c.setOption(o, size);
                    j.setOption(o, size);
                    assertEquals(j.getOption(o), c.getOption(o), o.name() + " " + size);
                }
                // a bigger buffer never reads back smaller (SocketOptionTests)
                c.setOption(o, 4096);
                int small = c.getOption(o);
                c.setOption(o, 1 << 20);
                assertTrue(c.getOption(o) >= small);
            }
        }
    }

    // Validation: the exception class and message of each bad value, as the JDK's
    // (behaviours.md#option-values-and-validation).
    @DiffTest
    void invalidValues(SelectorProvider provider) throws Exception {
        try (SocketChannel c = provider.openSocketChannel()) {
            expect(IllegalArgumentException.class, "Invalid send/receive buffer size",
                    () -> c.setOption(StandardSocketOptions.SO_RCVBUF, -1));
            expect(IllegalArgumentException.class, "Invalid send/receive buffer size",
                    () -> c.setOption(StandardSocketOptions.SO_SNDBUF, Integer.MIN_VALUE));
            expect(IllegalArgumentException.class, "Invalid IP_TOS value", () -> c.setOption(StandardSocketOptions.IP_TOS, 256));
            expect(IllegalArgumentException.class, "Invalid IP_TOS value", () -> c.setOption(StandardSocketOptions.IP_TOS, -1));
            expect(IllegalArgumentException.class, "Invalid value 'null'", () -> c.setOption(StandardSocketOptions.SO_RCVBUF, null));
            expect(IllegalArgumentException.class, "Invalid value 'null'", () -> c.setOption(StandardSocketOptions.TCP_NODELAY, null));
            expect(IllegalArgumentException.class, "Invalid value 'null'", () -> c.setOption(StandardSocketOptions.SO_LINGER, null));
            expect(IllegalArgumentException.class, "Invalid value 'null'", () -> c.setOption(Tcp.ext("TCP_KEEPIDLE"), null));
            @SuppressWarnings({"unchecked", "rawtypes"})
            SocketOption<Object> raw = (SocketOption) StandardSocketOptions.SO_RCVBUF;
            expect(IllegalArgumentException.class, "Invalid value 'x'", () -> c.setOption(raw, "x"));
            @SuppressWarnings({"unchecked", "rawtypes"})
            SocketOption<Object> rawBool = (SocketOption) StandardSocketOptions.TCP_NODELAY;
            expect(IllegalArgumentException.class, "Invalid value '1'", () -> c.setOption(rawBool, 1));
            // jdk.net keepalive options: the kernel rejects out-of-range values with EINVAL
            for (String name : new String[] {"TCP_KEEPIDLE", "TCP_KEEPINTERVAL", "TCP_KEEPCOUNT"}) {
                SocketOption<Integer> o = Tcp.ext(name);
                for (int bad : new int[] {0, -1, 1 << 20}) {
                    expect(SocketException.class, "Invalid argument", () -> c.setOption(o, bad));
                }
            }
            expect(SocketException.class, "Attempt to set read only option SO_INCOMING_NAPI_ID",
                    () -> c.setOption(Tcp.ext("SO_INCOMING_NAPI_ID"), 1));
            assertEquals(0, c.getOption(Tcp.<Integer>ext("SO_INCOMING_NAPI_ID")));
            assertTrue(c.isOpen());
            assertEquals(0, c.getOption(StandardSocketOptions.IP_TOS), "a rejected value changes nothing");
        }
    }

    // Unsupported options throw UOE("'<option.toString()>' not supported"); a null name is NPE
    // (behaviours.md#option-values-and-validation).
    @DiffTest
    void unsupportedAndNull(SelectorProvider provider) throws Exception {
        SocketOption<Integer> custom = new SocketOption<>() {
            @Override
            public String name() {
                return "custom";
            }

            @Override
            public Class<Integer> type() {
                return Integer.class;
            }

            @Override
            public String toString() {
                return "CustomOption";
            }
        };
        try (SocketChannel c = provider.openSocketChannel(); ServerSocketChannel s = provider.openServerSocketChannel()) {
            expect(UnsupportedOperationException.class, "'IP_MULTICAST_TTL' not supported",
                    () -> c.setOption(StandardSocketOptions.IP_MULTICAST_TTL, 1));
            expect(UnsupportedOperationException.class, "'IP_MULTICAST_TTL' not supported",
                    () -> c.getOption(StandardSocketOptions.IP_MULTICAST_TTL));
            expect(UnsupportedOperationException.class, "'IP_MULTICAST_TTL' not supported",
                    () -> c.setOption(StandardSocketOptions.IP_MULTICAST_TTL, null));
            expect(UnsupportedOperationException.class, "'CustomOption' not supported", () -> c.setOption(custom, 1));
            expect(UnsupportedOperationException.class, "'CustomOption' not supported", () -> c.getOption(custom));
            expect(NullPointerException.class, null, () -> c.setOption(null, 1));
            expect(NullPointerException.class, null, () -> c.getOption(null));
            for (SocketOption<?> o : new SocketOption<?>[] {StandardSocketOptions.IP_TOS, StandardSocketOptions.SO_SNDBUF,
                StandardSocketOptions.SO_LINGER, StandardSocketOptions.TCP_NODELAY, StandardSocketOptions.SO_KEEPALIVE}) {
                expect(UnsupportedOperationException.class, "'" + o.name() + "' not supported", () -> s.getOption(o));
            }
            expect(UnsupportedOperationException.class, "'IP_TOS' not supported",
                    () -> s.setOption(StandardSocketOptions.IP_TOS, 1));
            expect(NullPointerException.class, null, () -> s.setOption(null, 1));
            expect(NullPointerException.class, null, () -> s.getOption(null));
        }
    }

    // On a closed channel: ClosedChannelException, but the name, support and type checks come first
    // (behaviours.md#option-values-and-validation).
    @DiffTest
    void closedChannel(SelectorProvider provider) throws Exception {
        SocketChannel c = provider.openSocketChannel();
        ServerSocketChannel s = provider.openServerSocketChannel();
        c.close();
        s.close();
        expect(ClosedChannelException.class, null, () -> c.getOption(StandardSocketOptions.SO_RCVBUF));
        expect(ClosedChannelException.class, null, () -> c.setOption(StandardSocketOptions.SO_RCVBUF, 1024));
        expect(ClosedChannelException.class, null, () -> c.setOption(StandardSocketOptions.SO_RCVBUF, -1));
        expect(ClosedChannelException.class, null, () -> c.getOption(Tcp.ext("TCP_KEEPIDLE")));
        expect(ClosedChannelException.class, null, () -> s.getOption(StandardSocketOptions.SO_REUSEADDR));
        expect(IllegalArgumentException.class, "Invalid value 'null'", () -> c.setOption(StandardSocketOptions.SO_RCVBUF, null));
        expect(UnsupportedOperationException.class, "'IP_MULTICAST_TTL' not supported",
                () -> c.getOption(StandardSocketOptions.IP_MULTICAST_TTL));
        expect(NullPointerException.class, null, () -> c.setOption(null, 1));
        assertEquals(SOCKET_OPTIONS.size(), c.supportedOptions().size(), "supportedOptions works when closed");
    }

    // The accepted channel inherits the listener's SO_RCVBUF; options of a connected pair are independent
    // (behaviours.md#option-values-and-validation).
    @DiffTest
    void acceptedChannelOptions(SelectorProvider provider) throws Exception {
        try (ServerSocketChannel s = provider.openServerSocketChannel();
                ServerSocketChannel j = Providers.jdk().openServerSocketChannel()) {
            s.setOption(StandardSocketOptions.SO_RCVBUF, 32768);
            s.bind(new java.net.InetSocketAddress(Tcp.LOOPBACK, 0));
            try (SocketChannel c = provider.openSocketChannel()) {
                c.connect(s.getLocalAddress());
                try (SocketChannel a = s.accept()) {
                    assertEquals(32768, a.getOption(StandardSocketOptions.SO_RCVBUF));
                    a.setOption(StandardSocketOptions.TCP_NODELAY, true);
                    assertEquals(false, c.getOption(StandardSocketOptions.TCP_NODELAY));
                    assertEquals(true, a.getOption(StandardSocketOptions.SO_REUSEADDR),
                            "the accepted socket inherits the listener's SO_REUSEADDR");
                    try (SocketChannel jc = Providers.jdk().openSocketChannel()) {
                        j.bind(new java.net.InetSocketAddress(Tcp.LOOPBACK, 0));
                        jc.connect(j.getLocalAddress());
                        try (SocketChannel ja = j.accept()) {
                            assertEquals(Providers.optionValues(ja).get("SO_REUSEADDR"), Providers.optionValues(a).get("SO_REUSEADDR"));
                            assertEquals(Providers.optionValues(ja).get("TCP_QUICKACK"), Providers.optionValues(c).get("TCP_QUICKACK"));
                        }
                    }
                }
            }
        }
    }
}
