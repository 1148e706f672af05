// SPDX-License-Identifier: GPL-2.0
/*
 * mailslot_lifetime: a slot lives exactly as long as its server file.
 * dup()ed, fork()-inherited, SCM_RIGHTS-passed and exec-inherited server
 * fds keep it alive; the last close destroys it at once (name free,
 * OPEN -> ENOENT, writers -> EPIPE without SIGPIPE, GET_INFO -> EPIPE);
 * close-on-exec fds go away across exec (checked by an exec'd helper).
 */
#include "mailslot_test.h"

#include <libgen.h>
#include <sys/socket.h>

FIXTURE(lt) {
	int dev, srv, cli;
	char name[128];
};

FIXTURE_SETUP(lt)
{
	self->srv = self->cli = -1;
	self->dev = ms_dev_open();
	if (self->dev < 0)
		SETUP_SKIP("%s: %s (module not loaded?)", MS_DEV, strerror(errno));
	ms_name(self->name, sizeof(self->name), "life");
	self->srv = ms_create(self->dev, self->name, 0, 0, 0);
	ASSERT_LE(0, self->srv);
	self->cli = ms_open(self->dev, self->name, 0);
	ASSERT_LE(0, self->cli);
}

FIXTURE_TEARDOWN(lt)
{
	if (self->cli >= 0)
		close(self->cli);
	if (self->srv >= 0)
		close(self->srv);
	if (self->dev >= 0)
		close(self->dev);
}

/* true if the slot currently exists (an OPEN succeeds). */
static bool slot_alive(FIXTURE_DATA(lt) *self)
{
	int fd = ms_open(self->dev, self->name, 0);

	if (fd < 0)
		return false;
	close(fd);
	return true;
}

TEST_F(lt, close_destroys_and_frees_name)
{
	struct mailslot_info info;
	int srv2, cli2;
	char buf[8];

	ASSERT_EQ(3, write(self->cli, "old", 3));
	ASSERT_EQ(3, write(self->cli, "old", 3));
	close(self->srv);
	self->srv = -1;

	ASSERT_ERRNO(ENOENT, ms_open(self->dev, self->name, 0));
	ASSERT_ERRNO(EPIPE, write(self->cli, "x", 1));
	ASSERT_ERRNO(EPIPE, write(self->cli, "", 0));
	ASSERT_ERRNO(EPIPE, ms_info(self->cli, &info));

	/* The name is free at once; the new slot is a different one. */
	srv2 = ms_create(self->dev, self->name, 0, 0, 0);
	ASSERT_LE(0, srv2) TH_LOG("name not freed: %s", ms_errname(errno));
	ASSERT_ERRNO(EPIPE, write(self->cli, "x", 1));
	ASSERT_EQ(0, ms_info(srv2, &info));
	ASSERT_EQ(0U, info.msg_count);
	ASSERT_EQ(0U, info.queued_bytes);
	cli2 = ms_open(self->dev, self->name, 0);
	ASSERT_LE(0, cli2);
	ASSERT_EQ(3, write(cli2, "new", 3));
	ASSERT_EQ(3, read(srv2, buf, sizeof(buf)));
	ASSERT_EQ(0, memcmp(buf, "new", 3));
	/* The old client stays dead. */
	ASSERT_ERRNO(EPIPE, write(self->cli, "x", 1));
	close(cli2);
	close(srv2);
}

/* EPIPE comes without SIGPIPE (default action would kill this test). */
TEST_F(lt, epipe_without_sigpipe)
{
	sigset_t block, pending;

	ASSERT_EQ(SIG_DFL, signal(SIGPIPE, SIG_DFL));
	close(self->srv);
	self->srv = -1;
	ASSERT_ERRNO(EPIPE, write(self->cli, "x", 1));
	sigemptyset(&block);
	sigaddset(&block, SIGPIPE);
	ASSERT_EQ(0, sigprocmask(SIG_BLOCK, &block, NULL));
	ASSERT_ERRNO(EPIPE, write(self->cli, "y", 1));
	ASSERT_EQ(0, sigpending(&pending));
	ASSERT_FALSE(sigismember(&pending, SIGPIPE));
}

TEST_F(lt, create_close_cycles)
{
	int i, fd;

	close(self->cli);
	self->cli = -1;
	close(self->srv);
	self->srv = -1;
	for (i = 0; i < 200; i++) {
		fd = ms_create(self->dev, self->name, 0, 0, 0);
		ASSERT_LE(0, fd) TH_LOG("cycle %d: %s", i, ms_errname(errno));
		if (i & 1) {
			int c = ms_open(self->dev, self->name, 0);

			ASSERT_LE(0, c);
			ASSERT_EQ(1, write(c, "m", 1));
			close(fd);
			ASSERT_ERRNO(EPIPE, write(c, "m", 1));
			close(c);
		} else {
			close(fd);
		}
	}
	ASSERT_FALSE(slot_alive(self));
}

TEST_F(lt, clients_do_not_keep_slot_alive)
{
	ASSERT_TRUE(slot_alive(self));
	close(self->srv);
	self->srv = -1;
	/* self->cli still open */
	ASSERT_FALSE(slot_alive(self));
}

TEST_F(lt, slot_survives_all_clients_closing)
{
	char buf[8];

	ASSERT_EQ(4, write(self->cli, "kept", 4));
	close(self->cli);
	self->cli = -1;
	ASSERT_TRUE(slot_alive(self));
	ASSERT_EQ(4, read(self->srv, buf, sizeof(buf)));
	ASSERT_EQ(0, memcmp(buf, "kept", 4));
}

TEST_F(lt, dup_keeps_slot_alive)
{
	char buf[8];
	int d1, d2;

	d1 = dup(self->srv);
	ASSERT_LE(0, d1);
	d2 = fcntl(self->srv, F_DUPFD_CLOEXEC, 100);
	ASSERT_LE(100, d2);
	close(self->srv);
	self->srv = -1;
	ASSERT_TRUE(slot_alive(self));
	ASSERT_EQ(2, write(self->cli, "d1", 2));
	ASSERT_EQ(2, write(self->cli, "d2", 2));
	close(d1);
	ASSERT_TRUE(slot_alive(self));
	ASSERT_EQ(2, read(d2, buf, sizeof(buf)));
	ASSERT_EQ(0, memcmp(buf, "d1", 2));
	close(d2);
	ASSERT_FALSE(slot_alive(self));
	ASSERT_ERRNO(EPIPE, write(self->cli, "x", 1));
}

/* A child inherits the server; the slot lives until the child exits. */
TEST_F(lt, fork_inherited_server_keeps_slot_alive)
{
	int go[2], res[2];
	pid_t pid;
	char c;

	ASSERT_EQ(0, pipe2(go, O_CLOEXEC));
	ASSERT_EQ(0, pipe2(res, O_CLOEXEC));
	pid = fork();
	ASSERT_LE(0, pid);
	if (pid == 0) {
		char buf[16];
		ssize_t n;

		close(go[1]);
		if (read(go[0], &c, 1) != 1)
			_exit(1);
		/* parent wrote a message, then closed its server fd */
		n = read(self->srv, buf, sizeof(buf));
		c = (n == 6 && !memcmp(buf, "parent", 6)) ? 'y' : 'n';
		if (write(res[1], &c, 1) != 1)
			_exit(2);
		/* keep the server until the parent closes go[1] */
		if (read(go[0], &c, 1) < 0)
			_exit(3);
		_exit(0);
	}
	close(go[0]);
	close(res[1]);
	ASSERT_EQ(6, write(self->cli, "parent", 6));
	close(self->srv);
	self->srv = -1;
	ASSERT_TRUE(slot_alive(self));
	ASSERT_EQ(1, write(go[1], "g", 1));
	ASSERT_EQ(1, read(res[0], &c, 1));
	ASSERT_EQ('y', c);
	ASSERT_TRUE(slot_alive(self));
	ASSERT_EQ(1, write(self->cli, "z", 1));
	close(go[1]);
	ASSERT_EQ(0, wait_child(pid));
	/* the child's exit released the last server file */
	ASSERT_FALSE(slot_alive(self));
	ASSERT_ERRNO(EPIPE, write(self->cli, "x", 1));
	close(res[0]);
}

TEST_F(lt, killed_server_process)
{
	char name[128];
	int rdy[2], cli;
	pid_t pid;
	char c;

	ms_name(name, sizeof(name), "life-kill");
	ASSERT_EQ(0, pipe2(rdy, O_CLOEXEC));
	pid = fork();
	ASSERT_LE(0, pid);
	if (pid == 0) {
		int s = ms_create(self->dev, name, 0, MAILSLOT_WAIT_FOREVER, 0);

		c = s >= 0 ? 'y' : 'n';
		if (write(rdy[1], &c, 1) != 1)
			_exit(1);
		for (;;) {
			char buf[8];

			if (read(s, buf, sizeof(buf)) < 0)
				_exit(2);
		}
	}
	close(rdy[1]);
	ASSERT_EQ(1, read(rdy[0], &c, 1));
	ASSERT_EQ('y', c);
	cli = ms_open(self->dev, name, 0);
	ASSERT_LE(0, cli);
	ASSERT_EQ(1, write(cli, "a", 1));
	/* correct either way: SIGKILL ends the read wherever it is */
	wait_sleeping(pid, pid);
	ASSERT_EQ(0, kill(pid, SIGKILL));
	ASSERT_EQ(128 + SIGKILL, wait_child(pid));
	ASSERT_ERRNO(ENOENT, ms_open(self->dev, name, 0));
	ASSERT_ERRNO(EPIPE, write(cli, "b", 1));
	close(cli);
	close(rdy[0]);
}

static int send_fd(int sock, int fd)
{
	char cbuf[CMSG_SPACE(sizeof(int))] = { 0 };
	struct iovec iov = { .iov_base = "F", .iov_len = 1 };
	struct msghdr mh = {
		.msg_iov = &iov, .msg_iovlen = 1,
		.msg_control = cbuf, .msg_controllen = sizeof(cbuf),
	};
	struct cmsghdr *cm = CMSG_FIRSTHDR(&mh);

	cm->cmsg_level = SOL_SOCKET;
	cm->cmsg_type = SCM_RIGHTS;
	cm->cmsg_len = CMSG_LEN(sizeof(int));
	memcpy(CMSG_DATA(cm), &fd, sizeof(int));
	return sendmsg(sock, &mh, 0) == 1 ? 0 : -1;
}

static int recv_fd(int sock)
{
	char cbuf[CMSG_SPACE(sizeof(int))] = { 0 }, c;
	struct iovec iov = { .iov_base = &c, .iov_len = 1 };
	struct msghdr mh = {
		.msg_iov = &iov, .msg_iovlen = 1,
		.msg_control = cbuf, .msg_controllen = sizeof(cbuf),
	};
	struct cmsghdr *cm;
	int fd;

	if (recvmsg(sock, &mh, MSG_CMSG_CLOEXEC) != 1)
		return -1;
	cm = CMSG_FIRSTHDR(&mh);
	if (!cm || cm->cmsg_type != SCM_RIGHTS)
		return -1;
	memcpy(&fd, CMSG_DATA(cm), sizeof(int));
	return fd;
}

/* A server fd passed over a unix socket is the same slot. */
TEST_F(lt, scm_rights_passed_server)
{
	int sv[2];
	pid_t pid;
	char c;

	ASSERT_EQ(0, socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sv));
	pid = fork();
	ASSERT_LE(0, pid);
	if (pid == 0) {
		/* a process that never had the fd before */
		char buf[16];
		int fd;

		close(self->srv);
		close(sv[0]);
		fd = recv_fd(sv[1]);
		if (fd < 0)
			_exit(1);
		if (read(fd, buf, sizeof(buf)) != 5 || memcmp(buf, "hello", 5))
			_exit(2);
		if (write(sv[1], "r", 1) != 1)
			_exit(3);
		/* hold the slot until the parent hangs up */
		if (read(sv[1], &c, 1) < 0)
			_exit(4);
		_exit(0);
	}
	close(sv[1]);
	ASSERT_EQ(5, write(self->cli, "hello", 5));
	ASSERT_EQ(0, send_fd(sv[0], self->srv));
	close(self->srv);
	self->srv = -1;
	ASSERT_EQ(1, read(sv[0], &c, 1));
	ASSERT_TRUE(slot_alive(self));
	close(sv[0]);
	ASSERT_EQ(0, wait_child(pid));
	ASSERT_FALSE(slot_alive(self));
}

/* ---- exec ---- */

static bool helper_path(char *buf, size_t size)
{
	char exe[4096];
	ssize_t n = readlink("/proc/self/exe", exe, sizeof(exe) - 1);

	if (n <= 0)
		return false;
	exe[n] = 0;
	snprintf(buf, size, "%s/_mailslot_exec_helper", dirname(exe));
	return access(buf, X_OK) == 0;
}

TEST_F(lt, cloexec_across_exec)
{
	char helper[4200], a[4][16], buf[16];
	int srv_ce, cli_ce, srv_in, cli_in;
	struct mailslot_info info;
	char name2[128];
	pid_t pid;

	if (!helper_path(helper, sizeof(helper)))
		SKIP(return, "_mailslot_exec_helper not found next to the test");
	/* the fixture's fds are close-on-exec (ms_create/ms_open default) */
	srv_ce = self->srv;
	cli_ce = self->cli;
	ASSERT_EQ(FD_CLOEXEC, fcntl(srv_ce, F_GETFD) & FD_CLOEXEC);
	ms_name(name2, sizeof(name2), "life-exec");
	srv_in = ms_create_full(self->dev, name2, strlen(name2), 0, 0, 0,
				MAILSLOT_MODE_ALL);
	ASSERT_LE(0, srv_in);
	cli_in = ms_open_full(self->dev, name2, strlen(name2), 0);
	ASSERT_LE(0, cli_in);
	ASSERT_EQ(7, write(cli_in, "to-exec", 7));

	snprintf(a[0], 16, "%d", srv_in);
	snprintf(a[1], 16, "%d", srv_ce);
	snprintf(a[2], 16, "%d", cli_in);
	snprintf(a[3], 16, "%d", cli_ce);
	pid = fork();
	ASSERT_LE(0, pid);
	if (pid == 0) {
		execl(helper, helper, "fds", a[0], a[1], a[2], a[3], (char *)NULL);
		_exit(127);
	}
	ASSERT_EQ(0, wait_child(pid));
	/* the helper consumed "to-exec" and wrote "from-exec" */
	ASSERT_EQ(9, read(srv_in, buf, sizeof(buf)));
	ASSERT_EQ(0, memcmp(buf, "from-exec", 9));
	ASSERT_EQ(0, ms_info(srv_in, &info));
	ASSERT_EQ(0U, info.msg_count);
	close(cli_in);
	close(srv_in);
}

/*
 * The only server fd, close-on-exec, goes away when its holder execs;
 * without close-on-exec it lives on in the exec'd program.
 */
static void exec_holder(struct __test_metadata *_metadata,
			 FIXTURE_DATA(lt) *self, bool cloexec)
{
	char helper[4200], w[16], r[16], c;
	int up[2], down[2];
	pid_t pid;

	if (!helper_path(helper, sizeof(helper)))
		SKIP(return, "_mailslot_exec_helper not found next to the test");
	/* replace the fixture's slot by one with the wanted CLOEXEC flag */
	close(self->cli);
	self->cli = -1;
	close(self->srv);
	self->srv = ms_create_full(self->dev, self->name, strlen(self->name),
				   0, 0, cloexec ? MAILSLOT_F_CLOEXEC : 0,
				   MAILSLOT_MODE_ALL);
	ASSERT_LE(0, self->srv);
	self->cli = ms_open(self->dev, self->name, 0);
	ASSERT_LE(0, self->cli);

	/* pipes the helper inherits (not close-on-exec) */
	ASSERT_EQ(0, pipe(up));
	ASSERT_EQ(0, pipe(down));
	snprintf(w, sizeof(w), "%d", up[1]);
	snprintf(r, sizeof(r), "%d", down[0]);
	pid = fork();
	ASSERT_LE(0, pid);
	if (pid == 0) {
		close(up[0]);
		close(down[1]);
		execl(helper, helper, "signal", w, r, (char *)NULL);
		_exit(127);
	}
	close(up[1]);
	close(down[0]);
	close(self->srv);	/* the child's copy is now the only one */
	self->srv = -1;
	/* the helper runs: exec is complete, close-on-exec fds are closed */
	ASSERT_EQ(1, read(up[0], &c, 1));
	if (cloexec) {
		ASSERT_FALSE(slot_alive(self)) TH_LOG("close-on-exec server survived exec");
		ASSERT_ERRNO(EPIPE, write(self->cli, "x", 1));
	} else {
		ASSERT_TRUE(slot_alive(self)) TH_LOG("inherited server lost at exec");
		ASSERT_EQ(1, write(self->cli, "x", 1));
	}
	close(down[1]);
	ASSERT_EQ(0, wait_child(pid));
	ASSERT_FALSE(slot_alive(self));
	close(up[0]);
}

TEST_F(lt, exec_closes_cloexec_server)
{
	exec_holder(_metadata, self, true);
}

TEST_F(lt, exec_keeps_inherited_server)
{
	exec_holder(_metadata, self, false);
}

TEST_HARNESS_MAIN
