package io.nativenio.jvm;

import static io.nativenio.jvm.ChildJvm.app;
import static io.nativenio.jvm.ChildJvm.classPath;
import static io.nativenio.jvm.ChildJvm.jar;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.nativenio.jvm.app.UnloadProbe;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
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

    /** The JDK's handler is in place when nativenio is loaded, as in any JVM that used NIO before. */
    @Test
    void theJdksHandlerInPlace() throws Exception {
        run();
    }

    /**
     * Nothing handles the signal when the first copy is loaded (a test library resets it to the default
     * action), so the first copy installs its own handler, which then wakes the JDK's threads and the second
     * copy's: it must still be mapped.
     */
    @Test
    void theFirstCopysHandlerInPlace() throws Exception {
        run(CLibrary.wakeUpSignalSetter(dir, "default", "sa.sa_handler = SIG_DFL;").toString());
    }

    private void run(String... extra) throws Exception {
        Path work = dir.resolve("run");
        Path osLog = work.resolve("os.log");
        List<String> args = new ArrayList<>(List.of("-Xlog:os=info:file=" + osLog, "--add-exports",
                "java.base/sun.nio.ch=ALL-UNNAMED", "-cp", classPath(app(dir)), UnloadProbe.class.getName(),
                jar().toString(), osLog.toString()));
        args.addAll(List.of(extra));
        ChildJvm.Result r = ChildJvm.run(work, args.toArray(new String[0])).assertExited(0);
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
