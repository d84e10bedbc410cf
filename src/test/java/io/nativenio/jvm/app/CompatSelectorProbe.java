package io.nativenio.jvm.app;

import io.nativenio.compat.Reports;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.nio.channels.Pipe;
import java.nio.channels.SelectableChannel;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.spi.SelectorProvider;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.StringJoiner;

/**
 * The selector side of the compatibility-testing mode (docs/testing.md), run in a child JVM with or without
 * {@code -Dnativenio.compat}: single-threaded scenarios whose every decision is printed, so that runs can be
 * compared, and the misuse scenarios, whose reports are printed. Arguments: {@code jdk} or {@code nativenio},
 * then the scenarios to run, in that order:
 *
 * <ul>
 * <li>{@code false-ready}: channels that never have anything to read or accept (pipe sources, a listening
 *     socket, a datagram socket), selected 40 times with selectNow (the set cleared before two selects of three,
 *     so that keys also accumulate), 10 times with selectNow(action), and 10 times with a blocking select after a
 *     wakeup(). Prints {@code false-ready.trace=} what each select returned and selected,
 *     {@code false-ready.found=} what the operations of the selected keys found, and {@code false-ready.blocking=}
 *     what the blocking selects returned.
 * <li>{@code shuffle-keys}: 8 pipes whose sources are always readable, selected 20 times into an emptied
 *     selected-key set and 20 times with an action. Prints {@code shuffle-keys.set=} and
 *     {@code shuffle-keys.action=}, the pipes' numbers in the order seen, one select after another.
 * <li>{@code empty-selects}: one always readable pipe, selected 30 times with select(), 10 with selectNow() and
 *     10 with select(action), the set emptied before each. Prints {@code empty-selects.select=},
 *     {@code empty-selects.selectNow=} and {@code empty-selects.action=}, what they returned.
 * <li>{@code misuse}: the selected-key set iterated by another thread during a blocked select; an interest change
 *     and a registration made by another thread during a blocked select with no wakeup() after them, each then
 *     ended by another channel's readiness; and the same change followed by wakeup(). Prints
 *     {@code misuse.selected=} what each blocked select returned and selected.
 * <li>{@code loop}: the main thread selects on one selector three times, then blocks in a select on a second
 *     one (ended by a wakeup() before it), selects on the second without blocking, then closes the first and
 *     blocks on the second again.
 * </ul>
 *
 * <p>After every select it checks the contract of the return value (the number of keys that joined the
 * selected-key set or whose ready set gained an operation; with an action, the number of keys it was called
 * for) and of the ready sets (within the interest set, not empty), and prints {@code contract=ok} at the end, or
 * {@code contract=} the first breach. With nativenio it prints {@code report=}{@code <count> <kind> at <site>}
 * for every call site the mode's detectors reported.
 */
public final class CompatSelectorProbe {
    private static final ByteBuffer ONE = ByteBuffer.allocate(1);
    private static String breach;

    private CompatSelectorProbe() {
    }

    public static void main(String[] args) throws Exception {
        ProbeSupport.runCases(args, Map.of("false-ready", CompatSelectorProbe::falseReady,
                "shuffle-keys", CompatSelectorProbe::shuffleKeys, "empty-selects", CompatSelectorProbe::emptySelects,
                "misuse", CompatSelectorProbe::misuse, "loop", CompatSelectorProbe::loop));
        System.out.println("contract=" + (breach == null ? "ok" : breach));
        if (!args[0].equals("jdk")) {
            Reports.counts().forEach((site, n) -> System.out.println("report=" + n + " " + site));
        }
    }

    // ---- false-ready

    private static void falseReady(SelectorProvider provider) throws IOException {
        try (Selector sel = provider.openSelector();
                ServerSocketChannel server = provider.openServerSocketChannel();
                DatagramChannel dc = provider.openDatagramChannel()) {
            List<Pipe> pipes = new ArrayList<>();
            for (int i = 0; i < 4; i++) {
                Pipe p = provider.openPipe();
                pipes.add(p);
                register(p.source(), sel, SelectionKey.OP_READ, "p" + i);
            }
            server.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
            register(server, sel, SelectionKey.OP_ACCEPT, "server");
            dc.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
            register(dc, sel, SelectionKey.OP_READ, "udp");

            StringJoiner trace = new StringJoiner(" ");
            StringJoiner found = new StringJoiner(" ");
            for (int round = 0; round < 40; round++) {
                if (round % 3 != 2) {
                    sel.selectedKeys().clear();
                }
                int n = checkedSelectNow(sel);
                trace.add(n + selected(sel.selectedKeys()));
                for (SelectionKey k : sel.selectedKeys()) {
                    found.add(k.attachment() + "=" + operate(k));
                }
            }
            sel.selectedKeys().clear();
            for (int round = 0; round < 10; round++) {
                List<SelectionKey> called = new ArrayList<>();
                int n = sel.selectNow(called::add);
                checkAction(n, called);
                trace.add("a" + n + selected(called));
                for (SelectionKey k : called) {
                    found.add(k.attachment() + "=" + operate(k));
                }
            }
            StringJoiner blocking = new StringJoiner(",");
            for (int round = 0; round < 10; round++) {
                sel.selectedKeys().clear();
                sel.wakeup();
                blocking.add(Integer.toString(sel.select()));
            }
            System.out.println("false-ready.trace=" + trace);
            System.out.println("false-ready.found=" + found);
            System.out.println("false-ready.blocking=" + blocking);
            for (Pipe p : pipes) {
                p.source().close();
                p.sink().close();
            }
        }
    }

    /** What the operation a key is ready for finds on a channel that never has anything for it. */
    private static String operate(SelectionKey k) throws IOException {
        SelectableChannel ch = k.channel();
        if (ch instanceof ServerSocketChannel s) {
            return String.valueOf(s.accept());
        }
        if (ch instanceof DatagramChannel d) {
            return String.valueOf(d.receive(ByteBuffer.allocate(16)));
        }
        return Integer.toString(((Pipe.SourceChannel) ch).read(ByteBuffer.allocate(16)));
    }

    // ---- shuffle-keys

    private static void shuffleKeys(SelectorProvider provider) throws IOException {
        try (Selector sel = provider.openSelector()) {
            List<Pipe> pipes = readablePipes(provider, sel, 8);
            StringJoiner set = new StringJoiner(" ");
            for (int round = 0; round < 20; round++) {
                sel.selectedKeys().clear();
                checkedSelectNow(sel);
                set.add(selected(sel.selectedKeys()));
            }
            StringJoiner action = new StringJoiner(" ");
            for (int round = 0; round < 20; round++) {
                List<SelectionKey> called = new ArrayList<>();
                checkAction(sel.selectNow(called::add), called);
                action.add(selected(called));
            }
            System.out.println("shuffle-keys.set=" + set);
            System.out.println("shuffle-keys.action=" + action);
            close(pipes);
        }
    }

    // ---- empty-selects

    private static void emptySelects(SelectorProvider provider) throws IOException {
        try (Selector sel = provider.openSelector()) {
            List<Pipe> pipes = readablePipes(provider, sel, 1);
            StringJoiner select = new StringJoiner(",");
            for (int round = 0; round < 30; round++) {
                sel.selectedKeys().clear();
                Map<SelectionKey, Integer> before = snapshot(sel);
                int n = sel.select();
                checkCount(sel, before, n);
                select.add(Integer.toString(n));
            }
            StringJoiner selectNow = new StringJoiner(",");
            for (int round = 0; round < 10; round++) {
                sel.selectedKeys().clear();
                selectNow.add(Integer.toString(checkedSelectNow(sel)));
            }
            StringJoiner action = new StringJoiner(",");
            for (int round = 0; round < 10; round++) {
                List<SelectionKey> called = new ArrayList<>();
                int n = sel.select(called::add);
                checkAction(n, called);
                action.add(Integer.toString(n));
            }
            System.out.println("empty-selects.select=" + select);
            System.out.println("empty-selects.selectNow=" + selectNow);
            System.out.println("empty-selects.action=" + action);
            close(pipes);
        }
    }

    // ---- misuse

    private static void misuse(SelectorProvider provider) throws Exception {
        StringJoiner selected = new StringJoiner(" ");
        try (Selector sel = provider.openSelector()) {
            Pipe p = provider.openPipe();
            register(p.source(), sel, SelectionKey.OP_READ, "p");
            Blocked select = Blocked.select(sel);
            iterateWhileSelecting(sel);
            sel.wakeup();
            selected.add(select.result());
            iterateAfterTheSelect(sel);
            close(List.of(p));
        }
        selected.add(lateChange(provider, false));
        selected.add(lateChange(provider, true));
        selected.add(lateRegister(provider));
        System.out.println("misuse.selected=" + selected);
    }

    /** The selected-key set iterated while another thread selects: reported. */
    private static void iterateWhileSelecting(Selector sel) {
        for (Iterator<SelectionKey> it = sel.selectedKeys().iterator(); it.hasNext();) {
            it.next();
        }
    }

    /** An iteration once the select returned (a call site of its own): not reported. */
    private static void iterateAfterTheSelect(Selector sel) {
        sel.selectedKeys().forEach(k -> { });
    }

    /**
     * A key of a pipe with a byte waiting gets OP_READ from another thread while a select blocks (and then
     * wakeup() if {@code wakeup}); a second pipe then becomes readable. Returns what the select selected.
     */
    private static String lateChange(SelectorProvider provider, boolean wakeup) throws Exception {
        try (Selector sel = provider.openSelector()) {
            List<Pipe> pipes = readablePipes(provider, sel, 1);
            pipes.get(0).source().keyFor(sel).interestOps(0);
            Pipe other = provider.openPipe();
            register(other.source(), sel, SelectionKey.OP_READ, "other");
            sel.selectNow(); // the interest changes above take effect
            Blocked select = Blocked.select(sel);
            Thread changer = new Thread(() -> {
                if (wakeup) {
                    wokenChange(sel, pipes.get(0));
                } else {
                    unwokenChange(sel, pipes.get(0));
                }
            });
            changer.start();
            changer.join();
            other.sink().write(ONE.duplicate());
            String result = select.result();
            close(pipes);
            close(List.of(other));
            return result;
        }
    }

    private static void unwokenChange(Selector sel, Pipe p) {
        p.source().keyFor(sel).interestOps(SelectionKey.OP_READ);
    }

    private static void wokenChange(Selector sel, Pipe p) {
        p.source().keyFor(sel).interestOps(SelectionKey.OP_READ);
        sel.wakeup();
    }

    /** As lateChange: a channel registered from another thread during a blocked select. */
    private static String lateRegister(SelectorProvider provider) throws Exception {
        try (Selector sel = provider.openSelector()) {
            Pipe late = provider.openPipe();
            late.sink().write(ONE.duplicate());
            late.source().configureBlocking(false);
            Pipe other = provider.openPipe();
            register(other.source(), sel, SelectionKey.OP_READ, "other");
            Blocked select = Blocked.select(sel);
            Thread registrar = new Thread(() -> {
                try {
                    late.source().register(sel, SelectionKey.OP_READ, "late");
                } catch (IOException e) {
                    throw new IllegalStateException(e);
                }
            });
            registrar.start();
            registrar.join();
            other.sink().write(ONE.duplicate());
            String result = select.result();
            close(List.of(late, other));
            return result;
        }
    }

    /** A select() on a thread of its own, and what it returned and selected, once it returns. */
    private static final class Blocked {
        private final Thread thread;
        private String result;

        private Blocked(Selector sel) {
            thread = new Thread(() -> {
                try {
                    int n = sel.select();
                    result = n + selected(sel.selectedKeys());
                } catch (IOException e) {
                    result = e.toString();
                }
            }, "selecting");
        }

        /** Starts the select and returns once it waits in the kernel. */
        static Blocked select(Selector sel) throws InterruptedException {
            Blocked b = new Blocked(sel);
            b.thread.start();
            awaitInPoll(b.thread);
            return b;
        }

        String result() throws InterruptedException {
            thread.join();
            return result;
        }
    }

    /**
     * Waits until {@code t} runs a native method under the selector's doSelect, and still does a moment later
     * (20 looks in a row, a millisecond apart), i.e. it waits in the kernel.
     */
    private static void awaitInPoll(Thread t) throws InterruptedException {
        for (int seen = 0; seen < 20; Thread.sleep(1)) {
            if (!t.isAlive()) {
                throw new IllegalStateException("the select returned at once");
            }
            StackTraceElement[] stack = t.getStackTrace();
            boolean inPoll = stack.length > 0 && stack[0].isNativeMethod()
                    && Arrays.stream(stack).anyMatch(e -> e.getMethodName().equals("doSelect"));
            seen = inPoll ? seen + 1 : 0;
        }
    }

    // ---- loop

    private static void loop(SelectorProvider provider) throws IOException {
        Selector first = provider.openSelector();
        try (Selector second = provider.openSelector()) {
            for (int i = 0; i < 3; i++) {
                first.selectNow();
            }
            second.wakeup();
            blockOnASecondSelector(second);
            second.selectNow();
            first.close();
            second.wakeup();
            blockAfterTheFirstClosed(second);
        }
    }

    private static void blockOnASecondSelector(Selector second) throws IOException {
        second.select();
    }

    private static void blockAfterTheFirstClosed(Selector second) throws IOException {
        second.select();
    }

    // ---- shared

    private static void register(SelectableChannel ch, Selector sel, int ops, String name) throws IOException {
        ch.configureBlocking(false);
        ch.register(sel, ops, name);
    }

    /** {@code n} pipes, each with a byte waiting, their sources registered for reading, named by their number. */
    private static List<Pipe> readablePipes(SelectorProvider provider, Selector sel, int n) throws IOException {
        List<Pipe> pipes = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            Pipe p = provider.openPipe();
            p.sink().write(ONE.duplicate());
            register(p.source(), sel, SelectionKey.OP_READ, Integer.toString(i));
            pipes.add(p);
        }
        return pipes;
    }

    private static void close(List<Pipe> pipes) throws IOException {
        for (Pipe p : pipes) {
            p.source().close();
            p.sink().close();
        }
    }

    /** The keys' names and ready sets in order: {@code [p0:1,server:16]}. */
    private static String selected(Iterable<SelectionKey> keys) {
        StringJoiner j = new StringJoiner(",", "[", "]");
        for (SelectionKey k : keys) {
            j.add(k.attachment() + ":" + k.readyOps());
        }
        return j.toString();
    }

    /** Every key's ready set, for the keys in the selected-key set. */
    private static Map<SelectionKey, Integer> snapshot(Selector sel) {
        Map<SelectionKey, Integer> m = new HashMap<>();
        for (SelectionKey k : sel.selectedKeys()) {
            m.put(k, k.readyOps());
        }
        return m;
    }

    private static int checkedSelectNow(Selector sel) throws IOException {
        Map<SelectionKey, Integer> before = snapshot(sel);
        int n = sel.selectNow();
        checkCount(sel, before, n);
        return n;
    }

    /**
     * Selector.select's return value: the keys that joined the set plus the keys already in it whose ready set
     * gained an operation; every selected key's ready set is within its interest set and not empty.
     */
    private static void checkCount(Selector sel, Map<SelectionKey, Integer> before, int n) {
        int updated = 0;
        for (SelectionKey k : sel.selectedKeys()) {
            Integer old = before.get(k);
            if (old == null || (k.readyOps() & ~old) != 0) {
                updated++;
            }
            checkReady(k);
        }
        if (n != updated) {
            breach("select returned " + n + " for " + updated + " updated keys");
        }
    }

    /** select(action) returns the number of keys it called the action for, once each at least. */
    private static void checkAction(int n, List<SelectionKey> called) {
        long distinct = called.stream().distinct().count();
        if (n != distinct) {
            breach("select(action) returned " + n + " for " + distinct + " keys");
        }
        called.forEach(CompatSelectorProbe::checkReady);
    }

    private static void checkReady(SelectionKey k) {
        if (k.readyOps() == 0 || (k.readyOps() & ~k.interestOps()) != 0) {
            breach(k.attachment() + ": ready set " + k.readyOps() + ", interest set " + k.interestOps());
        }
    }

    private static void breach(String what) {
        if (breach == null) {
            breach = what;
        }
    }
}
