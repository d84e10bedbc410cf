package io.nativenio.stress;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/** The command line: checks, their size and the seed. Sizes not given take the short or long default. */
record Options(List<String> checks, boolean isLong, long seed, Long cycles, Integer threads, Integer duration,
               List<String> providers, int hangSeconds) {

    static final List<String> ALL = List.of("fds", "reuse", "sequences", "concurrent");

    static Options parse(String[] args) {
        Set<String> checks = new LinkedHashSet<>();
        boolean isLong = false;
        long seed = 1;
        Long cycles = null;
        Integer threads = null;
        Integer duration = null;
        List<String> providers = List.of("jdk", "nativenio");
        int hang = 60;
        for (String a : args) {
            String value = a.contains("=") ? a.substring(a.indexOf('=') + 1) : null;
            String name = value == null ? a : a.substring(0, a.indexOf('='));
            switch (name) {
                case "--long" -> isLong = true;
                case "--seed" -> seed = Long.parseLong(value);
                case "--cycles" -> cycles = Long.parseLong(value);
                case "--threads" -> threads = Integer.parseInt(value);
                case "--duration" -> duration = Integer.parseInt(value);
                case "--hang" -> hang = Integer.parseInt(value);
                case "--providers" -> providers = List.of(value.split(","));
                case "all" -> checks.addAll(ALL);
                default -> {
                    if (!ALL.contains(a)) {
                        throw new IllegalArgumentException("unknown argument " + a);
                    }
                    checks.add(a);
                }
            }
        }
        if (checks.isEmpty()) {
            checks.addAll(ALL);
        }
        return new Options(new ArrayList<>(checks), isLong, seed, cycles, threads, duration, providers, hang);
    }

    /** Cycles of {@code fds}, reuses of {@code reuse}, sequences of {@code sequences}. */
    long cycles(long shortDefault, long longDefault) {
        return cycles != null ? cycles : isLong ? longDefault : shortDefault;
    }

    int threads(int fallback) {
        return threads != null ? threads : fallback;
    }

    /** Seconds of {@code concurrent}, per provider and thread kind. */
    int duration(int shortDefault, int longDefault) {
        return duration != null ? duration : isLong ? longDefault : shortDefault;
    }
}
