/*
 * Signals for io.nativenio.ch.NativeThread: a thread blocked in a syscall on a channel's fd is woken by a
 * signal whose handler does nothing and is installed without SA_RESTART, so the syscall fails with EINTR
 * (CONFORMANCE D31). The JDK uses the same signal (SIGRTMAX - 2) with the same no-op handler on Linux.
 */
#include "nativenio.h"

#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <stdint.h>
#include <string.h>

#ifdef __linux__
#define INTERRUPT_SIGNAL (SIGRTMAX - 2)
#else
#define INTERRUPT_SIGNAL SIGIO
#endif

static void interrupt_handler(int sig) {
    (void) sig;
}

static jint nt_init(JNIEnv *env, jclass cls) {
    (void) env; (void) cls;
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = interrupt_handler;
    sa.sa_flags = 0; /* no SA_RESTART: the blocked syscall must return EINTR */
    sigemptyset(&sa.sa_mask);
    return sigaction(INTERRUPT_SIGNAL, &sa, NULL) == 0 ? 0 : -errno;
}

static jlong nt_current(JNIEnv *env, jclass cls) {
    (void) env; (void) cls;
    return (jlong) (uintptr_t) pthread_self();
}

/* Java calls this only for a thread it recorded as blocked in I/O under the channel's state lock, which
 * that thread must take to leave, so the thread is alive here. */
static jint nt_signal(JNIEnv *env, jclass cls, jlong thread) {
    (void) env; (void) cls;
    int rc = pthread_kill((pthread_t) (uintptr_t) thread, INTERRUPT_SIGNAL);
    return rc == 0 ? 0 : -rc;
}

static const JNINativeMethod methods[] = {
    {"init", "()I", (void *) nt_init},
    {"current", "()J", (void *) nt_current},
    {"signal0", "(J)I", (void *) nt_signal},
};

jint nativenio_register_native_thread(JNIEnv *env) {
    return nativenio_register(env, "io/nativenio/ch/NativeThread", methods, NATIVENIO_ARRAY_LENGTH(methods));
}
