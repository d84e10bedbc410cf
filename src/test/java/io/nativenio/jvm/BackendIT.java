package io.nativenio.jvm;

import static io.nativenio.jvm.ChildJvm.PROBE;
import static io.nativenio.jvm.ChildJvm.PROPERTY;
import static io.nativenio.jvm.ChildJvm.app;
import static io.nativenio.jvm.ChildJvm.classPath;
import static io.nativenio.jvm.ChildJvm.jar;
import static io.nativenio.jvm.ChildJvm.run;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.nativenio.ch.NativeLibrary;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code -Dnativenio.backend}: the platform's backend by name works, and a backend the jar's library does not
 * carry, or a name that is no backend, makes {@code Selector.open()} throw UnsupportedOperationException
 * saying so, never an UnsatisfiedLinkError (docs/architecture.md#the-selector-nativeselector-over-poller).
 */
class BackendIT {
    @TempDir
    Path dir;

    private ChildJvm.Result probe(String backend) throws Exception {
        return run(dir.resolve(backend), PROPERTY, "-Dnativenio.backend=" + backend, "-cp", classPath(jar(), app(dir)),
                PROBE);
    }

    @Test
    void platformBackendByName() throws Exception {
        probe(NativeLibrary.platform().startsWith("linux-") ? "epoll" : "kqueue").assertProbeWorked();
    }

    @Test
    void backendMissingFromTheLibrary() throws Exception {
        String other = NativeLibrary.platform().startsWith("linux-") ? "kqueue" : "epoll";
        String error = probe(other).assertFailedWith(UnsupportedOperationException.class);
        assertTrue(error.contains("the " + other + " backend is not in the library for platform "
                + NativeLibrary.platform()), error);
    }

    @Test
    void unknownBackend() throws Exception {
        String error = probe("poll").assertFailedWith(UnsupportedOperationException.class);
        assertTrue(error.contains("unknown backend -Dnativenio.backend=poll (epoll, kqueue, io_uring)"), error);
    }
}
