// SPDX-License-Identifier: GPL-2.0
/*
 * mailslot_ns: slots belong to the creator's IPC namespace.  A child
 * that unshare(CLONE_NEWIPC)s sees none of its parent's slots, can create
 * the same names independently, and its slots are invisible outside.
 * fds (not names) keep working across namespaces; setns() back makes the
 * original slots visible again.  Needs CAP_SYS_ADMIN (root).
 */
#include "mailslot_test.h"

/* child exit codes */
#define C_OK		0
#define C_NO_NS		200

FIXTURE(ns) {
	int dev, srv, cli;
	char name[128];
};

FIXTURE_SETUP(ns)
{
	self->srv = self->cli = -1;
	self->dev = ms_dev_open();
	if (self->dev < 0)
		SETUP_SKIP("%s: %s (module not loaded?)", MS_DEV, strerror(errno));
	ms_name(self->name, sizeof(self->name), "ns");
	self->srv = ms_create(self->dev, self->name, 0, 0, 0);
	ASSERT_LE(0, self->srv);
	self->cli = ms_open(self->dev, self->name, 0);
	ASSERT_LE(0, self->cli);
}

FIXTURE_TEARDOWN(ns)
{
	if (self->cli >= 0)
		close(self->cli);
	if (self->srv >= 0)
		close(self->srv);
	if (self->dev >= 0)
		close(self->dev);
}

/* In a child: enter a new IPC namespace or exit with C_NO_NS. */
static void new_ipc_ns(void)
{
	if (unshare(CLONE_NEWIPC)) {
		fprintf(stderr, "# unshare(CLONE_NEWIPC): %s\n", strerror(errno));
		_exit(C_NO_NS);
	}
}

#define CHECK(_n, _cond) do { if (!(_cond)) {				\
		fprintf(stderr, "# child step %d failed: %s (%s)\n",	\
			_n, #_cond, ms_errname(errno));			\
		_exit(_n); } } while (0)

/* "got" is the child's result; C_NO_NS turns into a skip. */
#define CHILD_RESULT(_got) do {						\
		int __g = (_got);					\
		if (__g == C_NO_NS)					\
			SKIP(return, "no IPC namespaces (CONFIG_IPC_NS, CAP_SYS_ADMIN)"); \
		ASSERT_EQ(C_OK, __g) TH_LOG("child failed at step %d", __g); \
	} while (0)

TEST_F(ns, parent_slot_invisible_same_name_creatable)
{
	struct mailslot_info info;
	int up[2], down[2];
	pid_t pid;
	char c;

	ASSERT_EQ(0, pipe2(up, O_CLOEXEC));
	ASSERT_EQ(0, pipe2(down, O_CLOEXEC));
	pid = fork();
	ASSERT_LE(0, pid);
	if (pid == 0) {
		char buf[16];
		int dev, srv, srv2, cli;

		new_ipc_ns();
		dev = ms_dev_open();
		CHECK(1, dev >= 0);
		errno = 0;
		CHECK(2, ms_open(dev, self->name, 0) == -1 && errno == ENOENT);
		srv = ms_create(dev, self->name, 0, 0, 0);
		CHECK(3, srv >= 0);
		srv2 = ms_create(dev, self->name, 0, 0, 0);
		CHECK(4, srv2 == -1 && errno == EEXIST);
		cli = ms_open(dev, self->name, 0);
		CHECK(5, cli >= 0);
		CHECK(6, write(cli, "child", 5) == 5);
		/* let the parent write to its own slot meanwhile */
		CHECK(7, write(up[1], "c", 1) == 1);
		CHECK(8, read(down[0], &c, 1) == 1);
		/* only our own message is here */
		CHECK(9, read(srv, buf, sizeof(buf)) == 5);
		CHECK(10, !memcmp(buf, "child", 5));
		errno = 0;
		CHECK(11, read(srv, buf, sizeof(buf)) == -1 && errno == ETIMEDOUT);
		_exit(C_OK);
	}
	close(up[1]);
	close(down[0]);
	if (read(up[0], &c, 1) == 1) {
		/* both slots exist now, under the same name */
		ASSERT_EQ(6, write(self->cli, "parent", 6));
		ASSERT_EQ(1, write(down[1], "p", 1));
	}
	CHILD_RESULT(wait_child(pid));
	ASSERT_EQ(0, ms_info(self->srv, &info));
	ASSERT_EQ(1U, info.msg_count);
	ASSERT_EQ(6U, info.next_size);
	close(up[0]);
	close(down[1]);
}

TEST_F(ns, child_slot_invisible_to_parent)
{
	char name[128];
	int up[2], down[2], srv;
	pid_t pid;
	char c;

	ms_name(name, sizeof(name), "ns-child");
	ASSERT_EQ(0, pipe2(up, O_CLOEXEC));
	ASSERT_EQ(0, pipe2(down, O_CLOEXEC));
	pid = fork();
	ASSERT_LE(0, pid);
	if (pid == 0) {
		int dev, s;

		new_ipc_ns();
		dev = ms_dev_open();
		CHECK(1, dev >= 0);
		s = ms_create(dev, name, 0, 0, 0);
		CHECK(2, s >= 0);
		CHECK(3, write(up[1], "c", 1) == 1);
		CHECK(4, read(down[0], &c, 1) == 1);
		/* the parent's slot of the same name did not collide */
		CHECK(5, ms_open(dev, name, 0) >= 0);
		_exit(C_OK);
	}
	close(up[1]);
	close(down[0]);
	if (read(up[0], &c, 1) == 1) {
		ASSERT_ERRNO(ENOENT, ms_open(self->dev, name, 0));
		srv = ms_create(self->dev, name, 0, 0, 0);
		ASSERT_LE(0, srv) TH_LOG("%s", ms_errname(errno));
		ASSERT_EQ(1, write(down[1], "p", 1));
		CHILD_RESULT(wait_child(pid));
		close(srv);
	} else {
		CHILD_RESULT(wait_child(pid));
	}
	close(up[0]);
	close(down[1]);
}

/* fds opened before unshare keep addressing their slot. */
TEST_F(ns, inherited_fds_work_across_namespaces)
{
	char buf[16];
	pid_t pid;

	pid = fork();
	ASSERT_LE(0, pid);
	if (pid == 0) {
		new_ipc_ns();
		CHECK(1, write(self->cli, "across", 6) == 6);
		CHECK(2, read(self->srv, buf, sizeof(buf)) == 6);
		CHECK(3, write(self->cli, "again!", 6) == 6);
		_exit(C_OK);
	}
	CHILD_RESULT(wait_child(pid));
	ASSERT_EQ(6, read(self->srv, buf, sizeof(buf)));
	ASSERT_EQ(0, memcmp(buf, "again!", 6));
}

/* setns() back into the original namespace sees the slot again. */
TEST_F(ns, setns_back)
{
	char buf[8];
	pid_t pid;

	pid = fork();
	ASSERT_LE(0, pid);
	if (pid == 0) {
		int orig = open("/proc/self/ns/ipc", O_RDONLY | O_CLOEXEC);
		int dev, cli;

		CHECK(1, orig >= 0);
		new_ipc_ns();
		dev = ms_dev_open();
		CHECK(2, dev >= 0);
		errno = 0;
		CHECK(3, ms_open(dev, self->name, 0) == -1 && errno == ENOENT);
		close(dev);
		CHECK(4, setns(orig, CLONE_NEWIPC) == 0);
		dev = ms_dev_open();
		CHECK(5, dev >= 0);
		cli = ms_open(dev, self->name, 0);
		CHECK(6, cli >= 0);
		CHECK(7, write(cli, "home", 4) == 4);
		_exit(C_OK);
	}
	CHILD_RESULT(wait_child(pid));
	ASSERT_EQ(4, read(self->srv, buf, sizeof(buf)));
}

/* Two sibling namespaces, same name, messages kept apart. */
TEST_F(ns, sibling_namespaces)
{
	pid_t pids[2];
	int i;

	for (i = 0; i < 2; i++) {
		pids[i] = fork();
		ASSERT_LE(0, pids[i]);
		if (pids[i] == 0) {
			struct mailslot_info info;
			char buf[16];
			int dev, s, c, k;

			new_ipc_ns();
			dev = ms_dev_open();
			CHECK(1, dev >= 0);
			s = ms_create(dev, "kselftest\\ns\\shared", 0, 0, 0);
			CHECK(2, s >= 0);
			c = ms_open(dev, "KSELFTEST\\NS\\SHARED", 0);
			CHECK(3, c >= 0);
			for (k = 0; k < 50; k++) {
				buf[0] = '0' + i;
				CHECK(4, write(c, buf, 1) == 1);
				CHECK(5, ms_info(s, &info) == 0);
				CHECK(6, info.msg_count == 1);
				CHECK(7, read(s, buf, sizeof(buf)) == 1);
				CHECK(8, buf[0] == '0' + i);
			}
			_exit(C_OK);
		}
	}
	for (i = 0; i < 2; i++) {
		CHILD_RESULT(wait_child(pids[i]));
	}
}

TEST_HARNESS_MAIN
