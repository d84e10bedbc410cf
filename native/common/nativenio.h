/*
 * Shared declarations of the nativenio JNI library. Every concern (one .c file) registers its natives
 * from JNI_OnLoad (onload.c) through one nativenio_register_* function; nothing but JNI_OnLoad is exported.
 *
 * Conventions (docs/architecture.md#the-native-layer): natives are stateless, take and return primitives
 * (a direct ByteBuffer reference where the address of caller memory is needed), and report failures as
 * -errno. Java builds every exception.
 */
#ifndef NATIVENIO_H
#define NATIVENIO_H

#include "platform.h" /* first: its feature macros apply to every system header */

#include <jni.h>
#include <poll.h>

#define NATIVENIO_INTERNAL __attribute__((visibility("hidden")))

/*
 * io.nativenio.ch.Poller is the single source of the poll(2) event bits: Java hands them to poll(2) and to every
 * backend, and reads them back, as they are. Linux, macOS and FreeBSD agree on them.
 */
_Static_assert(POLLIN == 0x1 && POLLOUT == 0x4 && POLLERR == 0x8 && POLLHUP == 0x10,
               "poll.h's event bits differ from io.nativenio.ch.Poller's");

/* Registers `count` natives on the class named `class_name`; returns JNI_OK or a JNI error. */
NATIVENIO_INTERNAL jint nativenio_register(JNIEnv *env, const char *class_name,
                                           const JNINativeMethod *methods, jint count);

/* The platform folder's readiness backends (linux/backends.c, bsd/backends.c). */
NATIVENIO_INTERNAL jint nativenio_register_backends(JNIEnv *env);
NATIVENIO_INTERNAL jint nativenio_register_errno(JNIEnv *env);
NATIVENIO_INTERNAL jint nativenio_register_io(JNIEnv *env);
NATIVENIO_INTERNAL jint nativenio_register_native_thread(JNIEnv *env);
NATIVENIO_INTERNAL jint nativenio_register_net(JNIEnv *env);
NATIVENIO_INTERNAL jint nativenio_register_datagram(JNIEnv *env);
NATIVENIO_INTERNAL jint nativenio_register_unix(JNIEnv *env);

/* Points *p at buf[pos, pos + len) of a direct ByteBuffer, NULL for an empty range of a buffer at address 0:
 * 0, or -EINVAL when not direct or out of range (io.c). */
NATIVENIO_INTERNAL int nativenio_buffer_range(JNIEnv *env, jobject buf, jint pos, jint len, char **p);

/* The address of buf[pos, pos + len) of a direct ByteBuffer, or NULL when not direct or out of range (io.c). */
NATIVENIO_INTERNAL char *nativenio_direct_range(JNIEnv *env, jobject buf, jint pos, jint len);

/* Makes fd blocking or non-blocking (O_NONBLOCK), with no fcntl(2) to set it when it already is: 0 or -errno (io.c). */
NATIVENIO_INTERNAL jint nativenio_set_blocking(int fd, int blocking);

/* dup2(2), retried on EINTR: 0 or -errno (io.c). */
NATIVENIO_INTERNAL jint nativenio_dup2(int from, int to);

/* A call that takes a socket address, as nativenio_bind and nativenio_connect. */
typedef jint (*nativenio_address_op)(int fd, const struct sockaddr *sa, socklen_t len);

/* bind(2) of fd to the `len` bytes at sa: 0 or -errno (net.c). */
NATIVENIO_INTERNAL jint nativenio_bind(int fd, const struct sockaddr *sa, socklen_t len);

/*
 * connect(2) of fd to the `len` bytes at sa: 1 when connected, 0 when the connection is in progress
 * (EINPROGRESS), else -errno, EINTR included (EAGAIN too: a full backlog of a UNIX-domain listener, as in the
 * JDK) (net.c).
 */
NATIVENIO_INTERNAL jint nativenio_connect(int fd, const struct sockaddr *sa, socklen_t len);

/*
 * Accepts one connection (close-on-exec, blocking, no SIGPIPE: nativenio_accept, platform.h), its peer's address
 * stored in the `size` bytes at sa, zeroed first, and *len set to the address's length: the new fd, or -errno.
 * ECONNABORTED (the peer gave up while the connection was queued) is retried, as the JDK does (net.c).
 */
NATIVENIO_INTERNAL jint nativenio_accept_retry(int fd, struct sockaddr *sa, socklen_t size, socklen_t *len);

/*
 * Defines nativenio_register_<name>, which registers natives on the Java facade class `class_name`: one per item
 * of the constant list CONSTANTS, then the JNINativeMethod initialisers that follow it. RegisterNatives fails
 * for a method the class does not declare, and with it JNI_OnLoad: the library does not load.
 *
 * A constant list names each compile-time value (a constant or a struct layout) once, by the Java native that
 * returns it: `#define FOO_CONSTANTS(X) X(eventSize, sizeof(struct epoll_event)) X(epollet, EPOLLET)` goes with
 * `private static native int eventSize()` and `epollet()` in the facade. NATIVENIO_NO_CONSTANTS is the empty list.
 */
#define NATIVENIO_REGISTER(name, class_name, CONSTANTS, ...) \
    CONSTANTS(NATIVENIO_CONSTANT_DEFINE) \
    NATIVENIO_INTERNAL jint nativenio_register_##name(JNIEnv *env) { \
        static const JNINativeMethod methods[] = {CONSTANTS(NATIVENIO_CONSTANT_METHOD) __VA_ARGS__}; \
        return nativenio_register(env, class_name, methods, NATIVENIO_ARRAY_LENGTH(methods)); \
    }

#define NATIVENIO_CONSTANT_DEFINE(java_name, value) \
    static jint constant_##java_name(JNIEnv *env, jclass cls) { (void) env; (void) cls; return (jint) (value); }
#define NATIVENIO_CONSTANT_METHOD(java_name, value) {#java_name, "()I", (void *) constant_##java_name},
#define NATIVENIO_NO_CONSTANTS(X)

#define NATIVENIO_ARRAY_LENGTH(a) ((jint) (sizeof(a) / sizeof((a)[0])))

#endif
