// SPDX-License-Identifier: GPL-2.0
/*
 * mailslot_io: write(2) on clients, read(2) / MAILSLOT_IOC_READ on the
 * server: whole messages, order, sizes, zero-length messages, EMSGSIZE,
 * EFAULT (message kept), EBADF on the wrong side, GET_INFO accounting,
 * and the Win32 GetMailslotInfo golden sequence.
 */
#include "mailslot_test.h"

FIXTURE(slot) {
	int dev, srv, cli;
	char name[128];
};

/* Every read-side test runs with read(2) and with MAILSLOT_IOC_READ. */
FIXTURE_VARIANT(slot) {
	bool ioctl_read;
};

FIXTURE_VARIANT_ADD(slot, read) {
	.ioctl_read = false,
};

FIXTURE_VARIANT_ADD(slot, ioctl) {
	.ioctl_read = true,
};

FIXTURE_SETUP(slot)
{
	self->srv = self->cli = -1;
	self->dev = ms_dev_open();
	if (self->dev < 0)
		SETUP_SKIP("%s: %s (module not loaded?)", MS_DEV, strerror(errno));
	ms_name(self->name, sizeof(self->name), "io");
	/* timeout 0: an empty read fails at once with ETIMEDOUT */
	self->srv = ms_create(self->dev, self->name, 0, 0, 0);
	ASSERT_LE(0, self->srv) TH_LOG("create: %s", ms_errname(errno));
	self->cli = ms_open(self->dev, self->name, 0);
	ASSERT_LE(0, self->cli) TH_LOG("open: %s", ms_errname(errno));
}

FIXTURE_TEARDOWN(slot)
{
	if (self->cli >= 0)
		close(self->cli);
	if (self->srv >= 0)
		close(self->srv);
	if (self->dev >= 0)
		close(self->dev);
}

/*
 * One read, by read(2) or MAILSLOT_IOC_READ (slot timeout: flags 0).
 * With the ioctl, *msg_len gets the reported length (or stays ~0 when
 * the ioctl did not report one).
 */
static ssize_t do_read(int fd, bool use_ioctl, void *buf, size_t len,
		       __u32 *msg_len)
{
	__u32 ml = 0xffffffff;
	ssize_t r;

	if (!use_ioctl) {
		r = read(fd, buf, len);
	} else {
		r = ms_read_ioctl(fd, buf, (__u32)len, 0, 0, &ml);
	}
	if (msg_len)
		*msg_len = ml;
	return r;
}

#define READ(buf, len, ml) do_read(self->srv, variant->ioctl_read, buf, len, ml)

TEST_F(slot, write_read_one)
{
	char buf[64];
	__u32 ml;

	memset(buf, 0xcc, sizeof(buf));
	ASSERT_EQ(11, write(self->cli, "hello world", 11));
	ASSERT_EQ(11, READ(buf, sizeof(buf), &ml));
	ASSERT_EQ(0, memcmp(buf, "hello world", 11));
	/* Nothing written past the message. */
	ASSERT_EQ((char)0xcc, buf[11]);
	if (variant->ioctl_read) {
		ASSERT_EQ(11U, ml);
	}
	ASSERT_ERRNO(ETIMEDOUT, READ(buf, sizeof(buf), NULL));
}

TEST_F(slot, exact_size_buffer)
{
	char buf[5];

	ASSERT_EQ(5, write(self->cli, "12345", 5));
	ASSERT_EQ(5, READ(buf, 5, NULL));
	ASSERT_EQ(0, memcmp(buf, "12345", 5));
}

/* Messages are never merged or split, and come out oldest first. */
TEST_F(slot, boundaries_and_order)
{
	static const size_t sizes[] = { 1, 2, 0, 3, 100, 0, 0, 4096, 7, 65536,
					1, 4095, 4097, 0, 12345 };
	const unsigned int n = sizeof(sizes) / sizeof(sizes[0]);
	unsigned char *buf = malloc(65536 + 16);
	struct mailslot_info info;
	unsigned long long total = 0;
	unsigned int i;
	__u32 ml;

	ASSERT_NE(NULL, buf);
	for (i = 0; i < n; i++) {
		fill_pat(buf, sizes[i], i);
		ASSERT_EQ((ssize_t)sizes[i], write(self->cli, buf, sizes[i]))
			TH_LOG("msg %u: %s", i, ms_errname(errno));
		total += sizes[i];
		ASSERT_EQ(0, ms_info(self->srv, &info));
		ASSERT_EQ(i + 1, info.msg_count);
		ASSERT_EQ(total, info.queued_bytes);
		ASSERT_EQ(sizes[0], info.next_size);
	}
	for (i = 0; i < n; i++) {
		memset(buf, 0xcc, 65536 + 16);
		ASSERT_EQ((ssize_t)sizes[i], READ(buf, 65536 + 16, &ml))
			TH_LOG("msg %u: %s", i, ms_errname(errno));
		ASSERT_TRUE(check_pat(buf, sizes[i], i)) TH_LOG("msg %u corrupt", i);
		ASSERT_EQ(0xcc, buf[sizes[i]]);
		if (variant->ioctl_read) {
			ASSERT_EQ(sizes[i], ml);
		}
		total -= sizes[i];
		ASSERT_EQ(0, ms_info(self->srv, &info));
		ASSERT_EQ(n - i - 1, info.msg_count);
		ASSERT_EQ(total, info.queued_bytes);
		ASSERT_EQ(i + 1 < n ? (__u32)sizes[i + 1] : MAILSLOT_NO_MESSAGE,
			  info.next_size);
	}
	free(buf);
}

TEST_F(slot, zero_length_message)
{
	struct mailslot_info info;
	char buf[8];
	__u32 ml;

	ASSERT_EQ(0, write(self->cli, buf, 0));
	ASSERT_EQ(0, ms_info(self->srv, &info));
	ASSERT_EQ(1U, info.msg_count);
	ASSERT_EQ(0U, info.next_size);
	ASSERT_EQ(0U, info.queued_bytes);
	/* Any buffer, even an empty one, takes it. */
	ASSERT_EQ(0, READ(buf, 0, &ml));
	if (variant->ioctl_read) {
		ASSERT_EQ(0U, ml);
	}
	ASSERT_EQ(0, ms_info(self->srv, &info));
	ASSERT_EQ(0U, info.msg_count);
	ASSERT_EQ(MAILSLOT_NO_MESSAGE, info.next_size);
	ASSERT_ERRNO(ETIMEDOUT, READ(buf, sizeof(buf), NULL));

	ASSERT_EQ(0, write(self->cli, buf, 0));
	ASSERT_EQ(0, READ(buf, sizeof(buf), NULL));
}

/* Buffer too small: EMSGSIZE, nothing copied, message stays at the head. */
TEST_F(slot, short_buffer_emsgsize)
{
	struct mailslot_info info;
	char buf[16];
	__u32 ml;

	ASSERT_EQ(10, write(self->cli, "0123456789", 10));
	ASSERT_EQ(3, write(self->cli, "abc", 3));

	memset(buf, 0xcc, sizeof(buf));
	ASSERT_ERRNO(EMSGSIZE, READ(buf, 9, &ml));
	if (variant->ioctl_read) {
		ASSERT_EQ(10U, ml) TH_LOG("msg_len must report the head's size");
	}
	ASSERT_ERRNO(EMSGSIZE, READ(buf, 1, NULL));
	ASSERT_ERRNO(EMSGSIZE, READ(buf, 0, NULL));
	ASSERT_ERRNO(EMSGSIZE, READ(bad_ptr(0), 0, NULL));
	for (unsigned int i = 0; i < sizeof(buf); i++) {
		ASSERT_EQ((char)0xcc, buf[i]) TH_LOG("byte %u written", i);
	}

	ASSERT_EQ(0, ms_info(self->srv, &info));
	ASSERT_EQ(2U, info.msg_count);
	ASSERT_EQ(10U, info.next_size);
	ASSERT_EQ(13U, info.queued_bytes);

	ASSERT_EQ(10, READ(buf, 10, NULL));
	ASSERT_EQ(0, memcmp(buf, "0123456789", 10));
	ASSERT_EQ(3, READ(buf, 3, NULL));
	ASSERT_EQ(0, memcmp(buf, "abc", 3));
}

/* A fault while copying out loses nothing. */
TEST_F(slot, read_efault_keeps_message)
{
	unsigned char *pages = guard_pages();
	struct mailslot_info info;
	char buf[64];

	ASSERT_NE(NULL, pages);
	ASSERT_EQ(32, write(self->cli, "0123456789abcdef0123456789ABCDEF", 32));

	ASSERT_ERRNO(EFAULT, READ(bad_ptr(0), 64, NULL));
	ASSERT_ERRNO(EFAULT, READ(bad_ptr(1), 64, NULL));
	ASSERT_ERRNO(EFAULT, READ(guard_boundary(pages), 64, NULL));
	/* Half the buffer is valid, half faults. */
	ASSERT_ERRNO(EFAULT, READ(guard_boundary(pages) - 16, 64, NULL));
	/* Read-only memory. */
	ASSERT_EQ(0, mprotect(pages, sysconf(_SC_PAGESIZE), PROT_READ));
	ASSERT_ERRNO(EFAULT, READ(pages, 64, NULL));

	ASSERT_EQ(0, ms_info(self->srv, &info));
	ASSERT_EQ(1U, info.msg_count);
	ASSERT_EQ(32U, info.next_size);
	ASSERT_EQ(32U, info.queued_bytes);
	ASSERT_EQ(32, READ(buf, sizeof(buf), NULL));
	ASSERT_EQ(0, memcmp(buf, "0123456789abcdef0123456789ABCDEF", 32));
}

/* A buffer ending exactly at the guard page is fine. */
TEST_F(slot, buffers_at_page_end)
{
	unsigned char *pages = guard_pages();
	unsigned char *p;

	ASSERT_NE(NULL, pages);
	p = guard_boundary(pages) - 100;
	fill_pat(p, 100, 7);
	ASSERT_EQ(100, write(self->cli, p, 100));
	memset(p, 0, 100);
	ASSERT_EQ(100, READ(p, 100, NULL));
	ASSERT_TRUE(check_pat(p, 100, 7));
}

TEST_F(slot, write_efault_queues_nothing)
{
	unsigned char *pages = guard_pages();
	struct mailslot_info info;
	char buf[8];

	ASSERT_NE(NULL, pages);
	ASSERT_ERRNO(EFAULT, write(self->cli, bad_ptr(0), 10));
	ASSERT_ERRNO(EFAULT, write(self->cli, bad_ptr(1), 10));
	ASSERT_ERRNO(EFAULT, write(self->cli, guard_boundary(pages), 10));
	ASSERT_ERRNO(EFAULT, write(self->cli, guard_boundary(pages) - 5, 10));
	ASSERT_EQ(0, ms_info(self->srv, &info));
	ASSERT_EQ(0U, info.msg_count);
	ASSERT_EQ(0U, info.queued_bytes);
	ASSERT_EQ(MAILSLOT_NO_MESSAGE, info.next_size);
	ASSERT_ERRNO(ETIMEDOUT, READ(buf, sizeof(buf), NULL));
	/* The slot still works. */
	ASSERT_EQ(1, write(self->cli, "z", 1));
	ASSERT_EQ(1, READ(buf, sizeof(buf), NULL));
}

/* Slot max_msg_size: EMSGSIZE above it, nothing queued. */
TEST_F(slot, write_emsgsize_slot_limit)
{
	static const __u32 limits[] = { 1, 16, 4096 };
	unsigned char *buf = malloc(16384);
	struct mailslot_info info;
	char name[128];
	unsigned int i;
	int srv, cli;

	ASSERT_NE(NULL, buf);
	for (i = 0; i < 3; i++) {
		__u32 lim = limits[i];

		ms_name(name, sizeof(name), "io-limit");
		srv = ms_create(self->dev, name, lim, 0, 0);
		ASSERT_LE(0, srv);
		cli = ms_open(self->dev, name, 0);
		ASSERT_LE(0, cli);
		fill_pat(buf, lim + 1, lim);
		ASSERT_ERRNO(EMSGSIZE, write(cli, buf, lim + 1));
		ASSERT_ERRNO(EMSGSIZE, write(cli, buf, 2 * lim + 100));
		ASSERT_EQ(0, ms_info(srv, &info));
		ASSERT_EQ(0U, info.msg_count);
		ASSERT_EQ((ssize_t)lim, write(cli, buf, lim));
		ASSERT_EQ(0, write(cli, buf, 0));
		ASSERT_EQ(0, ms_info(srv, &info));
		ASSERT_EQ(2U, info.msg_count);
		ASSERT_EQ(lim, info.max_msg_size);
		memset(buf, 0, lim);
		ASSERT_EQ((ssize_t)lim, do_read(srv, variant->ioctl_read, buf, 16384, NULL));
		ASSERT_TRUE(check_pat(buf, lim, lim));
		close(cli);
		close(srv);
	}
	free(buf);
}

/* Slot max 0 (or larger than the module's): the module limit applies. */
TEST_F(slot, write_emsgsize_module_limit)
{
	long long mod_max = ms_param_get("max_msg_size");
	static const __u32 slot_max[] = { 0, 0xffffffff };
	unsigned char *buf;
	char name[128];
	unsigned int i;
	int srv, cli;

	if (mod_max <= 0)
		SKIP(return, "cannot read %s/max_msg_size", MS_PARAMS);
	if (mod_max > 16 << 20)
		SKIP(return, "max_msg_size %lld too large to test", mod_max);
	buf = malloc(mod_max + 1);
	ASSERT_NE(NULL, buf);
	fill_pat(buf, mod_max + 1, 3);
	for (i = 0; i < 2; i++) {
		struct mailslot_info info;

		ms_name(name, sizeof(name), "io-modlimit");
		srv = ms_create(self->dev, name, slot_max[i], 0, 0);
		ASSERT_LE(0, srv);
		cli = ms_open(self->dev, name, 0);
		ASSERT_LE(0, cli);
		ASSERT_ERRNO(EMSGSIZE, write(cli, buf, mod_max + 1));
		ASSERT_EQ(mod_max, write(cli, buf, mod_max))
			TH_LOG("%lld-byte write: %s", mod_max, ms_errname(errno));
		ASSERT_EQ(0, ms_info(srv, &info));
		ASSERT_EQ(slot_max[i], info.max_msg_size);
		ASSERT_EQ(1U, info.msg_count);
		ASSERT_EQ((__u64)mod_max, info.queued_bytes);
		ASSERT_EQ(mod_max, do_read(srv, variant->ioctl_read, buf, mod_max + 1, NULL));
		ASSERT_TRUE(check_pat(buf, mod_max, 3));
		close(cli);
		close(srv);
	}
	free(buf);
}

/* Writes from several clients queue in write order. */
TEST_F(slot, several_clients)
{
	int c2 = ms_open(self->dev, self->name, 0);
	int c3 = ms_open(self->dev, self->name, MAILSLOT_F_NONBLOCK);
	struct mailslot_info info;
	char buf[8];

	ASSERT_LE(0, c2);
	ASSERT_LE(0, c3);
	ASSERT_EQ(1, write(c2, "2", 1));
	ASSERT_EQ(1, write(self->cli, "1", 1));
	ASSERT_EQ(1, write(c3, "3", 1));
	ASSERT_EQ(2, write(c2, "22", 2));
	/* Clients see the same queue. */
	ASSERT_EQ(0, ms_info(c3, &info));
	ASSERT_EQ(4U, info.msg_count);
	ASSERT_EQ(5U, info.queued_bytes);
	ASSERT_EQ(1U, info.next_size);
	ASSERT_EQ(1, READ(buf, 8, NULL));
	ASSERT_EQ('2', buf[0]);
	ASSERT_EQ(1, READ(buf, 8, NULL));
	ASSERT_EQ('1', buf[0]);
	ASSERT_EQ(1, READ(buf, 8, NULL));
	ASSERT_EQ('3', buf[0]);
	ASSERT_EQ(2, READ(buf, 8, NULL));
	ASSERT_EQ(0, memcmp(buf, "22", 2));
	close(c2);
	close(c3);
}

/* The server only reads, clients only write. */
TEST_F(slot, wrong_side_ebadf)
{
	char buf[8] = "x";
	__u32 tmo = 5;

	ASSERT_ERRNO(EBADF, write(self->srv, buf, 1));
	ASSERT_ERRNO(EBADF, write(self->srv, buf, 0));
	ASSERT_ERRNO(EBADF, read(self->cli, buf, sizeof(buf)));
	ASSERT_ERRNO(EBADF, ms_read_ioctl(self->cli, buf, sizeof(buf), 0, 0, NULL));
	ASSERT_ERRNO(EBADF, ms_read_ioctl(self->cli, buf, sizeof(buf),
					  MAILSLOT_READ_NONBLOCK, 0, NULL));
	ASSERT_ERRNO(EBADF, ioctl(self->cli, MAILSLOT_IOC_SET_TIMEOUT, &tmo));
	/* Nothing got queued by the failed calls. */
	ASSERT_ERRNO(ETIMEDOUT, READ(buf, sizeof(buf), NULL));
}

TEST_F(slot, get_info_client_matches_server)
{
	struct mailslot_info si, ci;

	ASSERT_EQ(3, write(self->cli, "abc", 3));
	ASSERT_EQ(0, write(self->cli, "", 0));
	ASSERT_EQ(0, ms_info(self->srv, &si));
	ASSERT_EQ(0, ms_info(self->cli, &ci));
	ASSERT_EQ(0, memcmp(&si, &ci, sizeof(si)));
	ASSERT_EQ(2U, ci.msg_count);
	ASSERT_EQ(3U, ci.next_size);
	ASSERT_EQ(3U, ci.queued_bytes);
	ASSERT_EQ(0U, ci.read_timeout_ms);
	ASSERT_EQ(0U, ci.reserved[0]);
	ASSERT_EQ(0U, ci.reserved[1]);
}

/*
 * Win32 golden sequence (semantics doc 5.1, Wine kernel32 mailslot test
 * items 32-46): GET_INFO (next, count) after every step.
 */
TEST_F(slot, win32_golden_sequence)
{
	int c2 = ms_open(self->dev, self->name, 0);
	struct mailslot_info info;
	char buf[16];

	ASSERT_LE(0, c2);
#define STATE(_next, _count) do {					\
		ASSERT_EQ(0, ms_info(self->srv, &info));		\
		ASSERT_EQ((__u32)(_next), info.next_size);		\
		ASSERT_EQ((__u32)(_count), info.msg_count);		\
		ASSERT_EQ(0U, info.max_msg_size);			\
		ASSERT_EQ(0U, info.read_timeout_ms);			\
	} while (0)

	STATE(MAILSLOT_NO_MESSAGE, 0);
	ASSERT_ERRNO(ETIMEDOUT, READ(buf, sizeof(buf), NULL));
	ASSERT_EQ(1, write(self->cli, "a", 1));
	STATE(1, 1);
	ASSERT_EQ(2, write(c2, "bc", 2));
	STATE(1, 2);
	ASSERT_EQ(0, write(c2, buf, 0));
	STATE(1, 3);
	ASSERT_EQ(1, READ(buf, sizeof(buf), NULL));
	ASSERT_EQ('a', buf[0]);
	STATE(2, 2);
	ASSERT_EQ(2, READ(buf, sizeof(buf), NULL));
	ASSERT_EQ(0, memcmp(buf, "bc", 2));
	STATE(0, 1);
	ASSERT_EQ(0, READ(buf, sizeof(buf), NULL));
	STATE(MAILSLOT_NO_MESSAGE, 0);
	ASSERT_ERRNO(ETIMEDOUT, READ(buf, sizeof(buf), NULL));
	/* items 47-49: a too-small buffer keeps the message */
	ASSERT_EQ(2, write(self->cli, buf, 2));
	ASSERT_ERRNO(EMSGSIZE, READ(buf, 1, NULL));
	STATE(2, 1);
#undef STATE
	close(c2);
	/* item 51: closing with a message queued is fine */
}

/* A message of every size around the page size, intact. */
TEST_F(slot, sizes_around_page)
{
	unsigned char *buf = malloc(3 * (4096 + 2));
	size_t len;

	ASSERT_NE(NULL, buf);
	for (len = 4096 - 2; len <= 4096 + 2; len++) {
		size_t l2;

		for (l2 = len; l2 <= 3 * len; l2 += len) {
			fill_pat(buf, l2, l2);
			ASSERT_EQ((ssize_t)l2, write(self->cli, buf, l2));
			memset(buf, 0, l2);
			ASSERT_EQ((ssize_t)l2, READ(buf, 3 * (4096 + 2), NULL));
			ASSERT_TRUE(check_pat(buf, l2, l2)) TH_LOG("len %zu", l2);
		}
	}
	free(buf);
}

TEST_HARNESS_MAIN
