package io.nativenio.bench;

import java.net.URL;
import java.net.URLClassLoader;
import java.nio.channels.spi.SelectorProvider;
import java.nio.file.Path;

/**
 * The providers a benchmark compares: the JDK's (reached reflectively) and ours. {@code jdk-b} is the JDK's
 * again under a second name: a run that has it shows, as jdk-b / jdk, how far two identical providers
 * differ on this machine (the noise band).
 *
 * <p>Ours is loaded from the jar named by {@code -Dbench.nativenio.jar} in a class loader of its own, so its
 * service file never makes it the JVM-wide provider (JMH's own sockets stay on the JDK's); without the
 * property it must be on the class path.
 */
final class Providers {
    private static final String OURS = "io.nativenio.NativeSelectorProvider";

    private Providers() {
    }

    static SelectorProvider of(String name) throws ReflectiveOperationException {
        return switch (name) {
            case "jdk", "jdk-b" -> (SelectorProvider) Class.forName("sun.nio.ch.DefaultSelectorProvider")
                    .getMethod("get").invoke(null);
            case "nativenio" -> (SelectorProvider) ours().getConstructor().newInstance();
            default -> throw new IllegalArgumentException(name);
        };
    }

    private static Class<?> ours() throws ReflectiveOperationException {
        String jar = System.getProperty("bench.nativenio.jar");
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
}
