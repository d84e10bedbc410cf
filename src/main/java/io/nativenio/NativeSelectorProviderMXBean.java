package io.nativenio;

/**
 * The live counters of one {@link NativeSelectorProvider}: an MXBean registered on the platform MBeanServer as
 * {@code io.nativenio:type=SelectorProvider,id=N} (N counts the providers of the JVM that opened a channel or
 * selector, from 1) when the provider opens its first channel or selector, if {@code -Dnativenio.mxbean=true}. Any JMX client reads it: jconsole,
 * VisualVM, {@code jcmd}-started agents, or {@code JMX.newMXBeanProxy} with this interface. A thread of its own
 * registers it, so that the first channel does not wait for the MBeanServer to start. It is not registered by
 * default (starting the platform MBeanServer costs tens of MiB of memory), when the runtime has no
 * java.management, nor when nativenio was loaded by a
 * class loader that can be discarded (a web application's), which the MBeanServer would otherwise keep alive.
 *
 * <p>The counts are exact once the program is quiet; while it runs they are as of some moment during the read.
 * The project's {@code docs/observability.md} describes each one.
 */
public interface NativeSelectorProviderMXBean {
    /** The kernel readiness backend of the JVM: {@code epoll} or {@code kqueue}. */
    String getBackend();

    /** Open {@link java.nio.channels.SocketChannel}s (TCP and UNIX-domain). */
    long getOpenSocketChannels();

    /** Open {@link java.nio.channels.ServerSocketChannel}s. */
    long getOpenServerSocketChannels();

    /** Open {@link java.nio.channels.DatagramChannel}s. */
    long getOpenDatagramChannels();

    /** Open ends of pipes: each {@link java.nio.channels.Pipe} has two. */
    long getOpenPipeChannels();

    /** Open selectors. */
    long getOpenSelectors();

    /** Keys registered with open selectors and not yet deregistered (a cancelled key counts until the next select). */
    long getRegisteredKeys();

    /**
     * File descriptors held for channels: one per open channel, and one per closed channel whose close waits
     * for a selector to let go of it (a channel closed while registered).
     */
    long getOpenFds();

    /** Selection operations: select, selectNow and select with an action, each call once. */
    long getSelects();

    /** Calls of {@code wakeup()} that signalled the selector; calls while a signal is pending count once. */
    long getWakeups();

    /**
     * Changes applied to the kernel's readiness queues of the selectors: one for each fd added, changed or
     * removed (an epoll_ctl call on Linux; one or two kevent changes on kqueue).
     */
    long getReadinessChanges();

    /** Bytes read or received, by every channel of the provider. */
    long getBytesRead();

    /** Bytes written or sent, by every channel of the provider. */
    long getBytesWritten();
}
