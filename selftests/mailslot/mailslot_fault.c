// SPDX-License-Identifier: GPL-2.0
/*
 * mailslot_fault: every operation under systematic fault injection
 * (Documentation/fault-injection/fault-injection.rst, "fail-nth").
 *
 * For each operation (CREATE, OPEN, write of 16 bytes and of a message
 * larger than 64 KiB that lives in a page chain, read(2),
 * MAILSLOT_IOC_READ, MAILSLOT_IOC_READ_BATCH, GET_INFO, SET_TIMEOUT,
 * close of a client and of the server) and N = 1, 2, ...: build a known
 * slot (three queued messages), write N to /proc/thread-self/fail-nth,
 * make the call, and read fail-nth back; stop at the first N whose fault
 * was not consumed.  A call whose fault was consumed either fails with
 * ENOMEM or EFAULT (user copies fail too, with fail_usercopy) and leaves
 * the slot exactly as before (GET_INFO, name lookup, every queued byte),
 * or succeeds with exactly the effect of a success.  After each
 * iteration the per-slot and per-user byte charges are checked exactly
 * (a BIG message fills both budgets to the byte: one more empty message
 * must get ENOBUFS, then EDQUOT), and so are slot charges (exactly
 * user_max_slots slots can be created).  Leaks of memory or references
 * show up in kmemleak (vm-run scans it after rmmod) and in the module's
 * WARN_ON_ONCE checks.
 *
 * Needs the debug kernel (CONFIG_FAULT_INJECTION, FAILSLAB,
 * FAIL_PAGE_ALLOC, FAULT_INJECTION_USERCOPY, debugfs) and root; SKIPs
 * when /proc/thread-self/fail-nth is absent.  debugfs knobs and module
 * parameters it changes are restored at exit.
 */
#include "mailslot_test.h"

#include <sys/mount.h>

#define FAIL_NTH	"/proc/thread-self/fail-nth"
#define DBG		"/sys/kernel/debug"
#define BIG		70000U		/* > 64 KiB: 18 pages */
#define MAX_N		5000

/* ---- settings changed for the run, restored at exit ---- */

struct knob {
	const char *path;
	const char *value;
	char old[32];
	bool saved;
};

static struct knob knobs[] = {
	/* GFP_KERNEL allocations are exempt unless these are N */
	{ .path = DBG "/failslab/ignore-gfp-wait", .value = "N" },
	{ .path = DBG "/fail_page_alloc/ignore-gfp-wait", .value = "N" },
	/* order-0 pages (the message page chain) are exempt below min-order */
	{ .path = DBG "/fail_page_alloc/min-order", .value = "0" },
	/* no stack dump per injected fault: slow under KASAN */
	{ .path = DBG "/failslab/verbose", .value = "0" },
	{ .path = DBG "/fail_page_alloc/verbose", .value = "0" },
	{ .path = DBG "/fail_usercopy/verbose", .value = "0" },
};
#define NKNOBS (sizeof(knobs) / sizeof(knobs[0]))

static const char *const params[] = {
	"max_msg_size", "slot_max_bytes", "user_max_bytes", "user_max_slots",
};
#define NPARAMS (sizeof(params) / sizeof(params[0]))
static long long param_orig[NPARAMS];
static bool params_saved;

static int read_str(const char *path, char *buf, size_t size)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	ssize_t n;

	if (fd < 0)
		return -1;
	n = read(fd, buf, size - 1);
	close(fd);
	if (n < 0)
		return -1;
	buf[n] = 0;
	buf[strcspn(buf, "\n")] = 0;
	return 0;
}

static int write_str(const char *path, const char *s)
{
	int fd = open(path, O_WRONLY | O_CLOEXEC);
	ssize_t n;

	if (fd < 0)
		return -1;
	n = write(fd, s, strlen(s));
	close(fd);
	return n == (ssize_t)strlen(s) ? 0 : -1;
}

static void restore_all(void)
{
	unsigned int i;

	for (i = 0; i < NKNOBS; i++)
		if (knobs[i].saved)
			write_str(knobs[i].path, knobs[i].old);
	if (params_saved)
		for (i = 0; i < NPARAMS; i++)
			if (ms_param_get(params[i]) != param_orig[i])
				ms_param_set(params[i], param_orig[i]);
}

static void __attribute__((constructor)) save_all(void)
{
	unsigned int i;

	if (geteuid() != 0 || access(FAIL_NTH, F_OK))
		return;
	if (access(DBG "/failslab", F_OK))
		mount("debugfs", DBG, "debugfs", 0, NULL);
	for (i = 0; i < NKNOBS; i++)
		knobs[i].saved = !read_str(knobs[i].path, knobs[i].old,
					   sizeof(knobs[i].old));
	if (!access(MS_PARAMS, F_OK)) {
		for (i = 0; i < NPARAMS; i++)
			param_orig[i] = ms_param_get(params[i]);
		params_saved = true;
	}
	atexit(restore_all);
}

/* ---- fail-nth ---- */

static int fail_fd = -1;

static bool inject(int n)
{
	char b[16];
	int len = snprintf(b, sizeof(b), "%d", n);

	return pwrite(fail_fd, b, len, 0) == len;
}

/*
 * Was the armed fault consumed by the call?  (If the read-back itself
 * trips over the still pending fault it fails: not consumed either.)
 * Disarms in any case.
 */
static bool consumed(void)
{
	char b[16];
	ssize_t r = pread(fail_fd, b, sizeof(b) - 1, 0);
	bool c = false;
	int i;

	if (r > 0) {
		b[r] = 0;
		c = atoi(b) == 0;
	}
	for (i = 0; i < 16 && pwrite(fail_fd, "0", 1, 0) != 1; i++)
		;
	return c;
}

/* ---- the world each iteration starts from ---- */

enum op {
	OP_CREATE, OP_OPEN, OP_WRITE16, OP_WRITEBIG, OP_READ, OP_IOCTL_READ,
	OP_READ_BATCH, OP_GET_INFO, OP_SET_TIMEOUT, OP_CLOSE_CLIENT,
	OP_CLOSE_SERVER, NOPS
};

static const char *const op_names[NOPS] = {
	"CREATE", "OPEN", "write 16 B", "write 70000 B", "read(2)",
	"IOC_READ", "IOC_READ_BATCH", "GET_INFO", "SET_TIMEOUT",
	"close(client)", "close(server)",
};

struct msgspec {
	__u32 len, seed;
};

/* queued before every operation, oldest first */
static const struct msgspec initial[] = { { 16, 1 }, { BIG, 2 }, { 5, 3 } };
#define NINIT 3
/* byte limits while the operations run: room for everything */
#define ROOMY(_self)	(8 * (BIG + (_self)->overhead))
#define TIMEOUT0 0U

FIXTURE(f) {
	int dev;
	long long overhead;
	char name[128], spare[128], probe[128];
	int srv, cli, cli2;		/* the world's slot */
	int bsrv, bcli;			/* a second slot, for the user budget */
	struct msgspec q[NINIT + 2];	/* model of the queue */
	unsigned int nq;
	unsigned char *buf, *buf2;
};

FIXTURE_SETUP(f)
{
	unsigned int i;

	self->srv = self->cli = self->cli2 = self->bsrv = self->bcli = -1;
	self->buf = self->buf2 = NULL;
	self->dev = ms_dev_open();
	if (self->dev < 0)
		SETUP_SKIP("%s: %s (module not loaded?)", MS_DEV, strerror(errno));
	if (access(FAIL_NTH, F_OK))
		SETUP_SKIP("%s absent: no CONFIG_FAULT_INJECTION (stock kernel)", FAIL_NTH);
	if (geteuid() != 0)
		SETUP_SKIP("needs root (debugfs, module parameters)");
	ASSERT_TRUE(params_saved);
	for (i = 0; i < NKNOBS; i++) {
		if (!knobs[i].saved)
			continue;
		ASSERT_EQ(0, write_str(knobs[i].path, knobs[i].value))
			TH_LOG("%s: %s", knobs[i].path, strerror(errno));
	}
	if (!knobs[0].saved)
		TH_LOG("no %s: only fail_usercopy faults will fire", knobs[0].path);
	fail_fd = open(FAIL_NTH, O_RDWR | O_CLOEXEC);
	ASSERT_LE(0, fail_fd);

	self->overhead = ms_param_get("msg_overhead");
	ASSERT_LT(0, self->overhead);
	ASSERT_EQ(0, ms_param_set("max_msg_size", BIG));
	ASSERT_EQ(0, ms_param_set("slot_max_bytes", ROOMY(self)));
	ASSERT_EQ(0, ms_param_set("user_max_bytes", ROOMY(self)));
	ASSERT_EQ(0, ms_param_set("user_max_slots", 6));

	self->buf = malloc(4 * BIG);
	self->buf2 = malloc(4 * BIG);
	ASSERT_NE(NULL, self->buf);
	ASSERT_NE(NULL, self->buf2);
	ms_name(self->spare, sizeof(self->spare), "fault-b");
	self->bsrv = ms_create(self->dev, self->spare, 0, 0, 0);
	ASSERT_LE(0, self->bsrv);
	self->bcli = ms_open(self->dev, self->spare, 0);
	ASSERT_LE(0, self->bcli);
}

FIXTURE_TEARDOWN(f)
{
	if (fail_fd >= 0) {
		pwrite(fail_fd, "0", 1, 0);
		close(fail_fd);
		fail_fd = -1;
	}
	if (self->cli2 >= 0)
		close(self->cli2);
	if (self->cli >= 0)
		close(self->cli);
	if (self->srv >= 0)
		close(self->srv);
	if (self->bcli >= 0)
		close(self->bcli);
	if (self->bsrv >= 0)
		close(self->bsrv);
	if (self->dev >= 0)
		close(self->dev);
	free(self->buf);
	free(self->buf2);
	restore_all();
}

/* A fresh slot holding the initial messages; two clients. */
static void world_build(struct __test_metadata *_metadata, FIXTURE_DATA(f) *self)
{
	unsigned int i;

	ms_name(self->name, sizeof(self->name), "fault");
	self->srv = ms_create(self->dev, self->name, 0, TIMEOUT0, 0);
	ASSERT_LE(0, self->srv) TH_LOG("CREATE: %s", ms_errname(errno));
	self->cli = ms_open(self->dev, self->name, 0);
	ASSERT_LE(0, self->cli);
	self->cli2 = ms_open(self->dev, self->name, 0);
	ASSERT_LE(0, self->cli2);
	for (i = 0; i < NINIT; i++) {
		fill_pat(self->buf, initial[i].len, initial[i].seed);
		ASSERT_EQ((ssize_t)initial[i].len,
			  write(self->cli, self->buf, initial[i].len));
		self->q[i] = initial[i];
	}
	self->nq = NINIT;
}

/* GET_INFO as the model says it must be. */
static void world_info(struct __test_metadata *_metadata, FIXTURE_DATA(f) *self,
		       int fd, __u32 timeout)
{
	struct mailslot_info info, want;
	unsigned int i;

	memset(&want, 0, sizeof(want));
	want.next_size = self->nq ? self->q[0].len : MAILSLOT_NO_MESSAGE;
	want.msg_count = self->nq;
	want.read_timeout_ms = timeout;
	for (i = 0; i < self->nq; i++)
		want.queued_bytes += self->q[i].len;
	ASSERT_EQ(0, ms_info(fd, &info)) TH_LOG("GET_INFO: %s", ms_errname(errno));
	ASSERT_EQ(0, memcmp(&want, &info, sizeof(info)))
		TH_LOG("GET_INFO: count %u next %u bytes %llu timeout %u, model: %u %u %llu %u",
		       info.msg_count, info.next_size,
		       (unsigned long long)info.queued_bytes, info.read_timeout_ms,
		       want.msg_count, want.next_size,
		       (unsigned long long)want.queued_bytes, want.read_timeout_ms);
}

/* The name still leads to this very slot. */
static void world_lookup(struct __test_metadata *_metadata, FIXTURE_DATA(f) *self)
{
	struct mailslot_info a, b;
	int c = ms_open(self->dev, self->name, 0);

	ASSERT_LE(0, c) TH_LOG("OPEN by name: %s", ms_errname(errno));
	ASSERT_EQ(0, ms_info(c, &a));
	ASSERT_EQ(0, ms_info(self->srv, &b));
	ASSERT_EQ(0, memcmp(&a, &b, sizeof(a)));
	close(c);
}

/* Drain and compare every byte with the model; close the world. */
static void world_drain(struct __test_metadata *_metadata, FIXTURE_DATA(f) *self)
{
	unsigned int i;

	for (i = 0; i < self->nq; i++) {
		ssize_t n = read(self->srv, self->buf, 4 * BIG);

		ASSERT_EQ((ssize_t)self->q[i].len, n)
			TH_LOG("message %u: %s", i, ms_errname(errno));
		ASSERT_TRUE(check_pat(self->buf, n, self->q[i].seed))
			TH_LOG("message %u (%zd bytes) corrupt", i, n);
	}
	ASSERT_ERRNO(ETIMEDOUT, read(self->srv, self->buf, 4 * BIG));
	self->nq = 0;
}

/*
 * Byte charges to the byte: the empty slot takes one BIG message and
 * not one empty message more (ENOBUFS); the spare slot takes one BIG
 * message, then the user's budget is spent (EDQUOT).
 */
static void budget_check(struct __test_metadata *_metadata, FIXTURE_DATA(f) *self)
{
	/* both slots are empty: nothing of this uid is charged */
	ASSERT_EQ(0, ms_param_set("slot_max_bytes", BIG + self->overhead));
	ASSERT_EQ(0, ms_param_set("user_max_bytes", 2 * (BIG + self->overhead)));
	fill_pat(self->buf, BIG, 77);
	ASSERT_EQ((ssize_t)BIG, write(self->cli, self->buf, BIG))
		TH_LOG("slot or user charge leaked: %s", ms_errname(errno));
	ASSERT_ERRNO(ENOBUFS, write(self->cli, self->buf, 0))
		TH_LOG("slot charge leaked (negative)");
	ASSERT_EQ((ssize_t)BIG, write(self->bcli, self->buf, BIG))
		TH_LOG("user charge leaked: %s", ms_errname(errno));
	ASSERT_ERRNO(EDQUOT, write(self->bcli, self->buf, 0))
		TH_LOG("user charge leaked (negative)");
	ASSERT_EQ((ssize_t)BIG, read(self->srv, self->buf, 4 * BIG));
	ASSERT_EQ((ssize_t)BIG, read(self->bsrv, self->buf, 4 * BIG));
	ASSERT_EQ(0, ms_param_set("slot_max_bytes", ROOMY(self)));
	ASSERT_EQ(0, ms_param_set("user_max_bytes", ROOMY(self)));
}

/* Exactly user_max_slots (6) slots: the spare, the world's, 4 more. */
static void slots_check(struct __test_metadata *_metadata, FIXTURE_DATA(f) *self,
			int held)
{
	int fds[8], i, n = 0;
	char name[128];

	for (i = 0; i < 8; i++) {
		ms_name(name, sizeof(name), "fault-count");
		fds[i] = ms_create(self->dev, name, 0, 0, 0);
		if (fds[i] < 0) {
			ASSERT_EQ(ENOSPC, errno);
			break;
		}
		n++;
	}
	for (i = 0; i < n; i++)
		close(fds[i]);
	ASSERT_EQ(6 - held, n) TH_LOG("slot charge leaked: %d slots held, %d more created",
				      held, n);
}

static void world_close(FIXTURE_DATA(f) *self)
{
	if (self->cli2 >= 0)
		close(self->cli2);
	if (self->cli >= 0)
		close(self->cli);
	if (self->srv >= 0)
		close(self->srv);
	self->srv = self->cli = self->cli2 = -1;
}

/* Take the n oldest messages out of the model, checking what was read. */
static void model_take(struct __test_metadata *_metadata, FIXTURE_DATA(f) *self,
		       const unsigned char *buf, const __u32 *lens, unsigned int n)
{
	size_t off = 0;
	unsigned int i;

	ASSERT_LE(n, self->nq);
	for (i = 0; i < n; i++) {
		ASSERT_EQ(self->q[i].len, lens[i]);
		ASSERT_TRUE(check_pat(buf + off, lens[i], self->q[i].seed))
			TH_LOG("message %u read corrupt", i);
		off += lens[i];
	}
	memmove(self->q, self->q + n, (self->nq - n) * sizeof(self->q[0]));
	self->nq -= n;
}

struct tally {
	unsigned int faults, failed, enomem, efault;
};

/*
 * One iteration: world, fault N, the call, the checks.
 * Returns whether the fault was consumed.
 */
static bool one(struct __test_metadata *_metadata, FIXTURE_DATA(f) *self,
		enum op op, int n, struct tally *t)
{
	struct mailslot_read_batch b;
	struct mailslot_info info;
	__u32 lens[8], msg_len = 0, tmo = 1234;
	char xname[128];
	bool fired;
	long r;
	int e;

	world_build(_metadata, self);
	world_info(_metadata, self, self->srv, TIMEOUT0);
	ms_name(xname, sizeof(xname), "fault-x");
	fill_pat(self->buf, BIG, 9);
	memset(&b, 0, sizeof(b));
	b.buf = (uintptr_t)self->buf2;
	b.buf_len = 4 * BIG;
	b.lens = (uintptr_t)lens;
	b.max_msgs = 8;

	if (!inject(n)) {
		ASSERT_TRUE(false) TH_LOG("cannot arm %s: %s", FAIL_NTH, strerror(errno));
	}
	errno = 0;
	switch (op) {
	case OP_CREATE:
		r = ms_create(self->dev, xname, 0, 0, 0);
		break;
	case OP_OPEN:
		r = ms_open(self->dev, self->name, 0);
		break;
	case OP_WRITE16:
		r = write(self->cli, self->buf, 16);
		break;
	case OP_WRITEBIG:
		r = write(self->cli2, self->buf, BIG);
		break;
	case OP_READ:
		r = read(self->srv, self->buf2, 4 * BIG);
		break;
	case OP_IOCTL_READ:
		r = ms_read_ioctl(self->srv, self->buf2, 4 * BIG, 0, 0, &msg_len);
		break;
	case OP_READ_BATCH:
		r = ioctl(self->srv, MAILSLOT_IOC_READ_BATCH, &b);
		break;
	case OP_GET_INFO:
		r = ioctl(self->srv, MAILSLOT_IOC_GET_INFO, &info);
		break;
	case OP_SET_TIMEOUT:
		r = ioctl(self->srv, MAILSLOT_IOC_SET_TIMEOUT, &tmo);
		break;
	case OP_CLOSE_CLIENT:
		r = close(self->cli2);
		break;
	case OP_CLOSE_SERVER:
	default:
		r = close(self->srv);
		break;
	}
	e = errno;
	fired = consumed();
	if (fired)
		t->faults++;

	if (r < 0) {
		ASSERT_TRUE(fired) TH_LOG("%s failed without a fault: %s",
					  op_names[op], ms_errname(e));
		ASSERT_TRUE(e == ENOMEM || e == EFAULT)
			TH_LOG("%s, fault %d: %s", op_names[op], n, ms_errname(e));
		t->failed++;
		if (e == ENOMEM)
			t->enomem++;
		else
			t->efault++;
		/* nothing changed */
		if (op == OP_CREATE) {
			ASSERT_ERRNO(ENOENT, ms_open(self->dev, xname, 0));
		}
		world_info(_metadata, self, self->srv, TIMEOUT0);
		world_info(_metadata, self, self->cli, TIMEOUT0);
		world_lookup(_metadata, self);
	} else {
		/* the effect of a success, exactly */
		switch (op) {
		case OP_CREATE:
			ASSERT_EQ(0, ms_info(r, &info));
			ASSERT_EQ(0U, info.msg_count);
			ASSERT_EQ(MAILSLOT_NO_MESSAGE, info.next_size);
			{
				int c = ms_open(self->dev, xname, 0);

				ASSERT_LE(0, c);
				close(c);
			}
			ASSERT_ERRNO(EEXIST, ms_create(self->dev, xname, 0, 0, 0));
			close(r);
			break;
		case OP_OPEN:
			ASSERT_EQ(0, ms_info(r, &info));
			ASSERT_EQ((__u32)self->nq, info.msg_count);
			close(r);
			break;
		case OP_WRITE16:
		case OP_WRITEBIG:
			ASSERT_EQ(op == OP_WRITE16 ? 16 : (long)BIG, r);
			self->q[self->nq].len = r;
			self->q[self->nq].seed = 9;
			self->nq++;
			break;
		case OP_READ:
		case OP_IOCTL_READ:
			lens[0] = r;
			if (op == OP_IOCTL_READ) {
				ASSERT_EQ((__u32)r, msg_len);
			}
			model_take(_metadata, self, self->buf2, lens, 1);
			break;
		case OP_READ_BATCH:
			ASSERT_LE(1, r);
			model_take(_metadata, self, self->buf2, lens, r);
			break;
		case OP_GET_INFO:
			break;
		case OP_SET_TIMEOUT:
			world_info(_metadata, self, self->srv, tmo);
			ASSERT_EQ(0, ms_set_timeout(self->srv, TIMEOUT0));
			break;
		case OP_CLOSE_CLIENT:
			self->cli2 = -1;
			break;
		default:
			self->srv = -1;
			ASSERT_ERRNO(ENOENT, ms_open(self->dev, self->name, 0));
			ASSERT_ERRNO(EPIPE, write(self->cli, "x", 1));
			ASSERT_ERRNO(EPIPE, ms_info(self->cli, &info));
			world_close(self);
			/* the name is free at once */
			ms_name(self->name, sizeof(self->name), "fault");
			self->nq = 0;
			world_build(_metadata, self);
			world_drain(_metadata, self);
			budget_check(_metadata, self);
			slots_check(_metadata, self, 2);
			world_close(self);
			return fired;
		}
		world_info(_metadata, self, self->srv, TIMEOUT0);
		world_lookup(_metadata, self);
	}
	world_drain(_metadata, self);
	budget_check(_metadata, self);
	if (op == OP_CREATE || op == OP_OPEN) {
		slots_check(_metadata, self, 2);
	}
	world_close(self);
	return fired;
}

TEST_F_TIMEOUT(f, every_operation, 900)
{
	struct tally total = { 0 };
	uint64_t t0 = now_ns();
	int op;

	for (op = 0; op < NOPS; op++) {
		struct tally t = { 0 };
		uint64_t t1 = now_ns();
		int n;

		for (n = 1; n <= MAX_N; n++) {
			if (!one(_metadata, self, op, n, &t))
				break;
		}
		ASSERT_GE(MAX_N, n) TH_LOG("%s: still failing at N = %d", op_names[op], n);
		TH_LOG("%-15s %3u faults injected: %3u calls failed (%u ENOMEM, %u EFAULT), %3u succeeded anyway; %" PRIu64 " ms",
		       op_names[op], t.faults, t.failed, t.enomem, t.efault,
		       t.faults - t.failed, ms_since(t1));
		total.faults += t.faults;
		total.failed += t.failed;
	}
	TH_LOG("all: %u faults injected, %u calls failed cleanly; %" PRIu64 " ms",
	       total.faults, total.failed, ms_since(t0));
	/* the slot table is as it was: the spare slot and nothing else */
	slots_check(_metadata, self, 1);
}

TEST_HARNESS_MAIN
