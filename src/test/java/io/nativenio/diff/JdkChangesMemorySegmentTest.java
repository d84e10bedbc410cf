package io.nativenio.diff;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.StandardProtocolFamily;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.nio.channels.GatheringByteChannel;
import java.nio.channels.Pipe;
import java.nio.channels.ReadableByteChannel;
import java.nio.channels.ScatteringByteChannel;
import java.nio.channels.WritableByteChannel;
import java.nio.channels.spi.SelectorProvider;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.Callable;
import org.junit.jupiter.api.condition.EnabledForJreRange;
import org.junit.jupiter.api.condition.JRE;

/**
 * Channel I/O with ByteBuffers that are views of java.lang.foreign memory segments (final in JDK 22; the JDK's
 * DatagramChannel takes buffers of shared arenas from JDK 23, JDK-8333849): they work as other direct buffers
 * while their arena is alive; once it is closed, or on a thread that does not own a confined arena, a read or
 * write throws what the memory access would, and nothing reaches the memory (docs/jdk-changes.md#memory-segments).
 * The API is called reflectively: the tests compile for release 17.
 */
@EnabledForJreRange(min = JRE.JAVA_23)
class JdkChangesMemorySegmentTest {
    private static final int SIZE = 100;
    private static final List<String> ARENAS = List.of("global", "ofAuto", "ofConfined", "ofShared");

    private static Object arena(String kind) throws Exception {
        return Class.forName("java.lang.foreign.Arena").getMethod(kind).invoke(null);
    }

    /** A direct buffer over {@code size} bytes of a new segment of {@code arena}. */
    private static ByteBuffer allocate(Object arena, int size) throws Exception {
        Object segment = Class.forName("java.lang.foreign.SegmentAllocator").getMethod("allocate", long.class)
                .invoke(arena, (long) size);
        return (ByteBuffer) Class.forName("java.lang.foreign.MemorySegment").getMethod("asByteBuffer").invoke(segment);
    }

    private static void close(Object arena) throws Exception {
        Method close = Class.forName("java.lang.foreign.Arena").getMethod("close");
        try {
            close.invoke(arena);
        } catch (InvocationTargetException e) {
            if (!(e.getCause() instanceof UnsupportedOperationException)) { // global and automatic arenas
                throw e;
            }
        }
    }

    private static ByteBuffer filled(Object arena, int size, int seed) throws Exception {
        ByteBuffer b = allocate(arena, size);
        for (int i = 0; i < size; i++) {
            b.put(i, (byte) (seed + i));
        }
        return b;
    }

    /** Every arena kind, used by its owner: stream sockets, datagrams and pipes, single and vectored. */
    @DiffTest
    void ioWithSegmentBuffers(SelectorProvider provider) throws Exception {
        for (String kind : ARENAS) {
            Object arena = arena(kind);
            try (Tcp.Conn c = Tcp.pair(provider);
                    DatagramChannel dc = DatagramIOTest.bound(provider, StandardProtocolFamily.INET)) {
                roundTrip(kind, arena, c.client, c.peer);
                Pipe p = provider.openPipe();
                try {
                    roundTrip(kind, arena, p.sink(), p.source());
                } finally {
                    p.sink().close();
                    p.source().close();
                }
                SocketAddress self = dc.getLocalAddress();
                ByteBuffer src = filled(arena, SIZE, 3);
                assertEquals(SIZE, dc.send(src, self), kind);
                ByteBuffer dst = allocate(arena, SIZE + 10);
                assertEquals(self, dc.receive(dst), kind);
                assertEquals(src.flip(), dst.flip(), kind);
                dc.connect(self);
                ByteBuffer[] srcs = {filled(arena, 10, 5), filled(arena, 20, 7)};
                assertEquals(30, dc.write(srcs), kind);
                ByteBuffer[] dsts = {allocate(arena, 10), allocate(arena, 25)};
                assertEquals(30, dc.read(dsts), kind);
                assertEquals(srcs[0].flip(), dsts[0].flip(), kind);
                assertEquals(srcs[1].flip(), dsts[1].flip(), kind);
            } finally {
                close(arena);
            }
        }
    }

    /** {@code out} and {@code in} are the two ends of one connection or pipe. */
    private static <W extends WritableByteChannel & GatheringByteChannel, R extends ReadableByteChannel & ScatteringByteChannel>
            void roundTrip(String kind, Object arena, W out, R in) throws Exception {
        ByteBuffer src = filled(arena, SIZE, 1);
        assertEquals(SIZE, out.write(src), kind);
        ByteBuffer dst = allocate(arena, SIZE);
        while (dst.hasRemaining()) {
            in.read(dst);
        }
        assertEquals(src.flip(), dst.flip(), kind);
        ByteBuffer[] srcs = {filled(arena, 10, 2), filled(arena, 20, 4)};
        assertEquals(30, out.write(srcs), kind);
        ByteBuffer[] dsts = {allocate(arena, 12), allocate(arena, 18)};
        long n = 0;
        while (n < 30) {
            n += in.read(dsts);
        }
        ByteBuffer all = ByteBuffer.allocate(30).put(srcs[0].flip()).put(srcs[1].flip()).flip();
        ByteBuffer got = ByteBuffer.allocate(30).put(dsts[0].flip()).put(dsts[1].flip()).flip();
        assertEquals(all, got, kind);
    }

    /**
     * A closed arena: every read, write, send and receive throws IllegalStateException("Already closed"), as
     * the memory access would, leaves the buffers' positions and the channel as they were, and transfers
     * nothing.
     */
    @DiffTest
    void closedArena(SelectorProvider provider) throws Exception {
        Object arena = arena("ofConfined");
        ByteBuffer src = filled(arena, SIZE, 1);
        ByteBuffer dst = allocate(arena, SIZE);
        ByteBuffer[] srcs = {ByteBuffer.allocate(4), src};
        ByteBuffer[] dsts = {ByteBuffer.allocate(4), dst};
        close(arena);
        try (Tcp.Conn c = Tcp.pair(provider);
                DatagramChannel dc = DatagramIOTest.bound(provider, StandardProtocolFamily.INET)) {
            c.peer.write(ByteBuffer.wrap(new byte[10]));
            assertClosed(() -> c.client.write(src));
            assertClosed(() -> c.client.write(srcs));
            assertClosed(() -> c.client.read(dst));
            assertClosed(() -> c.client.read(dsts));
            assertEquals(0, srcs[0].position());
            assertEquals(0, dsts[0].position());
            ByteBuffer rest = ByteBuffer.allocate(20);
            assertEquals(10, c.client.read(rest), "the peer's bytes are still there");
            c.client.write(ByteBuffer.wrap(new byte[3]));
            rest.clear();
            assertEquals(3, c.peer.read(rest), "nothing was written before");

            SocketAddress self = dc.getLocalAddress();
            assertClosed(() -> dc.send(src, self));
            dc.send(ByteBuffer.wrap(new byte[] {42}), self);
            assertClosed(() -> dc.receive(dst));
            rest.clear();
            assertEquals(self, dc.receive(rest));
            assertEquals(1, rest.position(), "the datagram of the refused receive is still queued");
            dc.connect(self);
            assertClosed(() -> dc.write(src));
            assertClosed(() -> dc.write(srcs));
            dc.write(ByteBuffer.wrap(new byte[] {43}));
            assertClosed(() -> dc.read(dst));
            assertClosed(() -> dc.read(dsts));
            assertTrue(dc.isOpen() && c.client.isOpen());
        }
        Pipe p = provider.openPipe();
        try {
            assertClosed(() -> p.sink().write(src));
            p.sink().write(ByteBuffer.wrap(new byte[1]));
            assertClosed(() -> p.source().read(dst));
        } finally {
            p.sink().close();
            p.source().close();
        }
    }

    private static void assertClosed(Tcp.Op op) {
        Tcp.expect(IllegalStateException.class, "Already closed", op);
    }

    /** A confined arena's buffer on another thread: WrongThreadException, nothing transferred. */
    @DiffTest
    void confinedArenaOnAnotherThread(SelectorProvider provider) throws Exception {
        Object arena = arena("ofConfined");
        try (Tcp.Conn c = Tcp.pair(provider)) {
            ByteBuffer src = filled(arena, SIZE, 1);
            ByteBuffer dst = allocate(arena, SIZE);
            c.peer.write(ByteBuffer.wrap(new byte[10]));
            for (Callable<Object> op : Arrays.<Callable<Object>>asList(() -> c.client.write(src), () -> c.client.read(dst),
                    () -> c.client.write(new ByteBuffer[] {src}), () -> c.client.read(new ByteBuffer[] {dst}))) {
                Throwable t = Async.start("other-thread", op).failure();
                assertEquals("java.lang.WrongThreadException", t.getClass().getName(), t.toString());
                assertEquals("Attempted access outside owning thread", t.getMessage());
            }
            assertEquals(0, src.position());
            assertEquals(0, dst.position());
            assertEquals(10, c.client.read(ByteBuffer.allocate(20)), "the peer's bytes are still there");
        } finally {
            close(arena);
        }
    }
}
