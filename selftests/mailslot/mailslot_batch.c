// SPDX-License-Identifier: GPL-2.0
/*
 * MAILSLOT_IOC_READ_BATCH: many whole messages per call, boundaries kept,
 * nothing taken unless everything was copied out.
 * MAILSLOT_IOC_WRITE_BATCH: many messages per call, each one whole, in
 * order, stopping at the first that cannot be queued.
 */
#include "mailslot_test.h"

FIXTURE(batch) {
	int dev, srv, cli;
};

FIXTURE_SETUP(batch)
{
	char name[64];

	self->dev = ms_dev_open();
	if (self->dev < 0)
		SETUP_SKIP("no %s", MS_DEV);
	ms_name(name, sizeof(name), "batch");
	self->srv = ms_create(self->dev, name, 0, 0, 0);
	ASSERT_LE(0, self->srv);
	self->cli = ms_open(self->dev, name, 0);
	ASSERT_LE(0, self->cli);
}

FIXTURE_TEARDOWN(batch)
{
	close(self->cli);
	close(self->srv);
	close(self->dev);
}

static void msg_count(struct __test_metadata *_metadata, int fd, __u32 count,
		      __u32 next)
{
	struct mailslot_info info;

	ASSERT_EQ(0, ms_info(fd, &info));
	ASSERT_EQ(count, info.msg_count);
	ASSERT_EQ(next, info.next_size);
}

/* Boundaries, zero-length messages and order survive a batch. */
TEST_F(batch, keeps_boundaries)
{
	__u32 lens[8];
	char buf[64];

	ASSERT_EQ(1, write(self->cli, "a", 1));
	ASSERT_EQ(0, write(self->cli, "", 0));
	ASSERT_EQ(3, write(self->cli, "bcd", 3));
	memset(lens, 0xcc, sizeof(lens));
	ASSERT_EQ(3, ms_read_batch(self->srv, buf, sizeof(buf), lens, 8, 0, 0));
	ASSERT_EQ(1U, lens[0]);
	ASSERT_EQ(0U, lens[1]);
	ASSERT_EQ(3U, lens[2]);
	ASSERT_EQ(0xccccccccU, lens[3]);
	ASSERT_EQ(0, memcmp(buf, "abcd", 4));
	msg_count(_metadata, self->srv, 0, MAILSLOT_NO_MESSAGE);
}

/* Only whole messages: what does not fit stays queued, first in line. */
TEST_F(batch, stops_at_room)
{
	__u32 lens[2];
	char buf[8];

	ASSERT_EQ(4, write(self->cli, "1234", 4));
	ASSERT_EQ(3, write(self->cli, "567", 3));
	ASSERT_EQ(5, write(self->cli, "89abc", 5));
	ASSERT_EQ(1, write(self->cli, "d", 1));
	/* buffer room: 4 + 3 fit, 5 does not */
	ASSERT_EQ(2, ms_read_batch(self->srv, buf, sizeof(buf), lens, 2, 0, 0));
	ASSERT_EQ(0, memcmp(buf, "1234567", 7));
	msg_count(_metadata, self->srv, 2, 5);
	/* lens room: one message */
	ASSERT_EQ(1, ms_read_batch(self->srv, buf, sizeof(buf), lens, 1, 0, 0));
	ASSERT_EQ(5U, lens[0]);
	msg_count(_metadata, self->srv, 1, 1);
}

/* The first message alone does not fit: EMSGSIZE, nothing taken. */
TEST_F(batch, first_too_big)
{
	__u32 lens[4];
	char buf[4];

	ASSERT_EQ(5, write(self->cli, "hello", 5));
	ASSERT_EQ(1, write(self->cli, "x", 1));
	ASSERT_ERRNO(EMSGSIZE, ms_read_batch(self->srv, buf, sizeof(buf),
					     lens, 4, 0, 0));
	msg_count(_metadata, self->srv, 2, 5);
}

/* A fault anywhere in the batch takes nothing. */
TEST_F(batch, fault_takes_nothing)
{
	size_t page = sysconf(_SC_PAGESIZE);
	char *map, buf[16];
	__u32 lens[4];

	map = mmap(NULL, 2 * page, PROT_READ | PROT_WRITE,
		   MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	ASSERT_NE(MAP_FAILED, map);
	ASSERT_EQ(0, munmap(map + page, page));
	ASSERT_EQ(4, write(self->cli, "abcd", 4));
	ASSERT_EQ(4, write(self->cli, "efgh", 4));
	/* the second payload would land past the end of the mapping */
	ASSERT_ERRNO(EFAULT, ms_read_batch(self->srv, map + page - 6, 16, lens,
					   4, 0, 0));
	msg_count(_metadata, self->srv, 2, 4);
	/* an unwritable lens array */
	ASSERT_ERRNO(EFAULT, ms_read_batch(self->srv, buf, sizeof(buf),
					   (__u32 *)(map + page), 4, 0, 0));
	msg_count(_metadata, self->srv, 2, 4);
	ASSERT_EQ(2, ms_read_batch(self->srv, buf, sizeof(buf), lens, 4, 0, 0));
	ASSERT_EQ(0, memcmp(buf, "abcdefgh", 8));
	munmap(map, page);
}

TEST_F(batch, empty_and_bad_args)
{
	struct mailslot_read_batch b;
	__u32 lens[1];
	char buf[4];

	/* timeout 0 */
	ASSERT_ERRNO(ETIMEDOUT, ms_read_batch(self->srv, buf, 4, lens, 1, 0, 0));
	ASSERT_ERRNO(EAGAIN, ms_read_batch(self->srv, buf, 4, lens, 1,
					   MAILSLOT_READ_NONBLOCK, 0));
	/* a deadline in the past */
	ASSERT_ERRNO(ETIMEDOUT, ms_read_batch(self->srv, buf, 4, lens, 1,
					      MAILSLOT_READ_DEADLINE, 1));
	ASSERT_ERRNO(EINVAL, ms_read_batch(self->srv, buf, 4, lens, 0, 0, 0));
	ASSERT_ERRNO(EINVAL, ms_read_batch(self->srv, buf, 4, lens, 1, 0x4, 0));
	memset(&b, 0, sizeof(b));
	b.buf = (uintptr_t)buf;
	b.buf_len = 4;
	b.lens = (uintptr_t)lens;
	b.max_msgs = 1;
	b.pad = 1;
	ASSERT_ERRNO(EINVAL, ioctl(self->srv, MAILSLOT_IOC_READ_BATCH, &b));
	b.pad = 0;
	b.reserved[1] = 1;
	ASSERT_ERRNO(EINVAL, ioctl(self->srv, MAILSLOT_IOC_READ_BATCH, &b));
	ASSERT_ERRNO(EFAULT, ioctl(self->srv, MAILSLOT_IOC_READ_BATCH, NULL));
	/* writers do not read */
	ASSERT_ERRNO(EBADF, ms_read_batch(self->cli, buf, 4, lens, 1, 0, 0));
}

/* A batch read waits for its first message like a plain read. */
TEST_F(batch, waits_for_first)
{
	uint64_t deadline = now_ns() + 10ULL * 1000000000ULL;
	__u32 lens[4];
	char buf[16];
	pid_t pid;
	int status;

	pid = fork();
	ASSERT_LE(0, pid);
	if (pid == 0) {
		/* correct whether or not the parent is already asleep */
		wait_sleeping(getppid(), getppid());
		_exit(write(self->cli, "late", 4) == 4 ? 0 : 1);
	}
	ASSERT_EQ(1, ms_read_batch(self->srv, buf, sizeof(buf), lens, 4,
				   MAILSLOT_READ_DEADLINE, deadline));
	ASSERT_EQ(4U, lens[0]);
	ASSERT_EQ(0, memcmp(buf, "late", 4));
	ASSERT_EQ(pid, waitpid(pid, &status, 0));
	ASSERT_EQ(0, status);
}

/* Batches drain a long queue in order, each message exactly once. */
TEST_F(batch, drains_in_order)
{
	__u32 lens[37], seq, got = 0, i;
	char buf[37 * sizeof(seq)];
	int n;

	for (seq = 0; seq < 1000; seq++)
		ASSERT_EQ((ssize_t)sizeof(seq), write(self->cli, &seq, sizeof(seq)));
	while (got < 1000) {
		n = ms_read_batch(self->srv, buf, sizeof(buf), lens, 37, 0, 0);
		ASSERT_LT(0, n);
		for (i = 0; i < (__u32)n; i++) {
			ASSERT_EQ((__u32)sizeof(seq), lens[i]);
			memcpy(&seq, buf + i * sizeof(seq), sizeof(seq));
			ASSERT_EQ(got, seq);
			got++;
		}
	}
	msg_count(_metadata, self->srv, 0, MAILSLOT_NO_MESSAGE);
}

/* A write batch queues whole messages in order, zero-length ones too. */
TEST_F(batch, write_batch_in_order)
{
	const __u32 lens[4] = { 1, 0, 3, 2 };
	char buf[16];

	ASSERT_EQ(4, ms_write_batch(self->cli, "abcdef", lens, 4));
	msg_count(_metadata, self->srv, 4, 1);
	ASSERT_EQ(1, read(self->srv, buf, sizeof(buf)));
	ASSERT_EQ('a', buf[0]);
	ASSERT_EQ(0, read(self->srv, buf, sizeof(buf)));
	ASSERT_EQ(3, read(self->srv, buf, sizeof(buf)));
	ASSERT_EQ(0, memcmp(buf, "bcd", 3));
	ASSERT_EQ(2, read(self->srv, buf, sizeof(buf)));
	ASSERT_EQ(0, memcmp(buf, "ef", 2));
	msg_count(_metadata, self->srv, 0, MAILSLOT_NO_MESSAGE);
}

/*
 * The batch stops at the first message that cannot be queued: the ones
 * before it are queued, it and the ones after are not, and sending it
 * alone says why.
 */
TEST_F(batch, write_batch_stops_at_bad_message)
{
	const __u32 lens[3] = { 4, 9, 4 };
	char name[64], buf[16];
	int srv, cli;

	ms_name(name, sizeof(name), "wbatch-max");
	srv = ms_create(self->dev, name, 8, 0, 0);
	ASSERT_LE(0, srv);
	cli = ms_open(self->dev, name, 0);
	ASSERT_LE(0, cli);
	ASSERT_EQ(1, ms_write_batch(cli, "abcdefghijklmnopq", lens, 3));
	msg_count(_metadata, srv, 1, 4);
	ASSERT_ERRNO(EMSGSIZE, ms_write_batch(cli, "efghijklmnopq", lens + 1, 2));
	msg_count(_metadata, srv, 1, 4);
	ASSERT_EQ(4, read(srv, buf, sizeof(buf)));
	ASSERT_EQ(0, memcmp(buf, "abcd", 4));
	close(cli);
	close(srv);
}

/* A payload or length that faults ends the batch there. */
TEST_F(batch, write_batch_fault)
{
	unsigned char *page = guard_pages(), *edge;
	__u32 lens[2] = { 4, 4 };
	char buf[16];

	ASSERT_NE(NULL, page);
	edge = guard_boundary(page);

	/* the second payload crosses into the guard page */
	memcpy(edge - 6, "abcdef", 6);
	ASSERT_EQ(1, ms_write_batch(self->cli, edge - 6, lens, 2));
	ASSERT_ERRNO(EFAULT, ms_write_batch(self->cli, edge - 2, lens, 1));
	/* an unreadable lens array, wholly or from its second entry */
	ASSERT_ERRNO(EFAULT, ms_write_batch(self->cli, "abcd", (__u32 *)edge, 1));
	memcpy(edge - 4, lens, 4);
	ASSERT_EQ(1, ms_write_batch(self->cli, "abcdefgh", (__u32 *)(edge - 4), 2));
	ASSERT_ERRNO(EFAULT, ms_write_batch(self->cli, NULL, lens, 1));
	msg_count(_metadata, self->srv, 2, 4);
	ASSERT_EQ(4, read(self->srv, buf, sizeof(buf)));
	ASSERT_EQ(0, memcmp(buf, "abcd", 4));
	ASSERT_EQ(4, read(self->srv, buf, sizeof(buf)));
	ASSERT_EQ(0, memcmp(buf, "abcd", 4));
	munmap(page, 2 * sysconf(_SC_PAGESIZE));
}

/* A batch bigger than the slot's room queues what fits, then ENOBUFS. */
TEST_F(batch, write_batch_slot_full)
{
	long long slot_max = ms_param_get("slot_max_bytes");
	long long overhead = ms_param_get("msg_overhead");
	long long msg_max = ms_param_get("max_msg_size");
	__u32 size, fit, lens[MAILSLOT_WRITE_BATCH_MAX], i;
	char *buf;

	ASSERT_LT(0, slot_max);
	ASSERT_LT(0, overhead);
	ASSERT_LT(0, msg_max);
	/* messages as big as allowed, so that the slot fills in one batch */
	size = msg_max;
	fit = slot_max / (size + overhead);
	if (fit + 1 > MAILSLOT_WRITE_BATCH_MAX) {
		size = slot_max / (MAILSLOT_WRITE_BATCH_MAX / 2) - overhead;
		fit = slot_max / (size + overhead);
	}
	ASSERT_LT(0U, fit);
	ASSERT_GT((__u32)MAILSLOT_WRITE_BATCH_MAX, fit);
	buf = calloc(fit + 1, size);
	ASSERT_NE(NULL, buf);
	for (i = 0; i < fit + 1; i++)
		lens[i] = size;
	ASSERT_EQ((int)fit, ms_write_batch(self->cli, buf, lens, fit + 1));
	msg_count(_metadata, self->srv, fit, size);
	ASSERT_ERRNO(ENOBUFS, ms_write_batch(self->cli, buf, lens, 1));
	msg_count(_metadata, self->srv, fit, size);
	free(buf);
}

TEST_F(batch, write_batch_bad_args)
{
	struct mailslot_write_batch b;
	__u32 lens[1] = { 1 };

	ASSERT_ERRNO(EINVAL, ms_write_batch(self->cli, "a", lens, 0));
	ASSERT_ERRNO(EINVAL, ms_write_batch(self->cli, "a", lens,
					    MAILSLOT_WRITE_BATCH_MAX + 1));
	memset(&b, 0, sizeof(b));
	b.buf = (uintptr_t)"a";
	b.lens = (uintptr_t)lens;
	b.count = 1;
	b.flags = 1;
	ASSERT_ERRNO(EINVAL, ioctl(self->cli, MAILSLOT_IOC_WRITE_BATCH, &b));
	b.flags = 0;
	b.reserved[0] = 1;
	ASSERT_ERRNO(EINVAL, ioctl(self->cli, MAILSLOT_IOC_WRITE_BATCH, &b));
	ASSERT_ERRNO(EFAULT, ioctl(self->cli, MAILSLOT_IOC_WRITE_BATCH, NULL));
	/* the server does not write */
	ASSERT_ERRNO(EBADF, ms_write_batch(self->srv, "a", lens, 1));
	ASSERT_ERRNO(ENOTTY, ms_write_batch(self->dev, "a", lens, 1));
	msg_count(_metadata, self->srv, 0, MAILSLOT_NO_MESSAGE);
	/* a destroyed slot */
	close(self->srv);
	ASSERT_ERRNO(EPIPE, ms_write_batch(self->cli, "a", lens, 1));
	self->srv = open("/dev/null", O_RDONLY);
}

/*
 * Small and large messages mixed in both directions: every payload lands
 * where it belongs, whichever way the kernel moves it.
 */
TEST_F(batch, mixed_sizes_both_ways)
{
	static const __u32 sizes[] = { 3, 600, 0, 512, 513, 1, 4000, 2, 5000,
				       511, 0, 64 };
	enum { N = sizeof(sizes) / sizeof(sizes[0]) };
	__u32 lens[N], total = 0, off = 0, i;
	unsigned char *in, *out;

	for (i = 0; i < N; i++)
		total += sizes[i];
	in = malloc(total);
	out = malloc(total);
	ASSERT_NE(NULL, in);
	ASSERT_NE(NULL, out);
	for (i = 0; i < N; off += sizes[i], i++)
		fill_pat(in + off, sizes[i], i);
	ASSERT_EQ(N, ms_write_batch(self->cli, in, sizes, N));
	/* twice over: the first half by plain reads, the rest in one batch */
	for (i = 0, off = 0; i < N / 2; off += sizes[i], i++) {
		ASSERT_EQ((ssize_t)sizes[i], read(self->srv, out + off, total));
		ASSERT_TRUE(check_pat(out + off, sizes[i], i)) TH_LOG("message %u", i);
	}
	memset(lens, 0xcc, sizeof(lens));
	ASSERT_EQ(N - N / 2, ms_read_batch(self->srv, out + off, total - off,
					   lens, N, 0, 0));
	for (; i < N; off += sizes[i], i++) {
		ASSERT_EQ(sizes[i], lens[i - N / 2]);
		ASSERT_TRUE(check_pat(out + off, sizes[i], i)) TH_LOG("message %u", i);
	}
	msg_count(_metadata, self->srv, 0, MAILSLOT_NO_MESSAGE);
	free(in);
	free(out);
}

/* A batch write wakes a reader that sleeps for the first message. */
TEST_F(batch, write_batch_wakes_reader)
{
	uint64_t deadline = now_ns() + 10ULL * 1000000000ULL;
	const __u32 wl[3] = { 2, 2, 2 };
	__u32 lens[4];
	char buf[16];
	pid_t pid;
	int n, got = 0;

	pid = fork();
	ASSERT_LE(0, pid);
	if (pid == 0) {
		wait_sleeping(getppid(), getppid());
		_exit(ms_write_batch(self->cli, "abcdef", wl, 3) == 3 ? 0 : 1);
	}
	while (got < 3) {
		n = ms_read_batch(self->srv, buf + 2 * got, sizeof(buf) - 2 * got,
				  lens, 4, MAILSLOT_READ_DEADLINE, deadline);
		ASSERT_LT(0, n);
		got += n;
	}
	ASSERT_EQ(0, memcmp(buf, "abcdef", 6));
	ASSERT_EQ(0, wait_child(pid));
}

TEST_HARNESS_MAIN
