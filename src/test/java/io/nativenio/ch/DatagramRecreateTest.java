package io.nativenio.ch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.nativenio.NativeSelectorProvider;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.net.SocketOption;
import java.net.StandardProtocolFamily;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.nio.channels.MembershipKey;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.spi.SelectorProvider;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The socket re-creation that DatagramChannel.disconnect does on macOS (as the JDK's repairSocket), run here where
 * disconnect never needs it: a new socket under the same fd number, with the local address, the options, the
 * blocking mode and the multicast memberships of the old one, and the selector's registration done again. There
 * is no JDK to compare with on Linux (its channel takes this path on macOS only), so the checks are absolute.
 */
@Timeout(60) // a receive on an fd left blocking would hang: a hang fails the test
class DatagramRecreateTest {
    private static final SelectorProvider PROVIDER = new NativeSelectorProvider();

    /** The kernel object behind an fd, e.g. socket:[1234]. */
    private static String kernelObject(int fd) throws Exception {
        return Files.readSymbolicLink(Path.of("/proc/self/fd/" + fd)).toString();
    }

    @Test
    void recreatedSocketKeepsFdAddressOptionsMembershipsAndRegistration() throws Exception {
        InetAddress loopback = InetAddress.getByName("127.0.0.1");
        try (DatagramChannel dc = PROVIDER.openDatagramChannel(StandardProtocolFamily.INET);
             DatagramChannel sender = PROVIDER.openDatagramChannel(StandardProtocolFamily.INET);
             Selector selector = PROVIDER.openSelector()) {
            dc.bind(new InetSocketAddress(loopback, 0));
            dc.setOption(StandardSocketOptions.SO_RCVBUF, 16384);
            dc.setOption(StandardSocketOptions.SO_BROADCAST, true);
            dc.setOption(StandardSocketOptions.IP_TOS, 0x10);
            dc.setOption(StandardSocketOptions.IP_MULTICAST_TTL, 7);
            MembershipKey membership = dc.join(InetAddress.getByName("225.4.5.6"), NetworkInterface.getByName("lo"));
            dc.configureBlocking(false);
            SelectionKey key = dc.register(selector, SelectionKey.OP_READ);
            assertEquals(0, selector.selectNow()); // the fd is in the poller now

            DatagramChannelImpl impl = (DatagramChannelImpl) dc;
            int fd = impl.fdVal();
            String before = kernelObject(fd);
            Object local = dc.getLocalAddress();
            Map<SocketOption<?>, Object> options = new HashMap<>();
            for (SocketOption<?> option : dc.supportedOptions()) {
                options.put(option, dc.getOption(option));
            }

            impl.recreateSocket();

            assertEquals(fd, impl.fdVal());
            assertNotEquals(before, kernelObject(fd), "a new socket under the fd");
            assertEquals(local, dc.getLocalAddress());
            for (SocketOption<?> option : dc.supportedOptions()) {
                assertEquals(options.get(option), dc.getOption(option), option.name());
            }
            assertTrue(membership.isValid());
            membership.drop(); // leaving fails unless the new socket joined the group again
            assertFalse(dc.isBlocking());
            assertNull(dc.receive(ByteBuffer.allocate(8)), "the new socket is non-blocking too");

            // the selector registers the new socket again: it sees the datagram
            sender.send(ByteBuffer.wrap(new byte[] {42}), (InetSocketAddress) local);
            assertEquals(1, selector.select(30_000));
            assertSame(key, selector.selectedKeys().iterator().next());
            assertTrue(key.isReadable());
            ByteBuffer buf = ByteBuffer.allocate(8);
            assertNotNull(dc.receive(buf));
            assertEquals(1, buf.position());
            assertEquals(42, buf.get(0));
        }
    }
}
