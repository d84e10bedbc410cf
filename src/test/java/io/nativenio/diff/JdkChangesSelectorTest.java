package io.nativenio.diff;

import static java.nio.channels.SelectionKey.OP_READ;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.channels.CancelledKeyException;
import java.nio.channels.Pipe;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.nio.channels.spi.SelectorProvider;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Selector and key behaviours that changed between JDK 17 and JDK 25 (docs/jdk-changes.md#selectors). nativenio
 * has the newer behaviour on every JDK; the JDK's own provider is skipped where its older releases race.
 */
class JdkChangesSelectorTest {
    private static final int REGISTER_ROUNDS = 20_000;
    private static final int CLOSE_ROUNDS = 300;

    /**
     * JDK 19 (JDK-8287580): register while another thread cancels every key in keys() returns the key (perhaps
     * already cancelled) instead of throwing CancelledKeyException from inside register
     * (jdk-changes.md#register-racing-a-cancel).
     */
    @DiffTest
    void registerRacingCancelReturnsTheKey(SelectorProvider provider) throws Exception {
        assumeTrue(provider != Providers.jdk() || Runtime.version().feature() >= 19,
                "skipped: JDK 17's own provider may throw CancelledKeyException from register in this race");
        try (Selector sel = provider.openSelector(); SocketChannel sc = provider.openSocketChannel()) {
            sc.configureBlocking(false);
            AtomicBoolean done = new AtomicBoolean();
            Async<Object> canceller = Async.start("canceller", () -> {
                while (!done.get()) {
                    sel.keys().forEach(SelectionKey::cancel);
                }
                return null;
            });
            try {
                for (int i = 0; i < REGISTER_ROUNDS; i++) {
                    SelectionKey key = sc.register(sel, OP_READ);
                    sel.selectNow();
                    key.cancel();
                    do {
                        sel.selectNow();
                    } while (sel.keys().contains(key));
                }
            } finally {
                done.set(true);
            }
            canceller.get();
        }
    }

    /**
     * JDK 24 (JDK-8336339): SelectionKey.interestOps, interestOpsOr and interestOpsAnd racing Selector.close
     * throw nothing or CancelledKeyException, never ClosedSelectorException
     * (jdk-changes.md#interest-changes-racing-a-close).
     */
    @DiffTest
    void interestOpsRacingCloseThrowsNoClosedSelectorException(SelectorProvider provider) throws Exception {
        assumeTrue(provider != Providers.jdk() || Runtime.version().feature() >= 24,
                "skipped: the JDK's own provider before JDK 24 may throw ClosedSelectorException in this race");
        List<String> failures = new ArrayList<>();
        for (int round = 0; round < CLOSE_ROUNDS; round++) {
            Pipe p = provider.openPipe();
            try {
                p.source().configureBlocking(false);
                Selector sel = provider.openSelector();
                SelectionKey key = p.source().register(sel, OP_READ);
                CyclicBarrier start = new CyclicBarrier(2);
                int variant = round % 3;
                Async<Object> changer = Async.start("interest-changer", () -> {
                    start.await();
                    try {
                        for (int i = 0; ; i++) {
                            int ops = (i & 1) == 0 ? 0 : OP_READ;
                            if (variant == 0) {
                                key.interestOps(ops);
                            } else if (variant == 1) {
                                key.interestOpsOr(ops);
                            } else {
                                key.interestOpsAnd(ops);
                            }
                        }
                    } catch (CancelledKeyException expected) {
                        return null;
                    }
                });
                start.await();
                sel.close();
                try {
                    changer.get();
                } catch (java.util.concurrent.ExecutionException e) {
                    failures.add("round " + round + ": " + e.getCause());
                }
                assertFalse(key.isValid());
            } finally {
                p.source().close();
                p.sink().close();
            }
        }
        assertEquals(List.of(), failures);
    }
}
