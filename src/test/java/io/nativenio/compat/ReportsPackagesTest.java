package io.nativenio.compat;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The packages whose frames a report skips to find the call site are exactly nativenio's: those of the classes
 * compiled from src/main/java (a package added there and forgotten in the list would be taken for the program).
 */
class ReportsPackagesTest {
    @Test
    void thePackagesAreNativeniosOwn() throws Exception {
        Path classes = Path.of(Reports.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        Set<String> packages;
        try (Stream<Path> files = Files.walk(classes)) {
            packages = files.filter(f -> f.toString().endsWith(".class") && !f.endsWith("module-info.class"))
                    .map(f -> classes.relativize(f.getParent()).toString().replace('/', '.'))
                    .collect(Collectors.toCollection(TreeSet::new));
        }
        assertEquals(packages, new TreeSet<>(Reports.PACKAGES));
    }

    @Test
    void aProgramUnderIoNativenioIsTheCallSite() {
        StackTraceElement[] stack = {
            new StackTraceElement("io.nativenio.ch.ChannelCompat", "blockingOperation", "ChannelCompat.java", 1),
            new StackTraceElement("io.nativenio.NativeSelectorProvider", "openPipe", "NativeSelectorProvider.java", 2),
            new StackTraceElement("io.nativenio.jvm.app.Probe", "main", "Probe.java", 3),
        };
        assertEquals("io.nativenio.jvm.app.Probe.main(Probe.java:3)", Reports.callSite(stack));
    }
}
