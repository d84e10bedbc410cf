package io.nativenio.stress;

import java.nio.channels.spi.SelectorProvider;
import java.util.ArrayList;
import java.util.List;

/**
 * The two providers, both reached at run time: the JDK's through its internal factory (needs
 * {@code --add-exports java.base/sun.nio.ch=ALL-UNNAMED}), ours from the jar on the class path. Neither
 * needs to be the JVM-wide provider.
 */
final class Providers {
    private Providers() {
    }

    record Named(String name, SelectorProvider provider) {
    }

    static List<Named> open(List<String> names) throws ReflectiveOperationException {
        List<Named> list = new ArrayList<>();
        for (String name : names) {
            list.add(new Named(name, of(name)));
        }
        return list;
    }

    private static SelectorProvider of(String name) throws ReflectiveOperationException {
        return switch (name) {
            case "jdk" -> (SelectorProvider) Class.forName("sun.nio.ch.DefaultSelectorProvider")
                    .getMethod("get").invoke(null);
            case "nativenio" -> (SelectorProvider) Class.forName("io.nativenio.NativeSelectorProvider")
                    .getConstructor().newInstance();
            default -> throw new IllegalArgumentException("unknown provider " + name);
        };
    }
}
