/**
 * nativenio: a {@link java.nio.channels.spi.SelectorProvider} over JNI and the kernel's readiness queues.
 * Only {@code io.nativenio} is exported; the public API is the JDK's own.
 */
module io.nativenio {
    requires java.logging;

    exports io.nativenio;

    provides java.nio.channels.spi.SelectorProvider with io.nativenio.NativeSelectorProvider;
}
