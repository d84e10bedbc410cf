package io.nativenio.conformance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.nativenio.conformance.Lists.Kind;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ListsTest {
    static final Set<String> ANCHORS = Set.of("wakeup", "key-sets");
    static final Set<String> TESTS = Set.of("a/A.java", "a/B.java");

    @TempDir
    Path dir;

    @Test
    void anchorsFollowGitHub() {
        assertEquals(Set.of("wakeup", "select-with-an-action", "readiness-per-channel-type", "so_linger"),
                Lists.anchors(List.of("# Wakeup", "text", "### Select with an action", "## Readiness (per) channel type!", "#### SO_LINGER")));
    }

    @Test
    void parsesALine() throws Exception {
        Entry e = Lists.parse("x.txt", List.of("# comment", "", "a/A.java  17,25  wakeup,key-sets  it fails, because"), ANCHORS, TESTS).get(0);
        assertEquals("a/A.java", e.test());
        assertEquals(Set.of(17, 25), e.jdks());
        assertEquals("it fails, because", e.reason());
        assertTrue(e.holdsFor(25));
        assertFalse(e.holdsFor(21));
        assertEquals("x.txt:3: a/A.java  17,25  wakeup,key-sets  it fails, because", e.where());
        assertTrue(Lists.parse("x.txt", List.of("a/A.java all - why"), ANCHORS, TESTS).get(0).holdsFor(99));
    }

    @Test
    void refusesBadLines() {
        for (String bad : List.of("a/A.java 17 wakeup", "a/A.java 17 wakeup TODO: why", "a/A.java seventeen wakeup why",
                "a/A.java 17, wakeup why", "a/A.java 17 no-such-heading why", "a/A.java 17 Wakeup why",
                "a/C.java 17 wakeup not in tests.txt", Lists.SENTINEL + " 17 wakeup the sentinel"))
            assertThrows(SetupException.class, () -> Lists.parse("x.txt", List.of(bad), ANCHORS, Set.of("a/A.java", Lists.SENTINEL)), bad);
    }

    @Test
    void loadsTheFourFilesAndFindsByJdk() throws Exception {
        write("tests.txt", "# all", "a/A.java", "a/B.java");
        write("expected-failures.txt", "a/A.java 25 wakeup fails on 25");
        write("excluded.txt", "a/B.java 17 - hangs on 17");
        write("not-applicable.txt", "a/A.java 17 - never opens a channel");
        Lists l = Lists.load(dir, behaviours());
        assertEquals(List.of("a/A.java", "a/B.java"), List.copyOf(l.tests));
        assertTrue(l.find(Kind.EXPECTED, "a/A.java", 25).isPresent());
        assertTrue(l.find(Kind.EXPECTED, "a/A.java", 17).isEmpty());
        assertTrue(l.find(Kind.NOT_APPLICABLE, "a/A.java", 17).isPresent());
        assertTrue(l.find(Kind.EXCLUDED, "a/B.java", 17).isPresent());
    }

    @Test
    void aTestHasOneLinePerJdkAcrossTheLists() throws Exception {
        write("tests.txt", "a/A.java");
        write("expected-failures.txt", "a/A.java 21,25 wakeup fails");
        write("excluded.txt", "a/A.java all - hangs");
        write("not-applicable.txt");
        assertTrue(assertThrows(SetupException.class, () -> Lists.load(dir, behaviours())).getMessage().contains("two lines"));
        write("excluded.txt", "a/A.java 17 - hangs");
        Lists.load(dir, behaviours());
    }

    @Test
    void testsTxtHoldsEachTestOnce() throws Exception {
        write("tests.txt", "a/A.java", "a/A.java");
        write("expected-failures.txt");
        write("excluded.txt");
        write("not-applicable.txt");
        assertThrows(SetupException.class, () -> Lists.load(dir, behaviours()));
        write("tests.txt", "a/A.java extra");
        assertThrows(SetupException.class, () -> Lists.load(dir, behaviours()));
    }

    private Path behaviours() throws Exception {
        return Files.write(dir.resolve("behaviours.md"), List.of("# Behaviours", "### Wakeup", "### Key sets"));
    }

    private void write(String name, String... lines) throws Exception {
        Files.write(dir.resolve(name), List.of(lines));
    }
}
