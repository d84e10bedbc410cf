package io.nativenio.diff;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * A differential test of selection: the body runs on "jdk", on "nativenio", and on "nativenio-split-events",
 * whose selectors get read and write readiness of one fd as separate events (io.nativenio.ch.SplitEventProvider),
 * as a kqueue backend delivers them.
 */
@Target(ElementType.METHOD)
@Retention(RetentionPolicy.RUNTIME)
@ParameterizedTest(name = "{0}")
@MethodSource("io.nativenio.diff.Providers#selecting")
public @interface SelectorDiffTest {
}
