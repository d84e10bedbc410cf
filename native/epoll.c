/* epoll(7) for io.nativenio.ch.EPoll: create, ctl, and the one-call-per-select "apply updates, then wait". */
#include "nativenio.h"

#include <errno.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <sys/epoll.h>

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

static jint epoll_event_size(JNIEnv *env, jclass cls) {
    (void) env; (void) cls;
    return (jint) sizeof(struct epoll_event);
}

static jint epoll_events_offset(JNIEnv *env, jclass cls) {
    (void) env; (void) cls;
    return (jint) offsetof(struct epoll_event, events);
}

static jint epoll_data_offset(JNIEnv *env, jclass cls) {
    (void) env; (void) cls;
    return (jint) offsetof(struct epoll_event, data);
}

static jint epoll_constant(JNIEnv *env, jclass cls, jint which) {
    (void) env; (void) cls;
    switch (which) {
        case 0: return EPOLLIN;
        case 1: return EPOLLOUT;
        case 2: return EPOLLERR;
        case 3: return EPOLLHUP;
        case 4: return EPOLL_CTL_ADD;
        case 5: return EPOLL_CTL_MOD;
        case 6: return EPOLL_CTL_DEL;
        case 7: return (jint) EPOLLONESHOT;
        case 8: return EEXIST;
        default: return -EINVAL;
    }
}

static const JNINativeMethod methods[] = {
    {"create", "()I", (void *) epoll_create0},
    {"ctl", "(IIII)I", (void *) epoll_ctl0},
    {"select", "(IJIJII)I", (void *) epoll_select0},
    {"eventSize", "()I", (void *) epoll_event_size},
    {"eventsOffset", "()I", (void *) epoll_events_offset},
    {"dataOffset", "()I", (void *) epoll_data_offset},
    {"constant", "(I)I", (void *) epoll_constant},
};

jint nativenio_register_epoll(JNIEnv *env) {
    return nativenio_register(env, "io/nativenio/ch/EPoll", methods, NATIVENIO_ARRAY_LENGTH(methods));
}
