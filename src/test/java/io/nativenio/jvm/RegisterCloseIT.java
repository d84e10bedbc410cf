package io.nativenio.jvm;

import static io.nativenio.jvm.ChildJvm.jdkFeature;
import static io.nativenio.jvm.ChildJvm.program;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.nativenio.jvm.app.RegisterCloseProbe;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Selector.close() racing the first registrations of fresh JVMs (see {@link RegisterCloseProbe}): in every
 * run the close completes, no channel stays registered with the closed selector and no fd is left open.
 * Many JVMs, each closing a little later (0 to 460 microseconds after the registrations start), as the
 * interleaving cannot be forced; the JDK's provider is the control from JDK 24, whose
 * SelectorImpl.register re-checks that the selector is open after adding the key.
 */
class RegisterCloseIT {
    private static final int RUNS = 24;

    @TempDir
    Path dir;

    /** The runs whose output is not {@code close=ok registered=0 leaked=0}, with that output. */
    private List<String> failedRuns(String provider) throws Exception {
        List<String> failed = new ArrayList<>();
        for (int i = 0; i < RUNS; i++) {
            ChildJvm.Result r = program(dir, RegisterCloseProbe.class)
                    .run(provider + i, provider, Integer.toString(i * 20));
            String outcome = "close=" + r.value("close") + " registered=" + r.value("registered") + " leaked="
                    + r.value("leaked");
            if (!outcome.equals("close=ok registered=0 leaked=0")) {
                failed.add(outcome);
            }
        }
        return failed;
    }

    @Test
    void nativenio() throws Exception {
        List<String> failed = failedRuns("nativenio");
        assertTrue(failed.isEmpty(), failed.size() + " of " + RUNS + " runs failed: " + failed);
    }

    @Test
    void jdk() throws Exception {
        assumeTrue(jdkFeature() >= 24, "skipped: the JDK's own provider has this race before JDK 24");
        List<String> failed = failedRuns("jdk");
        assertTrue(failed.isEmpty(), failed.size() + " of " + RUNS + " runs failed: " + failed);
    }
}
