/*
 * The readiness backends of the Linux library: epoll, io_uring, the eventfd that wakes selectors of both,
 * and kqueue too when built against libkqueue for tests.
 */
#include "nativenio.h"

NATIVENIO_INTERNAL jint nativenio_register_epoll(JNIEnv *env);
NATIVENIO_INTERNAL jint nativenio_register_eventfd(JNIEnv *env);
NATIVENIO_INTERNAL jint nativenio_register_iouring(JNIEnv *env);
#ifdef NATIVENIO_LIBKQUEUE
NATIVENIO_INTERNAL jint nativenio_register_kqueue(JNIEnv *env);
#endif

jint nativenio_register_backends(JNIEnv *env) {
    jint rc = nativenio_register_epoll(env);
    if (rc == JNI_OK) {
        rc = nativenio_register_eventfd(env);
    }
    if (rc == JNI_OK) {
        rc = nativenio_register_iouring(env);
    }
#ifdef NATIVENIO_LIBKQUEUE
    if (rc == JNI_OK) {
        rc = nativenio_register_kqueue(env);
    }
#endif
    return rc;
}
