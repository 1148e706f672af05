// SPDX-License-Identifier: GPL-2.0
/*
 * mailslot_uapi: the binary interface.  Struct sizes and offsets (also
 * under i386 alignment rules, so 32-bit callers share the layout), ioctl
 * numbers, ENOTTY for unknown commands on every kind of fd, EINVAL for
 * unknown flags and non-zero pad/reserved fields, EFAULT for bad
 * pointers, and GET_INFO / MAILSLOT_IOC_READ writing every output byte.
 */
#include "mailslot_test.h"

#include <assert.h>
#include <stddef.h>
#include <termios.h>

/* ---- compile-time layout checks ---- */

static_assert(sizeof(struct mailslot_create) == 48, "mailslot_create size");
static_assert(sizeof(struct mailslot_open) == 32, "mailslot_open size");
static_assert(sizeof(struct mailslot_info) == 40, "mailslot_info size");
static_assert(sizeof(struct mailslot_read) == 48, "mailslot_read size");
static_assert(sizeof(struct mailslot_read_batch) == 56, "mailslot_read_batch size");
static_assert(sizeof(struct mailslot_write) == 32, "mailslot_write size");
static_assert(sizeof(struct mailslot_write_batch) == 40, "mailslot_write_batch size");

/* The same structs with i386's 4-byte alignment of 64-bit members. */
typedef __u64 __attribute__((aligned(4))) u64_i386;

struct create_i386 {
	u64_i386 name;
	__u32 name_len, max_msg_size, read_timeout_ms, flags, mode, pad;
	u64_i386 reserved[2];
};
struct open_i386 {
	u64_i386 name;
	__u32 name_len, flags;
	u64_i386 reserved[2];
};
struct info_i386 {
	__u32 max_msg_size, next_size, msg_count, read_timeout_ms;
	u64_i386 queued_bytes;
	u64_i386 reserved[2];
};
struct read_i386 {
	u64_i386 buf;
	__u32 buf_len, flags;
	u64_i386 deadline_ns;
	__u32 msg_len, pad;
	u64_i386 reserved[2];
};

#define SAME(a, b, f) static_assert(offsetof(struct a, f) == offsetof(struct b, f), #a "." #f)
SAME(mailslot_create, create_i386, name);
SAME(mailslot_create, create_i386, name_len);
SAME(mailslot_create, create_i386, max_msg_size);
SAME(mailslot_create, create_i386, read_timeout_ms);
SAME(mailslot_create, create_i386, flags);
SAME(mailslot_create, create_i386, mode);
SAME(mailslot_create, create_i386, pad);
SAME(mailslot_create, create_i386, reserved);
SAME(mailslot_open, open_i386, name);
SAME(mailslot_open, open_i386, name_len);
SAME(mailslot_open, open_i386, flags);
SAME(mailslot_open, open_i386, reserved);
SAME(mailslot_info, info_i386, max_msg_size);
SAME(mailslot_info, info_i386, next_size);
SAME(mailslot_info, info_i386, msg_count);
SAME(mailslot_info, info_i386, read_timeout_ms);
SAME(mailslot_info, info_i386, queued_bytes);
SAME(mailslot_info, info_i386, reserved);
SAME(mailslot_read, read_i386, buf);
SAME(mailslot_read, read_i386, buf_len);
SAME(mailslot_read, read_i386, flags);
SAME(mailslot_read, read_i386, deadline_ns);
SAME(mailslot_read, read_i386, msg_len);
SAME(mailslot_read, read_i386, pad);
SAME(mailslot_read, read_i386, reserved);
static_assert(sizeof(struct create_i386) == 48, "i386 create");
static_assert(sizeof(struct open_i386) == 32, "i386 open");
static_assert(sizeof(struct info_i386) == 40, "i386 info");
static_assert(sizeof(struct read_i386) == 48, "i386 read");

/* No implicit padding: the members add up to the size. */
static_assert(8 + 6 * 4 + 2 * 8 == sizeof(struct mailslot_create), "create holes");
static_assert(8 + 2 * 4 + 2 * 8 == sizeof(struct mailslot_open), "open holes");
static_assert(4 * 4 + 8 + 2 * 8 == sizeof(struct mailslot_info), "info holes");
static_assert(8 + 2 * 4 + 8 + 2 * 4 + 2 * 8 == sizeof(struct mailslot_read), "read holes");
static_assert(8 + 2 * 4 + 8 + 8 + 2 * 4 + 2 * 8 == sizeof(struct mailslot_read_batch),
	      "read_batch holes");
static_assert(8 + 2 * 4 + 2 * 8 == sizeof(struct mailslot_write), "write holes");
static_assert(8 + 8 + 2 * 4 + 2 * 8 == sizeof(struct mailslot_write_batch),
	      "write_batch holes");

/* ---- run-time checks ---- */

TEST(ioctl_numbers)
{
	/* _IOC(dir, 0xB9, nr, size): the ABI, spelled out */
	EXPECT_EQ(0x4030b900U, (unsigned int)MAILSLOT_IOC_CREATE);
	EXPECT_EQ(0x4020b901U, (unsigned int)MAILSLOT_IOC_OPEN);
	EXPECT_EQ(0x8028b902U, (unsigned int)MAILSLOT_IOC_GET_INFO);
	EXPECT_EQ(0x4004b903U, (unsigned int)MAILSLOT_IOC_SET_TIMEOUT);
	EXPECT_EQ(0xc030b904U, (unsigned int)MAILSLOT_IOC_READ);
	EXPECT_EQ(0xc038b905U, (unsigned int)MAILSLOT_IOC_READ_BATCH);
	EXPECT_EQ(0x4020b906U, (unsigned int)MAILSLOT_IOC_WRITE);
	EXPECT_EQ(0x4028b907U, (unsigned int)MAILSLOT_IOC_WRITE_BATCH);
	EXPECT_EQ(0xB9U, _IOC_TYPE(MAILSLOT_IOC_READ));
	EXPECT_EQ(_IOC_WRITE, _IOC_DIR(MAILSLOT_IOC_CREATE));
	EXPECT_EQ(_IOC_READ, _IOC_DIR(MAILSLOT_IOC_GET_INFO));
	EXPECT_EQ(_IOC_READ | _IOC_WRITE, _IOC_DIR(MAILSLOT_IOC_READ));
}

TEST(constants)
{
	EXPECT_EQ(1024, MAILSLOT_NAME_MAX);
	EXPECT_EQ(0xffffffffU, MAILSLOT_WAIT_FOREVER);
	EXPECT_EQ(0xffffffffU, MAILSLOT_NO_MESSAGE);
	EXPECT_EQ(1, MAILSLOT_F_CLOEXEC);
	EXPECT_EQ(2, MAILSLOT_F_NONBLOCK);
	EXPECT_EQ(3, MAILSLOT_F_ALL);
	EXPECT_EQ(0200, MAILSLOT_MODE_OWNER);
	EXPECT_EQ(0020, MAILSLOT_MODE_GROUP);
	EXPECT_EQ(0002, MAILSLOT_MODE_OTHER);
	EXPECT_EQ(0222, MAILSLOT_MODE_ALL);
	EXPECT_EQ(1, MAILSLOT_READ_NONBLOCK);
	EXPECT_EQ(2, MAILSLOT_READ_DEADLINE);
	EXPECT_EQ(3, MAILSLOT_READ_ALL);
	EXPECT_EQ(1024, MAILSLOT_WRITE_BATCH_MAX);
}

FIXTURE(u) {
	int dev, srv, cli;
	char name[128];
};

FIXTURE_SETUP(u)
{
	self->srv = self->cli = -1;
	self->dev = ms_dev_open();
	if (self->dev < 0)
		SETUP_SKIP("%s: %s (module not loaded?)", MS_DEV, strerror(errno));
	ms_name(self->name, sizeof(self->name), "uapi");
	self->srv = ms_create(self->dev, self->name, 0, 0, 0);
	ASSERT_LE(0, self->srv);
	self->cli = ms_open(self->dev, self->name, 0);
	ASSERT_LE(0, self->cli);
}

FIXTURE_TEARDOWN(u)
{
	if (self->cli >= 0)
		close(self->cli);
	if (self->srv >= 0)
		close(self->srv);
	if (self->dev >= 0)
		close(self->dev);
}

/* Commands nobody implements, for every fd kind. */
static const unsigned long unknown_cmds[] = {
	_IO(MAILSLOT_IOC_MAGIC, 0x05),
	_IO(MAILSLOT_IOC_MAGIC, 0x0f),
	_IOWR(MAILSLOT_IOC_MAGIC, 0x05, struct mailslot_read),
	_IOR(MAILSLOT_IOC_MAGIC, 0x7f, __u64),
	/* known numbers with the wrong size or direction */
	_IOW(MAILSLOT_IOC_MAGIC, 0x00, struct mailslot_open),
	_IOWR(MAILSLOT_IOC_MAGIC, 0x00, struct mailslot_create),
	_IOW(MAILSLOT_IOC_MAGIC, 0x01, struct mailslot_create),
	_IOW(MAILSLOT_IOC_MAGIC, 0x02, struct mailslot_info),
	_IOR(MAILSLOT_IOC_MAGIC, 0x02, struct mailslot_read),
	_IOW(MAILSLOT_IOC_MAGIC, 0x03, __u64),
	_IOR(MAILSLOT_IOC_MAGIC, 0x03, __u32),
	_IOW(MAILSLOT_IOC_MAGIC, 0x04, struct mailslot_read),
	_IOWR(MAILSLOT_IOC_MAGIC, 0x04, struct mailslot_info),
	_IOW(MAILSLOT_IOC_MAGIC, 0x07, struct mailslot_write),
	_IOWR(MAILSLOT_IOC_MAGIC, 0x07, struct mailslot_write_batch),
	/* other types */
	_IOW(0xBA, 0x00, struct mailslot_create),
	_IOWR(0xB8, 0x04, struct mailslot_read),
	TCGETS,
	TIOCGWINSZ,
	0,
};

static void all_unknown_enotty(struct __test_metadata *_metadata, int fd,
			       const char *what)
{
	unsigned char arg[256];
	unsigned int i;

	for (i = 0; i < sizeof(unknown_cmds) / sizeof(unknown_cmds[0]); i++) {
		memset(arg, 0, sizeof(arg));
		EXPECT_ERRNO(ENOTTY, ioctl(fd, unknown_cmds[i], arg))
			TH_LOG("%s: cmd %#lx", what, unknown_cmds[i]);
	}
}

TEST_F(u, unknown_ioctl_enotty)
{
	struct mailslot_create c = { 0 };
	struct mailslot_open o = { 0 };
	struct mailslot_info info;
	__u32 v = 0;

	all_unknown_enotty(_metadata, self->dev, "/dev/mailslot");
	all_unknown_enotty(_metadata, self->srv, "server");
	all_unknown_enotty(_metadata, self->cli, "client");

	/* each fd kind only knows its own commands */
	EXPECT_ERRNO(ENOTTY, ioctl(self->dev, MAILSLOT_IOC_GET_INFO, &info));
	EXPECT_ERRNO(ENOTTY, ioctl(self->dev, MAILSLOT_IOC_SET_TIMEOUT, &v));
	EXPECT_ERRNO(ENOTTY, ms_read_ioctl(self->dev, &v, 4, 0, 0, NULL));
	c.name = (uintptr_t)self->name;
	c.name_len = strlen(self->name);
	o = (struct mailslot_open){ .name = c.name, .name_len = c.name_len };
	EXPECT_ERRNO(ENOTTY, ioctl(self->srv, MAILSLOT_IOC_CREATE, &c));
	EXPECT_ERRNO(ENOTTY, ioctl(self->srv, MAILSLOT_IOC_OPEN, &o));
	EXPECT_ERRNO(ENOTTY, ioctl(self->cli, MAILSLOT_IOC_CREATE, &c));
	EXPECT_ERRNO(ENOTTY, ioctl(self->cli, MAILSLOT_IOC_OPEN, &o));
	/* the server's known ioctls on the client: EBADF */
	EXPECT_ERRNO(EBADF, ioctl(self->cli, MAILSLOT_IOC_SET_TIMEOUT, &v));
	EXPECT_ERRNO(EBADF, ms_read_ioctl(self->cli, &v, 4, 0, 0, NULL));
}

/* An unknown command on a destroyed slot's client is still ENOTTY. */
TEST_F(u, unknown_ioctl_dead_client)
{
	close(self->srv);
	self->srv = -1;
	all_unknown_enotty(_metadata, self->cli, "dead client");
}

TEST_F(u, read_ioctl_bad_fields_einval)
{
	struct mailslot_info info;
	struct mailslot_read r;
	unsigned int bit;
	char buf[16];

	ASSERT_EQ(3, write(self->cli, "msg", 3));
	memset(&r, 0, sizeof(r));
	r.buf = (uintptr_t)buf;
	r.buf_len = sizeof(buf);
	for (bit = 0; bit < 32; bit++) {
		if ((1u << bit) & MAILSLOT_READ_ALL)
			continue;
		r.flags = 1u << bit;
		EXPECT_ERRNO(EINVAL, ioctl(self->srv, MAILSLOT_IOC_READ, &r))
			TH_LOG("flag bit %u", bit);
		r.flags = MAILSLOT_READ_NONBLOCK | (1u << bit);
		EXPECT_ERRNO(EINVAL, ioctl(self->srv, MAILSLOT_IOC_READ, &r))
			TH_LOG("flag bit %u", bit);
	}
	r.flags = 0;
	r.pad = 1;
	EXPECT_ERRNO(EINVAL, ioctl(self->srv, MAILSLOT_IOC_READ, &r));
	r.pad = 0;
	r.reserved[0] = 1;
	EXPECT_ERRNO(EINVAL, ioctl(self->srv, MAILSLOT_IOC_READ, &r));
	r.reserved[0] = 0;
	r.reserved[1] = 1ULL << 40;
	EXPECT_ERRNO(EINVAL, ioctl(self->srv, MAILSLOT_IOC_READ, &r));
	r.reserved[1] = 0;
	/* nothing was consumed */
	ASSERT_EQ(0, ms_info(self->srv, &info));
	ASSERT_EQ(1U, info.msg_count);
	r.msg_len = 0;
	ASSERT_EQ(3, ioctl(self->srv, MAILSLOT_IOC_READ, &r));
	ASSERT_EQ(3U, r.msg_len);
}

/* Without READ_DEADLINE, deadline_ns is ignored (any value). */
TEST_F(u, read_ioctl_deadline_ignored_without_flag)
{
	char buf[8];

	ASSERT_EQ(1, write(self->cli, "d", 1));
	ASSERT_EQ(1, ms_read_ioctl(self->srv, buf, sizeof(buf), 0, 12345, NULL));
	ASSERT_EQ(1, write(self->cli, "d", 1));
	ASSERT_EQ(1, ms_read_ioctl(self->srv, buf, sizeof(buf),
				   MAILSLOT_READ_NONBLOCK, UINT64_MAX, NULL));
}

TEST_F(u, bad_pointers_efault)
{
	unsigned char *pages = guard_pages();
	unsigned char *end;
	struct mailslot_info info;
	char buf[8];

	ASSERT_NE(NULL, pages);
	end = guard_boundary(pages);
	ASSERT_EQ(2, write(self->cli, "ef", 2));

	EXPECT_ERRNO(EFAULT, ioctl(self->srv, MAILSLOT_IOC_GET_INFO, bad_ptr(0)));
	EXPECT_ERRNO(EFAULT, ioctl(self->cli, MAILSLOT_IOC_GET_INFO, bad_ptr(0)));
	EXPECT_ERRNO(EFAULT, ioctl(self->srv, MAILSLOT_IOC_GET_INFO, end - 20));
	EXPECT_ERRNO(EFAULT, ioctl(self->srv, MAILSLOT_IOC_SET_TIMEOUT, bad_ptr(0)));
	EXPECT_ERRNO(EFAULT, ioctl(self->srv, MAILSLOT_IOC_SET_TIMEOUT, end - 2));
	EXPECT_ERRNO(EFAULT, ioctl(self->srv, MAILSLOT_IOC_READ, bad_ptr(0)));
	EXPECT_ERRNO(EFAULT, ioctl(self->srv, MAILSLOT_IOC_READ, end - 24));
	EXPECT_ERRNO(EFAULT, ioctl(self->srv, MAILSLOT_IOC_READ, bad_ptr(0xffffffff81000000UL)));
	EXPECT_ERRNO(EFAULT, ioctl(self->dev, MAILSLOT_IOC_CREATE, bad_ptr(1)));
	/* read-only output struct */
	ASSERT_EQ(0, mprotect(pages, sysconf(_SC_PAGESIZE), PROT_READ));
	EXPECT_ERRNO(EFAULT, ioctl(self->srv, MAILSLOT_IOC_GET_INFO, pages));
	ASSERT_EQ(0, mprotect(pages, sysconf(_SC_PAGESIZE), PROT_READ | PROT_WRITE));
	/* the READ buffer */
	EXPECT_ERRNO(EFAULT, ms_read_ioctl(self->srv, bad_ptr(0), 8, 0, 0, NULL));
	EXPECT_ERRNO(EFAULT, ms_read_ioctl(self->srv, end - 1, 8, 0, 0, NULL));
	/* none of it consumed the message */
	ASSERT_EQ(0, ms_info(self->srv, &info));
	ASSERT_EQ(1U, info.msg_count);
	ASSERT_EQ(2, ms_read_ioctl(self->srv, buf, sizeof(buf), 0, 0, NULL));
}

/* Structures ending right at an unmapped page: exactly their size used. */
TEST_F(u, structs_at_page_end)
{
	unsigned char *pages = guard_pages();
	struct mailslot_info *info;
	struct mailslot_read *r;
	__u32 *tmo;
	char buf[8];

	ASSERT_NE(NULL, pages);
	info = (void *)(guard_boundary(pages) - sizeof(*info));
	ASSERT_EQ(0, ioctl(self->srv, MAILSLOT_IOC_GET_INFO, info));
	ASSERT_EQ(0, ioctl(self->cli, MAILSLOT_IOC_GET_INFO, info));
	tmo = (void *)(guard_boundary(pages) - sizeof(*tmo));
	*tmo = 77;
	ASSERT_EQ(0, ioctl(self->srv, MAILSLOT_IOC_SET_TIMEOUT, tmo));
	ASSERT_EQ(0, ms_set_timeout(self->srv, 0));
	ASSERT_EQ(1, write(self->cli, "p", 1));
	r = (void *)(guard_boundary(pages) - sizeof(*r));
	memset(r, 0, sizeof(*r));
	r->buf = (uintptr_t)buf;
	r->buf_len = sizeof(buf);
	ASSERT_EQ(1, ioctl(self->srv, MAILSLOT_IOC_READ, r));
	ASSERT_EQ(1U, r->msg_len);
}

/* Every byte of GET_INFO's output is written, reserved ones as zero. */
static void info_fully_written(struct __test_metadata *_metadata, int fd,
			       const struct mailslot_info *want)
{
	union {
		struct mailslot_info info;
		unsigned char bytes[sizeof(struct mailslot_info) + 8];
	} u;
	unsigned int i;

	memset(&u, 0xcc, sizeof(u));
	ASSERT_EQ(0, ioctl(fd, MAILSLOT_IOC_GET_INFO, &u.info));
	ASSERT_EQ(0, memcmp(&u.info, want, sizeof(*want)))
		TH_LOG("max %u next %u count %u tmo %u queued %llu res %llx %llx",
		       u.info.max_msg_size, u.info.next_size, u.info.msg_count,
		       u.info.read_timeout_ms, (unsigned long long)u.info.queued_bytes,
		       (unsigned long long)u.info.reserved[0],
		       (unsigned long long)u.info.reserved[1]);
	/* and nothing after the struct */
	for (i = sizeof(struct mailslot_info); i < sizeof(u.bytes); i++) {
		ASSERT_EQ(0xcc, u.bytes[i]);
	}
}

TEST_F(u, get_info_writes_every_byte)
{
	struct mailslot_info want;
	int srv, cli;
	char name[128];

	memset(&want, 0, sizeof(want));
	want.next_size = MAILSLOT_NO_MESSAGE;
	info_fully_written(_metadata, self->srv, &want);
	info_fully_written(_metadata, self->cli, &want);

	ASSERT_EQ(5, write(self->cli, "12345", 5));
	ASSERT_EQ(0, write(self->cli, "", 0));
	want.next_size = 5;
	want.msg_count = 2;
	want.queued_bytes = 5;
	info_fully_written(_metadata, self->srv, &want);
	info_fully_written(_metadata, self->cli, &want);

	/* all-ones values */
	ms_name(name, sizeof(name), "uapi-ones");
	srv = ms_create(self->dev, name, 0xffffffff, MAILSLOT_WAIT_FOREVER, 0);
	ASSERT_LE(0, srv);
	cli = ms_open(self->dev, name, 0);
	ASSERT_LE(0, cli);
	memset(&want, 0, sizeof(want));
	want.max_msg_size = 0xffffffff;
	want.next_size = MAILSLOT_NO_MESSAGE;
	want.read_timeout_ms = MAILSLOT_WAIT_FOREVER;
	info_fully_written(_metadata, srv, &want);
	info_fully_written(_metadata, cli, &want);
	close(cli);
	close(srv);
}

TEST_F(u, get_info_dead_client_epipe)
{
	struct mailslot_info info;

	close(self->srv);
	self->srv = -1;
	memset(&info, 0xcc, sizeof(info));
	ASSERT_ERRNO(EPIPE, ioctl(self->cli, MAILSLOT_IOC_GET_INFO, &info));
}

/* READ writes msg_len on success and on EMSGSIZE, and only msg_len. */
TEST_F(u, read_ioctl_output)
{
	struct mailslot_read r, before;
	char buf[16];

	ASSERT_EQ(6, write(self->cli, "abcdef", 6));
	memset(&r, 0, sizeof(r));
	r.buf = (uintptr_t)buf;
	r.buf_len = 3;
	r.msg_len = 0xcccccccc;
	before = r;
	ASSERT_ERRNO(EMSGSIZE, ioctl(self->srv, MAILSLOT_IOC_READ, &r));
	ASSERT_EQ(6U, r.msg_len);
	r.msg_len = before.msg_len;
	ASSERT_EQ(0, memcmp(&r, &before, sizeof(r)));

	r.buf_len = sizeof(buf);
	r.msg_len = 0xcccccccc;
	before = r;
	ASSERT_EQ(6, ioctl(self->srv, MAILSLOT_IOC_READ, &r));
	ASSERT_EQ(6U, r.msg_len);
	r.msg_len = before.msg_len;
	ASSERT_EQ(0, memcmp(&r, &before, sizeof(r)));

	/* zero-length message: msg_len 0, buf_len 0 is enough */
	ASSERT_EQ(0, write(self->cli, "", 0));
	r.buf_len = 0;
	r.msg_len = 0xcccccccc;
	ASSERT_EQ(0, ioctl(self->srv, MAILSLOT_IOC_READ, &r));
	ASSERT_EQ(0U, r.msg_len);
}

static int ms_write_ioctl(int fd, const void *buf, __u32 len)
{
	struct mailslot_write w;

	memset(&w, 0, sizeof(w));
	w.buf = (uintptr_t)buf;
	w.len = len;
	return ioctl(fd, MAILSLOT_IOC_WRITE, &w);
}

/* MAILSLOT_IOC_WRITE is write(2), but only a client fd accepts it. */
TEST_F(u, write_ioctl)
{
	struct mailslot_write w;
	struct mailslot_info info;
	char buf[8];
	int pipefd[2];

	ASSERT_EQ(3, ms_write_ioctl(self->cli, "abc", 3));
	ASSERT_EQ(0, ms_write_ioctl(self->cli, "", 0));
	ASSERT_EQ(0, ms_info(self->srv, &info));
	ASSERT_EQ(2U, info.msg_count);
	ASSERT_EQ(3U, info.next_size);

	EXPECT_ERRNO(EBADF, ms_write_ioctl(self->srv, "x", 1));
	EXPECT_ERRNO(ENOTTY, ms_write_ioctl(self->dev, "x", 1));
	ASSERT_EQ(0, pipe(pipefd));
	EXPECT_ERRNO(ENOTTY, ms_write_ioctl(pipefd[1], "x", 1));
	close(pipefd[0]);
	close(pipefd[1]);

	memset(&w, 0, sizeof(w));
	w.buf = (uintptr_t)"x";
	w.len = 1;
	w.flags = 1;
	EXPECT_ERRNO(EINVAL, ioctl(self->cli, MAILSLOT_IOC_WRITE, &w));
	w.flags = 0;
	w.reserved[1] = 1;
	EXPECT_ERRNO(EINVAL, ioctl(self->cli, MAILSLOT_IOC_WRITE, &w));
	EXPECT_ERRNO(EFAULT, ioctl(self->cli, MAILSLOT_IOC_WRITE, NULL));
	EXPECT_ERRNO(EFAULT, ms_write_ioctl(self->cli, bad_ptr(0), 4));
	EXPECT_ERRNO(EMSGSIZE, ms_write_ioctl(self->cli, buf, 0x7fffffff));
	/* none of the failures queued anything */
	ASSERT_EQ(0, ms_info(self->srv, &info));
	ASSERT_EQ(2U, info.msg_count);

	ASSERT_EQ(3, read(self->srv, buf, sizeof(buf)));
	ASSERT_EQ(0, memcmp(buf, "abc", 3));
	ASSERT_EQ(0, read(self->srv, buf, sizeof(buf)));

	close(self->srv);
	self->srv = -1;
	EXPECT_ERRNO(EPIPE, ms_write_ioctl(self->cli, "x", 1));
}

TEST_HARNESS_MAIN
