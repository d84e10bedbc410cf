package io.nativenio.diff;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.Pipe;
import java.nio.channels.Selector;
import java.nio.channels.spi.SelectorProvider;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Fails a test class that leaves the process with a different number of open fds than it found
 * (DESIGN.md "Testing": leak checks). Registered for every test class through JUnit's extension
 * auto-detection (META-INF/services + junit-platform.properties). The count is retried for up to 2 s
 * because threads of the class and Cleaner actions may still be finishing.
 */
public final class FdLeakCheck implements BeforeAllCallback, AfterAllCallback {
    private static final ExtensionContext.Namespace NS = ExtensionContext.Namespace.create(FdLeakCheck.class);
    private static final Object WARM_UP_LOCK = new Object();
    private static boolean warmedUp;

    @Override
    public void beforeAll(ExtensionContext context) {
        warmUp();
        context.getStore(NS).put("fds", Providers.fdCount());
    }

    @Override
    public void afterAll(ExtensionContext context) throws InterruptedException {
        int before = context.getStore(NS).get("fds", Integer.class);
        long deadline = System.nanoTime() + 2_000_000_000L;
        int now;
        while ((now = Providers.fdCount()) != before && System.nanoTime() < deadline) {
            System.gc();
            Thread.sleep(50);
        }
        if (now != before) {
            throw new AssertionError(context.getDisplayName() + " leaked file descriptors: " + before
                    + " open before the class, " + now + " after");
        }
    }

    /**
     * Creates the process-lifetime fds once (nativenio's dead socket, the JDK's pre-close socket and
     * whatever else the providers open on first use) so that they are not counted as a leak.
     */
    private static void warmUp() {
        synchronized (WARM_UP_LOCK) {
            if (warmedUp) {
                return;
            }
            try {
                for (SelectorProvider p : new SelectorProvider[] {Providers.jdk(), Providers.nativenio()}) {
                    try (Selector s = p.openSelector()) {
                        Pipe pipe = p.openPipe();
                        pipe.source().close();
                        pipe.sink().close();
                        s.selectNow();
                    }
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            warmedUp = true;
        }
    }
}
