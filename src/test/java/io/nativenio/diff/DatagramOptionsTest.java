package io.nativenio.diff;

import static io.nativenio.diff.DatagramBadInputTest.assertThrowsExactly;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.net.NetworkInterface;
import java.net.ProtocolFamily;
import java.net.SocketOption;
import java.net.StandardProtocolFamily;
import java.net.StandardSocketOptions;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.DatagramChannel;
import java.nio.channels.spi.SelectorProvider;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/** DatagramChannel socket options (behaviours.md#socket-options, behaviours.md#multicast). */
class DatagramOptionsTest {
    private static final ProtocolFamily[] FAMILIES = {null, StandardProtocolFamily.INET, StandardProtocolFamily.INET6};

    private static DatagramChannel open(SelectorProvider provider, ProtocolFamily family) throws Exception {
        return family == null ? provider.openDatagramChannel() : provider.openDatagramChannel(family);
    }

    /** The option values of a channel by name, read through getOption. */
    // The same supported options as the JDK's channel (IP_DONTFRAGMENT from JDK 19).
    @DiffTest
    void supportedOptions(SelectorProvider provider) throws Exception {
        for (ProtocolFamily family : FAMILIES) {
            try (DatagramChannel dc = open(provider, family); DatagramChannel jdk = open(Providers.jdk(), family)) {
                assertEquals(jdk.supportedOptions(), dc.supportedOptions());
                List<String> names = new ArrayList<>();
                dc.supportedOptions().forEach(o -> names.add(o.name()));
                assertEquals(Runtime.version().feature() >= 19, names.contains("IP_DONTFRAGMENT"), names.toString());
                assertThrowsExactly(UnsupportedOperationException.class, null,
                        () -> dc.supportedOptions().add(StandardSocketOptions.TCP_NODELAY));
            }
        }
    }

    // Defaults as the JDK reports them, for each family (buffer sizes halved, hops 1, loop on).
    @DiffTest
    void defaults(SelectorProvider provider) throws Exception {
        for (ProtocolFamily family : FAMILIES) {
            try (DatagramChannel dc = open(provider, family); DatagramChannel jdk = open(Providers.jdk(), family)) {
                assertEquals(Providers.optionValues(jdk), Providers.optionValues(dc));
                assertNull(dc.getOption(StandardSocketOptions.IP_MULTICAST_IF));
                assertEquals(1, dc.getOption(StandardSocketOptions.IP_MULTICAST_TTL));
                assertEquals(true, dc.getOption(StandardSocketOptions.IP_MULTICAST_LOOP));
                assertEquals(false, dc.getOption(StandardSocketOptions.SO_BROADCAST));
            }
        }
    }

    // Values set read back as on the JDK, on every family.
    @DiffTest
    void setAndGet(SelectorProvider provider) throws Exception {
        NetworkInterface lo = NetworkInterface.getByName("lo");
        for (ProtocolFamily family : FAMILIES) {
            try (DatagramChannel dc = open(provider, family); DatagramChannel jdk = open(Providers.jdk(), family)) {
                for (DatagramChannel c : new DatagramChannel[] {dc, jdk}) {
                    c.setOption(StandardSocketOptions.SO_BROADCAST, true)
                            .setOption(StandardSocketOptions.SO_REUSEADDR, true)
                            .setOption(StandardSocketOptions.SO_RCVBUF, 65536)
                            .setOption(StandardSocketOptions.SO_SNDBUF, 100)
                            .setOption(StandardSocketOptions.IP_TOS, 0x28)
                            .setOption(StandardSocketOptions.IP_MULTICAST_TTL, 17)
                            .setOption(StandardSocketOptions.IP_MULTICAST_LOOP, false)
                            .setOption(StandardSocketOptions.IP_MULTICAST_IF, lo);
                    if (c.supportedOptions().contains(StandardSocketOptions.SO_REUSEPORT)) {
                        c.setOption(StandardSocketOptions.SO_REUSEPORT, true);
                    }
                    for (SocketOption<?> o : c.supportedOptions()) {
                        if (o.name().equals("IP_DONTFRAGMENT")) {
                            @SuppressWarnings("unchecked")
                            SocketOption<Boolean> df = (SocketOption<Boolean>) o;
                            c.setOption(df, true);
                        }
                    }
                }
                assertEquals(Providers.optionValues(jdk), Providers.optionValues(dc));
                assertEquals(lo, dc.getOption(StandardSocketOptions.IP_MULTICAST_IF));
                assertEquals(17, dc.getOption(StandardSocketOptions.IP_MULTICAST_TTL));
                assertEquals(0x28, dc.getOption(StandardSocketOptions.IP_TOS));
                assertEquals(false, dc.getOption(StandardSocketOptions.IP_MULTICAST_LOOP));
                for (SocketOption<?> o : dc.supportedOptions()) {
                    if (o.name().equals("IP_DONTFRAGMENT")) {
                        assertEquals(true, dc.getOption(o));
                    }
                }
            }
        }
    }

    // Bad values, bad and unsupported options, a closed channel.
    @DiffTest
    void badOptions(SelectorProvider provider) throws Exception {
        DatagramChannel dc = provider.openDatagramChannel();
        try {
            assertThrowsExactly(NullPointerException.class, null, () -> dc.setOption(null, 1));
            assertThrowsExactly(NullPointerException.class, null, () -> dc.getOption(null));
            assertThrowsExactly(UnsupportedOperationException.class, "'TCP_NODELAY' not supported",
                    () -> dc.setOption(StandardSocketOptions.TCP_NODELAY, true));
            assertThrowsExactly(UnsupportedOperationException.class, "'SO_LINGER' not supported",
                    () -> dc.getOption(StandardSocketOptions.SO_LINGER));
            assertThrowsExactly(IllegalArgumentException.class, "Invalid value 'null'",
                    () -> dc.setOption(StandardSocketOptions.SO_BROADCAST, null));
            assertThrowsExactly(IllegalArgumentException.class, "Invalid value 'null'",
                    () -> dc.setOption(StandardSocketOptions.IP_MULTICAST_IF, null));
            assertThrowsExactly(IllegalArgumentException.class, "Invalid send/receive buffer size",
                    () -> dc.setOption(StandardSocketOptions.SO_RCVBUF, -1));
            assertThrowsExactly(IllegalArgumentException.class, "Invalid send/receive buffer size",
                    () -> dc.setOption(StandardSocketOptions.SO_SNDBUF, -1));
            assertThrowsExactly(IllegalArgumentException.class, "Invalid IP_TOS value",
                    () -> dc.setOption(StandardSocketOptions.IP_TOS, 256));
            assertThrowsExactly(IllegalArgumentException.class, "Invalid IP_TOS value",
                    () -> dc.setOption(StandardSocketOptions.IP_TOS, -1));
            assertThrowsExactly(IllegalArgumentException.class, "Invalid TTL/hop value",
                    () -> dc.setOption(StandardSocketOptions.IP_MULTICAST_TTL, 256));
            assertThrowsExactly(IllegalArgumentException.class, "Invalid TTL/hop value",
                    () -> dc.setOption(StandardSocketOptions.IP_MULTICAST_TTL, -1));
            dc.setOption(StandardSocketOptions.IP_MULTICAST_TTL, 255);
            dc.setOption(StandardSocketOptions.IP_MULTICAST_TTL, 0);
            assertEquals(0, dc.getOption(StandardSocketOptions.IP_MULTICAST_TTL));
            dc.setOption(StandardSocketOptions.SO_RCVBUF, 10); // raised to the minimum
            try (DatagramChannel jdk = Providers.jdk().openDatagramChannel()) {
                jdk.setOption(StandardSocketOptions.IP_MULTICAST_TTL, 0).setOption(StandardSocketOptions.SO_RCVBUF, 10);
                assertEquals(Providers.optionValues(jdk), Providers.optionValues(dc));
            }
            for (SocketOption<?> o : dc.supportedOptions()) {
                if (o.name().equals("SO_INCOMING_NAPI_ID")) {
                    @SuppressWarnings("unchecked")
                    SocketOption<Integer> napi = (SocketOption<Integer>) o;
                    assertThrowsExactly(java.net.SocketException.class, "Attempt to set read only option SO_INCOMING_NAPI_ID",
                            () -> dc.setOption(napi, 1));
                }
            }
        } finally {
            dc.close();
        }
        Set<SocketOption<?>> options = dc.supportedOptions();
        for (SocketOption<?> o : options) {
            assertThrowsExactly(ClosedChannelException.class, null, () -> dc.getOption(o));
        }
        assertThrowsExactly(ClosedChannelException.class, null, () -> dc.setOption(StandardSocketOptions.SO_BROADCAST, true));
        assertThrowsExactly(UnsupportedOperationException.class, "'TCP_NODELAY' not supported",
                () -> dc.setOption(StandardSocketOptions.TCP_NODELAY, true));
    }
}
