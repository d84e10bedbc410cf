/**
 * nativenio: a {@link java.nio.channels.spi.SelectorProvider} over JNI and the kernel's readiness queues.
 * Only {@code io.nativenio} is exported; the public API is the JDK's own, plus the interface of the provider's
 * MXBean. jdk.jfr (the JFR events) and java.management (the MXBean) are optional: without them, in a runtime
 * built by jlink or started with {@code --limit-modules}, nativenio works without its events and MXBean.
 */
module io.nativenio {
    requires java.logging;
    requires static jdk.jfr;
    requires static java.management;

    exports io.nativenio;

    provides java.nio.channels.spi.SelectorProvider with io.nativenio.NativeSelectorProvider;
}
