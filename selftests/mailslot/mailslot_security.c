// SPDX-License-Identifier: GPL-2.0
/*
 * mailslot_security: what an unprivileged user can and cannot do, seen
 * from processes that dropped every id (setresgid/setresuid to 65534,
 * 65533, 65532, no capabilities).  Complements mailslot_perm (credential
 * matrix, CAP_IPC_OWNER), mailslot_limits (each limit as root) and
 * mailslot_uapi (struct layout, GET_INFO bytes):
 *
 *  - mode: a fully unprivileged creator's slot refuses other users
 *    (EACCES) unless its mode admits them; a server fd cannot be turned
 *    into a writer (write EBADF, reopening /proc/self/fd/N fails);
 *    unprivileged users cannot change module parameters or unload it;
 *  - limits: user_max_slots (ENOSPC), user_max_bytes (EDQUOT) and
 *    slot_max_bytes (ENOBUFS) hold for unprivileged users, and one user
 *    exhausting its budgets leaves other users' budgets intact;
 *  - memcg: a writer in a cgroup v2 with memory.max = 4 MiB gets ENOMEM
 *    once the cgroup is full, and is not OOM-killed (memory.events
 *    oom_kill stays 0); every byte a slot's traffic was charged for comes
 *    back once its fds are closed (carved and pooled pages included);
 *  - IPC namespaces: an unprivileged process in another IPC namespace
 *    sees nothing (OPEN says ENOENT even for a slot it could not open,
 *    so existence does not leak) and its slots are invisible outside;
 *  - no uninitialised kernel bytes: output buffers of read(2),
 *    MAILSLOT_IOC_READ, MAILSLOT_IOC_READ_BATCH and GET_INFO are filled
 *    with a pattern first; exactly the documented bytes change, on
 *    success and on every error path, for messages from 0 bytes to 64
 *    KiB (page chains).
 *
 * Needs root to set up users, parameters and cgroups.
 */
#include "mailslot_test.h"

#include <grp.h>
#include <sys/mount.h>
#include <sys/prctl.h>

#define UID_A	65534
#define UID_B	65533
#define UID_C	65532
#define PAT	0xa5

static const char *const rw_params[] = {
	"max_msg_size", "slot_max_bytes", "user_max_bytes", "user_max_slots",
	"max_slots",
};
#define NPARAMS (sizeof(rw_params) / sizeof(rw_params[0]))
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

/* ---------------------------------------------------------------- */
/* Agents: child processes running as another user, driven by pipes. */

enum { A_CREATE = 1, A_OPEN, A_WRITE, A_CLOSE, A_FLOOD, A_INFO, A_EXIT };

struct acmd {
	int op;
	int idx;	/* fd slot in the agent */
	__u32 len;	/* A_WRITE, A_FLOOD: message size; A_CREATE: mode */
	char name[128];
};

struct areply {
	long ret;	/* >= 0: result (fd index, bytes, count); -errno */
	long count;	/* A_FLOOD: messages written before the failure */
	struct mailslot_info info;
};

struct agent {
	pid_t pid;
	int to, from;
};

static int agent_main(uid_t uid, gid_t gid, int in, int out)
{
	static unsigned char buf[65536];
	int fds[64], nfds = 0, dev;
	struct acmd c;

	prctl(PR_SET_PDEATHSIG, SIGKILL);
	if (setgroups(0, NULL) || setresgid(gid, gid, gid) ||
	    setresuid(uid, uid, uid))
		return 100;
	if (geteuid() != uid || getegid() != gid)
		return 101;
	dev = ms_dev_open();
	if (dev < 0)
		return 102;
	memset(buf, 'a', sizeof(buf));
	while (read(in, &c, sizeof(c)) == sizeof(c)) {
		struct areply r;

		memset(&r, 0, sizeof(r));
		errno = 0;
		switch (c.op) {
		case A_CREATE:
			r.ret = ms_create_full(dev, c.name, strlen(c.name), 0, 0,
					       MAILSLOT_F_CLOEXEC, c.len);
			break;
		case A_OPEN:
			r.ret = ms_open(dev, c.name, 0);
			break;
		case A_WRITE:
			r.ret = write(fds[c.idx], buf, c.len);
			break;
		case A_FLOOD:
			/* write until the first failure, at most 256 MiB */
			while ((r.ret = write(fds[c.idx], buf, c.len)) == (long)c.len &&
			       r.count < (256L << 20) / (c.len + 1))
				r.count++;
			break;
		case A_CLOSE:
			r.ret = close(fds[c.idx]);
			break;
		case A_INFO:
			r.ret = ms_info(fds[c.idx], &r.info);
			break;
		case A_EXIT:
		default:
			return 0;
		}
		if (r.ret < 0) {
			r.ret = -errno;
		} else if (c.op == A_CREATE || c.op == A_OPEN) {
			fds[nfds] = r.ret;
			r.ret = nfds++;
		}
		if (write(out, &r, sizeof(r)) != sizeof(r))
			return 103;
	}
	return 0;
}

/* Fork an agent as uid/gid; ipcns: in a new IPC namespace first. */
static int agent_start(struct agent *a, uid_t uid, gid_t gid, bool ipcns)
{
	int to[2], from[2];

	if (pipe2(to, O_CLOEXEC) || pipe2(from, O_CLOEXEC))
		return -1;
	a->pid = fork();
	if (a->pid < 0)
		return -1;
	if (a->pid == 0) {
		close(to[1]);
		close(from[0]);
		if (ipcns && unshare(CLONE_NEWIPC))
			_exit(104);
		_exit(agent_main(uid, gid, to[0], from[1]));
	}
	close(to[0]);
	close(from[1]);
	a->to = to[1];
	a->from = from[0];
	return 0;
}

static struct areply agent_do(struct agent *a, int op, int idx, __u32 len,
			      const char *name)
{
	struct acmd c;
	struct areply r;

	memset(&c, 0, sizeof(c));
	memset(&r, 0, sizeof(r));
	c.op = op;
	c.idx = idx;
	c.len = len;
	if (name)
		snprintf(c.name, sizeof(c.name), "%s", name);
	if (write(a->to, &c, sizeof(c)) != sizeof(c) ||
	    read(a->from, &r, sizeof(r)) != sizeof(r))
		r.ret = -10000;		/* the agent died */
	return r;
}

static int agent_stop(struct agent *a)
{
	struct acmd c = { .op = A_EXIT };

	if (write(a->to, &c, sizeof(c)) != sizeof(c))
		kill(a->pid, SIGKILL);
	close(a->to);
	close(a->from);
	return wait_child(a->pid);
}

#define AG(_a, _op, _idx, _len, _name) agent_do(_a, _op, _idx, _len, _name).ret

/* want: >= 0 means success, else -errno */
#define EXPECT_AG(_want, _expr) do {					\
		long __w = (_want), __g = (_expr);			\
		if (__w >= 0) {						\
			ASSERT_LE(0, __g) TH_LOG("%s: %s", #_expr,	\
				ms_errname(__g == -10000 ? 0 : (int)-__g)); \
		} else {						\
			ASSERT_EQ(__w, __g) TH_LOG("%s: want %s, got %s", #_expr, \
				ms_errname((int)-__w),			\
				__g >= 0 ? "success" : ms_errname((int)-__g)); \
		}							\
	} while (0)

/* ---------------------------------------------------------------- */

FIXTURE(sec) {
	int dev;
	long long overhead;
	char name[128];
};

FIXTURE_SETUP(sec)
{
	self->dev = ms_dev_open();
	if (self->dev < 0)
		SETUP_SKIP("%s: %s (module not loaded?)", MS_DEV, strerror(errno));
	if (geteuid() != 0)
		SETUP_SKIP("needs root to switch to unprivileged users");
	ASSERT_TRUE(have_orig);
	restore_orig();
	signal(SIGPIPE, SIG_IGN);	/* a killed agent's pipe */
	self->overhead = ms_param_get("msg_overhead");
	ASSERT_LT(0, self->overhead);
	ms_name(self->name, sizeof(self->name), "sec");
}

FIXTURE_TEARDOWN(sec)
{
	restore_orig();
	if (self->dev >= 0)
		close(self->dev);
}

TEST_F(sec, mode_refuses_other_users)
{
	static const struct { __u32 mode; long b, c_in_group; } cases[] = {
		{ 0, -EACCES, -EACCES },
		{ MAILSLOT_MODE_OWNER, -EACCES, -EACCES },
		{ MAILSLOT_MODE_GROUP, -EACCES, 0 },
		{ MAILSLOT_MODE_OTHER, 0, 0 },
	};
	struct agent a, b, c;
	unsigned int i;
	char name[160];

	ASSERT_EQ(0, agent_start(&a, UID_A, UID_A, false));
	ASSERT_EQ(0, agent_start(&b, UID_B, UID_B, false));
	/* C's primary group is A's */
	ASSERT_EQ(0, agent_start(&c, UID_C, UID_A, false));
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		long srv;

		snprintf(name, sizeof(name), "%s\\%u", self->name, i);
		srv = AG(&a, A_CREATE, 0, cases[i].mode, name);
		EXPECT_AG(0, srv);
		EXPECT_AG(0, AG(&a, A_OPEN, 0, 0, name));	/* the creator */
		EXPECT_AG(cases[i].b, AG(&b, A_OPEN, 0, 0, name));
		EXPECT_AG(cases[i].c_in_group, AG(&c, A_OPEN, 0, 0, name));
		/* the server fd is read-only for its owner too */
		EXPECT_AG(-EBADF, AG(&a, A_WRITE, srv, 1, NULL));
	}
	ASSERT_EQ(0, agent_stop(&a));
	ASSERT_EQ(0, agent_stop(&b));
	ASSERT_EQ(0, agent_stop(&c));
}

/* A server or client fd cannot be reopened into another handle. */
TEST_F(sec, no_reopen_through_proc)
{
	struct mailslot_info info;
	char path[64];
	int srv, cli, fd;

	srv = ms_create(self->dev, self->name, 0, 0, 0);
	ASSERT_LE(0, srv);
	cli = ms_open(self->dev, self->name, 0);
	ASSERT_LE(0, cli);
	snprintf(path, sizeof(path), "/proc/self/fd/%d", srv);
	fd = open(path, O_WRONLY | O_CLOEXEC);
	if (fd >= 0) {
		EXPECT_EQ(-1, write(fd, "x", 1)) TH_LOG("reopened server fd writes");
		close(fd);
	}
	fd = open(path, O_RDWR | O_CLOEXEC);
	EXPECT_EQ(-1, fd) TH_LOG("server reopened read-write");
	if (fd >= 0)
		close(fd);
	snprintf(path, sizeof(path), "/proc/self/fd/%d", cli);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd >= 0) {
		char b[4];

		EXPECT_EQ(-1, read(fd, b, sizeof(b))) TH_LOG("reopened client reads");
		close(fd);
	}
	/* F_SETFL cannot change the access mode either */
	ASSERT_EQ(0, fcntl(srv, F_SETFL, O_RDWR));
	EXPECT_ERRNO(EBADF, write(srv, "x", 1));
	ASSERT_EQ(0, ms_info(srv, &info));
	ASSERT_EQ(0U, info.msg_count);
	close(cli);
	close(srv);
}

/* Unprivileged: no parameter changes, no unloading. */
TEST_F(sec, unprivileged_cannot_change_module)
{
	pid_t pid = fork();

	ASSERT_LE(0, pid);
	if (pid == 0) {
		unsigned int i;
		char path[128];

		if (setgroups(0, NULL) || setresgid(UID_A, UID_A, UID_A) ||
		    setresuid(UID_A, UID_A, UID_A))
			_exit(1);
		for (i = 0; i < NPARAMS; i++) {
			snprintf(path, sizeof(path), MS_PARAMS "/%s", rw_params[i]);
			if (open(path, O_WRONLY | O_CLOEXEC) != -1 || errno != EACCES)
				_exit(10 + i);
		}
		if (syscall(SYS_delete_module, "mailslot", O_NONBLOCK) != -1 ||
		    errno != EPERM)
			_exit(20);
		_exit(0);
	}
	ASSERT_EQ(0, wait_child(pid)) TH_LOG("see the child's exit code in the source");
	for (unsigned int i = 0; i < NPARAMS; i++)
		ASSERT_EQ(orig[i], ms_param_get(rw_params[i]));
}

/*
 * Three unprivileged users.  Each has its own slot count and byte budget;
 * writes are charged to the writer, slots to the creator; a slot's room
 * is shared by its writers (ENOBUFS).
 */
TEST_F(sec, per_user_budgets_are_separate)
{
	const long long O = self->overhead, S = 100;
	struct agent a, b, c;
	char name[160];
	long bs, ac, bc, cc;
	int i;

	ASSERT_EQ(0, ms_param_set("user_max_slots", 3));
	ASSERT_EQ(0, ms_param_set("user_max_bytes", 4 * (S + O) + O / 2));
	ASSERT_EQ(0, ms_param_set("slot_max_bytes", 10 * (S + O) + O / 2));
	ASSERT_EQ(0, agent_start(&a, UID_A, UID_A, false));
	ASSERT_EQ(0, agent_start(&b, UID_B, UID_B, false));
	ASSERT_EQ(0, agent_start(&c, UID_C, UID_C, false));

	/* B's slot, open to all */
	snprintf(name, sizeof(name), "%s\\b0", self->name);
	bs = AG(&b, A_CREATE, 0, MAILSLOT_MODE_OTHER, name);
	EXPECT_AG(0, bs);
	/* A uses up its slot count: B is not affected */
	for (i = 0; i < 3; i++) {
		char n[160];

		snprintf(n, sizeof(n), "%s\\a%d", self->name, i);
		EXPECT_AG(0, AG(&a, A_CREATE, 0, 0, n));
	}
	EXPECT_AG(-ENOSPC, AG(&a, A_CREATE, 0, 0, "kselftest\\sec\\a-more"));
	for (i = 1; i < 3; i++) {
		char n[160];

		snprintf(n, sizeof(n), "%s\\b%d", self->name, i);
		EXPECT_AG(0, AG(&b, A_CREATE, 0, 0, n));
	}
	EXPECT_AG(-ENOSPC, AG(&b, A_CREATE, 0, 0, "kselftest\\sec\\b-more"));
	/* A's many clients of B's slot cost B no slot and nothing else */
	for (i = 0; i < 8; i++)
		EXPECT_AG(0, AG(&a, A_OPEN, 0, 0, name));

	ac = AG(&a, A_OPEN, 0, 0, name);
	bc = AG(&b, A_OPEN, 0, 0, name);
	cc = AG(&c, A_OPEN, 0, 0, name);
	EXPECT_AG(0, ac);
	EXPECT_AG(0, bc);
	EXPECT_AG(0, cc);
	/* A spends its own budget on B's slot ... */
	for (i = 0; i < 4; i++)
		EXPECT_AG(S, AG(&a, A_WRITE, ac, S, NULL));
	EXPECT_AG(-EDQUOT, AG(&a, A_WRITE, ac, S, NULL));
	EXPECT_AG(-EDQUOT, AG(&a, A_WRITE, ac, 0, NULL));
	/* ... and B still has all of its own */
	for (i = 0; i < 4; i++)
		EXPECT_AG(S, AG(&b, A_WRITE, bc, S, NULL));
	EXPECT_AG(-EDQUOT, AG(&b, A_WRITE, bc, S, NULL));
	/* C too, until the slot itself is full */
	EXPECT_AG(S, AG(&c, A_WRITE, cc, S, NULL));
	EXPECT_AG(S, AG(&c, A_WRITE, cc, S, NULL));
	EXPECT_AG(-ENOBUFS, AG(&c, A_WRITE, cc, S, NULL));
	{
		struct areply r = agent_do(&b, A_INFO, bs, 0, NULL);

		ASSERT_EQ(0, r.ret);
		ASSERT_EQ(10U, r.info.msg_count);
		ASSERT_EQ((__u64)10 * S, r.info.queued_bytes);
	}
	/* destroying B's slot gives every writer its budget back */
	EXPECT_AG(0, AG(&b, A_CLOSE, bs, 0, NULL));
	EXPECT_AG(-EPIPE, AG(&a, A_WRITE, ac, S, NULL));
	EXPECT_AG(0, AG(&b, A_CREATE, 0, MAILSLOT_MODE_OTHER, name));
	ac = AG(&a, A_OPEN, 0, 0, name);
	EXPECT_AG(0, ac);
	for (i = 0; i < 4; i++)
		EXPECT_AG(S, AG(&a, A_WRITE, ac, S, NULL));
	EXPECT_AG(-EDQUOT, AG(&a, A_WRITE, ac, S, NULL));
	ASSERT_EQ(0, agent_stop(&a));
	ASSERT_EQ(0, agent_stop(&b));
	ASSERT_EQ(0, agent_stop(&c));
	/* the agents' slots are gone with them: A can create 3 again */
	ASSERT_EQ(0, agent_start(&a, UID_A, UID_A, false));
	for (i = 0; i < 3; i++) {
		char n[160];

		snprintf(n, sizeof(n), "%s\\again%d", self->name, i);
		EXPECT_AG(0, AG(&a, A_CREATE, 0, 0, n));
	}
	ASSERT_EQ(0, agent_stop(&a));
}

static long long read_ll(const char *path, const char *key)
{
	char buf[1024], *p;
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	ssize_t n;

	if (fd < 0)
		return -1;
	n = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	if (n <= 0)
		return -1;
	buf[n] = 0;
	if (!key)
		return strtoll(buf, NULL, 10);
	for (p = buf; p && *p; p = strchr(p, '\n'), p = p ? p + 1 : p)
		if (!strncmp(p, key, strlen(key)) && p[strlen(key)] == ' ')
			return strtoll(p + strlen(key) + 1, NULL, 10);
	return -1;
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
 * A fresh memory cgroup for this test in @cg (128 bytes), under the
 * cgroup2 root in @root (64 bytes), which is mounted if need be.
 * Return: NULL, or why the test must be skipped.
 */
static const char *cg_setup(char *root, char *cg, bool *mounted)
{
	char path[192];

	*mounted = false;
	snprintf(root, 64, "/sys/fs/cgroup");
	snprintf(path, sizeof(path), "%s/cgroup.subtree_control", root);
	if (access(path, W_OK)) {
		snprintf(root, 64, "/tmp/mailslot-sec-cg-%d", (int)getpid());
		if (mkdir(root, 0700) || mount("cgroup2", root, "cgroup2", 0, NULL))
			return "no cgroup2";
		*mounted = true;
	}
	snprintf(path, sizeof(path), "%s/cgroup.subtree_control", root);
	snprintf(cg, 128, "%s/mailslot-sec-%d", root, (int)getpid());
	if (write_str(path, "+memory") || mkdir(cg, 0755)) {
		if (*mounted) {
			umount(root);
			rmdir(root);
		}
		return "cannot make a memory cgroup (CONFIG_MEMCG?)";
	}
	return NULL;
}

static void cg_teardown(const char *root, const char *cg, bool mounted)
{
	rmdir(cg);
	if (mounted) {
		umount(root);
		rmdir(root);
	}
}

/*
 * An unprivileged writer in a 4 MiB memory cgroup floods a slot whose
 * module limits would allow 64 MiB: its writes fail with ENOMEM when
 * the cgroup is full, nobody is OOM-killed, and the slot keeps what was
 * accepted.
 */
TEST_F_TIMEOUT(sec, memcg_limit_enomem_not_oom, 120)
{
	char root[64], cg[128], path[192], buf[32];
	bool mounted = false;
	const char *skip;
	struct mailslot_info info;
	struct agent a;
	struct areply r;
	long long oom_kill, oom, peak;
	long cli, again = -1;
	int srv;

	skip = cg_setup(root, cg, &mounted);
	if (skip)
		SKIP(return, "%s", skip);
	snprintf(path, sizeof(path), "%s/memory.max", cg);
	ASSERT_EQ(0, write_str(path, "4194304"));
	snprintf(path, sizeof(path), "%s/memory.swap.max", cg);
	write_str(path, "0");
	ASSERT_EQ(0, ms_param_set("slot_max_bytes", 64 << 20));
	ASSERT_EQ(0, ms_param_set("user_max_bytes", 64 << 20));

	srv = ms_create(self->dev, self->name, 0, 0, 0);	/* MODE_ALL, root's */
	ASSERT_LE(0, srv);
	ASSERT_EQ(0, agent_start(&a, UID_A, UID_A, false));
	snprintf(path, sizeof(path), "%s/cgroup.procs", cg);
	snprintf(buf, sizeof(buf), "%d", (int)a.pid);
	ASSERT_EQ(0, write_str(path, buf));
	cli = AG(&a, A_OPEN, 0, 0, self->name);
	EXPECT_AG(0, cli);

	r = agent_do(&a, A_FLOOD, cli, 65536, NULL);
	snprintf(path, sizeof(path), "%s/memory.events", cg);
	oom_kill = read_ll(path, "oom_kill");
	oom = read_ll(path, "oom");
	snprintf(path, sizeof(path), "%s/memory.peak", cg);
	peak = read_ll(path, NULL);
	if (ms_info(srv, &info))
		info.msg_count = 0xffffffff;
	/* the writer is alive and reading frees room for it */
	if (r.ret != -10000) {
		char *big = malloc(65536);

		if (big && read(srv, big, 65536) == 65536 &&
		    read(srv, big, 65536) == 65536)
			again = AG(&a, A_WRITE, cli, 65536, NULL);
		free(big);
	}
	/* clean up before judging */
	agent_stop(&a);
	close(srv);
	cg_teardown(root, cg, mounted);

	TH_LOG("writer in a 4 MiB cgroup: %ld x 64 KiB accepted, then %s; %u queued; memory.events oom %lld oom_kill %lld; memory.peak %lld",
	       r.count, r.ret == -10000 ? "writer killed" : ms_errname((int)-r.ret),
	       info.msg_count, oom, oom_kill, peak);
	EXPECT_EQ(0, oom_kill) TH_LOG("the memcg OOM killer ran");
	ASSERT_NE(-10000, r.ret) TH_LOG("the writer was killed");
	ASSERT_EQ(-ENOMEM, r.ret);
	ASSERT_LT(16, r.count) TH_LOG("too little accepted before ENOMEM");
	ASSERT_GT(64, r.count) TH_LOG("more than memory.max accepted");
	ASSERT_EQ((__u32)r.count, info.msg_count);
	ASSERT_EQ(65536, again) TH_LOG("no room after reading: %s",
				       again < 0 ? ms_errname((int)-again) : "?");
}

/*
 * A slot's worth of traffic from three clients, every size class (inline,
 * carved, paged) through both write paths, read or left queued; then the
 * clients close and the slot is destroyed with whatever is still queued.
 */
static int churn(int dev, const char *name, bool drain)
{
	static const __u32 sizes[] = { 0, 16, 256, 480, 481, 4000, 4097, 20000 };
	static char buf[8 * 20000], out[65536];
	__u32 lens[8], lo[64];
	int srv, cli[3], i, k, ret = -1;

	srv = ms_create(dev, name, 0, 0, 0);
	if (srv < 0)
		return -1;
	for (k = 0; k < 3; k++)
		cli[k] = ms_open(dev, name, 0);
	for (i = 0; i < 8; i++)
		lens[i] = sizes[i];
	for (i = 0; i < 1200; i++) {
		k = i % 3;
		if (k == 0 && write(cli[k], buf, sizes[i % 8]) != (ssize_t)sizes[i % 8])
			goto out;
		if (k != 0 && ms_write_batch(cli[k], buf, lens, 8) != 8)
			goto out;
		if (drain || i % 2)
			while (read(srv, out, sizeof(out)) >= 0)
				;
		else if (i % 5 == 0)
			ms_read_batch(srv, out, sizeof(out), lo, 64,
				      MAILSLOT_READ_NONBLOCK, 0);
	}
	ret = 0;
out:
	/* clients first, then the server: a slot destroyed with messages queued */
	for (k = 0; k < 3; k++)
		close(cli[k]);
	close(srv);
	return ret;
}

/*
 * Everything a slot's traffic costs comes back once its fds are closed:
 * carved pages, pooled pages and payload pages hold references that must
 * all be dropped.  Measured as the memory cgroup's charge, which sees
 * pages as well as slab objects.
 */
TEST_F_TIMEOUT(sec, memcg_charge_comes_back, 120)
{
	char root[64], cg[128], path[192], name[160];
	long long before, after, during = 0;
	const char *skip;
	bool mounted;
	int round;

	skip = cg_setup(root, cg, &mounted);
	if (skip)
		SKIP(return, "%s", skip);
	snprintf(path, sizeof(path), "%s/cgroup.procs", cg);
	ASSERT_EQ(0, write_str(path, "0"));
	snprintf(path, sizeof(path), "%s/memory.current", cg);
	ASSERT_EQ(0, ms_param_set("slot_max_bytes", 64 << 20));
	ASSERT_EQ(0, ms_param_set("user_max_bytes", 64 << 20));
	/* a first round for one-off allocations */
	snprintf(name, sizeof(name), "%s\\warm", self->name);
	ASSERT_EQ(0, churn(self->dev, name, true));
	before = read_ll(path, NULL);
	for (round = 0; round < 4; round++) {
		snprintf(name, sizeof(name), "%s\\%d", self->name, round);
		ASSERT_EQ(0, churn(self->dev, name, round % 2));
		if (round == 2) {
			/* a slot left full, to see the traffic is charged at all */
			int srv = ms_create(self->dev, name, 0, 0, 0);
			int cli = ms_open(self->dev, name, 0);
			static char big[20000];
			int i;

			for (i = 0; i < 500; i++)
				ASSERT_EQ(20000, write(cli, big, sizeof(big)));
			during = read_ll(path, NULL);
			close(cli);
			close(srv);
		}
	}
	after = read_ll(path, NULL);
	snprintf(path, sizeof(path), "%s/cgroup.procs", root);
	write_str(path, "0");
	cg_teardown(root, cg, mounted);

	TH_LOG("memory.current: %lld before, %lld with 10 MB queued, %lld after",
	       before, during, after);
	ASSERT_LT(0, before);
	ASSERT_LT(before + (8 << 20), during) TH_LOG("queued messages are not charged");
	/* per-CPU charge caches may hold up to 256 KiB each */
	ASSERT_GT(before + (1 << 20), after) TH_LOG("memory not given back");
}

/*
 * A process in another IPC namespace (root unshares, then drops to an
 * unprivileged user) sees none of our slots: OPEN is ENOENT whatever the
 * mode, so it cannot even learn that a name exists; and its own slot of
 * the same name stays invisible to us.
 */
TEST_F(sec, other_ipc_ns_sees_nothing)
{
	char priv[160];
	struct mailslot_info info;
	struct areply r;
	struct agent in, out;
	long s, c;
	int srv, srv2;

	srv = ms_create(self->dev, self->name, 0, 0, 0);	/* MODE_ALL */
	ASSERT_LE(0, srv);
	snprintf(priv, sizeof(priv), "%s\\private", self->name);
	srv2 = ms_create_full(self->dev, priv, strlen(priv), 0, 0,
			      MAILSLOT_F_CLOEXEC, 0);
	ASSERT_LE(0, srv2);
	ASSERT_EQ(0, agent_start(&in, UID_A, UID_A, true));
	ASSERT_EQ(0, agent_start(&out, UID_A, UID_A, false));
	/* outside, the same user: open to all works, private is EACCES */
	EXPECT_AG(0, AG(&out, A_OPEN, 0, 0, self->name));
	EXPECT_AG(-EACCES, AG(&out, A_OPEN, 0, 0, priv));
	/* inside: nothing at all */
	c = AG(&in, A_OPEN, 0, 0, self->name);
	if (c == -10000)
		SKIP(return, "no IPC namespaces (CONFIG_IPC_NS)");
	EXPECT_AG(-ENOENT, c);
	EXPECT_AG(-ENOENT, AG(&in, A_OPEN, 0, 0, priv));
	s = AG(&in, A_CREATE, 0, MAILSLOT_MODE_OTHER, self->name);
	EXPECT_AG(0, s);
	EXPECT_AG(0, AG(&in, A_CREATE, 0, MAILSLOT_MODE_OTHER, priv));
	c = AG(&in, A_OPEN, 0, 0, self->name);
	EXPECT_AG(0, c);
	EXPECT_AG(5, AG(&in, A_WRITE, c, 5, NULL));
	/* ours is untouched, theirs has the message */
	ASSERT_EQ(0, ms_info(srv, &info));
	ASSERT_EQ(0U, info.msg_count);
	r = agent_do(&in, A_INFO, s, 0, NULL);
	ASSERT_EQ(0, r.ret);
	ASSERT_EQ(1U, r.info.msg_count);
	ASSERT_EQ(0, agent_stop(&in));
	ASSERT_EQ(0, agent_stop(&out));
	close(srv2);
	close(srv);
}

/* ---------------------------------------------------------------- */
/* No uninitialised kernel memory reaches user space.                 */

static const __u32 sizes[] = { 0, 1, 15, 16, 100, 4000, 4056, 4057, 4096,
			       4097, 8192, 12345, 65535, 65536 };
#define NSIZES (sizeof(sizes) / sizeof(sizes[0]))
#define SLACK 4096

static bool all_pat(const unsigned char *p, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (p[i] != PAT)
			return false;
	return true;
}

FIXTURE(leak) {
	int dev, srv, cli;
	char name[128];
	unsigned char *buf, *msg;
};

FIXTURE_SETUP(leak)
{
	self->srv = self->cli = -1;
	self->buf = self->msg = NULL;
	self->dev = ms_dev_open();
	if (self->dev < 0)
		SETUP_SKIP("%s: %s (module not loaded?)", MS_DEV, strerror(errno));
	ms_name(self->name, sizeof(self->name), "leak");
	self->srv = ms_create(self->dev, self->name, 0, 0, 0);
	ASSERT_LE(0, self->srv);
	self->cli = ms_open(self->dev, self->name, 0);
	ASSERT_LE(0, self->cli);
	self->buf = malloc(NSIZES * 65536 + SLACK);
	self->msg = malloc(65536);
	ASSERT_NE(NULL, self->buf);
	ASSERT_NE(NULL, self->msg);
}

FIXTURE_TEARDOWN(leak)
{
	if (self->cli >= 0)
		close(self->cli);
	if (self->srv >= 0)
		close(self->srv);
	if (self->dev >= 0)
		close(self->dev);
	free(self->buf);
	free(self->msg);
}

static void put(struct __test_metadata *_metadata, FIXTURE_DATA(leak) *self,
		__u32 len, unsigned int seed)
{
	fill_pat(self->msg, len, seed);
	ASSERT_EQ((ssize_t)len, write(self->cli, self->msg, len));
}

/* read(2) and MAILSLOT_IOC_READ: the message, then the pattern. */
TEST_F(leak, read_writes_only_the_message)
{
	unsigned int i, how;

	for (how = 0; how < 2; how++) {
		for (i = 0; i < NSIZES; i++) {
			__u32 len = sizes[i];
			struct mailslot_read r, want;
			ssize_t n;

			put(_metadata, self, len, i + 1);
			memset(self->buf, PAT, len + SLACK);
			if (how == 0) {
				/* too small first: nothing written at all */
				if (len) {
					ASSERT_ERRNO(EMSGSIZE, read(self->srv, self->buf, len - 1));
					ASSERT_TRUE(all_pat(self->buf, len + SLACK));
				}
				n = read(self->srv, self->buf, len + SLACK);
			} else {
				memset(&r, 0, sizeof(r));
				r.buf = (uintptr_t)self->buf;
				r.buf_len = len ? len - 1 : 0;
				r.msg_len = 0xa5a5a5a5;
				want = r;
				want.msg_len = len;
				if (len) {
					ASSERT_ERRNO(EMSGSIZE, ioctl(self->srv, MAILSLOT_IOC_READ, &r));
					ASSERT_EQ(0, memcmp(&want, &r, sizeof(r)));
					ASSERT_TRUE(all_pat(self->buf, len + SLACK));
				}
				r.buf_len = len + SLACK;
				r.msg_len = 0xa5a5a5a5;
				want = r;
				want.msg_len = len;
				n = ioctl(self->srv, MAILSLOT_IOC_READ, &r);
				ASSERT_EQ(0, memcmp(&want, &r, sizeof(r)))
					TH_LOG("struct mailslot_read: more than msg_len written");
			}
			ASSERT_EQ((ssize_t)len, n) TH_LOG("%s", ms_errname(errno));
			ASSERT_TRUE(check_pat(self->buf, len, i + 1))
				TH_LOG("size %u: payload differs", len);
			ASSERT_TRUE(all_pat(self->buf + len, SLACK))
				TH_LOG("size %u: bytes written past the message", len);
		}
	}
}

/* READ_BATCH: the payloads back to back, n lens, nothing else. */
TEST_F(leak, read_batch_writes_only_the_messages)
{
	__u32 lens[NSIZES + 8];
	struct mailslot_read_batch b, want;
	size_t total = 0, off = 0;
	unsigned int i;
	long n;

	/* the first message alone does not fit: nothing written */
	put(_metadata, self, 100, 99);
	memset(self->buf, PAT, 100 + SLACK);
	memset(lens, PAT, sizeof(lens));
	memset(&b, 0, sizeof(b));
	b.buf = (uintptr_t)self->buf;
	b.buf_len = 99;
	b.lens = (uintptr_t)lens;
	b.max_msgs = NSIZES + 8;
	want = b;
	ASSERT_ERRNO(EMSGSIZE, ioctl(self->srv, MAILSLOT_IOC_READ_BATCH, &b));
	ASSERT_EQ(0, memcmp(&want, &b, sizeof(b)));
	ASSERT_TRUE(all_pat(self->buf, 100 + SLACK));
	ASSERT_TRUE(all_pat((void *)lens, sizeof(lens)));
	ASSERT_EQ(100, read(self->srv, self->buf, 100));

	/* the slot holds 1 MiB: the sizes in two halves */
	for (i = 0; i < NSIZES; i++) {
		if (i == NSIZES - 3) {
			/* first half */
			memset(self->buf, PAT, total + SLACK);
			memset(lens, PAT, sizeof(lens));
			b.buf_len = total + SLACK;
			want = b;
			n = ioctl(self->srv, MAILSLOT_IOC_READ_BATCH, &b);
			ASSERT_EQ((long)i, n) TH_LOG("%s", ms_errname(errno));
			ASSERT_EQ(0, memcmp(&want, &b, sizeof(b)));
			for (off = 0, n = 0; n < (long)i; off += sizes[n], n++) {
				ASSERT_EQ(sizes[n], lens[n]);
				ASSERT_TRUE(check_pat(self->buf + off, sizes[n], n + 1));
			}
			ASSERT_TRUE(all_pat(self->buf + off, SLACK));
			ASSERT_TRUE(all_pat((void *)&lens[i], sizeof(lens) - i * sizeof(lens[0])));
			total = 0;
		}
		put(_metadata, self, sizes[i], i + 1);
		total += sizes[i];
	}
	memset(self->buf, PAT, total + SLACK);
	memset(lens, PAT, sizeof(lens));
	b.buf_len = total + SLACK;
	want = b;
	n = ioctl(self->srv, MAILSLOT_IOC_READ_BATCH, &b);
	ASSERT_EQ(3, n);
	ASSERT_EQ(0, memcmp(&want, &b, sizeof(b)));
	for (off = 0, i = 0; i < 3; off += sizes[NSIZES - 3 + i], i++) {
		ASSERT_EQ(sizes[NSIZES - 3 + i], lens[i]);
		ASSERT_TRUE(check_pat(self->buf + off, lens[i], NSIZES - 3 + i + 1));
	}
	ASSERT_TRUE(all_pat(self->buf + off, SLACK));
	ASSERT_TRUE(all_pat((void *)&lens[3], sizeof(lens) - 3 * sizeof(lens[0])));
}

/* Errors with nothing to report write nothing. */
TEST_F(leak, errors_write_nothing)
{
	struct mailslot_read r, rwant;
	struct mailslot_read_batch b, bwant;
	union {
		struct mailslot_info info;
		unsigned char bytes[sizeof(struct mailslot_info)];
	} u;
	__u32 lens[4];

	memset(self->buf, PAT, SLACK);
	memset(lens, PAT, sizeof(lens));
	memset(&r, 0, sizeof(r));
	r.buf = (uintptr_t)self->buf;
	r.buf_len = SLACK;
	r.msg_len = 0xa5a5a5a5;
	rwant = r;
	memset(&b, 0, sizeof(b));
	b.buf = (uintptr_t)self->buf;
	b.buf_len = SLACK;
	b.lens = (uintptr_t)lens;
	b.max_msgs = 4;
	bwant = b;
	/* empty, timeout 0 */
	ASSERT_ERRNO(ETIMEDOUT, read(self->srv, self->buf, SLACK));
	ASSERT_ERRNO(ETIMEDOUT, ioctl(self->srv, MAILSLOT_IOC_READ, &r));
	ASSERT_ERRNO(ETIMEDOUT, ioctl(self->srv, MAILSLOT_IOC_READ_BATCH, &b));
	/* empty, non-blocking */
	r.flags = b.flags = MAILSLOT_READ_NONBLOCK;
	rwant.flags = bwant.flags = MAILSLOT_READ_NONBLOCK;
	ASSERT_ERRNO(EAGAIN, ioctl(self->srv, MAILSLOT_IOC_READ, &r));
	ASSERT_ERRNO(EAGAIN, ioctl(self->srv, MAILSLOT_IOC_READ_BATCH, &b));
	/* invalid arguments */
	r.pad = b.pad = 1;
	rwant.pad = bwant.pad = 1;
	ASSERT_ERRNO(EINVAL, ioctl(self->srv, MAILSLOT_IOC_READ, &r));
	ASSERT_ERRNO(EINVAL, ioctl(self->srv, MAILSLOT_IOC_READ_BATCH, &b));
	ASSERT_EQ(0, memcmp(&rwant, &r, sizeof(r)));
	ASSERT_EQ(0, memcmp(&bwant, &b, sizeof(b)));
	ASSERT_TRUE(all_pat(self->buf, SLACK));
	ASSERT_TRUE(all_pat((void *)lens, sizeof(lens)));

	/* GET_INFO with a big message queued: every byte as documented */
	put(_metadata, self, 65536, 5);
	memset(&u, PAT, sizeof(u));
	ASSERT_EQ(0, ioctl(self->cli, MAILSLOT_IOC_GET_INFO, &u.info));
	ASSERT_EQ(0U, u.info.max_msg_size);
	ASSERT_EQ(65536U, u.info.next_size);
	ASSERT_EQ(1U, u.info.msg_count);
	ASSERT_EQ(0U, u.info.read_timeout_ms);
	ASSERT_EQ(65536ULL, u.info.queued_bytes);
	ASSERT_EQ(0ULL, u.info.reserved[0]);
	ASSERT_EQ(0ULL, u.info.reserved[1]);
	/* a destroyed slot's client: EPIPE, nothing written */
	close(self->srv);
	self->srv = -1;
	memset(&u, PAT, sizeof(u));
	ASSERT_ERRNO(EPIPE, ioctl(self->cli, MAILSLOT_IOC_GET_INFO, &u.info));
	ASSERT_TRUE(all_pat(u.bytes, sizeof(u.bytes)));
}

TEST_HARNESS_MAIN
