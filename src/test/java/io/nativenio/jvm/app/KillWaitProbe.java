package io.nativenio.jvm.app;

import java.lang.reflect.Field;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.nio.channels.Pipe;
import java.nio.channels.SelectableChannel;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.channels.spi.AbstractSelectableChannel;
import java.nio.channels.spi.SelectorProvider;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.FutureTask;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * A selector's final close of a channel whose read (write, accept) blocks while the channel is registered:
 * does the select wait for that I/O call, as JDK 21.0.6 and 23+ do, or close the fd at once, as JDK 17
 * does? Prints, per kind of channel, {@code <kind>.select=returned|waited} and what the I/O call and the
 * select gave once the call got what it waited for. Argument: {@code jdk} or {@code nativenio}; run with
 * {@code --add-opens java.base/java.nio.channels.spi=ALL-UNNAMED}.
 *
 * <p>The state is the one of a race every JDK has: {@code configureBlocking(true)} (allowed once the key is
 * cancelled, before the selector flushes it) has made the fd blocking but not yet set the channel's
 * blocking flag when another thread starts an I/O call; that call sees a non-blocking channel, records no
 * thread, and blocks in the kernel. The probe makes that window permanent by setting the flag back
 * through reflection, starts the call, restores the flag and closes the channel: a close in blocking mode
 * with no thread recorded signals nobody, so the call stays blocked until the probe releases it.
 */
public final class KillWaitProbe {
    private static final InetAddress LOOPBACK = InetAddress.getLoopbackAddress();
    private static final long WATCHDOG_NS = TimeUnit.SECONDS.toNanos(30);

    private KillWaitProbe() {
    }

    /** A registered channel, the I/O call that blocks on it, what releases that call, and the peers. */
    private record Case(String kind, SelectableChannel channel, int ops, Callable<Object> io,
            Callable<Object> release, AutoCloseable... peers) {
    }

    public static void main(String[] args) throws Exception {
        SelectorProvider p = ProbeSupport.provider(args[0]);
        for (Case c : cases(p)) {
            try (Selector selector = p.openSelector()) {
                run(selector, c);
            } finally {
                for (AutoCloseable peer : c.peers) {
                    peer.close();
                }
            }
        }
    }

    private static List<Case> cases(SelectorProvider p) throws Exception {
        List<Case> cases = new ArrayList<>();
        ServerSocketChannel listener = p.openServerSocketChannel().bind(new InetSocketAddress(LOOPBACK, 0));
        SocketChannel client = connect(p, listener.getLocalAddress());
        SocketChannel accepted = listener.accept();
        cases.add(new Case("socket", client, SelectionKey.OP_READ, () -> client.read(ByteBuffer.allocate(1)),
                () -> accepted.write(ByteBuffer.wrap(new byte[1])), accepted, listener));

        ServerSocketChannel server = p.openServerSocketChannel().bind(new InetSocketAddress(LOOPBACK, 0));
        SocketAddress serverAddress = server.getLocalAddress();
        SocketChannel[] connecting = new SocketChannel[1];
        cases.add(new Case("server", server, SelectionKey.OP_ACCEPT, () -> closed(server.accept()),
                () -> connecting[0] = connect(p, serverAddress), () -> {
                    if (connecting[0] != null) {
                        connecting[0].close();
                    }
                }));

        Pipe pipe = p.openPipe();
        cases.add(new Case("source", pipe.source(), SelectionKey.OP_READ,
                () -> pipe.source().read(ByteBuffer.allocate(1)),
                () -> pipe.sink().write(ByteBuffer.wrap(new byte[1])), pipe.sink()));

        Pipe full = p.openPipe();
        full.sink().configureBlocking(false);
        while (full.sink().write(ByteBuffer.allocate(4096)) > 0) {
            // fills the pipe, so that the next write blocks
        }
        cases.add(new Case("sink", full.sink(), SelectionKey.OP_WRITE,
                () -> full.sink().write(ByteBuffer.wrap(new byte[1])),
                () -> full.source().read(ByteBuffer.allocate(1 << 20)), full.source()));

        DatagramChannel dc = p.openDatagramChannel().bind(new InetSocketAddress(LOOPBACK, 0));
        DatagramChannel sender = p.openDatagramChannel().bind(new InetSocketAddress(LOOPBACK, 0));
        dc.connect(sender.getLocalAddress());
        SocketAddress dcAddress = dc.getLocalAddress();
        cases.add(new Case("datagram", dc, SelectionKey.OP_READ, () -> dc.read(ByteBuffer.allocate(1)),
                () -> sender.send(ByteBuffer.wrap(new byte[1]), dcAddress), sender));
        return cases;
    }

    private static SocketChannel connect(SelectorProvider p, SocketAddress address) throws Exception {
        SocketChannel ch = p.openSocketChannel();
        ch.connect(address);
        return ch;
    }

    private static String closed(SocketChannel ch) throws Exception {
        ch.close();
        return "accepted";
    }

    private static void run(Selector selector, Case c) throws Exception {
        SelectableChannel ch = c.channel;
        ch.configureBlocking(false);
        SelectionKey key = ch.register(selector, c.ops);
        key.cancel();
        ch.configureBlocking(true);
        setNonBlocking(ch, true);
        FutureTask<Object> io = start(c.kind + "-io", c.io);
        awaitBlockedInKernel(io, c.kind);
        setNonBlocking(ch, false);
        ch.close();
        FutureTask<Object> select = start(c.kind + "-select", selector::selectNow);
        Thread selecting = THREAD.get();
        String how = null;
        for (long start = System.nanoTime(); how == null; LockSupport.parkNanos(1_000_000)) {
            if (select.isDone()) {
                how = "returned";
            } else if (selecting.getState() == Thread.State.WAITING && inKill(selecting)) {
                how = "waited";
            } else if (System.nanoTime() - start > WATCHDOG_NS) {
                how = "stuck\n" + dump();
            }
        }
        out(c.kind + ".select", how);
        out(c.kind + ".release", attempt(c.release));
        out(c.kind + ".io", result(io));
        out(c.kind + ".selected", result(select));
        out(c.kind + ".registered", String.valueOf(ch.isRegistered()));
    }

    private static final ThreadLocal<Thread> THREAD = new ThreadLocal<>();

    private static FutureTask<Object> start(String name, Callable<Object> c) {
        FutureTask<Object> task = new FutureTask<>(c);
        Thread t = new Thread(task, name);
        t.setDaemon(true);
        t.start();
        THREAD.set(t);
        return task;
    }

    /** Waits until the I/O thread sits in a native method (the syscall) and is still there a moment later. */
    private static void awaitBlockedInKernel(FutureTask<Object> io, String kind) throws Exception {
        Thread t = THREAD.get();
        int seen = 0;
        for (long start = System.nanoTime(); seen < 100; LockSupport.parkNanos(100_000)) {
            if (io.isDone()) {
                throw new IllegalStateException(kind + ": the I/O call did not block: " + result(io));
            }
            StackTraceElement[] stack = t.getStackTrace();
            boolean inNative = t.getState() == Thread.State.RUNNABLE && stack.length > 0 && stack[0].isNativeMethod();
            seen = inNative ? seen + 1 : 0;
            if (System.nanoTime() - start > WATCHDOG_NS) {
                throw new IllegalStateException(kind + ": the I/O call never blocked\n" + dump());
            }
        }
    }

    private static boolean inKill(Thread t) {
        return Arrays.stream(t.getStackTrace()).anyMatch(f -> f.getMethodName().equals("kill"));
    }

    /** AbstractSelectableChannel's blocking flag, as {@code configureBlocking} sets it after the fd's mode. */
    private static void setNonBlocking(SelectableChannel ch, boolean nonBlocking) throws ReflectiveOperationException {
        Field f = AbstractSelectableChannel.class.getDeclaredField("nonBlocking");
        f.setAccessible(true);
        f.setBoolean(ch, nonBlocking);
    }

    private static String attempt(Callable<Object> c) {
        try {
            c.call();
            return "ok";
        } catch (Exception e) {
            return e.toString();
        }
    }

    private static String result(FutureTask<Object> task) {
        try {
            return String.valueOf(task.get(WATCHDOG_NS, TimeUnit.NANOSECONDS));
        } catch (java.util.concurrent.ExecutionException e) {
            return e.getCause().getClass().getName();
        } catch (Exception e) {
            return "stuck (" + e + ")\n" + dump();
        }
    }

    private static String dump() {
        StringBuilder sb = new StringBuilder();
        Thread.getAllStackTraces().forEach((t, stack) -> {
            sb.append('"').append(t.getName()).append("\" ").append(t.getState()).append('\n');
            for (StackTraceElement f : stack) {
                sb.append("\tat ").append(f).append('\n');
            }
        });
        return sb.toString();
    }

    private static void out(String key, String value) {
        System.out.println(key + "=" + value);
    }
}
