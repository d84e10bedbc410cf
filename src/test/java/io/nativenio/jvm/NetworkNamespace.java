package io.nativenio.jvm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * A network namespace of a test's own (ip-netns(8)) with a veth pair as its only interfaces besides loopback, so that
 * no datagram of the test reaches the machine's own network. Needs root: without it the test is skipped with the
 * reason (CI runs as root, so there it always runs).
 */
final class NetworkNamespace implements AutoCloseable {
    private final String name;

    /**
     * Creates namespace {@code prefix}-pid with loopback up and the veth pair {@code a}, {@code b}, both up, then
     * runs each of {@code commands} (arguments of ip, e.g. "addr add 10.99.0.1/24 dev mc0") in it.
     */
    NetworkNamespace(String prefix, String a, String b, String... commands) throws Exception {
        assumeTrue(isRoot(), "skipped: creating a network namespace needs root (CI runs as root)");
        name = prefix + "-" + ProcessHandle.current().pid();
        ip("netns", "add", name);
        try {
            in("link set lo up");
            in("link add " + a + " type veth peer name " + b);
            in("link set " + a + " up");
            in("link set " + b + " up");
            for (String c : commands) {
                in(c);
            }
        } catch (Exception | Error e) {
            close();
            throw e;
        }
    }

    /** The command that runs the rest of a command line inside the namespace. */
    String[] launcher() {
        return new String[] {"ip", "netns", "exec", name};
    }

    /** Runs ip with {@code command} (blank-separated) inside the namespace; fails the test if it fails. */
    void in(String command) throws Exception {
        List<String> args = new ArrayList<>(List.of("-n", name));
        args.addAll(List.of(command.split(" ")));
        ip(args.toArray(new String[0]));
    }

    @Override
    public void close() throws Exception {
        ip("netns", "del", name);
    }

    private static boolean isRoot() throws Exception {
        return Files.readAllLines(Path.of("/proc/self/status")).stream()
                .anyMatch(l -> l.startsWith("Uid:") && l.split("\\s+")[1].equals("0"));
    }

    private static void ip(String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of("ip"));
        command.addAll(List.of(args));
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        assertEquals(0, p.waitFor(), String.join(" ", command) + ": " + out);
    }
}
