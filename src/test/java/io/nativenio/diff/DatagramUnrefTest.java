package io.nativenio.diff;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.ref.WeakReference;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.spi.SelectorProvider;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.stream.Stream;

/**
 * A DatagramChannel that becomes unreachable without being closed has its fd closed once it is collected: the
 * JDK's DatagramChannelImpl registers a Cleaner for that, and so does nativenio (docs/testing.md#detectors). The
 * socket is told by its /proc/self/fd entry (number and "socket:[inode]"), so that another fd taking the same
 * number is not mistaken for it. A channel closed the ordinary way never has its fd number closed again.
 */
class DatagramUnrefTest {
    private static final Path FDS = Path.of("/proc/self/fd");
    /** GC rounds, 20 ms apart, before giving up on the Cleaner: it runs within a few on an idle machine. */
    private static final int ROUNDS = 500;

    /**
     * The open fds and what each refers to ("socket:[1234]"; "?" where the system shows no link). An fd that
     * closes between the listing and its readlink (a short-lived fd of another thread of the JVM) is left out.
     */
    private static Map<Integer, String> fds() {
        Path dir = Files.isDirectory(FDS) ? FDS : Path.of("/dev/fd");
        Map<Integer, String> m = new HashMap<>();
        try (Stream<Path> s = Files.list(dir)) {
            s.forEach(p -> {
                String target;
                try {
                    target = Files.readSymbolicLink(p).toString();
                } catch (NoSuchFileException e) {
                    return; // closed since the listing: another thread's short-lived fd
                } catch (IOException | UnsupportedOperationException e) {
                    target = "?";
                }
                if (!target.startsWith("/proc/")) { // the listing's own fd
                    m.put(Integer.parseInt(p.getFileName().toString()), target);
                }
            });
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return m;
    }

    /**
     * The entries of {@code after} that are not in {@code before} and may be sockets: the sockets opened in
     * between (a file another thread of the JVM opened meanwhile is not one of them).
     */
    private static Map<Integer, String> opened(Map<Integer, String> before, Map<Integer, String> after) {
        Map<Integer, String> m = new HashMap<>(after);
        m.entrySet().removeIf(e -> e.getValue().equals(before.get(e.getKey())));
        m.values().removeIf(target -> !target.startsWith("socket:") && !target.equals("?"));
        return m;
    }

    /** Whether any of {@code watched} is still open, after GC rounds that give the Cleaner its chance. */
    private static boolean stillOpenAfterGc(Map<Integer, String> watched) throws InterruptedException {
        for (int i = 0; i < ROUNDS; i++) {
            System.gc();
            Map<Integer, String> now = fds();
            if (watched.entrySet().stream().noneMatch(e -> e.getValue().equals(now.get(e.getKey())))) {
                return false;
            }
            Thread.sleep(20);
        }
        return true;
    }

    /** Opens a channel (bound and registered, then deregistered, when {@code sel} is not null) and drops it. */
    private static Map<Integer, String> openAndDrop(SelectorProvider provider, Selector sel) throws IOException {
        Map<Integer, String> before = fds();
        DatagramChannel dc = provider.openDatagramChannel();
        if (sel != null) {
            dc.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
            dc.configureBlocking(false);
            SelectionKey key = dc.register(sel, SelectionKey.OP_READ);
            sel.selectNow();
            key.cancel();
            sel.selectNow(); // deregisters: the selector no longer refers to the channel
        }
        Map<Integer, String> socket = opened(before, fds());
        assertEquals(1, socket.size(), () -> "one fd for the channel: " + socket);
        return socket;
    }

    @DiffTest
    void unreachableChannelHasItsFdClosed(SelectorProvider provider) throws Exception {
        Map<Integer, String> socket = openAndDrop(provider, null);
        assertFalse(stillOpenAfterGc(socket), () -> "the fd of the unreachable channel stays open: " + socket);
    }

    @DiffTest
    void unreachableChannelOnceRegisteredHasItsFdClosed(SelectorProvider provider) throws Exception {
        try (Selector sel = provider.openSelector()) {
            Map<Integer, String> socket = openAndDrop(provider, sel);
            assertFalse(stillOpenAfterGc(socket), () -> "the fd of the unreachable channel stays open: " + socket);
        }
    }

    /**
     * A channel closed, whose fd number a new channel then takes, and which is collected afterwards: the new
     * channel's fd stays open and works.
     */
    @DiffTest
    void closedChannelCollectedLaterLeavesTheFdNumberAlone(SelectorProvider provider) throws Exception {
        Map<Integer, String> before = fds();
        DatagramChannel first = provider.openDatagramChannel();
        Map<Integer, String> firstFd = opened(before, fds());
        first.close();
        WeakReference<DatagramChannel> collected = new WeakReference<>(first);
        first = null;
        try (DatagramChannel second = provider.openDatagramChannel()) {
            Map<Integer, String> secondFd = opened(before, fds());
            assertEquals(1, secondFd.size(), secondFd::toString);
            // the usual case: close freed the number and the next socket took it; the test means most then
            assertEquals(firstFd.keySet(), secondFd.keySet(), "the second channel has the first one's fd number");
            for (int i = 0; i < ROUNDS && collected.get() != null; i++) {
                System.gc();
                Thread.sleep(20);
            }
            assertNull(collected.get(), "the first channel was collected");
            for (int i = 0; i < 20; i++) { // time for a Cleaner that would (wrongly) still close the number
                System.gc();
                Thread.sleep(20);
            }
            Map<Integer, String> now = fds();
            secondFd.forEach((fd, target) -> assertEquals(target, now.get(fd), "the second channel's fd " + fd));
            second.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
            second.send(ByteBuffer.wrap(new byte[] {42}), second.getLocalAddress());
            ByteBuffer in = ByteBuffer.allocate(1);
            assertTrue(second.receive(in) != null && in.get(0) == 42, "the second channel sends and receives");
        }
    }
}
