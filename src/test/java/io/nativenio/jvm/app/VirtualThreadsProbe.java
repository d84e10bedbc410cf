package io.nativenio.jvm.app;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.nio.channels.Pipe;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.channels.spi.SelectorProvider;
import java.util.concurrent.Callable;
import java.util.concurrent.FutureTask;
import java.util.concurrent.TimeUnit;

/**
 * Blocking channel operations on virtual threads (JDK 21+; behaviours.md#blocking-io-parks-a-virtual-thread), run with
 * one carrier thread ({@code -Djdk.virtualThreadScheduler.parallelism=1 -Djdk.virtualThreadScheduler.maxPoolSize=1}): a
 * virtual thread blocks in read, receive or accept, and a second virtual thread must still run to give it what it waits
 * for, and a select blocked in one is ended by a write or a wakeup. A provider that pins the carrier hangs there
 * (reported as "stuck"). Also async close and interrupt of a blocked virtual thread. Argument: {@code jdk} or
 * {@code nativenio}.
 */
public final class VirtualThreadsProbe {
    private static final MethodHandle START_VIRTUAL = startVirtual();

    private VirtualThreadsProbe() {
    }

    private static MethodHandle startVirtual() {
        try {
            return MethodHandles.publicLookup().findStatic(Thread.class, "startVirtualThread",
                    MethodType.methodType(Thread.class, Runnable.class));
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private static <T> FutureTask<T> virtual(Callable<T> c) throws Throwable {
        FutureTask<T> task = new FutureTask<>(c);
        Thread t = (Thread) START_VIRTUAL.invokeExact((Runnable) task);
        THREADS.set(t);
        return task;
    }

    private static final ThreadLocal<Thread> THREADS = new ThreadLocal<>();

    /**
     * Waits (up to 10 s) until the virtual thread started last is parked, i.e. blocked without its carrier.
     * A provider that blocks in the kernel instead keeps it RUNNABLE on the only carrier: the wait then ends
     * at the deadline and the outcome that follows reports "stuck".
     */
    private static void awaitParked() throws InterruptedException {
        Thread t = THREADS.get();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (t.getState() != Thread.State.WAITING && t.getState() != Thread.State.TIMED_WAITING
                && System.nanoTime() < deadline) {
            Thread.sleep(5);
        }
    }

    private static String outcome(FutureTask<?> task) {
        try {
            return String.valueOf(task.get(10, TimeUnit.SECONDS));
        } catch (java.util.concurrent.TimeoutException e) {
            return "stuck";
        } catch (java.util.concurrent.ExecutionException e) {
            return e.getCause().getClass().getName();
        } catch (InterruptedException e) {
            return "interrupted";
        }
    }

    public static void main(String[] args) throws Throwable {
        SelectorProvider p = ProbeSupport.provider(args[0]);
        InetSocketAddress loopback = new InetSocketAddress(InetAddress.getLoopbackAddress(), 0);
        try (ServerSocketChannel server = p.openServerSocketChannel().bind(loopback)) {
            FutureTask<SocketChannel> accepted = virtual(server::accept);
            awaitParked();
            FutureTask<Boolean> connected = virtual(() -> {
                try (SocketChannel c = p.openSocketChannel()) {
                    return c.connect(server.getLocalAddress());
                }
            });
            System.out.println("accept=" + (outcome(accepted).startsWith("java.nio.channels.SocketChannel[connected")
                    ? "connected" : outcome(accepted)) + " connect=" + outcome(connected));
            SocketChannel a = accepted.isDone() ? accepted.get() : null;
            if (a != null) {
                a.close();
            }
            try (SocketChannel c = p.openSocketChannel(); ) {
                c.connect(server.getLocalAddress());
                try (SocketChannel s = server.accept()) {
                    System.out.println("socket.read=" + readWhileAnotherWrites(c, s));
                    System.out.println("socket.close=" + blockedThenClosed(c, false));
                }
            }
            try (SocketChannel c = p.openSocketChannel()) {
                c.connect(server.getLocalAddress());
                try (SocketChannel s = server.accept()) {
                    System.out.println("socket.interrupt=" + blockedThenClosed(c, true) + " open=" + c.isOpen());
                }
            }
        }
        Pipe pipe = p.openPipe();
        try (Pipe.SourceChannel source = pipe.source(); Pipe.SinkChannel sink = pipe.sink()) {
            System.out.println("pipe.read=" + readWhileAnotherWrites(source, sink));
            System.out.println("pipe.close=" + blockedThenClosed(source, false));
        }
        Pipe selected = p.openPipe();
        try (Selector selector = p.openSelector(); Pipe.SourceChannel source = selected.source();
                Pipe.SinkChannel sink = selected.sink()) {
            source.configureBlocking(false);
            source.register(selector, SelectionKey.OP_READ);
            FutureTask<Integer> select = virtual(selector::select);
            awaitParked();
            FutureTask<Integer> writer = virtual(() -> sink.write(ByteBuffer.wrap(new byte[] {1})));
            System.out.println("selector.select=" + outcome(select) + " write=" + outcome(writer));
            source.read(ByteBuffer.allocate(1));
            selector.selectedKeys().clear();
            FutureTask<Integer> woken = virtual(() -> selector.select(60_000));
            awaitParked();
            selector.wakeup();
            System.out.println("selector.wakeup=" + outcome(woken));
        }
        try (DatagramChannel a = p.openDatagramChannel().bind(loopback); DatagramChannel b = p.openDatagramChannel()) {
            FutureTask<String> received = virtual(() -> {
                ByteBuffer buf = ByteBuffer.allocate(16);
                a.receive(buf);
                return "bytes:" + buf.flip().remaining();
            });
            awaitParked();
            FutureTask<Integer> sent = virtual(() -> b.send(ByteBuffer.wrap(new byte[] {1, 2, 3}), a.getLocalAddress()));
            System.out.println("datagram.receive=" + outcome(received) + " send=" + outcome(sent));
        }
    }

    /** A virtual thread blocks reading {@code in}; a second one writes to {@code out}. */
    private static String readWhileAnotherWrites(java.nio.channels.ReadableByteChannel in,
            java.nio.channels.WritableByteChannel out) throws Throwable {
        FutureTask<String> reader = virtual(() -> {
            ByteBuffer buf = ByteBuffer.allocate(16);
            return "bytes:" + in.read(buf);
        });
        awaitParked();
        FutureTask<Integer> writer = virtual(() -> out.write(ByteBuffer.wrap(new byte[] {1, 2, 3, 4})));
        return outcome(reader) + " write=" + outcome(writer);
    }

    /** A virtual thread blocks reading {@code ch}; then the main thread closes it or interrupts the reader. */
    private static String blockedThenClosed(java.nio.channels.ReadableByteChannel ch, boolean interrupt) throws Throwable {
        FutureTask<String> reader = virtual(() -> "bytes:" + ch.read(ByteBuffer.allocate(16)));
        Thread t = THREADS.get();
        awaitParked();
        if (interrupt) {
            t.interrupt();
        } else {
            ch.close();
        }
        return outcome(reader);
    }

}
