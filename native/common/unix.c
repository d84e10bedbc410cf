/*
 * UNIX-domain stream sockets for io.nativenio.ch.UnixDomainSockets: socket, bind, connect, accept, the
 * local address, the peer's credentials and the user and group names of its ids. Every call is one syscall (or one
 * retry loop around it) and returns -errno on failure; Java builds every exception.
 *
 * A path crosses JNI as the bytes of sun_path, without the terminating NUL. The struct sockaddr_un is
 * built and read here only: an incoming path is copied into a zeroed struct after its length was checked
 * against MAX_PATH_LEN, and an outgoing one is copied into the caller's direct buffer only within the
 * range that buffer holds. Nothing is ever written past sun_path.
 */
#include "nativenio.h"

#include <errno.h>
#include <grp.h>
#include <pwd.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

/*
 * Room for the path and its NUL, with one byte to spare, as the JDK's MAX_UNIX_DOMAIN_PATH_LEN: 106 bytes on
 * Linux, 102 on macOS and FreeBSD, whose sun_path is shorter.
 */
#define MAX_PATH_LEN ((jint) sizeof(((struct sockaddr_un *) 0)->sun_path) - 2)

/* Largest scratch buffer for getpwuid_r / getgrgid_r; an entry larger than this is reported as ERANGE. */
#define MAX_ENTRY_BUF (1024 * 1024)

/*
 * Fills *sa with AF_UNIX and the `len` bytes of `path` (a byte[]), NUL-terminated: the length to pass to the
 * kernel, or -EINVAL for a null array or a bad length (Java checks MAX_PATH_LEN first).
 */
static jint to_sockaddr(JNIEnv *env, jbyteArray path, struct sockaddr_un *sa) {
    if (path == NULL) {
        return -EINVAL;
    }
    jsize len = (*env)->GetArrayLength(env, path);
    if (len < 0 || len > MAX_PATH_LEN) {
        return -EINVAL;
    }
    memset(sa, 0, sizeof *sa);
    sa->sun_family = AF_UNIX;
    (*env)->GetByteArrayRegion(env, path, 0, len, (jbyte *) sa->sun_path);
    if ((*env)->ExceptionCheck(env)) {
        return -EINVAL;
    }
    socklen_t salen = (socklen_t) (offsetof(struct sockaddr_un, sun_path) + (size_t) len + 1);
    nativenio_sun_len(sa, salen);
    return (jint) salen;
}

/* `op` (nativenio_bind or nativenio_connect, net.c) of fd to `path`. */
static jint to_path(JNIEnv *env, jint fd, jbyteArray path, nativenio_address_op op) {
    struct sockaddr_un sa;
    jint salen = to_sockaddr(env, path, &sa);
    if (salen < 0) {
        return salen;
    }
    return op(fd, (struct sockaddr *) &sa, (socklen_t) salen);
}

/*
 * Copies the path of an address the kernel returned (`salen` bytes of *sa) into buf[0, cap): its length,
 * or -ENAMETOOLONG if it does not fit. An unnamed socket and an abstract address (leading NUL) have the
 * empty path, as in the JDK's sockaddrToUnixAddressBytes.
 */
static jint from_sockaddr(JNIEnv *env, const struct sockaddr_un *sa, socklen_t salen, jobject buf, jint cap) {
    size_t offset = offsetof(struct sockaddr_un, sun_path);
    size_t len = 0;
    if (sa->sun_family == AF_UNIX && salen > offset) {
        size_t max = (size_t) salen - offset;
        if (max > sizeof sa->sun_path) {
            max = sizeof sa->sun_path;
        }
        len = strnlen(sa->sun_path, max);
    }
    if (len == 0) {
        return 0;
    }
    char *dst = cap > 0 ? nativenio_direct_range(env, buf, 0, cap) : NULL;
    if (dst == NULL || len > (size_t) cap) {
        return -ENAMETOOLONG;
    }
    memcpy(dst, sa->sun_path, len);
    return (jint) len;
}

/* A new UNIX-domain stream socket, close-on-exec, blocking and never raising SIGPIPE. */
static jint unix_socket(JNIEnv *env, jclass cls) {
    (void) env; (void) cls;
    int fd = nativenio_socket(AF_UNIX, SOCK_STREAM, 0);
    return fd < 0 ? -errno : fd;
}

static jint unix_bind(JNIEnv *env, jclass cls, jint fd, jbyteArray path) {
    (void) cls;
    return to_path(env, fd, path, nativenio_bind);
}

/* 1 when connected, 0 when in progress, else -errno (nativenio_connect): EAGAIN, a full backlog, is an error. */
static jint unix_connect(JNIEnv *env, jclass cls, jint fd, jbyteArray path) {
    (void) cls;
    return to_path(env, fd, path, nativenio_connect);
}

/*
 * Accepts one connection (nativenio_accept_retry, net.c) and stores the peer's path in buf[0, cap). Returns the
 * new fd in the low 32 bits and the path's length in the high ones, or -errno.
 */
static jlong unix_accept(JNIEnv *env, jclass cls, jint fd, jobject buf, jint cap) {
    (void) cls;
    struct sockaddr_un sa;
    socklen_t salen;
    int newfd = nativenio_accept_retry(fd, (struct sockaddr *) &sa, (socklen_t) sizeof sa, &salen);
    if (newfd < 0) {
        return newfd;
    }
    jint len = from_sockaddr(env, &sa, salen, buf, cap);
    if (len < 0) {
        close(newfd);
        return len;
    }
    return (jlong) len << 32 | (jlong) (uint32_t) newfd;
}

/* The socket's own path (getsockname) or its peer's (getpeername) into buf[0, cap): its length, or -errno. */
static jint unix_address(JNIEnv *env, jclass cls, jint fd, jboolean peer, jobject buf, jint cap) {
    (void) cls;
    struct sockaddr_un sa;
    socklen_t salen = sizeof sa;
    memset(&sa, 0, sizeof sa);
    int rc = peer ? getpeername(fd, (struct sockaddr *) &sa, &salen) : getsockname(fd, (struct sockaddr *) &sa, &salen);
    if (rc < 0) {
        return -errno;
    }
    return from_sockaddr(env, &sa, salen, buf, cap);
}

/*
 * jdk.net.ExtendedSocketOptions.SO_PEERCRED: the peer's uid and gid as two 32-bit ints at buf[0, 8), or -errno
 * (nativenio_peer_ids, platform.h). An unconnected socket reports uid -1 on Linux, ENOTCONN elsewhere; both are
 * errors for Java to report, as the JDK does.
 */
static jint unix_peer_cred(JNIEnv *env, jclass cls, jint fd, jobject buf) {
    (void) cls;
    uint32_t *ids = (uint32_t *) (void *) nativenio_direct_range(env, buf, 0, 2 * (jint) sizeof(uint32_t));
    if (ids == NULL) {
        return -EINVAL;
    }
    uid_t uid;
    gid_t gid;
    if (nativenio_peer_ids(fd, &uid, &gid) < 0) {
        return -errno;
    }
    ids[0] = (uint32_t) uid;
    ids[1] = (uint32_t) gid;
    return 0;
}

/*
 * The name of user `id` (group when `group`) into buf[0, cap): its length, -ENOENT when there is no such
 * entry, or -errno (-ERANGE when the name does not fit).
 */
static jint unix_id_name(JNIEnv *env, jclass cls, jint id, jboolean group, jobject buf, jint cap) {
    (void) cls;
    char *dst = cap > 0 ? nativenio_direct_range(env, buf, 0, cap) : NULL;
    if (dst == NULL) {
        return -EINVAL;
    }
    size_t size = 1024;
    for (;;) {
        char *scratch = malloc(size);
        if (scratch == NULL) {
            return -ENOMEM;
        }
        const char *name = NULL;
        int rc;
        if (group) {
            struct group entry;
            struct group *result = NULL;
            rc = getgrgid_r((gid_t) id, &entry, scratch, size, &result);
            name = rc == 0 && result != NULL ? result->gr_name : NULL;
        } else {
            struct passwd entry;
            struct passwd *result = NULL;
            rc = getpwuid_r((uid_t) id, &entry, scratch, size, &result);
            name = rc == 0 && result != NULL ? result->pw_name : NULL;
        }
        jint out;
        if (rc == ERANGE && size < MAX_ENTRY_BUF) {
            free(scratch);
            size *= 2;
            continue;
        } else if (rc != 0) {
            out = -rc;
        } else if (name == NULL) {
            out = -ENOENT;
        } else {
            size_t len = strlen(name);
            if (len > (size_t) cap) {
                out = -ERANGE;
            } else {
                memcpy(dst, name, len);
                out = (jint) len;
            }
        }
        free(scratch);
        return out;
    }
}

#define UNIX_CONSTANTS(X) \
    X(maxPathLen, MAX_PATH_LEN) \
    X(sunPathSize, sizeof(((struct sockaddr_un *) 0)->sun_path))

NATIVENIO_REGISTER(unix, "io/nativenio/ch/UnixDomainSockets", UNIX_CONSTANTS,
    {"socket0", "()I", (void *) unix_socket},
    {"bind0", "(I[B)I", (void *) unix_bind},
    {"connect0", "(I[B)I", (void *) unix_connect},
    {"accept0", "(ILjava/nio/ByteBuffer;I)J", (void *) unix_accept},
    {"address0", "(IZLjava/nio/ByteBuffer;I)I", (void *) unix_address},
    {"peerCred0", "(ILjava/nio/ByteBuffer;)I", (void *) unix_peer_cred},
    {"idName0", "(IZLjava/nio/ByteBuffer;I)I", (void *) unix_id_name})
