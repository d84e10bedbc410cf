package io.nativenio.jvm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.nativenio.jvm.app.ClassicBugs;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.LongStream;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The compatibility-testing mode finds the classic bugs of {@link ClassicBugs}: each passes on the JDK's provider
 * over loopback, and on nativenio's with the mode off, and fails under the mode's short writes (or short reads)
 * for at least 95 of 100 seeds at the default rate. The seeds run in a few child JVMs, each seed on a copy of
 * nativenio of its own (see {@link ClassicBugs}); every copy's own report of its seed is checked.
 */
class ClassicBugIT {
    private static final int SEEDS = 100;
    private static final int JVMS = 4;

    @TempDir
    Path dir;

    @ParameterizedTest
    @ValueSource(strings = {"write", "read"})
    void passesWithoutTheMode(String bug) throws Exception {
        for (String provider : new String[] {"jdk", "nativenio"}) {
            ChildJvm.Result r = ChildJvm.program(dir, ClassicBugs.class).run(bug + "-" + provider, bug, provider);
            assertEquals("ok", r.value("result"), provider + "\n" + r.describe());
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"write", "read"})
    void failsUnderTheModeForAlmostEverySeed(String bug) throws Exception {
        String option = bug.equals("write") ? "short-writes" : "short-reads";
        List<String> broken = new ArrayList<>();
        List<String> passed = new ArrayList<>();
        for (int jvm = 0; jvm < JVMS; jvm++) {
            List<String> seeds = LongStream.range(jvm * SEEDS / JVMS, (jvm + 1) * SEEDS / JVMS)
                    .mapToObj(s -> Long.toString(1000 + s)).collect(Collectors.toList());
            List<String> args = new ArrayList<>(List.of(bug, "seeds"));
            args.addAll(seeds);
            ChildJvm.Result r = ChildJvm.program(dir, ClassicBugs.class).options("-Dnativenio.compat=" + option)
                    .run(bug + "-" + jvm, args.toArray(new String[0]));
            for (String seed : seeds) {
                assertEquals(seed, r.value("seed." + seed), "the copy ran with its own seed\n" + r.describe());
                String result = r.value("result." + seed);
                assertTrue(result != null, r.describe());
                (result.equals("ok") ? passed : broken).add(seed + ": " + result);
            }
        }
        assertEquals(SEEDS, broken.size() + passed.size());
        assertTrue(broken.size() >= 95, "found by " + broken.size() + " seeds of " + SEEDS + "; passed: " + passed);
    }
}
