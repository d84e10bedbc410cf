package io.nativenio.ch;

import io.nativenio.observe.Events;
import java.io.IOException;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.LockSupport;

/**
 * Blocking I/O of virtual threads without pinning their carrier (behaviours.md#blocking-io-parks-a-virtual-thread). A
 * channel in blocking mode used by a virtual thread gets its fd made non-blocking (ChannelFd.setThread); where the
 * operation would block, {@link #park} arms the fd, one-shot, in the backend's {@link OneShotPoller} that a platform
 * thread waits on, and parks the virtual thread, which unmounts; the poller unparks it when the fd is ready, and a close or
 * shutdown unparks it directly. As the JDK's {@code sun.nio.ch.Poller}, reads and writes have separate
 * pollers, since a read and a write of one fd may wait at the same time.
 * On JDK 17, which has no virtual threads, {@link #isVirtual} is always false.
 */
final class VirtualThreads {
    private static final MethodHandle IS_VIRTUAL = isVirtualHandle();

    private VirtualThreads() {
    }

    private static MethodHandle isVirtualHandle() {
        try {
            return MethodHandles.publicLookup().findVirtual(Thread.class, "isVirtual", MethodType.methodType(boolean.class));
        } catch (ReflectiveOperationException noVirtualThreads) {
            return null;
        }
    }

    static boolean isVirtual(Thread t) {
        if (IS_VIRTUAL == null) {
            return false;
        }
        try {
            return (boolean) IS_VIRTUAL.invokeExact(t);
        } catch (Throwable e) {
            throw new InternalError(e);
        }
    }

    static boolean isVirtual() {
        return IS_VIRTUAL != null && isVirtual(Thread.currentThread());
    }

    /**
     * Parks the calling virtual thread until {@code fd} has one of the poll {@code events}, {@code nanos}
     * passed (0: no limit), or someone unparks it; callers re-check their state and retry. False if the fd
     * cannot be watched (then the caller waits in poll(2), pinning the carrier). A park is a JFR event
     * (docs/observability.md).
     */
    static boolean park(int fd, int events, long nanos) {
        boolean read = (events & Poller.POLLIN) != 0;
        Object event = Events.begin(Events.PARK);
        boolean parked = (read ? Parkers.READ : Parkers.WRITE).park(fd, events, nanos);
        if (parked) {
            Events.park(event, fd, read, nanos);
        }
        return parked;
    }

    /** Created on first use, so that JVMs without virtual threads never start the poller threads. */
    private static final class Parkers {
        static final Parker READ = new Parker("nativenio-vthread-read-poller");
        static final Parker WRITE = new Parker("nativenio-vthread-write-poller");
    }

    /** One one-shot poller of the backend and the platform thread that waits on it. */
    private static final class Parker implements Runnable {
        private final OneShotPoller poller;
        private final ConcurrentHashMap<Integer, Thread> waiters = new ConcurrentHashMap<>();

        Parker(String name) {
            try {
                poller = Backends.get().openOneShotPoller(); // lives as long as the JVM
            } catch (IOException e) {
                throw new ExceptionInInitializerError(e);
            }
            Thread t = new Thread(this, name);
            t.setDaemon(true);
            t.start();
        }

        boolean park(int fd, int pollEvents, long nanos) {
            Thread me = Thread.currentThread();
            waiters.put(fd, me);
            int rc = poller.arm(fd, pollEvents);
            try {
                if (rc < 0) {
                    return false;
                }
                if (nanos > 0) {
                    LockSupport.parkNanos(nanos);
                } else {
                    LockSupport.park();
                }
                return true;
            } finally {
                waiters.remove(fd, me);
                if (rc >= 0) {
                    poller.disarm(fd, pollEvents); // may fail if the fd was closed meanwhile: nothing to undo
                }
            }
        }

        @Override
        public void run() {
            for (;;) {
                int n = poller.poll();
                for (int i = 0; i < n; i++) {
                    Thread t = waiters.get(poller.fd(i));
                    if (t != null) {
                        LockSupport.unpark(t);
                    }
                }
            }
        }
    }
}
