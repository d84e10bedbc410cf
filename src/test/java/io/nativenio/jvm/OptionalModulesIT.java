package io.nativenio.jvm;

import static io.nativenio.jvm.ChildJvm.jar;
import static io.nativenio.jvm.ChildJvm.run;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * jdk.jfr and java.management are optional (docs/observability.md#runtimes-without-jfr-or-jmx): on a runtime
 * limited to java.base and java.logging the self-check passes every check, from the class path and from the
 * module path, and says that there is no MXBean; with java.management but no jdk.jfr the MXBean is there.
 */
class OptionalModulesIT {
    @TempDir
    Path dir;

    private ChildJvm.Result selfCheck(String name, String... args) throws Exception {
        ChildJvm.Result r = run(dir.resolve(name), args).assertNoCrash();
        assertEquals(0, r.exitCode(), r.describe());
        assertTrue(r.stdout().contains(" passed, 0 failed\n"), r.describe());
        assertTrue(r.stdout().lines().noneMatch(l -> l.startsWith("FAIL")), r.describe());
        return r;
    }

    @Test
    void classPathWithoutJfrOrManagement() throws Exception {
        ChildJvm.Result r = selfCheck("cp", "--limit-modules", "java.base,java.logging", "-jar", jar().toString());
        assertTrue(r.stdout().contains("\ncounters   no MXBean: the runtime has no java.management\n"), r.describe());
    }

    @Test
    void modulePathWithoutJfrOrManagement() throws Exception {
        ChildJvm.Result r = selfCheck("mp", "--limit-modules", "java.base,java.logging", "--module-path",
                jar().toString(), "-m", "io.nativenio/io.nativenio.selfcheck.SelfCheck");
        assertTrue(r.stdout().contains("\ncounters   no MXBean: the runtime has no java.management\n"), r.describe());
    }

    @Test
    void managementWithoutJfr() throws Exception {
        ChildJvm.Result r = selfCheck("jmx", "--limit-modules", "java.base,java.logging,java.management", "-Dnativenio.mxbean=true", "-jar",
                jar().toString());
        assertTrue(r.stdout().contains("\ncounters   MXBean io.nativenio:type=SelectorProvider,id=1\n"), r.describe());
    }
}
