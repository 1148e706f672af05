// SPDX-License-Identifier: GPL-2.0
/*
 * mailslot_wait: reads on an empty slot.  Slot timeouts (0, finite,
 * forever), O_NONBLOCK, SET_TIMEOUT, MAILSLOT_IOC_READ's NONBLOCK and
 * DEADLINE flags, signals (EINTR versus restart), wake-up on write, and
 * several blocked readers each getting a different message.
 *
 * Blocked readers run in threads; the main thread waits until a reader
 * sleeps (/proc/.../stat state 'S') before acting, and only where the
 * outcome is the same whether or not it already slept.
 */
#include "mailslot_test.h"

FIXTURE(w) {
	int dev, srv, cli;
	char name[128];
};

FIXTURE_SETUP(w)
{
	self->srv = self->cli = -1;
	self->dev = ms_dev_open();
	if (self->dev < 0)
		SETUP_SKIP("%s: %s (module not loaded?)", MS_DEV, strerror(errno));
	ms_name(self->name, sizeof(self->name), "wait");
}

FIXTURE_TEARDOWN(w)
{
	if (self->cli >= 0)
		close(self->cli);
	if (self->srv >= 0)
		close(self->srv);
	if (self->dev >= 0)
		close(self->dev);
}

/* (Re)create the fixture's slot with timeout tmo and CREATE flags. */
static int mk(FIXTURE_DATA(w) *self, __u32 tmo, __u32 flags)
{
	if (self->cli >= 0)
		close(self->cli);
	if (self->srv >= 0)
		close(self->srv);
	self->cli = -1;
	self->srv = ms_create(self->dev, self->name, 0, tmo, flags);
	if (self->srv < 0)
		return -1;
	self->cli = ms_open(self->dev, self->name, 0);
	return self->cli < 0 ? -1 : 0;
}

/* ---------------------------------------------------------------- */
/* A reader thread.                                                  */

enum how { BY_READ, BY_IOCTL, BY_BATCH };

struct rd {
	int fd;
	enum how how;
	__u32 rflags;
	__u64 deadline;
	size_t buflen;
	int started;		/* eventfd: written just before the read */
	int done;		/* eventfd: written after it returned (or -1) */
	pthread_t thr;
	pid_t tid;
	ssize_t ret;
	int err;
	__u32 msg_len;
	uint64_t ms;
	char buf[256];
};

static void *rd_fn(void *arg)
{
	struct rd *r = arg;
	uint64_t t0;

	r->tid = gettid();
	eventfd_write(r->started, 1);
	t0 = now_ns();
	if (r->how == BY_IOCTL)
		r->ret = ms_read_ioctl(r->fd, r->buf, r->buflen, r->rflags,
				       r->deadline, &r->msg_len);
	else
		r->ret = read(r->fd, r->buf, r->buflen);
	r->err = errno;
	r->ms = ms_since(t0);
	if (r->done >= 0)
		eventfd_write(r->done, 1);
	return NULL;
}

static void rd_init(struct rd *r, int fd, enum how how, __u32 rflags,
		    __u64 deadline)
{
	memset(r, 0, sizeof(*r));
	r->fd = fd;
	r->how = how;
	r->rflags = rflags;
	r->deadline = deadline;
	r->buflen = sizeof(r->buf);
	r->started = eventfd(0, EFD_CLOEXEC);
	r->done = -1;
}

/* Start the reader; true once it sleeps (presumably in the read). */
static bool rd_start(struct rd *r)
{
	eventfd_t v;

	if (r->started < 0 || pthread_create(&r->thr, NULL, rd_fn, r))
		return false;
	if (eventfd_read(r->started, &v))
		return false;
	return wait_sleeping(getpid(), r->tid);
}

/* Join, giving up after 10 s: false on timeout (thread left behind). */
static bool rd_join(struct rd *r)
{
	struct timespec ts;

	clock_gettime(CLOCK_REALTIME, &ts);
	ts.tv_sec += 10;
	if (pthread_timedjoin_np(r->thr, NULL, &ts))
		return false;
	close(r->started);
	return true;
}

/* ---------------------------------------------------------------- */
/* Signals.                                                          */

static int sig_pipe[2] = { -1, -1 };
static volatile sig_atomic_t sig_count;

static void on_sig(int sig)
{
	int e = errno;

	(void)sig;
	sig_count++;
	if (write(sig_pipe[1], "s", 1) < 0)
		_exit(99);
	errno = e;
}

static int install_handler(bool restart)
{
	struct sigaction sa;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_sig;
	sa.sa_flags = restart ? SA_RESTART : 0;
	sigemptyset(&sa.sa_mask);
	if (pipe2(sig_pipe, O_CLOEXEC))
		return -1;
	return sigaction(SIGUSR1, &sa, NULL);
}

/* Wait until the handler has run once more. */
static bool handler_ran(void)
{
	char c;

	return read(sig_pipe[0], &c, 1) == 1;
}

/* ---------------------------------------------------------------- */

TEST_F(w, timeout_zero_fails_at_once)
{
	char buf[8];
	uint64_t t0;
	__u32 ml;

	ASSERT_EQ(0, mk(self, 0, 0));
	t0 = now_ns();
	ASSERT_ERRNO(ETIMEDOUT, read(self->srv, buf, sizeof(buf)));
	ASSERT_ERRNO(ETIMEDOUT, ms_read_ioctl(self->srv, buf, sizeof(buf), 0, 0, &ml));
	ASSERT_GT(1000U, ms_since(t0));
}

TEST_F(w, nonblock_fd_eagain)
{
	static const __u32 tmos[] = { MAILSLOT_WAIT_FOREVER, 3000, 0 };
	unsigned int i;
	char buf[8];
	uint64_t t0;

	for (i = 0; i < 3; i++) {
		ASSERT_EQ(0, mk(self, tmos[i], MAILSLOT_F_NONBLOCK));
		t0 = now_ns();
		ASSERT_ERRNO(EAGAIN, read(self->srv, buf, sizeof(buf)))
			TH_LOG("timeout %u", tmos[i]);
		ASSERT_ERRNO(EAGAIN, ms_read_ioctl(self->srv, buf, sizeof(buf), 0, 0, NULL))
			TH_LOG("timeout %u", tmos[i]);
		ASSERT_GT(1000U, ms_since(t0));
		/* A queued message is read normally. */
		ASSERT_EQ(2, write(self->cli, "nb", 2));
		ASSERT_EQ(2, read(self->srv, buf, sizeof(buf)));
	}
}

/* O_NONBLOCK set later with fcntl() counts too. */
TEST_F(w, fcntl_nonblock_eagain)
{
	char buf[8];
	int fl;

	ASSERT_EQ(0, mk(self, MAILSLOT_WAIT_FOREVER, 0));
	fl = fcntl(self->srv, F_GETFL);
	ASSERT_EQ(0, fcntl(self->srv, F_SETFL, fl | O_NONBLOCK));
	ASSERT_ERRNO(EAGAIN, read(self->srv, buf, sizeof(buf)));
	ASSERT_EQ(0, fcntl(self->srv, F_SETFL, fl));
	ASSERT_EQ(0, ms_set_timeout(self->srv, 0));
	ASSERT_ERRNO(ETIMEDOUT, read(self->srv, buf, sizeof(buf)));
}

TEST_F(w, ioctl_nonblock_flag)
{
	uint64_t t0 = now_ns();
	char buf[8];
	__u32 ml;

	ASSERT_EQ(0, mk(self, MAILSLOT_WAIT_FOREVER, 0));
	ASSERT_ERRNO(EAGAIN, ms_read_ioctl(self->srv, buf, sizeof(buf),
					   MAILSLOT_READ_NONBLOCK, 0, NULL));
	ASSERT_EQ(0, mk(self, 3000, 0));
	ASSERT_ERRNO(EAGAIN, ms_read_ioctl(self->srv, buf, sizeof(buf),
					   MAILSLOT_READ_NONBLOCK, 0, NULL));
	ASSERT_GT(1000U, ms_since(t0));
	ASSERT_EQ(3, write(self->cli, "abc", 3));
	ASSERT_EQ(3, ms_read_ioctl(self->srv, buf, sizeof(buf),
				   MAILSLOT_READ_NONBLOCK, 0, &ml));
	ASSERT_EQ(3U, ml);
}

static void finite_timeout(struct __test_metadata *_metadata,
			   FIXTURE_DATA(w) *self, enum how how)
{
	char buf[8];
	uint64_t t0, ms;
	long r;

	ASSERT_EQ(0, mk(self, 200, 0));
	t0 = now_ns();
	if (how == BY_READ)
		r = read(self->srv, buf, sizeof(buf));
	else
		r = ms_read_ioctl(self->srv, buf, sizeof(buf), 0, 0, NULL);
	ms = ms_since(t0);
	ASSERT_EQ(-1, r);
	ASSERT_EQ(ETIMEDOUT, errno);
	ASSERT_LE(190U, ms);
	ASSERT_GT(5000U, ms);
}

TEST_F(w, finite_timeout_read)
{
	finite_timeout(_metadata, self, BY_READ);
}

TEST_F(w, finite_timeout_ioctl)
{
	finite_timeout(_metadata, self, BY_IOCTL);
}

TEST_F(w, set_timeout_changes_later_reads)
{
	static const __u32 vals[] = { 0, 1, 200, 0x7fffffff, 0xfffffffe,
				      MAILSLOT_WAIT_FOREVER, 0 };
	struct mailslot_info info;
	unsigned int i;
	char buf[8];
	uint64_t t0, ms;

	ASSERT_EQ(0, mk(self, 0, 0));
	for (i = 0; i < sizeof(vals) / sizeof(vals[0]); i++) {
		ASSERT_EQ(0, ms_set_timeout(self->srv, vals[i]));
		ASSERT_EQ(0, ms_info(self->srv, &info));
		ASSERT_EQ(vals[i], info.read_timeout_ms);
		ASSERT_EQ(0, ms_info(self->cli, &info));
		ASSERT_EQ(vals[i], info.read_timeout_ms);
	}
	ASSERT_EQ(0, ms_set_timeout(self->srv, 200));
	t0 = now_ns();
	ASSERT_ERRNO(ETIMEDOUT, read(self->srv, buf, sizeof(buf)));
	ms = ms_since(t0);
	ASSERT_LE(190U, ms);
	ASSERT_GT(5000U, ms);
	ASSERT_EQ(0, ms_set_timeout(self->srv, 0));
	t0 = now_ns();
	ASSERT_ERRNO(ETIMEDOUT, read(self->srv, buf, sizeof(buf)));
	ASSERT_GT(1000U, ms_since(t0));
	ASSERT_ERRNO(EFAULT, ioctl(self->srv, MAILSLOT_IOC_SET_TIMEOUT, bad_ptr(0)));
}

/* SET_TIMEOUT during a wait does not move that wait's deadline. */
TEST_F(w, deadline_fixed_when_read_starts)
{
	struct rd r;

	ASSERT_EQ(0, mk(self, 400, 0));
	rd_init(&r, self->srv, BY_READ, 0, 0);
	ASSERT_TRUE(rd_start(&r));
	ASSERT_EQ(0, ms_set_timeout(self->srv, MAILSLOT_WAIT_FOREVER));
	ASSERT_TRUE(rd_join(&r)) TH_LOG("reader still blocked after 10 s");
	ASSERT_EQ(-1, r.ret);
	ASSERT_EQ(ETIMEDOUT, r.err) TH_LOG("%s", ms_errname(r.err));
	ASSERT_LE(390U, r.ms);
	ASSERT_GT(5000U, r.ms);
}

TEST_F(w, deadline_fixed_forever_then_zero)
{
	struct rd r;

	ASSERT_EQ(0, mk(self, MAILSLOT_WAIT_FOREVER, 0));
	rd_init(&r, self->srv, BY_READ, 0, 0);
	ASSERT_TRUE(rd_start(&r));
	ASSERT_EQ(0, ms_set_timeout(self->srv, 0));
	/* Still waiting (correct either way); a message completes it. */
	ASSERT_TRUE(wait_sleeping(getpid(), r.tid));
	ASSERT_EQ(4, write(self->cli, "late", 4));
	ASSERT_TRUE(rd_join(&r));
	ASSERT_EQ(4, r.ret) TH_LOG("%s", ms_errname(r.err));
	ASSERT_EQ(0, memcmp(r.buf, "late", 4));
}

TEST_F(w, read_deadline_past_or_zero)
{
	uint64_t t0;
	char buf[8];
	__u32 ml;

	ASSERT_EQ(0, mk(self, MAILSLOT_WAIT_FOREVER, 0));
	t0 = now_ns();
	ASSERT_ERRNO(ETIMEDOUT, ms_read_ioctl(self->srv, buf, sizeof(buf),
					      MAILSLOT_READ_DEADLINE, 0, &ml));
	ASSERT_ERRNO(ETIMEDOUT, ms_read_ioctl(self->srv, buf, sizeof(buf),
					      MAILSLOT_READ_DEADLINE, 1, &ml));
	ASSERT_ERRNO(ETIMEDOUT, ms_read_ioctl(self->srv, buf, sizeof(buf),
					      MAILSLOT_READ_DEADLINE,
					      now_ns() - 1000000, &ml));
	ASSERT_ERRNO(ETIMEDOUT, ms_read_ioctl(self->srv, buf, sizeof(buf),
					      MAILSLOT_READ_DEADLINE,
					      now_ns(), &ml));
	ASSERT_GT(1000U, ms_since(t0));
	/* A past deadline still takes a queued message. */
	ASSERT_EQ(1, write(self->cli, "q", 1));
	ASSERT_EQ(1, ms_read_ioctl(self->srv, buf, sizeof(buf),
				   MAILSLOT_READ_DEADLINE, 0, &ml));
	ASSERT_EQ(1U, ml);
}

/* The deadline replaces the slot timeout (here 0 and forever). */
TEST_F(w, read_deadline_waits_until_deadline)
{
	static const __u32 tmos[] = { 0, MAILSLOT_WAIT_FOREVER };
	unsigned int i;
	char buf[8];

	for (i = 0; i < 2; i++) {
		uint64_t t0, end, deadline;

		ASSERT_EQ(0, mk(self, tmos[i], 0));
		t0 = now_ns();
		deadline = t0 + 250000000ULL;
		ASSERT_ERRNO(ETIMEDOUT, ms_read_ioctl(self->srv, buf, sizeof(buf),
						      MAILSLOT_READ_DEADLINE,
						      deadline, NULL))
			TH_LOG("slot timeout %u", tmos[i]);
		end = now_ns();
		ASSERT_LE(deadline - 10000000ULL, end)
			TH_LOG("returned %" PRIu64 " ms early", (deadline - end) / 1000000);
		ASSERT_GT(5000U, (end - t0) / 1000000);
	}
}

TEST_F(w, wake_on_write_forever)
{
	static const enum how hows[] = { BY_READ, BY_IOCTL };
	unsigned int i;
	struct rd r;

	for (i = 0; i < 2; i++) {
		ASSERT_EQ(0, mk(self, MAILSLOT_WAIT_FOREVER, 0));
		rd_init(&r, self->srv, hows[i], 0, 0);
		ASSERT_TRUE(rd_start(&r));
		ASSERT_EQ(5, write(self->cli, "wake!", 5));
		ASSERT_TRUE(rd_join(&r)) TH_LOG("write did not wake the reader");
		ASSERT_EQ(5, r.ret) TH_LOG("%s", ms_errname(r.err));
		ASSERT_EQ(0, memcmp(r.buf, "wake!", 5));
		if (hows[i] == BY_IOCTL) {
			ASSERT_EQ(5U, r.msg_len);
		}
	}
}

TEST_F(w, wake_on_write_finite)
{
	struct rd r;

	ASSERT_EQ(0, mk(self, 8000, 0));
	rd_init(&r, self->srv, BY_READ, 0, 0);
	ASSERT_TRUE(rd_start(&r));
	ASSERT_EQ(0, write(self->cli, "", 0));
	ASSERT_TRUE(rd_join(&r));
	ASSERT_EQ(0, r.ret) TH_LOG("%s", ms_errname(r.err));
	ASSERT_GT(8000U, r.ms);
}

TEST_F(w, wake_on_write_deadline)
{
	static const __u64 deadlines[] = { UINT64_MAX, 0 /* now + 8 s */ };
	unsigned int i;
	struct rd r;

	for (i = 0; i < 2; i++) {
		ASSERT_EQ(0, mk(self, 0, 0));
		rd_init(&r, self->srv, BY_IOCTL, MAILSLOT_READ_DEADLINE,
			deadlines[i] ? deadlines[i] : now_ns() + 8000000000ULL);
		ASSERT_TRUE(rd_start(&r));
		ASSERT_EQ(3, write(self->cli, "dl!", 3));
		ASSERT_TRUE(rd_join(&r));
		ASSERT_EQ(3, r.ret) TH_LOG("%s", ms_errname(r.err));
		ASSERT_EQ(3U, r.msg_len);
		ASSERT_EQ(0, memcmp(r.buf, "dl!", 3));
		ASSERT_GT(8000U, r.ms);
	}
}

/* A message too big for the waiting reader's buffer: EMSGSIZE, kept. */
TEST_F(w, wake_with_too_big_message)
{
	struct mailslot_info info;
	struct rd r;

	ASSERT_EQ(0, mk(self, MAILSLOT_WAIT_FOREVER, 0));
	rd_init(&r, self->srv, BY_IOCTL, 0, 0);
	r.buflen = 4;
	ASSERT_TRUE(rd_start(&r));
	ASSERT_EQ(10, write(self->cli, "0123456789", 10));
	ASSERT_TRUE(rd_join(&r));
	ASSERT_EQ(-1, r.ret);
	ASSERT_EQ(EMSGSIZE, r.err) TH_LOG("%s", ms_errname(r.err));
	ASSERT_EQ(10U, r.msg_len);
	ASSERT_EQ(0, ms_info(self->srv, &info));
	ASSERT_EQ(1U, info.msg_count);
}

/* ---- signals ---- */

/* Main thread blocks in a read, a helper thread signals it. */
struct kicker {
	pthread_t main, thr;
	pid_t main_tid;
	bool slept;
};

static void *kick_fn(void *arg)
{
	struct kicker *k = arg;

	k->slept = wait_sleeping(getpid(), k->main_tid);
	pthread_kill(k->main, SIGUSR1);
	return NULL;
}

static void finite_wait_eintr(struct __test_metadata *_metadata,
			      FIXTURE_DATA(w) *self, bool restart,
			      enum how how)
{
	struct kicker k = { .main = pthread_self(), .main_tid = gettid() };
	struct mailslot_read_batch b;
	struct mailslot_read rd;
	uint64_t t0, t1, ms, handed = 0;
	__u32 lens[1];
	char buf[8];
	long r;
	int e;

	ASSERT_EQ(0, install_handler(restart));
	ASSERT_EQ(0, mk(self, 4000, 0));
	ASSERT_EQ(0, pthread_create(&k.thr, NULL, kick_fn, &k));
	memset(&rd, 0, sizeof(rd));
	rd.buf = (uintptr_t)buf;
	rd.buf_len = sizeof(buf);
	memset(&b, 0, sizeof(b));
	b.buf = (uintptr_t)buf;
	b.buf_len = sizeof(buf);
	b.lens = (uintptr_t)lens;
	b.max_msgs = 1;
	t0 = now_ns();
	if (how == BY_READ)
		r = read(self->srv, buf, sizeof(buf));
	else if (how == BY_IOCTL)
		r = ioctl(self->srv, MAILSLOT_IOC_READ, &rd);
	else
		r = ioctl(self->srv, MAILSLOT_IOC_READ_BATCH, &b);
	e = errno;
	t1 = now_ns();
	ms = (t1 - t0) / 1000000;
	handed = how == BY_IOCTL ? rd.deadline_ns : b.deadline_ns;
	pthread_join(k.thr, NULL);
	ASSERT_TRUE(k.slept);
	ASSERT_EQ(1, sig_count);
	ASSERT_EQ(-1, r);
	ASSERT_EQ(EINTR, e) TH_LOG("finite wait, %s: got %s after %" PRIu64 " ms",
				   restart ? "SA_RESTART" : "no SA_RESTART",
				   ms_errname(e), ms);
	ASSERT_GT(3900U, ms);
	/* the ioctls hand back the deadline the wait had */
	if (how != BY_READ) {
		ASSERT_LE(t0 + 4000000000ULL, handed);
		ASSERT_GE(t1 + 4000000000ULL, handed);
	}
}

TEST_F(w, signal_finite_wait_eintr)
{
	finite_wait_eintr(_metadata, self, false, BY_READ);
}

TEST_F(w, signal_finite_wait_eintr_despite_sa_restart)
{
	finite_wait_eintr(_metadata, self, true, BY_READ);
}

TEST_F(w, signal_finite_wait_eintr_ioctl)
{
	finite_wait_eintr(_metadata, self, true, BY_IOCTL);
}

TEST_F(w, signal_finite_wait_eintr_batch)
{
	finite_wait_eintr(_metadata, self, true, BY_BATCH);
}

/*
 * Infinite wait in a reader thread, signal it: with SA_RESTART the read
 * continues and later returns the message; without, EINTR.
 */
static void infinite_wait_signal(struct __test_metadata *_metadata,
				 FIXTURE_DATA(w) *self, bool restart,
				 enum how how)
{
	struct rd r;

	ASSERT_EQ(0, install_handler(restart));
	ASSERT_EQ(0, mk(self, MAILSLOT_WAIT_FOREVER, 0));
	rd_init(&r, self->srv, how, 0, 0);
	ASSERT_TRUE(rd_start(&r));
	ASSERT_EQ(0, pthread_kill(r.thr, SIGUSR1));
	ASSERT_TRUE(handler_ran());
	if (restart) {
		/* correct either way: the write below ends the wait */
		wait_sleeping(getpid(), r.tid);
		ASSERT_EQ(7, write(self->cli, "restart", 7));
	}
	ASSERT_TRUE(rd_join(&r)) TH_LOG("reader not woken by the signal");
	if (restart) {
		ASSERT_EQ(7, r.ret) TH_LOG("SA_RESTART: got %s", ms_errname(r.err));
		ASSERT_EQ(0, memcmp(r.buf, "restart", 7));
	} else {
		ASSERT_EQ(-1, r.ret);
		ASSERT_EQ(EINTR, r.err) TH_LOG("got %s", ms_errname(r.err));
	}
}

TEST_F(w, signal_infinite_wait_restarts)
{
	infinite_wait_signal(_metadata, self, true, BY_READ);
}

TEST_F(w, signal_infinite_wait_eintr)
{
	infinite_wait_signal(_metadata, self, false, BY_READ);
}

TEST_F(w, signal_infinite_wait_restarts_ioctl)
{
	infinite_wait_signal(_metadata, self, true, BY_IOCTL);
}

TEST_F(w, signal_infinite_wait_eintr_ioctl)
{
	infinite_wait_signal(_metadata, self, false, BY_IOCTL);
}

/*
 * READ_DEADLINE (absolute, so restarting is harmless) restarts after an
 * SA_RESTART handler and still ends at the deadline.  Without SA_RESTART
 * the contract allows EINTR or the restart.
 */
static void read_deadline_signal(struct __test_metadata *_metadata,
				 FIXTURE_DATA(w) *self, bool restart)
{
	struct rd r;
	uint64_t deadline, end;

	ASSERT_EQ(0, install_handler(restart));
	ASSERT_EQ(0, mk(self, 0, 0));
	deadline = now_ns() + 700000000ULL;
	rd_init(&r, self->srv, BY_IOCTL, MAILSLOT_READ_DEADLINE, deadline);
	ASSERT_TRUE(rd_start(&r));
	ASSERT_EQ(0, pthread_kill(r.thr, SIGUSR1));
	ASSERT_TRUE(handler_ran());
	ASSERT_TRUE(rd_join(&r));
	end = now_ns();
	ASSERT_EQ(-1, r.ret);
	if (!restart && r.err == EINTR)
		return;
	ASSERT_EQ(ETIMEDOUT, r.err) TH_LOG("got %s after %" PRIu64 " ms",
					   ms_errname(r.err), r.ms);
	ASSERT_LE(deadline - 10000000ULL, end);
}

TEST_F(w, signal_read_deadline_restarts)
{
	read_deadline_signal(_metadata, self, true);
}

TEST_F(w, signal_read_deadline_no_sa_restart)
{
	read_deadline_signal(_metadata, self, false);
}

TEST_F(w, signal_read_deadline_forever_restarts)
{
	struct rd r;

	ASSERT_EQ(0, install_handler(true));
	ASSERT_EQ(0, mk(self, 0, 0));
	rd_init(&r, self->srv, BY_IOCTL, MAILSLOT_READ_DEADLINE, UINT64_MAX);
	ASSERT_TRUE(rd_start(&r));
	ASSERT_EQ(0, pthread_kill(r.thr, SIGUSR1));
	ASSERT_TRUE(handler_ran());
	wait_sleeping(getpid(), r.tid);
	ASSERT_EQ(2, write(self->cli, "ok", 2));
	ASSERT_TRUE(rd_join(&r));
	ASSERT_EQ(2, r.ret) TH_LOG("got %s", ms_errname(r.err));
}

/* A stop/continue (no handler) does not end a forever wait. */
TEST_F(w, sigstop_sigcont_forever)
{
	struct mailslot_info info;
	int p[2], status;
	pid_t pid;
	char c;

	ASSERT_EQ(0, mk(self, MAILSLOT_WAIT_FOREVER, 0));
	ASSERT_EQ(0, pipe2(p, O_CLOEXEC));
	pid = fork();
	ASSERT_LE(0, pid);
	if (pid == 0) {
		char buf[16];
		ssize_t n = read(self->srv, buf, sizeof(buf));

		if (write(p[1], n == 4 ? "y" : "n", 1) != 1)
			_exit(2);
		_exit(n == 4 ? 0 : 1);
	}
	close(p[1]);
	ASSERT_TRUE(wait_sleeping(pid, pid));
	ASSERT_EQ(0, kill(pid, SIGSTOP));
	ASSERT_EQ(pid, waitpid(pid, &status, WUNTRACED));
	ASSERT_TRUE(WIFSTOPPED(status));
	ASSERT_EQ(0, kill(pid, SIGCONT));
	wait_sleeping(pid, pid);
	/* The child is still waiting: nothing was consumed. */
	ASSERT_EQ(4, write(self->cli, "cont", 4));
	ASSERT_EQ(1, read(p[0], &c, 1));
	ASSERT_EQ('y', c);
	ASSERT_EQ(0, wait_child(pid));
	ASSERT_EQ(0, ms_info(self->srv, &info));
	ASSERT_EQ(0U, info.msg_count);
	close(p[0]);
}

/* ---- several readers ---- */

TEST_F(w, several_readers_each_message_once)
{
	enum { NR = 3 };
	struct rd r[NR];
	bool seen[NR] = { false };
	struct mailslot_info info;
	int done = eventfd(0, EFD_CLOEXEC);
	eventfd_t v;
	int i;

	ASSERT_LE(0, done);
	ASSERT_EQ(0, mk(self, MAILSLOT_WAIT_FOREVER, 0));
	for (i = 0; i < NR; i++) {
		rd_init(&r[i], self->srv, i == 1 ? BY_IOCTL : BY_READ, 0, 0);
		r[i].done = done;
		ASSERT_TRUE(rd_start(&r[i]));
	}
	for (i = 0; i < NR; i++) {
		char msg[16];
		int len = snprintf(msg, sizeof(msg), "message-%d", i);

		ASSERT_EQ(len, write(self->cli, msg, len));
		/* one reader finishes per message */
		ASSERT_EQ(0, eventfd_read(done, &v));
	}
	for (i = 0; i < NR; i++) {
		int k;

		ASSERT_TRUE(rd_join(&r[i])) TH_LOG("reader %d still blocked", i);
		ASSERT_EQ(9, r[i].ret) TH_LOG("reader %d: %s", i, ms_errname(r[i].err));
		ASSERT_EQ(0, memcmp(r[i].buf, "message-", 8));
		k = r[i].buf[8] - '0';
		ASSERT_TRUE(k >= 0 && k < NR);
		ASSERT_FALSE(seen[k]) TH_LOG("message %d read twice", k);
		seen[k] = true;
	}
	ASSERT_EQ(0, ms_info(self->srv, &info));
	ASSERT_EQ(0U, info.msg_count);
	close(done);
}

/* Forked processes sharing the server fd (a dup'ed handle). */
TEST_F(w, several_reader_processes)
{
	enum { NP = 3 };
	pid_t pids[NP];
	int p[2], i;
	char got[NP] = { 0 };

	ASSERT_EQ(0, mk(self, MAILSLOT_WAIT_FOREVER, 0));
	ASSERT_EQ(0, pipe2(p, O_CLOEXEC));
	for (i = 0; i < NP; i++) {
		pids[i] = fork();
		ASSERT_LE(0, pids[i]);
		if (pids[i] == 0) {
			char buf[8];
			ssize_t n = read(self->srv, buf, sizeof(buf));

			if (n != 1 || write(p[1], buf, 1) != 1)
				_exit(1);
			_exit(0);
		}
	}
	for (i = 0; i < NP; i++)
		wait_sleeping(pids[i], pids[i]);
	for (i = 0; i < NP; i++) {
		char c = 'a' + i;

		ASSERT_EQ(1, write(self->cli, &c, 1));
	}
	for (i = 0; i < NP; i++) {
		char c;

		ASSERT_EQ(1, read(p[0], &c, 1));
		ASSERT_TRUE(c >= 'a' && c < 'a' + NP);
		ASSERT_EQ(0, got[c - 'a']) TH_LOG("'%c' delivered twice", c);
		got[c - 'a'] = 1;
	}
	for (i = 0; i < NP; i++) {
		ASSERT_EQ(0, wait_child(pids[i]));
	}
	close(p[0]);
	close(p[1]);
}

TEST_HARNESS_MAIN
