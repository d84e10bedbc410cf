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
