package io.nativenio.diff;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.StandardProtocolFamily;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedByInterruptException;
import java.nio.channels.DatagramChannel;
import java.nio.channels.spi.SelectorProvider;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.condition.EnabledForJreRange;
import org.junit.jupiter.api.condition.JRE;

/**
 * Blocking channel operations in a virtual thread (final in JDK 21, JEP 444), in the test JVM: the socket
 * adaptors' timeouts and the interrupt of a virtual thread blocked in a datagram receive
 * (docs/jdk-changes.md#virtual-threads). Carrier release itself is checked with one carrier in a child JVM by
 * VirtualThreadsIT. Thread.startVirtualThread is called reflectively: the tests compile for release 17.
 */
@EnabledForJreRange(min = JRE.JAVA_21)
class JdkChangesVirtualThreadTest {
    private static final MethodHandle START_VIRTUAL = startVirtual();

    private static MethodHandle startVirtual() {
        try {
            return MethodHandles.publicLookup().findStatic(Thread.class, "startVirtualThread",
                    MethodType.methodType(Thread.class, Runnable.class));
        } catch (ReflectiveOperationException e) {
            return null; // JDK 17: the class is disabled then
        }
    }

    /** {@code body} on a new virtual thread; {@link Virtual#get} fails after 10 s instead of hanging. */
    private static final class Virtual<T> {
        final FutureTask<T> task;
        final Thread thread;

        Virtual(Callable<T> body) throws Throwable {
            task = new FutureTask<>(body);
            thread = (Thread) START_VIRTUAL.invoke((Runnable) task);
        }

        T get() throws Exception {
            return task.get(10, TimeUnit.SECONDS);
        }

        Throwable failure() throws Exception {
            try {
                T v = get();
                throw new AssertionError("returned " + v + " instead of throwing");
            } catch (ExecutionException e) {
                return e.getCause();
            }
        }
    }

    /**
     * JDK 22 (JDK-8312166, in 21.0.2 too) made the DatagramSocket adaptor's receive release the carrier; its
     * timeout works the same from a virtual thread: SocketTimeoutException("Receive timed out"), channel open.
     */
    @DiffTest
    void datagramAdaptorReceiveTimeout(SelectorProvider provider) throws Throwable {
        try (DatagramChannel dc = DatagramIOTest.bound(provider, StandardProtocolFamily.INET)) {
            DatagramSocket s = dc.socket();
            s.setSoTimeout(50);
            Throwable t = new Virtual<>(() -> {
                s.receive(new DatagramPacket(new byte[10], 10));
                return null;
            }).failure();
            assertSame(SocketTimeoutException.class, t.getClass(), t.toString());
            assertEquals("Receive timed out", t.getMessage());
            assertTrue(dc.isOpen());
        }
    }

    /** The Socket adaptor's read timeout from a virtual thread: SocketTimeoutException("Read timed out"). */
    @DiffTest
    void socketAdaptorReadTimeout(SelectorProvider provider) throws Throwable {
        try (Tcp.Conn c = Tcp.pair(provider)) {
            Socket s = c.client.socket();
            s.setSoTimeout(50);
            Throwable t = new Virtual<>(() -> s.getInputStream().read()).failure();
            assertSame(SocketTimeoutException.class, t.getClass(), t.toString());
            assertEquals("Read timed out", t.getMessage());
            assertTrue(c.client.isOpen());
        }
    }

    /**
     * Interrupting a virtual thread blocked in DatagramChannel.receive closes the channel; the receive throws
     * ClosedByInterruptException and the thread's interrupt status stays set.
     */
    @DiffTest
    void interruptBlockedReceive(SelectorProvider provider) throws Throwable {
        try (DatagramChannel dc = DatagramIOTest.bound(provider, StandardProtocolFamily.INET)) {
            AtomicBoolean interrupted = new AtomicBoolean();
            Virtual<Object> v = new Virtual<>(() -> {
                try {
                    return dc.receive(ByteBuffer.allocate(10));
                } finally {
                    interrupted.set(Thread.currentThread().isInterrupted());
                }
            });
            Providers.awaitWaiting(v.thread);
            v.thread.interrupt();
            Throwable t = v.failure();
            assertSame(ClosedByInterruptException.class, t.getClass(), t.toString());
            assertTrue(interrupted.get());
            assertFalse(dc.isOpen());
        }
    }
}
