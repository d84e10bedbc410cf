package io.nativenio.it.containers;

import java.util.regex.Pattern;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;

/** The base of the container tests that run the provider jar's own self-check ({@code java -jar nativenio.jar}). */
public abstract class JarSelfCheckTest extends ContainerTest {
    /** The self-check's last line when every check passed. */
    protected static final Pattern ALL_PASSED = Pattern.compile("(?m)^[1-9]\\d* passed, 0 failed$");

    @BeforeAll
    protected static void notAControlRun() {
        Assumptions.assumeFalse(Env.CONTROL, "skipped: a control run leaves the provider jar out, and the"
                + " self-check is the jar's");
    }
}
