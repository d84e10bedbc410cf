package io.nativenio.bench;

import io.nativenio.NativeSelectorProvider;
import java.nio.channels.spi.SelectorProvider;

/** The two providers a benchmark compares: the JDK's (reached reflectively) and ours. */
final class Providers {
    private Providers() {
    }

    static SelectorProvider of(String name) throws ReflectiveOperationException {
        return switch (name) {
            case "jdk" -> (SelectorProvider) Class.forName("sun.nio.ch.DefaultSelectorProvider")
                    .getMethod("get").invoke(null);
            case "nativenio" -> new NativeSelectorProvider();
            default -> throw new IllegalArgumentException(name);
        };
    }
}
