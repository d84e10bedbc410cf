package io.nativenio.it.containers;

import org.junit.jupiter.api.BeforeAll;

/** The base of every container test class: it runs only where a Docker engine answers ({@link Env#requireDocker}). */
public abstract class ContainerTest {
    @BeforeAll
    protected static void docker() {
        Env.requireDocker();
    }
}
