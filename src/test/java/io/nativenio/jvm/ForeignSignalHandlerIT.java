package io.nativenio.jvm;

import static io.nativenio.jvm.ChildJvm.program;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.nativenio.jvm.app.ForeignHandlerProbe;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The signal that wakes threads blocked in I/O has a handler installed by other code, with SA_RESTART:
 * nativenio keeps it (replacing it could break its owner) and says so in a warning; an asynchronous close
 * of a blocked read then ends as on the JDK's provider (the close has replaced the fd by a dead socket, so
 * the resumed read sees end-of-file). The other code is a small C library built with {@code cc}.
 */
class ForeignSignalHandlerIT {
    private static final String WARNING = "already has a handler, installed by other code with SA_RESTART";

    @TempDir
    Path dir;

    @Test
    void keptAndReportedAndAsyncCloseEndsAsOnTheJdk() throws Exception {
        Path lib = CLibrary.wakeUpSignalSetter(dir, "restarting", "sa.sa_handler = noop; sa.sa_flags = SA_RESTART;");
        ChildJvm.Result jdk = probe(lib, "jdk");
        ChildJvm.Result ours = probe(lib, "nativenio");
        assertEquals("io.nativenio.NativeSelectorProvider", ours.value("provider"), ours.describe());
        assertTrue(ours.stderr().contains(WARNING), "nativenio warns about the kept handler\n" + ours.describe());
        assertFalse(jdk.stderr().contains(WARNING), jdk.describe());
        assertEquals(jdk.value("outcome"), ours.value("outcome"), "the same outcome on both providers\n"
                + jdk.describe() + "\n" + ours.describe());
    }

    private ChildJvm.Result probe(Path lib, String provider) throws Exception {
        ChildJvm.Result r = program(dir, ForeignHandlerProbe.class).run(provider, lib.toString(), provider);
        assertEquals("AsynchronousCloseException", r.value("jdk.before"), r.describe());
        assertEquals("true", r.value("done"), r.describe());
        return r;
    }
}
