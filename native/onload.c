/* The library's only exported symbol: registers the natives of every Java facade class. */
#include "nativenio.h"

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

__attribute__((visibility("default"))) JNIEXPORT jint JNICALL JNI_OnLoad(JavaVM *vm, void *reserved) {
    (void) reserved;
    JNIEnv *env;
    if ((*vm)->GetEnv(vm, (void **) &env, JNI_VERSION_1_8) != JNI_OK) {
        return JNI_ERR;
    }
    if (nativenio_register_io(env) != JNI_OK
            || nativenio_register_epoll(env) != JNI_OK
            || nativenio_register_native_thread(env) != JNI_OK
            || nativenio_register_net(env) != JNI_OK
            || nativenio_register_datagram(env) != JNI_OK
            || nativenio_register_unix(env) != JNI_OK) {
        return JNI_ERR;
    }
    return JNI_VERSION_1_8;
}
