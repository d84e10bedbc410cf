package io.nativenio.stress;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.AsynchronousCloseException;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.DatagramChannel;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.spi.SelectorProvider;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * fd accounting: open/close cycles over pipes, TCP, UDP and UNIX-domain sockets, a channel closed while
 * registered with a selector that another thread keeps selecting on, and a thread blocked in read,
 * accept or receive whose channel another thread closes. After the cycles the process's open-fd count
 * must be exactly what it was before them.
 */
record FdAccountingCheck(Options options, Results results) implements Main.EachProvider {
    private static final String NAME = "fds";

    @Override
    public void run(Providers.Named p) throws Exception {
        long cycles = options.cycles(40_000, 1_000_000);
        try (Watchdog watchdog = new Watchdog(NAME, p.name(), results, 1, options.hangSeconds())) {
            Cycles c = new Cycles(p.provider(), new SplittableRandom(options.seed()), watchdog);
            c.run(Links.KINDS.length * 8L);  // warm-up: classes, and each provider's lazily opened fds
            Map<Integer, String> before = Fds.snapshot();
            long t0 = System.nanoTime();
            c.run(cycles);
            Map<Integer, String> after = Fds.settledSnapshot(before);
            String detail = String.format("cycles=%d threads=2 duration=%.1fs fds %d->%d closeWhileRegistered=%d"
                    + " closeWhileBlocked=%d (async close %d)", cycles, (System.nanoTime() - t0) / 1e9,
                    before.size(), after.size(), c.closedRegistered, c.closedBlocked, c.asyncClosed);
            if (c.failure != null) {
                results.fail(NAME, p.name(), detail + ": " + c.failure);
            } else if (Fds.known(after) != Fds.known(before)) {
                results.fail(NAME, p.name(), detail + ": open-fd count changed; new: " + Fds.added(before, after)
                        + ", gone: " + Fds.added(after, before));
            } else {
                results.pass(NAME, p.name(), detail);
            }
        }
    }

    /** The cycles on one provider; a selector thread and a blocker thread live as long as a run. */
    private static final class Cycles {
        private final SelectorProvider provider;
        private final SplittableRandom random;
        private final Watchdog watchdog;
        private final ByteBuffer buf = ByteBuffer.allocateDirect(16);
        long closedRegistered;
        long closedBlocked;
        long asyncClosed;
        volatile String failure;

        Cycles(SelectorProvider provider, SplittableRandom random, Watchdog watchdog) {
            this.provider = provider;
            this.random = random;
            this.watchdog = watchdog;
        }

        void run(long cycles) throws Exception {
            ExecutorService blocker = Executors.newSingleThreadExecutor(r -> new Thread(r, "stress-blocker"));
            Selector selector = provider.openSelector();
            AtomicInteger selects = new AtomicInteger();
            Thread selecting = new Thread(() -> {
                try {
                    while (selector.isOpen()) {
                        selector.select(k -> { });
                        selects.incrementAndGet();
                    }
                } catch (java.nio.channels.ClosedSelectorException e) {
                    // closed at the end of the run
                } catch (IOException e) {
                    failure = "select: " + e;
                }
            }, "stress-selector");
            selecting.start();
            try (Links links = new Links(provider)) {
                for (long i = 0; i < cycles && failure == null; i++) {
                    try {
                        cycle(links, selector, blocker, (int) (i % (Links.KINDS.length + 3)));
                    } catch (IOException | RuntimeException e) {
                        e.printStackTrace(System.out);
                        failure = "cycle " + i + ": " + e;
                    }
                    watchdog.beat(0);
                }
            } finally {
                blocker.shutdown();
                selector.close();
                selecting.join();
            }
        }

        private void cycle(Links links, Selector selector, ExecutorService blocker, int step) throws Exception {
            if (step < Links.KINDS.length) {
                try (Links.Link link = links.open(Links.KINDS[step])) {   // plain open, traffic, close
                    Links.poke(link);
                    buf.clear();
                    link.reader().read(buf);
                }
            } else if (step == Links.KINDS.length) {
                closeWhileRegistered(links, selector);
            } else if (step == Links.KINDS.length + 1) {
                closeWhileBlocked(links, blocker);
            } else {
                closeWhileAccepting(links, blocker);
            }
        }

        /** Registers a channel with the selector that the selector thread is selecting on, then closes it. */
        private void closeWhileRegistered(Links links, Selector selector) throws IOException {
            Links.Link link = links.openAny(random);
            link.in().configureBlocking(false);
            SelectionKey key = link.in().register(selector, SelectionKey.OP_READ);
            if (random.nextBoolean()) {
                Links.poke(link);    // ready: the selector thread may be handling it while we close
            }
            if (random.nextBoolean()) {
                key.cancel();
            }
            link.close();
            selector.wakeup();
            closedRegistered++;
        }

        /** A thread blocked in read or receive; this thread closes the channel, at a random moment. */
        private void closeWhileBlocked(Links links, ExecutorService blocker) throws Exception {
            Links.Link link = links.openAny(random);
            boolean receive = link.in() instanceof DatagramChannel && random.nextBoolean();
            Future<?> blocked = blocker.submit(() -> {
                ByteBuffer b = ByteBuffer.allocate(8);
                return receive ? ((DatagramChannel) link.in()).receive(b) : link.reader().read(b);
            });
            closeWhile(blocked, link);
        }

        private void closeWhileAccepting(Links links, ExecutorService blocker) throws Exception {
            ServerSocketChannel server = links.provider.openServerSocketChannel().bind(Links.LOOPBACK);
            closeWhile(blocker.submit(server::accept), server);
        }

        private void closeWhile(Future<?> blocked, AutoCloseable channel) throws Exception {
            for (int spins = random.nextInt(20_000); spins > 0 && !blocked.isDone(); spins--) {
                Thread.onSpinWait();
            }
            channel.close();
            closedBlocked++;
            try {
                Object result = blocked.get();
                failure = "blocked operation returned " + result + " after close";
            } catch (java.util.concurrent.ExecutionException e) {
                Throwable cause = e.getCause();
                if (cause instanceof AsynchronousCloseException) {
                    asyncClosed++;
                } else if (!(cause instanceof ClosedChannelException)) {
                    failure = "blocked operation threw " + cause;
                }
            }
        }
    }
}
