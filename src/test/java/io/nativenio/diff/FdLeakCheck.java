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
 * (an fd leak). Registered for every test class through JUnit's extension
 * auto-detection (META-INF/services + junit-platform.properties). The count is retried for up to 2 s
 * because threads of the class and Cleaner actions may still be finishing.
 */
public final class FdLeakCheck implements BeforeAllCallback, AfterAllCallback {
    private static final ExtensionContext.Namespace NS = ExtensionContext.Namespace.create(FdLeakCheck.class);
    private static final Object WARM_UP_LOCK = new Object();
    private static boolean warmedUp;

    @Override
    public void beforeAll(ExtensionContext context) throws InterruptedException {
        warmUp();
        context.getStore(NS).put("fds", settledCount());
        context.getStore(NS).put("list", fdList());
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
                    + " open before the class, " + now + " after\nbefore: "
                    + context.getStore(NS).get("list", String.class) + "\nafter:  " + fdList());
        }
    }

    /**
     * The fd count once unreachable objects of earlier classes (JDK or JUnit file handles closed by a
     * Cleaner, for example) are gone: a GC, then until two counts 50 ms apart agree (at most 1 s). A count
     * that drops during the class would otherwise look like this class closed an fd it did not open.
     */
    private static int settledCount() throws InterruptedException {
        System.gc();
        int last = Providers.fdCount();
        for (int i = 0; i < 20; i++) {
            Thread.sleep(50);
            int now = Providers.fdCount();
            if (now == last) {
                return now;
            }
            last = now;
        }
        return last;
    }

    /** The open fds and what they point to, for the failure message. */
    private static String fdList() {
        StringBuilder sb = new StringBuilder();
        try (java.util.stream.Stream<java.nio.file.Path> s = java.nio.file.Files.list(java.nio.file.Path.of("/proc/self/fd"))) {
            s.sorted(java.util.Comparator.comparingInt(p -> Integer.parseInt(p.getFileName().toString()))).forEach(p -> {
                String target;
                try {
                    target = java.nio.file.Files.readSymbolicLink(p).toString();
                } catch (IOException e) {
                    target = "?";
                }
                sb.append(p.getFileName()).append("->").append(target).append(' ');
            });
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return sb.toString();
    }

    /**
     * On JDK 21 and later, parks a virtual thread in a pipe read of {@code p} until a byte arrives: the pollers
     * that park virtual threads (the JDK's and nativenio's) open their fds on first use and keep them.
     */
    private static void parkVirtualThreadInRead(SelectorProvider p) throws IOException {
        java.lang.invoke.MethodHandle start;
        try {
            start = java.lang.invoke.MethodHandles.publicLookup().findStatic(Thread.class, "startVirtualThread",
                    java.lang.invoke.MethodType.methodType(Thread.class, Runnable.class));
        } catch (ReflectiveOperationException e) {
            return; // JDK 17: no virtual threads
        }
        Pipe pipe = p.openPipe();
        try {
            java.util.concurrent.FutureTask<Integer> read = new java.util.concurrent.FutureTask<>(
                    () -> pipe.source().read(java.nio.ByteBuffer.allocate(1)));
            Thread t = (Thread) start.invoke((Runnable) read);
            Providers.awaitWaiting(t);
            pipe.sink().write(java.nio.ByteBuffer.wrap(new byte[1]));
            read.get(10, java.util.concurrent.TimeUnit.SECONDS);
        } catch (IOException | RuntimeException | Error e) {
            throw e;
        } catch (Throwable e) {
            throw new AssertionError(e);
        } finally {
            pipe.source().close();
            pipe.sink().close();
        }
    }

    /**
     * Creates the process-lifetime fds once (nativenio's dead socket, the JDK's pre-close socket and
     * whatever else the providers open on first use) so that they are not counted as a leak. The JDK's
     * SecureRandom opens /dev/random and /dev/urandom for good on first use: library extraction does that
     * first, -Dnativenio.library.path skips it, and then the first test class that makes a temporary file
     * would be blamed.
     */
    private static void warmUp() {
        synchronized (WARM_UP_LOCK) {
            if (warmedUp) {
                return;
            }
            new java.security.SecureRandom().nextInt();
            try {
                for (SelectorProvider p : new SelectorProvider[] {Providers.jdk(), Providers.nativenio()}) {
                    try (Selector s = p.openSelector()) {
                        Pipe pipe = p.openPipe();
                        pipe.source().close();
                        pipe.sink().close();
                        s.selectNow();
                    }
                    parkVirtualThreadInRead(p);
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            warmedUp = true;
        }
    }
}
