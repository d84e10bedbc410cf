package io.nativenio.stress;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * fd-number reuse: a channel registered with a selector is closed, and a new channel that gets the same
 * fd number is registered with the same selector and made readable. The old key must never be selected
 * or handed to the action of {@code select(Consumer)}, and must stay invalid; only the new key is.
 * The fd numbers are read from /proc/self/fd, and the check counts how often the number really was reused.
 */
record FdReuseCheck(Options options, Results results) implements Main.EachProvider {
    private static final String NAME = "reuse";

    @Override
    public void run(Providers.Named p) throws Exception {
        long cycles = options.cycles(3_000, 20_000);
        SplittableRandom random = new SplittableRandom(options.seed());
        long reused = 0;
        String failure = null;
        long t0 = System.nanoTime();
        try (Watchdog watchdog = new Watchdog(NAME, p.name(), results, 1, options.hangSeconds());
             Links links = new Links(p.provider());
             Selector selector = p.provider().openSelector()) {
            for (long i = 0; i < cycles && failure == null; i++) {
                try {
                    reused += cycle(links, selector, random, i) ? 1 : 0;
                } catch (CheckFailure e) {
                    failure = e.getMessage();
                } catch (IOException | RuntimeException e) {
                    e.printStackTrace(System.out);
                    failure = "cycle " + i + ": " + e;
                }
                watchdog.beat(0);
            }
        }
        String detail = String.format("cycles=%d threads=1 duration=%.1fs fd numbers reused=%d", cycles,
                (System.nanoTime() - t0) / 1e9, reused);
        if (failure != null) {
            results.fail(NAME, p.name(), detail + ": " + failure);
        } else if (reused < cycles / 2) {
            results.fail(NAME, p.name(), detail + ": the new channel got the old fd number in fewer than half"
                    + " the cycles, the check did not test what it should");
        } else {
            results.pass(NAME, p.name(), detail);
        }
    }

    /** One reuse; true when the new channel got the old one's fd number. */
    private static boolean cycle(Links links, Selector selector, SplittableRandom random, long i)
            throws IOException, CheckFailure {
        Map<Integer, String> before = Fds.snapshot();
        Links.Link old = links.openAny(random);
        int oldFd = Fds.lowestNewChannel(before, Fds.snapshot());
        old.in().configureBlocking(false);
        SelectionKey oldKey = old.in().register(selector, SelectionKey.OP_READ, "old");
        if (random.nextBoolean()) {          // the old key was selected once: it has ready ops
            Links.poke(old);
            selector.select(1000);
            selector.selectedKeys().clear();
        }
        old.close();                         // closed while registered: the fd is released at the next select
        selector.selectNow();
        before = Fds.snapshot();
        try (Links.Link fresh = links.openAny(random)) {
            int newFd = Fds.lowestNewChannel(before, Fds.snapshot());
            fresh.in().configureBlocking(false);
            SelectionKey newKey = fresh.in().register(selector, SelectionKey.OP_READ, "new");
            Links.poke(fresh);
            List<SelectionKey> seen = new ArrayList<>();
            if (random.nextBoolean()) {
                selector.select(seen::add, 10_000);
            } else {
                selector.select(10_000);
                seen.addAll(selector.selectedKeys());
                selector.selectedKeys().clear();
            }
            if (oldKey.isValid() || seen.contains(oldKey) || !seen.equals(List.of(newKey))) {
                throw new CheckFailure("cycle " + i + " (fd " + oldFd + " then " + newFd + "): selected " + seen
                        + ", old key valid=" + oldKey.isValid() + ", attachments " + attachments(seen));
            }
            ByteBuffer b = ByteBuffer.allocate(4);
            if (fresh.reader().read(b) != 1) {
                throw new CheckFailure("cycle " + i + ": the new channel did not read the byte written to it");
            }
            newKey.cancel();
            return oldFd == newFd && oldFd >= 0;
        } finally {
            selector.selectNow();
        }
    }

    private static List<Object> attachments(List<SelectionKey> keys) {
        List<Object> list = new ArrayList<>();
        keys.forEach(k -> list.add(k.attachment()));
        return list;
    }
}
