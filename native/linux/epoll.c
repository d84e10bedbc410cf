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

static jint epoll_create0(JNIEnv *env, jclass cls) {
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

static jint epoll_ctl0(JNIEnv *env, jclass cls, jint epfd, jint op, jint fd, jint events) {
    (void) env; (void) cls;
    return ctl(epfd, op, fd, (uint32_t) events);
}

/*
 * Applies `count` interest updates, each three ints (fd, op, events) at `updates`, then waits for at most
 * `max` events into `events` (an array of struct epoll_event). Each update's op slot is overwritten with
 * its result (0 or -errno) so that Java can see a failed epoll_ctl. Returns the number of events or -errno.
 */
static jint epoll_select0(JNIEnv *env, jclass cls, jint epfd, jlong updates, jint count,
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
NATIVENIO_CONSTANT(event_size, sizeof(struct epoll_event))
NATIVENIO_CONSTANT(events_offset, offsetof(struct epoll_event, events))
NATIVENIO_CONSTANT(data_offset, offsetof(struct epoll_event, data))
NATIVENIO_CONSTANT(epollin, EPOLLIN)
NATIVENIO_CONSTANT(epollout, EPOLLOUT)
NATIVENIO_CONSTANT(epollerr, EPOLLERR)
NATIVENIO_CONSTANT(epollhup, EPOLLHUP)
NATIVENIO_CONSTANT(epolloneshot, EPOLLONESHOT)
NATIVENIO_CONSTANT(ctl_add, EPOLL_CTL_ADD)
NATIVENIO_CONSTANT(ctl_mod, EPOLL_CTL_MOD)
NATIVENIO_CONSTANT(ctl_del, EPOLL_CTL_DEL)
NATIVENIO_CONSTANT(eexist, EEXIST)

static const JNINativeMethod methods[] = {
    {"create", "()I", (void *) epoll_create0},
    {"ctl", "(IIII)I", (void *) epoll_ctl0},
    {"select", "(IJIJII)I", (void *) epoll_select0},
    {"eventFd", "()I", (void *) eventfd_open},
    {"eventFdSignal", "(I)I", (void *) eventfd_signal},
    {"eventFdDrain", "(I)I", (void *) eventfd_drain},
    {"eventSize", "()I", (void *) event_size},
    {"eventsOffset", "()I", (void *) events_offset},
    {"dataOffset", "()I", (void *) data_offset},
    {"epollin", "()I", (void *) epollin},
    {"epollout", "()I", (void *) epollout},
    {"epollerr", "()I", (void *) epollerr},
    {"epollhup", "()I", (void *) epollhup},
    {"epolloneshot", "()I", (void *) epolloneshot},
    {"ctlAdd", "()I", (void *) ctl_add},
    {"ctlMod", "()I", (void *) ctl_mod},
    {"ctlDel", "()I", (void *) ctl_del},
    {"eexist", "()I", (void *) eexist},
};

jint nativenio_register_epoll(JNIEnv *env) {
    return nativenio_register(env, "io/nativenio/epoll/EPoll", methods, NATIVENIO_ARRAY_LENGTH(methods));
}
