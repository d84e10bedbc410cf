package io.nativenio.jvm;

import static io.nativenio.jvm.ChildJvm.PROBE;
import static io.nativenio.jvm.ChildJvm.PROPERTY;
import static io.nativenio.jvm.ChildJvm.app;
import static io.nativenio.jvm.ChildJvm.classPath;
import static io.nativenio.jvm.ChildJvm.jar;
import static io.nativenio.jvm.ChildJvm.run;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The three ways a program finds nativenio (behaviours.md#finding-the-provider), each in a fresh JVM running an
 * unmodified program (Probe), and behaviours.md#construction-makes-no-nio-call: constructing the provider makes no NIO
 * call, so the first NIO call of a program, whatever it is, gets nativenio.
 */
class DiscoveryIT {
    @TempDir
    Path dir;

    @Test
    void withoutTheJarTheProbeSeesTheJdkProvider() throws Exception {
        ChildJvm.Result r = run(dir.resolve("run"), "-cp", app(dir).toString(), PROBE).assertProbeWorked();
        assertTrue(r.value("provider").startsWith("sun.nio.ch."), r.describe());
        assertTrue(r.value("selector").startsWith("sun.nio.ch."), r.describe());
        assertTrue(r.values("mapped").isEmpty(), r.describe());
    }

    @Test
    void systemProperty() throws Exception {
        run(dir.resolve("run"), PROPERTY, "-cp", classPath(jar(), app(dir)), PROBE).assertNativenio();
    }

    @Test
    void serviceLoaderOnTheClassPath() throws Exception {
        ChildJvm.Result r = run(dir.resolve("run"), "-cp", classPath(jar(), app(dir)), PROBE).assertNativenio();
        assertEquals("null", r.value("provider.module"), "unnamed module on the class path\n" + r.describe());
    }

    @Test
    void moduleProvidesOnTheModulePath() throws Exception {
        ChildJvm.Result r = run(dir.resolve("run"), "--module-path", jar().toString(), "--add-modules", "io.nativenio",
                "-cp", app(dir).toString(), PROBE).assertNativenio();
        assertEquals("io.nativenio", r.value("provider.module"), r.describe());
    }

    @Test
    void systemPropertyWithTheJarOnTheModulePath() throws Exception {
        ChildJvm.Result r = run(dir.resolve("run"), PROPERTY, "--module-path", jar().toString(), "--add-modules",
                "io.nativenio", "-cp", app(dir).toString(), PROBE).assertNativenio();
        assertEquals("io.nativenio", r.value("provider.module"), r.describe());
    }

    /** The program's first call is Pipe.open(), which constructs the provider inside the JDK's lookup. */
    @Test
    void constructionMakesNoNioCallWhenPipeOpenComesFirst() throws Exception {
        run(dir.resolve("property"), PROPERTY, "-cp", classPath(jar(), app(dir)), PROBE, "pipe-first")
                .assertNativenio();
        run(dir.resolve("service"), "-cp", classPath(jar(), app(dir)), PROBE, "pipe-first").assertNativenio();
    }
}
