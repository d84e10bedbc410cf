package io.nativenio.jvm.app;

import java.nio.channels.ClosedSelectorException;
import java.nio.channels.Pipe;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.spi.SelectorProvider;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * The first registrations of a fresh JVM racing Selector.close(): several threads register channels (half
 * with an empty interest set) while the main thread closes the selector. A fresh JVM is the point: the
 * first registration loads and initialises the selection-key class, which widens the window between the
 * selector's open check and the key entering its key set. The close starts a given number of microseconds
 * after the registering threads are released, so that a series of runs sweeps the registrations. Prints
 * {@code close=} (ok or what it threw), {@code registered=} (channels still registered with the closed
 * selector) and {@code leaked=} (open fds more than before, once every channel is closed). Arguments:
 * {@code jdk} or {@code nativenio}, and the delay of the close in microseconds.
 */
public final class RegisterCloseProbe {
    private static final int THREADS = 4;
    private static final int CHANNELS_PER_THREAD = 8;

    private RegisterCloseProbe() {
    }

    public static void main(String[] args) throws Exception {
        SelectorProvider provider = ProbeSupport.provider(args[0]);
        // the provider's process-wide fds (a pre-close socket, for one) are opened before the count
        provider.openSelector().close();
        Pipe warm = provider.openPipe();
        warm.source().close();
        warm.sink().close();
        int before = stableFdCount();

        Selector sel = provider.openSelector();
        List<Pipe> pipes = new ArrayList<>();
        for (int i = 0; i < THREADS * CHANNELS_PER_THREAD; i++) {
            Pipe p = provider.openPipe();
            p.source().configureBlocking(false);
            pipes.add(p);
        }
        CyclicBarrier start = new CyclicBarrier(THREADS + 1);
        List<Thread> threads = new ArrayList<>();
        for (int t = 0; t < THREADS; t++) {
            List<Pipe> mine = pipes.subList(t * CHANNELS_PER_THREAD, (t + 1) * CHANNELS_PER_THREAD);
            Thread thread = new Thread(() -> {
                try {
                    start.await();
                    for (int i = 0; i < mine.size(); i++) {
                        try {
                            mine.get(i).source().register(sel, i % 2 == 0 ? 0 : SelectionKey.OP_READ);
                        } catch (ClosedSelectorException e) {
                            // closed first
                        }
                    }
                } catch (Exception e) {
                    System.out.println("register=" + e);
                }
            });
            thread.start();
            threads.add(thread);
        }
        start.await();
        long closeAt = System.nanoTime() + TimeUnit.MICROSECONDS.toNanos(Long.parseLong(args[1]));
        while (System.nanoTime() < closeAt) {
            Thread.onSpinWait();
        }
        System.out.println("close=" + ProbeSupport.result(() -> {
            sel.close();
            return "ok";
        }));
        for (Thread t : threads) {
            t.join();
        }
        int registered = 0;
        for (Pipe p : pipes) {
            if (p.source().isRegistered()) {
                registered++;
            }
            p.source().close();
            p.sink().close();
        }
        System.out.println("registered=" + registered);
        System.out.println("leaked=" + (fdCountApproaching(before) - before));
    }

    /** The least of a few counts: other threads of the JVM open short-lived fds now and then. */
    private static int stableFdCount() throws Exception {
        int min = fdCount();
        for (int i = 0; i < 5; i++) {
            Thread.sleep(5);
            min = Math.min(min, fdCount());
        }
        return min;
    }

    /** The fd count once it is {@code expected}, or after 1 s of counts that are not. */
    private static int fdCountApproaching(int expected) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(1);
        int now;
        while ((now = fdCount()) != expected && System.nanoTime() < deadline) {
            Thread.sleep(5);
        }
        return now;
    }

    private static int fdCount() throws Exception {
        try (Stream<Path> s = Files.list(Path.of("/proc/self/fd"))) {
            return (int) s.count();
        }
    }
}
