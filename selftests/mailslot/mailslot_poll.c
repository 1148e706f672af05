// SPDX-License-Identifier: GPL-2.0
/*
 * mailslot_poll: poll(2), select(2) and epoll on both kinds of slot fd.
 * Server: EPOLLIN | EPOLLRDNORM exactly while a message is queued.
 * Client: EPOLLOUT | EPOLLWRNORM while the slot exists, EPOLLERR |
 * EPOLLHUP once its server is gone.  Blocked pollers are woken.
 */
#include "mailslot_test.h"

#include <sys/epoll.h>
#include <sys/select.h>

#define ALL_EVENTS (POLLIN | POLLRDNORM | POLLRDBAND | POLLPRI | POLLOUT | \
		    POLLWRNORM | POLLWRBAND | POLLRDHUP)

FIXTURE(p) {
	int dev, srv, cli;
	char name[128];
};

FIXTURE_SETUP(p)
{
	self->srv = self->cli = -1;
	self->dev = ms_dev_open();
	if (self->dev < 0)
		SETUP_SKIP("%s: %s (module not loaded?)", MS_DEV, strerror(errno));
	ms_name(self->name, sizeof(self->name), "poll");
	self->srv = ms_create(self->dev, self->name, 0, 0, 0);
	ASSERT_LE(0, self->srv);
	self->cli = ms_open(self->dev, self->name, 0);
	ASSERT_LE(0, self->cli);
}

FIXTURE_TEARDOWN(p)
{
	if (self->cli >= 0)
		close(self->cli);
	if (self->srv >= 0)
		close(self->srv);
	if (self->dev >= 0)
		close(self->dev);
}

/* revents of one fd, polled with timeout 0. */
static short revents(int fd, short events)
{
	struct pollfd pfd = { .fd = fd, .events = events };

	if (poll(&pfd, 1, 0) < 0)
		return -1;
	return pfd.revents;
}

TEST_F(p, server_readable_iff_queued)
{
	char buf[8];

	ASSERT_EQ(0, revents(self->srv, ALL_EVENTS));
	ASSERT_EQ(1, write(self->cli, "x", 1));
	ASSERT_EQ(POLLIN | POLLRDNORM, revents(self->srv, ALL_EVENTS));
	ASSERT_EQ(0, write(self->cli, "", 0));
	ASSERT_EQ(POLLIN | POLLRDNORM, revents(self->srv, ALL_EVENTS));
	ASSERT_EQ(1, read(self->srv, buf, sizeof(buf)));
	/* the zero-length message still counts */
	ASSERT_EQ(POLLIN | POLLRDNORM, revents(self->srv, ALL_EVENTS));
	ASSERT_EQ(0, read(self->srv, buf, sizeof(buf)));
	ASSERT_EQ(0, revents(self->srv, ALL_EVENTS));
	/* A message left by EMSGSIZE keeps the fd readable. */
	ASSERT_EQ(5, write(self->cli, "12345", 5));
	ASSERT_ERRNO(EMSGSIZE, read(self->srv, buf, 2));
	ASSERT_EQ(POLLIN, revents(self->srv, POLLIN));
}

TEST_F(p, client_writable_while_slot_exists)
{
	char buf[8];

	ASSERT_EQ(POLLOUT | POLLWRNORM, revents(self->cli, ALL_EVENTS));
	ASSERT_EQ(1, write(self->cli, "x", 1));
	ASSERT_EQ(POLLOUT | POLLWRNORM, revents(self->cli, ALL_EVENTS));
	ASSERT_EQ(1, read(self->srv, buf, sizeof(buf)));
	ASSERT_EQ(POLLOUT | POLLWRNORM, revents(self->cli, ALL_EVENTS));
}

TEST_F(p, client_hup_after_destroy)
{
	short ev;

	ASSERT_EQ(1, write(self->cli, "x", 1));
	close(self->srv);
	self->srv = -1;
	ev = revents(self->cli, ALL_EVENTS);
	ASSERT_EQ(POLLERR | POLLHUP, ev & (POLLERR | POLLHUP)) TH_LOG("revents %#x", ev);
	ASSERT_EQ(0, ev & (POLLOUT | POLLWRNORM)) TH_LOG("revents %#x", ev);
	/* ERR/HUP are reported even when not requested. */
	ev = revents(self->cli, 0);
	ASSERT_EQ(POLLERR | POLLHUP, ev & (POLLERR | POLLHUP)) TH_LOG("revents %#x", ev);
	ASSERT_ERRNO(EPIPE, write(self->cli, "y", 1));
}

TEST_F(p, poll_timeout_when_empty)
{
	struct pollfd pfd = { .fd = self->srv, .events = POLLIN };
	uint64_t t0 = now_ns(), ms;

	ASSERT_EQ(0, poll(&pfd, 1, 200));
	ms = ms_since(t0);
	ASSERT_LE(190U, ms);
	ASSERT_GT(5000U, ms);
}

struct poller {
	pthread_t thr;
	pid_t tid;
	int efd;		/* written before blocking */
	struct pollfd pfd;
	int ret;
};

static void *poll_fn(void *arg)
{
	struct poller *pl = arg;

	pl->tid = gettid();
	eventfd_write(pl->efd, 1);
	pl->ret = poll(&pl->pfd, 1, 10000);
	return NULL;
}

static bool poller_start(struct poller *pl, int fd, short events)
{
	eventfd_t v;

	memset(pl, 0, sizeof(*pl));
	pl->pfd.fd = fd;
	pl->pfd.events = events;
	pl->efd = eventfd(0, EFD_CLOEXEC);
	if (pl->efd < 0 || pthread_create(&pl->thr, NULL, poll_fn, pl))
		return false;
	if (eventfd_read(pl->efd, &v))
		return false;
	/* correct either way: poll would return at once if already ready */
	return wait_sleeping(getpid(), pl->tid);
}

TEST_F(p, blocked_poll_woken_by_write)
{
	struct poller pl;

	ASSERT_TRUE(poller_start(&pl, self->srv, POLLIN));
	ASSERT_EQ(3, write(self->cli, "abc", 3));
	ASSERT_EQ(0, pthread_join(pl.thr, NULL));
	ASSERT_EQ(1, pl.ret) TH_LOG("poll timed out: no wake-up on write");
	ASSERT_EQ(POLLIN, pl.pfd.revents);
}

TEST_F(p, blocked_poll_woken_by_destroy)
{
	struct poller pl;

	/* events 0: only POLLERR/POLLHUP can end this poll */
	ASSERT_TRUE(poller_start(&pl, self->cli, 0));
	close(self->srv);
	self->srv = -1;
	ASSERT_EQ(0, pthread_join(pl.thr, NULL));
	ASSERT_EQ(1, pl.ret) TH_LOG("poll timed out: no wake-up on destroy");
	ASSERT_EQ(POLLERR | POLLHUP, pl.pfd.revents & (POLLERR | POLLHUP));
}

/* A server fd held by a child: its exit destroys the slot. */
TEST_F(p, poll_hup_when_server_process_exits)
{
	struct pollfd pfd = { .events = POLLOUT };
	int go[2];
	pid_t pid;
	char c;

	ASSERT_EQ(0, pipe2(go, O_CLOEXEC));
	pid = fork();
	ASSERT_LE(0, pid);
	if (pid == 0) {
		/* keep the only server fd until told to exit */
		close(go[1]);
		if (read(go[0], &c, 1) < 0)
			_exit(1);
		_exit(0);
	}
	close(go[0]);
	close(self->srv);
	self->srv = -1;
	ASSERT_EQ(POLLOUT, revents(self->cli, POLLOUT));
	pfd.fd = self->cli;
	close(go[1]);		/* child exits, closing the server */
	ASSERT_EQ(0, wait_child(pid));
	ASSERT_EQ(1, poll(&pfd, 1, 5000));
	ASSERT_EQ(POLLERR | POLLHUP, pfd.revents);
}

TEST_F(p, select_both_sides)
{
	fd_set rd, wr;
	struct timeval tv = { 0, 0 };
	int nfds = (self->srv > self->cli ? self->srv : self->cli) + 1;

	FD_ZERO(&rd);
	FD_ZERO(&wr);
	FD_SET(self->srv, &rd);
	FD_SET(self->cli, &wr);
	ASSERT_EQ(1, select(nfds, &rd, &wr, NULL, &tv));
	ASSERT_FALSE(FD_ISSET(self->srv, &rd));
	ASSERT_TRUE(FD_ISSET(self->cli, &wr));

	ASSERT_EQ(1, write(self->cli, "s", 1));
	FD_ZERO(&rd);
	FD_ZERO(&wr);
	FD_SET(self->srv, &rd);
	FD_SET(self->cli, &wr);
	ASSERT_EQ(2, select(nfds, &rd, &wr, NULL, &tv));
	ASSERT_TRUE(FD_ISSET(self->srv, &rd));
}

TEST_F(p, epoll_level_triggered)
{
	struct epoll_event ev, out[4];
	int ep = epoll_create1(EPOLL_CLOEXEC);
	char buf[8];

	ASSERT_LE(0, ep);
	ev.events = EPOLLIN | EPOLLRDNORM;
	ev.data.u32 = 1;
	ASSERT_EQ(0, epoll_ctl(ep, EPOLL_CTL_ADD, self->srv, &ev));
	ev.events = EPOLLOUT | EPOLLWRNORM;
	ev.data.u32 = 2;
	ASSERT_EQ(0, epoll_ctl(ep, EPOLL_CTL_ADD, self->cli, &ev));

	ASSERT_EQ(1, epoll_wait(ep, out, 4, 0));
	ASSERT_EQ(2U, out[0].data.u32);
	ASSERT_EQ((__u32)(EPOLLOUT | EPOLLWRNORM), out[0].events);

	ASSERT_EQ(1, write(self->cli, "e", 1));
	ASSERT_EQ(2, epoll_wait(ep, out, 4, 0));
	ASSERT_EQ(1U, out[0].data.u32 == 1 ? 1U : out[1].data.u32);
	/* level-triggered: still reported until read */
	ASSERT_EQ(2, epoll_wait(ep, out, 4, 0));
	ASSERT_EQ(1, read(self->srv, buf, sizeof(buf)));
	ASSERT_EQ(1, epoll_wait(ep, out, 4, 0));
	ASSERT_EQ(2U, out[0].data.u32);

	/* destroy: the client reports ERR|HUP */
	ASSERT_EQ(0, epoll_ctl(ep, EPOLL_CTL_DEL, self->srv, NULL));
	close(self->srv);
	self->srv = -1;
	ASSERT_EQ(1, epoll_wait(ep, out, 4, 0));
	ASSERT_EQ((__u32)(EPOLLERR | EPOLLHUP),
		  out[0].events & (EPOLLERR | EPOLLHUP | EPOLLOUT));
	close(ep);
}

TEST_F(p, epoll_edge_triggered_wakeup)
{
	struct epoll_event ev = { .events = EPOLLIN | EPOLLET }, out[2];
	int ep = epoll_create1(EPOLL_CLOEXEC);
	char buf[8];

	ASSERT_LE(0, ep);
	ASSERT_EQ(0, epoll_ctl(ep, EPOLL_CTL_ADD, self->srv, &ev));
	ASSERT_EQ(0, epoll_wait(ep, out, 2, 0));
	ASSERT_EQ(1, write(self->cli, "1", 1));
	ASSERT_EQ(1, epoll_wait(ep, out, 2, 0));
	ASSERT_EQ((__u32)EPOLLIN, out[0].events);
	/* edge consumed */
	ASSERT_EQ(0, epoll_wait(ep, out, 2, 0));
	/* empty again, then a message: a new edge */
	ASSERT_EQ(1, read(self->srv, buf, sizeof(buf)));
	ASSERT_EQ(1, write(self->cli, "2", 1));
	ASSERT_EQ(1, epoll_wait(ep, out, 2, 1000));
	ASSERT_EQ(1, read(self->srv, buf, sizeof(buf)));
	ASSERT_EQ(0, epoll_wait(ep, out, 2, 0));
	close(ep);
}

struct ep_waiter {
	pthread_t thr;
	pid_t tid;
	int ep, efd, ret;
	struct epoll_event out;
};

static void *ep_fn(void *arg)
{
	struct ep_waiter *w = arg;

	w->tid = gettid();
	eventfd_write(w->efd, 1);
	w->ret = epoll_wait(w->ep, &w->out, 1, 10000);
	return NULL;
}

static bool ep_start(struct ep_waiter *w, int ep)
{
	eventfd_t v;

	memset(w, 0, sizeof(*w));
	w->ep = ep;
	w->efd = eventfd(0, EFD_CLOEXEC);
	if (w->efd < 0 || pthread_create(&w->thr, NULL, ep_fn, w))
		return false;
	if (eventfd_read(w->efd, &v))
		return false;
	return wait_sleeping(getpid(), w->tid);
}

TEST_F(p, epoll_blocked_woken_by_write)
{
	struct epoll_event ev = { .events = EPOLLIN, .data.u32 = 7 };
	int ep = epoll_create1(EPOLL_CLOEXEC);
	struct ep_waiter w;

	ASSERT_LE(0, ep);
	ASSERT_EQ(0, epoll_ctl(ep, EPOLL_CTL_ADD, self->srv, &ev));
	ASSERT_TRUE(ep_start(&w, ep));
	ASSERT_EQ(1, write(self->cli, "w", 1));
	ASSERT_EQ(0, pthread_join(w.thr, NULL));
	ASSERT_EQ(1, w.ret) TH_LOG("epoll_wait timed out");
	ASSERT_EQ(7U, w.out.data.u32);
	ASSERT_EQ((__u32)EPOLLIN, w.out.events);
	close(ep);
}

TEST_F(p, epoll_blocked_woken_by_destroy)
{
	struct epoll_event ev = { .events = 0, .data.u32 = 9 };
	int ep = epoll_create1(EPOLL_CLOEXEC);
	struct ep_waiter w;

	ASSERT_LE(0, ep);
	ASSERT_EQ(0, epoll_ctl(ep, EPOLL_CTL_ADD, self->cli, &ev));
	ASSERT_TRUE(ep_start(&w, ep));
	close(self->srv);
	self->srv = -1;
	ASSERT_EQ(0, pthread_join(w.thr, NULL));
	ASSERT_EQ(1, w.ret) TH_LOG("epoll_wait timed out");
	ASSERT_EQ(9U, w.out.data.u32);
	ASSERT_EQ((__u32)(EPOLLERR | EPOLLHUP), w.out.events & (EPOLLERR | EPOLLHUP));
	close(ep);
}

/* Closing an fd that is in an epoll set and still being polled is safe. */
TEST_F(p, epoll_fd_closed_while_registered)
{
	struct epoll_event ev = { .events = EPOLLIN }, out[2];
	int ep = epoll_create1(EPOLL_CLOEXEC);

	ASSERT_LE(0, ep);
	ASSERT_EQ(0, epoll_ctl(ep, EPOLL_CTL_ADD, self->srv, &ev));
	ev.events = EPOLLOUT;
	ASSERT_EQ(0, epoll_ctl(ep, EPOLL_CTL_ADD, self->cli, &ev));
	close(self->srv);
	self->srv = -1;
	close(self->cli);
	self->cli = -1;
	ASSERT_EQ(0, epoll_wait(ep, out, 2, 0));
	close(ep);
}

TEST_HARNESS_MAIN
