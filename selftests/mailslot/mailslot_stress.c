// SPDX-License-Identifier: GPL-2.0
/*
 * mailslot_stress: NW writer processes send NM messages each, carrying
 * (writer id, sequence, length, checksum), to one slot read by 1 or 3
 * threads sharing the server fd.  Exact accounting: every message read
 * exactly once, intact, and in per-writer order (per reader thread; with
 * one reader, exactly 0..NM-1).  Plus a create/open/write/destroy race
 * on a few shared names, where only the documented errors may occur.
 *
 * long_run (MAILSLOT_STRESS_SECONDS, default 3): writer processes with
 * several threads each write to slots that manager processes keep
 * creating and destroying (writers race to OPEN them and learn the slot's
 * life from GET_INFO's max_msg_size), read by threads on dup'd server
 * fds (read(2), MAILSLOT_IOC_READ, MAILSLOT_IOC_READ_BATCH) that are hit
 * by signals (with and without SA_RESTART), while the parent keeps
 * trying delete_module(O_NONBLOCK).  A life ends in one of three ways:
 * counted (readers stopped, writers paused, GET_INFO then close: exactly
 * accepted = read + msg_count), racy (writers not paused: accepted - read
 * >= msg_count), or closed under reads (every server fd closed while
 * readers may wait: the slot lives until the last read returns, then is
 * gone: OPEN ENOENT, write and client GET_INFO EPIPE).  Each message
 * carries writer, slot, life, sequence and checksum; every accepted
 * message is read exactly once, intact, in per-writer order per reader,
 * and the ones read form a prefix of what each writer got accepted.
 *
 * close_while_read_waits: that lifetime rule, deterministically.
 */
#include "mailslot_test.h"

#include <stdarg.h>
#include <stddef.h>
#include <sys/prctl.h>

#define NW	4U
#define NM	2000U
#define MAXLEN	300
#define STOP	0xffffffffu

struct hdr {
	__u32 writer;
	__u32 seq;
	__u32 len;	/* payload bytes after the header */
	__u32 csum;
};

static __u32 csum(const struct hdr *h, const unsigned char *p)
{
	__u32 c = 2166136261u ^ h->writer ^ (h->seq << 8) ^ (h->len << 20);
	__u32 i;

	for (i = 0; i < h->len; i++)
		c = (c ^ p[i]) * 16777619u;
	return c;
}

static __u32 msg_len(__u32 w, __u32 s)
{
	return (s * 37u + w * 11u) % (MAXLEN - sizeof(struct hdr));
}

struct rec {
	__u32 writer, seq;
};

struct reader {
	pthread_t thr;
	int fd;
	bool ioctl;
	unsigned int n;		/* messages recorded */
	unsigned int bad;	/* corrupt messages */
	int err;		/* errno of a failed read */
	struct rec *recs;
};

static void *reader_fn(void *arg)
{
	struct reader *r = arg;
	unsigned char buf[MAXLEN + 64];

	for (;;) {
		struct hdr *h = (struct hdr *)buf;
		ssize_t n;

		if (r->ioctl)
			n = ms_read_ioctl(r->fd, buf, sizeof(buf),
					  MAILSLOT_READ_DEADLINE,
					  now_ns() + 30000000000ULL, NULL);
		else
			n = read(r->fd, buf, sizeof(buf));
		if (n < 0) {
			r->err = errno;
			return NULL;
		}
		if (n < (ssize_t)sizeof(*h) || n != (ssize_t)(sizeof(*h) + h->len)) {
			r->bad++;
			continue;
		}
		if (h->writer == STOP)
			return NULL;
		if (h->writer >= NW || h->seq >= NM ||
		    h->len != msg_len(h->writer, h->seq) ||
		    h->csum != csum(h, buf + sizeof(*h))) {
			r->bad++;
			continue;
		}
		if (r->n < NW * NM) {
			r->recs[r->n].writer = h->writer;
			r->recs[r->n].seq = h->seq;
		}
		r->n++;
	}
}

/* A writer process: wait for the gate, send NM messages. */
static int writer(int dev, const char *name, int inherited_cli, int gate,
		  __u32 id)
{
	unsigned char buf[MAXLEN];
	struct hdr *h = (struct hdr *)buf;
	unsigned long retries = 0;
	char c;
	int cli;
	__u32 s;

	cli = inherited_cli >= 0 ? inherited_cli : ms_open(dev, name, 0);
	if (cli < 0)
		return 1;
	if (read(gate, &c, 1) < 0)
		return 2;
	for (s = 0; s < NM; s++) {
		__u32 i;

		h->writer = id;
		h->seq = s;
		h->len = msg_len(id, s);
		for (i = 0; i < h->len; i++)
			buf[sizeof(*h) + i] = (unsigned char)(id * 7 + s + i);
		h->csum = csum(h, buf + sizeof(*h));
		while (write(cli, buf, sizeof(*h) + h->len) != (ssize_t)(sizeof(*h) + h->len)) {
			/* a full queue is not an error: let the readers run */
			if (errno != ENOBUFS && errno != EDQUOT)
				return 3;
			if (++retries > 1000000)
				return 4;
			sched_yield();
		}
	}
	return 0;
}

FIXTURE(st) {
	int dev, srv, cli;
	char name[128];
};

FIXTURE_VARIANT(st) {
	int readers;
	bool ioctl;
};

FIXTURE_VARIANT_ADD(st, one_reader) {
	.readers = 1,
};

FIXTURE_VARIANT_ADD(st, three_readers) {
	.readers = 3,
};

FIXTURE_VARIANT_ADD(st, three_ioctl_readers) {
	.readers = 3,
	.ioctl = true,
};

FIXTURE_SETUP(st)
{
	self->srv = self->cli = -1;
	self->dev = ms_dev_open();
	if (self->dev < 0)
		SETUP_SKIP("%s: %s (module not loaded?)", MS_DEV, strerror(errno));
	ms_name(self->name, sizeof(self->name), "stress");
	self->srv = ms_create(self->dev, self->name, 0, MAILSLOT_WAIT_FOREVER, 0);
	ASSERT_LE(0, self->srv);
	/* the odd writers use this inherited client, the even ones open their own */
	self->cli = ms_open(self->dev, self->name, 0);
	ASSERT_LE(0, self->cli);
}

FIXTURE_TEARDOWN(st)
{
	if (self->cli >= 0)
		close(self->cli);
	if (self->srv >= 0)
		close(self->srv);
	if (self->dev >= 0)
		close(self->dev);
}

TEST_F_TIMEOUT(st, writers_readers_exact_accounting, 120)
{
	struct reader rd[3];
	static unsigned char seen[NW][NM];
	struct mailslot_info info;
	pid_t pids[NW];
	int gate[2];
	unsigned int total = 0, i, w;
	uint64_t t0 = now_ns();

	ASSERT_EQ(0, pipe2(gate, O_CLOEXEC));
	for (w = 0; w < NW; w++) {
		pids[w] = fork();
		ASSERT_LE(0, pids[w]);
		if (pids[w] == 0) {
			close(gate[1]);
			close(self->srv);
			_exit(writer(self->dev, self->name,
				     (w & 1) ? self->cli : -1, gate[0], w));
		}
	}
	close(gate[0]);
	for (i = 0; i < (unsigned int)variant->readers; i++) {
		memset(&rd[i], 0, sizeof(rd[i]));
		rd[i].fd = self->srv;
		rd[i].ioctl = variant->ioctl;
		rd[i].recs = calloc(NW * NM, sizeof(struct rec));
		ASSERT_NE(NULL, rd[i].recs);
		ASSERT_EQ(0, pthread_create(&rd[i].thr, NULL, reader_fn, &rd[i]));
	}
	close(gate[1]);		/* go */
	for (w = 0; w < NW; w++) {
		ASSERT_EQ(0, wait_child(pids[w])) TH_LOG("writer %u failed", w);
	}
	/* every data message is queued before these */
	for (i = 0; i < (unsigned int)variant->readers; i++) {
		struct hdr stop = { .writer = STOP };

		ASSERT_EQ((ssize_t)sizeof(stop), write(self->cli, &stop, sizeof(stop)));
	}
	for (i = 0; i < (unsigned int)variant->readers; i++) {
		ASSERT_EQ(0, pthread_join(rd[i].thr, NULL));
	}
	TH_LOG("%d writers x %d messages, %d reader(s): %" PRIu64 " ms",
	       NW, NM, variant->readers, ms_since(t0));

	memset(seen, 0, sizeof(seen));
	for (i = 0; i < (unsigned int)variant->readers; i++) {
		__s64 last[NW];
		unsigned int k;

		ASSERT_EQ(0, rd[i].err) TH_LOG("reader %u: %s", i, ms_errname(rd[i].err));
		ASSERT_EQ(0U, rd[i].bad) TH_LOG("reader %u: corrupt messages", i);
		ASSERT_GE(NW * NM, rd[i].n);
		for (w = 0; w < NW; w++)
			last[w] = -1;
		for (k = 0; k < rd[i].n; k++) {
			struct rec *r = &rd[i].recs[k];

			ASSERT_EQ(0, seen[r->writer][r->seq])
				TH_LOG("writer %u seq %u read twice", r->writer, r->seq);
			seen[r->writer][r->seq] = 1;
			ASSERT_LT(last[r->writer], (__s64)r->seq)
				TH_LOG("reader %u: writer %u seq %u after %lld", i,
				       r->writer, r->seq, (long long)last[r->writer]);
			if (variant->readers == 1) {
				ASSERT_EQ(last[r->writer] + 1, (__s64)r->seq);
			}
			last[r->writer] = r->seq;
		}
		total += rd[i].n;
		free(rd[i].recs);
	}
	ASSERT_EQ(NW * NM, total);
	ASSERT_EQ(0, ms_info(self->srv, &info));
	ASSERT_EQ(0U, info.msg_count);
	ASSERT_EQ(0U, info.queued_bytes);
}

/*
 * Processes create, open, write to and destroy slots under a few shared
 * names at the same time.  Only EEXIST (create), ENOENT (open) and EPIPE
 * (write after destroy) may happen; the names end up free.
 */
TEST_F_TIMEOUT(st, create_open_destroy_race, 120)
{
	enum { NP = 3, ROUNDS = 300, NNAMES = 3 };
	char names[NNAMES][128];
	pid_t pids[NP];
	int gate[2], p, k;

	for (k = 0; k < NNAMES; k++)
		snprintf(names[k], sizeof(names[k]), "kselftest\\race\\%d\\%d",
			 (int)getpid(), k);
	ASSERT_EQ(0, pipe2(gate, O_CLOEXEC));
	for (p = 0; p < NP; p++) {
		pids[p] = fork();
		ASSERT_LE(0, pids[p]);
		if (pids[p] == 0) {
			char c, buf[64];
			int r;

			close(gate[1]);
			if (read(gate[0], &c, 1) < 0)
				_exit(1);
			for (r = 0; r < ROUNDS; r++) {
				const char *mine = names[(r + p) % NNAMES];
				const char *other = names[(r + p + 1) % NNAMES];
				int s, cl;

				s = ms_create(self->dev, mine, 0, 0, 0);
				if (s < 0 && errno != EEXIST)
					_exit(10);
				cl = ms_open(self->dev, other, 0);
				if (cl < 0 && errno != ENOENT)
					_exit(11);
				if (cl >= 0 && write(cl, "race", 4) != 4 && errno != EPIPE)
					_exit(12);
				if (s >= 0) {
					/* drain whatever arrived */
					while (read(s, buf, sizeof(buf)) >= 0)
						;
					if (errno != ETIMEDOUT)
						_exit(13);
					close(s);
				}
				if (cl >= 0)
					close(cl);
			}
			_exit(0);
		}
	}
	close(gate[0]);
	close(gate[1]);
	for (p = 0; p < NP; p++) {
		ASSERT_EQ(0, wait_child(pids[p])) TH_LOG("process %d", p);
	}
	for (k = 0; k < NNAMES; k++) {
		int s;

		ASSERT_ERRNO(ENOENT, ms_open(self->dev, names[k], 0));
		s = ms_create(self->dev, names[k], 0, 0, 0);
		ASSERT_LE(0, s);
		close(s);
	}
}

/* Many clients opened and closed while messages flow. */
TEST_F_TIMEOUT(st, client_churn, 120)
{
	enum { NP = 3, ROUNDS = 300 };
	struct mailslot_info info;
	pid_t pids[NP];
	char buf[16];
	int p, got = 0;

	ASSERT_EQ(0, ms_set_timeout(self->srv, 0));
	for (p = 0; p < NP; p++) {
		pids[p] = fork();
		ASSERT_LE(0, pids[p]);
		if (pids[p] == 0) {
			int r;

			for (r = 0; r < ROUNDS; r++) {
				int c = ms_open(self->dev, self->name, 0);

				if (c < 0)
					_exit(1);
				if (write(c, "churn", 5) != 5)
					_exit(2);
				close(c);
			}
			_exit(0);
		}
	}
	for (p = 0; p < NP; p++) {
		ASSERT_EQ(0, wait_child(pids[p]));
	}
	while (read(self->srv, buf, sizeof(buf)) == 5)
		got++;
	ASSERT_EQ(ETIMEDOUT, errno);
	ASSERT_EQ(NP * ROUNDS, got);
	ASSERT_EQ(0, ms_info(self->srv, &info));
	ASSERT_EQ(0U, info.msg_count);
}


/* ---------------------------------------------------------------- */
/* long_run: slots created and destroyed under load.                 */

#define XS_SLOTS	3
#define XS_READERS	3
#define XS_WPROCS	4
#define XS_WTHREADS	3
#define XS_WRITERS	(XS_WPROCS * XS_WTHREADS)
#define XS_MAXINC	1024
#define XS_SEQMAX	(1u << 19)	/* sequence numbers per writer and slot life */
#define XS_BASE		0x10000000u	/* max_msg_size = XS_BASE + slot * XS_MAXINC + inc */
#define XS_STOP		0xfffffffeu	/* writer id of a manager's stop marker */
#define XS_BIG		(64 << 10)
#define XS_BATCH	64

enum { END_COUNTED, END_RACY, END_CLOSE_UNDER_READ, END_KINDS };

struct xhdr {
	__u32 writer, slot, inc, seq, len, csum;
};

struct xshared {
	int stop;				/* time is up */
	pthread_rwlock_t wlock;			/* writers: read side around write() */
	__u32 accepted[XS_WRITERS][XS_SLOTS][XS_MAXINC];
	__u32 nread[XS_SLOTS][XS_MAXINC][XS_WRITERS];
	__s64 left[XS_SLOTS][XS_MAXINC];	/* data messages queued at close, -1 unknown */
	__u8 end[XS_SLOTS][XS_MAXINC];
	__u32 incs[XS_SLOTS];
	unsigned long epipe, enoent, full, eintr, etimedout, signals, batches,
		      big, opens, markers, held_open;
	char err[XS_SLOTS + XS_WPROCS][200];
};

#define XADD(_sh, _f, _n) __atomic_add_fetch(&(_sh)->_f, (_n), __ATOMIC_RELAXED)

static __u32 xcsum(const struct xhdr *h, const unsigned char *p)
{
	__u32 c = 2166136261u ^ h->writer ^ (h->slot << 4) ^ (h->inc << 8) ^
		  (h->seq << 12) ^ (h->len << 20);
	__u32 i;

	for (i = 0; i < h->len; i++)
		c = (c ^ p[i]) * 16777619u;
	return c;
}

static __u32 xlen(__u32 w, __u32 seq)
{
	if (seq % 97 == 13)
		return 4000 + (w * 5003 + seq * 7) % (XS_BIG - 4000 - sizeof(struct xhdr));
	return (seq * 37u + w * 11u) % 200;
}

static void xname(char *buf, size_t size, pid_t parent, int s)
{
	snprintf(buf, size, "kselftest\\longrun\\%d\\%d", (int)parent, s);
}

/* One slot's life as seen by its manager and reader threads. */
struct xlife {
	struct xshared *sh;
	int slot;
	__u32 inc;
	int closing;			/* END_CLOSE_UNDER_READ: fds closed */
	int exited;			/* reader threads done */
	unsigned long reads;		/* data messages read */
	unsigned long stops;		/* markers taken */
	__u64 *bits;			/* [XS_WRITERS][XS_SEQMAX / 64] */
	__u32 maxseq[XS_WRITERS];
	char err[160];
};

struct xreader {
	pthread_t thr;
	struct xlife *life;
	int fd, kind;
	__s64 last[XS_WRITERS];
};

static void xerr(struct xlife *l, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
static void xerr(struct xlife *l, const char *fmt, ...)
{
	static pthread_mutex_t m = PTHREAD_MUTEX_INITIALIZER;
	va_list ap;

	pthread_mutex_lock(&m);
	if (!l->err[0]) {
		va_start(ap, fmt);
		vsnprintf(l->err, sizeof(l->err), fmt, ap);
		va_end(ap);
	}
	pthread_mutex_unlock(&m);
}

/* Check and record one message; 1 if it was a stop marker. */
static int xtake(struct xreader *r, const unsigned char *p, size_t n)
{
	struct xlife *l = r->life;
	const struct xhdr *h = (const void *)p;
	__u64 bit, old;

	if (n < sizeof(*h) || n != sizeof(*h) + h->len) {
		xerr(l, "slot %d life %u: message of %zu bytes", l->slot, l->inc, n);
		return 0;
	}
	if (h->writer == XS_STOP) {
		__atomic_add_fetch(&l->stops, 1, __ATOMIC_RELAXED);
		return 1;
	}
	if (h->writer >= XS_WRITERS || h->slot != (__u32)l->slot ||
	    h->inc != l->inc || h->seq >= XS_SEQMAX ||
	    h->len != xlen(h->writer, h->seq) ||
	    h->csum != xcsum(h, p + sizeof(*h))) {
		xerr(l, "slot %d life %u: corrupt message w %u s %u i %u seq %u len %u",
		      l->slot, l->inc, h->writer, h->slot, h->inc, h->seq, h->len);
		return 0;
	}
	if ((__s64)h->seq <= r->last[h->writer])
		xerr(l, "slot %d life %u: writer %u seq %u after %lld (same reader)",
		      l->slot, l->inc, h->writer, h->seq,
		      (long long)r->last[h->writer]);
	r->last[h->writer] = h->seq;
	bit = 1ULL << (h->seq % 64);
	old = __atomic_fetch_or(&l->bits[h->writer * (XS_SEQMAX / 64) + h->seq / 64],
				bit, __ATOMIC_RELAXED);
	if (old & bit)
		xerr(l, "slot %d life %u: writer %u seq %u read twice",
		      l->slot, l->inc, h->writer, h->seq);
	{
		__u32 cur = __atomic_load_n(&l->maxseq[h->writer], __ATOMIC_RELAXED);

		while (cur < h->seq &&
		       !__atomic_compare_exchange_n(&l->maxseq[h->writer], &cur, h->seq,
						    false, __ATOMIC_RELAXED, __ATOMIC_RELAXED))
			;
	}
	__atomic_add_fetch(&l->reads, 1, __ATOMIC_RELAXED);
	if (h->len >= 4000)
		XADD(l->sh, big, 1);
	return 0;
}

static void *xreader_fn(void *arg)
{
	static const size_t bufsize = XS_BATCH * 512 + XS_BIG;
	struct xreader *r = arg;
	unsigned char *buf = malloc(bufsize);
	struct xlife *l = r->life;
	__u32 lens[XS_BATCH];
	int stop = 0;

	if (!buf) {
		xerr(l, "malloc");
		stop = 1;
	}
	while (!stop && !__atomic_load_n(&l->closing, __ATOMIC_ACQUIRE)) {
		struct mailslot_read_batch b;
		long n, i, off;

		errno = 0;
		switch (r->kind) {
		case 0:
			n = read(r->fd, buf, bufsize);
			if (n >= 0)
				stop = xtake(r, buf, n);
			break;
		case 1:
			n = ms_read_ioctl(r->fd, buf, bufsize,
					  MAILSLOT_READ_DEADLINE, UINT64_MAX, NULL);
			if (n >= 0)
				stop = xtake(r, buf, n);
			break;
		default:
			memset(&b, 0, sizeof(b));
			b.buf = (uintptr_t)buf;
			b.buf_len = bufsize;
			b.lens = (uintptr_t)lens;
			b.max_msgs = XS_BATCH;
			n = ioctl(r->fd, MAILSLOT_IOC_READ_BATCH, &b);
			if (n > XS_BATCH) {
				xerr(l, "READ_BATCH returned %ld", n);
				n = 0;
			}
			if (n > 0)
				XADD(l->sh, batches, 1);
			for (i = 0, off = 0; i < n; off += lens[i], i++) {
				if ((size_t)off + lens[i] > bufsize) {
					xerr(l, "READ_BATCH lens overflow");
					break;
				}
				stop |= xtake(r, buf + off, lens[i]);
			}
			break;
		}
		if (n >= 0)
			continue;
		if (errno == EINTR) {
			XADD(l->sh, eintr, 1);
		} else if (errno == ETIMEDOUT) {
			XADD(l->sh, etimedout, 1);
		} else if (errno == EBADF &&
			   __atomic_load_n(&l->closing, __ATOMIC_ACQUIRE)) {
			break;
		} else {
			xerr(l, "reader kind %d: %s", r->kind, ms_errname(errno));
			break;
		}
	}
	free(buf);
	/* counted and racy ends: the reader closes its own dup */
	if (!__atomic_load_n(&l->closing, __ATOMIC_ACQUIRE))
		close(r->fd);
	__atomic_add_fetch(&l->exited, 1, __ATOMIC_RELEASE);
	return NULL;
}

struct xsignaller {
	pthread_t thr;
	struct xreader *rd;
	int stop;
	struct xshared *sh;
};

static void *xsignaller_fn(void *arg)
{
	struct xsignaller *sg = arg;
	const struct timespec ts = { 0, 2 * 1000 * 1000 };	/* pacing only */
	unsigned int k = 0;

	while (!__atomic_load_n(&sg->stop, __ATOMIC_ACQUIRE)) {
		pthread_kill(sg->rd[k % XS_READERS].thr,
			     (k / XS_READERS) & 1 ? SIGUSR1 : SIGUSR2);
		XADD(sg->sh, signals, 1);
		k++;
		nanosleep(&ts, NULL);
	}
	return NULL;
}

static void xnop(int sig)
{
	(void)sig;
}

/* Write stop markers until every reader thread has left. */
static int xstop_readers(struct xlife *l, int cli, unsigned long *written)
{
	struct xhdr m = { .writer = XS_STOP };
	const struct timespec ts = { 0, 200 * 1000 };

	while (__atomic_load_n(&l->exited, __ATOMIC_ACQUIRE) < XS_READERS) {
		if (__atomic_load_n(&l->stops, __ATOMIC_ACQUIRE) < *written) {
			nanosleep(&ts, NULL);	/* markers still queued: poll */
			continue;
		}
		if (write(cli, &m, sizeof(m)) == sizeof(m)) {
			(*written)++;
			XADD(l->sh, markers, 1);
		} else if (errno == EPIPE) {
			/* END_CLOSE_UNDER_READ: the last read has returned */
			*written = __atomic_load_n(&l->stops, __ATOMIC_ACQUIRE);
		} else if (errno == ENOBUFS || errno == EDQUOT) {
			sched_yield();
		} else {
			xerr(l, "marker write: %s", ms_errname(errno));
			return -1;
		}
	}
	return 0;
}

/* The sequence numbers read of each writer must be exactly 0..k-1. */
static void xcheck_prefix(struct xlife *l)
{
	struct xshared *sh = l->sh;
	__u32 w, i;

	for (w = 0; w < XS_WRITERS; w++) {
		__u64 *b = &l->bits[w * (XS_SEQMAX / 64)];
		__u32 k = 0, max = l->maxseq[w];

		if (!l->reads)
			break;
		while (k <= max && (b[k / 64] >> (k % 64)) & 1)
			k++;
		for (i = k; i <= max; i++)
			if ((b[i / 64] >> (i % 64)) & 1) {
				xerr(l, "slot %d life %u: writer %u: seq %u read, seq %u lost",
				      l->slot, l->inc, w, i, k);
				break;
			}
		sh->nread[l->slot][l->inc][w] = k;
		memset(b, 0, (max / 64 + 1) * sizeof(*b));
	}
}

static int xmanager(struct xshared *sh, int s, pid_t parent, unsigned int secs)
{
	/* at least a dozen lives per slot, however slow the kernel */
	const uint64_t life_ms = secs * 1000ULL / 12;
	uint64_t t0;
	struct sigaction sa = { .sa_handler = xnop };
	struct xreader rd[XS_READERS];
	struct xlife l;
	char name[128];
	__u32 inc;

	memset(&l, 0, sizeof(l));
	l.sh = sh;
	l.slot = s;
	l.bits = calloc(XS_WRITERS * (XS_SEQMAX / 64), sizeof(__u64));
	if (!l.bits)
		return 1;
	sigemptyset(&sa.sa_mask);
	sa.sa_flags = SA_RESTART;
	sigaction(SIGUSR1, &sa, NULL);
	sa.sa_flags = 0;
	sigaction(SIGUSR2, &sa, NULL);
	xname(name, sizeof(name), parent, s);
	srand(s * 7919 + 1);

	for (inc = 1; inc < XS_MAXINC && !__atomic_load_n(&sh->stop, __ATOMIC_ACQUIRE);
	     inc++) {
		int end = (inc + s) % END_KINDS, dev, srv, cli, i;
		__u32 tmo = inc & 2 ? 5000 : MAILSLOT_WAIT_FOREVER;
		const struct timespec ts = { 0, 1000 * 1000 };
		unsigned long target = inc == XS_MAXINC - 1 ? ~0UL : 100UL + (unsigned long)rand() % 1500;
		unsigned long markers = 0;
		struct mailslot_info info;
		struct xsignaller sg;

		dev = ms_dev_open();	/* each life reopens the device */
		if (dev < 0)
			return xerr(&l, "open %s: %s", MS_DEV, ms_errname(errno)), 2;
		srv = ms_create_full(dev, name, strlen(name), XS_BASE + s * XS_MAXINC + inc,
				     tmo, MAILSLOT_F_CLOEXEC, MAILSLOT_MODE_ALL);
		if (srv < 0)
			return xerr(&l, "create: %s", ms_errname(errno)), 3;
		cli = ms_open(dev, name, 0);
		close(dev);
		if (cli < 0)
			return xerr(&l, "open own client: %s", ms_errname(errno)), 4;

		l.inc = inc;
		l.closing = l.exited = 0;
		l.reads = l.stops = 0;
		memset(l.maxseq, 0, sizeof(l.maxseq));
		for (i = 0; i < XS_READERS; i++) {
			memset(rd[i].last, 0xff, sizeof(rd[i].last));	/* -1 */
			rd[i].life = &l;
			rd[i].kind = (i + inc) % 3;
			rd[i].fd = fcntl(srv, F_DUPFD_CLOEXEC, 0);
			if (rd[i].fd < 0 ||
			    pthread_create(&rd[i].thr, NULL, xreader_fn, &rd[i]))
				return xerr(&l, "reader %d", i), 5;
		}
		memset(&sg, 0, sizeof(sg));
		sg.rd = rd;
		sg.sh = sh;
		if (pthread_create(&sg.thr, NULL, xsignaller_fn, &sg))
			return xerr(&l, "signaller"), 6;

		/* Let the life run: this many messages, a share of the time, or until time is up. */
		t0 = now_ns();
		while (__atomic_load_n(&l.reads, __ATOMIC_RELAXED) < target &&
		       (inc == XS_MAXINC - 1 || ms_since(t0) < life_ms) &&
		       !__atomic_load_n(&sh->stop, __ATOMIC_ACQUIRE) && !l.err[0] &&
		       __atomic_load_n(&l.exited, __ATOMIC_RELAXED) == 0)
			nanosleep(&ts, NULL);
		__atomic_store_n(&sg.stop, 1, __ATOMIC_RELEASE);
		pthread_join(sg.thr, NULL);

		sh->left[s][inc] = -1;
		sh->end[s][inc] = end;
		if (end == END_CLOSE_UNDER_READ) {
			/* close every server fd while reads may be waiting */
			__atomic_store_n(&l.closing, 1, __ATOMIC_RELEASE);
			for (i = 0; i < XS_READERS; i++)
				close(rd[i].fd);
			close(srv);
			if (ms_info(cli, &info) == 0)
				XADD(sh, held_open, 1);	/* a read held the file */
			xstop_readers(&l, cli, &markers);
		} else {
			xstop_readers(&l, cli, &markers);
			if (end == END_COUNTED)
				pthread_rwlock_wrlock(&sh->wlock);
			if (ms_info(srv, &info))
				xerr(&l, "GET_INFO before close: %s", ms_errname(errno));
			sh->left[s][inc] = (__s64)info.msg_count -
					   (__s64)(markers - l.stops);
			close(srv);
			if (end == END_COUNTED)
				pthread_rwlock_unlock(&sh->wlock);
		}
		for (i = 0; i < XS_READERS; i++)
			pthread_join(rd[i].thr, NULL);

		/* In every case the slot is gone now. */
		if (ms_info(cli, &info) != -1 || errno != EPIPE)
			xerr(&l, "slot %d life %u (end %d): GET_INFO on client after the last read: %s",
			      s, inc, end, ms_errname(errno));
		if (write(cli, "x", 1) != -1 || errno != EPIPE)
			xerr(&l, "slot %d life %u (end %d): write after the last read: %s",
			      s, inc, end, ms_errname(errno));
		close(cli);
		dev = ms_dev_open();
		if (dev >= 0) {
			int c = ms_open(dev, name, 0);

			if (c != -1 || errno != ENOENT)
				xerr(&l, "slot %d life %u: OPEN after destroy: %s",
				      s, inc, c >= 0 ? "success" : ms_errname(errno));
			if (c >= 0)
				close(c);
			close(dev);
		}
		xcheck_prefix(&l);
		sh->incs[s] = inc;
		if (l.err[0])
			break;
	}
	free(l.bits);
	if (l.err[0]) {
		snprintf(sh->err[s], sizeof(sh->err[s]), "manager %d: %s", s, l.err);
		return 7;
	}
	return 0;
}

struct xwriter {
	pthread_t thr;
	struct xshared *sh;
	pid_t parent;
	__u32 id;
	int err;
	char msg[160];
};

static void *xwriter_fn(void *arg)
{
	struct xwriter *x = arg;
	struct xshared *sh = x->sh;
	unsigned char *buf = malloc(XS_BIG);
	int cli[XS_SLOTS], dev = ms_dev_open(), s;
	__u32 inc[XS_SLOTS] = { 0 }, seq[XS_SLOTS] = { 0 }, k = x->id;
	char names[XS_SLOTS][128];

	if (!buf || dev < 0) {
		snprintf(x->msg, sizeof(x->msg), "writer %u: setup", x->id);
		return NULL;
	}
	for (s = 0; s < XS_SLOTS; s++) {
		cli[s] = -1;
		xname(names[s], sizeof(names[s]), x->parent, s);
	}
	while (!__atomic_load_n(&sh->stop, __ATOMIC_ACQUIRE) && !x->msg[0]) {
		struct mailslot_info info;
		int b;

		s = k++ % XS_SLOTS;
		if (cli[s] < 0) {
			cli[s] = ms_open(dev, names[s], 0);
			if (cli[s] < 0) {
				if (errno != ENOENT)
					snprintf(x->msg, sizeof(x->msg), "writer %u: OPEN: %s",
						 x->id, ms_errname(errno));
				XADD(sh, enoent, 1);
				sched_yield();
				continue;
			}
			XADD(sh, opens, 1);
			if (ms_info(cli[s], &info)) {
				if (errno != EPIPE)
					snprintf(x->msg, sizeof(x->msg), "writer %u: GET_INFO: %s",
						 x->id, ms_errname(errno));
				close(cli[s]);
				cli[s] = -1;
				continue;
			}
			if (info.max_msg_size <= XS_BASE + s * XS_MAXINC + inc[s] ||
			    info.max_msg_size >= XS_BASE + (s + 1) * XS_MAXINC) {
				snprintf(x->msg, sizeof(x->msg),
					 "writer %u: slot %d: max_msg_size %#x after life %u",
					 x->id, s, info.max_msg_size, inc[s]);
				continue;
			}
			inc[s] = info.max_msg_size - XS_BASE - s * XS_MAXINC;
			seq[s] = 0;
		}
		for (b = 0; b < 8; b++) {
			struct xhdr *h = (struct xhdr *)buf;
			size_t n;
			ssize_t r;
			int e;
			__u32 i;

			if (seq[s] >= XS_SEQMAX - 1)
				break;
			h->writer = x->id;
			h->slot = s;
			h->inc = inc[s];
			h->seq = seq[s];
			h->len = xlen(x->id, seq[s]);
			for (i = 0; i < h->len; i++)
				buf[sizeof(*h) + i] = (unsigned char)(x->id * 7 + seq[s] + i * 13);
			h->csum = xcsum(h, buf + sizeof(*h));
			n = sizeof(*h) + h->len;

			pthread_rwlock_rdlock(&sh->wlock);
			r = write(cli[s], buf, n);
			e = errno;
			if (r == (ssize_t)n)
				sh->accepted[x->id][s][inc[s]] = ++seq[s];
			pthread_rwlock_unlock(&sh->wlock);
			if (r == (ssize_t)n)
				continue;
			if (r >= 0) {
				snprintf(x->msg, sizeof(x->msg), "writer %u: short write %zd",
					 x->id, r);
			} else if (e == EPIPE) {
				/* accepted[] already says what got in */
				XADD(sh, epipe, 1);
				close(cli[s]);
				cli[s] = -1;
			} else if (e == ENOBUFS || e == EDQUOT) {
				XADD(sh, full, 1);
				sched_yield();
			} else {
				snprintf(x->msg, sizeof(x->msg), "writer %u: write: %s",
					 x->id, ms_errname(e));
			}
			break;
		}
	}
	for (s = 0; s < XS_SLOTS; s++)
		if (cli[s] >= 0)
			close(cli[s]);
	close(dev);
	free(buf);
	return NULL;
}

static int xwriter_proc(struct xshared *sh, int p, pid_t parent, int gate)
{
	struct xwriter w[XS_WTHREADS];
	char c;
	int t;

	if (read(gate, &c, 1) < 0)
		return 1;
	for (t = 0; t < XS_WTHREADS; t++) {
		memset(&w[t], 0, sizeof(w[t]));
		w[t].sh = sh;
		w[t].parent = parent;
		w[t].id = p * XS_WTHREADS + t;
		if (pthread_create(&w[t].thr, NULL, xwriter_fn, &w[t]))
			return 2;
	}
	for (t = 0; t < XS_WTHREADS; t++) {
		pthread_join(w[t].thr, NULL);
		if (w[t].msg[0] && !sh->err[XS_SLOTS + p][0])
			snprintf(sh->err[XS_SLOTS + p], sizeof(sh->err[0]), "%s", w[t].msg);
	}
	return sh->err[XS_SLOTS + p][0] ? 3 : 0;
}

static bool xmodule_listed(void)
{
	char line[512];
	bool found = false;
	FILE *f = fopen("/proc/modules", "re");

	if (!f)
		return false;
	while (fgets(line, sizeof(line), f))
		if (!strncmp(line, "mailslot ", 9))
			found = true;
	fclose(f);
	return found;
}

FIXTURE(lr) {
	int dev;
};

FIXTURE_SETUP(lr)
{
	self->dev = ms_dev_open();
	if (self->dev < 0)
		SETUP_SKIP("%s: %s (module not loaded?)", MS_DEV, strerror(errno));
}

FIXTURE_TEARDOWN(lr)
{
	if (self->dev >= 0)
		close(self->dev);
}

TEST_F_TIMEOUT(lr, long_run, 900)
{
	const char *env = getenv("MAILSLOT_STRESS_SECONDS");
	unsigned int secs = env ? (unsigned int)strtoul(env, NULL, 0) : 3;
	pid_t pids[XS_SLOTS + XS_WPROCS], parent = getpid();
	unsigned long unload_tries = 0, acc = 0, rd = 0, destroyed = 0,
		      lives[END_KINDS] = { 0 }, counted_left = 0;
	const struct timespec pace = { 0, 20 * 1000 * 1000 };
	bool unload = geteuid() == 0 && xmodule_listed();
	pthread_rwlockattr_t ra;
	struct xshared *sh;
	uint64_t t0 = now_ns();
	int gate[2], i, s, w;
	__u32 inc;

	if (!secs)
		secs = 1;
	sh = mmap(NULL, sizeof(*sh), PROT_READ | PROT_WRITE,
		  MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	ASSERT_NE(MAP_FAILED, sh);
	pthread_rwlockattr_init(&ra);
	pthread_rwlockattr_setpshared(&ra, PTHREAD_PROCESS_SHARED);
	pthread_rwlockattr_setkind_np(&ra, PTHREAD_RWLOCK_PREFER_WRITER_NONRECURSIVE_NP);
	ASSERT_EQ(0, pthread_rwlock_init(&sh->wlock, &ra));
	ASSERT_EQ(0, pipe2(gate, O_CLOEXEC));

	for (i = 0; i < XS_SLOTS + XS_WPROCS; i++) {
		pids[i] = fork();
		ASSERT_LE(0, pids[i]);
		if (pids[i] == 0) {
			prctl(PR_SET_PDEATHSIG, SIGKILL);
			close(gate[1]);
			close(self->dev);
			if (i < XS_SLOTS)
				_exit(xmanager(sh, i, parent, secs));
			_exit(xwriter_proc(sh, i - XS_SLOTS, parent, gate[0]));
		}
	}
	close(gate[0]);
	close(gate[1]);		/* writers go */

	/* Unload attempts while everything is busy; the rest is time. */
	while (ms_since(t0) < secs * 1000ULL) {
		if (unload) {
			long rc;
			int r, e;
			FILE *f = fopen("/sys/module/mailslot/refcnt", "re");

			ASSERT_NE(NULL, f);
			ASSERT_EQ(1, fscanf(f, "%ld", &rc));
			fclose(f);
			/* self->dev is open: the module must be pinned */
			ASSERT_LT(0, rc) TH_LOG("refcnt 0 with fds open: not unloading");
			errno = 0;
			r = syscall(SYS_delete_module, "mailslot", O_NONBLOCK);
			e = errno;
			ASSERT_EQ(-1, r) TH_LOG("module unloaded while busy!");
			if (e == ENOSYS) {
				unload = false;
			} else {
				ASSERT_TRUE(e == EWOULDBLOCK || e == EBUSY)
					TH_LOG("delete_module: %s", ms_errname(e));
				unload_tries++;
			}
		}
		nanosleep(&pace, NULL);
	}
	__atomic_store_n(&sh->stop, 1, __ATOMIC_RELEASE);
	for (i = 0; i < XS_SLOTS + XS_WPROCS; i++) {
		int rc = wait_child(pids[i]);

		EXPECT_EQ(0, rc) TH_LOG("%s %d: exit %d: %s",
					i < XS_SLOTS ? "manager" : "writer process",
					i < XS_SLOTS ? i : i - XS_SLOTS, rc, sh->err[i]);
	}
	for (i = 0; i < XS_SLOTS + XS_WPROCS; i++)
		ASSERT_EQ(0, sh->err[i][0]) TH_LOG("%s", sh->err[i]);
	if (unload_tries)
		ASSERT_TRUE(xmodule_listed());

	/* accepted = read + destroyed with the slot, life by life */
	for (s = 0; s < XS_SLOTS; s++) {
		ASSERT_LT(0U, sh->incs[s]);
		for (inc = 1; inc <= sh->incs[s]; inc++) {
			unsigned long a = 0, r = 0;

			for (w = 0; w < XS_WRITERS; w++) {
				__u32 aw = sh->accepted[w][s][inc];
				__u32 rw = sh->nread[s][inc][w];

				ASSERT_LE(rw, aw)
					TH_LOG("slot %d life %u writer %d: read %u of %u accepted",
					       s, inc, w, rw, aw);
				a += aw;
				r += rw;
			}
			switch (sh->end[s][inc]) {
			case END_COUNTED:
				ASSERT_EQ((__s64)(a - r), sh->left[s][inc])
					TH_LOG("slot %d life %u: accepted %lu read %lu, GET_INFO before close: %lld",
					       s, inc, a, r, (long long)sh->left[s][inc]);
				counted_left += a - r;
				break;
			case END_RACY:
				ASSERT_LE(sh->left[s][inc], (__s64)(a - r))
					TH_LOG("slot %d life %u: accepted %lu read %lu, GET_INFO before close: %lld",
					       s, inc, a, r, (long long)sh->left[s][inc]);
				break;
			}
			lives[sh->end[s][inc]]++;
			acc += a;
			rd += r;
			destroyed += a - r;
		}
	}
	ASSERT_LT(0UL, rd);
	TH_LOG("%u s: %d writers (%d procs x %d threads), %d slots x %d readers: "
	       "%lu lives (%lu counted, %lu racy, %lu closed under reads; %lu held open by a read)",
	       secs, XS_WRITERS, XS_WPROCS, XS_WTHREADS, XS_SLOTS, XS_READERS,
	       lives[0] + lives[1] + lives[2], lives[0], lives[1], lives[2],
	       sh->held_open);
	TH_LOG("messages: %lu accepted = %lu read + %lu destroyed with their slot "
	       "(%lu counted exactly by GET_INFO); %lu big, %lu batches",
	       acc, rd, destroyed, counted_left, sh->big, sh->batches);
	TH_LOG("races: %lu opens, %lu ENOENT, %lu EPIPE, %lu ENOBUFS/EDQUOT; "
	       "%lu signals, %lu EINTR, %lu ETIMEDOUT; %lu refused unloads; %" PRIu64 " ms",
	       sh->opens, sh->enoent, sh->epipe, sh->full, sh->signals, sh->eintr,
	       sh->etimedout, unload_tries, ms_since(t0));
	munmap(sh, sizeof(*sh));
}

/* ---------------------------------------------------------------- */
/* The last server fd closed while another thread's read waits.      */

struct cw {
	int fd;
	bool ioctl;
	ssize_t ret;
	int err;
	pid_t tid;
	char buf[64];
};

static void *cw_fn(void *arg)
{
	struct cw *c = arg;

	c->tid = gettid();
	errno = 0;
	if (c->ioctl)
		c->ret = ms_read_ioctl(c->fd, c->buf, sizeof(c->buf), 0, 0, NULL);
	else
		c->ret = read(c->fd, c->buf, sizeof(c->buf));
	c->err = errno;
	return NULL;
}

/* Until thread tid sleeps in read(fd) or ioctl(fd, MAILSLOT_IOC_READ). */
static bool blocked_in_read(pid_t tid, int fd, bool ioctl_)
{
	char path[96], buf[256], want[64];
	uint64_t t0 = now_ns();
	const struct timespec ms = { 0, 1000 * 1000 };

	snprintf(path, sizeof(path), "/proc/self/task/%d/syscall", (int)tid);
	snprintf(want, sizeof(want), "%d 0x%x ", ioctl_ ? SYS_ioctl : SYS_read, fd);
	while (ms_since(t0) < 20000) {
		int f = open(path, O_RDONLY | O_CLOEXEC);
		ssize_t n = f < 0 ? -1 : read(f, buf, sizeof(buf) - 1);

		if (f >= 0)
			close(f);
		if (n > 0) {
			buf[n] = 0;
			if (!strncmp(buf, want, strlen(want)) &&
			    task_state(getpid(), tid) == 'S')
				return true;
		}
		nanosleep(&ms, NULL);
	}
	return false;
}

FIXTURE_VARIANT(cwv) {
	bool ioctl;
	int wake;	/* 0: a message, 1: a signal without SA_RESTART */
	bool dup;	/* the slot has a second, dup'd server fd, closed too */
};

FIXTURE(cwv) {
	int dev;
	char name[128];
};

FIXTURE_VARIANT_ADD(cwv, read_woken_by_message) { .wake = 0 };
FIXTURE_VARIANT_ADD(cwv, read_dup_woken_by_message) { .wake = 0, .dup = true };
FIXTURE_VARIANT_ADD(cwv, ioctl_woken_by_message) { .ioctl = true, .wake = 0 };
FIXTURE_VARIANT_ADD(cwv, read_woken_by_signal) { .wake = 1 };
FIXTURE_VARIANT_ADD(cwv, ioctl_woken_by_signal) { .ioctl = true, .wake = 1 };

FIXTURE_SETUP(cwv)
{
	self->dev = ms_dev_open();
	if (self->dev < 0)
		SETUP_SKIP("%s: %s (module not loaded?)", MS_DEV, strerror(errno));
	ms_name(self->name, sizeof(self->name), "closewait");
}

FIXTURE_TEARDOWN(cwv)
{
	if (self->dev >= 0)
		close(self->dev);
}

/*
 * A read in progress holds the server file: after close() of every
 * server fd the slot still lives (OPEN works, writes are queued and
 * GET_INFO works on a client) until that read returns; then it is
 * destroyed (OPEN ENOENT, writes EPIPE) and the name can be created again.
 */
TEST_F_TIMEOUT(cwv, close_while_read_waits, 60)
{
	struct sigaction sa = { .sa_handler = xnop }, old;
	struct mailslot_info info;
	struct cw c = { 0 };
	pthread_t thr;
	int srv, srv2 = -1, cli, cli2, again;

	srv = ms_create(self->dev, self->name, 0, MAILSLOT_WAIT_FOREVER, 0);
	ASSERT_LE(0, srv);
	cli = ms_open(self->dev, self->name, 0);
	ASSERT_LE(0, cli);
	if (variant->dup) {
		srv2 = dup(srv);
		ASSERT_LE(0, srv2);
	}
	sigemptyset(&sa.sa_mask);
	ASSERT_EQ(0, sigaction(SIGUSR2, &sa, &old));	/* no SA_RESTART */
	c.fd = srv;
	c.ioctl = variant->ioctl;
	ASSERT_EQ(0, pthread_create(&thr, NULL, cw_fn, &c));
	while (!__atomic_load_n(&c.tid, __ATOMIC_ACQUIRE))
		sched_yield();
	ASSERT_TRUE(blocked_in_read(c.tid, srv, variant->ioctl));

	ASSERT_EQ(0, close(srv));
	if (srv2 >= 0)
		ASSERT_EQ(0, close(srv2));
	/* the fds are gone, the file is not: the slot lives */
	ASSERT_ERRNO(EBADF, ms_info(srv, &info));
	ASSERT_EQ(0, ms_info(cli, &info)) TH_LOG("slot destroyed under a waiting read");
	ASSERT_EQ(0U, info.msg_count);
	ASSERT_ERRNO(EEXIST, ms_create(self->dev, self->name, 0, 0, 0));
	cli2 = ms_open(self->dev, self->name, 0);
	ASSERT_LE(0, cli2) TH_LOG("OPEN under a waiting read: %s", ms_errname(errno));
	ASSERT_EQ(0, ms_info(cli2, &info));

	if (variant->wake == 0) {
		ASSERT_EQ(5, write(cli2, "hello", 5));
	} else {
		/* the read is still there after the close, then interrupted */
		ASSERT_TRUE(blocked_in_read(c.tid, srv, variant->ioctl));
		ASSERT_EQ(0, pthread_kill(thr, SIGUSR2));
	}
	ASSERT_EQ(0, pthread_join(thr, NULL));
	if (variant->wake == 0) {
		ASSERT_EQ(5, c.ret) TH_LOG("read: %s", ms_errname(c.err));
		ASSERT_EQ(0, memcmp(c.buf, "hello", 5));
	} else {
		ASSERT_EQ(-1, c.ret);
		ASSERT_EQ(EINTR, c.err) TH_LOG("got %s", ms_errname(c.err));
	}
	/* the read has returned: the slot is destroyed */
	ASSERT_ERRNO(EPIPE, write(cli, "late", 4));
	ASSERT_ERRNO(EPIPE, write(cli2, "late", 4));
	ASSERT_ERRNO(EPIPE, ms_info(cli, &info));
	ASSERT_ERRNO(ENOENT, ms_open(self->dev, self->name, 0));
	again = ms_create(self->dev, self->name, 0, 0, 0);
	ASSERT_LE(0, again);
	/* the old clients do not reach the new slot */
	ASSERT_ERRNO(EPIPE, write(cli, "old", 3));
	ASSERT_EQ(0, ms_info(again, &info));
	ASSERT_EQ(0U, info.msg_count);
	close(again);
	close(cli);
	close(cli2);
	sigaction(SIGUSR2, &old, NULL);
}

TEST_HARNESS_MAIN
