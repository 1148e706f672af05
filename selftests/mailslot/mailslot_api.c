// SPDX-License-Identifier: GPL-2.0
/*
 * mailslot_api: /dev/mailslot, MAILSLOT_IOC_CREATE and MAILSLOT_IOC_OPEN:
 * the fds they return, names (validation, case folding, uniqueness) and
 * their errors.
 */
#include "mailslot_test.h"

FIXTURE(dev) {
	int dev;
	char name[128];
};

FIXTURE_SETUP(dev)
{
	self->dev = ms_dev_open();
	if (self->dev < 0)
		SETUP_SKIP("%s: %s (module not loaded?)", MS_DEV, strerror(errno));
	ms_name(self->name, sizeof(self->name), "api");
}

FIXTURE_TEARDOWN(dev)
{
	if (self->dev >= 0)
		close(self->dev);
}

TEST(device_node)
{
	struct stat st;

	if (stat(MS_DEV, &st))
		SKIP(return, "%s: %s", MS_DEV, strerror(errno));
	ASSERT_TRUE(S_ISCHR(st.st_mode));
	ASSERT_EQ(0666U, st.st_mode & 07777);
}

/* /dev/mailslot has no read/write methods and only two ioctls. */
TEST_F(dev, device_fd_ops)
{
	struct mailslot_info info;
	char buf[8] = "x";
	__u32 v = 0;
	ssize_t r;

	errno = 0;
	r = read(self->dev, buf, sizeof(buf));
	EXPECT_EQ(-1, r);
	EXPECT_TRUE(errno == EINVAL || errno == EBADF)
		TH_LOG("read: %s", ms_errname(errno));
	errno = 0;
	r = write(self->dev, buf, 1);
	EXPECT_EQ(-1, r);
	EXPECT_TRUE(errno == EINVAL || errno == EBADF)
		TH_LOG("write: %s", ms_errname(errno));
	EXPECT_ERRNO(ENOTTY, ioctl(self->dev, MAILSLOT_IOC_GET_INFO, &info));
	EXPECT_ERRNO(ENOTTY, ioctl(self->dev, MAILSLOT_IOC_SET_TIMEOUT, &v));
	EXPECT_ERRNO(ENOTTY, ms_read_ioctl(self->dev, buf, sizeof(buf), 0, 0, NULL));
	EXPECT_ERRNO(ENOTTY, ioctl(self->dev, _IO(MAILSLOT_IOC_MAGIC, 0x0f)));
}

TEST_F(dev, server_fd_flags)
{
	int srv, fl;

	srv = ms_create_full(self->dev, self->name, strlen(self->name), 0, 0, 0, 0);
	ASSERT_LE(0, srv) TH_LOG("create: %s", ms_errname(errno));
	fl = fcntl(srv, F_GETFL);
	ASSERT_NE(-1, fl);
	EXPECT_EQ(O_RDONLY, fl & O_ACCMODE);
	EXPECT_EQ(0, fl & O_NONBLOCK);
	EXPECT_EQ(0, fcntl(srv, F_GETFD) & FD_CLOEXEC);
	close(srv);

	srv = ms_create_full(self->dev, self->name, strlen(self->name), 0, 0,
			     MAILSLOT_F_CLOEXEC, 0);
	ASSERT_LE(0, srv) TH_LOG("create: %s", ms_errname(errno));
	EXPECT_EQ(FD_CLOEXEC, fcntl(srv, F_GETFD) & FD_CLOEXEC);
	EXPECT_EQ(0, fcntl(srv, F_GETFL) & O_NONBLOCK);
	close(srv);

	srv = ms_create_full(self->dev, self->name, strlen(self->name), 0, 0,
			     MAILSLOT_F_NONBLOCK, 0);
	ASSERT_LE(0, srv) TH_LOG("create: %s", ms_errname(errno));
	EXPECT_EQ(0, fcntl(srv, F_GETFD) & FD_CLOEXEC);
	fl = fcntl(srv, F_GETFL);
	EXPECT_EQ(O_NONBLOCK, fl & O_NONBLOCK);
	EXPECT_EQ(O_RDONLY, fl & O_ACCMODE);
	close(srv);

	srv = ms_create_full(self->dev, self->name, strlen(self->name), 0, 0,
			     MAILSLOT_F_ALL, 0);
	ASSERT_LE(0, srv) TH_LOG("create: %s", ms_errname(errno));
	EXPECT_EQ(FD_CLOEXEC, fcntl(srv, F_GETFD) & FD_CLOEXEC);
	EXPECT_EQ(O_NONBLOCK, fcntl(srv, F_GETFL) & O_NONBLOCK);
	close(srv);
}

TEST_F(dev, client_fd_flags)
{
	int srv, cli, fl;

	srv = ms_create(self->dev, self->name, 0, 0, 0);
	ASSERT_LE(0, srv) TH_LOG("create: %s", ms_errname(errno));

	cli = ms_open_full(self->dev, self->name, strlen(self->name), 0);
	ASSERT_LE(0, cli) TH_LOG("open: %s", ms_errname(errno));
	ASSERT_NE(srv, cli);
	fl = fcntl(cli, F_GETFL);
	EXPECT_EQ(O_WRONLY, fl & O_ACCMODE);
	EXPECT_EQ(0, fl & O_NONBLOCK);
	EXPECT_EQ(0, fcntl(cli, F_GETFD) & FD_CLOEXEC);
	close(cli);

	cli = ms_open_full(self->dev, self->name, strlen(self->name),
			   MAILSLOT_F_CLOEXEC);
	ASSERT_LE(0, cli);
	EXPECT_EQ(FD_CLOEXEC, fcntl(cli, F_GETFD) & FD_CLOEXEC);
	EXPECT_EQ(0, fcntl(cli, F_GETFL) & O_NONBLOCK);
	close(cli);

	cli = ms_open_full(self->dev, self->name, strlen(self->name),
			   MAILSLOT_F_NONBLOCK);
	ASSERT_LE(0, cli);
	EXPECT_EQ(0, fcntl(cli, F_GETFD) & FD_CLOEXEC);
	EXPECT_EQ(O_NONBLOCK, fcntl(cli, F_GETFL) & O_NONBLOCK);
	EXPECT_EQ(O_WRONLY, fcntl(cli, F_GETFL) & O_ACCMODE);
	close(cli);
	close(srv);
}

/* GET_INFO reports what CREATE was given, verbatim. */
TEST_F(dev, create_parameters_reported)
{
	static const __u32 sizes[] = { 0, 1, 424, 65536, 65537, 0x7fffffff,
				       0xfffffffe, 0xffffffff };
	static const __u32 tmos[] = { 0, 1, 1000, 0x7fffffff, 0xfffffffe,
				      MAILSLOT_WAIT_FOREVER };
	struct mailslot_info info;
	unsigned int i;
	int srv;

	for (i = 0; i < sizeof(sizes) / sizeof(sizes[0]); i++) {
		__u32 tmo = tmos[i % (sizeof(tmos) / sizeof(tmos[0]))];

		srv = ms_create(self->dev, self->name, sizes[i], tmo, 0);
		ASSERT_LE(0, srv) TH_LOG("max %u: %s", sizes[i], ms_errname(errno));
		ASSERT_EQ(0, ms_info(srv, &info));
		EXPECT_EQ(sizes[i], info.max_msg_size);
		EXPECT_EQ(tmo, info.read_timeout_ms);
		EXPECT_EQ(MAILSLOT_NO_MESSAGE, info.next_size);
		EXPECT_EQ(0U, info.msg_count);
		EXPECT_EQ(0U, info.queued_bytes);
		EXPECT_EQ(0U, info.reserved[0]);
		EXPECT_EQ(0U, info.reserved[1]);
		close(srv);
	}
}

TEST_F(dev, every_mode_accepted)
{
	__u32 mode;
	int srv;

	for (mode = 0; mode <= MAILSLOT_MODE_ALL; mode++) {
		if (mode & ~MAILSLOT_MODE_ALL)
			continue;
		srv = ms_create_full(self->dev, self->name, strlen(self->name),
				     0, 0, 0, mode);
		ASSERT_LE(0, srv) TH_LOG("mode %#o: %s", mode, ms_errname(errno));
		close(srv);
	}
}

TEST_F(dev, open_missing_enoent)
{
	ASSERT_ERRNO(ENOENT, ms_open(self->dev, self->name, 0));
	ASSERT_ERRNO(ENOENT, ms_open(self->dev, "kselftest\\no\\such\\slot", 0));
}

TEST_F(dev, create_duplicate_eexist)
{
	char longer[160];
	int srv, srv2, dev2;

	srv = ms_create(self->dev, self->name, 0, 0, 0);
	ASSERT_LE(0, srv);
	ASSERT_ERRNO(EEXIST, ms_create(self->dev, self->name, 0, 0, 0));
	/* Parameters do not matter. */
	ASSERT_ERRNO(EEXIST, ms_create_full(self->dev, self->name,
					    strlen(self->name), 100, 5,
					    MAILSLOT_F_NONBLOCK, 0));
	/* Through another /dev/mailslot open as well. */
	dev2 = ms_dev_open();
	ASSERT_LE(0, dev2);
	ASSERT_ERRNO(EEXIST, ms_create(dev2, self->name, 0, 0, 0));
	close(dev2);
	/* A prefix or an extension of the name is another name. */
	snprintf(longer, sizeof(longer), "%s\\x", self->name);
	srv2 = ms_create(self->dev, longer, 0, 0, 0);
	ASSERT_LE(0, srv2) TH_LOG("%s: %s", longer, ms_errname(errno));
	close(srv2);
	srv2 = ms_create_full(self->dev, self->name,
			      strrchr(self->name, '\\') - self->name, 0, 0, 0, 0);
	ASSERT_LE(0, srv2) TH_LOG("prefix: %s", ms_errname(errno));
	close(srv2);
	close(srv);
}

/* ASCII letters fold; everything else compares exactly. */
TEST_F(dev, names_case_insensitive)
{
	char upper[128], buf[8];
	struct mailslot_info info;
	int srv, cli;
	size_t i;

	snprintf(self->name, sizeof(self->name), "KSelfTest\\Case\\%d\\MiXeD_a-Z",
		 (int)getpid());
	srv = ms_create(self->dev, self->name, 0, 0, 0);
	ASSERT_LE(0, srv);

	for (i = 0; self->name[i]; i++)
		upper[i] = (self->name[i] >= 'a' && self->name[i] <= 'z') ?
			   self->name[i] - 32 : self->name[i];
	upper[i] = 0;
	ASSERT_ERRNO(EEXIST, ms_create(self->dev, upper, 0, 0, 0));
	for (i = 0; upper[i]; i++)
		if (upper[i] >= 'A' && upper[i] <= 'Z')
			upper[i] += 32;
	ASSERT_ERRNO(EEXIST, ms_create(self->dev, upper, 0, 0, 0));

	/* Opening under another case reaches the same slot. */
	cli = ms_open(self->dev, upper, 0);
	ASSERT_LE(0, cli) TH_LOG("open %s: %s", upper, ms_errname(errno));
	ASSERT_EQ(3, write(cli, "abc", 3));
	ASSERT_EQ(0, ms_info(srv, &info));
	ASSERT_EQ(1U, info.msg_count);
	ASSERT_EQ(3, read(srv, buf, sizeof(buf)));
	close(cli);
	close(srv);
}

TEST_F(dev, names_nonascii_exact)
{
	/* Latin-1 A-umlaut / a-umlaut and UTF-8 sequences: no folding. */
	char a[64], b[64], c[64];
	int s1, s2, s3;

	snprintf(a, sizeof(a), "kselftest\\\xc4\\%d", (int)getpid());
	snprintf(b, sizeof(b), "kselftest\\\xe4\\%d", (int)getpid());
	snprintf(c, sizeof(c), "kselftest\\\xc3\xa4\\%d", (int)getpid());
	s1 = ms_create(self->dev, a, 0, 0, 0);
	ASSERT_LE(0, s1) TH_LOG("%s", ms_errname(errno));
	s2 = ms_create(self->dev, b, 0, 0, 0);
	ASSERT_LE(0, s2) TH_LOG("0xe4 folded onto 0xc4? %s", ms_errname(errno));
	s3 = ms_create(self->dev, c, 0, 0, 0);
	ASSERT_LE(0, s3) TH_LOG("%s", ms_errname(errno));
	/* '@' (0x40) and '`' (0x60) differ by 0x20 but are not letters. */
	snprintf(a, sizeof(a), "kselftest\\@\\%d", (int)getpid());
	snprintf(b, sizeof(b), "kselftest\\`\\%d", (int)getpid());
	close(s1);
	close(s2);
	s1 = ms_create(self->dev, a, 0, 0, 0);
	ASSERT_LE(0, s1);
	s2 = ms_create(self->dev, b, 0, 0, 0);
	ASSERT_LE(0, s2) TH_LOG("'`' folded onto '@'? %s", ms_errname(errno));
	/* Likewise '[' / '{' and ']' / '}'. */
	snprintf(a, sizeof(a), "kselftest\\[]\\%d", (int)getpid());
	snprintf(b, sizeof(b), "kselftest\\{}\\%d", (int)getpid());
	close(s3);
	s3 = ms_create(self->dev, a, 0, 0, 0);
	ASSERT_LE(0, s3);
	close(s1);
	s1 = ms_create(self->dev, b, 0, 0, 0);
	ASSERT_LE(0, s1) TH_LOG("'{' folded onto '['? %s", ms_errname(errno));
	close(s1);
	close(s2);
	close(s3);
}

TEST_F(dev, names_valid)
{
	static const char *const names[] = {
		"a", "Z", "0", "a\\b", "a\\b\\c\\d\\e\\f", "with space",
		"dots.and-dashes_", "a/b", "./..", "%s\\*?", "\x01\x7f\xff",
	};
	unsigned int i;
	int srv, cli;

	for (i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		/* Single names may collide with other users: retry-free, but
		 * EEXIST is not a validation failure. */
		srv = ms_create(self->dev, names[i], 0, 0, 0);
		if (srv < 0 && errno == EEXIST)
			continue;
		ASSERT_LE(0, srv) TH_LOG("\"%s\": %s", names[i], ms_errname(errno));
		cli = ms_open(self->dev, names[i], 0);
		ASSERT_LE(0, cli) TH_LOG("\"%s\": %s", names[i], ms_errname(errno));
		close(cli);
		close(srv);
	}
}

/* The kernel reads exactly name_len bytes: no NUL needed after them. */
TEST_F(dev, name_not_nul_terminated)
{
	unsigned char *pages = guard_pages();
	size_t len = strlen(self->name);
	char *name;
	int srv, cli;

	ASSERT_NE(NULL, pages);
	name = (char *)guard_boundary(pages) - len;
	memcpy(name, self->name, len);
	srv = ms_create_full(self->dev, name, len, 0, 0, 0, 0);
	ASSERT_LE(0, srv) TH_LOG("%s", ms_errname(errno));
	cli = ms_open_full(self->dev, name, len, 0);
	ASSERT_LE(0, cli) TH_LOG("%s", ms_errname(errno));
	close(cli);
	close(srv);
}

TEST_F(dev, name_length_limits)
{
	char *name = malloc(MAILSLOT_NAME_MAX + 2);
	int srv, cli;

	ASSERT_NE(NULL, name);
	memset(name, 'n', MAILSLOT_NAME_MAX + 2);
	snprintf(name, 40, "kselftest\\len\\%d\\", (int)getpid());
	name[strlen(name)] = 'n';

	srv = ms_create_full(self->dev, name, MAILSLOT_NAME_MAX, 0, 0, 0, 0);
	ASSERT_LE(0, srv) TH_LOG("%d-byte name: %s", MAILSLOT_NAME_MAX,
				 ms_errname(errno));
	cli = ms_open_full(self->dev, name, MAILSLOT_NAME_MAX, 0);
	ASSERT_LE(0, cli) TH_LOG("%s", ms_errname(errno));
	close(cli);

	ASSERT_ERRNO(ENAMETOOLONG, ms_create_full(self->dev, name,
						  MAILSLOT_NAME_MAX + 1, 0, 0, 0, 0));
	ASSERT_ERRNO(ENAMETOOLONG, ms_open_full(self->dev, name,
						MAILSLOT_NAME_MAX + 1, 0));
	/* Huge lengths: ENAMETOOLONG, before touching the (short) buffer. */
	ASSERT_ERRNO(ENAMETOOLONG, ms_create_full(self->dev, name, 0xffffffffu,
						  0, 0, 0, 0));
	ASSERT_ERRNO(ENAMETOOLONG, ms_open_full(self->dev, name, 0x80000000u, 0));
	close(srv);
	free(name);
}

static const struct bad_name {
	const char *bytes;
	size_t len;
} bad_names[] = {
	{ "", 0 },		/* name_len 0 */
	{ "\\", 1 },
	{ "\\a", 2 },		/* leading separator */
	{ "a\\", 2 },		/* trailing separator */
	{ "a\\\\b", 4 },	/* empty middle level */
	{ "\\\\", 2 },
	{ "a\0b", 3 },		/* embedded NUL */
	{ "\0", 1 },
	{ "ab\0", 3 },		/* trailing NUL counted in name_len */
};

TEST_F(dev, names_invalid_einval)
{
	unsigned int i;

	for (i = 0; i < sizeof(bad_names) / sizeof(bad_names[0]); i++) {
		const struct bad_name *b = &bad_names[i];

		EXPECT_ERRNO(EINVAL, ms_create_full(self->dev, b->bytes, b->len,
						    0, 0, 0, 0))
			TH_LOG("bad name #%u", i);
		EXPECT_ERRNO(EINVAL, ms_open_full(self->dev, b->bytes, b->len, 0))
			TH_LOG("bad name #%u", i);
	}
}

TEST_F(dev, bad_name_pointer_efault)
{
	unsigned char *pages = guard_pages();

	ASSERT_NE(NULL, pages);
	EXPECT_ERRNO(EFAULT, ms_create_full(self->dev, NULL, 4, 0, 0, 0, 0));
	EXPECT_ERRNO(EFAULT, ms_open_full(self->dev, NULL, 4, 0));
	EXPECT_ERRNO(EFAULT, ms_create_full(self->dev, (void *)1, 4, 0, 0, 0, 0));
	EXPECT_ERRNO(EFAULT, ms_create_full(self->dev, (void *)-4096L, 4, 0, 0, 0, 0));
	/* Name runs one byte into the PROT_NONE page. */
	memcpy(guard_boundary(pages) - 3, "abc", 3);
	EXPECT_ERRNO(EFAULT, ms_create_full(self->dev, guard_boundary(pages) - 3,
					    4, 0, 0, 0, 0));
	EXPECT_ERRNO(EFAULT, ms_open_full(self->dev, guard_boundary(pages) - 3,
					  4, 0));
	/* Kernel addresses. */
	EXPECT_ERRNO(EFAULT, ms_create_full(self->dev, (void *)0xffffffff81000000UL,
					    4, 0, 0, 0, 0));
}

TEST_F(dev, bad_struct_pointer_efault)
{
	unsigned char *pages = guard_pages();

	ASSERT_NE(NULL, pages);
	EXPECT_ERRNO(EFAULT, ioctl(self->dev, MAILSLOT_IOC_CREATE, NULL));
	EXPECT_ERRNO(EFAULT, ioctl(self->dev, MAILSLOT_IOC_OPEN, NULL));
	EXPECT_ERRNO(EFAULT, ioctl(self->dev, MAILSLOT_IOC_CREATE,
				   guard_boundary(pages)));
	EXPECT_ERRNO(EFAULT, ioctl(self->dev, MAILSLOT_IOC_CREATE,
				   guard_boundary(pages) - 40));
	EXPECT_ERRNO(EFAULT, ioctl(self->dev, MAILSLOT_IOC_OPEN,
				   guard_boundary(pages) - 24));
}

/* A struct ending exactly at the page boundary is fine. */
TEST_F(dev, struct_at_page_end)
{
	unsigned char *pages = guard_pages();
	struct mailslot_create *c;
	struct mailslot_open *o;
	int srv, cli;

	ASSERT_NE(NULL, pages);
	c = (void *)(guard_boundary(pages) - sizeof(*c));
	memset(c, 0, sizeof(*c));
	c->name = (uintptr_t)self->name;
	c->name_len = strlen(self->name);
	srv = ioctl(self->dev, MAILSLOT_IOC_CREATE, c);
	ASSERT_LE(0, srv) TH_LOG("%s", ms_errname(errno));

	o = (void *)(guard_boundary(pages) - sizeof(*o));
	memset(o, 0, sizeof(*o));
	o->name = (uintptr_t)self->name;
	o->name_len = strlen(self->name);
	cli = ioctl(self->dev, MAILSLOT_IOC_OPEN, o);
	ASSERT_LE(0, cli) TH_LOG("%s", ms_errname(errno));
	close(cli);
	close(srv);
}

TEST_F(dev, create_bad_fields_einval)
{
	struct mailslot_create c;
	unsigned int bit;
	int srv;

	memset(&c, 0, sizeof(c));
	c.name = (uintptr_t)self->name;
	c.name_len = strlen(self->name);

	for (bit = 0; bit < 32; bit++) {
		if (!((1u << bit) & MAILSLOT_F_ALL)) {
			c.flags = 1u << bit;
			EXPECT_ERRNO(EINVAL, ioctl(self->dev, MAILSLOT_IOC_CREATE, &c))
				TH_LOG("flag bit %u", bit);
			c.flags = MAILSLOT_F_ALL | (1u << bit);
			EXPECT_ERRNO(EINVAL, ioctl(self->dev, MAILSLOT_IOC_CREATE, &c))
				TH_LOG("flag bit %u", bit);
			c.flags = 0;
		}
		if (!((1u << bit) & MAILSLOT_MODE_ALL)) {
			c.mode = 1u << bit;
			EXPECT_ERRNO(EINVAL, ioctl(self->dev, MAILSLOT_IOC_CREATE, &c))
				TH_LOG("mode bit %u", bit);
			c.mode = MAILSLOT_MODE_ALL | (1u << bit);
			EXPECT_ERRNO(EINVAL, ioctl(self->dev, MAILSLOT_IOC_CREATE, &c))
				TH_LOG("mode bit %u", bit);
			c.mode = 0;
		}
	}
	c.mode = 0777;
	EXPECT_ERRNO(EINVAL, ioctl(self->dev, MAILSLOT_IOC_CREATE, &c));
	c.mode = 0;
	c.pad = 1;
	EXPECT_ERRNO(EINVAL, ioctl(self->dev, MAILSLOT_IOC_CREATE, &c));
	c.pad = 0x80000000u;
	EXPECT_ERRNO(EINVAL, ioctl(self->dev, MAILSLOT_IOC_CREATE, &c));
	c.pad = 0;
	c.reserved[0] = 1;
	EXPECT_ERRNO(EINVAL, ioctl(self->dev, MAILSLOT_IOC_CREATE, &c));
	c.reserved[0] = 1ULL << 63;
	EXPECT_ERRNO(EINVAL, ioctl(self->dev, MAILSLOT_IOC_CREATE, &c));
	c.reserved[0] = 0;
	c.reserved[1] = 1;
	EXPECT_ERRNO(EINVAL, ioctl(self->dev, MAILSLOT_IOC_CREATE, &c));
	c.reserved[1] = 0;

	/* None of the rejected calls created the slot. */
	ASSERT_ERRNO(ENOENT, ms_open(self->dev, self->name, 0));
	srv = ioctl(self->dev, MAILSLOT_IOC_CREATE, &c);
	ASSERT_LE(0, srv) TH_LOG("%s", ms_errname(errno));
	close(srv);
}

TEST_F(dev, open_bad_fields_einval)
{
	struct mailslot_open o;
	unsigned int bit;
	int srv, cli;

	srv = ms_create(self->dev, self->name, 0, 0, 0);
	ASSERT_LE(0, srv);
	memset(&o, 0, sizeof(o));
	o.name = (uintptr_t)self->name;
	o.name_len = strlen(self->name);
	for (bit = 0; bit < 32; bit++) {
		if ((1u << bit) & MAILSLOT_F_ALL)
			continue;
		o.flags = 1u << bit;
		EXPECT_ERRNO(EINVAL, ioctl(self->dev, MAILSLOT_IOC_OPEN, &o))
			TH_LOG("flag bit %u", bit);
	}
	o.flags = 0;
	o.reserved[0] = 1;
	EXPECT_ERRNO(EINVAL, ioctl(self->dev, MAILSLOT_IOC_OPEN, &o));
	o.reserved[0] = 0;
	o.reserved[1] = 0x100000000ULL;
	EXPECT_ERRNO(EINVAL, ioctl(self->dev, MAILSLOT_IOC_OPEN, &o));
	o.reserved[1] = 0;
	cli = ioctl(self->dev, MAILSLOT_IOC_OPEN, &o);
	ASSERT_LE(0, cli);
	close(cli);
	close(srv);
}

/* The /dev/mailslot fd is only a factory: the slot outlives it. */
TEST_F(dev, slot_outlives_device_fd)
{
	int srv, cli, dev2;
	char buf[4];

	srv = ms_create(self->dev, self->name, 0, 0, 0);
	ASSERT_LE(0, srv);
	close(self->dev);
	self->dev = -1;
	dev2 = ms_dev_open();
	ASSERT_LE(0, dev2);
	cli = ms_open(dev2, self->name, 0);
	ASSERT_LE(0, cli) TH_LOG("%s", ms_errname(errno));
	close(dev2);
	ASSERT_EQ(2, write(cli, "hi", 2));
	ASSERT_EQ(2, read(srv, buf, sizeof(buf)));
	close(cli);
	close(srv);
}

TEST_F(dev, many_clients_many_slots)
{
	int srv[8], cli[8][4];
	char names[8][128], buf[16];
	int i, j;

	for (i = 0; i < 8; i++) {
		ms_name(names[i], sizeof(names[i]), "many");
		srv[i] = ms_create(self->dev, names[i], 0, 0, 0);
		ASSERT_LE(0, srv[i]);
	}
	for (i = 0; i < 8; i++)
		for (j = 0; j < 4; j++) {
			cli[i][j] = ms_open(self->dev, names[i], 0);
			ASSERT_LE(0, cli[i][j]);
			buf[0] = 'A' + i;
			buf[1] = '0' + j;
			ASSERT_EQ(2, write(cli[i][j], buf, 2));
		}
	for (i = 0; i < 8; i++) {
		for (j = 0; j < 4; j++) {
			ASSERT_EQ(2, read(srv[i], buf, sizeof(buf)));
			ASSERT_EQ('A' + i, buf[0]);
			ASSERT_EQ('0' + j, buf[1]);
			close(cli[i][j]);
		}
		close(srv[i]);
	}
}

TEST_HARNESS_MAIN
