/* The library's only exported symbol: registers the natives of every Java facade class. */
#include "nativenio.h"

jint nativenio_register(JNIEnv *env, const char *class_name, const JNINativeMethod *methods, jint count) {
    jclass cls = (*env)->FindClass(env, class_name);
    if (cls == NULL) {
        return JNI_ERR; /* NoClassDefFoundError is pending */
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
            || nativenio_register_native_thread(env) != JNI_OK) {
        return JNI_ERR;
    }
    return JNI_VERSION_1_8;
}
