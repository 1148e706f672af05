// SPDX-License-Identifier: GPL-2.0
/*
 * mailslot_stress: NW writer processes send NM messages each, carrying
 * (writer id, sequence, length, checksum), to one slot read by 1 or 3
 * threads sharing the server fd.  Exact accounting: every message read
 * exactly once, intact, and in per-writer order (per reader thread; with
 * one reader, exactly 0..NM-1).  Plus a create/open/write/destroy race
 * on a few shared names, where only the documented errors may occur.
 */
#include "mailslot_test.h"

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

TEST_HARNESS_MAIN
