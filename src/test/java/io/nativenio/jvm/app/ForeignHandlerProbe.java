package io.nativenio.jvm.app;

import java.nio.channels.spi.SelectorProvider;

/**
 * The wake-up signal's handler installed by other code with SA_RESTART (the library named by the first
 * argument does that when loaded) after the JDK's channels were used, then an asynchronous close of a
 * blocked read on the provider named by the second argument ({@code jdk} or anything else for nativenio).
 * Needs {@code --add-exports java.base/sun.nio.ch=ALL-UNNAMED}. Prints {@code key=value} lines.
 */
public final class ForeignHandlerProbe {
    private ForeignHandlerProbe() {
    }

    public static void main(String[] args) throws Exception {
        // the JDK's handler is in place, and the JDK will not install it again
        System.out.println("jdk.before=" + BlockedRead.asyncClose(ProbeSupport.provider("jdk")));
        System.load(args[0]);
        SelectorProvider provider = ProbeSupport.provider(args[1]);
        System.out.println("provider=" + provider.getClass().getName());
        System.out.println("outcome=" + BlockedRead.asyncClose(provider));
        System.out.println("done=true");
    }
}
