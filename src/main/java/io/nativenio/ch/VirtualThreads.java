package io.nativenio.ch;

import java.io.IOException;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.LockSupport;

/**
 * Blocking I/O of virtual threads without pinning their carrier (behaviours.md#blocking-io-parks-a-virtual-thread). A
 * channel in blocking mode used by a virtual thread gets its fd made non-blocking (ChannelFd.setThread); where the
 * operation would block, {@link #park} registers the fd, one-shot, with the epoll set of a poller platform thread and
 * parks the virtual thread, which unmounts; the poller unparks it when the fd is ready, and a close or
 * shutdown unparks it directly. As the JDK's {@code sun.nio.ch.Poller}, reads and writes have separate
 * pollers, since one fd can be in an epoll set only once and a read and a write may wait at the same time.
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
     * cannot be watched (then the caller waits in poll(2), pinning the carrier).
     */
    static boolean park(int fd, int events, long nanos) {
        Poller p = (events & Net.POLLIN) != 0 ? Pollers.READ : Pollers.WRITE;
        return p.park(fd, events, nanos);
    }

    /** Created on first use, so that JVMs without virtual threads never start the poller threads. */
    private static final class Pollers {
        static final Poller READ = new Poller("nativenio-vthread-read-poller");
        static final Poller WRITE = new Poller("nativenio-vthread-write-poller");
    }

    /** One epoll set and the platform thread that waits on it. */
    private static final class Poller implements Runnable {
        private static final int MAX_EVENTS = 64;

        private final int epfd;
        private final ByteBuffer events;
        private final long eventsAddress;
        private final ConcurrentHashMap<Integer, Thread> waiters = new ConcurrentHashMap<>();

        Poller(String name) {
            try {
                epfd = Errors.check(EPoll.create());
            } catch (IOException e) {
                throw new ExceptionInInitializerError(e);
            }
            ByteBuffer ev = IO.allocate(MAX_EVENTS * EPoll.EVENT_SIZE); // lives as long as the JVM
            if (ev == null) {
                throw new OutOfMemoryError("cannot allocate the poller's epoll array");
            }
            events = ev.order(ByteOrder.nativeOrder());
            eventsAddress = IO.address(events);
            Thread t = new Thread(this, name);
            t.setDaemon(true);
            t.start();
        }

        boolean park(int fd, int pollEvents, long nanos) {
            Thread me = Thread.currentThread();
            waiters.put(fd, me);
            int ev = pollEvents | EPoll.EPOLLONESHOT;
            int rc = EPoll.ctl(epfd, EPoll.CTL_ADD, fd, ev);
            if (rc == -EPoll.EEXIST) {
                rc = EPoll.ctl(epfd, EPoll.CTL_MOD, fd, ev);
            }
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
                    EPoll.ctl(epfd, EPoll.CTL_DEL, fd, 0); // may fail if the fd was closed meanwhile: nothing to undo
                }
            }
        }

        @Override
        public void run() {
            for (;;) {
                int n = EPoll.select(epfd, 0, 0, eventsAddress, MAX_EVENTS, -1);
                for (int i = 0; i < n; i++) {
                    Thread t = waiters.get(events.getInt(i * EPoll.EVENT_SIZE + EPoll.DATA_OFFSET));
                    if (t != null) {
                        LockSupport.unpark(t);
                    }
                }
            }
        }
    }
}
