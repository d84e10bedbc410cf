package io.nativenio.diff;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrowsExactly;

import java.net.SocketException;
import java.net.SocketOption;
import java.net.StandardProtocolFamily;
import java.net.StandardSocketOptions;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.channels.spi.SelectorProvider;
import java.nio.file.Path;
import java.nio.file.attribute.GroupPrincipal;
import java.nio.file.attribute.UserPrincipal;
import java.util.Set;
import org.junit.jupiter.api.io.TempDir;

/**
 * Socket options of UNIX-domain channels (behaviours.md#socket-options, behaviours.md#unix-domain-stream-channels): the
 * supported sets, buffer sizes and linger, and SO_PEERCRED as a {@code jdk.net.UnixDomainPrincipal} equal to the JDK's.
 * The {@code jdk.net} option is looked up reflectively, as the provider does
 * (behaviours.md#extended-socket-options-found-at-run-time).
 */
class UnixDomainOptionsTest {
    @SuppressWarnings("unchecked")
    private static final SocketOption<Object> SO_PEERCRED = (SocketOption<Object>) peerCred();

    @TempDir
    Path dir;

    private static SocketOption<?> peerCred() {
        try {
            return (SocketOption<?>) Class.forName("jdk.net.ExtendedSocketOptions").getField("SO_PEERCRED").get(null);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    // A UNIX client has SO_SNDBUF, SO_RCVBUF, SO_LINGER and SO_PEERCRED; a server SO_RCVBUF only.
    @DiffTest
    void supportedOptions(SelectorProvider provider) throws Exception {
        try (SocketChannel sc = provider.openSocketChannel(StandardProtocolFamily.UNIX);
                ServerSocketChannel ssc = provider.openServerSocketChannel(StandardProtocolFamily.UNIX)) {
            assertEquals(Set.of(StandardSocketOptions.SO_SNDBUF, StandardSocketOptions.SO_RCVBUF,
                    StandardSocketOptions.SO_LINGER, SO_PEERCRED), sc.supportedOptions());
            assertEquals(Set.of(StandardSocketOptions.SO_RCVBUF), ssc.supportedOptions());
            assertThrowsExactly(UnsupportedOperationException.class, () -> sc.supportedOptions().clear());
        }
    }

    // buffer sizes as the JDK reports them, linger off by default and clamped.
    @DiffTest
    void bufferSizesAndLinger(SelectorProvider provider) throws Exception {
        SelectorProvider jdk = Providers.jdk();
        try (SocketChannel sc = provider.openSocketChannel(StandardProtocolFamily.UNIX);
                ServerSocketChannel ssc = provider.openServerSocketChannel(StandardProtocolFamily.UNIX);
                SocketChannel jsc = jdk.openSocketChannel(StandardProtocolFamily.UNIX);
                ServerSocketChannel jssc = jdk.openServerSocketChannel(StandardProtocolFamily.UNIX)) {
            assertEquals(jsc.getOption(StandardSocketOptions.SO_SNDBUF), sc.getOption(StandardSocketOptions.SO_SNDBUF));
            assertEquals(jsc.getOption(StandardSocketOptions.SO_RCVBUF), sc.getOption(StandardSocketOptions.SO_RCVBUF));
            assertEquals(jssc.getOption(StandardSocketOptions.SO_RCVBUF), ssc.getOption(StandardSocketOptions.SO_RCVBUF));
            for (int size : new int[] {100, 5000, 65536}) {
                sc.setOption(StandardSocketOptions.SO_SNDBUF, size);
                jsc.setOption(StandardSocketOptions.SO_SNDBUF, size);
                sc.setOption(StandardSocketOptions.SO_RCVBUF, size);
                jsc.setOption(StandardSocketOptions.SO_RCVBUF, size);
                ssc.setOption(StandardSocketOptions.SO_RCVBUF, size);
                jssc.setOption(StandardSocketOptions.SO_RCVBUF, size);
                assertEquals(jsc.getOption(StandardSocketOptions.SO_SNDBUF), sc.getOption(StandardSocketOptions.SO_SNDBUF));
                assertEquals(jsc.getOption(StandardSocketOptions.SO_RCVBUF), sc.getOption(StandardSocketOptions.SO_RCVBUF));
                assertEquals(jssc.getOption(StandardSocketOptions.SO_RCVBUF), ssc.getOption(StandardSocketOptions.SO_RCVBUF));
            }
            assertEquals(65536, sc.getOption(StandardSocketOptions.SO_SNDBUF));
            assertThrowsExactly(IllegalArgumentException.class, () -> sc.setOption(StandardSocketOptions.SO_SNDBUF, -1));
            assertEquals(-1, sc.getOption(StandardSocketOptions.SO_LINGER));
            sc.setOption(StandardSocketOptions.SO_LINGER, 5);
            assertEquals(5, sc.getOption(StandardSocketOptions.SO_LINGER));
            sc.setOption(StandardSocketOptions.SO_LINGER, 70000);
            assertEquals(65535, sc.getOption(StandardSocketOptions.SO_LINGER));
            sc.setOption(StandardSocketOptions.SO_LINGER, -7);
            assertEquals(-1, sc.getOption(StandardSocketOptions.SO_LINGER));
        }
    }

    // SO_PEERCRED of both ends is a jdk.net.UnixDomainPrincipal equal to the one the JDK's channels give.
    @DiffTest
    void peerCredentials(SelectorProvider provider) throws Exception {
        Object expected;
        try (ServerSocketChannel jssc = UnixDomainSocketTest.server(Providers.jdk(), dir, "jdk");
                SocketChannel jsc = UnixDomainSocketTest.connect(Providers.jdk(), jssc);
                SocketChannel jpeer = jssc.accept()) {
            expected = jsc.getOption(SO_PEERCRED);
        }
        try (ServerSocketChannel ssc = UnixDomainSocketTest.server(provider, dir, "s");
                SocketChannel sc = UnixDomainSocketTest.connect(provider, ssc);
                SocketChannel peer = ssc.accept()) {
            Object client = sc.getOption(SO_PEERCRED);
            Object server = peer.getOption(SO_PEERCRED);
            assertNotNull(client);
            assertEquals("jdk.net.UnixDomainPrincipal", client.getClass().getName());
            assertEquals(expected, client);
            assertEquals(expected, server);
            assertEquals(expected.hashCode(), client.hashCode());
            assertEquals(expected.toString(), client.toString());
            UserPrincipal user = (UserPrincipal) client.getClass().getMethod("user").invoke(client);
            GroupPrincipal group = (GroupPrincipal) client.getClass().getMethod("group").invoke(client);
            assertEquals(dir.getFileSystem().getUserPrincipalLookupService().lookupPrincipalByName(user.getName()), user);
            assertEquals(dir.getFileSystem().getUserPrincipalLookupService().lookupPrincipalByGroupName(group.getName()), group);
            SocketException e = assertThrowsExactly(SocketException.class, () -> sc.setOption(SO_PEERCRED, client));
            assertEquals("SO_PEERCRED cannot be set ", e.getMessage());
        }
    }

    // option errors. An unconnected socket's SO_PEERCRED is a SocketException whose message is
    // strerror of a stale errno on the JDK, so only the class is compared.
    @DiffTest
    void optionErrors(SelectorProvider provider) throws Exception {
        try (SocketChannel sc = provider.openSocketChannel(StandardProtocolFamily.UNIX);
                ServerSocketChannel ssc = provider.openServerSocketChannel(StandardProtocolFamily.UNIX)) {
            assertThrowsExactly(SocketException.class, () -> sc.getOption(SO_PEERCRED));
            assertThrowsExactly(NullPointerException.class, () -> sc.getOption(null));
            IllegalArgumentException iae = assertThrowsExactly(IllegalArgumentException.class, () -> sc.setOption(SO_PEERCRED, null));
            assertEquals("Invalid value 'null'", iae.getMessage());
            UnsupportedOperationException e = assertThrowsExactly(UnsupportedOperationException.class,
                    () -> sc.getOption(StandardSocketOptions.TCP_NODELAY));
            assertEquals("'TCP_NODELAY' not supported", e.getMessage());
            e = assertThrowsExactly(UnsupportedOperationException.class,
                    () -> sc.setOption(StandardSocketOptions.SO_REUSEADDR, true));
            assertEquals("'SO_REUSEADDR' not supported", e.getMessage());
            e = assertThrowsExactly(UnsupportedOperationException.class, () -> ssc.getOption(StandardSocketOptions.SO_SNDBUF));
            assertEquals("'SO_SNDBUF' not supported", e.getMessage());
            e = assertThrowsExactly(UnsupportedOperationException.class, () -> ssc.getOption(SO_PEERCRED));
            assertEquals("'SO_PEERCRED' not supported", e.getMessage());
            sc.close();
            ssc.close();
            assertThrowsExactly(ClosedChannelException.class, () -> sc.getOption(StandardSocketOptions.SO_SNDBUF));
            assertThrowsExactly(ClosedChannelException.class, () -> sc.getOption(SO_PEERCRED));
            assertThrowsExactly(ClosedChannelException.class, () -> ssc.setOption(StandardSocketOptions.SO_RCVBUF, 1024));
        }
    }
}
