/*
 * The limit of the echo runs: the same workload as bench's EchoServer and EchoClient, written directly on
 * epoll (level-triggered, one thread each, TCP_NODELAY, a 64 KiB buffer per connection). No JVM, no
 * selector: what the kernel costs on this machine. Command line and output: echo_common.h.
 */
#include "echo_common.h"

#include <fcntl.h>
#include <sys/epoll.h>

#define MAX_EVENTS 256

static void ctl(int ep, int op, int fd, uint32_t events, void *ptr) {
    struct epoll_event ev = {.events = events, .data.ptr = ptr};
    if (epoll_ctl(ep, op, fd, &ev) < 0) {
        die("epoll_ctl");
    }
}

/* ---- server ---- */

struct conn {
    int fd;
    int writing; /* registered for EPOLLOUT instead of EPOLLIN: an echo is pending */
    size_t len;  /* bytes read and not yet echoed */
    char buf[BUFFER];
};

static void drop(struct conn *c) {
    close(c->fd); /* also leaves the epoll set */
    free(c);
}

static void server(void) {
    int ep = epoll_create1(EPOLL_CLOEXEC);
    if (ep < 0) {
        die("epoll_create1");
    }
    int listener = listen_loopback(SOCK_NONBLOCK, "c-epoll");
    ctl(ep, EPOLL_CTL_ADD, listener, EPOLLIN, NULL);
    struct epoll_event events[MAX_EVENTS];
    for (;;) {
        int n = epoll_wait(ep, events, MAX_EVENTS, -1);
        if (n < 0 && errno != EINTR) {
            die("epoll_wait");
        }
        for (int i = 0; i < n; i++) {
            struct conn *c = events[i].data.ptr;
            if (c == NULL) {
                int fd = accept4(listener, NULL, NULL, SOCK_NONBLOCK | SOCK_CLOEXEC);
                if (fd < 0) {
                    continue;
                }
                nodelay(fd);
                c = calloc(1, sizeof *c);
                if (c == NULL) {
                    die("calloc");
                }
                c->fd = fd;
                ctl(ep, EPOLL_CTL_ADD, fd, EPOLLIN, c);
                continue;
            }
            if (!c->writing) {
                ssize_t r = read(c->fd, c->buf, BUFFER);
                if (r == 0 || (r < 0 && errno != EAGAIN)) {
                    drop(c);
                    continue;
                }
                c->len = r > 0 ? (size_t) r : 0;
            }
            ssize_t w = c->len > 0 ? write(c->fd, c->buf, c->len) : 0;
            if (w < 0 && errno != EAGAIN) {
                drop(c);
                continue;
            }
            size_t done = w > 0 ? (size_t) w : 0;
            memmove(c->buf, c->buf + done, c->len - done);
            c->len -= done;
            int writing = c->len > 0; /* stop reading until the echo drains, as EchoServer does */
            if (writing != c->writing) {
                ctl(ep, EPOLL_CTL_MOD, c->fd, writing ? EPOLLOUT : EPOLLIN, c);
                c->writing = writing;
            }
        }
    }
}

/* ---- client ---- */

struct peer {
    int fd;
    uint32_t registered;
    struct in_flight f;
};

static void flush(int ep, struct peer *p) {
    if (p->f.pending_out > 0) {
        ssize_t w = write(p->fd, payload, p->f.pending_out);
        if (w < 0 && errno != EAGAIN) {
            die("write");
        }
        p->f.pending_out -= w > 0 ? (size_t) w : 0;
    }
    uint32_t want = p->f.pending_out > 0 ? EPOLLIN | EPOLLOUT : EPOLLIN;
    if (want != p->registered) {
        ctl(ep, EPOLL_CTL_MOD, p->fd, want, p);
        p->registered = want;
    }
}

static void on_readable(int ep, struct peer *p) {
    static char in[BUFFER];
    ssize_t r = read(p->fd, in, sizeof in);
    if (r == 0) {
        fprintf(stderr, "the server closed a connection\n");
        exit(1);
    }
    if (r < 0) {
        if (errno == EAGAIN) {
            return;
        }
        die("read");
    }
    echoed(&p->f, (size_t) r, now_ns());
    flush(ep, p);
}

static void client(int port, int connections, struct window *w) {
    struct peer *peers = calloc((size_t) connections, sizeof *peers);
    int ep = epoll_create1(EPOLL_CLOEXEC);
    if (peers == NULL || ep < 0) {
        die("client");
    }
    int64_t now = now_ns();
    for (int i = 0; i < connections; i++) {
        struct peer *p = &peers[i];
        p->fd = connect_loopback(port);
        if (fcntl(p->fd, F_SETFL, O_NONBLOCK) < 0) {
            die("fcntl");
        }
        p->registered = EPOLLIN;
        ctl(ep, EPOLL_CTL_ADD, p->fd, EPOLLIN, p);
        start(&p->f, now);
        flush(ep, p);
    }
    window_begin(w, now_ns());
    struct epoll_event events[MAX_EVENTS];
    do {
        int n = epoll_wait(ep, events, MAX_EVENTS, 100);
        if (n < 0 && errno != EINTR) {
            die("epoll_wait");
        }
        for (int i = 0; i < n; i++) {
            struct peer *p = events[i].data.ptr;
            if (events[i].events & (EPOLLIN | EPOLLERR | EPOLLHUP)) {
                on_readable(ep, p);
            } else {
                flush(ep, p);
            }
        }
    } while (!window_over(w, now_ns()));
}

int main(int argc, char **argv) {
    return echo_main(argc, argv, server, client);
}
