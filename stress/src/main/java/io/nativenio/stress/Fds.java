package io.nativenio.stress;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** The process's open fds: /proc/self/fd on Linux, /dev/fd elsewhere. */
final class Fds {
    private static final File DIR = new File(new File("/proc/self/fd").isDirectory() ? "/proc/self/fd" : "/dev/fd");

    private Fds() {
    }

    /** Open fds, the listing's own directory fd included (one in every count). */
    static int count() {
        return names().length;
    }

    private static String[] names() {
        String[] names = DIR.list();
        if (names == null) {
            throw new IllegalStateException("cannot list " + DIR);
        }
        return names;
    }

    /** fd number to what it refers to. */
    static Map<Integer, String> snapshot() {
        Map<Integer, String> map = new TreeMap<>();
        for (String name : names()) {
            int fd = Integer.parseInt(name);
            try {
                map.put(fd, Files.readSymbolicLink(Path.of(DIR.getPath(), name)).toString());
            } catch (IOException e) {
                map.put(fd, "?");  // the listing's own fd, closed since
            }
        }
        return map;
    }

    /**
     * The number of fds in {@code snapshot} whose target was read: without the listing's own fd and any fd
     * that another thread closed between the listing and the read.
     */
    static long known(Map<Integer, String> snapshot) {
        return snapshot.values().stream().filter(t -> !t.equals("?")).count();
    }

    /**
     * A snapshot taken again (for up to 1 s) while it does not count as many known fds as {@code before}:
     * a short-lived fd of another thread of the JVM must not fail a check, a lasting difference still does.
     */
    static Map<Integer, String> settledSnapshot(Map<Integer, String> before) throws InterruptedException {
        long deadline = System.nanoTime() + 1_000_000_000L;
        Map<Integer, String> after = snapshot();
        while (known(after) != known(before) && System.nanoTime() < deadline) {
            Thread.sleep(20);
            after = snapshot();
        }
        return after;
    }

    /** The fds of {@code after} that are not in {@code before} with the same target, at most 10. */
    static List<String> added(Map<Integer, String> before, Map<Integer, String> after) {
        List<String> added = new ArrayList<>();
        after.forEach((fd, target) -> {
            if (!target.equals(before.get(fd)) && !target.equals("?") && added.size() < 10) {
                added.add(fd + "->" + target);
            }
        });
        return added;
    }

    /**
     * The lowest socket or pipe fd of {@code after} that {@code before} did not have (the listing's own
     * directory fd is neither), or -1. A channel opened first gets the lowest free number.
     */
    static int lowestNewChannel(Map<Integer, String> before, Map<Integer, String> after) {
        for (Map.Entry<Integer, String> e : after.entrySet()) {
            String target = e.getValue();
            if ((target.startsWith("socket:") || target.startsWith("pipe:")) && !target.equals(before.get(e.getKey()))) {
                return e.getKey();
            }
        }
        return -1;
    }
}
