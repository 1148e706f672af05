// SPDX-License-Identifier: GPL-2.0
/*
 * mailslot_perm: who may OPEN a writer.  The creator's effective uid
 * always; MODE_GROUP admits the creator's effective gid (primary or
 * supplementary group of the caller, in_group_p); MODE_OTHER everyone;
 * CAP_IPC_OWNER in the user namespace owning the slot's IPC namespace
 * admits anyone (root included only through that capability).
 *
 * Needs root: the test creates slots under a temporary effective uid/gid
 * (CREATOR_UID/CREATOR_GID) and probes from forked children that drop to
 * other credentials.  Every probe opens /dev/mailslot itself, after
 * switching credentials.
 */
#include "mailslot_test.h"

#include <grp.h>
#include <sys/prctl.h>
#include <linux/capability.h>

#define CREATOR_UID	4243
#define CREATOR_GID	4242
#define NOBODY		65534
#define OTHER_UID	4244

/* probe exit codes besides errno values */
#define P_OK		0
#define P_SETUP		201
#define P_NO_USERNS	202

struct creds {
	uid_t uid;
	gid_t gid;
	int ngroups;
	gid_t groups[2];
	bool keep_ipc_owner;	/* unprivileged uid, CAP_IPC_OWNER only */
	bool root_without_ipc_owner;	/* uid 0, every cap but CAP_IPC_OWNER */
	bool new_userns;	/* root in a new user namespace */
};

FIXTURE(perm) {
	int dev;
	char name[128];
	int srv;
};

FIXTURE_SETUP(perm)
{
	self->srv = -1;
	self->dev = ms_dev_open();
	if (self->dev < 0)
		SETUP_SKIP("%s: %s (module not loaded?)", MS_DEV, strerror(errno));
	if (geteuid() != 0)
		SETUP_SKIP("needs root to switch credentials");
	ms_name(self->name, sizeof(self->name), "perm");
}

FIXTURE_TEARDOWN(perm)
{
	if (self->srv >= 0)
		close(self->srv);
	if (self->dev >= 0)
		close(self->dev);
}

static int capget_v3(struct __user_cap_data_struct d[2])
{
	struct __user_cap_header_struct h = {
		.version = _LINUX_CAPABILITY_VERSION_3,
	};

	return syscall(SYS_capget, &h, d);
}

static int capset_v3(struct __user_cap_data_struct d[2])
{
	struct __user_cap_header_struct h = {
		.version = _LINUX_CAPABILITY_VERSION_3,
	};

	return syscall(SYS_capset, &h, d);
}

/* In a forked child: become "c".  Returns false on failure. */
static bool become(const struct creds *c)
{
	struct __user_cap_data_struct d[2];

	if (c->keep_ipc_owner && prctl(PR_SET_KEEPCAPS, 1, 0, 0, 0))
		return false;
	if (setgroups(c->ngroups, c->groups))
		return false;
	if (setresgid(c->gid, c->gid, c->gid) || setresuid(c->uid, c->uid, c->uid))
		return false;
	if (c->keep_ipc_owner) {
		memset(d, 0, sizeof(d));
		d[CAP_TO_INDEX(CAP_IPC_OWNER)].permitted = CAP_TO_MASK(CAP_IPC_OWNER);
		d[CAP_TO_INDEX(CAP_IPC_OWNER)].effective = CAP_TO_MASK(CAP_IPC_OWNER);
		if (capset_v3(d))
			return false;
	}
	if (c->root_without_ipc_owner) {
		if (capget_v3(d))
			return false;
		d[CAP_TO_INDEX(CAP_IPC_OWNER)].effective &= ~CAP_TO_MASK(CAP_IPC_OWNER);
		d[CAP_TO_INDEX(CAP_IPC_OWNER)].permitted &= ~CAP_TO_MASK(CAP_IPC_OWNER);
		if (capset_v3(d))
			return false;
	}
	return true;
}

/*
 * Fork, become "c", open /dev/mailslot and OPEN "name"; if that works,
 * write one message.  Returns 0 or the errno of the failed step.
 */
static int probe_open(const char *name, const struct creds *c)
{
	pid_t pid = fork();

	if (pid < 0)
		return -1;
	if (pid == 0) {
		int dev, cli;

		if (!become(c))
			_exit(P_SETUP);
		if (c->new_userns && unshare(CLONE_NEWUSER)) {
			fprintf(stderr, "# unshare(CLONE_NEWUSER): %s\n",
				strerror(errno));
			_exit(P_NO_USERNS);
		}
		dev = ms_dev_open();
		if (dev < 0)
			_exit(errno);
		cli = ms_open(dev, name, 0);
		if (cli < 0)
			_exit(errno);
		if (write(cli, "p", 1) != 1)
			_exit(errno);
		_exit(P_OK);
	}
	return wait_child(pid);
}

/* Create self->name as CREATOR_UID/CREATOR_GID (effective ids only). */
static int create_as_creator(FIXTURE_DATA(perm) *self, __u32 mode)
{
	int dev, srv, e;

	if (setresgid(-1, CREATOR_GID, -1) || setresuid(-1, CREATOR_UID, -1))
		return -1;
	dev = ms_dev_open();
	srv = dev < 0 ? -1 : ms_create_full(dev, self->name, strlen(self->name),
					    0, 0, MAILSLOT_F_CLOEXEC, mode);
	e = errno;
	if (dev >= 0)
		close(dev);
	if (setresuid(-1, 0, -1) || setresgid(-1, 0, -1))
		return -1;
	self->srv = srv;
	errno = e;
	return srv;
}

#define PROBE(_want, ...) do {						\
		struct creds __c = { __VA_ARGS__ };			\
		int __r = probe_open(self->name, &__c);			\
		ASSERT_NE(P_SETUP, __r) TH_LOG("could not switch credentials"); \
		ASSERT_EQ((_want), __r)					\
			TH_LOG("uid %u gid %u: want %s, got %s",	\
			       __c.uid, __c.gid, ms_errname(_want),	\
			       ms_errname(__r));			\
	} while (0)

static void owner_only(struct __test_metadata *_metadata,
		       FIXTURE_DATA(perm) *self, __u32 mode)
{
	ASSERT_LE(0, create_as_creator(self, mode)) TH_LOG("%s", ms_errname(errno));

	/* the creator's euid, whatever its groups */
	PROBE(P_OK, .uid = CREATOR_UID, .gid = 9999);
	/* others, even in the creator's group */
	PROBE(EACCES, .uid = NOBODY, .gid = NOBODY);
	PROBE(EACCES, .uid = OTHER_UID, .gid = CREATOR_GID);
	PROBE(EACCES, .uid = OTHER_UID, .gid = NOBODY, .ngroups = 1,
	      .groups = { CREATOR_GID });
	/* root passes only through CAP_IPC_OWNER ... */
	PROBE(P_OK, .uid = 0, .gid = 0);
	PROBE(EACCES, .uid = 0, .gid = 0, .root_without_ipc_owner = true);
	/* ... which admits an unprivileged uid too */
	PROBE(P_OK, .uid = NOBODY, .gid = NOBODY, .keep_ipc_owner = true);
}

TEST_F(perm, mode_zero_owner_only)
{
	owner_only(_metadata, self, 0);
}

TEST_F(perm, mode_owner_only)
{
	owner_only(_metadata, self, MAILSLOT_MODE_OWNER);
}

static void group_mode(struct __test_metadata *_metadata,
		       FIXTURE_DATA(perm) *self, __u32 mode)
{
	ASSERT_LE(0, create_as_creator(self, mode)) TH_LOG("%s", ms_errname(errno));

	PROBE(P_OK, .uid = CREATOR_UID, .gid = NOBODY);
	PROBE(P_OK, .uid = NOBODY, .gid = CREATOR_GID);
	PROBE(P_OK, .uid = OTHER_UID, .gid = NOBODY, .ngroups = 2,
	      .groups = { 12345, CREATOR_GID });
	PROBE(EACCES, .uid = NOBODY, .gid = NOBODY);
	PROBE(EACCES, .uid = OTHER_UID, .gid = NOBODY, .ngroups = 1,
	      .groups = { 12345 });
	/* the creator's real gid (0) is not its effective gid */
	PROBE(EACCES, .uid = NOBODY, .gid = 0);
	PROBE(P_OK, .uid = 0, .gid = 0);
	PROBE(EACCES, .uid = 0, .gid = 0, .root_without_ipc_owner = true);
}

TEST_F(perm, mode_group)
{
	group_mode(_metadata, self, MAILSLOT_MODE_GROUP);
}

TEST_F(perm, mode_owner_group)
{
	group_mode(_metadata, self, MAILSLOT_MODE_OWNER | MAILSLOT_MODE_GROUP);
}

static void other_mode(struct __test_metadata *_metadata,
		       FIXTURE_DATA(perm) *self, __u32 mode)
{
	ASSERT_LE(0, create_as_creator(self, mode)) TH_LOG("%s", ms_errname(errno));

	PROBE(P_OK, .uid = CREATOR_UID, .gid = NOBODY);
	PROBE(P_OK, .uid = NOBODY, .gid = NOBODY);
	PROBE(P_OK, .uid = OTHER_UID, .gid = CREATOR_GID);
	PROBE(P_OK, .uid = 0, .gid = 0, .root_without_ipc_owner = true);
}

TEST_F(perm, mode_other)
{
	other_mode(_metadata, self, MAILSLOT_MODE_OTHER);
}

TEST_F(perm, mode_all)
{
	other_mode(_metadata, self, MAILSLOT_MODE_ALL);
}

/* OTHER without GROUP still admits the group (it admits everyone). */
TEST_F(perm, mode_owner_other)
{
	other_mode(_metadata, self, MAILSLOT_MODE_OWNER | MAILSLOT_MODE_OTHER);
}

/* Root of a new user namespace has no CAP_IPC_OWNER over the slot. */
TEST_F(perm, userns_root_not_admitted)
{
	struct creds c = { .uid = 0, .gid = 0, .new_userns = true };
	int r;

	ASSERT_LE(0, create_as_creator(self, 0));
	r = probe_open(self->name, &c);
	if (r == P_NO_USERNS)
		SKIP(return, "unshare(CLONE_NEWUSER) not available (a chroot()ed process gets EPERM)");
	/* (its kuid is still 0, but that is not the creator's euid) */
	ASSERT_EQ(EACCES, r) TH_LOG("got %s", ms_errname(r));
	close(self->srv);
	self->srv = -1;
	ASSERT_LE(0, create_as_creator(self, MAILSLOT_MODE_OTHER));
	ASSERT_EQ(P_OK, probe_open(self->name, &c));
}

/* Permission is checked at OPEN; an obtained client fd works for anyone. */
TEST_F(perm, client_fd_passed_to_unprivileged)
{
	struct mailslot_info info;
	int cli;
	pid_t pid;

	ASSERT_LE(0, create_as_creator(self, 0));
	cli = ms_open(self->dev, self->name, 0);
	ASSERT_LE(0, cli);
	pid = fork();
	ASSERT_LE(0, pid);
	if (pid == 0) {
		struct creds c = { .uid = NOBODY, .gid = NOBODY };

		if (!become(&c))
			_exit(P_SETUP);
		_exit(write(cli, "handed", 6) == 6 ? 0 : errno);
	}
	ASSERT_EQ(0, wait_child(pid));
	ASSERT_EQ(0, ms_info(self->srv, &info));
	ASSERT_EQ(1U, info.msg_count);
	close(cli);
}

/* Any user may create slots and open its own; the device is 0666. */
TEST_F(perm, unprivileged_create)
{
	pid_t pid = fork();

	ASSERT_LE(0, pid);
	if (pid == 0) {
		struct creds c = { .uid = NOBODY, .gid = NOBODY };
		struct mailslot_info info;
		int dev, srv, cli;
		char buf[4];

		if (!become(&c))
			_exit(P_SETUP);
		dev = ms_dev_open();
		if (dev < 0)
			_exit(100);
		srv = ms_create_full(dev, self->name, strlen(self->name), 0, 0,
				     0, 0);
		if (srv < 0)
			_exit(101);
		cli = ms_open(dev, self->name, 0);
		if (cli < 0)
			_exit(102);
		if (write(cli, "own", 3) != 3 || read(srv, buf, 4) != 3)
			_exit(103);
		if (ms_info(srv, &info) || ms_info(cli, &info))
			_exit(104);
		_exit(0);
	}
	ASSERT_EQ(0, wait_child(pid));
}

TEST_HARNESS_MAIN
