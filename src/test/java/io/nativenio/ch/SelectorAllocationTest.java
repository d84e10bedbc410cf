package io.nativenio.ch;

import static java.nio.channels.SelectionKey.OP_READ;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.nativenio.NativeSelectorProvider;
import java.io.IOException;
import java.lang.reflect.Method;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.Pipe;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.channels.spi.SelectorProvider;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The selector's steady state allocates nothing (docs/architecture.md#the-selector-nativeselector-over-poller): the
 * bytes this thread allocates (com.sun.management.ThreadMXBean.getCurrentThreadAllocatedBytes) over a loop of
 * selection ops, after a warm-up loop of the same ops. Much of it runs interpreted, where nothing is optimized
 * away, so an allocation in the code shows whatever the JIT would later do. Bytes, never times; the margin (a
 * fraction of the smallest object per op) only absorbs a one-off allocation in the measured loops. There is no JDK
 * to compare with: the JDK's selector allocates on these paths.
 */
class SelectorAllocationTest {
    private static final SelectorProvider PROVIDER = new NativeSelectorProvider();
    private static final int OPS = 2000;
    /** Bytes per op let through: a quarter of the smallest object a per-op allocation would make. */
    private static final double MARGIN = 4;

    private static Object threads;
    private static Method allocatedBytes;

    private final List<AutoCloseable> open = new ArrayList<>();

    /** Reflective: module io.nativenio, into which the tests are compiled, does not read java.management. */
    @BeforeAll
    static void threadMXBean() throws Exception {
        threads = Class.forName("java.lang.management.ManagementFactory").getMethod("getThreadMXBean").invoke(null);
        Class<?> type = Class.forName("com.sun.management.ThreadMXBean");
        boolean supported = (boolean) type.getMethod("isThreadAllocatedMemorySupported").invoke(threads);
        Assumptions.assumeTrue(supported, "skipped: this JVM cannot count the bytes a thread allocates");
        type.getMethod("setThreadAllocatedMemoryEnabled", boolean.class).invoke(threads, true);
        allocatedBytes = type.getMethod("getCurrentThreadAllocatedBytes");
    }

    @AfterEach
    void closeAll() throws Exception {
        for (int i = open.size() - 1; i >= 0; i--) {
            open.get(i).close();
        }
    }

    private static long allocated() throws Exception {
        return (long) allocatedBytes.invoke(threads);
    }

    interface Op {
        void run() throws IOException;
    }

    /**
     * Bytes allocated per run of {@code op} in steady state, less what reading the counter costs: the least of
     * three measured loops after a warm-up loop (a per-op allocation shows in each of them, a one-off one in one).
     */
    private static double bytesPerOp(Op op) throws Exception {
        for (int i = 0; i < OPS; i++) {
            op.run();
        }
        long calibration = Long.MAX_VALUE;
        for (int i = 0; i < 3; i++) {
            long a = allocated();
            long b = allocated();
            calibration = Math.min(calibration, b - a);
        }
        long least = Long.MAX_VALUE;
        for (int round = 0; round < 3; round++) {
            long before = allocated();
            for (int i = 0; i < OPS; i++) {
                op.run();
            }
            least = Math.min(least, allocated() - before - calibration);
        }
        return least / (double) OPS;
    }

    private <T extends AutoCloseable> T opened(T c) {
        open.add(c);
        return c;
    }

    private Selector selector() throws IOException {
        return opened(PROVIDER.openSelector());
    }

    /** A pipe whose source is registered with {@code sel} for OP_READ, with a byte waiting if {@code ready}. */
    private Pipe pipe(Selector sel, boolean ready) throws IOException {
        Pipe p = PROVIDER.openPipe();
        opened(p.sink());
        opened(p.source());
        p.source().configureBlocking(false);
        p.source().register(sel, OP_READ);
        if (ready) {
            p.sink().write(ByteBuffer.wrap(new byte[1]));
        }
        return p;
    }

    /** A selector with {@code pipes} pipes registered, every {@code readyEvery}-th of them ready. */
    private Selector selector(int pipes, int readyEvery) throws IOException {
        Selector sel = selector();
        for (int i = 0; i < pipes; i++) {
            pipe(sel, i % readyEvery == 0);
        }
        return sel;
    }

    private static void assertNoAllocation(double perOp, String what) {
        assertTrue(perOp < MARGIN, what + " allocated " + perOp + " B per op");
    }

    @Test
    void selectNowWithReadyKeysAndClear() throws Exception {
        Selector sel = selector(400, 4);
        assertNoAllocation(bytesPerOp(() -> {
            assertEquals(100, sel.selectNow());
            sel.selectedKeys().clear();
        }), "selectNow with 400 registered, 100 ready, then selectedKeys().clear()");
    }

    @Test
    void selectNowWithAction() throws Exception {
        Selector sel = selector(400, 4);
        int[] seen = new int[1];
        Consumer<SelectionKey> action = k -> seen[0] += k.readyOps();
        assertNoAllocation(bytesPerOp(() -> sel.selectNow(action)), "selectNow(Consumer) with 100 ready");
        assertEquals(4 * OPS * 100, seen[0]);
    }

    @Test
    void selectedKeysRemovedOneByOne() throws Exception {
        Selector sel = selector(50, 1);
        SelectionKey[] keys = sel.keys().toArray(new SelectionKey[0]);
        assertNoAllocation(bytesPerOp(() -> {
            sel.selectNow();
            for (SelectionKey k : keys) {
                sel.selectedKeys().remove(k);
            }
        }), "selectNow, then Set.remove of each selected key");
    }

    @Test
    void interestToggle() throws Exception {
        Selector sel = selector(100, 2);
        SelectionKey[] keys = sel.keys().toArray(new SelectionKey[0]);
        int[] interest = {OP_READ};
        assertNoAllocation(bytesPerOp(() -> {
            interest[0] ^= OP_READ;
            for (SelectionKey k : keys) {
                k.interestOps(interest[0]);
            }
            sel.selectNow();
            sel.selectedKeys().clear();
        }), "100 interest changes and a selectNow");
    }

    @Test
    void wakeupThenSelect() throws Exception {
        Selector sel = selector();
        pipe(sel, false);
        assertNoAllocation(bytesPerOp(() -> {
            sel.wakeup();
            assertEquals(0, sel.select());
        }), "wakeup() and the select() it ends");
        assertNoAllocation(bytesPerOp(() -> {
            sel.wakeup();
            assertEquals(0, sel.select(60_000));
        }), "wakeup() and the select(timeout) it ends");
    }

    /**
     * Registering and cancelling allocates the key and, in the key's cancel() (final in AbstractSelectionKey),
     * the entry AbstractSelector.cancel adds to its cancelled-key HashSet; nothing else: not the key set, the
     * update queue, the fd table or the flush.
     */
    @Test
    void registerAndCancel() throws Exception {
        Selector sel = selector();
        Pipe[] pipes = new Pipe[100];
        try (Selector scratch = PROVIDER.openSelector()) {
            for (int i = 0; i < pipes.length; i++) {
                pipes[i] = pipe(scratch, false);
            }
        }
        SelectionKey[] keys = new SelectionKey[pipes.length];
        double perRegistration = bytesPerOp(() -> {
            for (int i = 0; i < pipes.length; i++) {
                keys[i] = pipes[i].source().register(sel, OP_READ);
            }
            sel.selectNow();
            for (SelectionKey k : keys) {
                k.cancel();
            }
            sel.selectNow();
        }) / pipes.length;
        // the key (at most 56 B with compressed class pointers) and the HashMap entry (32 B)
        assertTrue(perRegistration <= 56 + 32 + MARGIN, "register + cancel allocated " + perRegistration + " B");
    }

    @Test
    void socketPingPongThroughSelector() throws Exception {
        SocketChannel client;
        SocketChannel server;
        try (ServerSocketChannel listener = PROVIDER.openServerSocketChannel()) {
            listener.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
            client = opened(PROVIDER.openSocketChannel());
            client.connect(listener.getLocalAddress());
            server = opened(listener.accept());
        }
        client.configureBlocking(false);
        server.configureBlocking(false);
        Selector sel = selector();
        SelectionKey clientKey = client.register(sel, OP_READ);
        SelectionKey serverKey = server.register(sel, OP_READ);
        for (ByteBuffer buf : new ByteBuffer[] {ByteBuffer.allocateDirect(64), ByteBuffer.allocate(64)}) {
            assertNoAllocation(bytesPerOp(() -> {
                client.write(buf.clear());
                boolean back = false;
                while (!back) {
                    sel.select();
                    if (sel.selectedKeys().contains(serverKey)) {
                        server.read(buf.clear());
                        server.write(buf.flip());
                    }
                    if (sel.selectedKeys().contains(clientKey)) {
                        back = client.read(buf.clear()) > 0;
                    }
                    sel.selectedKeys().clear();
                }
            }), "a 64-byte ping-pong through a selector, " + (buf.isDirect() ? "direct" : "heap") + " buffer");
        }
    }
}
