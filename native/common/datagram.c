/*
 * UDP for io.nativenio.ch.Datagram: sendto, recvfrom, disconnect, and the multicast membership and interface
 * calls of the JDK's DatagramChannelImpl.c and Net.c. Every call is one syscall (or one retry loop around
 * it) and returns -errno on failure; Java builds the exception.
 *
 * Data buffers are a direct ByteBuffer with a position and a length, checked against its capacity
 * (nativenio_buffer_range, io.c). Socket addresses live in direct memory (NativeSocketAddress) passed as
 * an address plus a length, checked against sizeof(struct sockaddr_in6). IPv6 group and source addresses
 * are 16-byte arrays, copied with GetByteArrayRegion (multicast calls only, never on a hot path).
 */
#include "nativenio.h"

#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <stdint.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#define SOCKADDR_MAX ((socklen_t) sizeof(struct sockaddr_in6))

static struct sockaddr *sockaddr_at(jlong address) {
    return (struct sockaddr *) (intptr_t) address;
}

/* sendto(2) of buf[pos, pos + len) to the address at `address` (length `addrlen`): bytes sent or -errno. */
static jint dg_send(JNIEnv *env, jclass cls, jint fd, jobject buf, jint pos, jint len, jlong address, jint addrlen) {
    (void) cls;
    char *p;
    if (nativenio_buffer_range(env, buf, pos, len, &p) < 0 || address == 0 || addrlen <= 0
        || (socklen_t) addrlen > SOCKADDR_MAX) {
        return -EINVAL;
    }
    ssize_t n = sendto(fd, p, (size_t) len, NATIVENIO_MSG_NOSIGNAL, sockaddr_at(address), (socklen_t) addrlen);
    return n < 0 ? -errno : (jint) n;
}

/*
 * recvfrom(2) into buf[pos, pos + len), the sender's address stored at `address` (SOCKADDR_MAX bytes): the
 * datagram's length (at most len: a longer one is truncated) or -errno. ECONNREFUSED (an ICMP port
 * unreachable) is retried on an unconnected socket and returned on a connected one, as the JDK's receive0.
 */
static jint dg_receive(JNIEnv *env, jclass cls, jint fd, jobject buf, jint pos, jint len, jlong address,
                       jboolean connected) {
    (void) cls;
    char *p;
    if (nativenio_buffer_range(env, buf, pos, len, &p) < 0 || address == 0) {
        return -EINVAL;
    }
    for (;;) {
        socklen_t addrlen = SOCKADDR_MAX;
        memset(sockaddr_at(address), 0, SOCKADDR_MAX);
        ssize_t n = recvfrom(fd, p, (size_t) len, 0, sockaddr_at(address), &addrlen);
        if (n >= 0) {
            return (jint) n;
        }
        if (errno != ECONNREFUSED || connected) {
            return -errno;
        }
    }
}

/* Dissolves the association (the JDK's disconnect0; nativenio_dissolve, platform.h). */
static jint dg_disconnect(JNIEnv *env, jclass cls, jint fd, jboolean inet6) {
    (void) env; (void) cls;
    return nativenio_dissolve(fd, inet6) < 0 ? -errno : 0;
}

/*
 * Puts the socket `newfd` in the place of `fd`, keeping the fd number: `newfd` takes fd's blocking mode and is
 * dup2'd onto fd, which drops the old socket; `newfd` itself stays open for the caller to close. The re-created
 * socket of DatagramChannel.disconnect where dissolving the association changed the local address (the JDK's
 * DatagramChannelImpl.repairSocket). 0 or -errno.
 */
static jint dg_replace(JNIEnv *env, jclass cls, jint newfd, jint fd) {
    (void) env; (void) cls;
    int flags = fcntl(fd, F_GETFL);
    if (flags < 0) {
        return -errno;
    }
    jint rc = nativenio_set_blocking(newfd, (flags & O_NONBLOCK) == 0);
    return rc < 0 ? rc : nativenio_dup2(newfd, fd);
}

/* The IPv4 multicast interface (IP_MULTICAST_IF), an address in host byte order; 0 means the default. */
static jint dg_set_interface4(JNIEnv *env, jclass cls, jint fd, jint interf) {
    (void) env; (void) cls;
    struct in_addr in = {.s_addr = htonl((uint32_t) interf)};
    return setsockopt(fd, IPPROTO_IP, IP_MULTICAST_IF, &in, sizeof in) < 0 ? -errno : 0;
}

/* The address of getInterface4 in the low 32 bits (host byte order), or -errno shifted left by 32. */
static jlong dg_get_interface4(JNIEnv *env, jclass cls, jint fd) {
    (void) env; (void) cls;
    struct in_addr in;
    socklen_t len = sizeof in;
    memset(&in, 0, sizeof in);
    if (getsockopt(fd, IPPROTO_IP, IP_MULTICAST_IF, &in, &len) < 0) {
        return -((jlong) errno << 32);
    }
    return (jlong) ntohl(in.s_addr);
}

/* An IPv4 source-specific request for `group` on the interface with address `interf`; host byte order. */
static struct ip_mreq_source mreq_source(jint group, jint interf, jint source) {
    struct ip_mreq_source mreq;
    memset(&mreq, 0, sizeof mreq);
    mreq.imr_multiaddr.s_addr = htonl((uint32_t) group);
    mreq.imr_interface.s_addr = htonl((uint32_t) interf);
    mreq.imr_sourceaddr.s_addr = htonl((uint32_t) source);
    return mreq;
}

/*
 * Joins (join true) or leaves an IPv4 group on the interface with address `interf`, any-source when `source`
 * is 0, else source-specific. Addresses in host byte order.
 */
static jint dg_join4(JNIEnv *env, jclass cls, jboolean join, jint fd, jint group, jint interf, jint source) {
    (void) env; (void) cls;
    int rc;
    if (source == 0) {
        struct ip_mreq mreq;
        memset(&mreq, 0, sizeof mreq);
        mreq.imr_multiaddr.s_addr = htonl((uint32_t) group);
        mreq.imr_interface.s_addr = htonl((uint32_t) interf);
        rc = nativenio_membership(fd, IPPROTO_IP, join ? IP_ADD_MEMBERSHIP : IP_DROP_MEMBERSHIP, &mreq, sizeof mreq);
    } else {
        struct ip_mreq_source mreq = mreq_source(group, interf, source);
        rc = nativenio_membership(fd, IPPROTO_IP, join ? IP_ADD_SOURCE_MEMBERSHIP : IP_DROP_SOURCE_MEMBERSHIP, &mreq,
                                  sizeof mreq);
    }
    return rc < 0 ? -errno : 0;
}

/*
 * Blocks (block true) or unblocks `source` (host byte order) for an any-source IPv4 membership; -EOPNOTSUPP
 * where the JDK has no such filter (platform.h).
 */
static jint dg_block4(JNIEnv *env, jclass cls, jboolean block, jint fd, jint group, jint interf, jint source) {
    (void) env; (void) cls;
    if (!NATIVENIO_SOURCE_BLOCKING) {
        return -EOPNOTSUPP;
    }
    struct ip_mreq_source mreq = mreq_source(group, interf, source);
    int rc = setsockopt(fd, IPPROTO_IP, block ? IP_BLOCK_SOURCE : IP_UNBLOCK_SOURCE, &mreq, sizeof mreq);
    return rc < 0 ? -errno : 0;
}

/* Copies a 16-byte IPv6 address from a Java array into `sa`; false if the array is null or not 16 bytes. */
static int in6_from_array(JNIEnv *env, jbyteArray a, struct sockaddr_in6 *sa) {
    memset(sa, 0, sizeof *sa);
    sa->sin6_family = AF_INET6;
    if (a == NULL || (*env)->GetArrayLength(env, a) != 16) {
        return 0;
    }
    (*env)->GetByteArrayRegion(env, a, 0, 16, (jbyte *) &sa->sin6_addr);
    return !(*env)->ExceptionCheck(env);
}

/*
 * IPv6 (and, on a dual-stack socket, IPv4-mapped) group operations through the protocol-independent RFC 3678
 * requests: join or leave (op 0: join, 1: leave) any-source when `source` is null, else source-specific;
 * block or unblock (op 2: block, 3: unblock) a source of an any-source membership.
 */
static jint dg_group6(JNIEnv *env, jclass cls, jint op, jint fd, jbyteArray group, jint index, jbyteArray source) {
    (void) cls;
    if (index < 0 || op < 0 || op > 3 || (source == NULL && op >= 2)) {
        return -EINVAL;
    }
    if ((op >= 2 && !NATIVENIO_SOURCE_BLOCKING) || (op == 0 && source != NULL && !NATIVENIO_IPV6_SOURCE_JOIN)) {
        return -EOPNOTSUPP; /* a filter the JDK does not offer here (platform.h) */
    }
    if (source == NULL) {
        struct group_req req;
        memset(&req, 0, sizeof req);
        req.gr_interface = (uint32_t) index;
        if (!in6_from_array(env, group, (struct sockaddr_in6 *) &req.gr_group)) {
            return -EINVAL;
        }
        int rc = nativenio_membership(fd, IPPROTO_IPV6, op == 0 ? MCAST_JOIN_GROUP : MCAST_LEAVE_GROUP, &req,
                                      sizeof req);
        return rc < 0 ? -errno : 0;
    }
    struct group_source_req req;
    memset(&req, 0, sizeof req);
    req.gsr_interface = (uint32_t) index;
    if (!in6_from_array(env, group, (struct sockaddr_in6 *) &req.gsr_group)
            || !in6_from_array(env, source, (struct sockaddr_in6 *) &req.gsr_source)) {
        return -EINVAL;
    }
    static const int names[] = {MCAST_JOIN_SOURCE_GROUP, MCAST_LEAVE_SOURCE_GROUP, MCAST_BLOCK_SOURCE,
                                MCAST_UNBLOCK_SOURCE};
    return nativenio_membership(fd, IPPROTO_IPV6, names[op], &req, sizeof req) < 0 ? -errno : 0;
}

/* The don't-fragment option is named per platform, with its ON and OFF values (platform.h). */
#define DATAGRAM_CONSTANTS(X) \
    X(ipMulticastTtl, IP_MULTICAST_TTL) \
    X(ipMulticastLoop, IP_MULTICAST_LOOP) \
    X(ipv6MulticastIf, IPV6_MULTICAST_IF) \
    X(ipv6MulticastHops, IPV6_MULTICAST_HOPS) \
    X(ipv6MulticastLoop, IPV6_MULTICAST_LOOP) \
    X(ipDontfrag, NATIVENIO_IP_DONTFRAG) \
    X(ipv6Dontfrag, NATIVENIO_IPV6_DONTFRAG) \
    X(dontfragOn, NATIVENIO_DONTFRAG_ON) \
    X(dontfragOff, NATIVENIO_DONTFRAG_OFF)

NATIVENIO_REGISTER(datagram, "io/nativenio/ch/Datagram", DATAGRAM_CONSTANTS,
    {"send", "(ILjava/nio/ByteBuffer;IIJI)I", (void *) dg_send},
    {"receive0", "(ILjava/nio/ByteBuffer;IIJZ)I", (void *) dg_receive},
    {"disconnect", "(IZ)I", (void *) dg_disconnect},
    {"replace", "(II)I", (void *) dg_replace},
    {"setInterface4", "(II)I", (void *) dg_set_interface4},
    {"getInterface4", "(I)J", (void *) dg_get_interface4},
    {"join4", "(ZIIII)I", (void *) dg_join4},
    {"block4", "(ZIIII)I", (void *) dg_block4},
    {"group6", "(II[BI[B)I", (void *) dg_group6})
