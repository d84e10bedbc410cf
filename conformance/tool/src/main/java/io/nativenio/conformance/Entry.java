package io.nativenio.conformance;

import java.util.Set;

/**
 * One line of expected-failures.txt, excluded.txt or not-applicable.txt:
 * {@code <test> <jdks> <behaviours> <reason...>}.
 *
 * @param test       path relative to test/jdk, as in tests.txt
 * @param jdks       the JDK feature versions the line holds for; empty means all
 * @param behaviours anchors of docs/behaviours.md headings, comma-separated, or {@code -}
 * @param reason     free text
 * @param where      {@code file:line: text}, to quote the line in messages
 */
record Entry(String test, Set<Integer> jdks, String behaviours, String reason, String where) {
    /**
     * An expected failure whose reason starts with "intermittent:" fails only sometimes, for a reason no
     * provider can change: its pass is no news, so it does not ask for the line to go.
     */
    boolean intermittent() {
        return reason.startsWith("intermittent:");
    }

    boolean holdsFor(int feature) {
        return jdks.isEmpty() || jdks.contains(feature);
    }

    boolean overlaps(Entry other) {
        return jdks.isEmpty() || other.jdks.isEmpty() || jdks.stream().anyMatch(other.jdks::contains);
    }
}
