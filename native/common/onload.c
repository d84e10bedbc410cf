/* The library's only exported symbol: registers the natives of every Java facade class. */
#include "nativenio.h"

#include <dlfcn.h>
#include <stdio.h>

/*
 * The facade class named `class_name`, not initialized. JNI's FindClass would initialize it, and its static
 * initializer calls NativeLibrary.load() (and natives that are not registered yet): a re-entrant load of a
 * second copy of this library. NativeLibrary is initialized already (it is calling System.load), so looking
 * it up has no side effect; its loader is the one associated with this library.
 */
static jclass facade_class(JNIEnv *env, const char *class_name) {
    jclass loader = (*env)->FindClass(env, "io/nativenio/ch/NativeLibrary");
    if (loader == NULL) {
        return NULL;
    }
    jmethodID find = (*env)->GetStaticMethodID(env, loader, "facadeClass", "(Ljava/lang/String;)Ljava/lang/Class;");
    jstring name = find == NULL ? NULL : (*env)->NewStringUTF(env, class_name);
    jclass cls = name == NULL ? NULL : (jclass) (*env)->CallStaticObjectMethod(env, loader, find, name);
    if (name != NULL) {
        (*env)->DeleteLocalRef(env, name);
    }
    (*env)->DeleteLocalRef(env, loader);
    return (*env)->ExceptionCheck(env) ? NULL : cls;
}

jint nativenio_register(JNIEnv *env, const char *class_name, const JNINativeMethod *methods, jint count) {
    jclass cls = facade_class(env, class_name);
    if (cls == NULL) {
        return JNI_ERR; /* an exception is pending */
    }
    jint rc = (*env)->RegisterNatives(env, cls, methods, count);
    (*env)->DeleteLocalRef(env, cls);
    return rc == 0 ? JNI_OK : JNI_ERR;
}

/* Throws UnsatisfiedLinkError naming the library and why it could not be pinned; returns JNI_ERR. */
static jint pin_failed(JNIEnv *env, const char *file, const char *why) {
    char message[1024];
    snprintf(message, sizeof message, "nativenio: cannot keep the library %s mapped (dlopen with RTLD_NODELETE): %s",
             file, why);
    jclass error = (*env)->FindClass(env, "java/lang/UnsatisfiedLinkError");
    if (error != NULL) {
        (*env)->ThrowNew(env, error, message);
        (*env)->DeleteLocalRef(env, error);
    }
    return JNI_ERR;
}

/*
 * Keeps this library mapped until the process exits. The JVM unloads a JNI library once its class loader
 * is collected (an undeployed web application), but a function of this library may be the process-wide
 * handler of the signal that wakes threads blocked in I/O (native_thread.c), and the JDK's channels and
 * other copies of this library keep sending that signal: a handler in unmapped memory crashes the JVM.
 * dladdr names the file this code was loaded from; RTLD_NOLOAD only looks that loaded object up (the file
 * itself may already be deleted), RTLD_NODELETE makes dlclose leave it mapped. The handle is never closed.
 */
static jint pin_library(JNIEnv *env) {
    Dl_info self;
    if (dladdr((void *) pin_library, &self) == 0 || self.dli_fname == NULL) {
        return pin_failed(env, "(unknown)", "dladdr found no loaded object holding its code");
    }
    (void) dlerror(); /* clear a stale message */
    if (dlopen(self.dli_fname, RTLD_LAZY | RTLD_NOLOAD | RTLD_NODELETE) == NULL) {
        const char *why = dlerror();
        return pin_failed(env, self.dli_fname, why != NULL ? why : "no loaded object has that name");
    }
    return JNI_OK;
}

__attribute__((visibility("default"))) JNIEXPORT jint JNICALL JNI_OnLoad(JavaVM *vm, void *reserved) {
    (void) reserved;
    JNIEnv *env;
    if ((*vm)->GetEnv(vm, (void **) &env, JNI_VERSION_1_8) != JNI_OK) {
        return JNI_ERR;
    }
    if (pin_library(env) != JNI_OK
            || nativenio_register_errno(env) != JNI_OK
            || nativenio_register_io(env) != JNI_OK
            || nativenio_register_backends(env) != JNI_OK
            || nativenio_register_native_thread(env) != JNI_OK
            || nativenio_register_net(env) != JNI_OK
            || nativenio_register_datagram(env) != JNI_OK
            || nativenio_register_unix(env) != JNI_OK) {
        return JNI_ERR;
    }
    return JNI_VERSION_1_8;
}
