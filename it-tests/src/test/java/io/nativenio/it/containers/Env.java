package io.nativenio.it.containers;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;
import org.testcontainers.DockerClientFactory;

/** Where the tests' inputs are, which images to use, and whether Docker is there (or must be). */
public final class Env {
    private Env() {}

    /** Set by CI (.ci/run): without a Docker engine the tests fail instead of being skipped. */
    public static final boolean REQUIRE_DOCKER = "1".equals(System.getenv("NATIVENIO_IT_REQUIRE_DOCKER"));

    /** Run the programs on the JDK's own provider (no system property): a check of the programs themselves. */
    public static final boolean CONTROL = Boolean.getBoolean("nativenio.it.control");

    /**
     * The options of nativenio's compatibility-testing mode the programs run under ({@code -Dnativenio.compat});
     * empty: the mode is off. Never with {@link #CONTROL}.
     */
    public static final String COMPAT = CONTROL ? "" : System.getProperty("nativenio.it.compat", "").strip();

    /** The seed of the compatibility-testing mode ({@code -Dnativenio.compat.seed}). */
    public static final long COMPAT_SEED = Long.getLong("nativenio.it.compat.seed", 1);

    /**
     * nativenio's readiness backend for the programs ({@code -Dnativenio.backend}); empty: the default. A program
     * whose nativenio falls back to another backend fails (see {@link ProgramRun}). Never with {@link #CONTROL}.
     */
    public static final String BACKEND = CONTROL ? "" : System.getProperty("nativenio.it.backend", "").strip();

    /** How the programs run: on the JDK's provider, or on nativenio (its backend and testing mode, if set). */
    public static String mode() {
        if (CONTROL) {
            return "control (JDK provider)";
        }
        return "nativenio" + (BACKEND.isEmpty() ? "" : " backend=" + BACKEND)
                + (COMPAT.isEmpty() ? "" : " compat=" + COMPAT + " seed=" + COMPAT_SEED);
    }

    public static Path providerJar() {
        return file("nativenio.jar");
    }

    public static Path programsJar() {
        return file("nativenio.it.programs");
    }

    public static Path programsLib() {
        return file("nativenio.it.lib");
    }

    public static Path logDir() {
        return programsJar().getParent().resolve("it-logs");
    }

    private static Path file(String prop) {
        String v = System.getProperty(prop);
        Assertions.assertNotNull(v, "system property " + prop + " is not set (run through it-tests/pom.xml)");
        Path p = Path.of(v).toAbsolutePath().normalize();
        Assertions.assertTrue(Files.exists(p), prop + ": " + p + " does not exist"
                + (prop.equals("nativenio.jar") ? " (build it first: mvn -B install -DskipTests)" : ""));
        return p;
    }

    private static volatile Boolean docker;

    /** Skips the calling test class (or fails it in CI) when no Docker engine answers. */
    public static void requireDocker() {
        if (docker == null) {
            boolean ok;
            try {
                ok = DockerClientFactory.instance().isDockerAvailable();
            } catch (Throwable t) {
                ok = false;
            }
            docker = ok;
        }
        if (!docker) {
            String msg = "Testcontainers finds no usable Docker engine: the container integration tests are"
                    + " skipped (start dockerd; see it-tests/README.md)";
            if (REQUIRE_DOCKER) Assertions.fail(msg.replace("are skipped", "cannot run")
                    + "; NATIVENIO_IT_REQUIRE_DOCKER=1 makes this a failure");
            System.err.println("nativenio it-tests: " + msg);
            Assumptions.abort(msg);
        }
    }

    /** The JDKs of the matrix, from -Dnativenio.it.jdks (default jdk17,jdk21). */
    public static List<String> jdks() {
        return list("nativenio.it.jdks", "jdk17,jdk21");
    }

    /**
     * The matrix plus the images with the oldest glibc the tests run on, from
     * -Dnativenio.it.oldGlibc (default jdk17-bullseye; "none": none): for the self-check and a
     * representative subset of the programs.
     */
    public static List<String> jdksWithOldGlibc() {
        List<String> l = jdks();
        for (String s : list("nativenio.it.oldGlibc", "jdk17-bullseye")) {
            if (!s.equals("none") && !l.contains(s)) l.add(s);
        }
        return l;
    }

    private static List<String> list(String prop, String dflt) {
        List<String> l = new ArrayList<>();
        for (String s : System.getProperty(prop, dflt).split(",")) {
            if (!s.isBlank()) l.add(s.trim());
        }
        return l;
    }

    /**
     * The image for a JDK of the matrix: -Dnativenio.it.image.JDK if set; else the locally built image
     * (it-tests/images/build) if Docker has it; else a public JDK image, pulled by Testcontainers.
     */
    public static String image(String jdk) {
        String override = System.getProperty("nativenio.it.image." + jdk);
        if (override != null && !override.isBlank()) return override;
        String local;
        String pub;
        switch (jdk) {
            case "jdk17": local = "nativenio-it/jdk17:bookworm"; pub = "eclipse-temurin:17-jre"; break;
            case "jdk21": local = "nativenio-it/jdk21:trixie"; pub = "eclipse-temurin:21-jre"; break;
            // The oldest glibc of the matrix (2.31): the jar's Linux library must load there.
            case "jdk17-bullseye": local = "nativenio-it/jdk17:bullseye"; pub = "eclipse-temurin:17-jre-focal"; break;
            default: throw new IllegalArgumentException("unknown JDK " + jdk + " (jdk17, jdk21, jdk17-bullseye)");
        }
        try {
            DockerClientFactory.instance().client().inspectImageCmd(local).exec();
            return local;
        } catch (RuntimeException notThere) {
            if (REQUIRE_DOCKER) Assertions.fail("image " + local + " is missing: run it-tests/images/build");
            System.err.println("nativenio it-tests: no local image " + local + ", using " + pub
                    + " (pulled; where no registry is reachable run it-tests/images/build)");
            return pub;
        }
    }
}
