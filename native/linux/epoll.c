/*
 * epoll(7) and eventfd(2) for io.nativenio.epoll.EPoll: create, ctl, the one-call-per-select "apply the
 * queued updates, then wait", and the eventfd that wakes a waiting selector.
 */
#include "nativenio.h"

#include <errno.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <unistd.h>

static jint ep_create(JNIEnv *env, jclass cls) {
    (void) env; (void) cls;
    int fd = epoll_create1(EPOLL_CLOEXEC);
    return fd < 0 ? -errno : fd;
}

static int ctl(int epfd, int op, int fd, uint32_t events) {
    struct epoll_event ev;
    memset(&ev, 0, sizeof ev);
    ev.events = events;
    ev.data.fd = fd;
    return epoll_ctl(epfd, op, fd, &ev) == 0 ? 0 : -errno;
}

static jint ep_ctl(JNIEnv *env, jclass cls, jint epfd, jint op, jint fd, jint events) {
    (void) env; (void) cls;
    return ctl(epfd, op, fd, (uint32_t) events);
}

/*
 * Applies `count` interest updates, each three ints (fd, op, events) at `updates`, then waits for at most
 * `max` events into `events` (an array of struct epoll_event). Each update's op slot is overwritten with
 * its result (0 or -errno) so that Java can see a failed epoll_ctl. Returns the number of events or -errno.
 */
static jint ep_select(JNIEnv *env, jclass cls, jint epfd, jlong updates, jint count,
                          jlong events, jint max, jint timeout) {
    (void) env; (void) cls;
    if (count < 0 || max <= 0 || events == 0 || (count > 0 && updates == 0)) {
        return -EINVAL;
    }
    jint *u = (jint *) (intptr_t) updates;
    for (jint i = 0; i < count; i++, u += 3) {
        u[1] = ctl(epfd, u[1], u[0], (uint32_t) u[2]);
    }
    int n = epoll_wait(epfd, (struct epoll_event *) (intptr_t) events, max, timeout);
    return n < 0 ? -errno : n;
}

static jint eventfd_open(JNIEnv *env, jclass cls) {
    (void) env; (void) cls;
    int fd = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
    return fd < 0 ? -errno : fd;
}

static jint eventfd_signal(JNIEnv *env, jclass cls, jint fd) {
    (void) env; (void) cls;
    uint64_t one = 1;
    ssize_t n;
    do {
        n = write(fd, &one, sizeof one);
    } while (n < 0 && errno == EINTR);
    /* EAGAIN means the counter is already huge: the fd is readable, which is all a wakeup needs. */
    return n < 0 && errno != EAGAIN ? -errno : 0;
}

static jint eventfd_drain(JNIEnv *env, jclass cls, jint fd) {
    (void) env; (void) cls;
    uint64_t value;
    ssize_t n;
    do {
        n = read(fd, &value, sizeof value);
    } while (n < 0 && errno == EINTR);
    return n < 0 && errno != EAGAIN ? -errno : 0;
}

/* Struct layout and constants, one native each, read once by the Java facade's static initializer. */
#define EPOLL_CONSTANTS(X) \
    X(event_size, "eventSize", sizeof(struct epoll_event)) \
    X(events_offset, "eventsOffset", offsetof(struct epoll_event, events)) \
    X(data_offset, "dataOffset", offsetof(struct epoll_event, data)) \
    X(epollin, "epollin", EPOLLIN) \
    X(epollout, "epollout", EPOLLOUT) \
    X(epollerr, "epollerr", EPOLLERR) \
    X(epollhup, "epollhup", EPOLLHUP) \
    X(epolloneshot, "epolloneshot", EPOLLONESHOT) \
    X(ctl_add, "ctlAdd", EPOLL_CTL_ADD) \
    X(ctl_mod, "ctlMod", EPOLL_CTL_MOD) \
    X(ctl_del, "ctlDel", EPOLL_CTL_DEL) \
    X(eexist, "eexist", EEXIST)

EPOLL_CONSTANTS(NATIVENIO_CONSTANT_DEFINE)

static const JNINativeMethod methods[] = {
    {"create", "()I", (void *) ep_create},
    {"ctl", "(IIII)I", (void *) ep_ctl},
    {"select", "(IJIJII)I", (void *) ep_select},
    {"eventFd", "()I", (void *) eventfd_open},
    {"eventFdSignal", "(I)I", (void *) eventfd_signal},
    {"eventFdDrain", "(I)I", (void *) eventfd_drain},
    EPOLL_CONSTANTS(NATIVENIO_CONSTANT_METHOD)
};

jint nativenio_register_epoll(JNIEnv *env) {
    return nativenio_register(env, "io/nativenio/epoll/EPoll", methods, NATIVENIO_ARRAY_LENGTH(methods));
}
