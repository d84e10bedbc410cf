package io.nativenio.compat;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.EnumSet;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** The switches of the compatibility-testing mode and its generator (the mode itself is off in this JVM). */
class CompatTest {
    @Test
    void offUnlessAsked() {
        assertFalse(Compat.ON);
        assertTrue(Compat.options(null).isEmpty());
        assertTrue(Compat.options(" ").isEmpty());
    }

    @Test
    void optionsByName() {
        assertEquals(EnumSet.of(Compat.Option.SHORT_WRITES, Compat.Option.SHUFFLE_KEYS),
                Compat.options("short-writes, shuffle-keys"));
        assertEquals(EnumSet.allOf(Compat.Option.class), Compat.options("all"));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Compat.options("short-writes,shuffle-key"));
        assertTrue(e.getMessage().startsWith("-Dnativenio.compat: unknown option 'shuffle-key'; known: all, "
                + "short-writes, short-reads, false-ready, shuffle-keys,"), e.getMessage());
    }

    @Test
    void seedAndRate() {
        assertEquals(-42, Compat.seed("-42"));
        assertThrows(IllegalArgumentException.class, () -> Compat.seed("x"));
        assertEquals(0.3, Compat.rate(null));
        assertEquals(0.0, Compat.rate("0"));
        assertEquals(1.0, Compat.rate("1"));
        for (String bad : new String[] {"-0.1", "1.5", "NaN", "many"}) {
            assertThrows(IllegalArgumentException.class, () -> Compat.rate(bad), bad);
        }
    }

    @Test
    void diceRepeatsForTheSameIdentityAndStream() {
        Dice a = new Dice(7, 1);
        Dice b = new Dice(7, 1);
        Dice other = new Dice(7, 2);
        long differ = 0;
        for (int i = 0; i < 1000; i++) {
            long x = a.nextLong();
            assertEquals(x, b.nextLong());
            differ += x != other.nextLong() ? 1 : 0;
        }
        assertEquals(1000, differ);
        assertNotEquals(new Dice(7, 1).nextLong(), new Dice(8, 1).nextLong());
    }

    @Test
    void belowIsInRangeAndCoversIt() {
        Dice d = new Dice(1, 0);
        int[] seen = new int[5];
        for (int i = 0; i < 10_000; i++) {
            seen[d.below(5)]++;
        }
        for (int n : seen) {
            assertTrue(n > 1500 && n < 2500, () -> java.util.Arrays.toString(seen));
        }
        assertEquals(0, d.below(1));
    }

    @Test
    void callSiteIsTheFirstFrameOutsideNativenioAndTheJdk() {
        StackTraceElement[] stack = {
            new StackTraceElement("io.nativenio.ch.SocketChannelImpl", "write", "SocketChannelImpl.java", 1),
            new StackTraceElement(null, "java.base", "17", "java.nio.channels.Channels", "write", "Channels.java", 2),
            new StackTraceElement("com.example.App", "send", "App.java", 3),
        };
        assertEquals("com.example.App.send(App.java:3)", Reports.callSite(stack));
    }

    @Test
    void callSitesOfProgramsUnderIoNativenioAreTheirs() {
        StackTraceElement[] stack = {
            new StackTraceElement("io.nativenio.ch.NativeSelector$1", "next", "NativeSelector.java", 1),
            new StackTraceElement("io.nativenio.jvm.app.Probe", "main", "Probe.java", 2),
        };
        assertEquals("io.nativenio.jvm.app.Probe.main(Probe.java:2)", Reports.callSite(stack));
    }

    /** The list of nativenio's own packages is the packages of its classes. */
    @Test
    void ownPackagesAreTheLibrarysPackages() throws Exception {
        Path classes = Path.of(Compat.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        assertTrue(Files.isDirectory(classes), "the test reads a class directory, not: " + classes);
        Set<String> packages;
        try (Stream<Path> files = Files.walk(classes)) {
            packages = files.filter(f -> f.toString().endsWith(".class") && !classes.relativize(f).startsWith("META-INF")
                    && !f.getFileName().toString().equals("module-info.class"))
                    .map(f -> classes.relativize(f.getParent()).toString().replace(java.io.File.separatorChar, '.'))
                    .collect(Collectors.toSet());
        }
        assertEquals(packages, Reports.OWN_PACKAGES);
    }
}
