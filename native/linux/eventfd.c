/*
 * eventfd(2) for io.nativenio.epoll.EventFd: the counter that wakes a selector of the epoll or the io_uring
 * backend, which watch it for POLLIN.
 */
#include "nativenio.h"

#include <errno.h>
#include <sys/eventfd.h>

static jint efd_open(JNIEnv *env, jclass cls) {
    (void) env; (void) cls;
    int fd = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
    return fd < 0 ? -errno : fd;
}

/*
 * Adds 1 to the counter. EAGAIN, a counter at its maximum, leaves it readable already; no program gets there
 * (it would take centuries at a wakeup per ns, and the epoll backend never reads its eventfd). 0 or -errno.
 */
static jint efd_signal(JNIEnv *env, jclass cls, jint fd) {
    (void) env; (void) cls;
    int rc;
    do {
        rc = eventfd_write(fd, 1);
    } while (rc < 0 && errno == EINTR);
    return rc < 0 && errno != EAGAIN ? -errno : 0;
}

/* Resets the counter to 0; a counter at 0 already (EAGAIN) is fine. 0 or -errno. */
static jint efd_clear(JNIEnv *env, jclass cls, jint fd) {
    (void) env; (void) cls;
    eventfd_t value;
    int rc;
    do {
        rc = eventfd_read(fd, &value);
    } while (rc < 0 && errno == EINTR);
    return rc < 0 && errno != EAGAIN ? -errno : 0;
}

NATIVENIO_REGISTER(eventfd, "io/nativenio/epoll/EventFd", NATIVENIO_NO_CONSTANTS,
    {"open", "()I", (void *) efd_open},
    {"signal", "(I)I", (void *) efd_signal},
    {"clear", "(I)I", (void *) efd_clear})
