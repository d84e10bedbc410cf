package io.nativenio.jvm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.nativenio.jvm.app.CompatChannelProbe;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The channel side of the compatibility-testing mode (docs/testing.md), from {@link CompatChannelProbe} in child
 * JVMs: each perturbation off, at rate 0 and at rate 1, replayed from the seed the mode logged, and the leak and
 * loop-blocking detectors on and off.
 */
class CompatChannelsIT {
    private static final String PERTURBATIONS = "-Dnativenio.compat=short-writes,short-reads,deferred-connect,"
            + "small-buffers";
    private static final String[] SCENARIOS = {"nativenio", "writes", "reads", "connect", "buffers"};
    private static final int SIZE = 1000;
    private static final String SMALL = "4096,16384";
    private static final Pattern LOGGED_SEED = Pattern.compile("replay with -Dnativenio\\.compat\\.seed=(-?\\d+)");
    private static final Pattern REPORT = Pattern.compile("report\\.([a-z-]+) at [\\w.$]+\\.([\\w$]+)\\(.*=(\\d+)");

    @TempDir
    Path dir;

    private ChildJvm.Result run(String work, List<String> options, String... scenarios) throws Exception {
        ChildJvm.Result r = ChildJvm.program(dir, CompatChannelProbe.class).options(options.toArray(new String[0]))
                .run(work, scenarios);
        assertEquals("true", r.value("done"), r.describe());
        return r;
    }

    private static List<Long> numbers(ChildJvm.Result r, String key) {
        String v = r.value(key);
        assertTrue(v != null, key + "\n" + r.describe());
        return Arrays.stream(v.split(",")).map(Long::valueOf).collect(Collectors.toList());
    }

    /** The detectors' reports of {@code kind}: the method of each call site, and how often it was reported. */
    private static Map<String, Long> reports(ChildJvm.Result r, String kind) {
        Map<String, Long> m = new TreeMap<>();
        for (String line : r.stdout().lines().collect(Collectors.toList())) {
            Matcher x = REPORT.matcher(line);
            if (x.matches() && x.group(1).equals(kind)) {
                m.merge(x.group(2), Long.valueOf(x.group(3)), Long::sum);
            }
        }
        return m;
    }

    private static void assertNoTwoZerosInARow(List<Long> values, String what) {
        for (int i = 1; i < values.size(); i++) {
            assertFalse(values.get(i - 1) == 0 && values.get(i) == 0, what + ": two zeros in a row: " + values);
        }
    }

    /** What a run without perturbations shows: every transfer whole, every connect as the kernel made it. */
    private static void assertUnperturbed(ChildJvm.Result r) {
        for (String key : new String[] {"socket.writes", "socket.gathering", "pipe.writes", "socket.reads",
            "socket.scattering", "pipe.reads", "stream.read"}) {
            assertTrue(numbers(r, key).stream().allMatch(n -> n == SIZE), key + "\n" + r.describe());
        }
        assertEquals("-1", r.value("socket.eof"), r.describe());
        assertEquals(1L << 20, numbers(r, "socket.blocking").get(0));
        // the kernel completes a UNIX connect at once: nothing to wait for
        assertTrue(r.value("unix.connect").matches("true(,true)*"), r.describe());
        for (String key : new String[] {"tcp.falses", "unix.falses"}) {
            assertTrue(numbers(r, key).stream().allMatch(n -> n == 0), key + "\n" + r.describe());
        }
        assertEquals("true", r.value("tcp.connectable"), r.describe());
        assertEquals("65536,65536", r.value("set"), r.describe());
    }

    @Test
    void offLeavesChannelsAlone() throws Exception {
        ChildJvm.Result r = run("off", List.of(), SCENARIOS);
        assertUnperturbed(r);
        assertNotEquals(SMALL, r.value("opened"), r.describe());
        assertNotEquals(SMALL, r.value("accepted"), r.describe());
        assertFalse(r.stderr().contains("compatibility-testing mode"), r.describe());
    }

    /** Rate 0: the seeded perturbations never happen; small-buffers, which is not seeded, does. */
    @Test
    void rateZeroNeverPerturbs() throws Exception {
        ChildJvm.Result r = run("never", List.of(PERTURBATIONS, "-Dnativenio.compat.rate=0"), SCENARIOS);
        assertUnperturbed(r);
        assertEquals(SMALL, r.value("opened"), r.describe());
        assertEquals(SMALL, r.value("accepted"), r.describe());
        assertNotEquals(SMALL, r.value("datagram"), "datagram sockets keep their buffers\n" + r.describe());
    }

    @Test
    void rateOnePerturbsEveryTime() throws Exception {
        ChildJvm.Result r = run("always", List.of(PERTURBATIONS, "-Dnativenio.compat.rate=1"), SCENARIOS);
        // non-blocking transfers: each shorter than it could be, 0 at times but never twice in a row
        for (String key : new String[] {"socket.writes", "socket.gathering", "pipe.writes", "socket.reads",
            "socket.scattering"}) {
            List<Long> n = numbers(r, key);
            assertTrue(n.stream().allMatch(x -> x >= 0 && x < SIZE), key + ": " + n);
            assertNoTwoZerosInARow(n, key);
        }
        // blocking ones: a write writes everything, a read reads at least 1 byte and fewer than it could
        assertEquals(1L << 20, numbers(r, "socket.blocking").get(0));
        List<Long> pipeReads = numbers(r, "pipe.reads");
        assertTrue(pipeReads.stream().allMatch(x -> x >= 1 && x < SIZE), "pipe.reads: " + pipeReads);
        long stream = numbers(r, "stream.read").get(0);
        assertTrue(stream >= 1 && stream < SIZE, "stream.read: " + stream);
        // end-of-stream is hidden by one read of 0 at most, and never invented (every byte was read before it)
        assertTrue(r.value("socket.eof").matches("(0,)?-1"), r.describe());
        // every non-blocking connect is reported pending, and the selector-driven loop still gets through
        for (String family : new String[] {"tcp", "unix"}) {
            assertTrue(r.value(family + ".connect").matches("false(,false)*"), r.describe());
            List<Long> falses = numbers(r, family + ".falses");
            assertTrue(falses.stream().allMatch(x -> x >= 0 && x <= 3), family + ".falses: " + falses);
            assertEquals("true", r.value(family + ".connectable"), r.describe());
        }
        assertEquals(SMALL, r.value("opened"), r.describe());
        assertEquals(SMALL, r.value("accepted"), r.describe());
        assertEquals("65536,65536", r.value("set"), "the program's own setting wins\n" + r.describe());
    }

    /**
     * A run without a seed logs the one it picked; a run with that seed makes the same decisions (the probe is
     * single-threaded where it records them), and a run with another seed other ones.
     */
    @Test
    void theLoggedSeedReplays() throws Exception {
        ChildJvm.Result first = run("first", List.of(PERTURBATIONS), SCENARIOS);
        Matcher m = LOGGED_SEED.matcher(first.stderr());
        assertTrue(m.find(), "the seed is logged\n" + first.describe());
        long seed = Long.parseLong(m.group(1));
        ChildJvm.Result replay = run("replay", List.of(PERTURBATIONS, "-Dnativenio.compat.seed=" + seed), SCENARIOS);
        assertEquals(first.stdout(), replay.stdout());
        ChildJvm.Result other = run("other", List.of(PERTURBATIONS, "-Dnativenio.compat.seed=" + (seed + 1)),
                SCENARIOS);
        assertNotEquals(first.stdout(), other.stdout());
        // at the default rate some writes are short and some whole
        List<Long> writes = numbers(first, "socket.writes");
        assertTrue(writes.contains((long) SIZE) && writes.stream().anyMatch(n -> n < SIZE), writes.toString());
    }

    @Test
    void leakedChannelsAreReportedWithWhereTheyWereOpenedAndClosed() throws Exception {
        ChildJvm.Result r = run("leaks", List.of("-Dnativenio.compat=leaks"), "nativenio", "leaks");
        for (String kind : new String[] {"socket", "server", "pipe", "accepted", "datagram"}) {
            assertEquals("closed", r.value("leak." + kind), kind + "\n" + r.describe());
        }
        assertEquals(Map.of("dropAccepted", 1L, "dropDatagram", 1L, "dropPipe", 2L, "dropServer", 1L,
                "dropSocket", 1L), reports(r, "leaks"), r.describe());
        // the stack of the first report of each call site is logged (the pipe's two ends share one)
        for (String type : new String[] {"SocketChannel", "ServerSocketChannel", "(Sink|Source)Channel",
            "DatagramChannel"}) {
            assertTrue(Pattern.compile("java.lang.Throwable: " + type + " opened here").matcher(r.stderr()).find(),
                    type + "\n" + r.describe());
        }
    }

    /** Without the detector only a DatagramChannel's fd is closed, as the JDK's Cleaner does; nothing is reported. */
    @Test
    void withoutTheDetectorOnlyDatagramChannelsAreClosed() throws Exception {
        ChildJvm.Result r = run("leaks-off", List.of(), "nativenio", "leaks");
        assertEquals("closed", r.value("leak.datagram"), r.describe());
        for (String kind : new String[] {"socket", "server", "pipe", "accepted"}) {
            assertEquals("open", r.value("leak." + kind), kind + "\n" + r.describe());
        }
        assertTrue(reports(r, "leaks").isEmpty(), r.describe());
    }

    @Test
    void blockingCallsOnAnEventLoopAreReportedOncePerCallSite() throws Exception {
        ChildJvm.Result r = run("loop", List.of("-Dnativenio.compat=loop-blocking"), "nativenio", "loop");
        assertEquals(Map.of("blockingRead", 3L, "blockingWrite", 1L, "connected", 1L), reports(r, "loop-blocking"),
                r.describe());
        int logged = r.stderr().split("java.lang.Throwable: the blocking operation", -1).length - 1;
        assertEquals(3, logged, "one stack logged per call site\n" + r.describe());
    }

    @Test
    void withoutTheDetectorNothingIsReported() throws Exception {
        ChildJvm.Result r = run("loop-off", List.of(), "nativenio", "loop");
        assertTrue(reports(r, "loop-blocking").isEmpty(), r.describe());
        assertFalse(r.stderr().contains("the blocking operation"), r.describe());
    }
}
