package io.nativenio.jvm.app;

import java.lang.ref.WeakReference;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.channels.spi.SelectorProvider;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * nativenio loaded by a class loader that is then collected, as a web application that is undeployed: the
 * JVM unloads a JNI library of a collected loader, but the process-wide handler of the signal that wakes
 * threads blocked in I/O must stay callable. Arguments: the packaged jar (not on the class path) and the file
 * that {@code -Xlog:os=info:file=<it>} writes, where the JVM logs each library it unloads ("Unloaded shared
 * library"); optionally a library to System.load before the first copy, which resets the signal to its
 * default action, so that the first copy installs its own handler and the later steps run it. The JVM
 * also needs {@code --add-exports java.base/sun.nio.ch=ALL-UNNAMED}.
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
        report("jdk.before", BlockedRead.asyncClose(jdk));
        if (args.length > 2) {
            System.load(args[2]);
        }
        WeakReference<ClassLoader> loader1 = useCopy("copy1", jar);
        report("mapped.before.unload", Long.toString(mappedCopies()));
        report("loader1.unloaded", Boolean.toString(collect(loader1)));
        report("mapped.after.unload", Long.toString(mappedCopies()));
        report("jdk.after", BlockedRead.asyncClose(jdk));
        WeakReference<ClassLoader> loader2 = useCopy("copy2", jar);
        report("mapped.with.copy2", Long.toString(mappedCopies()));
        report("loader2.unloaded", Boolean.toString(collect(loader2)));
        report("mapped.at.end", Long.toString(mappedCopies()));
        report("jdk.last", BlockedRead.asyncClose(jdk));
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
        report(name, BlockedRead.asyncClose(provider));
        loader.close();
        return new WeakReference<>(loader);
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
        return new String(Files.readAllBytes(osLog), StandardCharsets.ISO_8859_1).lines()
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
