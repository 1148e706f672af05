// SPDX-License-Identifier: GPL-2.0
/*
 * mailslot_unload: the module cannot be unloaded while any /dev/mailslot
 * or slot fd is open: delete_module("mailslot", O_NONBLOCK) fails with
 * EWOULDBLOCK or EBUSY and the module stays in /proc/modules.
 *
 * This test never unloads the module on purpose: before each attempt it
 * checks /sys/module/mailslot/refcnt is non-zero (an fd it holds must
 * pin the module); if it is zero the test fails without trying, as the
 * attempt would then succeed and take the module away from later tests.
 */
#include "mailslot_test.h"

static bool module_listed(void)
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

static long refcnt(void)
{
	char buf[32];
	ssize_t n;
	int fd = open("/sys/module/mailslot/refcnt", O_RDONLY | O_CLOEXEC);

	if (fd < 0)
		return -1;
	n = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	if (n <= 0)
		return -1;
	buf[n] = 0;
	return strtol(buf, NULL, 10);
}

FIXTURE(un) {
	int dev, srv, cli;
	char name[128];
};

FIXTURE_SETUP(un)
{
	self->srv = self->cli = -1;
	self->dev = ms_dev_open();
	if (self->dev < 0)
		SETUP_SKIP("%s: %s (module not loaded?)", MS_DEV, strerror(errno));
	if (geteuid() != 0)
		SETUP_SKIP("needs root (CAP_SYS_MODULE)");
	if (!module_listed())
		SETUP_SKIP("mailslot is not a loaded module (built in?)");
	ms_name(self->name, sizeof(self->name), "unload");
}

FIXTURE_TEARDOWN(un)
{
	if (self->cli >= 0)
		close(self->cli);
	if (self->srv >= 0)
		close(self->srv);
	if (self->dev >= 0)
		close(self->dev);
}

/* Only call when an fd we hold must keep the module. */
static void try_unload(struct __test_metadata *_metadata, const char *what)
{
	long rc = refcnt();
	int r, e;

	ASSERT_LT(0, rc) TH_LOG("%s open but refcnt is %ld: not trying to unload", what, rc);
	errno = 0;
	r = syscall(SYS_delete_module, "mailslot", O_NONBLOCK);
	e = errno;
	if (r == -1 && e == ENOSYS)
		SKIP(return, "no module unloading (CONFIG_MODULE_UNLOAD)");
	ASSERT_EQ(-1, r) TH_LOG("module unloaded with %s open!", what);
	ASSERT_TRUE(e == EWOULDBLOCK || e == EBUSY)
		TH_LOG("%s: got %s", what, ms_errname(e));
	ASSERT_TRUE(module_listed());
}

TEST_F(un, device_fd_pins_module)
{
	try_unload(_metadata, "/dev/mailslot fd");
}

TEST_F(un, server_fd_pins_module)
{
	self->srv = ms_create(self->dev, self->name, 0, 0, 0);
	ASSERT_LE(0, self->srv);
	close(self->dev);
	self->dev = -1;
	try_unload(_metadata, "server fd");
	ASSERT_EQ(0, ms_set_timeout(self->srv, 0));
}

TEST_F(un, client_fd_pins_module)
{
	self->srv = ms_create(self->dev, self->name, 0, 0, 0);
	ASSERT_LE(0, self->srv);
	self->cli = ms_open(self->dev, self->name, 0);
	ASSERT_LE(0, self->cli);
	close(self->dev);
	self->dev = -1;
	try_unload(_metadata, "server + client fds");
	close(self->srv);
	self->srv = -1;
	/* a client of a destroyed slot is still an open file of ours */
	try_unload(_metadata, "dead client fd");
	ASSERT_ERRNO(EPIPE, write(self->cli, "x", 1));
}

/* Each fd holds its own reference, released on close. */
TEST_F(un, refcnt_follows_fds)
{
	long base = refcnt(), with;
	int fds[4], i;

	ASSERT_LT(0, base);
	for (i = 0; i < 4; i++) {
		fds[i] = ms_dev_open();
		ASSERT_LE(0, fds[i]);
	}
	with = refcnt();
	ASSERT_LT(base, with);
	for (i = 0; i < 4; i++)
		close(fds[i]);
	ASSERT_EQ(base, refcnt());
}

TEST_HARNESS_MAIN
