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

#define NATIVENIO_INTERNAL __attribute__((visibility("hidden")))

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

/* A native returning one compile-time value (a constant or a struct layout), named after it:
 * NATIVENIO_CONSTANT(pollin, POLLIN) defines `static jint pollin(JNIEnv *, jclass)`. */
#define NATIVENIO_CONSTANT(name, value) \
    static jint name(JNIEnv *env, jclass cls) { (void) env; (void) cls; return (jint) (value); }

/*
 * A list of constants, each X(c_name, "javaName", value), becomes one NATIVENIO_CONSTANT per item with
 * NATIVENIO_CONSTANT_DEFINE and one JNINativeMethod per item with NATIVENIO_CONSTANT_METHOD, so that a
 * constant is named once: a Java facade declares `private static native int javaName()` for each.
 */
#define NATIVENIO_CONSTANT_DEFINE(c_name, java_name, value) NATIVENIO_CONSTANT(c_name, value)
#define NATIVENIO_CONSTANT_METHOD(c_name, java_name, value) {java_name, "()I", (void *) c_name},

#define NATIVENIO_ARRAY_LENGTH(a) ((jint) (sizeof(a) / sizeof((a)[0])))

#endif
