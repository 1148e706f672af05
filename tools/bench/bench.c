// SPDX-License-Identifier: GPL-2.0
/*
 * tools/bench/bench.c - mailslot against the other Linux message queues.
 *
 * Runs as root inside the test VM (tools/vm-run) with the mailslot module
 * loaded.  One invocation measures, side by side:
 *
 *   mechanisms  mailslot (write(2)/read(2)), mailslot-win32 (libmailslot's
 *               WriteFile/ReadFile), mailslot-batch (MAILSLOT_IOC_WRITE_BATCH
 *               + MAILSLOT_IOC_READ_BATCH), posix-mq, unix-dgram,
 *               unix-seqpacket (socketpairs), pipe-packet (pipe2(O_DIRECT))
 *   workloads   stream 16 B / 256 B / 4 KiB / 64 KiB (1 writer -> 1 reader),
 *               ping-pong 16 B (round trip), fan-in 8 writers -> 1 reader
 *               at 256 B; every writer and reader is its own process
 *   costs       create/open/close with 100 and 100,000 slots existing,
 *               kernel memory per queued 16-byte message (mailslot, mq),
 *               the null syscall
 *
 * Every throughput run lasts --time seconds of sending (the writers stop
 * when the parent raises a flag in shared memory, then each sends one
 * "stop" message); the rate is the messages the reader got divided by the
 * time from the start signal to the reader's last message, so a queue
 * that the writer filled ahead of the reader is drained inside the
 * measured time.  --runs repetitions, interleaved across mechanisms;
 * the median is reported with min and max.
 *
 * Output: human-readable tables, "bench ..." lines for machines, "target"
 * lines (PASS/MISS, never a failure).  See README.md.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <limits.h>
#include <linux/mailslot.h>
#include <math.h>
#include <mqueue.h>
#include <sched.h>
#include <signal.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/utsname.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "bench.h"

#define MAX_MSG		65536		/* largest message: every reader's buffer */
#define BATCH_BUF	(256 * 1024)	/* READ_BATCH payload buffer */
#define BATCH_MAX	1024		/* READ_BATCH lengths array */
#define WBATCH_MAX	64		/* messages per WRITE_BATCH, at most */
#define MAX_WRITERS	8
#define MAX_RUNS	32
#define PIPE_PKT	4096		/* O_DIRECT packet = PIPE_BUF = a page */

enum mech {
	M_MS, M_W32, M_BATCH, M_MQ, M_DGRAM, M_SEQ, M_PIPE, M_NR
};

static const char *const mech_name[M_NR] = {
	"mailslot", "mailslot-win32", "mailslot-batch", "posix-mq",
	"unix-dgram", "unix-seqpacket", "pipe-packet",
};

enum wl {
	W_S16, W_S256, W_S4K, W_S64K, W_PP, W_FAN, W_NR
};

static const struct {
	const char *kind;	/* workload= in the machine lines */
	const char *title;
	unsigned int size;
	int writers;
} wl[W_NR] = {
	{ "stream", "stream 16 B, 1 writer -> 1 reader", 16, 1 },
	{ "stream", "stream 256 B, 1 writer -> 1 reader", 256, 1 },
	{ "stream", "stream 4 KiB, 1 writer -> 1 reader", 4096, 1 },
	{ "stream", "stream 64 KiB, 1 writer -> 1 reader", 65536, 1 },
	{ "pingpong", "ping-pong 16 B round trip, 2 processes, 2 queues", 16, 1 },
	{ "fanin8", "fan-in 256 B, 8 writers -> 1 reader", 256, 8 },
};

static struct {
	double time;		/* seconds of sending per run */
	int runs;
	unsigned long qbytes;	/* socket buffers, pipe size */
	unsigned long ms_qbytes; /* mailslot slot_max_bytes */
	long mq_maxmsg;
	long slots;		/* the "many slots" case */
	long ops;		/* create/open/close operations per timing */
	long mem_msgs;
	int skip_create, skip_mem;
	const char *only;	/* comma list of workload numbers/mechs */
	const char *pin;	/* none, same, split */
	const char *mechs;	/* comma list of mechanism names */
} opt = {
	.pin = "none",
	.time = 0.7, .runs = 5, .qbytes = 16 << 20, .ms_qbytes = 16 << 20,
	.mq_maxmsg = 8192, .slots = 100000, .ops = 1000, .mem_msgs = 50000,
};

/* State shared by the parent and the children of one run. */
struct shared {
	volatile int stop;
	double t0, t_end;
	long received, bad, iters;
	double elapsed;
	long sent[MAX_WRITERS];
	long retries[MAX_WRITERS];
	char err[256];
};

static struct shared *shm;
static int devfd = -1;
static int w32_ok;
static const char *w32_why;
static int chan_seq;

/* ---- small helpers ------------------------------------------------------ */

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec * 1e-9;
}

static void __attribute__((noreturn, format(printf, 1, 2))) die(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	fprintf(stderr, "bench: ");
	vfprintf(stderr, fmt, ap);
	fprintf(stderr, "\n");
	va_end(ap);
	exit(1);
}

/* In a child: record why, leave. */
static void __attribute__((noreturn, format(printf, 1, 2))) cfail(const char *fmt, ...)
{
	va_list ap;
	int e = errno;

	va_start(ap, fmt);
	if (!shm->err[0]) {
		vsnprintf(shm->err, sizeof(shm->err) - 40, fmt, ap);
		snprintf(shm->err + strlen(shm->err), 40, ": %s", strerror(e));
	}
	va_end(ap);
	_exit(1);
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

static double median(const double *v, int n)
{
	double s[MAX_RUNS];

	memcpy(s, v, n * sizeof(*v));
	qsort(s, n, sizeof(*s), cmp_double);
	return n % 2 ? s[n / 2] : (s[n / 2 - 1] + s[n / 2]) / 2;
}

/* ---- tunables: saved, raised, restored ------------------------------------ */

#define MAX_SAVED 16
static struct {
	char path[128];
	char val[64];
} saved[MAX_SAVED];
static int nsaved;

static int read_str(const char *path, char *buf, size_t len)
{
	int fd = open(path, O_RDONLY);
	ssize_t n;

	if (fd < 0)
		return -1;
	n = read(fd, buf, len - 1);
	close(fd);
	if (n < 0)
		return -1;
	buf[n] = 0;
	buf[strcspn(buf, "\n")] = 0;
	return 0;
}

static int write_str(const char *path, const char *val)
{
	int fd = open(path, O_WRONLY);
	ssize_t n;

	if (fd < 0)
		return -1;
	n = write(fd, val, strlen(val));
	close(fd);
	return n == (ssize_t)strlen(val) ? 0 : -1;
}

static unsigned long read_ul(const char *path)
{
	char buf[64];

	if (read_str(path, buf, sizeof(buf)))
		return 0;
	return strtoul(buf, NULL, 0);
}

/* Set a sysfs/procfs knob, remembering its first value for restore_all(). */
static void set_knob(const char *path, unsigned long v)
{
	char val[32];
	int i;

	for (i = 0; i < nsaved; i++)
		if (!strcmp(saved[i].path, path))
			break;
	if (i == nsaved && nsaved < MAX_SAVED) {
		if (read_str(path, saved[i].val, sizeof(saved[i].val)))
			die("cannot read %s: %s", path, strerror(errno));
		snprintf(saved[i].path, sizeof(saved[i].path), "%s", path);
		nsaved++;
	}
	snprintf(val, sizeof(val), "%lu", v);
	if (write_str(path, val))
		die("cannot set %s to %s: %s", path, val, strerror(errno));
}

static void restore_knob(const char *path)
{
	for (int i = 0; i < nsaved; i++)
		if (!strcmp(saved[i].path, path))
			write_str(path, saved[i].val);
}

static void restore_all(void)
{
	for (int i = nsaved - 1; i >= 0; i--)
		if (write_str(saved[i].path, saved[i].val))
			fprintf(stderr, "bench: could not restore %s to %s\n",
				saved[i].path, saved[i].val);
}

static void on_signal(int sig)
{
	restore_all();
	signal(sig, SIG_DFL);
	raise(sig);
}

#define MS_PARAM(p) "/sys/module/mailslot/parameters/" p
#define MQ_KNOB(p) "/proc/sys/fs/mqueue/" p

static void set_rlimit(int res, rlim_t v)
{
	struct rlimit rl = { v, v };

	if (setrlimit(res, &rl))
		die("setrlimit(%d, %lu): %s", res, (unsigned long)v, strerror(errno));
}

/* ---- mailslot ioctls ---------------------------------------------------- */

static int ms_create(const char *name)
{
	struct mailslot_create c = {
		.name = (uintptr_t)name,
		.name_len = strlen(name),
		.read_timeout_ms = MAILSLOT_WAIT_FOREVER,
		.mode = MAILSLOT_MODE_OWNER,
	};

	return ioctl(devfd, MAILSLOT_IOC_CREATE, &c);
}

static int ms_open(const char *name)
{
	struct mailslot_open o = {
		.name = (uintptr_t)name,
		.name_len = strlen(name),
	};

	return ioctl(devfd, MAILSLOT_IOC_OPEN, &o);
}

/* ---- channels: one queue of one mechanism --------------------------------- */

struct chan {
	enum mech m;
	int rfd, wfd;		/* reader side, writer side (fds) */
	intptr_t rh, wh;	/* Win32 handles */
	char name[96];
	long retries;
};

static void set_sockbuf(int fd)
{
	int v = opt.qbytes / 2;	/* the kernel doubles it */

	if (setsockopt(fd, SOL_SOCKET, SO_SNDBUFFORCE, &v, sizeof(v)) ||
	    setsockopt(fd, SOL_SOCKET, SO_RCVBUFFORCE, &v, sizeof(v)))
		die("SO_SNDBUFFORCE/SO_RCVBUFFORCE: %s", strerror(errno));
}

/* In the parent.  Return 0, or -1 with *why set. */
static int chan_setup(struct chan *c, enum mech m, const char **why)
{
	struct mq_attr a = { .mq_maxmsg = opt.mq_maxmsg, .mq_msgsize = MAX_MSG };
	int sv[2];

	memset(c, 0, sizeof(*c));
	c->m = m;
	c->rfd = c->wfd = -1;
	chan_seq++;
	switch (m) {
	case M_MS:
	case M_BATCH:
		snprintf(c->name, sizeof(c->name), "bench\\q%d_%d", getpid(), chan_seq);
		c->rfd = ms_create(c->name);
		if (c->rfd < 0) {
			*why = "MAILSLOT_IOC_CREATE failed";
			return -1;
		}
		return 0;
	case M_W32:
		snprintf(c->name, sizeof(c->name), "\\\\.\\mailslot\\bench\\w%d_%d",
			 getpid(), chan_seq);
		c->rh = w32_create(c->name);
		if (c->rh == -1) {
			*why = "CreateMailslotA failed";
			return -1;
		}
		return 0;
	case M_MQ:
		snprintf(c->name, sizeof(c->name), "/msbench%d_%d", getpid(), chan_seq);
		c->rfd = mq_open(c->name, O_RDWR | O_CREAT | O_EXCL, 0600, &a);
		if (c->rfd < 0) {
			*why = "mq_open failed";
			return -1;
		}
		mq_unlink(c->name);
		c->wfd = c->rfd;
		return 0;
	case M_DGRAM:
	case M_SEQ:
		if (socketpair(AF_UNIX, m == M_DGRAM ? SOCK_DGRAM : SOCK_SEQPACKET,
			       0, sv)) {
			*why = "socketpair failed";
			return -1;
		}
		set_sockbuf(sv[0]);
		set_sockbuf(sv[1]);
		c->wfd = sv[0];
		c->rfd = sv[1];
		return 0;
	case M_PIPE:
		if (pipe2(sv, O_DIRECT)) {
			*why = "pipe2(O_DIRECT) failed";
			return -1;
		}
		if (fcntl(sv[1], F_SETPIPE_SZ, (int)opt.qbytes) < 0) {
			*why = "F_SETPIPE_SZ failed";
			return -1;
		}
		c->rfd = sv[0];
		c->wfd = sv[1];
		return 0;
	default:
		return -1;
	}
}

static void chan_close(struct chan *c)
{
	if (c->m == M_W32) {
		if (c->rh && c->rh != -1)
			w32_close(c->rh);
		if (c->wh && c->wh != -1)
			w32_close(c->wh);
		c->rh = c->wh = 0;
		return;
	}
	if (c->rfd >= 0)
		close(c->rfd);
	if (c->wfd >= 0 && c->wfd != c->rfd)
		close(c->wfd);
	c->rfd = c->wfd = -1;
}

/* In a writer process: get its own writer (client) end where there is one. */
static void chan_writer_open(struct chan *c)
{
	switch (c->m) {
	case M_MS:
	case M_BATCH:
		c->wfd = ms_open(c->name);
		if (c->wfd < 0)
			cfail("%s: MAILSLOT_IOC_OPEN", mech_name[c->m]);
		break;
	case M_W32:
		c->wh = w32_open(c->name);
		if (c->wh == -1) {
			errno = 0;
			cfail("CreateFileA failed, GetLastError() = %u", w32_last_error());
		}
		break;
	default:
		break;
	}
}

/*
 * A mailslot write refused because the queue is full does not wait; the
 * writer backs off before trying again, as a Win32 program would with
 * Sleep().  Yielding instead keeps every refused writer runnable, and 8 of
 * them starve the one reader of the CPU it needs to make room.
 */
static void full_backoff(void)
{
	const struct timespec ts = { 0, 100000 };	/* 100 us */

	nanosleep(&ts, NULL);
}

static void chan_send(struct chan *c, const void *buf, unsigned int len)
{
	ssize_t n;
	int r;

	for (;;) {
		switch (c->m) {
		case M_MS:
		case M_BATCH:
			n = write(c->wfd, buf, len);
			if (n == len)
				return;
			if (n < 0 && (errno == ENOBUFS || errno == EDQUOT))
				goto full;
			break;
		case M_W32:
			r = w32_write(c->wh, buf, len);
			if (!r)
				return;
			if (r == 1)
				goto full;
			errno = 0;
			cfail("WriteFile failed, GetLastError() = %u", w32_last_error());
		case M_MQ:
			if (!mq_send(c->wfd, buf, len, 0))
				return;
			n = -1;
			break;
		case M_DGRAM:
		case M_SEQ:
			n = send(c->wfd, buf, len, 0);
			if (n == len)
				return;
			break;
		case M_PIPE:
			n = write(c->wfd, buf, len);
			if (n == len)
				return;
			break;
		default:
			return;
		}
		if (n < 0 && errno == EINTR)
			continue;
		cfail("%s: send %u bytes", mech_name[c->m], len);
full:
		/* Mailslot writes never block: the queue is full, let the reader run. */
		c->retries++;
		full_backoff();
	}
}

/* One message into buf (room MAX_MSG); its length. */
static long chan_recv(struct chan *c, char *buf, unsigned int expect)
{
	long n, got;

	for (;;) {
		switch (c->m) {
		case M_MS:
		case M_BATCH:
			n = read(c->rfd, buf, MAX_MSG);
			break;
		case M_W32:
			n = w32_read(c->rh, buf, MAX_MSG);
			if (n < 0) {
				errno = 0;
				cfail("ReadFile failed, GetLastError() = %u", w32_last_error());
			}
			break;
		case M_MQ:
			n = mq_receive(c->rfd, buf, MAX_MSG, NULL);
			break;
		case M_DGRAM:
		case M_SEQ:
			n = recv(c->rfd, buf, MAX_MSG, 0);
			break;
		case M_PIPE:
			/* Packets are at most PIPE_BUF: a bigger message comes in pieces. */
			got = 0;
			do {
				n = read(c->rfd, buf + got, MAX_MSG - got);
				if (n <= 0)
					break;
				got += n;
			} while (got < expect);
			if (n > 0)
				n = got;
			break;
		default:
			n = -1;
		}
		if (n >= 0)
			return n;
		if (errno != EINTR)
			cfail("%s: receive", mech_name[c->m]);
	}
}

/* ---- processes of one run --------------------------------------------------- */

static char *msgbuf;			/* per process, after fork */
static int ready_pipe[2], go_pipe[2];
static pid_t kids[MAX_WRITERS + 2];
static int nkids;

/* Child side of the start barrier: "I am ready", then wait for go. */
static void child_ready_wait(void)
{
	char ch = 1;

	if (write(ready_pipe[1], &ch, 1) != 1)
		cfail("ready pipe");
	close(ready_pipe[1]);
	if (read(go_pipe[0], &ch, 1) < 0)
		cfail("go pipe");
	close(go_pipe[0]);
}

/*
 * CPU placement of a run's processes: "none" leaves it to the scheduler,
 * "same" puts all of them on CPU 0, "split" puts role 0 (writers, ping-pong
 * side A) on CPU 0 and role 1 (the reader, side B) on CPU 1.
 */
static void pin_self(int role)
{
	cpu_set_t set;
	long ncpu = sysconf(_SC_NPROCESSORS_ONLN);

	if (!strcmp(opt.pin, "none"))
		return;
	CPU_ZERO(&set);
	CPU_SET(!strcmp(opt.pin, "split") && ncpu > 1 ? role : 0, &set);
	if (sched_setaffinity(0, sizeof(set), &set))
		cfail("sched_setaffinity");
}

static pid_t spawn(void (*fn)(void *), void *arg, int role)
{
	pid_t pid = fork();

	if (pid < 0)
		die("fork: %s", strerror(errno));
	if (!pid) {
		close(go_pipe[1]);
		close(ready_pipe[0]);
		alarm(120 + (unsigned int)(opt.time * 20));
		pin_self(role);
		msgbuf = aligned_alloc(4096, BATCH_BUF);
		if (!msgbuf)
			cfail("malloc");
		memset(msgbuf, 0xa5, BATCH_BUF);
		fn(arg);
		_exit(0);
	}
	kids[nkids++] = pid;
	return pid;
}

/*
 * Parent: wait until every child is ready, start the clock, let them go,
 * raise the stop flag after opt.time and reap them.  Return 0 if all of
 * them exited cleanly.
 */
static int run_children(double stop_after)
{
	int ok = 1, left = nkids, status, i, got = 0;
	char ch;
	double deadline;

	close(ready_pipe[1]);
	close(go_pipe[0]);
	while (got < nkids && read(ready_pipe[0], &ch, 1) == 1)
		got++;
	close(ready_pipe[0]);
	if (got < nkids)
		ok = 0;
	shm->t0 = now();
	close(go_pipe[1]);
	if (ok) {
		struct timespec ts = {
			(time_t)stop_after,
			(long)((stop_after - (time_t)stop_after) * 1e9),
		};

		while (nanosleep(&ts, &ts) && errno == EINTR)
			;
	}
	shm->stop = 1;
	deadline = now() + 90 + opt.time * 10;
	while (left > 0) {
		pid_t p = waitpid(-1, &status, WNOHANG);

		if (p > 0) {
			left--;
			if (!WIFEXITED(status) || WEXITSTATUS(status))
				ok = 0;
			if (!ok)
				for (i = 0; i < nkids; i++)
					kill(kids[i], SIGKILL);
			continue;
		}
		if (now() > deadline) {
			snprintf(shm->err, sizeof(shm->err), "timed out");
			for (i = 0; i < nkids; i++)
				kill(kids[i], SIGKILL);
			ok = 0;
			deadline = now() + 3600;
		}
		usleep(5000);
	}
	return ok ? 0 : -1;
}

static void barrier_init(void)
{
	nkids = 0;
	memset(shm, 0, sizeof(*shm));
	if (pipe(ready_pipe) || pipe(go_pipe))
		die("pipe: %s", strerror(errno));
}

/* stream and fan-in */
struct flow {
	struct chan *c;
	int idx, writers;
	unsigned int size;
};

/*
 * mailslot-batch's writer: the @n messages of @size bytes that lie back to
 * back in msgbuf, lengths in @lens, in one MAILSLOT_IOC_WRITE_BATCH.  A
 * full queue takes part of a batch; the rest is sent again.
 */
static void batch_send(struct chan *c, const __u32 *lens, unsigned int n,
		       unsigned int size)
{
	unsigned int done = 0;
	int k;

	while (done < n) {
		struct mailslot_write_batch b = {
			.buf = (uintptr_t)(msgbuf + (size_t)done * size),
			.lens = (uintptr_t)lens, .count = n - done,
		};

		k = ioctl(c->wfd, MAILSLOT_IOC_WRITE_BATCH, &b);
		if (k > 0) {
			done += k;
			continue;
		}
		if (errno == ENOBUFS || errno == EDQUOT) {
			c->retries++;
			full_backoff();
		} else if (errno != EINTR) {
			cfail("MAILSLOT_IOC_WRITE_BATCH");
		}
	}
}

static void writer_main(void *arg)
{
	struct flow *f = arg;
	struct chan *c = f->c;
	long sent = 0;

	if (c->m != M_W32 && c->m != M_MQ && c->rfd != c->wfd)
		close(c->rfd);
	chan_writer_open(c);
	child_ready_wait();
	msgbuf[0] = 0;
	if (c->m == M_BATCH) {
		unsigned int n = BATCH_BUF / (f->size ? f->size : 1), i;
		__u32 lens[WBATCH_MAX];

		n = n < 1 ? 1 : n > WBATCH_MAX ? WBATCH_MAX : n;
		for (i = 0; i < n; i++) {
			lens[i] = f->size;
			msgbuf[(size_t)i * f->size] = 0;	/* not a stop message */
		}
		while (!shm->stop) {
			batch_send(c, lens, n, f->size);
			sent += n;
		}
	} else {
		while (!shm->stop) {
			chan_send(c, msgbuf, f->size);
			sent++;
		}
	}
	msgbuf[0] = 1;		/* stop message */
	chan_send(c, msgbuf, f->size);
	shm->sent[f->idx] = sent;
	shm->retries[f->idx] = c->retries;
}

static void reader_main(void *arg)
{
	struct flow *f = arg;
	struct chan *c = f->c;
	unsigned int lens[BATCH_MAX];
	long n = 0, bad = 0, stops = 0;

	if (c->m != M_W32 && c->m != M_MQ && c->rfd != c->wfd) {
		close(c->wfd);
		c->wfd = -1;
	}
	child_ready_wait();
	while (stops < f->writers) {
		if (c->m == M_BATCH) {
			struct mailslot_read_batch b = {
				.buf = (uintptr_t)msgbuf, .buf_len = BATCH_BUF,
				.lens = (uintptr_t)lens, .max_msgs = BATCH_MAX,
			};
			long off = 0;
			int k = ioctl(c->rfd, MAILSLOT_IOC_READ_BATCH, &b);

			if (k < 0) {
				if (errno == EINTR)
					continue;
				cfail("MAILSLOT_IOC_READ_BATCH");
			}
			for (int i = 0; i < k; i++) {
				if (lens[i] != f->size)
					bad++;
				else if (msgbuf[off])
					stops++;
				else
					n++;
				off += lens[i];
			}
		} else {
			long len = chan_recv(c, msgbuf, f->size);

			if (len != f->size)
				bad++;
			else if (msgbuf[0])
				stops++;
			else
				n++;
			if (bad > 1000)
				cfail("%ld messages of the wrong size (last %ld)", bad, len);
		}
	}
	shm->t_end = now();
	shm->received = n;
	shm->bad = bad;
}

/* ping-pong: A sends on c[0] and receives on c[1]; B the other way round */
struct pp {
	struct chan *c;
	int side;
};

static void pp_main(void *arg)
{
	struct pp *p = arg;
	struct chan *out = &p->c[p->side], *in = &p->c[!p->side];
	long iters = 0;
	double t0;

	/* keep only our ends */
	if (in->m != M_W32 && in->m != M_MQ) {
		if (out->rfd >= 0 && out->rfd != out->wfd)
			close(out->rfd);
		if (in->wfd >= 0 && in->wfd != in->rfd)
			close(in->wfd);
	}
	chan_writer_open(out);
	child_ready_wait();
	msgbuf[0] = 0;
	if (p->side == 0) {
		t0 = now();
		while (!shm->stop) {
			chan_send(out, msgbuf, 16);
			if (chan_recv(in, msgbuf, 16) != 16)
				cfail("short ping-pong message");
			iters++;
		}
		shm->elapsed = now() - t0;
		shm->iters = iters;
		msgbuf[0] = 1;
		chan_send(out, msgbuf, 16);
	} else {
		for (;;) {
			if (chan_recv(in, msgbuf, 16) != 16)
				cfail("short ping-pong message");
			if (msgbuf[0])
				break;
			chan_send(out, msgbuf, 16);
		}
	}
}

/* ---- results ------------------------------------------------------------- */

struct result {
	int n;			/* good runs */
	double v[MAX_RUNS];	/* msgs/s, or rtt in us for ping-pong */
	long retries, msgs;
	int skipped;
	char note[200];
};

static struct result res[W_NR][M_NR];

static int mech_wanted(enum mech m)
{
	char buf[256], *tok, *save;

	if (!opt.mechs)
		return 1;
	snprintf(buf, sizeof(buf), "%s", opt.mechs);
	for (tok = strtok_r(buf, ",", &save); tok; tok = strtok_r(NULL, ",", &save))
		if (!strcmp(tok, mech_name[m]))
			return 1;
	return 0;
}

static int applicable(enum wl w, enum mech m)
{
	if (!mech_wanted(m))
		return 0;
	if (w == W_PP && m == M_BATCH)
		return 0;	/* batch receive is a reader-side bulk path */
	return 1;
}

static void one_run(enum wl w, enum mech m)
{
	struct result *r = &res[w][m];
	struct chan ch[2];
	const char *why = "setup failed";
	int ok, i;

	if (r->skipped)
		return;
	if (m == M_W32 && !w32_ok) {
		r->skipped = 1;
		snprintf(r->note, sizeof(r->note), "skipped: %s", w32_why);
		return;
	}
	barrier_init();
	if (w == W_PP) {
		struct pp side[2];

		if (chan_setup(&ch[0], m, &why) || chan_setup(&ch[1], m, &why)) {
			r->skipped = 1;
			snprintf(r->note, sizeof(r->note), "skipped: %s: %s", why,
				 strerror(errno));
			return;
		}
		for (i = 0; i < 2; i++) {
			side[i].c = ch;
			side[i].side = i;
			spawn(pp_main, &side[i], i);
		}
		chan_close(&ch[0]);
		chan_close(&ch[1]);
		ok = !run_children(opt.time);
		if (ok && shm->iters) {
			r->v[r->n++] = shm->elapsed / shm->iters * 1e6;
			r->msgs += shm->iters;
		}
	} else {
		struct flow fl[MAX_WRITERS + 1];
		long sent = 0;

		if (chan_setup(&ch[0], m, &why)) {
			r->skipped = 1;
			snprintf(r->note, sizeof(r->note), "skipped: %s: %s", why,
				 strerror(errno));
			return;
		}
		for (i = 0; i <= wl[w].writers; i++) {
			fl[i].c = ch;
			fl[i].idx = i;
			fl[i].writers = wl[w].writers;
			fl[i].size = wl[w].size;
			spawn(i == wl[w].writers ? reader_main : writer_main, &fl[i],
		      i == wl[w].writers);
		}
		chan_close(&ch[0]);
		ok = !run_children(opt.time);
		for (i = 0; i < wl[w].writers; i++) {
			sent += shm->sent[i];
			r->retries += shm->retries[i];
		}
		if (ok && sent != shm->received) {
			snprintf(shm->err, sizeof(shm->err),
				 "sent %ld but received %ld (%ld bad)", sent,
				 shm->received, shm->bad);
			ok = 0;
		}
		if (ok) {
			r->v[r->n++] = shm->received / (shm->t_end - shm->t0);
			r->msgs += shm->received;
		}
	}
	if (!ok)
		snprintf(r->note, sizeof(r->note), "run failed: %s",
			 shm->err[0] ? shm->err : "a process died");
}

static double med(enum wl w, enum mech m)
{
	struct result *r = &res[w][m];

	return r->n ? median(r->v, r->n) : NAN;
}

static void print_workload(enum wl w)
{
	int pp = w == W_PP;
	double mq = med(w, M_MQ);

	printf("\n== %s ==\n", wl[w].title);
	printf("   %s, median of %d runs of %.1f s [min .. max]%s\n",
	       pp ? "round-trip time in us (lower is better)" : "messages per second",
	       opt.runs, opt.time, pp ? "" : ", retries = mailslot writes refused with a full queue");
	printf("   %-16s %12s %12s %12s %8s %10s\n", "mechanism",
	       pp ? "rtt_us" : "msgs/s", "min", "max", pp ? "mq/this" : "vs mq", "retries");
	for (int m = 0; m < M_NR; m++) {
		struct result *r = &res[w][m];
		double lo = INFINITY, hi = 0, v = med(w, m);

		if (!applicable(w, m))
			continue;
		if (!r->n) {
			printf("   %-16s %s\n", mech_name[m], r->note[0] ? r->note : "no result");
			continue;
		}
		for (int i = 0; i < r->n; i++) {
			lo = fmin(lo, r->v[i]);
			hi = fmax(hi, r->v[i]);
		}
		printf("   %-16s %12.*f %12.*f %12.*f %8.2f %10ld%s%s\n", mech_name[m],
		       pp ? 2 : 0, v, pp ? 2 : 0, lo, pp ? 2 : 0, hi,
		       pp ? mq / v : v / mq, r->retries,
		       m == M_PIPE && wl[w].size > PIPE_PKT ? "  (*)" : "",
		       r->note[0] ? "  [some runs failed]" : "");
		if (r->note[0])
			printf("   %-16s   %s\n", "", r->note);
	}
	if (w == W_S64K)
		printf("   (*) pipe packets are at most PIPE_BUF (4096): each 64 KiB message is\n"
		       "       written once and read back as 16 packets (boundaries not kept)\n");
	for (int m = 0; m < M_NR; m++) {
		double v = med(w, m);

		if (!applicable(w, m) || isnan(v))
			continue;
		if (pp)
			printf("bench mech=%s workload=%s size=%u rtt_us=%.3f ratio_vs_mq=%.3f\n",
			       mech_name[m], wl[w].kind, wl[w].size, v, v / mq);
		else
			printf("bench mech=%s workload=%s size=%u msgs_per_s=%.0f ratio_vs_mq=%.3f"
			       " retries=%ld\n", mech_name[m], wl[w].kind, wl[w].size, v,
			       v / mq, res[w][m].retries);
	}
	fflush(stdout);
}

/* ---- create / open / close with many slots ---------------------------------- */

struct cost {
	double create, open, close_client, close_server;	/* us per op */
	int ok;
	char note[160];
};

static struct cost cost_few, cost_many;
static long cost_few_n = 100;

static void bench_create(long bg, struct cost *out)
{
	long k = opt.ops, i;
	int *bgfd = calloc(bg, sizeof(int));
	int *sfd = calloc(k, sizeof(int)), *cfd = calloc(k, sizeof(int));
	char (*names)[40] = calloc(k, sizeof(*names));
	char name[64];
	double v[4][MAX_RUNS], t, fill;
	int reps = 4 * opt.runs > MAX_RUNS ? MAX_RUNS : 4 * opt.runs;
	struct rlimit old;
	unsigned long need;
	int rep;

	memset(out, 0, sizeof(*out));
	if (!bgfd || !sfd || !cfd || !names)
		die("out of memory");
	getrlimit(RLIMIT_NOFILE, &old);
	for (i = 0; i < k; i++)
		sfd[i] = cfd[i] = -1;
	set_rlimit(RLIMIT_NOFILE, bg + 2 * k + 1024);
	need = bg + k + 64;
	if (need > read_ul(MS_PARAM("max_slots")))
		set_knob(MS_PARAM("max_slots"), need);
	set_knob(MS_PARAM("user_max_slots"), need);

	t = now();
	for (i = 0; i < bg; i++) {
		snprintf(name, sizeof(name), "bench\\bg\\%08ld", i);
		bgfd[i] = ms_create(name);
		if (bgfd[i] < 0) {
			snprintf(out->note, sizeof(out->note),
				 "creating background slot %ld failed: %s", i, strerror(errno));
			goto out;
		}
	}
	fill = now() - t;
	for (i = 0; i < k; i++)
		snprintf(names[i], sizeof(names[i]), "bench\\op\\%08ld", i);
	for (rep = 0; rep < reps; rep++) {
		t = now();
		for (i = 0; i < k; i++)
			if ((sfd[i] = ms_create(names[i])) < 0)
				break;
		v[0][rep] = (now() - t) / k * 1e6;
		if (i < k) {
			snprintf(out->note, sizeof(out->note), "create: %s", strerror(errno));
			goto out;
		}
		t = now();
		for (i = 0; i < k; i++)
			if ((cfd[i] = ms_open(names[i])) < 0)
				break;
		v[1][rep] = (now() - t) / k * 1e6;
		if (i < k) {
			snprintf(out->note, sizeof(out->note), "open: %s", strerror(errno));
			goto out;
		}
		t = now();
		for (i = 0; i < k; i++) {
			close(cfd[i]);
			cfd[i] = -1;
		}
		v[2][rep] = (now() - t) / k * 1e6;
		t = now();
		for (i = 0; i < k; i++) {
			close(sfd[i]);
			sfd[i] = -1;
		}
		v[3][rep] = (now() - t) / k * 1e6;
	}
	out->create = median(v[0], reps);
	out->open = median(v[1], reps);
	out->close_client = median(v[2], reps);
	out->close_server = median(v[3], reps);
	out->ok = 1;
	snprintf(out->note, sizeof(out->note), "filling %ld slots took %.2f s (%.1f us each)",
		 bg, fill, fill / bg * 1e6);
out:
	for (i = 0; i < k; i++) {
		if (cfd[i] >= 0)
			close(cfd[i]);
		if (sfd[i] >= 0)
			close(sfd[i]);
	}
	for (i = 0; i < bg; i++)
		if (bgfd[i] > 0)
			close(bgfd[i]);
	restore_knob(MS_PARAM("user_max_slots"));
	restore_knob(MS_PARAM("max_slots"));
	setrlimit(RLIMIT_NOFILE, &old);
	free(bgfd);
	free(sfd);
	free(cfd);
	free(names);
}

/* ---- kernel memory per queued message ---------------------------------------- */

struct slabsnap {
	int n;
	struct {
		char name[48];
		long active, size;
	} c[512];
};

static void slab_snap(struct slabsnap *s)
{
	FILE *f = fopen("/proc/slabinfo", "r");
	char line[512];

	s->n = 0;
	if (!f)
		return;
	while (fgets(line, sizeof(line), f) && s->n < 512) {
		long a, num, sz;
		char name[64];

		if (line[0] == '#' || !strncmp(line, "slabinfo", 8))
			continue;
		if (sscanf(line, "%63s %ld %ld %ld", name, &a, &num, &sz) != 4)
			continue;
		snprintf(s->c[s->n].name, sizeof(s->c[0].name), "%s", name);
		s->c[s->n].active = a;
		s->c[s->n].size = sz;
		s->n++;
	}
	fclose(f);
}

/* Bytes of slab objects added between a and b, and the cache that grew most. */
static double slab_delta(const struct slabsnap *a, const struct slabsnap *b,
			 char *top, size_t toplen)
{
	double sum = 0, best = 0;

	top[0] = 0;
	for (int i = 0; i < b->n; i++)
		for (int j = 0; j < a->n; j++) {
			double d;

			if (strcmp(a->c[j].name, b->c[i].name))
				continue;
			d = (double)(b->c[i].active - a->c[j].active) * b->c[i].size;
			if (d > 0)
				sum += d;
			if (d > best) {
				best = d;
				snprintf(top, toplen, "%s (%ld B objects)", b->c[i].name,
					 b->c[i].size);
			}
			break;
		}
	return sum;
}

static long meminfo_kb(const char *key)
{
	FILE *f = fopen("/proc/meminfo", "r");
	char line[256];
	size_t kl = strlen(key);
	long v = -1;

	if (!f)
		return -1;
	while (fgets(line, sizeof(line), f))
		if (!strncmp(line, key, kl) && line[kl] == ':') {
			v = strtol(line + kl + 1, NULL, 10);
			break;
		}
	fclose(f);
	return v;
}

struct memres {
	double charged, sunreclaim, slab, slabobj;	/* bytes per message */
	char top[96];
	int ok;
	char note[160];
};

static struct memres mem_ms, mem_mq;

/*
 * The kernel memory figures come from a memory cgroup of the benchmark's
 * own: every message is charged to its writer's cgroup, slab objects and
 * pages alike, and memory.current counts both (slab statistics miss
 * mailslot's small messages, which live in pages).
 */
#define CG_ROOT	"/sys/fs/cgroup"
#define CG_MEM	CG_ROOT "/mailslot-bench"

/* Move this process into CG_MEM.  Return 0, or -1 with a note. */
static int memcg_enter(char *note)
{
	if (access(CG_ROOT "/cgroup.controllers", F_OK) &&
	    ((mkdir(CG_ROOT, 0755) && errno != EEXIST) ||
	     mount("cgroup2", CG_ROOT, "cgroup2", 0, NULL))) {
		sprintf(note, "cannot mount cgroup2: %s", strerror(errno));
		return -1;
	}
	if (write_str(CG_ROOT "/cgroup.subtree_control", "+memory") ||
	    (mkdir(CG_MEM, 0755) && errno != EEXIST) ||
	    write_str(CG_MEM "/cgroup.procs", "0")) {
		sprintf(note, "memory cgroup %s: %s", CG_MEM, strerror(errno));
		return -1;
	}
	return 0;
}

static void memcg_leave(void)
{
	write_str(CG_ROOT "/cgroup.procs", "0");
	rmdir(CG_MEM);
}

static long long memcg_current(void)
{
	char buf[32] = "";
	int fd = open(CG_MEM "/memory.current", O_RDONLY | O_CLOEXEC);

	if (fd < 0 || read(fd, buf, sizeof(buf) - 1) <= 0) {
		if (fd >= 0)
			close(fd);
		return -1;
	}
	close(fd);
	return atoll(buf);
}

/*
 * MEM_QUEUES queues of opt.mem_msgs messages each: enough memory that
 * the cgroup's per-CPU charge batches (up to 256 KiB) blur the figure by
 * a few per cent at most.
 */
#define MEM_QUEUES 4

static void mem_one(int is_mq, double *charged, double *sunrec, double *slab,
		    double *slabobj, char *top, char *note)
{
	static struct slabsnap s0, s1;
	long n = opt.mem_msgs, i, u0, u1, l0, l1;
	char buf[16] = "0123456789abcde", name[64];
	int rfd[MEM_QUEUES], wfd[MEM_QUEUES], q, nq = 0;
	long long c0, c1;

	for (q = 0; q < MEM_QUEUES; q++, nq++) {
		snprintf(name, sizeof(name), is_mq ? "/msbench_mem%d.%d" : "bench\\mem%d.%d",
			 getpid(), q);
		if (is_mq) {
			struct mq_attr a = { .mq_maxmsg = n, .mq_msgsize = 16 };

			rfd[q] = wfd[q] = mq_open(name, O_RDWR | O_CREAT | O_EXCL, 0600, &a);
			if (rfd[q] < 0) {
				sprintf(note, "mq_open(maxmsg %ld): %s", n, strerror(errno));
				goto out;
			}
			mq_unlink(name);
		} else {
			rfd[q] = ms_create(name);
			wfd[q] = rfd[q] < 0 ? -1 : ms_open(name);
			if (wfd[q] < 0) {
				sprintf(note, "create/open: %s", strerror(errno));
				if (rfd[q] >= 0)
					close(rfd[q]);
				goto out;
			}
		}
		/* one message first, so one-off allocations (mq's tree node) are not counted */
		if (is_mq ? mq_send(wfd[q], buf, 16, 0) : write(wfd[q], buf, 16) != 16) {
			nq++;
			i = 0;
			goto fail;
		}
	}
	usleep(100000);
	slab_snap(&s0);
	c0 = memcg_current();
	u0 = meminfo_kb("SUnreclaim");
	l0 = meminfo_kb("Slab");
	for (q = 0; q < nq; q++)
		for (i = 1; i < n; i++)
			if (is_mq ? mq_send(wfd[q], buf, 16, 0) : write(wfd[q], buf, 16) != 16)
				goto fail;
	u1 = meminfo_kb("SUnreclaim");
	l1 = meminfo_kb("Slab");
	c1 = memcg_current();
	slab_snap(&s1);
	n = (n - 1) * nq;
	*charged = c0 < 0 || c1 < 0 ? NAN : (double)(c1 - c0) / n;
	*sunrec = (u1 - u0) * 1024.0 / n;
	*slab = (l1 - l0) * 1024.0 / n;
	*slabobj = slab_delta(&s0, &s1, top, 96) / n;
	goto out;
fail:
	sprintf(note, "queueing message %ld: %s", i, strerror(errno));
out:
	for (q = 0; q < nq; q++) {
		close(rfd[q]);
		if (wfd[q] != rfd[q])
			close(wfd[q]);
	}
}

static void bench_mem(void)
{
	double v[2][4][MAX_RUNS];
	char note[160] = "";
	int reps = 3;

	set_knob(MQ_KNOB("msg_max"), opt.mem_msgs > opt.mq_maxmsg ? opt.mem_msgs : opt.mq_maxmsg);
	if (memcg_enter(note))
		fprintf(stderr, "mailslot-bench: %s: no charged-memory figures\n", note);
	for (int rep = 0; rep < reps; rep++)
		for (int q = 0; q < 2; q++) {
			struct memres *m = q ? &mem_mq : &mem_ms;

			v[q][0][rep] = v[q][1][rep] = v[q][2][rep] = v[q][3][rep] = NAN;
			mem_one(q, &v[q][3][rep], &v[q][0][rep], &v[q][1][rep], &v[q][2][rep],
				m->top, m->note);
			usleep(100000);
		}
	memcg_leave();
	for (int q = 0; q < 2; q++) {
		struct memres *m = q ? &mem_mq : &mem_ms;

		if (isnan(v[q][0][0]) || isnan(v[q][0][reps - 1]))
			continue;
		m->sunreclaim = median(v[q][0], reps);
		m->slab = median(v[q][1], reps);
		m->slabobj = median(v[q][2], reps);
		m->charged = median(v[q][3], reps);
		m->ok = 1;
	}
}

/* ---- null syscall ------------------------------------------------------------------ */

static double null_ns, clock_ns, readlink_ns;

static void bench_null(void)
{
	long n = 0;
	double t0 = now(), t;

	do {
		for (int i = 0; i < 10000; i++)
			syscall(SYS_getppid);
		n += 10000;
		t = now();
	} while (t - t0 < opt.time / 2);
	null_ns = (t - t0) / n * 1e9;
	n = 0;
	t0 = now();
	do {
		for (int i = 0; i < 1000; i++)
			now();
		n += 1000;
		t = now();
	} while (t - t0 < opt.time / 4);
	clock_ns = (t - t0) / n * 1e9;

	/* what resolving a handle through /proc/self/fd costs (libmailslot does) */
	{
		char path[64], link[64];

		snprintf(path, sizeof(path), "/proc/self/fd/%d", devfd);
		n = 0;
		t0 = now();
		do {
			for (int i = 0; i < 100; i++)
				if (readlink(path, link, sizeof(link)) < 0)
					die("readlink %s: %s", path, strerror(errno));
			n += 100;
			t = now();
		} while (t - t0 < opt.time / 4);
		readlink_ns = (t - t0) / n * 1e9;
	}
}

/* ---- targets ----------------------------------------------------------------------- */

static int npass, nmiss, nna;

static void target(const char *id, double val, double need, int le, const char *fmt, ...)
{
	char what[256];
	va_list ap;
	const char *verdict;

	va_start(ap, fmt);
	vsnprintf(what, sizeof(what), fmt, ap);
	va_end(ap);
	if (isnan(val)) {
		verdict = "N/A ";
		nna++;
	} else if (le ? val <= need : val >= need) {
		verdict = "PASS";
		npass++;
	} else {
		verdict = "MISS";
		nmiss++;
	}
	printf("target %s %-22s %s: %.3f (need %s %.2f)\n", verdict, id, what, val,
	       le ? "<=" : ">=", need);
}

static void print_targets(void)
{
	static const enum wl small[3] = { W_S16, W_S256, W_S4K };
	static const char *const small_name[3] = { "16", "256", "4096" };

	printf("\n== targets (evaluated, never fatal) ==\n");
	for (int i = 0; i < 3; i++) {
		char id[32];

		snprintf(id, sizeof(id), "stream%s_vs_pipe", small_name[i]);
		target(id, med(small[i], M_MS) / med(small[i], M_PIPE), 1.1, 0,
		       "mailslot / pipe-packet, stream %s B", small_name[i]);
	}
	target("stream65536_vs_dgram", med(W_S64K, M_MS) / med(W_S64K, M_DGRAM), 1.0, 0,
	       "mailslot / unix-dgram, stream 64 KiB");
	target("pingpong_vs_mq", med(W_PP, M_MS) / med(W_PP, M_MQ), 0.9, 1,
	       "mailslot rtt / posix-mq rtt, 16 B");
	target("fanin8_vs_pipe", med(W_FAN, M_MS) / med(W_FAN, M_PIPE), 1.0, 0,
	       "mailslot / pipe-packet, 8 writers 256 B");
	target("fanin8_vs_single", med(W_FAN, M_MS) / med(W_S256, M_MS), 0.9, 0,
	       "mailslot 8 writers / 1 writer, 256 B");
	target("win32_vs_raw", med(W_S16, M_W32) / med(W_S16, M_MS), 0.9, 0,
	       "mailslot-win32 / mailslot, stream 16 B");
	target("create_100k_vs_100", cost_few.ok && cost_many.ok ?
	       cost_many.create / cost_few.create : NAN, 1.5, 1,
	       "create cost, %ld slots / %ld slots", opt.slots, cost_few_n);
	target("open_100k_vs_100", cost_few.ok && cost_many.ok ?
	       cost_many.open / cost_few.open : NAN, 1.5, 1,
	       "open cost, %ld slots / %ld slots", opt.slots, cost_few_n);
	/*
	 * Charged memory, slab and pages: mailslot keeps small messages in
	 * pages, which slab statistics do not see.
	 */
	target("kmem_per_msg_vs_mq", mem_ms.ok && mem_mq.ok ?
	       mem_ms.charged / mem_mq.charged : NAN, 1.0, 1,
	       "kernel bytes charged per queued 16 B msg, mailslot / posix-mq");
	target("batch16_vs_mq", med(W_S16, M_BATCH) / med(W_S16, M_MQ), 3.0, 0,
	       "mailslot-batch / posix-mq, stream 16 B");
	printf("targets: %d PASS, %d MISS, %d N/A\n", npass, nmiss, nna);
}

/* ---- main --------------------------------------------------------------------------- */

static void usage(int st)
{
	printf("usage: mailslot-bench [--time SEC] [--runs N] [--qbytes BYTES] [--ms-qbytes BYTES]\n"
	       "         [--mq-maxmsg N] [--slots N] [--ops N] [--mem-msgs N]\n"
	       "         [--only LIST] [--no-create] [--no-mem] [--pin none|same|split]\n"
	       "         [--mechs LIST]\n"
	       "  --only LIST   comma-separated workloads: s16,s256,s4k,s64k,pp,fan\n"
	       "  --mechs LIST  comma-separated mechanisms: mailslot,mailslot-win32,mailslot-batch,\n"
	       "                posix-mq,unix-dgram,unix-seqpacket,pipe-packet\n");
	exit(st);
}

static int wanted(enum wl w)
{
	static const char *const key[W_NR] = { "s16", "s256", "s4k", "s64k", "pp", "fan" };
	char buf[128], *tok, *save;

	if (!opt.only)
		return 1;
	snprintf(buf, sizeof(buf), "%s", opt.only);
	for (tok = strtok_r(buf, ",", &save); tok; tok = strtok_r(NULL, ",", &save))
		if (!strcmp(tok, key[w]))
			return 1;
	return 0;
}

int main(int argc, char **argv)
{
	static const struct option lo[] = {
		{ "time", 1, NULL, 't' }, { "runs", 1, NULL, 'r' },
		{ "qbytes", 1, NULL, 'q' }, { "ms-qbytes", 1, NULL, 'Q' },
		{ "mq-maxmsg", 1, NULL, 'm' }, { "slots", 1, NULL, 's' },
		{ "ops", 1, NULL, 'o' }, { "mem-msgs", 1, NULL, 'M' },
		{ "only", 1, NULL, 'w' }, { "no-create", 0, NULL, 'C' },
		{ "no-mem", 0, NULL, 'N' }, { "pin", 1, NULL, 'p' },
		{ "mechs", 1, NULL, 'x' }, { "help", 0, NULL, 'h' }, {}
	};
	struct utsname u;
	double t_start = now();
	int c;

	while ((c = getopt_long(argc, argv, "h", lo, NULL)) != -1) {
		switch (c) {
		case 't': opt.time = atof(optarg); break;
		case 'r': opt.runs = atoi(optarg); break;
		case 'q': opt.qbytes = strtoul(optarg, NULL, 0); break;
		case 'Q': opt.ms_qbytes = strtoul(optarg, NULL, 0); break;
		case 'm': opt.mq_maxmsg = atol(optarg); break;
		case 's': opt.slots = atol(optarg); break;
		case 'o': opt.ops = atol(optarg); break;
		case 'M': opt.mem_msgs = atol(optarg); break;
		case 'w': opt.only = optarg; break;
		case 'C': opt.skip_create = 1; break;
		case 'N': opt.skip_mem = 1; break;
		case 'p': opt.pin = optarg; break;
		case 'x': opt.mechs = optarg; break;
		case 'h': usage(0); break;
		default: usage(2);
		}
	}
	if (strcmp(opt.pin, "none") && strcmp(opt.pin, "same") && strcmp(opt.pin, "split"))
		usage(2);
	if (opt.runs < 1 || opt.runs > MAX_RUNS || opt.time <= 0 || opt.mem_msgs < 2 ||
	    opt.ops < 1 || opt.slots < 1)
		usage(2);
	if (geteuid())
		die("must run as root (it raises module parameters and sysctls)");
	devfd = open("/dev/mailslot", O_RDWR | O_CLOEXEC);
	if (devfd < 0)
		die("/dev/mailslot: %s (is the module loaded?)", strerror(errno));
	shm = mmap(NULL, sizeof(*shm), PROT_READ | PROT_WRITE,
		   MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	if (shm == MAP_FAILED)
		die("mmap: %s", strerror(errno));
	w32_ok = w32_available(&w32_why);
	setvbuf(stdout, NULL, _IOLBF, 0);

	atexit(restore_all);
	signal(SIGINT, on_signal);
	signal(SIGTERM, on_signal);
	signal(SIGPIPE, SIG_IGN);
	set_rlimit(RLIMIT_MSGQUEUE, RLIM_INFINITY);
	set_knob(MS_PARAM("slot_max_bytes"), opt.ms_qbytes);
	if (read_ul(MS_PARAM("user_max_bytes")) < 2 * opt.ms_qbytes + (8 << 20))
		set_knob(MS_PARAM("user_max_bytes"), 2 * opt.ms_qbytes + (8 << 20));
	if (read_ul(MS_PARAM("max_msg_size")) < MAX_MSG)
		set_knob(MS_PARAM("max_msg_size"), MAX_MSG);
	set_knob(MQ_KNOB("msg_max"), opt.mq_maxmsg);
	set_knob(MQ_KNOB("msgsize_max"), MAX_MSG);

	uname(&u);
	printf("mailslot-bench: kernel %s %s, %ld CPUs online\n", u.release, u.machine,
	       sysconf(_SC_NPROCESSORS_ONLN));
	printf("config: processes pinned: %s (same = all on CPU 0, split = writers CPU 0, reader CPU 1)\n",
	       opt.pin);
	printf("        %d runs x %.2f s; every reader's buffer %d B; mailslot slot_max_bytes %lu;\n"
	       "        posix-mq maxmsg %ld msgsize %d; socket SO_SNDBUF/SO_RCVBUF %lu; pipe size %lu;\n"
	       "        mailslot msg_overhead %lu B\n",
	       opt.runs, opt.time, MAX_MSG, opt.ms_qbytes, opt.mq_maxmsg, MAX_MSG, opt.qbytes,
	       opt.qbytes, read_ul(MS_PARAM("msg_overhead")));
	if (!w32_ok)
		printf("note: mailslot-win32 skipped: %s\n", w32_why);

	bench_null();
	printf("\n== baseline ==\n   null syscall (getppid via syscall()): %.0f ns; "
	       "clock_gettime(CLOCK_MONOTONIC): %.0f ns;\n"
	       "   readlink(\"/proc/self/fd/N\") (libmailslot's per-call handle check): %.0f ns\n",
	       null_ns, clock_ns, readlink_ns);
	printf("bench mech=syscall workload=null size=0 ns_per_call=%.1f\n", null_ns);

	for (int w = 0; w < W_NR; w++) {
		if (!wanted(w))
			continue;
		for (int rep = 0; rep < opt.runs; rep++)
			for (int m = 0; m < M_NR; m++)
				if (applicable(w, m))
					one_run(w, m);
		print_workload(w);
	}

	if (!opt.skip_create) {
		bench_create(cost_few_n, &cost_few);
		bench_create(opt.slots, &cost_many);
		printf("\n== create / open / close, us per operation (median of %d x %ld ops) ==\n",
		       4 * opt.runs > MAX_RUNS ? MAX_RUNS : 4 * opt.runs, opt.ops);
		printf("   %-14s %10s %10s %13s %13s\n", "slots existing", "create", "open",
		       "close client", "close server");
		for (int i = 0; i < 2; i++) {
			struct cost *k = i ? &cost_many : &cost_few;
			long n = i ? opt.slots : cost_few_n;

			if (!k->ok) {
				printf("   %-14ld failed: %s\n", n, k->note);
				continue;
			}
			printf("   %-14ld %10.2f %10.2f %13.2f %13.2f   (%s)\n", n, k->create,
			       k->open, k->close_client, k->close_server, k->note);
			printf("bench mech=mailslot workload=create slots=%ld us_per_op=%.3f\n", n, k->create);
			printf("bench mech=mailslot workload=open slots=%ld us_per_op=%.3f\n", n, k->open);
			printf("bench mech=mailslot workload=close_client slots=%ld us_per_op=%.3f\n",
			       n, k->close_client);
			printf("bench mech=mailslot workload=close_server slots=%ld us_per_op=%.3f\n",
			       n, k->close_server);
		}
	}

	if (!opt.skip_mem) {
		bench_mem();
		printf("\n== kernel memory per queued 16-byte message (%d x %ld messages, median of 3) ==\n",
		       MEM_QUEUES, opt.mem_msgs);
		printf("   charged = memory cgroup charge (slab and pages); the other columns see slab only\n");
		printf("   %-10s %12s %12s %12s %14s  %s\n", "mechanism", "charged", "SUnreclaim",
		       "Slab", "slab objects", "cache that grew most");
		for (int q = 0; q < 2; q++) {
			struct memres *m = q ? &mem_mq : &mem_ms;
			const char *nm = q ? "posix-mq" : "mailslot";

			if (!m->ok) {
				printf("   %-10s failed: %s\n", nm, m->note);
				continue;
			}
			printf("   %-10s %10.1f B %10.1f B %10.1f B %12.1f B  %s\n", nm, m->charged,
			       m->sunreclaim, m->slab, m->slabobj, m->top);
			printf("bench mech=%s workload=kmem size=16 bytes_per_msg=%.1f slab_objects=%.1f\n",
			       nm, m->charged, m->slabobj);
		}
	}

	print_targets();
	printf("mailslot-bench: done in %.0f s\n", now() - t_start);
	return 0;
}
