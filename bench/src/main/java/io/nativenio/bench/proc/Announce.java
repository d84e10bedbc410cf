package io.nativenio.bench.proc;

import io.nativenio.bench.BackendName;
import java.nio.channels.spi.SelectorProvider;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.CodeSource;

/**
 * What every server of the whole-process runs tells bench/run on its standard output, once it accepts
 * connections: the provider that serves it, the jar it came from and, for nativenio, the readiness backend it
 * picked (so the harness can check that a run measured the provider, the build and the backend it names), and its
 * port.
 */
final class Announce {
    /** The body of every HTTP response, as in the usual plaintext benchmark. */
    static final byte[] HELLO = "Hello, World!".getBytes(StandardCharsets.US_ASCII);

    private Announce() {
    }

    static void listening(int port) {
        Class<?> provider = SelectorProvider.provider().getClass();
        announce(provider.getName(), jar(provider), backend(provider), port);
    }

    /** A server that no SelectorProvider serves (a native transport of Netty): its name instead. */
    static void listening(int port, String transport) {
        announce(transport, "-", "-", port);
    }

    private static void announce(String provider, String jar, String backend, int port) {
        System.out.println("provider " + provider);
        System.out.println("jar " + jar);
        System.out.println("backend " + backend);
        System.out.println("listening " + port);
        System.out.flush();
    }

    /** The jar (or directory) the provider class came from; "-" for the JDK's own. */
    private static String jar(Class<?> provider) {
        CodeSource source = provider.getProtectionDomain().getCodeSource();
        try {
            return source == null ? "-" : Path.of(source.getLocation().toURI()).toString();
        } catch (java.net.URISyntaxException e) {
            return source.getLocation().toString();
        }
    }

    /** nativenio's backend ({@link BackendName}); "-" for the JDK's provider. */
    private static String backend(Class<?> provider) {
        if (!provider.getName().startsWith("io.nativenio.")) {
            return "-";
        }
        try {
            return BackendName.of(provider.getClassLoader());
        } catch (ReflectiveOperationException e) {
            return "unknown (" + e + ")";
        }
    }
}
