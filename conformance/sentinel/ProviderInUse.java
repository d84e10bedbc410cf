/*
 * nativenio conformance sentinel (our own test, not from the JDK).
 *
 * A loading problem with the provider (wrong class name, jar on the wrong class loader, broken
 * services file) makes SelectorProvider.provider() fall back silently to the JDK's provider, and
 * then every JDK test "passes" without testing nativenio at all. This test makes that visible.
 * conformance/run copies it into the cached JDK test tree as java/nio/channels/nativenio/.
 */

/*
 * @test
 * @summary the SelectorProvider under test is nativenio's, not the JDK's own
 * @run main ProviderInUse
 */

import java.nio.channels.Selector;
import java.nio.channels.spi.SelectorProvider;

public class ProviderInUse {
    static final String EXPECTED = "io.nativenio.NativeSelectorProvider";

    public static void main(String[] args) throws Exception {
        String provider = SelectorProvider.provider().getClass().getName();
        System.out.println("SelectorProvider.provider(): " + provider);
        if (!provider.equals(EXPECTED))
            throw new AssertionError("provider is " + provider + ", expected " + EXPECTED);

        try (Selector sel = Selector.open()) {
            Class<?> c = sel.getClass();
            System.out.println("Selector.open(): " + c.getName());
            if (c.getPackageName().equals("sun.nio.ch"))
                throw new AssertionError("Selector.open() returned the JDK's own " + c.getName());
        }
    }
}
