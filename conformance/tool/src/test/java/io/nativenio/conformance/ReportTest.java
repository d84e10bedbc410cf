package io.nativenio.conformance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.nativenio.conformance.Outcome.Status;
import io.nativenio.conformance.Outcome.Usage;
import io.nativenio.conformance.Report.Verdict;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ReportTest {
    static final Outcome PASS = new Outcome(Status.PASS, "Passed.", Usage.USED);
    static final Outcome FAIL = new Outcome(Status.FAIL, "Failed. boom", Usage.USED);

    @TempDir
    Path dir;
    Report report;

    @BeforeEach
    void lists() throws Exception {
        write("tests.txt", "t/Ok.java", "t/X.java", "t/Hang.java", "t/NA.java", "t/Flaky.java");
        write("expected-failures.txt", "t/X.java 25 - fails on 25 with the JDK's own provider too",
                "t/Flaky.java all - intermittent: fails when the interrupt lands before the first write");
        write("excluded.txt", "t/Hang.java all - hangs");
        write("not-applicable.txt", "t/NA.java all - opens no channel");
        write("behaviours.md", "# B");
        report = new Report(Lists.load(dir, dir.resolve("behaviours.md")), List.of(), false);
    }

    @Test
    void verdicts() {
        assertOk(Verdict.PASSED, report.judge(25, "t/Ok.java", PASS));
        assertProblem(Verdict.FAILED, report.judge(25, "t/Ok.java", FAIL), "unexpected: Failed. boom");
        assertOk(Verdict.EXPECTED, report.judge(25, "t/X.java", FAIL));
        assertProblem(Verdict.PASSED, report.judge(25, "t/X.java", PASS), "but passed");
        assertProblem(Verdict.FAILED, report.judge(17, "t/X.java", FAIL), "unexpected");
        assertOk(Verdict.EXPECTED, report.judge(17, "t/Hang.java", null));
        assertProblem(Verdict.FAILED, report.judge(17, "t/Ok.java", null), "no result");
    }

    @Test
    void notApplicableNeedsTheRecordsToShowTheProviderUnused() {
        assertOk(Verdict.NOT_APPLICABLE, report.judge(17, "t/NA.java", new Outcome(Status.FAIL, "Failed.", Usage.UNUSED)));
        assertProblem(Verdict.NOT_APPLICABLE, report.judge(17, "t/NA.java", PASS), "provider was used");
        assertProblem(Verdict.NOT_APPLICABLE, report.judge(17, "t/NA.java", new Outcome(Status.PASS, "Passed.", Usage.UNKNOWN)), "no JVM");
        assertProblem(Verdict.PASSED, report.judge(17, "t/Ok.java", new Outcome(Status.PASS, "Passed.", Usage.UNUSED)), "not-applicable.txt");
    }

    @Test
    void anIntermittentFailureMayPassOrFail() {
        assertOk(Verdict.PASSED, report.judge(17, "t/Flaky.java", PASS));
        assertOk(Verdict.EXPECTED, report.judge(17, "t/Flaky.java", FAIL));
    }

    @Test
    void aSkipIsNotAPass() {
        assertProblem(Verdict.FAILED, report.judge(17, "t/Ok.java", new Outcome(Status.SKIP, "Passed.", Usage.USED)), "unexpected");
    }

    @Test
    void checkExcludedRunsTheExcludedAndRatchetsThem() throws Exception {
        Report r = new Report(Lists.load(dir, dir.resolve("behaviours.md")), List.of(), true);
        assertProblem(Verdict.FAILED, r.judge(17, "t/Hang.java", null), "no result");
        assertProblem(Verdict.PASSED, r.judge(17, "t/Hang.java", PASS), "excluded.txt but passed");
        assertOk(Verdict.EXPECTED, r.judge(17, "t/Hang.java", FAIL));
    }

    @Test
    void countsSummaryAndSuggestionsOfLegs() throws Exception {
        Path l17 = leg("17", "t/Ok.java Passed.", "t/X.java Failed. on 17", "t/NA.java Passed.", Lists.SENTINEL + " Passed.");
        Path l21 = dir.resolve("21");
        Files.createDirectories(l21);
        Files.write(l21.resolve("leg.properties"), List.of("feature=21", "skipped=no trixie root"));
        List<Leg> legs = List.of(Leg.read(l17), Leg.read(l21));
        Report r = new Report(Lists.load(dir, dir.resolve("behaviours.md")), legs, false);
        assertEquals(new Report.Counts(1, 1, 1, 1), r.counts(legs.get(0)));
        assertEquals(1, r.problems.size(), r.problems.toString());
        List<String> md = r.summary(legs, "head");
        assertTrue(md.contains("| 17 | 17.0.15 | 1 | 1 | 1 | 1 | 4 | 9 s |"), md.toString());
        assertTrue(md.contains("| 21 | skipped: no trixie root | | | | | | |"), md.toString());
        assertEquals(List.of("add      expected-failures.txt: t/X.java  all  TODO  TODO: FAIL Failed. on 17"), r.suggestions());
        assertTrue(r.lines(legs).contains("jdk21: skipped: no trixie root"));
    }

    @Test
    void aFailedSentinelIsAProblem() throws Exception {
        Path l = leg("17", "t/Ok.java Passed.", "t/X.java Passed.", "t/NA.java Passed.", Lists.SENTINEL + " Failed. provider is sun.nio.ch");
        Report r = new Report(Lists.load(dir, dir.resolve("behaviours.md")), List.of(Leg.read(l)), false);
        assertTrue(r.problems.get(0).contains("sentinel"), r.problems.toString());
    }

    private Path leg(String feature, String... summary) throws Exception {
        Path l = dir.resolve(feature);
        Files.createDirectories(l.resolve("report/text"));
        Files.write(l.resolve("leg.properties"), List.of("feature=" + feature, "runtime=17.0.15", "seconds=9"));
        Files.write(l.resolve("report/text/summary.txt"), List.of(summary));
        Files.write(l.resolve("tests.txt"), List.of("t/Ok.java", "t/X.java", "t/NA.java", Lists.SENTINEL));    // t/Flaky.java: not asked for
        String root = "/c/test/jdk/";
        Files.write(l.resolve("provider-use.txt"), List.of("1 " + root + "t/Ok.java 1", "2 " + root + "t/X.java 1",
                "3 " + root + "t/NA.java 0", "4 " + root + Lists.SENTINEL + " 1"));
        return l;
    }

    private static void assertOk(Verdict v, Report.Row r) {
        assertEquals(v, r.verdict(), r.toString());
        assertFalse(r.problem(), r.toString());
    }

    private static void assertProblem(Verdict v, Report.Row r, String note) {
        assertEquals(v, r.verdict(), r.toString());
        assertTrue(r.problem(), r.toString());
        assertTrue(r.note().contains(note), r.toString());
    }

    private void write(String name, String... lines) throws Exception {
        Files.write(dir.resolve(name), List.of(lines));
    }
}
