// SPDX-License-Identifier: GPL-2.0
/*
 * mailslot_limits: the module parameters in /sys/module/mailslot/
 * parameters.  Reads them, then (as root) sets small values and checks:
 * max_msg_size -> EMSGSIZE, slot_max_bytes -> ENOBUFS with the exact
 * message count given msg_overhead, user_max_bytes -> EDQUOT across two
 * slots (charged to the client opener's euid), user_max_slots and
 * max_slots -> ENOSPC, and that reading (or destroying) frees the charge.
 * Every parameter changed is restored in the teardown.
 */
#include "mailslot_test.h"

#include <grp.h>
#include <sys/mount.h>

static const char *const rw_params[] = {
	"max_msg_size", "slot_max_bytes", "user_max_bytes", "user_max_slots",
	"max_slots",
};
#define NPARAMS (sizeof(rw_params) / sizeof(rw_params[0]))

#define NOBODY 65534

/*
 * The values found when the program started.  FIXTURE_TEARDOWN alone is
 * not enough: 6.12's harness built with -O2 skips it after a failed
 * ASSERT (its "child" variable is clobbered by the longjmp).  So every
 * setup first restores these, the teardown restores them, and so does an
 * atexit() handler in the harness's main process.
 */
static long long orig[NPARAMS];
static bool have_orig;

static void restore_orig(void)
{
	unsigned int i;

	if (!have_orig)
		return;
	for (i = 0; i < NPARAMS; i++)
		if (orig[i] >= 0 && ms_param_get(rw_params[i]) != orig[i])
			ms_param_set(rw_params[i], orig[i]);
}

static void __attribute__((constructor)) save_orig(void)
{
	unsigned int i;

	if (geteuid() != 0 || access(MS_PARAMS, F_OK))
		return;
	for (i = 0; i < NPARAMS; i++)
		orig[i] = ms_param_get(rw_params[i]);
	have_orig = true;
	atexit(restore_orig);
}

FIXTURE(lim) {
	int dev;
	long long overhead;
	char name[128];
};

FIXTURE_SETUP(lim)
{
	unsigned int i;

	self->dev = ms_dev_open();
	if (self->dev < 0)
		SETUP_SKIP("%s: %s (module not loaded?)", MS_DEV, strerror(errno));
	if (access(MS_PARAMS, F_OK))
		SETUP_SKIP("%s: %s", MS_PARAMS, strerror(errno));
	if (geteuid() != 0)
		SETUP_SKIP("needs root to change module parameters");
	ASSERT_TRUE(have_orig);
	restore_orig();
	for (i = 0; i < NPARAMS; i++) {
		ASSERT_LE(0, orig[i]) TH_LOG("cannot read %s", rw_params[i]);
		ASSERT_EQ(orig[i], ms_param_get(rw_params[i]))
			TH_LOG("cannot restore %s", rw_params[i]);
	}
	self->overhead = ms_param_get("msg_overhead");
	ASSERT_LT(0, self->overhead) TH_LOG("msg_overhead must be > 0");
	ASSERT_GT(1 << 20, self->overhead);
	ms_name(self->name, sizeof(self->name), "limits");
}

FIXTURE_TEARDOWN(lim)
{
	unsigned int i;

	restore_orig();
	for (i = 0; i < NPARAMS; i++) {
		EXPECT_EQ(orig[i], ms_param_get(rw_params[i]))
			TH_LOG("could not restore %s=%lld", rw_params[i], orig[i]);
	}
	if (self->dev >= 0)
		close(self->dev);
}

#define SET(_p, _v) ASSERT_EQ(0, ms_param_set(_p, _v))			\
	TH_LOG("setting %s=%llu: %s", _p, (unsigned long long)(_v), ms_errname(errno))

/* A fresh slot (mode OTHER) and a client; both returned by pointer. */
static int mk(FIXTURE_DATA(lim) *self, __u32 max, int *cli)
{
	char name[128];
	int srv;

	ms_name(name, sizeof(name), "limits");
	srv = ms_create(self->dev, name, max, 0, 0);
	if (srv < 0)
		return -1;
	*cli = ms_open(self->dev, name, 0);
	if (*cli < 0) {
		close(srv);
		return -1;
	}
	return srv;
}

TEST_F(lim, defaults_and_modes)
{
	static const long long defaults[NPARAMS] = {
		65536, 1048576, 8388608, 256, 65536,
	};
	unsigned int i;
	struct stat st;
	char path[128];

	for (i = 0; i < NPARAMS; i++) {
		EXPECT_EQ(defaults[i], orig[i]) TH_LOG("%s", rw_params[i]);
		snprintf(path, sizeof(path), MS_PARAMS "/%s", rw_params[i]);
		ASSERT_EQ(0, stat(path, &st));
		EXPECT_EQ(0644U, st.st_mode & 0777) TH_LOG("%s", rw_params[i]);
	}
	snprintf(path, sizeof(path), MS_PARAMS "/msg_overhead");
	ASSERT_EQ(0, stat(path, &st));
	EXPECT_EQ(0444U, st.st_mode & 0777);
	/* read-only, even for root */
	EXPECT_ERRNO(EACCES, open(path, O_WRONLY | O_CLOEXEC));
	EXPECT_EQ(self->overhead, ms_param_get("msg_overhead"));
}

TEST_F(lim, max_msg_size_range)
{
	SET("max_msg_size", 16777216);
	ASSERT_EQ(16777216, ms_param_get("max_msg_size"));
	SET("max_msg_size", 1);
	ASSERT_EQ(1, ms_param_get("max_msg_size"));
	EXPECT_ERRNO(EINVAL, ms_param_set("max_msg_size", 16777217));
	EXPECT_ERRNO(EINVAL, ms_param_set("max_msg_size", 0xffffffffULL));
	EXPECT_ERRNO(EINVAL, ms_param_set("max_msg_size", 0))
		TH_LOG("contract: max_msg_size is 1..16777216");
	ASSERT_EQ(1, ms_param_get("max_msg_size"));
}

TEST_F(lim, max_msg_size_emsgsize)
{
	char *buf = calloc(1, 4096);
	struct mailslot_info info;
	int s0, c0, s50, c50, s200, c200;

	ASSERT_NE(NULL, buf);
	/* a slot created before the change follows the new value */
	s0 = mk(self, 0, &c0);
	ASSERT_LE(0, s0);
	SET("max_msg_size", 100);
	s50 = mk(self, 50, &c50);
	ASSERT_LE(0, s50);
	s200 = mk(self, 200, &c200);
	ASSERT_LE(0, s200);

	ASSERT_EQ(100, write(c0, buf, 100));
	ASSERT_ERRNO(EMSGSIZE, write(c0, buf, 101));
	ASSERT_EQ(50, write(c50, buf, 50));
	ASSERT_ERRNO(EMSGSIZE, write(c50, buf, 51));
	ASSERT_EQ(100, write(c200, buf, 100));
	ASSERT_ERRNO(EMSGSIZE, write(c200, buf, 101));
	ASSERT_ERRNO(EMSGSIZE, write(c200, buf, 200));
	ASSERT_EQ(0, ms_info(s200, &info));
	ASSERT_EQ(200U, info.max_msg_size);
	ASSERT_EQ(1U, info.msg_count);

	/* raised again: the slot's own limit applies */
	SET("max_msg_size", 1000);
	ASSERT_EQ(200, write(c200, buf, 200));
	ASSERT_ERRNO(EMSGSIZE, write(c200, buf, 201));
	ASSERT_EQ(1000, write(c0, buf, 1000));
	ASSERT_ERRNO(EMSGSIZE, write(c0, buf, 1001));
	close(c0); close(s0); close(c50); close(s50); close(c200); close(s200);
	free(buf);
}

/* n messages of size sz fit, the next one gets ENOBUFS. */
static void fill_to_enobufs(struct __test_metadata *_metadata, int srv,
			    int cli, size_t sz, unsigned int n)
{
	struct mailslot_info info;
	char buf[512];
	unsigned int i;

	memset(buf, 'b', sizeof(buf));
	for (i = 0; i < n; i++) {
		ASSERT_EQ((ssize_t)sz, write(cli, buf, sz))
			TH_LOG("message %u of %u (size %zu): %s", i + 1, n, sz,
			       ms_errname(errno));
	}
	ASSERT_ERRNO(ENOBUFS, write(cli, buf, sz))
		TH_LOG("message %u of size %zu fit", n + 1, sz);
	ASSERT_EQ(0, ms_info(srv, &info));
	ASSERT_EQ(n, info.msg_count);
	ASSERT_EQ((__u64)n * sz, info.queued_bytes);
}

TEST_F(lim, slot_max_bytes_enobufs)
{
	const long long O = self->overhead, S = 100;
	int srv, cli, srv2, cli2;
	char buf[512];

	memset(buf, 0, sizeof(buf));
	/* room for 10 messages and a half */
	SET("slot_max_bytes", 10 * (S + O) + (S + O) / 2);
	srv = mk(self, 0, &cli);
	ASSERT_LE(0, srv);
	fill_to_enobufs(_metadata, srv, cli, S, 10);
	/* a zero-length message costs the overhead, which is missing */
	if ((S + O) / 2 < O) {
		ASSERT_ERRNO(ENOBUFS, write(cli, buf, 0));
	}
	/* reading frees the charge */
	ASSERT_EQ(S, read(srv, buf, sizeof(buf)));
	ASSERT_EQ(S, write(cli, buf, S));
	ASSERT_ERRNO(ENOBUFS, write(cli, buf, S));

	/* another slot has its own budget */
	srv2 = mk(self, 0, &cli2);
	ASSERT_LE(0, srv2);
	fill_to_enobufs(_metadata, srv2, cli2, S, 10);
	close(cli2);
	close(srv2);
	close(cli);
	close(srv);
}

TEST_F(lim, slot_max_bytes_exact_fit)
{
	const long long O = self->overhead, S = 100;
	char buf[512];
	int srv, cli;

	memset(buf, 0, sizeof(buf));
	SET("slot_max_bytes", 3 * (S + O));
	srv = mk(self, 0, &cli);
	ASSERT_LE(0, srv);
	fill_to_enobufs(_metadata, srv, cli, S, 3);
	ASSERT_ERRNO(ENOBUFS, write(cli, buf, 0));
	ASSERT_ERRNO(ENOBUFS, write(cli, buf, 1));
	/* free exactly one message's worth: a same-size message fits */
	ASSERT_EQ(S, read(srv, buf, sizeof(buf)));
	ASSERT_EQ(S, write(cli, buf, S));
	close(cli);
	close(srv);
}

TEST_F(lim, slot_max_bytes_zero_length_messages)
{
	const long long O = self->overhead;
	int srv, cli;

	SET("slot_max_bytes", 5 * O + O / 2);
	srv = mk(self, 0, &cli);
	ASSERT_LE(0, srv);
	fill_to_enobufs(_metadata, srv, cli, 0, 5);
	close(cli);
	close(srv);
}

TEST_F(lim, slot_max_bytes_single_big_message)
{
	const long long O = self->overhead;
	char buf[512];
	int srv, cli;

	memset(buf, 0, sizeof(buf));
	/* 300 bytes fit, 301 need more than the slot may ever hold */
	SET("slot_max_bytes", 300 + O);
	srv = mk(self, 0, &cli);
	ASSERT_LE(0, srv);
	ASSERT_ERRNO(ENOBUFS, write(cli, buf, 301));
	ASSERT_EQ(300, write(cli, buf, 300));
	ASSERT_EQ(300, read(srv, buf, sizeof(buf)));
	close(cli);
	close(srv);
}

/* Lowering the limit under the current usage: reads work, writes wait. */
TEST_F(lim, slot_max_bytes_lowered_below_usage)
{
	char buf[512];
	int srv, cli, i;

	memset(buf, 0, sizeof(buf));
	srv = mk(self, 0, &cli);
	ASSERT_LE(0, srv);
	for (i = 0; i < 5; i++) {
		ASSERT_EQ(100, write(cli, buf, 100));
	}
	SET("slot_max_bytes", 1);
	ASSERT_ERRNO(ENOBUFS, write(cli, buf, 0));
	for (i = 0; i < 5; i++) {
		ASSERT_EQ(100, read(srv, buf, sizeof(buf)));
	}
	ASSERT_ERRNO(ENOBUFS, write(cli, buf, 0));
	close(cli);
	close(srv);
}

TEST_F(lim, user_max_bytes_edquot_across_slots)
{
	const long long O = self->overhead, S = 100;
	int a, ca, b, cb;
	char buf[512];

	memset(buf, 'u', sizeof(buf));
	/* room for 4 messages and a half, for this uid, in all slots */
	SET("user_max_bytes", 4 * (S + O) + (S + O) / 2);
	a = mk(self, 0, &ca);
	ASSERT_LE(0, a);
	b = mk(self, 0, &cb);
	ASSERT_LE(0, b);
	ASSERT_EQ(S, write(ca, buf, S));
	ASSERT_EQ(S, write(cb, buf, S));
	ASSERT_EQ(S, write(ca, buf, S));
	ASSERT_EQ(S, write(cb, buf, S));
	ASSERT_ERRNO(EDQUOT, write(ca, buf, S));
	ASSERT_ERRNO(EDQUOT, write(cb, buf, S));
	/* a read in slot a frees room usable in slot b */
	ASSERT_EQ(S, read(a, buf, sizeof(buf)));
	ASSERT_EQ(S, write(cb, buf, S));
	ASSERT_ERRNO(EDQUOT, write(cb, buf, S));
	if ((S + O) / 2 < O) {
		/* not even the overhead of an empty message is left */
		ASSERT_ERRNO(EDQUOT, write(ca, buf, 0));
	}
	/* destroying slot a (one message queued) frees its charge */
	close(ca);
	close(a);
	ASSERT_EQ(S, write(cb, buf, S));
	ASSERT_ERRNO(EDQUOT, write(cb, buf, S));
	close(cb);
	close(b);
}

/*
 * The charge goes to the euid that opened the client: another uid's own
 * client is not limited by root's usage, but root's client handed to it
 * is.
 */
TEST_F(lim, user_max_bytes_charged_to_client_opener)
{
	const long long O = self->overhead, S = 100;
	char buf[512], name[128];
	int srv, cli;
	pid_t pid;

	memset(buf, 'o', sizeof(buf));
	SET("user_max_bytes", 2 * (S + O));
	ms_name(name, sizeof(name), "limits-uid");
	srv = ms_create(self->dev, name, 0, 0, 0);	/* MODE_ALL */
	ASSERT_LE(0, srv);
	cli = ms_open(self->dev, name, 0);
	ASSERT_LE(0, cli);
	ASSERT_EQ(S, write(cli, buf, S));
	ASSERT_EQ(S, write(cli, buf, S));
	ASSERT_ERRNO(EDQUOT, write(cli, buf, S));

	pid = fork();
	ASSERT_LE(0, pid);
	if (pid == 0) {
		int dev, own;

		if (setgroups(0, NULL) || setresgid(NOBODY, NOBODY, NOBODY) ||
		    setresuid(NOBODY, NOBODY, NOBODY))
			_exit(1);
		/* root's client: still root's quota */
		if (write(cli, buf, S) != -1 || errno != EDQUOT)
			_exit(2);
		dev = ms_dev_open();
		own = dev < 0 ? -1 : ms_open(dev, name, 0);
		if (own < 0)
			_exit(3);
		if (write(own, buf, S) != S || write(own, buf, S) != S)
			_exit(4);
		if (write(own, buf, S) != -1 || errno != EDQUOT)
			_exit(5);
		_exit(0);
	}
	ASSERT_EQ(0, wait_child(pid)) TH_LOG("see the child's exit code in the source");
	close(cli);
	close(srv);
}

TEST_F(lim, user_max_slots_enospc)
{
	int fds[4], i, fd;
	char name[128];
	pid_t pid;

	SET("user_max_slots", 3);
	for (i = 0; i < 3; i++) {
		fds[i] = mk(self, 0, &fd);
		ASSERT_LE(0, fds[i]) TH_LOG("slot %d: %s", i + 1, ms_errname(errno));
		close(fd);
	}
	ms_name(name, sizeof(name), "limits-4th");
	ASSERT_ERRNO(ENOSPC, ms_create(self->dev, name, 0, 0, 0));
	/* the failed CREATE did not take the name */
	ASSERT_ERRNO(ENOENT, ms_open(self->dev, name, 0));

	/* another uid has its own count */
	pid = fork();
	ASSERT_LE(0, pid);
	if (pid == 0) {
		int dev, k, s;
		char n2[128];

		if (setgroups(0, NULL) || setresgid(NOBODY, NOBODY, NOBODY) ||
		    setresuid(NOBODY, NOBODY, NOBODY))
			_exit(1);
		dev = ms_dev_open();
		if (dev < 0)
			_exit(2);
		for (k = 0; k < 3; k++) {
			ms_name(n2, sizeof(n2), "limits-nobody");
			if (ms_create(dev, n2, 0, 0, 0) < 0)
				_exit(10 + k);
		}
		ms_name(n2, sizeof(n2), "limits-nobody");
		s = ms_create(dev, n2, 0, 0, 0);
		if (s != -1 || errno != ENOSPC)
			_exit(20);
		_exit(0);
	}
	ASSERT_EQ(0, wait_child(pid));

	/* closing one frees a place */
	close(fds[0]);
	fds[0] = ms_create(self->dev, name, 0, 0, 0);
	ASSERT_LE(0, fds[0]) TH_LOG("%s", ms_errname(errno));
	ASSERT_ERRNO(ENOSPC, ms_create(self->dev, self->name, 0, 0, 0));
	for (i = 0; i < 3; i++)
		close(fds[i]);
}

TEST_F(lim, max_slots_enospc)
{
	int a, b, c;
	char n[3][128];
	pid_t pid;

	SET("max_slots", 2);
	ms_name(n[0], sizeof(n[0]), "limits-g");
	ms_name(n[1], sizeof(n[1]), "limits-g");
	ms_name(n[2], sizeof(n[2]), "limits-g");
	a = ms_create(self->dev, n[0], 0, 0, 0);
	ASSERT_LE(0, a) TH_LOG("%s (other slots in the system?)", ms_errname(errno));
	b = ms_create(self->dev, n[1], 0, 0, 0);
	ASSERT_LE(0, b) TH_LOG("%s (other slots in the system?)", ms_errname(errno));
	ASSERT_ERRNO(ENOSPC, ms_create(self->dev, n[2], 0, 0, 0));

	/* global: another uid is refused too */
	pid = fork();
	ASSERT_LE(0, pid);
	if (pid == 0) {
		int dev;

		if (setgroups(0, NULL) || setresgid(NOBODY, NOBODY, NOBODY) ||
		    setresuid(NOBODY, NOBODY, NOBODY))
			_exit(1);
		dev = ms_dev_open();
		if (dev < 0)
			_exit(2);
		if (ms_create(dev, n[2], 0, 0, 0) != -1 || errno != ENOSPC)
			_exit(3);
		_exit(0);
	}
	ASSERT_EQ(0, wait_child(pid));

	close(a);
	c = ms_create(self->dev, n[2], 0, 0, 0);
	ASSERT_LE(0, c) TH_LOG("%s", ms_errname(errno));
	ASSERT_ERRNO(ENOSPC, ms_create(self->dev, n[0], 0, 0, 0));
	close(b);
	close(c);
}

static long long read_ll(const char *path)
{
	char buf[64];
	ssize_t n;
	int fd = open(path, O_RDONLY | O_CLOEXEC);

	if (fd < 0)
		return -1;
	n = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	if (n <= 0)
		return -1;
	buf[n] = 0;
	return strtoll(buf, NULL, 10);
}

static int write_str(const char *path, const char *s)
{
	int fd = open(path, O_WRONLY | O_CLOEXEC);
	int ok;

	if (fd < 0)
		return -1;
	ok = write(fd, s, strlen(s)) == (ssize_t)strlen(s);
	close(fd);
	return ok ? 0 : -1;
}

/*
 * Queued messages are charged to the writer's memory cgroup
 * (GFP_KERNEL_ACCOUNT): 4 MiB queued by a child in its own cgroup shows
 * up in that cgroup's memory.current.
 */
TEST_F(lim, memcg_charged)
{
	char root[64], cg[96], path[160], buf[32];
	long long before, after;
	int up[2], down[2];
	bool mounted = false;
	pid_t pid;
	char c;

	snprintf(root, sizeof(root), "/sys/fs/cgroup");
	snprintf(path, sizeof(path), "%s/cgroup.subtree_control", root);
	if (access(path, W_OK)) {
		snprintf(root, sizeof(root), "/tmp/mailslot-cg-%d", (int)getpid());
		if (mkdir(root, 0700) || mount("cgroup2", root, "cgroup2", 0, NULL))
			SKIP(return, "no cgroup2: %s", strerror(errno));
		mounted = true;
	}
	snprintf(path, sizeof(path), "%s/cgroup.subtree_control", root);
	if (write_str(path, "+memory")) {
		if (mounted) {
			umount(root);
			rmdir(root);
		}
		SKIP(return, "cannot enable the memory controller (CONFIG_MEMCG)");
	}
	snprintf(cg, sizeof(cg), "%s/mailslot-%d", root, (int)getpid());
	ASSERT_EQ(0, mkdir(cg, 0755));
	SET("slot_max_bytes", 16 << 20);
	SET("user_max_bytes", 16 << 20);

	ASSERT_EQ(0, pipe2(up, O_CLOEXEC));
	ASSERT_EQ(0, pipe2(down, O_CLOEXEC));
	pid = fork();
	ASSERT_LE(0, pid);
	if (pid == 0) {
		char *msg = calloc(1, 65536), name[128];
		int srv, cli, i;

		snprintf(path, sizeof(path), "%s/cgroup.procs", cg);
		if (!msg || write_str(path, "0"))
			_exit(1);
		ms_name(name, sizeof(name), "limits-memcg");
		srv = ms_create(self->dev, name, 0, 0, 0);
		cli = ms_open(self->dev, name, 0);
		if (srv < 0 || cli < 0)
			_exit(2);
		if (write(up[1], "j", 1) != 1 || read(down[0], &c, 1) != 1)
			_exit(3);
		for (i = 0; i < 64; i++)
			if (write(cli, msg, 65536) != 65536)
				_exit(4);
		if (write(up[1], "w", 1) != 1 || read(down[0], &c, 1) != 1)
			_exit(5);
		_exit(0);
	}
	snprintf(path, sizeof(path), "%s/memory.current", cg);
	ASSERT_EQ(1, read(up[0], &c, 1));
	before = read_ll(path);
	ASSERT_EQ(1, write(down[1], "g", 1));
	ASSERT_EQ(1, read(up[0], &c, 1));
	after = read_ll(path);
	ASSERT_EQ(1, write(down[1], "e", 1));
	ASSERT_EQ(0, wait_child(pid));
	ASSERT_LE(0, before);
	snprintf(buf, sizeof(buf), "%lld", after - before);
	ASSERT_LE(3LL << 20, after - before)
		TH_LOG("4 MiB queued, memory.current grew by %s bytes", buf);
	rmdir(cg);
	if (mounted) {
		umount(root);
		rmdir(root);
	}
}

TEST_HARNESS_MAIN
