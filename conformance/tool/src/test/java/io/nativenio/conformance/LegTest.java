package io.nativenio.conformance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.nativenio.conformance.Outcome.Status;
import io.nativenio.conformance.Outcome.Usage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LegTest {
    static final String ROOT = "/cache/jdk17u-tests/test/jdk/";

    @TempDir
    Path dir;

    @Test
    void readsVerdictsSkipsAndUsage() throws Exception {
        write("leg.properties", "feature=25", "runtime=25.0.3+9", "seconds=42");
        write("tests.txt", "a/Pass.java", "a/Fail.java", "a/Err.java", "a/Skip.java", "a/Ids.java", "a/Requires.java");
        write("report/text/summary.txt",
                "a/Pass.java                 Passed. Execution successful",
                "a/Fail.java                 Failed. Execution failed: `main' threw exception: java.lang.AssertionError",
                "a/Err.java                  Error. Program `java' timed out",
                "a/Skip.java                 Passed. Execution successful",
                "a/Ids.java#id0              Passed. Execution successful",
                "a/Ids.java#id1              Failed. Execution failed");
        write("work/a/Skip.jtr", "STDERR:", "jtreg.SkippedException: no IPv6");
        write("work/a/Pass.jtr", "all good");
        write("provider-use.txt",
                "100 " + ROOT + "a/Pass.java 1",
                "101 " + ROOT + "a/Fail.java 0",
                "102 " + ROOT + "a/Fail.java 1",    // a child JVM of Fail's used the provider
                "103 " + ROOT + "a/Skip.java 0",
                "104 " + ROOT + "a/Ids.java 0",
                "105 " + ROOT + "a/Ids.java 0",
                "106 - 1");
        Leg leg = Leg.read(dir);
        assertEquals(25, leg.feature);
        assertEquals("25.0.3+9", leg.runtime);
        assertEquals(42, leg.seconds);
        assertNull(leg.skipped);
        assertEquals(new Outcome(Status.PASS, "Passed. Execution successful", Usage.USED), leg.outcomes.get("a/Pass.java"));
        assertEquals(Status.FAIL, leg.outcomes.get("a/Fail.java").status());
        assertEquals(Usage.USED, leg.outcomes.get("a/Fail.java").usage());
        assertEquals(new Outcome(Status.ERROR, "Error. Program `java' timed out", Usage.UNKNOWN), leg.outcomes.get("a/Err.java"));
        assertEquals(new Outcome(Status.SKIP, "Passed. Execution successful", Usage.UNUSED), leg.outcomes.get("a/Skip.java"));
        assertEquals(new Outcome(Status.FAIL, "Failed. Execution failed", Usage.UNUSED), leg.outcomes.get("a/Ids.java"));
        assertEquals(Status.SKIP, leg.outcomes.get("a/Requires.java").status());
        assertEquals(Usage.UNUSED, leg.outcomes.get("a/Requires.java").usage());
    }

    @Test
    void aSkippedLegHasOnlyItsReason() throws Exception {
        write("leg.properties", "feature=21", "skipped=no trixie root (needs root for debootstrap)");
        Leg leg = Leg.read(dir);
        assertEquals("no trixie root (needs root for debootstrap)", leg.skipped);
        assertEquals(Map.of(), leg.outcomes);
    }

    @Test
    void aJvmWithNoTestFileIsNobodys() {
        assertEquals(Map.of("a/T.java", Usage.UNUSED), Leg.usage(List.of("7 " + ROOT + "a/T.java 0", "8 - 1", "garbage")));
    }

    private void write(String name, String... lines) throws Exception {
        Path p = dir.resolve(name);
        Files.createDirectories(p.getParent());
        Files.write(p, List.of(lines));
    }
}
