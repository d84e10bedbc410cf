package io.nativenio.it.app;

import java.lang.ref.WeakReference;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.ByteBuffer;
import java.nio.channels.AsynchronousCloseException;
import java.nio.channels.Pipe;
import java.nio.channels.spi.SelectorProvider;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.concurrent.atomic.AtomicReference;

/**
 * nativenio loaded by a class loader that is then collected, as a web application that is undeployed: the
 * JVM unloads a JNI library of a collected loader, but the process-wide handler of the signal that wakes
 * threads blocked in I/O must stay callable. Arguments: the packaged jar (not on the class path) and the file
 * that {@code -Xlog:os=info:file=<it>} writes, where the JVM logs each library it unloads ("Unloaded shared
 * library"); the JVM also needs {@code --add-exports java.base/sun.nio.ch=ALL-UNNAMED}.
 *
 * <p>Order: the JDK's channels first (so the JDK's handler is in place, as in any JVM that used NIO before
 * the web application was deployed), then a nativenio copy in loader 1, collected; then the JDK's channels
 * and a second nativenio copy in loader 2 wake a blocked reader with the same signal. Prints {@code key=value}
 * lines; a handler in unmapped memory crashes the JVM at {@code jdk.after} or {@code copy2}.
 */
public final class UnloadProbe {
    private static final String LIBRARY = "libnativenio.so";
    private static final String UNLOADED = "Unloaded shared library";
    private static final int GC_ROUNDS = 500;

    private static Path osLog;

    private UnloadProbe() {
    }

    public static void main(String[] args) throws Exception {
        URL jar = Path.of(args[0]).toUri().toURL();
        osLog = Path.of(args[1]);
        SelectorProvider jdk = ProbeSupport.provider("jdk");
        report("jdk.before", asyncCloseOfBlockedRead(jdk));
        WeakReference<ClassLoader> loader1 = useCopy("copy1", jar);
        report("mapped.before.unload", Long.toString(mappedCopies()));
        report("loader1.unloaded", Boolean.toString(collect(loader1)));
        report("mapped.after.unload", Long.toString(mappedCopies()));
        report("jdk.after", asyncCloseOfBlockedRead(jdk));
        WeakReference<ClassLoader> loader2 = useCopy("copy2", jar);
        report("mapped.with.copy2", Long.toString(mappedCopies()));
        report("loader2.unloaded", Boolean.toString(collect(loader2)));
        report("mapped.at.end", Long.toString(mappedCopies()));
        report("jdk.last", asyncCloseOfBlockedRead(jdk));
        report("done", "true");
    }

    private static void report(String key, String value) {
        System.out.println(key + "=" + value);
        System.out.flush(); // the line must be out before a crash in the next step
    }

    /**
     * Loads nativenio from {@code jar} in a new loader (parent: the platform loader, so nothing of it comes
     * from the class path), wakes a blocked read on its pipe with an asynchronous close, and drops every
     * reference to the loader but the returned weak one.
     */
    private static WeakReference<ClassLoader> useCopy(String name, URL jar) throws Exception {
        URLClassLoader loader = new URLClassLoader(name, new URL[] {jar}, ClassLoader.getPlatformClassLoader());
        SelectorProvider provider = (SelectorProvider) loader.loadClass("io.nativenio.NativeSelectorProvider")
                .getConstructor().newInstance();
        report(name + ".provider", provider.getClass().getName() + " in " + provider.getClass().getClassLoader());
        report(name, asyncCloseOfBlockedRead(provider));
        loader.close();
        return new WeakReference<>(loader);
    }

    /**
     * A thread blocked reading a pipe of {@code provider}; the source is closed from here, which signals
     * the reader. The outcome: the class of what the read threw (AsynchronousCloseException expected).
     */
    private static String asyncCloseOfBlockedRead(SelectorProvider provider) throws Exception {
        Pipe pipe = provider.openPipe();
        AtomicReference<Object> outcome = new AtomicReference<>();
        Thread reader = new Thread(() -> {
            try {
                outcome.set("returned " + pipe.source().read(ByteBuffer.allocate(1)));
            } catch (Throwable t) {
                outcome.set(t);
            }
        }, "reader");
        reader.start();
        awaitInNativeRead(reader);
        pipe.source().close();
        reader.join();
        pipe.sink().close();
        Object o = outcome.get();
        return o instanceof AsynchronousCloseException ? "AsynchronousCloseException" : String.valueOf(o);
    }

    /**
     * Until {@code t} runs a native method under a read (the signal reaches it either in the syscall or just
     * before it, and the handler runs either way; the close makes a read that starts later see end-of-file).
     */
    private static void awaitInNativeRead(Thread t) throws InterruptedException {
        while (true) {
            StackTraceElement[] st = t.getStackTrace();
            if (st.length > 0 && st[0].isNativeMethod()
                    && Arrays.stream(st).anyMatch(e -> e.getMethodName().startsWith("read"))) {
                return;
            }
            if (!t.isAlive()) {
                throw new AssertionError("the reader ended before blocking");
            }
            Thread.onSpinWait();
        }
    }

    /**
     * Collects the loader and waits for the JVM to unload its JNI library (a cleaner does that after the
     * loader is collected, and logs it): GC rounds until both happened, at most {@link #GC_ROUNDS}. Returns
     * whether both happened.
     */
    private static boolean collect(WeakReference<ClassLoader> loader) throws Exception {
        long unloadsBefore = unloads();
        for (int i = 0; i < GC_ROUNDS; i++) {
            System.gc();
            if (loader.get() == null && unloads() > unloadsBefore) {
                return true;
            }
            Thread.sleep(10); // the cleaner thread's turn
        }
        return false;
    }

    /** How many libraries the JVM has unloaded so far (the log is written synchronously). */
    private static long unloads() throws Exception {
        return new String(Files.readAllBytes(osLog), java.nio.charset.StandardCharsets.ISO_8859_1).lines()
                .filter(l -> l.contains(UNLOADED)).count();
    }

    /** How many distinct files named libnativenio.so are mapped into this process. */
    private static long mappedCopies() throws Exception {
        return Files.readAllLines(Path.of("/proc/self/maps")).stream()
                .filter(l -> l.contains("/" + LIBRARY))
                .map(l -> l.substring(l.indexOf('/')))
                .distinct().count();
    }
}
