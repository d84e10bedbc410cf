package io.nativenio.ch;

import io.nativenio.epoll.EPollBackend;
import io.nativenio.iouring.IOUringBackend;
import io.nativenio.kqueue.KQueueBackend;
import java.lang.System.Logger.Level;

/**
 * The one place that picks the readiness backend, once per JVM: {@code -Dnativenio.backend=NAME} where
 * given, else the platform's own (epoll on Linux; kqueue on macOS and FreeBSD). Nothing else names a backend.
 * {@code io_uring} is never a default; where the kernel refuses it, epoll serves instead and one log line says
 * why (docs/iouring.md#fallback).
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
            } else if (name.equals("epoll") || name.equals("kqueue") || name.equals("io_uring")) {
                try {
                    b = open(name);
                } catch (UnsatisfiedLinkError e) {
                    if (NativeLibrary.loadedFrom() == null) {
                        throw e; // no library at all: the loader's own error says why
                    }
                    why = "nativenio: the " + name + " backend is not in the library for platform "
                            + NativeLibrary.platform() + " (" + e.getMessage() + ")";
                }
            } else {
                why = "nativenio: unknown backend -D" + PROPERTY + "=" + name + " (epoll, kqueue, io_uring)";
            }
            backend = b;
            error = why;
        }

        private static Backend open(String name) {
            switch (name) {
                case "epoll":
                    return EPollBackend.create();
                case "kqueue":
                    return KQueueBackend.create();
                default:
                    return ioUringOrEpoll();
            }
        }

        /** io_uring where the kernel sets up its rings, else epoll with one log line saying why. */
        private static Backend ioUringOrEpoll() {
            String why = IOUringBackend.unavailable();
            if (why == null) {
                return IOUringBackend.create();
            }
            System.getLogger("io.nativenio").log(Level.WARNING,
                    "nativenio: io_uring is not available (" + why + "); using epoll");
            return EPollBackend.create();
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
