/* The errno values that Java compares results against, for io.nativenio.ch.Errno: one native each. */
#include "nativenio.h"

#include <errno.h>

#define ERRNO_CONSTANTS(X) \
    X(eagain, "eagain", EAGAIN) \
    X(eintr, "eintr", EINTR) \
    X(enoent, "enoent", ENOENT) \
    X(econnreset, "econnreset", ECONNRESET) \
    X(econnrefused, "econnrefused", ECONNREFUSED) \
    X(etimedout, "etimedout", ETIMEDOUT) \
    X(enotconn, "enotconn", ENOTCONN) \
    X(ehostunreach, "ehostunreach", EHOSTUNREACH) \
    X(eaddrinuse, "eaddrinuse", EADDRINUSE) \
    X(eaddrnotavail, "eaddrnotavail", EADDRNOTAVAIL) \
    X(eacces, "eacces", EACCES) \
    X(eproto, "eproto", EPROTO) \
    X(enoprotoopt, "enoprotoopt", ENOPROTOOPT) \
    X(eopnotsupp, "eopnotsupp", EOPNOTSUPP)

ERRNO_CONSTANTS(NATIVENIO_CONSTANT_DEFINE)

static const JNINativeMethod methods[] = {
    ERRNO_CONSTANTS(NATIVENIO_CONSTANT_METHOD)
};

jint nativenio_register_errno(JNIEnv *env) {
    return nativenio_register(env, "io/nativenio/ch/Errno", methods, NATIVENIO_ARRAY_LENGTH(methods));
}
