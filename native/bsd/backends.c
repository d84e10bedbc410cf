/* The readiness backend of the macOS and FreeBSD library: kqueue. */
#include "nativenio.h"

NATIVENIO_INTERNAL jint nativenio_register_kqueue(JNIEnv *env);

jint nativenio_register_backends(JNIEnv *env) {
    return nativenio_register_kqueue(env);
}
