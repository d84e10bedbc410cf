package io.nativenio.it;

import static io.nativenio.it.ChildJvm.app;
import static io.nativenio.it.ChildJvm.classPath;
import static io.nativenio.it.ChildJvm.jar;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.nativenio.it.app.UnloadProbe;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * nativenio in a class loader that is collected, as in an application server that undeploys a web
 * application: the JVM unloads the JNI library of a collected loader, and the JDK's channels and a second
 * copy of nativenio in another loader then wake threads blocked in I/O with the signal whose process-wide
 * handler nativenio may have installed. The library stays mapped, and nothing crashes (see
 * {@link UnloadProbe} for the steps).
 */
class UnloadIT {
    @TempDir
    Path dir;

    @Test
    void signalsAfterTheLibraryOfACollectedLoaderWasUnloaded() throws Exception {
        Path work = dir.resolve("run");
        Path osLog = work.resolve("os.log");
        ChildJvm.Result r = ChildJvm.run(work, "-Xlog:os=info:file=" + osLog, "--add-exports",
                "java.base/sun.nio.ch=ALL-UNNAMED", "-cp", classPath(app(dir)), UnloadProbe.class.getName(),
                jar().toString(), osLog.toString()).assertNoCrash();
        assertEquals(0, r.exitCode(), r.describe());
        for (String step : new String[] {"jdk.before", "copy1", "jdk.after", "copy2", "jdk.last"}) {
            assertEquals("AsynchronousCloseException", r.value(step), step + "\n" + r.describe());
        }
        assertEquals("true", r.value("loader1.unloaded"), "the JVM unloaded the first copy\n" + r.describe());
        assertEquals("true", r.value("loader2.unloaded"), "the JVM unloaded the second copy\n" + r.describe());
        assertEquals("1", r.value("mapped.after.unload"), "the first copy stays mapped\n" + r.describe());
        assertEquals("2", r.value("mapped.at.end"), "both copies stay mapped\n" + r.describe());
        assertEquals("true", r.value("done"), r.describe());
    }
}
