package io.nativenio.bench;

import java.net.URL;
import java.net.URLClassLoader;
import java.nio.channels.spi.SelectorProvider;
import java.nio.file.Path;

/**
 * The providers a benchmark compares: the JDK's (reached reflectively), ours, and optionally a baseline. {@code
 * jdk-b} is the JDK's again under a second name: a run that has it shows, as jdk-b / jdk, how far two identical
 * providers differ on this machine (the noise band). {@code baseline} is nativenio again, from another jar (a build
 * of an older commit, say): ours / baseline shows what a change costs, beside that band.
 *
 * <p>Ours is loaded from the jar named by {@code -Dbench.nativenio.jar}, the baseline from the jar named by
 * {@code -Dbench.baseline.jar}, each in a class loader of its own, so that neither's service file makes it the
 * JVM-wide provider (JMH's own sockets stay on the JDK's) and the two never share a class; without the property
 * ours must be on the class path. With {@code -Dnativenio.backend=NAME} (bench/run --backend) each checks that the
 * backend it got is the one asked for: the io_uring backend falls back to epoll where the kernel refuses it, and a
 * benchmark of that fallback must fail, not pass for io_uring.
 */
final class Providers {
    private static final String OURS = "io.nativenio.NativeSelectorProvider";

    private Providers() {
    }

    static SelectorProvider of(String name) throws ReflectiveOperationException {
        return switch (name) {
            case "jdk", "jdk-b" -> (SelectorProvider) Class.forName("sun.nio.ch.DefaultSelectorProvider")
                    .getMethod("get").invoke(null);
            case "nativenio" -> checked(ours(System.getProperty("bench.nativenio.jar")));
            case "baseline" -> checked(ours(required("bench.baseline.jar")));
            default -> throw new IllegalArgumentException(name);
        };
    }

    private static String required(String property) {
        String value = System.getProperty(property);
        if (value == null) {
            throw new IllegalArgumentException("provider baseline needs -D" + property + "=JAR (bench/run --baseline=JAR)");
        }
        return value;
    }

    private static Class<?> ours(String jar) throws ReflectiveOperationException {
        if (jar == null) {
            return Class.forName(OURS);
        }
        try {
            URL url = Path.of(jar).toUri().toURL();
            // Never closed: the provider's classes live as long as the benchmark's JVM.
            return Class.forName(OURS, true, new URLClassLoader(new URL[] {url}, Providers.class.getClassLoader()));
        } catch (java.net.MalformedURLException e) {
            throw new IllegalArgumentException(jar, e);
        }
    }

    private static SelectorProvider checked(Class<?> provider) throws ReflectiveOperationException {
        SelectorProvider p = (SelectorProvider) provider.getConstructor().newInstance();
        String wanted = System.getProperty("nativenio.backend");
        String got = BackendName.of(provider.getClassLoader());
        if (wanted != null && !wanted.equals(got)) {
            throw new IllegalStateException("nativenio from " + provider.getProtectionDomain().getCodeSource()
                    + " runs on the " + got + " backend, not on " + wanted + " (see its WARNING line)");
        }
        return p;
    }
}
