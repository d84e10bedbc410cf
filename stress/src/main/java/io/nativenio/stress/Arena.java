package io.nativenio.stress;

import java.io.IOException;
import java.net.SocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.nio.channels.NetworkChannel;
import java.nio.channels.ReadableByteChannel;
import java.nio.channels.SelectableChannel;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.channels.WritableByteChannel;
import java.util.ConcurrentModificationException;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicReferenceArray;
import java.util.concurrent.atomic.LongAdder;

/**
 * One run of random concurrent operations on one provider: worker threads draw operations on shared
 * slots of channels (pipes, TCP, UDP and UNIX-domain pairs, TCP listeners) and on shared selectors,
 * and record the (operation, outcome) pairs; a churn thread keeps replacing slots and selectors, closing
 * the old ones, and waking the selectors, so that every blocking call ends, with a result or an
 * asynchronous close.
 */
final class Arena {
    private static final int SLOTS = 10;
    private static final int SELECTORS = 2;
    private static final String[] OPS = {"read", "write", "register", "interestOps", "cancel",
        "close", "selectNow", "selectTimed", "select", "selectConsumer", "wakeup", "shutdown", "accept", "connect",
        "send", "receive", "option", "selectedKeys", "selectedKeysUnsynchronized", "keyFor"};

    private final String check;
    private final Providers.Named provider;
    private final boolean virtual;
    private final int threads;
    private final long seed;
    private final Results results;
    private final int hangSeconds;
    private final AtomicReferenceArray<SelectableChannel[]> slots = new AtomicReferenceArray<>(SLOTS);
    private final AtomicReferenceArray<Selector> selectors = new AtomicReferenceArray<>(SELECTORS);
    private final Map<String, LongAdder> pairs = new ConcurrentHashMap<>();
    private final Map<String, Throwable> examples = new ConcurrentHashMap<>();
    private final StringBuffer problems = new StringBuffer();
    private volatile boolean stop;

    Arena(String check, Providers.Named provider, boolean virtual, int threads, long seed, Results results,
          int hangSeconds) {
        this.check = check;
        this.provider = provider;
        this.virtual = virtual;
        this.threads = threads;
        this.seed = seed;
        this.results = results;
        this.hangSeconds = hangSeconds;
    }

    /** What a run recorded. */
    record Outcome(Map<String, Long> pairs, Map<String, Throwable> examples, String problems, String fdLeak,
                   String summary) {
        long ops(String op) {
            long n = 0;
            for (Map.Entry<String, Long> e : pairs.entrySet()) {
                n += e.getKey().startsWith(op + " ") ? e.getValue() : 0;
            }
            return n;
        }

        Throwable exampleOf(String pair) {
            return examples.get(pair);
        }

        void printExample(String pair) {
            Throwable t = examples.get(pair);
            if (t != null) {
                System.out.println("stress: first " + pair + ":");
                t.printStackTrace(System.out);
            }
        }
    }

    Outcome run(long millis) throws Exception {
        Map<Integer, String> fdsBefore = Fds.snapshot();
        long t0 = System.nanoTime();
        Thread[] workers = new Thread[threads];
        try (Links links = new Links(provider.provider());
             Watchdog watchdog = new Watchdog(check, provider.name(), results, threads + 1, hangSeconds)) {
            SplittableRandom random = new SplittableRandom(seed);
            for (int i = 0; i < SLOTS; i++) {
                slots.set(i, open(links, i, random));
            }
            for (int i = 0; i < SELECTORS; i++) {
                selectors.set(i, provider.provider().openSelector());
            }
            ThreadFactory factory = virtual ? virtualThreadFactory() : Thread::new;
            for (int i = 0; i < threads; i++) {
                int id = i;
                workers[i] = factory.newThread(() -> work(id, watchdog));
                workers[i].setName("stress-worker-" + i);
                workers[i].start();
            }
            try {
                churn(links, millis, watchdog, random);
            } finally {
                stop = true;
                closeAll();
            }
            for (Thread w : workers) {
                w.join();   // the watchdog ends a join that hangs
            }
        }
        double seconds = (System.nanoTime() - t0) / 1e9;
        Map<Integer, String> fdsAfter = Fds.settledSnapshot(fdsBefore);
        String fdLeak = Fds.known(fdsAfter) == Fds.known(fdsBefore) ? "" : "open-fd count " + fdsBefore.size()
                + " before the run, " + fdsAfter.size() + " after it; new: " + Fds.added(fdsBefore, fdsAfter) + ", gone: "
                + Fds.added(fdsAfter, fdsBefore);
        Map<String, Long> counted = new TreeMap<>();
        pairs.forEach((k, v) -> counted.put(k, v.sum()));
        long ops = counted.values().stream().mapToLong(Long::longValue).sum();
        String summary = String.format("threads=%d %s operations=%d pairs=%d duration=%.1fs seed=%d fds %d->%d", threads,
                virtual ? "virtual" : "platform", ops, counted.size(), seconds, seed, fdsBefore.size(), fdsAfter.size());
        return new Outcome(counted, examples, problems.toString(), fdLeak, summary);
    }

    /**
     * A slot's channels, one in four blocking. The blocking mode is set here only, never by a worker while
     * others do I/O: AbstractSelectableChannel.configureBlocking updates the mode that I/O calls read
     * after it has released the I/O locks, so a read starting in that window waits in the old mode, and a
     * close in the new mode never wakes it (JDK 17's own provider hangs on this; see docs/reliability.md).
     */
    private SelectableChannel[] open(Links links, int slot, SplittableRandom random) throws IOException {
        SelectableChannel[] channels;
        if (slot % (Links.KINDS.length + 1) == Links.KINDS.length) {
            channels = new SelectableChannel[] {provider.provider().openServerSocketChannel().bind(Links.LOOPBACK)};
        } else {
            Links.Link link = links.open(Links.KINDS[slot % (Links.KINDS.length + 1)]);
            channels = new SelectableChannel[] {link.in(), (SelectableChannel) link.out()};
        }
        for (SelectableChannel ch : channels) {
            ch.configureBlocking(random.nextInt(4) == 0);
        }
        return channels;
    }

    /** Replaces a slot every 2 ms and a selector every 50 ms, closing the old ones, and wakes the selectors. */
    private void churn(Links links, long millis, Watchdog watchdog, SplittableRandom random) throws Exception {
        long end = System.nanoTime() + millis * 1_000_000;
        for (int tick = 0; System.nanoTime() < end; tick++) {
            Thread.sleep(2);
            int slot = random.nextInt(SLOTS);
            SelectableChannel[] old = slots.getAndSet(slot, open(links, slot, random));
            churnStep("closing a slot's channels", () -> closeSlot(old));
            if (tick % 25 == 0) {
                Selector oldSelector = selectors.getAndSet(random.nextInt(SELECTORS), provider.provider().openSelector());
                churnStep("Selector.close", oldSelector::close);
            }
            for (int s = 0; s < SELECTORS; s++) {
                selectors.get(s).wakeup();
            }
            watchdog.beat(threads);
        }
        watchdog.done(threads);
    }

    private void closeAll() {
        for (int i = 0; i < SLOTS; i++) {
            SelectableChannel[] slot = slots.get(i);
            churnStep("closing a slot's channels", () -> closeSlot(slot));
        }
        for (int i = 0; i < SELECTORS; i++) {
            churnStep("Selector.close", selectors.get(i)::close);
        }
    }

    private interface Closing {
        void run() throws IOException;
    }

    /** A close of the churn thread: any exception is a failure (recorded, the first one printed). */
    private void churnStep(String what, Closing closing) {
        try {
            closing.run();
        } catch (Throwable t) {   // an Error too: the run must go on to its end and close everything
            String pair = what + " " + t.getClass().getName();
            if (examples.putIfAbsent(pair, t) == null) {
                System.out.println("stress: " + check + " on " + provider.name() + ": " + what + " threw:");
                t.printStackTrace(System.out);
            }
            problem(what + " threw " + t);
        }
    }

    private static void closeSlot(SelectableChannel[] channels) throws IOException {
        for (SelectableChannel ch : channels) {
            ch.close();
        }
    }

    private void work(int id, Watchdog watchdog) {
        SplittableRandom random = new SplittableRandom(seed * 31 + id);
        ByteBuffer heap = ByteBuffer.allocate(64);
        ByteBuffer direct = ByteBuffer.allocateDirect(64);
        while (!stop) {
            int op = random.nextInt(OPS.length);
            SelectableChannel[] slot = slots.get(random.nextInt(SLOTS));
            SelectableChannel ch = slot[random.nextInt(slot.length)];
            Selector sel = selectors.get(random.nextInt(SELECTORS));
            int arg = random.nextInt(1 << 20);
            ByteBuffer buf = (arg & 1) == 0 ? heap : direct;
            buf.clear().limit(1 + arg % 64);
            String outcome;
            try {
                outcome = operate(OPS[op], ch, sel, arg, buf);
            } catch (Throwable t) {   // every outcome is recorded, an Error too
                outcome = t.getClass().getName();
                examples.putIfAbsent(OPS[op] + " " + outcome, t);
                if (badFd(t)) {
                    problem(OPS[op] + " threw " + t);
                }
            }
            if (outcome != null) {
                pairs.computeIfAbsent(OPS[op] + " " + outcome, k -> new LongAdder()).increment();
            }
            watchdog.beat(id);
        }
        watchdog.done(id);
    }

    /** One operation; "ok", or null when it does not apply to this channel (not recorded). */
    private static String operate(String op, SelectableChannel ch, Selector sel, int arg, ByteBuffer buf)
            throws IOException {
        switch (op) {
            case "read":
                if (!(ch instanceof ReadableByteChannel rc)) {
                    return null;
                }
                rc.read(buf);
                return "ok";
            case "write":
                if (!(ch instanceof WritableByteChannel wc)) {
                    return null;
                }
                wc.write(buf);
                return "ok";
            case "register":
                ch.register(sel, ops(ch, arg), "attachment");
                return "ok";
            case "interestOps": {
                SelectionKey key = ch.keyFor(sel);
                if (key == null) {
                    return null;
                }
                key.interestOps(ops(ch, arg));
                return "ok";
            }
            case "cancel": {
                SelectionKey key = ch.keyFor(sel);
                if (key == null) {
                    return null;
                }
                key.cancel();
                return "ok";
            }
            case "close":
                if ((arg & 0xff) == 0) {   // rarely: the churn thread replaces slots, this adds closes in between
                    ch.close();
                }
                return "ok";
            case "selectNow":
                sel.selectNow();
                return "ok";
            case "selectTimed":
                sel.select(1 + arg % 5);
                return "ok";
            case "select":
                sel.select();   // ended by the churn thread's wakeup
                return "ok";
            case "selectConsumer":
                sel.select(k -> {
                    if (k.isValid()) {
                        k.readyOps();
                    }
                }, 1 + arg % 5);
                return "ok";
            case "wakeup":
                sel.wakeup();
                return "ok";
            case "shutdown":
                if (!(ch instanceof SocketChannel sc)) {
                    return null;
                }
                if ((arg & 0x3f) == 0) {
                    sc.shutdownOutput();
                } else if ((arg & 0x3f) == 1) {
                    sc.shutdownInput();
                }
                return "ok";
            case "accept": {
                if (!(ch instanceof ServerSocketChannel ss)) {
                    return null;
                }
                SocketChannel accepted = ss.accept();
                if (accepted != null) {
                    Links.lingerZero(accepted);
                    accepted.close();
                }
                return "ok";
            }
            case "connect": {
                if (!(ch instanceof ServerSocketChannel ss)) {
                    return null;
                }
                SocketAddress target = ss.getLocalAddress();
                try (SocketChannel client = ss.provider().openSocketChannel()) {
                    client.configureBlocking(false);
                    Links.lingerZero(client);
                    client.connect(target);
                }
                return "ok";
            }
            case "send":
                if (!(ch instanceof DatagramChannel dc)) {
                    return null;
                }
                dc.send(buf, dc.getLocalAddress());
                return "ok";
            case "receive":
                if (!(ch instanceof DatagramChannel dc)) {
                    return null;
                }
                dc.receive(buf);
                return "ok";
            case "option":
                if (!(ch instanceof NetworkChannel nc)) {
                    return null;
                }
                nc.setOption(StandardSocketOptions.SO_RCVBUF, 4096 + arg % 65536);
                nc.getOption(StandardSocketOptions.SO_RCVBUF);
                return "ok";
            case "selectedKeys": {
                var keys = sel.selectedKeys();
                synchronized (keys) {
                    keys.removeIf(k -> !k.isValid() || k.readyOps() >= 0);
                }
                return "ok";
            }
            case "selectedKeysUnsynchronized":
                sel.selectedKeys().clear();   // a program's misuse: the JDK does not make it safe, but survives it
                return "ok";
            case "keyFor":
                ch.keyFor(sel);
                return "ok";
            default:
                throw new AssertionError(op);
        }
    }

    private static int ops(SelectableChannel ch, int arg) {
        return ch.validOps() & (arg >>> 3);
    }

    /** Whether an operation of NIO is specified to throw this: the classes of its javadoc. */
    static boolean specified(Throwable t) {
        return t == null || t instanceof IOException || t instanceof IllegalArgumentException
                || t instanceof UnsupportedOperationException || t instanceof ConcurrentModificationException
                || t instanceof NoSuchElementException
                || (t instanceof IllegalStateException && t.getClass().getPackageName().equals("java.nio.channels"));
    }

    private static boolean badFd(Throwable t) {
        for (Throwable c = t; c != null; c = c.getCause()) {
            if (c.getMessage() != null && c.getMessage().contains("Bad file descriptor")) {
                return true;
            }
        }
        return false;
    }

    private void problem(String what) {
        synchronized (problems) {
            if (problems.indexOf(what) < 0 && problems.length() < 2000) {
                problems.append(problems.length() == 0 ? "" : "; ").append(what);
            }
        }
    }

    private static ThreadFactory virtualThreadFactory() throws ReflectiveOperationException {
        Object builder = Thread.class.getMethod("ofVirtual").invoke(null);
        return (ThreadFactory) Class.forName("java.lang.Thread$Builder").getMethod("factory").invoke(builder);
    }

}
