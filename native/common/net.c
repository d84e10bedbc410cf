/*
 * Sockets for io.nativenio.ch.Net: socket, bind, listen, connect, accept, addresses, shutdown, options,
 * poll. Every call is one syscall (or one retry loop around it) and returns -errno on failure.
 *
 * Socket addresses live in direct memory that Java filled or reads back (NativeSocketAddress) and are
 * passed as an address plus a length; the length is checked here against sizeof(struct sockaddr_in6),
 * the largest address this file handles.
 */
#include "nativenio.h"

#include <errno.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <unistd.h>

#ifndef IPV6_MULTICAST_ALL
#define IPV6_MULTICAST_ALL 29
#endif

#ifndef SO_INCOMING_NAPI_ID
#define SO_INCOMING_NAPI_ID 56
#endif

#define SOCKADDR_MAX ((jint) sizeof(struct sockaddr_in6))

static struct sockaddr *sockaddr_at(jlong address) {
    return (struct sockaddr *) (intptr_t) address;
}

/* setsockopt of an int, where ENOPROTOOPT (an option this kernel lacks) counts as success. */
static int set_if_known(int fd, int level, int name, int value) {
    return setsockopt(fd, level, name, &value, sizeof value) < 0 && errno != ENOPROTOOPT ? -1 : 0;
}

/*
 * A new socket, close-on-exec and blocking. An IPv6 socket is dual-stack (IPV6_V6ONLY off) and a server
 * socket has SO_REUSEADDR, as the JDK's Net.c socket0 (behaviours.md#bind-and-socket-defaults). A UDP socket receives
 * only the multicast groups it joined itself (IP_MULTICAST_ALL off, and IPV6_MULTICAST_ALL on IPv6) and an IPv6 one
 * sends multicast with hop limit 1 instead of the route's default, as the JDK's.
 */
static jint net_socket(JNIEnv *env, jclass cls, jboolean inet6, jboolean stream, jboolean reuse) {
    (void) env; (void) cls;
    int fd = socket(inet6 ? AF_INET6 : AF_INET, (stream ? SOCK_STREAM : SOCK_DGRAM) | SOCK_CLOEXEC, 0);
    if (fd < 0) {
        return -errno;
    }
    int zero = 0;
    int one = 1;
    if ((inet6 && setsockopt(fd, IPPROTO_IPV6, IPV6_V6ONLY, &zero, sizeof zero) < 0)
            || (reuse && setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one) < 0)
            || (!stream && set_if_known(fd, IPPROTO_IP, IP_MULTICAST_ALL, 0) < 0)
            || (!stream && inet6 && set_if_known(fd, IPPROTO_IPV6, IPV6_MULTICAST_ALL, 0) < 0)
            || (!stream && inet6 && setsockopt(fd, IPPROTO_IPV6, IPV6_MULTICAST_HOPS, &one, sizeof one) < 0)) {
        int err = errno;
        close(fd);
        return -err;
    }
    return fd;
}

static jint net_bind(JNIEnv *env, jclass cls, jint fd, jlong address, jint len) {
    (void) env; (void) cls;
    if (address == 0 || len <= 0 || len > SOCKADDR_MAX) {
        return -EINVAL;
    }
    return bind(fd, sockaddr_at(address), (socklen_t) len) < 0 ? -errno : 0;
}

static jint net_listen(JNIEnv *env, jclass cls, jint fd, jint backlog) {
    (void) env; (void) cls;
    return listen(fd, backlog) < 0 ? -errno : 0;
}

/* 1 when connected, 0 when the connection is in progress (EINPROGRESS), else -errno (EINTR included). */
static jint net_connect(JNIEnv *env, jclass cls, jint fd, jlong address, jint len) {
    (void) env; (void) cls;
    if (address == 0 || len <= 0 || len > SOCKADDR_MAX) {
        return -EINVAL;
    }
    if (connect(fd, sockaddr_at(address), (socklen_t) len) == 0) {
        return 1;
    }
    return errno == EINPROGRESS ? 0 : -errno;
}

/*
 * Accepts one connection (close-on-exec, blocking) and stores the peer's address at `address`, which
 * holds SOCKADDR_MAX bytes. ECONNABORTED (the peer gave up while queued) is retried, as the JDK does.
 */
static jint net_accept(JNIEnv *env, jclass cls, jint fd, jlong address) {
    (void) env; (void) cls;
    if (address == 0) {
        return -EINVAL;
    }
    for (;;) {
        socklen_t len = (socklen_t) SOCKADDR_MAX;
        int newfd = accept4(fd, sockaddr_at(address), &len, SOCK_CLOEXEC);
        if (newfd >= 0) {
            return newfd;
        }
        if (errno != ECONNABORTED) {
            return -errno;
        }
    }
}

/* getsockname (peer false) or getpeername (peer true) into SOCKADDR_MAX bytes at `address`. */
static jint net_address(JNIEnv *env, jclass cls, jint fd, jboolean peer, jlong address) {
    (void) env; (void) cls;
    if (address == 0) {
        return -EINVAL;
    }
    socklen_t len = (socklen_t) SOCKADDR_MAX;
    int rc = peer ? getpeername(fd, sockaddr_at(address), &len) : getsockname(fd, sockaddr_at(address), &len);
    return rc < 0 ? -errno : 0;
}

/* ENOTCONN is not an error: the peer may have reset the connection already (the JDK ignores it too). */
static jint net_shutdown(JNIEnv *env, jclass cls, jint fd, jint how) {
    (void) env; (void) cls;
    return shutdown(fd, how) < 0 && errno != ENOTCONN ? -errno : 0;
}

/*
 * poll(2) on one fd: the returned events, 0 on timeout or EINTR (the caller re-checks its state and
 * retries, as the JDK's Net.poll), or -errno. timeout in ms, -1 waits forever.
 */
static jint net_poll(JNIEnv *env, jclass cls, jint fd, jint events, jint timeout) {
    (void) env; (void) cls;
    struct pollfd pfd = {.fd = fd, .events = (short) events, .revents = 0};
    int rc = poll(&pfd, 1, timeout);
    if (rc < 0) {
        return errno == EINTR ? 0 : -errno;
    }
    return rc == 0 ? 0 : pfd.revents;
}

/*
 * Polls a connecting socket for `timeout` ms: 1 if the connection is established, 0 if still in progress
 * (or EINTR), -errno of the failed connection (SO_ERROR) or of poll. The JDK's Net.pollConnect.
 */
static jint net_poll_connect(JNIEnv *env, jclass cls, jint fd, jint timeout) {
    (void) env; (void) cls;
    struct pollfd pfd = {.fd = fd, .events = POLLOUT, .revents = 0};
    int rc = poll(&pfd, 1, timeout);
    if (rc < 0) {
        return errno == EINTR ? 0 : -errno;
    }
    if (rc == 0) {
        return 0;
    }
    int error = 0;
    socklen_t len = sizeof error;
    if (getsockopt(fd, SOL_SOCKET, SO_ERROR, &error, &len) < 0) {
        return -errno;
    }
    return error != 0 ? -error : 1;
}

/*
 * An int option. SO_LINGER takes a struct linger: a negative value turns it off. The result of
 * getIntOption is the value (linger off reads -1) in the low 32 bits, or -errno shifted left by 32 so that
 * any int value stays distinguishable from an error (Net.getIntOption decodes it).
 */
static jint net_set_int_option(JNIEnv *env, jclass cls, jint fd, jint level, jint name, jint value) {
    (void) env; (void) cls;
    int rc;
    if (level == SOL_SOCKET && name == SO_LINGER) {
        struct linger l = {.l_onoff = value >= 0, .l_linger = value >= 0 ? value : 0};
        rc = setsockopt(fd, level, name, &l, sizeof l);
    } else {
        int v = value;
        rc = setsockopt(fd, level, name, &v, sizeof v);
    }
    return rc < 0 ? -errno : 0;
}

static jlong net_get_int_option(JNIEnv *env, jclass cls, jint fd, jint level, jint name) {
    (void) env; (void) cls;
    jint value;
    if (level == SOL_SOCKET && name == SO_LINGER) {
        struct linger l;
        socklen_t len = sizeof l;
        if (getsockopt(fd, level, name, &l, &len) < 0) {
            return -((jlong) errno << 32);
        }
        value = l.l_onoff ? l.l_linger : -1;
    } else {
        int v = 0;
        socklen_t len = sizeof v;
        if (getsockopt(fd, level, name, &v, &len) < 0) {
            return -((jlong) errno << 32);
        }
        value = v;
    }
    return (jlong) (uint32_t) value;
}

/* One byte of urgent data (Socket.sendUrgentData); never raises SIGPIPE. */
static jint net_send_oob(JNIEnv *env, jclass cls, jint fd, jbyte b) {
    (void) env; (void) cls;
    ssize_t n = send(fd, &b, 1, MSG_OOB | MSG_NOSIGNAL);
    return n < 0 ? -errno : (jint) n;
}

/* Bytes that can be read without blocking (FIONREAD). */
static jint net_available(JNIEnv *env, jclass cls, jint fd) {
    (void) env; (void) cls;
    int n = 0;
    return ioctl(fd, FIONREAD, &n) < 0 ? -errno : n;
}

/*
 * What an inherited fd is (System.inheritedChannel, behaviours.md#inherited-channel): (family << 16) | type from
 * getsockname and SO_TYPE, or -errno (ENOTSOCK when it is not a socket).
 */
static jint net_socket_kind(JNIEnv *env, jclass cls, jint fd) {
    (void) env; (void) cls;
    int type = 0;
    socklen_t len = sizeof type;
    if (getsockopt(fd, SOL_SOCKET, SO_TYPE, &type, &len) < 0) {
        return -errno;
    }
    struct sockaddr_storage ss;
    socklen_t sslen = sizeof ss;
    if (getsockname(fd, (struct sockaddr *) &ss, &sslen) < 0) {
        return -errno;
    }
    return (jint) (((uint32_t) ss.ss_family << 16) | ((uint32_t) type & 0xffff));
}

static jboolean net_ipv6_available(JNIEnv *env, jclass cls) {
    (void) env; (void) cls;
    int fd = socket(AF_INET6, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (fd < 0) {
        /* Linux checks the family before it allocates the fd: a full fd table means IPv6 is there */
        return errno == EMFILE || errno == ENFILE ? JNI_TRUE : JNI_FALSE;
    }
    close(fd);
    return JNI_TRUE;
}

/* Whether an option can be read on a fresh TCP socket (SO_REUSEPORT, TCP_QUICKACK, ... on this kernel). */
static jboolean net_option_available(JNIEnv *env, jclass cls, jint level, jint name) {
    (void) env; (void) cls;
    int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (fd < 0) {
        return JNI_FALSE;
    }
    int v;
    socklen_t len = sizeof v;
    int rc = getsockopt(fd, level, name, &v, &len);
    close(fd);
    return rc == 0 ? JNI_TRUE : JNI_FALSE;
}

static jint net_constant(JNIEnv *env, jclass cls, jint which) {
    (void) env; (void) cls;
    switch (which) {
        case 0: return AF_INET;
        case 1: return AF_INET6;
        case 2: return (jint) sizeof(struct sockaddr_in);
        case 3: return (jint) sizeof(struct sockaddr_in6);
        case 4: return (jint) offsetof(struct sockaddr_in, sin_family);
        case 5: return (jint) offsetof(struct sockaddr_in, sin_port);
        case 6: return (jint) offsetof(struct sockaddr_in, sin_addr);
        case 7: return (jint) offsetof(struct sockaddr_in6, sin6_family);
        case 8: return (jint) offsetof(struct sockaddr_in6, sin6_port);
        case 9: return (jint) offsetof(struct sockaddr_in6, sin6_flowinfo);
        case 10: return (jint) offsetof(struct sockaddr_in6, sin6_addr);
        case 11: return (jint) offsetof(struct sockaddr_in6, sin6_scope_id);
        case 12: return (jint) sizeof(sa_family_t);
        case 13: return SHUT_RD;
        case 14: return SHUT_WR;
        case 15: return POLLIN;
        case 16: return POLLOUT;
        case 17: return POLLERR;
        case 18: return POLLHUP;
        case 19: return POLLNVAL;
        case 20: return SOL_SOCKET;
        case 21: return IPPROTO_TCP;
        case 22: return IPPROTO_IP;
        case 23: return IPPROTO_IPV6;
        case 24: return SO_SNDBUF;
        case 25: return SO_RCVBUF;
        case 26: return SO_KEEPALIVE;
        case 27: return SO_REUSEADDR;
        case 28: return SO_REUSEPORT;
        case 29: return SO_LINGER;
        case 30: return SO_OOBINLINE;
        case 31: return TCP_NODELAY;
        case 32: return IP_TOS;
        case 33: return IPV6_TCLASS;
        case 34: return TCP_QUICKACK;
        case 35: return TCP_KEEPIDLE;
        case 36: return TCP_KEEPINTVL;
        case 37: return TCP_KEEPCNT;
        case 38: return SO_INCOMING_NAPI_ID;
        case 39: return SO_BROADCAST;
        case 40: return EINPROGRESS;
        case 41: return ECONNREFUSED;
        case 42: return ETIMEDOUT;
        case 43: return ENOTCONN;
        case 44: return EHOSTUNREACH;
        case 45: return EADDRINUSE;
        case 46: return EADDRNOTAVAIL;
        case 47: return EACCES;
        case 48: return EPROTO;
        case 49: return AF_UNIX;
        case 50: return SOCK_STREAM;
        case 51: return SOCK_DGRAM;
        default: return -EINVAL;
    }
}

static const JNINativeMethod methods[] = {
    {"socket0", "(ZZZ)I", (void *) net_socket},
    {"bind0", "(IJI)I", (void *) net_bind},
    {"listen0", "(II)I", (void *) net_listen},
    {"connect0", "(IJI)I", (void *) net_connect},
    {"accept0", "(IJ)I", (void *) net_accept},
    {"address0", "(IZJ)I", (void *) net_address},
    {"shutdown0", "(II)I", (void *) net_shutdown},
    {"poll0", "(III)I", (void *) net_poll},
    {"pollConnect0", "(II)I", (void *) net_poll_connect},
    {"setIntOption0", "(IIII)I", (void *) net_set_int_option},
    {"getIntOption0", "(III)J", (void *) net_get_int_option},
    {"sendOOB0", "(IB)I", (void *) net_send_oob},
    {"available0", "(I)I", (void *) net_available},
    {"socketKind0", "(I)I", (void *) net_socket_kind},
    {"isIPv6Available0", "()Z", (void *) net_ipv6_available},
    {"isOptionAvailable0", "(II)Z", (void *) net_option_available},
    {"constant", "(I)I", (void *) net_constant},
};

jint nativenio_register_net(JNIEnv *env) {
    return nativenio_register(env, "io/nativenio/ch/Net", methods, NATIVENIO_ARRAY_LENGTH(methods));
}
