package io.nativenio.jvm;

import static io.nativenio.jvm.ChildJvm.app;
import static io.nativenio.jvm.ChildJvm.classPath;
import static io.nativenio.jvm.ChildJvm.jar;
import static io.nativenio.jvm.ChildJvm.jdkFeature;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.nativenio.jvm.app.JfrWorkload;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Collectors;
import jdk.jfr.AnnotationElement;
import jdk.jfr.EventType;
import jdk.jfr.ValueDescriptor;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordingFile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The JFR events (docs/observability.md): {@link JfrWorkload} runs in a child JVM under a recording on the JDK's
 * provider and on nativenio's, and the socket events of the two recordings are the same, field for field, but for
 * the JDK's own gap: before JDK 22 the JDK records nothing for the socket adaptors' streams, where nativenio does
 * as JDK 22 and later. nativenio's own events are in its recording with the workload's values, and in no JDK one.
 */
class JfrIT {
    private static final List<String> OURS = List.of("io.nativenio.Select", "io.nativenio.SocketConnect",
            "io.nativenio.SocketAccept", "io.nativenio.ChannelClose", "io.nativenio.VirtualThreadPark");
    private static final String READ = "jdk.SocketRead";
    private static final String WRITE = "jdk.SocketWrite";
    private static final String COMPAT = "io.nativenio.Compat";

    @TempDir
    Path dir;

    /** Every event of the JDK's and ours named, at threshold 0; nothing else. */
    private Path settings() throws IOException {
        StringBuilder jfc = new StringBuilder("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
                + "<configuration version=\"2.0\" label=\"nativenio test\">\n");
        List<String> names = new ArrayList<>(List.of(READ, WRITE, COMPAT));
        names.addAll(OURS);
        for (String name : names) {
            jfc.append("  <event name=\"").append(name).append("\">\n")
                    .append("    <setting name=\"enabled\">true</setting>\n")
                    .append("    <setting name=\"stackTrace\">false</setting>\n")
                    .append("    <setting name=\"threshold\">0 ms</setting>\n")
                    .append("  </event>\n");
        }
        return Files.writeString(dir.resolve("events.jfc"), jfc.append("</configuration>\n").toString());
    }

    /** The workload on {@code provider} under a recording from the start; its result and recording. */
    private Run run(String provider) throws Exception {
        Path work = dir.resolve(provider);
        Path jfr = work.resolve("rec.jfr");
        String cp = provider.equals("jdk") ? classPath(app(dir)) : classPath(jar(), app(dir));
        ChildJvm.Result r = ChildJvm.run(work, "-XX:StartFlightRecording:filename=" + jfr + ",settings=" + settings(),
                "--add-exports=java.base/sun.nio.ch=ALL-UNNAMED", "-cp", cp, JfrWorkload.class.getName(), provider)
                .assertNoCrash();
        assertEquals(0, r.exitCode(), r.describe());
        assertEquals("true", r.value("done"), r.describe());
        return new Run(r, RecordingFile.readAllEvents(jfr));
    }

    private record Run(ChildJvm.Result result, List<RecordedEvent> events) {
        List<RecordedEvent> named(String name) {
            return events.stream().filter(e -> e.getEventType().getName().equals(name))
                    .sorted(Comparator.comparing(RecordedEvent::getStartTime)).collect(Collectors.toList());
        }

        /**
         * The socket events of the workload's two sockets in the order they started: name, the end that made it
         * (the client, or the server's accepted channel), bytes, end of stream and timeout; with {@code full},
         * also host and address.
         */
        List<String> socketEvents(boolean full) {
            int serverPort = Integer.parseInt(result.value("server.port"));
            int clientPort = Integer.parseInt(result.value("client.port"));
            return events.stream().filter(e -> e.getEventType().getName().startsWith("jdk.Socket"))
                    .filter(e -> e.getInt("port") == serverPort || e.getInt("port") == clientPort)
                    .sorted(Comparator.comparing(RecordedEvent::getStartTime))
                    .map(e -> describe(e, e.getInt("port") == serverPort ? "client" : "accepted", full))
                    .collect(Collectors.toList());
        }

        private static String describe(RecordedEvent e, String end, boolean full) {
            String s = e.getEventType().getName().equals(READ)
                    ? READ + " " + end + " " + e.getLong("bytesRead") + " eos=" + e.getBoolean("endOfStream")
                            + " timeout=" + e.getDuration("timeout").toMillis()
                    : WRITE + " " + end + " " + e.getLong("bytesWritten");
            return full ? s + " host=" + e.getString("host") + " address=" + e.getString("address") : s;
        }
    }

    /** What the workload's steps make, in order; without the adaptors' two when {@code adaptors} is false. */
    private static List<String> expected(boolean adaptors) {
        List<String> e = new ArrayList<>(List.of(WRITE + " client 1000", READ + " accepted 1000 eos=false timeout=0",
                WRITE + " client 500", READ + " accepted 500 eos=false timeout=0"));
        if (adaptors) {
            e.addAll(List.of(WRITE + " accepted 700", READ + " client 700 eos=false timeout=4000"));
        }
        if (jdkFeature() >= 21) {
            e.addAll(List.of(READ + " accepted 42 eos=false timeout=0", WRITE + " client 42"));
        }
        e.addAll(List.of(READ + " accepted 0 eos=true timeout=0", READ + " client 0 eos=false timeout=0",
                WRITE + " accepted 10", READ + " client 10 eos=false timeout=0"));
        return e;
    }

    @Test
    void socketEventsAreTheJdksAndOursAreThere() throws Exception {
        Run jdk = run("jdk");
        Run ours = run("nativenio");
        boolean jdkAdaptorEvents = jdkFeature() >= 22;
        assertEquals(expected(jdkAdaptorEvents), jdk.socketEvents(false), jdk.result().describe());
        assertEquals(expected(true), ours.socketEvents(false), ours.result().describe());
        // field for field (host and address as the running JDK fills them), where the JDK records the step
        List<String> oursFull = ours.socketEvents(true);
        if (!jdkAdaptorEvents) {
            oursFull.removeIf(l -> l.startsWith(WRITE + " accepted 700") || l.startsWith(READ + " client 700"));
        }
        assertEquals(jdk.socketEvents(true), oursFull);
        for (String name : OURS) {
            assertEquals(List.of(), jdk.named(name), name + " in the JDK's recording");
        }
        checkOurEvents(ours, true);
    }

    /**
     * nativenio's socket event types sit beside the JDK's in the recording's metadata, under the same names and
     * with the same fields (name, type, unit, in order), which is what JDK Mission Control merges types by; the
     * JDK's own tool prints them under the JDK's name and counts them in a row of their own.
     */
    @Test
    void ourSocketEventTypesAreTheJdks() throws Exception {
        Run ours = run("nativenio");
        Path jfr = dir.resolve("nativenio").resolve("rec.jfr");
        try (RecordingFile f = new RecordingFile(jfr)) {
            for (String name : List.of(READ, WRITE)) {
                List<EventType> types = f.readEventTypes().stream().filter(t -> t.getName().equals(name))
                        .collect(Collectors.toList());
                assertEquals(2, types.size(), name + ": the JDK's type and nativenio's");
                assertEquals(fields(types.get(0)), fields(types.get(1)), name);
                assertEquals(types.get(0).getLabel(), types.get(1).getLabel(), name);
                assertEquals(types.get(0).getCategoryNames(), types.get(1).getCategoryNames(), name);
            }
        }
        int reads = ours.named(READ).size();
        String print = jfrTool("print", "--events", READ, jfr.toString());
        assertEquals(reads, print.lines().filter(l -> l.equals(READ + " {")).count(), print);
        String summary = jfrTool("summary", jfr.toString());
        List<String> rows = summary.lines().map(String::trim).filter(l -> l.startsWith(READ + " "))
                .collect(Collectors.toList());
        assertEquals(2, rows.size(), summary);
        assertTrue(rows.stream().anyMatch(l -> l.split("\\s+")[1].equals(Integer.toString(reads))), summary);
    }

    /** The output of the JDK's {@code jfr} tool run with {@code args}; fails the test unless it exits with 0. */
    private static String jfrTool(String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "jfr").toString()));
        command.addAll(List.of(args));
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        assertEquals(0, p.waitFor(), command + "\n" + out);
        return out;
    }

    /** Name, type name and the unit annotations of each field, in order. */
    private static List<String> fields(EventType t) {
        return t.getFields().stream().map(JfrIT::field).collect(Collectors.toList());
    }

    private static String field(ValueDescriptor v) {
        return v.getName() + ":" + v.getTypeName() + ":" + v.getContentType() + ":" + v.getAnnotationElements()
                .stream().map(AnnotationElement::getTypeName).filter(n -> !n.equals("jdk.jfr.Label")
                        && !n.equals("jdk.jfr.Description")).sorted().collect(Collectors.toList());
    }

    /**
     * Under the compatibility-testing mode each perturbation is an event {@code io.nativenio.Compat}: with
     * short-reads at rate 1 every read of more than one byte is one, its detail saying how far it was cut; without
     * the mode there is none.
     */
    @Test
    void perturbationsOfTheTestingModeAreEvents() throws Exception {
        Path work = dir.resolve("compat");
        Path jfr = work.resolve("rec.jfr");
        ChildJvm.Result r = ChildJvm.run(work, "-XX:StartFlightRecording:filename=" + jfr + ",settings=" + settings(),
                "-Dnativenio.compat=short-reads", "-Dnativenio.compat.rate=1", "-Dnativenio.compat.seed=7",
                "--add-exports=java.base/sun.nio.ch=ALL-UNNAMED", "-cp", classPath(jar(), app(dir)),
                JfrWorkload.class.getName(), "nativenio").assertNoCrash();
        assertEquals(0, r.exitCode(), r.describe());
        Run compat = new Run(r, RecordingFile.readAllEvents(jfr));
        List<RecordedEvent> events = compat.named(COMPAT);
        assertFalse(events.isEmpty(), r.describe());
        for (RecordedEvent e : events) {
            assertEquals("short-reads", e.getString("kind"));
            assertTrue(e.getString("detail").matches("a read of \\d+ bytes limited to \\d+"), e.getString("detail"));
        }
        assertEquals(List.of(), run("nativenio").named(COMPAT));
    }

    /** A recording started by the program after nativenio began watching gets the same events. */
    @Test
    void aRecordingStartedLaterGetsTheEvents() throws Exception {
        Path work = dir.resolve("late");
        ChildJvm.Result r = ChildJvm.run(work, "--add-exports=java.base/sun.nio.ch=ALL-UNNAMED", "-cp",
                classPath(jar(), app(dir)), JfrWorkload.class.getName(), "nativenio", settings().toString())
                .assertNoCrash();
        assertEquals(0, r.exitCode(), r.describe());
        Run late = new Run(r, RecordingFile.readAllEvents(work.resolve("late.jfr")));
        assertEquals(expected(true), late.socketEvents(false), r.describe());
        checkOurEvents(late, false);
    }

    /**
     * nativenio's events of the workload: the connect and the accept, each select (the first only when the
     * recording ran from the start), the close of the registered client, the virtual thread's park.
     */
    private static void checkOurEvents(Run ours, boolean fromStart) {
        String describe = ours.result().describe();
        int serverPort = Integer.parseInt(ours.result().value("server.port"));
        int clientPort = Integer.parseInt(ours.result().value("client.port"));
        List<RecordedEvent> connects = ours.named("io.nativenio.SocketConnect");
        assertEquals(1, connects.size(), describe);
        assertEquals(serverPort, connects.get(0).getInt("port"));
        assertEquals("127.0.0.1", connects.get(0).getString("address"));
        assertTrue(connects.get(0).getBoolean("connected"));
        List<RecordedEvent> accepts = ours.named("io.nativenio.SocketAccept");
        assertEquals(1, accepts.size(), describe);
        assertEquals(clientPort, accepts.get(0).getInt("port"));

        List<String> selects = ours.named("io.nativenio.Select").stream()
                .map(e -> e.getString("backend") + " keys=" + e.getInt("keysRegistered") + " selected="
                        + e.getInt("keysSelected") + " woken=" + e.getBoolean("woken") + " timeout="
                        + timeout(e.getDuration("timeout")))
                .collect(Collectors.toList());
        List<String> expectedSelects = new ArrayList<>();
        if (fromStart) {
            expectedSelects.add("epoll keys=0 selected=0 woken=false timeout=0");
        }
        expectedSelects.addAll(List.of("epoll keys=1 selected=0 woken=true timeout=forever",
                "epoll keys=1 selected=0 woken=false timeout=0", "epoll keys=1 selected=1 woken=false timeout=forever",
                "epoll keys=0 selected=0 woken=false timeout=0"));
        assertEquals(expectedSelects, selects, describe);

        List<RecordedEvent> closes = ours.named("io.nativenio.ChannelClose");
        assertEquals(1, closes.size(), describe);
        assertEquals("SocketChannel", closes.get(0).getString("kind"));
        assertFalse(closes.get(0).getBoolean("fdClosed"), "the selector closes the fd");

        List<RecordedEvent> parks = ours.named("io.nativenio.VirtualThreadPark");
        if (jdkFeature() >= 21) {
            assertFalse(parks.isEmpty(), describe);
            assertTrue(parks.stream().allMatch(e -> e.getString("operation").equals("read")
                    && e.getDuration("timeout").isZero()), parks.toString());
        } else {
            assertEquals(List.of(), parks);
        }
    }

    /** Long.MAX_VALUE, which JDK 19+ readers turn into ChronoUnit.FOREVER and JDK 17's into that many ms. */
    private static String timeout(Duration d) {
        return d.equals(ChronoUnit.FOREVER.getDuration()) || d.toMillis() == Long.MAX_VALUE ? "forever"
                : Long.toString(d.toMillis());
    }
}
