package io.nativenio.it.containers;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * A container test that runs once on each JDK image of the matrix and on the images with the oldest glibc
 * ({@link Env#jdksWithOldGlibc}): for the tests that show the jar's library works there.
 */
@Target(ElementType.METHOD)
@Retention(RetentionPolicy.RUNTIME)
@ParameterizedTest(name = "{0}")
@MethodSource("io.nativenio.it.containers.Env#jdksWithOldGlibc")
public @interface OnEachJdkAndOldGlibc {
}
