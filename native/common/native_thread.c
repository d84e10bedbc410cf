/*
 * Signals for io.nativenio.ch.NativeThread: a thread blocked in a syscall on a channel's fd is woken by a
 * signal whose handler does nothing and is installed without SA_RESTART, so the syscall fails with EINTR.
 * The JDK uses the same signal (SIGRTMAX - 2 on Linux, SIGIO on macOS and FreeBSD; platform.h) with the same
 * kind of no-op handler (sun.nio.ch.NativeThread.init, and libnet's constructor when libnet is loaded).
 */
#include "nativenio.h"

#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <stdint.h>
#include <string.h>

static void interrupt_handler(int sig) {
    (void) sig;
}

/*
 * The handler is process-wide: it is installed only where the signal has none (SIG_DFL, or SIG_IGN, which
 * a process can inherit across exec and which would make the signal wake nobody). A handler that is
 * already there stays: it is the JDK's, another copy of this library's (each loader has its own copy) or
 * some other library's, and replacing it could break its owner. The JDK's and ours do nothing and have no
 * SA_RESTART, so either wakes our threads. One with SA_RESTART (the syscall resumes instead of failing with
 * EINTR) or SA_RESETHAND (the second signal would terminate the process) cannot be fixed without changing
 * its owner's semantics either; it is kept and reported to Java.
 *
 * This library stays mapped once loaded (pin_library, onload.c), so a handler of ours never dangles after
 * the JVM unloads the library of a collected class loader.
 *
 * Returns 0, -errno, or NT_KEPT_RESTARTING / NT_KEPT_RESETTING (or both) for an unsuitable handler kept.
 */
#define NT_KEPT_RESTARTING 1
#define NT_KEPT_RESETTING 2

static jint nt_init(JNIEnv *env, jclass cls) {
    (void) env; (void) cls;
    struct sigaction current;
    if (sigaction(NATIVENIO_INTERRUPT_SIGNAL, NULL, &current) != 0) {
        return -errno;
    }
    if (current.sa_handler != SIG_DFL && current.sa_handler != SIG_IGN) {
        return ((current.sa_flags & SA_RESTART) ? NT_KEPT_RESTARTING : 0)
                | ((current.sa_flags & SA_RESETHAND) ? NT_KEPT_RESETTING : 0);
    }
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = interrupt_handler;
    sa.sa_flags = 0; /* no SA_RESTART: the blocked syscall must return EINTR */
    sigemptyset(&sa.sa_mask);
    return sigaction(NATIVENIO_INTERRUPT_SIGNAL, &sa, NULL) == 0 ? 0 : -errno;
}

static jlong nt_current(JNIEnv *env, jclass cls) {
    (void) env; (void) cls;
    return (jlong) (uintptr_t) pthread_self();
}

/* Java calls this only for a thread it recorded as blocked in I/O under the channel's state lock, which
 * that thread must take to leave, so the thread is alive here. */
static jint nt_signal(JNIEnv *env, jclass cls, jlong thread) {
    (void) env; (void) cls;
    int rc = pthread_kill((pthread_t) (uintptr_t) thread, NATIVENIO_INTERRUPT_SIGNAL);
    return rc == 0 ? 0 : -rc;
}

NATIVENIO_REGISTER(native_thread, "io/nativenio/ch/NativeThread", NATIVENIO_NO_CONSTANTS,
    {"init", "()I", (void *) nt_init},
    {"current", "()J", (void *) nt_current},
    {"signal0", "(J)I", (void *) nt_signal})
