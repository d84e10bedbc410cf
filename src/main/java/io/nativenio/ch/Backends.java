package io.nativenio.ch;

import io.nativenio.epoll.EPollBackend;
import io.nativenio.kqueue.KQueueBackend;

/**
 * The one place that picks the readiness backend, once per JVM: {@code -Dnativenio.backend=NAME} where
 * given, else the platform's own (epoll on Linux; kqueue on macOS and FreeBSD). Nothing else names a backend.
 */
public final class Backends {
    static final String PROPERTY = "nativenio.backend";

    private Backends() {
    }

    /** The backend of this JVM; UnsupportedOperationException if there is none for the platform or the property. */
    public static Backend get() {
        Choice c = Choice.CHOICE;
        if (c.backend == null) {
            throw new UnsupportedOperationException(c.error);
        }
        return c.backend;
    }

    private static final class Choice {
        static final Choice CHOICE = new Choice();

        final Backend backend;
        final String error;

        private Choice() {
            String requested = SystemProperties.get(PROPERTY);
            String name = requested != null ? requested : platformDefault(NativeLibrary.platform());
            Backend b = null;
            String why = null;
            if (name == null) {
                why = "nativenio: no readiness backend for platform " + NativeLibrary.platform();
            } else if (name.equals("epoll") || name.equals("kqueue")) {
                try {
                    b = name.equals("epoll") ? new EPollBackend() : new KQueueBackend();
                } catch (UnsatisfiedLinkError e) {
                    if (NativeLibrary.loadedFrom() == null) {
                        throw e; // no library at all: the loader's own error says why
                    }
                    why = "nativenio: the " + name + " backend is not in the library for platform "
                            + NativeLibrary.platform() + " (" + e.getMessage() + ")";
                }
            } else {
                why = "nativenio: unknown backend -D" + PROPERTY + "=" + name + " (epoll, kqueue)";
            }
            backend = b;
            error = why;
        }

        private static String platformDefault(String platform) {
            if (platform.startsWith("linux-")) {
                return "epoll";
            }
            if (platform.startsWith("macos-") || platform.startsWith("freebsd-")) {
                return "kqueue";
            }
            return null;
        }
    }
}
