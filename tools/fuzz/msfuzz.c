// SPDX-License-Identifier: GPL-2.0
/*
 * msfuzz - a bounded, seeded syscall fuzzer for /dev/mailslot.
 *
 *   build/fuzz/msfuzz [--seconds N] [--seed S] [--workers W] [--no-params]
 *                     [--no-setuid] [--fault PCT] [--verbose]
 *
 * Meant to run as root inside the test VM:
 *   tools/vm-run --kernel 6.12 -- build/fuzz/msfuzz --seconds 60 --seed 1
 *
 * The parent forks W workers (default 4).  Each worker has its own PRNG
 * stream derived from the seed (printed, so a run can be replayed) and two
 * threads: the main thread runs random operations on a table of fds whose
 * kinds it knows (/dev/mailslot, server, client, pipe, eventfd, epoll,
 * /dev/null, bogus numbers) and judges every result; a "racer" thread hits
 * the same fd numbers at the same time with reads, writes, ioctls and
 * polls, judged only loosely.  Operations: open /dev/mailslot, every
 * MAILSLOT_IOC_* on every kind of fd, the same numbers with wrong sizes
 * and directions, unknown numbers, a few generic VFS ioctls, read, write,
 * readv, writev, poll, epoll, close, dup, dup2, fcntl, /proc fdinfo and
 * fd links, fork (the child does a few operations, sometimes in new IPC or
 * user namespaces, and exits), passing fds between workers over one shared
 * AF_UNIX socket, and RLIMIT_NOFILE changes (so fd allocation fails after
 * a slot was inserted).  Structures get edge-case field values; pointers
 * are valid, NULL, PROT_NONE, read-only, straddling an unmapped page,
 * unmapped, kernel or non-canonical; lengths sit at and around every limit
 * (read from /sys/module/mailslot/parameters/).  Worker 2 (mod 3) drops
 * to an unprivileged uid so that modes and EACCES are exercised.
 *
 * The parent sends SIGUSR1 (SA_RESTART or not, per worker), SIGSTOP and
 * SIGCONT to workers at random and, as root, changes the module
 * parameters within sane bounds (restored at exit).  Each thread also has
 * a timer that interrupts blocking calls every few tens of milliseconds.
 *
 * What is checked (each failure is a FINDING, and the exit status is 1):
 * every errno is one the interface documents for that call on that kind
 * of fd, and the ones that are determined (EINVAL for bad fields,
 * ENAMETOOLONG, EFAULT for a bad struct, EBADF, ENOTTY) are exactly those;
 * EFAULT only ever when a bad pointer was passed; successful results obey
 * the uapi (lengths, GET_INFO consistency, fd access modes and flags,
 * poll/epoll masks, fdinfo).  A worker or child dying of a signal we did
 * not send is a finding too.  The kernel side is judged by vm-run.
 *
 * --fault PCT (debug kernel): failslab and fail_page_alloc fail PCT% of the
 * workers' allocations (task-filter); ENOMEM is then accepted everywhere.
 *
 * After --seconds everything stops, children are killed and reaped, every
 * fd is closed, so that the module can be unloaded.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <limits.h>
#include <poll.h>
#include <pthread.h>
#include <sched.h>
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/time.h>
#include <sys/uio.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <linux/mailslot.h>

#define PARAM_DIR "/sys/module/mailslot/parameters/"
#define MSG_SIZE_LIMIT (16U << 20)
#define AREA_SZ ((size_t)MSG_SIZE_LIMIT + (256 << 10))
#define MAXFD 48
#define MAXW 32
#define NERR 140

typedef unsigned __int128 eset;
#define B(e) ((eset)1 << (e))
#define E_OK ((eset)1)		/* bit 0: success allowed */

/* ---- operations and statistics ------------------------------------------- */
#define OPS(X) \
	X(OPEN_DEV) X(CREATE) X(OPEN) X(GET_INFO) X(SET_TIMEOUT) X(IOC_READ) \
	X(IOC_READ_BATCH) X(IOC_BADSIZE) X(IOC_UNKNOWN) X(IOC_VFS) X(READ) \
	X(WRITE) X(READV) X(WRITEV) X(POLL) X(EPOLL_CTL) X(EPOLL_WAIT) \
	X(CLOSE) X(DUP) X(DUP2) X(FCNTL) X(FDINFO) X(FORK) X(SCM_SEND) \
	X(SCM_RECV) X(RLIMIT) X(OPEN_OTHER) X(RACER) X(CHILD_OP) X(SIGNAL) \
	X(STOPCONT) X(PARAM) X(IOC_WRITE) X(IOC_WRITE_BATCH)
#define X_ENUM(n) OP_##n,
#define X_NAME(n) #n,
enum { OPS(X_ENUM) NOPS };
static const char *const op_names[] = { OPS(X_NAME) };

struct shared {
	volatile int stop;
	uint64_t calls[NOPS], oks[NOPS];
	uint64_t errs[NOPS][NERR];
	uint64_t findings;
	/* current module parameters, written by the parent */
	volatile uint32_t max_msg_size, slot_max_bytes, user_max_bytes;
	volatile uint32_t overhead;
};
static struct shared *sh;

static void count(int op, long ret, int err)
{
	__atomic_fetch_add(&sh->calls[op], 1, __ATOMIC_RELAXED);
	if (ret >= 0)
		__atomic_fetch_add(&sh->oks[op], 1, __ATOMIC_RELAXED);
	else
		__atomic_fetch_add(&sh->errs[op][err < NERR ? err : NERR - 1], 1,
				   __ATOMIC_RELAXED);
}

/* async-signal-safe enough for forked children: no stdio locks */
static void say(const char *fmt, ...)
{
	char buf[512];
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(buf, sizeof(buf) - 1, fmt, ap);
	va_end(ap);
	if (n < 0)
		return;
	if (n > (int)sizeof(buf) - 2)
		n = sizeof(buf) - 2;
	buf[n++] = '\n';
	if (write(2, buf, n) < 0)
		return;
}

static int worker_id = -1;

static void finding(const char *fmt, ...)
{
	char buf[400];
	va_list ap;
	uint64_t n = __atomic_add_fetch(&sh->findings, 1, __ATOMIC_RELAXED);

	va_start(ap, fmt);
	vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	if (n <= 40)
		say("msfuzz: FINDING [worker %d pid %d] %s", worker_id, getpid(), buf);
}

/* ---- PRNG: xoshiro256** seeded by splitmix64 ---------------------------- */
struct rng { uint64_t s[4]; };

static uint64_t splitmix(uint64_t *x)
{
	uint64_t z = (*x += 0x9E3779B97F4A7C15ULL);

	z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
	z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
	return z ^ (z >> 31);
}

static void rng_seed(struct rng *r, uint64_t seed, uint64_t stream)
{
	uint64_t x = seed ^ (stream * 0xD1B54A32D192ED03ULL);
	int i;

	for (i = 0; i < 4; i++)
		r->s[i] = splitmix(&x);
}

static uint64_t rotl(uint64_t x, int k) { return (x << k) | (x >> (64 - k)); }

static uint64_t rnd(struct rng *r)
{
	uint64_t *s = r->s, res = rotl(s[1] * 5, 7) * 9, t = s[1] << 17;

	s[2] ^= s[0]; s[3] ^= s[1]; s[1] ^= s[2]; s[0] ^= s[3];
	s[2] ^= t; s[3] = rotl(s[3], 45);
	return res;
}

static uint64_t rn(struct rng *r, uint64_t n) { return n ? rnd(r) % n : 0; }
static bool one_in(struct rng *r, uint64_t n) { return rn(r, n) == 0; }

/* ---- fd table ------------------------------------------------------------- */
enum kind { K_DEV, K_SERVER, K_CLIENT, K_PIPE_R, K_PIPE_W, K_EVENTFD,
	    K_EPOLL, K_NULL, K_BOGUS, NKINDS };
static const char *const kind_names[] = { "dev", "server", "client", "pipe-r",
	"pipe-w", "eventfd", "epoll", "devnull", "bogus" };

struct fdent {
	int fd;
	int kind;
	int accmode;		/* K_DEV: O_RDONLY/O_WRONLY/O_RDWR */
	uint32_t max_msg;	/* K_SERVER: as created (0 = unknown/none) */
	bool max_known;
};

struct ctx {
	struct rng r;
	bool racer, child, root;
	struct fdent fds[MAXFD];
	volatile int nfds;
	char *area;		/* AREA_SZ bytes RW, then one PROT_NONE page */
	char *guard;		/* == area + AREA_SZ */
	char *ro;		/* a PROT_READ page */
	char *none;		/* a PROT_NONE page */
	char *unmapped;		/* a page that was unmapped */
	int epfd;
	rlim_t nofile;		/* current soft RLIMIT_NOFILE */
	pid_t kids[64];
	int nkids;
	struct ctx *main;	/* the racer's view of its worker's table */
	volatile uint64_t ops;	/* operations done: paces the racer */
};

static int scm_sock[2] = { -1, -1 };
static int fault_pct;	/* --fault: failslab/fail_page_alloc probability, percent */

static void fault_self(const char *path)
{
	int fd = open(path, O_WRONLY | O_CLOEXEC);

	if (fd >= 0) {
		if (write(fd, "1", 1) != 1)
			say("msfuzz: cannot write %s", path);
		close(fd);
	}
}

static bool fault_setup(int pct)
{
	static const char *const dirs[] = { "/sys/kernel/debug/failslab/",
		"/sys/kernel/debug/fail_page_alloc/" };
	static const char *const kv[][2] = { { "task-filter", "Y" }, { "interval", "1" },
		{ "times", "-1" }, { "verbose", "0" }, { "space", "0" },
		{ "ignore-gfp-wait", "N" }, { "probability", NULL } };
	char path[128], val[16];
	unsigned int d, i;
	bool ok = true;

	for (d = 0; d < 2; d++) {
		for (i = 0; i < sizeof(kv) / sizeof(kv[0]); i++) {
			const char *v = kv[i][1];
			int fd;

			if (!v) {
				snprintf(val, sizeof(val), "%d", pct);
				v = val;
			}
			snprintf(path, sizeof(path), "%s%s", dirs[d], kv[i][0]);
			fd = open(path, O_WRONLY | O_CLOEXEC);
			if (fd < 0 || write(fd, v, strlen(v)) != (ssize_t)strlen(v))
				ok = ok && !strcmp(kv[i][0], "space");	/* optional */
			if (fd >= 0)
				close(fd);
		}
	}
	return ok;
}
static long page_size;
static bool opt_verbose;

/* ---- shared name pool: collisions, case folding, limits -------------------- */
#define NPOOL 14
static char *pool[NPOOL];
static uint32_t pool_len[NPOOL];

static void pool_init(void)
{
	static const char *fixed[] = { "fz", "FZ", "fz\\a", "Fz\\A", "fz\\a\\b",
		"\xc3\xbc", "\xc3\x9c", "x", "a\\b\\c\\d\\e", "\x7f\x80\xff" };
	int i;

	for (i = 0; i < 10; i++) {
		pool[i] = strdup(fixed[i]);
		pool_len[i] = strlen(fixed[i]);
	}
	for (; i < NPOOL; i++) {
		uint32_t len = i == 10 ? MAILSLOT_NAME_MAX : i == 11 ? MAILSLOT_NAME_MAX - 1 :
			       i == 12 ? 255 : 512;
		uint32_t j;

		pool[i] = malloc(len);
		for (j = 0; j < len; j++)
			pool[i][j] = (j % 37 == 36 && j + 1 < len) ? '\\' : 'a' + (j + i) % 26;
		pool_len[i] = len;
	}
}

static bool name_ok(const char *n, uint32_t len)
{
	bool empty = true;
	uint32_t i;

	if (!len || len > MAILSLOT_NAME_MAX)
		return false;
	for (i = 0; i < len; i++) {
		if (!n[i])
			return false;
		if (n[i] == '\\') {
			if (empty)
				return false;
			empty = true;
		} else {
			empty = false;
		}
	}
	return !empty;
}

/* ---- value generators ---------------------------------------------------- */
static uint32_t edge32(struct rng *r)
{
	static const uint32_t v[] = { 0, 1, 2, 3, 7, 0x7f, 0x80, 0xff, 0x100,
		0x3ff, 0x400, 0x401, 0xfff, 0x1000, 0x1001, 0x7fff, 0xffff, 0x10000,
		0x10001, 0xfffff, 0x100000, 0xffffff, 0x1000000, 0x1000001,
		0x7fffffff, 0x80000000, 0xfffffffe, 0xffffffff };

	switch (rn(r, 4)) {
	case 0: return rnd(r);
	case 1: return rn(r, 64);
	default: return v[rn(r, sizeof(v) / sizeof(v[0]))];
	}
}

/* message/buffer lengths at and around every limit */
static uint64_t gen_len(struct ctx *c, uint32_t slot_max)
{
	struct rng *r = &c->r;
	uint32_t ov = sh->overhead ? sh->overhead : 32;
	int64_t base;
	int d = (int)rn(r, 3) - 1;

	switch (rn(r, 16)) {
	case 0: case 1: case 2: return rn(r, 3);
	case 3: case 4: case 5: return rn(r, 200);
	case 6: base = page_size - ov; break;
	case 7: base = page_size; break;
	case 8: base = sh->max_msg_size; break;
	case 9: base = slot_max ? slot_max : sh->max_msg_size; break;
	case 10: base = (int64_t)sh->slot_max_bytes - ov; break;
	case 11: base = MSG_SIZE_LIMIT; break;
	case 12: return rn(r, 3 * page_size);
	case 13: return rn(r, 70000);
	case 14: base = 2 * page_size - ov; break;
	default:
		switch (rn(r, 5)) {
		case 0: return 0xffffffffULL;
		case 1: return 0x7fffffffULL;
		case 2: return SIZE_MAX;
		case 3: return (uint64_t)SSIZE_MAX + 1;
		default: return edge32(r);
		}
	}
	base += d;
	return base < 0 ? 0 : (uint64_t)base;
}

/*
 * A user pointer for @len bytes.  @to_user: the kernel writes there.
 * *bad: the access may fault.  Returns the address; *where tells whether
 * the memory is in the area (so contents can be set and read back).
 */
static uint64_t gen_ptr(struct ctx *c, uint64_t len, bool to_user, bool *bad,
			uint64_t area_off)
{
	struct rng *r = &c->r;
	uint64_t p;

	*bad = false;
	switch (rn(r, 12) ? 99 : rn(r, 10)) {
	case 0: *bad = true; return 0;
	case 1: *bad = true; return (uintptr_t)c->none + rn(r, 64);
	case 2: *bad = true; return (uintptr_t)c->unmapped;
	case 3: *bad = true; return 0xffff888000000000ULL + rn(r, 1 << 20);
	case 4: *bad = true; return 0xffffffff81000000ULL;
	case 5: *bad = true; return 0x8000000000000000ULL;
	case 6: *bad = true; return ~0ULL - rn(r, 16);
	case 7: case 8:	/* ends right at the unmapped page, or crosses it */
		if (len > AREA_SZ - 65536)
			break;
		p = (uintptr_t)c->guard - len;
		if (rn(r, 2) && len) {
			p += 1 + rn(r, len < 8 ? len : 8);
			*bad = true;
		}
		return p;
	case 9:
		if (len <= (uint64_t)page_size) {
			*bad = to_user && len;
			return (uintptr_t)c->ro + rn(r, page_size - len + 1);
		}
		break;
	default:
		break;
	}
	if (len > AREA_SZ - area_off)
		*bad = true;
	return (uintptr_t)c->area + area_off;
}

/* a struct of @size: in the area at @off, or somewhere worse */
static void *gen_struct(struct ctx *c, const void *val, size_t size,
			bool to_user, bool *bad, bool *maybe, size_t off)
{
	struct rng *r = &c->r;
	char *p;

	*bad = *maybe = false;
	switch (rn(r, 12) ? 99 : rn(r, 6)) {
	case 0: *bad = true; return NULL;
	case 1: *bad = true; return c->none;
	case 2: *bad = true; return (void *)0xffff888000001000ULL;
	case 3: *bad = true; return c->unmapped;
	case 4:	/* straddles the unmapped page */
		p = c->guard - size + 1 + rn(r, size - 1);
		memcpy(p, val, c->guard - p);
		*bad = true;
		return p;
	case 5:	/* read-only page */
		p = c->ro + rn(r, page_size - size);
		if (mprotect(c->ro, page_size, PROT_READ | PROT_WRITE) == 0) {
			memcpy(p, val, size);
			mprotect(c->ro, page_size, PROT_READ);
		}
		*maybe = to_user;
		return p;
	default:
		p = c->area + off + (one_in(r, 4) ? rn(r, 8) : 0);
		memcpy(p, val, size);
		return p;
	}
}

/* ---- judging -------------------------------------------------------------- */
static const char *ename(int e)
{
	static __thread char b[16];
	const char *n = strerrorname_np(e);

	if (n)
		return n;
	snprintf(b, sizeof(b), "E%d", e);
	return b;
}

static void judge(struct ctx *c, int op, int kind, long ret, int err, eset allowed,
		  const char *what)
{
	count(c->child ? OP_CHILD_OP : op, ret, err);
	/*
	 * Injected: a failed allocation, or a user copy whose page fault
	 * could not allocate a page (or a page table) and so faulted.
	 */
	if (fault_pct && ret < 0 && (err == ENOMEM || err == EFAULT))
		return;
	if (ret >= 0) {
		if (!(allowed & E_OK))
			finding("%s on %s fd succeeded (ret %ld) but must fail%s%s",
				op_names[op], kind_names[kind], ret, what ? ": " : "",
				what ? what : "");
		return;
	}
	if (err <= 0 || err >= 128 || !(allowed & B(err)))
		finding("%s on %s fd: unexpected errno %s (%d)%s%s", op_names[op],
			kind_names[kind], ename(err), err, what ? ": " : "", what ? what : "");
}

/* ---- fd table helpers ------------------------------------------------------ */
static void tbl_add(struct ctx *c, int fd, int kind, int acc, uint32_t max, bool known)
{
	struct fdent *e;

	if (fd < 0)
		return;
	if (c->nfds >= MAXFD) {
		close(fd);
		return;
	}
	e = &c->fds[c->nfds];
	e->fd = fd; e->kind = kind; e->accmode = acc; e->max_msg = max;
	e->max_known = known;
	__atomic_store_n(&c->nfds, c->nfds + 1, __ATOMIC_RELEASE);
}

static void tbl_del(struct ctx *c, int i)
{
	c->fds[i] = c->fds[c->nfds - 1];
	__atomic_store_n(&c->nfds, c->nfds - 1, __ATOMIC_RELEASE);
}

static int tbl_find(struct ctx *c, int fd)
{
	int i;

	for (i = 0; i < c->nfds; i++)
		if (c->fds[i].fd == fd)
			return i;
	return -1;
}

static struct fdent bogus_ent(struct ctx *c)
{
	static const int nums[] = { -1, -100, 999999, INT32_MAX };
	struct fdent e = { .kind = K_BOGUS };

	if (one_in(&c->r, 2)) {
		e.fd = nums[rn(&c->r, 4)];
	} else {	/* a free fd number */
		e.fd = 40 + rn(&c->r, 20);
		if (tbl_find(c, e.fd) >= 0 || fcntl(e.fd, F_GETFD) >= 0)
			e.fd = -1;
	}
	return e;
}

/* an entry of kind @want most of the time, any entry or a bogus fd otherwise */
static struct fdent pick(struct ctx *c, int want, int *idx)
{
	int i, n = c->nfds, tries;

	*idx = -1;
	if (n && (want < 0 || rn(&c->r, 10) < 7)) {
		for (tries = 0; tries < 12; tries++) {
			i = rn(&c->r, n);
			if (want < 0 || c->fds[i].kind == want || tries == 11) {
				*idx = i;
				return c->fds[i];
			}
		}
	}
	if (n && !one_in(&c->r, 6)) {
		*idx = rn(&c->r, n);
		return c->fds[*idx];
	}
	return bogus_ent(c);
}

static bool is_ms(int kind) { return kind == K_DEV || kind == K_SERVER || kind == K_CLIENT; }

/* ---- operations ------------------------------------------------------------ */
static const char dev_path[] = "/dev/mailslot";

static bool have_dev(struct ctx *c)
{
	int i;

	for (i = 0; i < c->nfds; i++)
		if (c->fds[i].kind == K_DEV)
			return true;
	return false;
}

static int dev_fd(struct ctx *c)
{
	int i;

	for (i = 0; i < c->nfds; i++)
		if (c->fds[i].kind == K_DEV && !one_in(&c->r, 3))
			return c->fds[i].fd;
	return -1;
}

static void op_open_dev(struct ctx *c)
{
	static const int acc[] = { O_RDONLY, O_WRONLY, O_RDWR };
	int a = acc[rn(&c->r, 3)];
	int fl = a | (one_in(&c->r, 3) ? O_NONBLOCK : 0) | (one_in(&c->r, 2) ? O_CLOEXEC : 0);
	int fd = open(dev_path, fl);

	judge(c, OP_OPEN_DEV, K_DEV, fd, errno, E_OK | B(EMFILE) | B(ENFILE) | B(ENOMEM), NULL);
	if (fd >= 0)
		tbl_add(c, fd, K_DEV, a, 0, false);
}

static void fill_name(struct ctx *c, char *nb, uint32_t *plen, int *pidx)
{
	struct rng *r = &c->r;
	static const uint32_t lens[] = { 0, 1, 2, 1023, 1024, 1025, 2048, 4096,
		0x7fffffff, 0xffffffff };
	uint32_t len, i;

	*pidx = -1;
	if (rn(r, 10) < 8) {
		*pidx = rn(r, NPOOL);
		len = pool_len[*pidx];
		memcpy(nb, pool[*pidx], len);
		if (one_in(r, 10)) {	/* lie about the length */
			len = lens[rn(r, 10)];
			*pidx = -1;
		}
		*plen = len;
		return;
	}
	len = one_in(r, 2) ? lens[rn(r, 10)] : rn(r, 40);
	for (i = 0; i < len && i < 1100; i++) {
		switch (rn(r, 12)) {
		case 0: nb[i] = '\\'; break;
		case 1: nb[i] = one_in(r, 4) ? 0 : 'A' + rn(r, 26); break;
		case 2: nb[i] = 0x80 + rn(r, 128); break;
		case 3: nb[i] = rnd(r); break;
		default: nb[i] = 'a' + rn(r, 3); break;
		}
	}
	*plen = len;
}

/* the name's bytes and address: start of the area, at its end, or bad */
static uint64_t place_name(struct ctx *c, const char *nb, uint32_t len, bool *bad)
{
	uint64_t p = gen_ptr(c, len, false, bad, 0);
	uint32_t n = len < 1100 ? len : 1100;
	char *q = (char *)(uintptr_t)p;

	if (q >= c->area && q < c->guard)
		memcpy(q, nb, (size_t)(c->guard - q) < n ? (size_t)(c->guard - q) : n);
	else if (q >= c->ro && q < c->ro + page_size && !*bad &&
		 mprotect(c->ro, page_size, PROT_READ | PROT_WRITE) == 0) {
		memcpy(q, nb, n);
		mprotect(c->ro, page_size, PROT_READ);
	}
	return p;
}

static void check_new_fd(struct ctx *c, int op, int fd, int acc, uint32_t flags)
{
	int fl = fcntl(fd, F_GETFL), fdfl = fcntl(fd, F_GETFD);
	char link[64], want[64], path[64];
	ssize_t n;

	if (fl < 0 || fdfl < 0) {
		finding("%s: new fd %d not open (%s)", op_names[op], fd, ename(errno));
		return;
	}
	if ((fl & O_ACCMODE) != acc || !!(fl & O_NONBLOCK) != !!(flags & MAILSLOT_F_NONBLOCK) ||
	    !!(fdfl & FD_CLOEXEC) != !!(flags & MAILSLOT_F_CLOEXEC))
		finding("%s: fd flags 0x%x/0x%x for create flags 0x%x", op_names[op], fl, fdfl, flags);
	if (!one_in(&c->r, 4))
		return;
	snprintf(path, sizeof(path), "/proc/self/fd/%d", fd);
	n = readlink(path, link, sizeof(link) - 1);
	if (n < 0)
		return;	/* no /proc */
	link[n] = 0;
	snprintf(want, sizeof(want), "anon_inode:[%s]", op == OP_CREATE ? "mailslot" : "mailslot-client");
	if (strcmp(link, want))
		finding("%s: fd link '%s', want '%s'", op_names[op], link, want);
}

static uint32_t gen_flags(struct rng *r, uint32_t all)
{
	return rn(r, 8) ? (uint32_t)rn(r, all + 1) & all : edge32(r);
}

static uint64_t gen_reserved(struct rng *r)
{
	return rn(r, 12) ? 0 : one_in(r, 2) ? 1 : rnd(r);
}

static void op_create(struct ctx *c)
{
	struct rng *r = &c->r;
	struct mailslot_create a = {};
	struct fdent e;
	char nb[1100];
	bool nbad, sbad, smaybe, fields_ok;
	int idx, pidx, fd;
	uint32_t len;
	eset al;
	void *p;

	e = pick(c, K_DEV, &idx);
	if (e.kind != K_DEV && !one_in(r, 3)) {
		int d = dev_fd(c);

		if (d >= 0) {
			e.fd = d;
			e.kind = K_DEV;
		}
	}
	fill_name(c, nb, &len, &pidx);
	a.name = place_name(c, nb, len, &nbad);
	a.name_len = len;
	switch (rn(r, 6)) {
	case 0: a.max_msg_size = 0; break;
	case 1: a.max_msg_size = gen_len(c, 0); break;
	default: a.max_msg_size = one_in(r, 2) ? rn(r, 5000) : edge32(r); break;
	}
	switch (rn(r, 5)) {
	case 0: a.read_timeout_ms = 0; break;
	case 1: a.read_timeout_ms = MAILSLOT_WAIT_FOREVER; break;
	case 2: a.read_timeout_ms = edge32(r); break;
	default: a.read_timeout_ms = rn(r, 60); break;
	}
	a.flags = gen_flags(r, MAILSLOT_F_ALL);
	a.mode = rn(r, 8) ? (uint32_t)(rn(r, 2) ? MAILSLOT_MODE_OTHER : 0) |
			    (rn(r, 2) ? MAILSLOT_MODE_GROUP : 0) | (rn(r, 2) ? MAILSLOT_MODE_OWNER : 0)
			  : edge32(r);
	a.pad = one_in(r, 12) ? edge32(r) : 0;
	a.reserved[0] = gen_reserved(r);
	a.reserved[1] = gen_reserved(r);
	p = gen_struct(c, &a, sizeof(a), false, &sbad, &smaybe, 8192);

	fields_ok = !(a.flags & ~MAILSLOT_F_ALL) && !(a.mode & ~MAILSLOT_MODE_ALL) &&
		    !a.pad && !a.reserved[0] && !a.reserved[1];
	fd = ioctl(e.fd, MAILSLOT_IOC_CREATE, p);
	if (e.kind == K_BOGUS)
		al = B(EBADF);
	else if (e.kind != K_DEV)
		al = is_ms(e.kind) ? B(ENOTTY) : ~(eset)0;
	else if (sbad)
		al = B(EFAULT);
	else if (!fields_ok)
		al = B(EINVAL);
	else if (!a.name_len)
		al = B(EINVAL);
	else if (a.name_len > MAILSLOT_NAME_MAX)
		al = B(ENAMETOOLONG);
	else if (nbad)
		al = B(EFAULT) | B(ENOMEM);
	else if (!name_ok((char *)(uintptr_t)a.name, a.name_len))
		al = B(EINVAL) | B(ENOMEM);
	else
		al = E_OK | B(EEXIST) | B(ENOSPC) | B(ENOMEM) | B(EMFILE);
	judge(c, OP_CREATE, e.kind, fd, errno, al, NULL);
	if (fd < 0)
		return;
	if (e.kind != K_DEV) {
		close(fd);
		return;
	}
	check_new_fd(c, OP_CREATE, fd, O_RDONLY, a.flags);
	if (one_in(r, 2)) {
		struct mailslot_info in;

		memset(&in, 0xa5, sizeof(in));
		if (ioctl(fd, MAILSLOT_IOC_GET_INFO, &in))
			finding("GET_INFO on a new server: %s", ename(errno));
		else if (in.max_msg_size != a.max_msg_size ||
			 in.read_timeout_ms != a.read_timeout_ms || in.reserved[0] || in.reserved[1])
			finding("GET_INFO on a new server: max %u timeout %u res %llx/%llx, created with max %u timeout %u",
				in.max_msg_size, in.read_timeout_ms,
				(unsigned long long)in.reserved[0], (unsigned long long)in.reserved[1],
				a.max_msg_size, a.read_timeout_ms);
	}
	tbl_add(c, fd, K_SERVER, O_RDONLY, a.max_msg_size, true);
}

static void op_open(struct ctx *c)
{
	struct rng *r = &c->r;
	struct mailslot_open a = {};
	struct fdent e;
	char nb[1100];
	bool nbad, sbad, smaybe, fields_ok;
	int idx, pidx, fd;
	uint32_t len;
	eset al;
	void *p;

	e = pick(c, K_DEV, &idx);
	if (e.kind != K_DEV && !one_in(r, 3)) {
		int d = dev_fd(c);

		if (d >= 0) {
			e.fd = d;
			e.kind = K_DEV;
		}
	}
	fill_name(c, nb, &len, &pidx);
	a.name = place_name(c, nb, len, &nbad);
	a.name_len = len;
	a.flags = gen_flags(r, MAILSLOT_F_ALL);
	a.reserved[0] = gen_reserved(r);
	a.reserved[1] = gen_reserved(r);
	p = gen_struct(c, &a, sizeof(a), false, &sbad, &smaybe, 8192);
	fields_ok = !(a.flags & ~MAILSLOT_F_ALL) && !a.reserved[0] && !a.reserved[1];

	fd = ioctl(e.fd, MAILSLOT_IOC_OPEN, p);
	if (e.kind == K_BOGUS)
		al = B(EBADF);
	else if (e.kind != K_DEV)
		al = is_ms(e.kind) ? B(ENOTTY) : ~(eset)0;
	else if (sbad)
		al = B(EFAULT);
	else if (!fields_ok || !a.name_len)
		al = B(EINVAL);
	else if (a.name_len > MAILSLOT_NAME_MAX)
		al = B(ENAMETOOLONG);
	else if (nbad)
		al = B(EFAULT) | B(ENOMEM);
	else if (!name_ok((char *)(uintptr_t)a.name, a.name_len))
		al = B(EINVAL) | B(ENOMEM);
	else
		al = E_OK | B(ENOENT) | B(EACCES) | B(ENOMEM) | B(EMFILE);
	judge(c, OP_OPEN, e.kind, fd, errno, al, NULL);
	if (fd < 0)
		return;
	if (e.kind != K_DEV) {
		close(fd);
		return;
	}
	check_new_fd(c, OP_OPEN, fd, O_WRONLY, a.flags);
	tbl_add(c, fd, K_CLIENT, O_WRONLY, 0, false);
}

static void check_info(struct ctx *c, const struct fdent *e, const struct mailslot_info *in)
{
	(void)c;
	if (in->reserved[0] || in->reserved[1] ||
	    (in->msg_count == 0) != (in->next_size == MAILSLOT_NO_MESSAGE) ||
	    (in->msg_count && in->queued_bytes < in->next_size) ||
	    (!in->msg_count && in->queued_bytes) ||
	    (e->kind == K_SERVER && e->max_known && in->max_msg_size != e->max_msg))
		finding("GET_INFO on %s: max %u next %u count %u timeout %u queued %llu res %llx/%llx (created max %u)",
			kind_names[e->kind], in->max_msg_size, in->next_size, in->msg_count,
			in->read_timeout_ms, (unsigned long long)in->queued_bytes,
			(unsigned long long)in->reserved[0], (unsigned long long)in->reserved[1],
			e->max_msg);
}

static eset other_kind(int kind)
{
	if (kind == K_BOGUS)
		return B(EBADF);
	if (is_ms(kind))
		return B(ENOTTY);
	return ~(eset)0;	/* not ours to judge */
}

static void op_get_info(struct ctx *c)
{
	struct mailslot_info in;
	struct fdent e;
	bool bad, maybe;
	eset al;
	void *p;
	int idx;
	long ret;

	e = pick(c, rn(&c->r, 2) ? K_SERVER : K_CLIENT, &idx);
	memset(&in, 0x5a, sizeof(in));
	p = gen_struct(c, &in, sizeof(in), true, &bad, &maybe, 8192);
	ret = ioctl(e.fd, MAILSLOT_IOC_GET_INFO, p);
	if (e.kind == K_SERVER)
		al = bad || maybe ? B(EFAULT) : E_OK;
	else if (e.kind == K_CLIENT)
		al = (bad || maybe ? B(EFAULT) : E_OK) | B(EPIPE);
	else
		al = other_kind(e.kind);
	judge(c, OP_GET_INFO, e.kind, ret, errno, al, NULL);
	if (ret == 0 && is_ms(e.kind) && (char *)p >= c->area && (char *)p < c->guard) {
		memcpy(&in, p, sizeof(in));
		check_info(c, &e, &in);
	}
}

static void op_set_timeout(struct ctx *c)
{
	struct fdent e;
	bool bad, maybe;
	uint32_t t;
	eset al;
	void *p;
	int idx;
	long ret;

	e = pick(c, K_SERVER, &idx);
	switch (rn(&c->r, 4)) {
	case 0: t = 0; break;
	case 1: t = MAILSLOT_WAIT_FOREVER; break;
	case 2: t = edge32(&c->r); break;
	default: t = rn(&c->r, 50); break;
	}
	p = gen_struct(c, &t, sizeof(t), false, &bad, &maybe, 8192);
	ret = ioctl(e.fd, MAILSLOT_IOC_SET_TIMEOUT, p);
	if (e.kind == K_SERVER)
		al = bad ? B(EFAULT) : E_OK;
	else if (e.kind == K_CLIENT)
		al = B(EBADF);
	else
		al = other_kind(e.kind);
	judge(c, OP_SET_TIMEOUT, e.kind, ret, errno, al, NULL);
}

static uint64_t now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ULL + ts.tv_nsec;
}

static uint64_t gen_deadline(struct rng *r)
{
	switch (rn(r, 10)) {
	case 0: return 0;
	case 1: return 1;
	case 2: return UINT64_MAX;
	case 3: return INT64_MAX;
	case 4: return (uint64_t)INT64_MAX - 1;
	case 5: return (uint64_t)INT64_MAX + 1;
	case 6: return rnd(r);
	case 7: return now_ns();
	default: return now_ns() + rn(r, 30000000);
	}
}

static uint32_t gen_read_flags(struct rng *r)
{
	if (one_in(r, 10))
		return edge32(r);
	return (rn(r, 3) ? MAILSLOT_READ_NONBLOCK : 0) | (rn(r, 2) ? MAILSLOT_READ_DEADLINE : 0);
}

#define READ_ERRS (B(EAGAIN) | B(ETIMEDOUT) | B(EINTR) | B(EMSGSIZE))

static void op_ioc_read(struct ctx *c)
{
	struct mailslot_read a = {}, back;
	struct fdent e;
	bool bbad, sbad, smaybe, fields_ok;
	eset al;
	void *p;
	int idx;
	long ret;

	e = pick(c, K_SERVER, &idx);
	a.buf_len = one_in(&c->r, 3) ? edge32(&c->r) : (uint32_t)gen_len(c, e.max_msg);
	a.buf = gen_ptr(c, a.buf_len, true, &bbad, 65536);
	a.flags = gen_read_flags(&c->r);
	a.deadline_ns = gen_deadline(&c->r);
	a.msg_len = rnd(&c->r);
	a.pad = one_in(&c->r, 12) ? edge32(&c->r) : 0;
	a.reserved[0] = gen_reserved(&c->r);
	a.reserved[1] = gen_reserved(&c->r);
	p = gen_struct(c, &a, sizeof(a), true, &sbad, &smaybe, 8192);
	fields_ok = !(a.flags & ~MAILSLOT_READ_ALL) && !a.pad && !a.reserved[0] && !a.reserved[1];
	ret = ioctl(e.fd, MAILSLOT_IOC_READ, p);
	if (e.kind == K_SERVER) {
		if (sbad)
			al = B(EFAULT);
		else if (!fields_ok)
			al = B(EINVAL);
		else
			al = E_OK | READ_ERRS | (bbad || smaybe ? B(EFAULT) : 0);
	} else if (e.kind == K_CLIENT) {
		al = B(EBADF);
	} else {
		al = other_kind(e.kind);
	}
	judge(c, OP_IOC_READ, e.kind, ret, errno, al, NULL);
	if (e.kind == K_SERVER && (char *)p >= c->area && (char *)p < c->guard &&
	    (ret >= 0 || errno == EMSGSIZE)) {
		memcpy(&back, p, sizeof(back));
		if (ret >= 0 && (back.msg_len != ret || (uint64_t)ret > a.buf_len))
			finding("IOC_READ returned %ld, msg_len %u, buf_len %u", ret, back.msg_len, a.buf_len);
		if (ret < 0 && back.msg_len <= a.buf_len)
			finding("IOC_READ EMSGSIZE but msg_len %u <= buf_len %u", back.msg_len, a.buf_len);
	}
}

static void op_ioc_read_batch(struct ctx *c)
{
	struct mailslot_read_batch a = {};
	struct fdent e;
	bool bbad, lbad, sbad, smaybe, fields_ok;
	eset al;
	void *p;
	int idx;
	long ret;

	e = pick(c, K_SERVER, &idx);
	a.buf_len = one_in(&c->r, 3) ? edge32(&c->r) : (uint32_t)gen_len(c, e.max_msg);
	a.buf = gen_ptr(c, a.buf_len, true, &bbad, 65536);
	a.flags = gen_read_flags(&c->r);
	a.deadline_ns = gen_deadline(&c->r);
	a.max_msgs = rn(&c->r, 3) ? rn(&c->r, 20) : edge32(&c->r);
	a.lens = gen_ptr(c, (uint64_t)a.max_msgs * 4, true, &lbad, 16384);
	a.pad = one_in(&c->r, 12) ? edge32(&c->r) : 0;
	a.reserved[0] = gen_reserved(&c->r);
	a.reserved[1] = gen_reserved(&c->r);
	p = gen_struct(c, &a, sizeof(a), false, &sbad, &smaybe, 8192);
	fields_ok = !(a.flags & ~MAILSLOT_READ_ALL) && !a.pad && !a.reserved[0] &&
		    !a.reserved[1] && a.max_msgs;
	ret = ioctl(e.fd, MAILSLOT_IOC_READ_BATCH, p);
	if (e.kind == K_SERVER) {
		if (sbad)
			al = B(EFAULT);
		else if (!fields_ok)
			al = B(EINVAL);
		else
			al = E_OK | READ_ERRS | (bbad || lbad ? B(EFAULT) : 0);
	} else if (e.kind == K_CLIENT) {
		al = B(EBADF);
	} else {
		al = other_kind(e.kind);
	}
	judge(c, OP_IOC_READ_BATCH, e.kind, ret, errno, al, NULL);
	if (ret >= 0 && e.kind == K_SERVER) {
		if (ret < 1 || (uint64_t)ret > a.max_msgs) {
			finding("IOC_READ_BATCH returned %ld for max_msgs %u", ret, a.max_msgs);
		} else if (!lbad && ret <= 12000) {
			const uint32_t *lens = (const uint32_t *)(uintptr_t)a.lens;
			uint64_t sum = 0;
			long i;

			for (i = 0; i < ret; i++)
				sum += lens[i];
			if (sum > a.buf_len)
				finding("IOC_READ_BATCH: %ld messages of %llu bytes in a %u-byte buffer",
					ret, (unsigned long long)sum, a.buf_len);
		}
	}
}

static const unsigned long known_cmds[] = { MAILSLOT_IOC_CREATE, MAILSLOT_IOC_OPEN,
	MAILSLOT_IOC_GET_INFO, MAILSLOT_IOC_SET_TIMEOUT, MAILSLOT_IOC_READ,
	MAILSLOT_IOC_READ_BATCH,
#ifdef MAILSLOT_IOC_WRITE
	MAILSLOT_IOC_WRITE,
#endif
	MAILSLOT_IOC_WRITE_BATCH,
};
#define NKNOWN (sizeof(known_cmds) / sizeof(known_cmds[0]))

static bool is_known(unsigned long cmd)
{
	unsigned int i;

	for (i = 0; i < NKNOWN; i++)
		if (cmd == known_cmds[i])
			return true;
	return false;
}

/* the right numbers with wrong sizes or directions, or unknown numbers */
static void op_ioc_bad(struct ctx *c, int op)
{
	static const unsigned int sizes[] = { 0, 1, 4, 8, 16, 23, 24, 31, 32, 39, 40,
		41, 47, 48, 49, 55, 56, 57, 64, 0x3fff };
	struct fdent e;
	unsigned long cmd;
	unsigned int type;
	int idx;
	long ret;

	e = pick(c, -1, &idx);
	do {
		if (op == OP_IOC_BADSIZE) {
			cmd = _IOC(rn(&c->r, 4), MAILSLOT_IOC_MAGIC, rn(&c->r, NKNOWN),
				   sizes[rn(&c->r, 20)]);
		} else if (one_in(&c->r, 2)) {
			cmd = _IOC(rn(&c->r, 4), MAILSLOT_IOC_MAGIC, NKNOWN + rn(&c->r, 250),
				   rn(&c->r, 2) ? sizes[rn(&c->r, 20)] : rn(&c->r, 0x4000));
		} else {
			cmd = (uint32_t)rnd(&c->r);
		}
		type = _IOC_TYPE(cmd);
		/* generic VFS numbers (FIFREEZE, FICLONE, FS_IOC_*, FIO*, FIBMAP) */
	} while (is_known(cmd) || type == 0 || type == 'X' || type == 'T' || type == 'f' ||
		 type == 0x94 || type == 0x15);
	ret = ioctl(e.fd, cmd, c->area + 8192);
	judge(c, op, e.kind, ret, errno, other_kind(e.kind), NULL);
}

static void op_ioc_vfs(struct ctx *c)
{
	static const unsigned long cmds[] = { FIONBIO, FIOCLEX, FIONCLEX, FIOASYNC,
		FIONREAD, FIOQSIZE };
	struct fdent e;
	int idx, v = rn(&c->r, 2);
	unsigned long cmd = cmds[rn(&c->r, 6)];
	long ret;
	eset al;

	e = pick(c, -1, &idx);
	if (cmd == FIOASYNC)
		v = 0;	/* no SIGIO storms */
	memcpy(c->area + 8192, &v, sizeof(v));
	ret = ioctl(e.fd, cmd, c->area + 8192);
	if (e.kind == K_BOGUS)
		al = B(EBADF);
	else if (!is_ms(e.kind))
		al = ~(eset)0;
	else	/* FIONREAD/FIOQSIZE: ENOTTY, or 0 where anon inodes are S_IFREG */
		al = E_OK | B(ENOTTY);
	judge(c, OP_IOC_VFS, e.kind, ret, errno, al, NULL);
}

/* read(2)/write(2) on fds that cannot do them */
static eset rw_wrong_kind(const struct fdent *e, bool writing)
{
	if (e->kind == K_BOGUS)
		return B(EBADF);
	if (e->kind == K_SERVER)
		return writing ? B(EBADF) : 0;
	if (e->kind == K_CLIENT)
		return writing ? 0 : B(EBADF);
	if (e->kind == K_DEV) {
		if (writing)
			return e->accmode == O_RDONLY ? B(EBADF) : B(EINVAL);
		return e->accmode == O_WRONLY ? B(EBADF) : B(EINVAL);
	}
	return ~(eset)0;
}

static bool rw_judged(const struct fdent *e)
{
	return e->kind == K_BOGUS || is_ms(e->kind);
}

#define WRITE_ERRS (B(EMSGSIZE) | B(EPIPE) | B(ENOBUFS) | B(EDQUOT) | B(ENOMEM))

static void fill_msg(struct ctx *c, uint64_t p, uint64_t len)
{
	char *q = (char *)(uintptr_t)p;

	if (q >= c->area && q < c->guard && one_in(&c->r, 4)) {
		uint64_t n = len < 64 ? len : 64, i;

		for (i = 0; i < n && q + i < c->guard; i++)
			q[i] = rnd(&c->r);
	}
}

static void op_write(struct ctx *c)
{
	struct fdent e;
	uint64_t len, p;
	bool bad;
	eset al;
	int idx;
	long ret;

	e = pick(c, K_CLIENT, &idx);
	len = gen_len(c, 0);
	p = gen_ptr(c, len, false, &bad, 65536);
	fill_msg(c, p, len);
	ret = write(e.fd, (void *)(uintptr_t)p, len);
	al = rw_wrong_kind(&e, true);
	if (!al)
		al = E_OK | WRITE_ERRS | (bad ? B(EFAULT) : 0);
	else if (rw_judged(&e) && e.kind != K_BOGUS && bad)
		al |= B(EFAULT);
	judge(c, OP_WRITE, e.kind, ret, errno, al, NULL);
	if (ret >= 0 && e.kind == K_CLIENT && (uint64_t)ret != len)
		finding("write of %llu bytes returned %ld", (unsigned long long)len, ret);
}

#ifdef MAILSLOT_IOC_WRITE
/* MAILSLOT_IOC_WRITE: write(2) that only a client fd accepts */
static void op_ioc_write(struct ctx *c)
{
	struct mailslot_write a = {};
	struct fdent e;
	bool bbad, sbad, smaybe;
	eset al;
	void *p;
	int idx;
	long ret;

	e = pick(c, K_CLIENT, &idx);
	a.len = one_in(&c->r, 4) ? edge32(&c->r) : (uint32_t)gen_len(c, 0);
	a.buf = gen_ptr(c, a.len, false, &bbad, 65536);
	fill_msg(c, a.buf, a.len);
	a.flags = one_in(&c->r, 12) ? edge32(&c->r) : 0;
	a.reserved[0] = gen_reserved(&c->r);
	a.reserved[1] = gen_reserved(&c->r);
	p = gen_struct(c, &a, sizeof(a), false, &sbad, &smaybe, 8192);
	ret = ioctl(e.fd, MAILSLOT_IOC_WRITE, p);
	if (e.kind == K_CLIENT) {
		if (sbad)
			al = B(EFAULT);
		else if (a.flags || a.reserved[0] || a.reserved[1])
			al = B(EINVAL);
		else
			al = E_OK | WRITE_ERRS | (bbad ? B(EFAULT) : 0);
	} else if (e.kind == K_SERVER) {
		al = B(EBADF);
	} else {
		al = other_kind(e.kind);
	}
	judge(c, OP_IOC_WRITE, e.kind, ret, errno, al, NULL);
	if (ret >= 0 && e.kind == K_CLIENT && (uint64_t)ret != a.len)
		finding("IOC_WRITE of %u bytes returned %ld", a.len, ret);
}
#else
static void op_ioc_write(struct ctx *c) { op_write(c); }
#endif

/*
 * MAILSLOT_IOC_WRITE_BATCH: lengths mostly small, so that a batch fits
 * the area; it returns how many messages went in, never more than asked.
 */
static void op_ioc_write_batch(struct ctx *c)
{
	struct mailslot_write_batch a = {};
	bool bbad, lbad, sbad, smaybe, lens_known;
	uint64_t total = 0;
	struct fdent e;
	uint32_t i, n;
	eset al;
	void *p;
	int idx;
	long ret;

	e = pick(c, K_CLIENT, &idx);
	a.count = rn(&c->r, 10) ? 1 + rn(&c->r, 40) : edge32(&c->r);
	n = a.count <= MAILSLOT_WRITE_BATCH_MAX ? a.count : 1;
	a.lens = gen_ptr(c, (uint64_t)n * 4, false, &lbad, 16384);
	lens_known = !lbad && (char *)(uintptr_t)a.lens >= c->area &&
		     (char *)(uintptr_t)a.lens < c->guard;
	if (lens_known) {
		uint32_t *lens = (uint32_t *)(uintptr_t)a.lens;

		for (i = 0; i < n; i++) {
			lens[i] = rn(&c->r, 4) ? rn(&c->r, 700) : (uint32_t)gen_len(c, 0);
			total += lens[i];
		}
	}
	a.buf = gen_ptr(c, total, false, &bbad, 65536);
	fill_msg(c, a.buf, total);
	a.flags = one_in(&c->r, 12) ? edge32(&c->r) : 0;
	a.reserved[0] = gen_reserved(&c->r);
	a.reserved[1] = gen_reserved(&c->r);
	p = gen_struct(c, &a, sizeof(a), false, &sbad, &smaybe, 8192);
	ret = ioctl(e.fd, MAILSLOT_IOC_WRITE_BATCH, p);
	if (e.kind == K_CLIENT) {
		if (sbad)
			al = B(EFAULT);
		else if (a.flags || a.reserved[0] || a.reserved[1] || !a.count ||
			 a.count > MAILSLOT_WRITE_BATCH_MAX)
			al = B(EINVAL);
		else
			al = E_OK | WRITE_ERRS |
			     (bbad || lbad || !lens_known ? B(EFAULT) : 0);
	} else if (e.kind == K_SERVER) {
		al = B(EBADF);
	} else {
		al = other_kind(e.kind);
	}
	judge(c, OP_IOC_WRITE_BATCH, e.kind, ret, errno, al, NULL);
	if (ret >= 0 && e.kind == K_CLIENT && (ret < 1 || (uint64_t)ret > a.count))
		finding("IOC_WRITE_BATCH of %u messages returned %ld", a.count, ret);
}

static void op_read(struct ctx *c)
{
	struct fdent e;
	uint64_t len, p;
	bool bad;
	eset al;
	int idx;
	long ret;

	e = pick(c, K_SERVER, &idx);
	len = gen_len(c, e.max_msg);
	p = gen_ptr(c, len, true, &bad, 65536);
	ret = read(e.fd, (void *)(uintptr_t)p, len);
	al = rw_wrong_kind(&e, false);
	if (!al)
		al = E_OK | READ_ERRS | (bad ? B(EFAULT) : 0);
	else if (e.kind != K_BOGUS && bad)
		al |= B(EFAULT);
	judge(c, OP_READ, e.kind, ret, errno, al, NULL);
	if (ret >= 0 && e.kind == K_SERVER && (uint64_t)ret > len)
		finding("read into %llu bytes returned %ld", (unsigned long long)len, ret);
}

static void op_rwv(struct ctx *c, bool writing)
{
	struct iovec *iov = (struct iovec *)(c->area + 12288);
	struct fdent e;
	int idx, n = rn(&c->r, 5), i;
	bool bad, anybad = false;
	uint64_t total = 0;
	eset al;
	long ret;

	e = pick(c, writing ? K_CLIENT : K_SERVER, &idx);
	for (i = 0; i < n; i++) {
		uint64_t len = rn(&c->r, 3) ? rn(&c->r, 2 * page_size) : gen_len(c, e.max_msg);

		if (len > 0x7fffffff)
			len = rn(&c->r, 100);
		iov[i].iov_len = len;
		iov[i].iov_base = (void *)(uintptr_t)gen_ptr(c, len, !writing, &bad,
							     65536 + (uint64_t)i * 4096);
		anybad |= bad;
		total += len;
	}
	ret = writing ? writev(e.fd, iov, n) : readv(e.fd, iov, n);
	al = rw_wrong_kind(&e, writing);
	if (!al)
		al = E_OK | (writing ? WRITE_ERRS : READ_ERRS) | (anybad ? B(EFAULT) : 0) |
		     (total > 0x7ffff000 ? B(EINVAL) : 0);
	else if (e.kind != K_BOGUS && anybad)
		al |= B(EFAULT);
	judge(c, writing ? OP_WRITEV : OP_READV, e.kind, ret, errno, al, NULL);
	if (ret >= 0 && (uint64_t)ret > total)
		finding("%s returned %ld > %llu", writing ? "writev" : "readv", ret,
			(unsigned long long)total);
}

static void check_revents(int op, int kind, unsigned int ev)
{
	unsigned int bad = 0;

	if (kind == K_SERVER)
		bad = ev & ~(POLLIN | POLLRDNORM);
	else if (kind == K_CLIENT)
		bad = (ev & ~(POLLOUT | POLLWRNORM | POLLERR | POLLHUP)) ||
		      (!!(ev & POLLERR) != !!(ev & POLLHUP)) ||
		      ((ev & POLLERR) && (ev & (POLLOUT | POLLWRNORM)));
	if (bad)
		finding("%s: %s fd reports events 0x%x", op_names[op], kind_names[kind], ev);
}

static void op_poll(struct ctx *c)
{
	struct pollfd *pf = (struct pollfd *)(c->area + 12288);
	int kinds[8], n = 1 + rn(&c->r, 8), i, idx, ret;
	struct fdent e;

	for (i = 0; i < n; i++) {
		e = pick(c, -1, &idx);
		pf[i].fd = e.fd;
		pf[i].events = rn(&c->r, 4) ? (POLLIN | POLLOUT | POLLRDNORM | POLLWRNORM)
					    : (short)rnd(&c->r);
		pf[i].revents = 0;
		kinds[i] = e.kind;
	}
	ret = poll(pf, n, rn(&c->r, 3) ? 0 : rn(&c->r, 20));
	judge(c, OP_POLL, K_SERVER, ret, errno,
	      E_OK | B(EINTR) | B(ENOMEM) | ((rlim_t)n > c->nofile ? B(EINVAL) : 0), NULL);
	if (ret > 0)
		for (i = 0; i < n; i++)
			check_revents(OP_POLL, kinds[i], pf[i].revents & ~POLLNVAL);
}

static void op_epoll_ctl(struct ctx *c)
{
	static const int ops[] = { EPOLL_CTL_ADD, EPOLL_CTL_ADD, EPOLL_CTL_MOD, EPOLL_CTL_DEL };
	struct epoll_event ev;
	struct fdent e;
	int idx, ret;

	e = pick(c, -1, &idx);
	ev.events = rn(&c->r, 4) ? (EPOLLIN | EPOLLOUT | (rn(&c->r, 2) ? EPOLLET : 0) |
				    (one_in(&c->r, 4) ? EPOLLONESHOT : 0))
				 : (uint32_t)rnd(&c->r) & ~(EPOLLWAKEUP);
	ev.data.u64 = ((uint64_t)e.kind << 32) | (uint32_t)e.fd;
	ret = epoll_ctl(c->epfd, ops[rn(&c->r, 4)], e.fd, &ev);
	judge(c, OP_EPOLL_CTL, e.kind, ret, errno, E_OK | B(EEXIST) | B(ENOENT) | B(EINVAL) |
	      B(EPERM) | B(EBADF) | B(ENOMEM) | B(ENOSPC) | B(ELOOP), NULL);
}

static void op_epoll_wait(struct ctx *c)
{
	struct epoll_event ev[16];
	int n, i;

	n = epoll_wait(c->epfd, ev, 1 + rn(&c->r, 16), rn(&c->r, 3) ? 0 : rn(&c->r, 10));
	judge(c, OP_EPOLL_WAIT, K_EPOLL, n, errno, E_OK | B(EINTR), NULL);
	for (i = 0; i < n; i++)
		check_revents(OP_EPOLL_WAIT, ev[i].data.u64 >> 32,
			      ev[i].events & ~(EPOLLET | EPOLLONESHOT));
}

static void op_close(struct ctx *c)
{
	struct fdent e;
	int idx, ret;

	e = pick(c, -1, &idx);
	ret = close(e.fd);
	judge(c, OP_CLOSE, e.kind, ret, errno, e.kind == K_BOGUS ? B(EBADF) : E_OK, NULL);
	if (idx >= 0)
		tbl_del(c, idx);
}

static void op_dup(struct ctx *c, bool two)
{
	struct fdent e, d;
	int idx, didx = -1, fd, target = -1;

	e = pick(c, -1, &idx);
	if (!two) {
		fd = one_in(&c->r, 2) ? dup(e.fd) : fcntl(e.fd, F_DUPFD_CLOEXEC, 3 + rn(&c->r, 60));
		judge(c, OP_DUP, e.kind, fd, errno,
		      e.kind == K_BOGUS ? B(EBADF) : E_OK | B(EMFILE) | B(EINVAL) | B(ENOMEM), NULL);
	} else {
		if (c->nfds && rn(&c->r, 2)) {
			d = pick(c, -1, &didx);
			target = d.fd;
		} else {
			target = 64 + rn(&c->r, 64);
			didx = tbl_find(c, target);
		}
		if (target < 3) {	/* never onto stdio */
			return;
		}
		if (didx < 0 && fcntl(target, F_GETFD) >= 0)
			return;	/* some fd we do not own (sockets, epoll) */
		fd = one_in(&c->r, 2) ? dup2(e.fd, target) : dup3(e.fd, target, O_CLOEXEC);
		judge(c, OP_DUP2, e.kind, fd, errno, e.kind == K_BOGUS ? B(EBADF) :
		      E_OK | B(EBADF) | B(EMFILE) | B(EINVAL) | B(EBUSY), NULL);
		if (fd < 0 || fd == e.fd)
			return;
		if (didx >= 0) {	/* the target's old file was closed */
			c->fds[didx] = (struct fdent){ fd, e.kind, e.accmode, e.max_msg,
						      e.max_known };
			return;
		}
	}
	if (fd >= 0 && idx >= 0)
		tbl_add(c, fd, e.kind, e.accmode, e.max_msg, e.max_known);
	else if (fd >= 0)
		close(fd);
}

static void op_fcntl(struct ctx *c)
{
	struct fdent e;
	int idx, fl, ret;

	e = pick(c, -1, &idx);
	fl = fcntl(e.fd, F_GETFL);
	ret = fl < 0 ? fl : fcntl(e.fd, F_SETFL, fl ^ O_NONBLOCK);
	judge(c, OP_FCNTL, e.kind, ret, errno, e.kind == K_BOGUS ? B(EBADF) : E_OK, NULL);
}

static void op_fdinfo(struct ctx *c)
{
	char path[64], buf[1024];
	struct fdent e;
	int idx, fd;
	ssize_t n;

	e = pick(c, -1, &idx);
	snprintf(path, sizeof(path), "/proc/self/fdinfo/%d", e.fd);
	fd = open(path, O_RDONLY);
	if (fd < 0) {
		judge(c, OP_FDINFO, e.kind, -1, errno, B(ENOENT) | B(EMFILE) | B(ENFILE) | B(ENOMEM), NULL);
		return;
	}
	n = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	judge(c, OP_FDINFO, e.kind, n, errno, E_OK, NULL);
	if (n < 0)
		return;
	buf[n] = 0;
	if ((e.kind == K_SERVER || e.kind == K_CLIENT) &&
	    (!strstr(buf, "mailslot-messages:") || !strstr(buf, "mailslot-max-msg-size:")))
		finding("fdinfo of a %s fd lacks the mailslot lines", kind_names[e.kind]);
}

static void op_open_other(struct ctx *c)
{
	int p[2], fd, ret;

	switch (rn(&c->r, 4)) {
	case 0:
		ret = pipe2(p, O_NONBLOCK | O_CLOEXEC);
		judge(c, OP_OPEN_OTHER, K_PIPE_R, ret, errno, E_OK | B(EMFILE) | B(ENFILE), NULL);
		if (!ret) {
			tbl_add(c, p[0], K_PIPE_R, O_RDONLY, 0, false);
			tbl_add(c, p[1], K_PIPE_W, O_WRONLY, 0, false);
		}
		return;
	case 1:
		fd = eventfd(rn(&c->r, 2), EFD_NONBLOCK | EFD_CLOEXEC);
		judge(c, OP_OPEN_OTHER, K_EVENTFD, fd, errno, E_OK | B(EMFILE) | B(ENFILE), NULL);
		tbl_add(c, fd, K_EVENTFD, O_RDWR, 0, false);
		return;
	case 2:
		fd = epoll_create1(EPOLL_CLOEXEC);
		judge(c, OP_OPEN_OTHER, K_EPOLL, fd, errno,
		      E_OK | B(EMFILE) | B(ENFILE) | B(ENOMEM), NULL);
		tbl_add(c, fd, K_EPOLL, O_RDWR, 0, false);
		return;
	default:
		fd = open("/dev/null", O_RDWR | O_CLOEXEC);
		judge(c, OP_OPEN_OTHER, K_NULL, fd, errno, E_OK | B(EMFILE) | B(ENFILE), NULL);
		tbl_add(c, fd, K_NULL, O_RDWR, 0, false);
		return;
	}
}

/* fds travel between workers over one shared datagram socket */
static void op_scm_send(struct ctx *c)
{
	char cbuf[CMSG_SPACE(sizeof(int))] = {};
	struct msghdr m = {};
	struct cmsghdr *cm;
	struct fdent e;
	uint32_t payload[3];
	struct iovec iov = { payload, sizeof(payload) };
	int idx;
	long ret;

	e = pick(c, rn(&c->r, 2) ? K_SERVER : K_CLIENT, &idx);
	if (e.kind == K_BOGUS)
		return;
	payload[0] = e.kind; payload[1] = e.max_msg; payload[2] = e.accmode | (e.max_known << 8);
	m.msg_iov = &iov; m.msg_iovlen = 1;
	m.msg_control = cbuf; m.msg_controllen = sizeof(cbuf);
	cm = CMSG_FIRSTHDR(&m);
	cm->cmsg_level = SOL_SOCKET; cm->cmsg_type = SCM_RIGHTS;
	cm->cmsg_len = CMSG_LEN(sizeof(int));
	memcpy(CMSG_DATA(cm), &e.fd, sizeof(int));
	ret = sendmsg(scm_sock[0], &m, MSG_DONTWAIT | MSG_NOSIGNAL);
	judge(c, OP_SCM_SEND, e.kind, ret, errno, E_OK | B(EAGAIN) | B(ETOOMANYREFS) |
	      B(ENOBUFS) | B(ENOMEM), NULL);
	if (ret >= 0 && idx >= 0 && rn(&c->r, 2)) {	/* the only copy is in flight */
		close(e.fd);
		tbl_del(c, idx);
	}
}

static void op_scm_recv(struct ctx *c)
{
	char cbuf[CMSG_SPACE(sizeof(int) * 4)];
	struct msghdr m = {};
	struct cmsghdr *cm;
	uint32_t payload[3];
	struct iovec iov = { payload, sizeof(payload) };
	long ret;
	int fd;

	m.msg_iov = &iov; m.msg_iovlen = 1;
	m.msg_control = cbuf; m.msg_controllen = sizeof(cbuf);
	ret = recvmsg(scm_sock[1], &m, MSG_DONTWAIT | MSG_CMSG_CLOEXEC);
	judge(c, OP_SCM_RECV, K_SERVER, ret, errno, E_OK | B(EAGAIN) | B(EINTR), NULL);
	if (ret != sizeof(payload))
		return;
	for (cm = CMSG_FIRSTHDR(&m); cm; cm = CMSG_NXTHDR(&m, cm)) {
		if (cm->cmsg_level != SOL_SOCKET || cm->cmsg_type != SCM_RIGHTS)
			continue;
		memcpy(&fd, CMSG_DATA(cm), sizeof(int));
		if (payload[0] < NKINDS)
			tbl_add(c, fd, payload[0], payload[2] & 0xff, payload[1], payload[2] >> 8);
		else
			close(fd);
	}
}

static void op_rlimit(struct ctx *c)
{
	struct rlimit rl;
	int i, hi = 2, ret;

	for (i = 0; i < c->nfds; i++)
		if (c->fds[i].fd > hi)
			hi = c->fds[i].fd;
	if (getrlimit(RLIMIT_NOFILE, &rl))
		return;
	rl.rlim_cur = rn(&c->r, 3) ? 256 : hi + 1 + rn(&c->r, 3);
	if (rl.rlim_cur > rl.rlim_max)
		rl.rlim_cur = rl.rlim_max;
	ret = setrlimit(RLIMIT_NOFILE, &rl);
	judge(c, OP_RLIMIT, K_NULL, ret, errno, E_OK, NULL);
	if (!ret)
		c->nofile = rl.rlim_cur;
}

static void reap_kids(struct ctx *c, bool block)
{
	int i, st;

	for (i = 0; i < c->nkids; i++) {
		pid_t p = waitpid(c->kids[i], &st, block ? 0 : WNOHANG);

		if (p == 0)
			continue;
		if (p == c->kids[i] && WIFSIGNALED(st) && WTERMSIG(st) != SIGKILL &&
		    WTERMSIG(st) != SIGALRM)
			finding("fork child %d died of signal %d (%s)", p, WTERMSIG(st),
				strsignal(WTERMSIG(st)));
		if (p == c->kids[i] && WIFEXITED(st) && WEXITSTATUS(st))
			finding("fork child %d exited with %d", p, WEXITSTATUS(st));
		c->kids[i--] = c->kids[--c->nkids];
	}
}

static void run_one(struct ctx *c, bool in_child);

static void op_fork(struct ctx *c)
{
	pid_t p;
	int n, i;

	reap_kids(c, false);
	if (c->nkids >= 8)
		return;
	p = fork();
	judge(c, OP_FORK, K_NULL, p, errno, E_OK | B(EAGAIN) | B(ENOMEM), NULL);
	if (p < 0)
		return;
	if (p) {
		c->kids[c->nkids++] = p;
		rnd(&c->r);	/* the child continues on the same stream: diverge */
		return;
	}
	/* child: a few operations, sometimes in new namespaces, then exit */
	prctl(PR_SET_PDEATHSIG, SIGKILL);
	c->child = true;
	c->nkids = 0;
	rng_seed(&c->r, rnd(&c->r), getpid());
	{
		struct itimerval it = { { 0, 20000 }, { 0, 20000 } };

		setitimer(ITIMER_REAL, &it, NULL);
	}
	if (one_in(&c->r, 4))
		(void)unshare(CLONE_NEWIPC);
	else if (one_in(&c->r, 6))
		(void)unshare(CLONE_NEWUSER);
	n = 1 + rn(&c->r, 8);
	for (i = 0; i < n && !sh->stop; i++)
		run_one(c, true);
	_exit(0);
}

/* ---- the racer thread: same fd numbers, other threads' timing ---------------- */
static void racer_one(struct ctx *c)
{
	struct ctx *m = c->main;
	int n = __atomic_load_n(&m->nfds, __ATOMIC_ACQUIRE);
	int fd, kind, ret;
	union {
		struct mailslot_read rd;
		struct mailslot_info in;
		struct mailslot_read_batch rb;
	} u;
	uint32_t lens[4];
	struct pollfd pf;

	if (!n)
		return;
	n = rn(&c->r, n);
	fd = __atomic_load_n(&m->fds[n].fd, __ATOMIC_RELAXED);
	kind = __atomic_load_n(&m->fds[n].kind, __ATOMIC_RELAXED);
	if (fd < 3 || !is_ms(kind))
		return;
	memset(&u, 0, sizeof(u));
	switch (rn(&c->r, 7)) {
	case 0:
		u.rd.buf = (uintptr_t)c->area;
		u.rd.buf_len = rn(&c->r, 3) ? 70000 : rn(&c->r, 100);
		u.rd.flags = rn(&c->r, 2) ? MAILSLOT_READ_NONBLOCK : MAILSLOT_READ_DEADLINE;
		u.rd.deadline_ns = now_ns() + rn(&c->r, 20000000);
		ret = ioctl(fd, MAILSLOT_IOC_READ, &u.rd);
		break;
	case 1:
		ret = ioctl(fd, MAILSLOT_IOC_GET_INFO, &u.in);
		break;
	case 2:
		ret = write(fd, c->area, rn(&c->r, 3) ? rn(&c->r, 100) : gen_len(c, 0) & 0xfffff);
		break;
	case 3:
		ret = read(fd, c->area, rn(&c->r, 2) ? 70000 : rn(&c->r, 10));
		break;
	case 4:
		pf.fd = fd;
		pf.events = POLLIN | POLLOUT;
		ret = poll(&pf, 1, rn(&c->r, 5));
		break;
	case 5:
		u.rb.buf = (uintptr_t)c->area;
		u.rb.buf_len = 70000;
		u.rb.lens = (uintptr_t)lens;
		u.rb.max_msgs = 1 + rn(&c->r, 4);
		u.rb.flags = MAILSLOT_READ_NONBLOCK;
		ret = ioctl(fd, MAILSLOT_IOC_READ_BATCH, &u.rb);
		break;
	default:
		u.rd.deadline_ns = rn(&c->r, 50);
		ret = ioctl(fd, MAILSLOT_IOC_SET_TIMEOUT, &u.rd.deadline_ns);
		break;
	}
	/* the fd may have been closed or reused meanwhile: loose judging */
	judge(c, OP_RACER, kind, ret, errno, E_OK | READ_ERRS | WRITE_ERRS | B(EBADF) |
	      B(ENOTTY) | B(EINVAL), NULL);
}

/* ---- scheduling ------------------------------------------------------------ */
static void run_one(struct ctx *c, bool in_child)
{
	unsigned int w = rn(&c->r, 120);

	if (!c->nfds || (!have_dev(c) && one_in(&c->r, 4)))
		w = 0;
	if (w < 4) op_open_dev(c);
	else if (w < 14) op_create(c);
	else if (w < 26) op_open(c);
	else if (w < 31) op_get_info(c);
	else if (w < 34) op_set_timeout(c);
	else if (w < 41) op_ioc_read(c);
	else if (w < 45) op_ioc_read_batch(c);
	else if (w < 48) op_ioc_bad(c, OP_IOC_BADSIZE);
	else if (w < 51) op_ioc_bad(c, OP_IOC_UNKNOWN);
	else if (w < 53) op_ioc_vfs(c);
	else if (w < 59) op_read(c);
	else if (w < 67) op_write(c);
	else if (w < 70) op_ioc_write(c);
	else if (w < 73) op_ioc_write_batch(c);
	else if (w < 75) op_rwv(c, false);
	else if (w < 78) op_rwv(c, true);
	else if (w < 81) op_poll(c);
	else if (w < 84) op_epoll_ctl(c);
	else if (w < 87) op_epoll_wait(c);
	else if (w < 96) op_close(c);
	else if (w < 99) op_dup(c, false);
	else if (w < 102) op_dup(c, true);
	else if (w < 104) op_fcntl(c);
	else if (w < 106) op_fdinfo(c);
	else if (w < 107 && !in_child) op_fork(c);
	else if (w < 110) op_scm_send(c);
	else if (w < 113) op_scm_recv(c);
	else if (w < 114 && !in_child) op_rlimit(c);
	else op_open_other(c);
}

static void on_signal(int sig) { (void)sig; }

static void thread_timer(int interval_us)
{
	struct sigevent sev = {};
	struct itimerspec its;
	timer_t t;

	sev.sigev_notify = SIGEV_THREAD_ID;
	sev.sigev_signo = SIGALRM;
#ifdef sigev_notify_thread_id
	sev.sigev_notify_thread_id = gettid();
#else
	sev._sigev_un._tid = gettid();
#endif
	if (timer_create(CLOCK_MONOTONIC, &sev, &t))
		return;
	its.it_interval.tv_sec = 0;
	its.it_interval.tv_nsec = interval_us * 1000L;
	its.it_value = its.it_interval;
	timer_settime(t, 0, &its, NULL);
}

static bool map_area(struct ctx *c)
{
	char *p = mmap(NULL, AREA_SZ + 4 * page_size, PROT_READ | PROT_WRITE,
		       MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);

	if (p == MAP_FAILED)
		return false;
	c->area = p;
	c->guard = p + AREA_SZ;
	c->none = c->guard + page_size;
	c->ro = c->guard + 2 * page_size;
	c->unmapped = c->guard + 3 * page_size;
	mprotect(c->guard, 2 * page_size, PROT_NONE);
	mprotect(c->ro, page_size, PROT_READ);
	munmap(c->unmapped, page_size);
	return true;
}

static void *racer_main(void *arg)
{
	struct ctx *c = arg;

	thread_timer(10000 + rn(&c->r, 40000));
	if (fault_pct)
		fault_self("/proc/thread-self/make-it-fail");
	while (!sh->stop) {
		if (c->ops >= c->main->ops) {	/* one racer op per main op */
			sched_yield();
			continue;
		}
		c->ops++;
		racer_one(c);
	}
	return NULL;
}

static void worker(int id, uint64_t seed, bool setuid_ok)
{
	struct ctx *c = calloc(1, sizeof(*c)), *rc = calloc(1, sizeof(*rc));
	struct sigaction sa = {};
	sigset_t usr1;
	pthread_t th;
	bool have_racer;
	int i;

	worker_id = id;
	setpgid(0, 0);
	prctl(PR_SET_PDEATHSIG, SIGKILL);
	rng_seed(&c->r, seed, 1000 + id);
	rng_seed(&rc->r, seed, 2000 + id);
	if (!map_area(c) || !map_area(rc)) {
		say("msfuzz: worker %d: mmap failed", id);
		_exit(3);
	}
	c->nofile = 1024;
	c->epfd = epoll_create1(EPOLL_CLOEXEC);
	sa.sa_handler = on_signal;
	sigaction(SIGALRM, &sa, NULL);	/* never SA_RESTART: bounds every wait */
	sa.sa_flags = rn(&c->r, 2) ? SA_RESTART : 0;
	sigaction(SIGUSR1, &sa, NULL);
	sigemptyset(&usr1);
	sigaddset(&usr1, SIGUSR1);
	sigprocmask(SIG_UNBLOCK, &usr1, NULL);
	if (setuid_ok && id % 3 == 2) {
		if (setresgid(1000 + id, 1000 + id, 1000 + id) ||
		    setresuid(1000 + id, 1000 + id, 1000 + id))
			say("msfuzz: worker %d: cannot drop to uid %d", id, 1000 + id);
	}
	c->root = geteuid() == 0;
	if (opt_verbose)
		say("msfuzz: worker %d pid %d uid %d SIGUSR1 %s", id, getpid(), geteuid(),
		    sa.sa_flags ? "SA_RESTART" : "interrupting");
	rc->racer = true;
	rc->main = c;
	have_racer = pthread_create(&th, NULL, racer_main, rc) == 0;
	thread_timer(10000 + rn(&c->r, 40000));
	if (fault_pct)
		fault_self("/proc/thread-self/make-it-fail");
	while (!sh->stop) {
		run_one(c, false);
		c->ops++;
	}
	if (have_racer)
		pthread_join(th, NULL);
	for (i = 0; i < c->nkids; i++)
		kill(c->kids[i], SIGKILL);
	reap_kids(c, true);
	for (i = 0; i < c->nfds; i++)
		close(c->fds[i].fd);
	_exit(0);
}

/* ---- module parameters ------------------------------------------------------- */
static const char *const pnames[] = { "max_msg_size", "slot_max_bytes", "user_max_bytes",
	"user_max_slots", "max_slots" };
#define NPARAM 5
static long porig[NPARAM];
static bool have_params;

static long param_read(const char *name)
{
	char path[128], buf[32];
	ssize_t n;
	int fd;

	snprintf(path, sizeof(path), PARAM_DIR "%s", name);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -1;
	n = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	if (n <= 0)
		return -1;
	buf[n] = 0;
	return strtol(buf, NULL, 10);
}

static int param_write(const char *name, unsigned long v)
{
	char path[128], buf[32];
	int fd, n, ret = 0;

	snprintf(path, sizeof(path), PARAM_DIR "%s", name);
	fd = open(path, O_WRONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	n = snprintf(buf, sizeof(buf), "%lu", v);
	if (write(fd, buf, n) != n)
		ret = -errno;
	close(fd);
	return ret;
}

static void param_publish(int i, long v)
{
	if (i == 0) sh->max_msg_size = v;
	if (i == 1) sh->slot_max_bytes = v;
	if (i == 2) sh->user_max_bytes = v;
}

static void param_change(struct rng *r)
{
	static const unsigned long vals[NPARAM][8] = {
		{ 1, 2, 4064, 4065, 65536, 65537, MSG_SIZE_LIMIT, MSG_SIZE_LIMIT - 1 },
		{ 0, 1, 32, 33, 4096, 1 << 20, 4 << 20, 65536 },
		{ 0, 1, 64, 65536, 1 << 20, 8 << 20, 32 << 20, 4096 },
		{ 0, 1, 2, 3, 16, 256, 512, 64 },
		{ 0, 1, 2, 16, 100, 1024, 65536, 8 },
	};
	int i = rn(r, NPARAM + 1), ret;
	unsigned long v;

	if (i == NPARAM) {	/* invalid writes must fail and change nothing */
		static const char *bad[] = { "max_msg_size", "max_msg_size", "msg_overhead" };
		static const unsigned long bv[] = { 0, MSG_SIZE_LIMIT + 1, 1 };
		int k = rn(r, 3);
		long before = param_read(bad[k]);

		ret = param_write(bad[k], bv[k]);
		count(OP_PARAM, ret, -ret);
		if (!ret || param_read(bad[k]) != before)
			finding("writing %lu to %s: %s, value now %ld (was %ld)", bv[k], bad[k],
				ret ? ename(-ret) : "accepted", param_read(bad[k]), before);
		return;
	}
	v = rn(r, 2) ? (unsigned long)porig[i] : vals[i][rn(r, 8)];
	ret = param_write(pnames[i], v);
	count(OP_PARAM, ret, -ret);
	if (ret)
		finding("writing %lu to %s: %s", v, pnames[i], ename(-ret));
	else
		param_publish(i, v);
}

/* ---- main ---------------------------------------------------------------- */
static void usage(void)
{
	fprintf(stderr, "usage: msfuzz [--seconds N] [--seed S] [--workers W] [--no-params] "
			"[--no-setuid] [--fault PCT] [--verbose]\n");
	exit(2);
}

static void print_stats(double secs)
{
	uint64_t total = 0;
	int i, e;

	printf("%-16s %10s %10s  errors\n", "operation", "calls", "ok");
	for (i = 0; i < NOPS; i++) {
		char line[1024];
		int n = 0;

		if (!sh->calls[i])
			continue;
		total += sh->calls[i];
		for (e = 1; e < NERR && n < (int)sizeof(line) - 40; e++)
			if (sh->errs[i][e])
				n += snprintf(line + n, sizeof(line) - n, " %s:%" PRIu64,
					      ename(e), sh->errs[i][e]);
		line[n] = 0;
		printf("%-16s %10" PRIu64 " %10" PRIu64 " %s\n", op_names[i], sh->calls[i],
		       sh->oks[i], line);
	}
	printf("msfuzz: total %" PRIu64 " operations in %.1f s (%.0f/s), %" PRIu64 " findings\n",
	       total, secs, total / (secs > 0 ? secs : 1), sh->findings);
}

int main(int argc, char **argv)
{
	uint64_t seed = 0;
	int seconds = 30, nworkers = 4, i, alive, st;
	bool seeded = false, no_params = false, setuid_ok = true;
	pid_t pids[MAXW], stopped = 0;
	struct rng r;
	uint64_t t0, deadline;
	sigset_t usr1;
	int last_report = 0;

	for (i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--seconds") && i + 1 < argc)
			seconds = atoi(argv[++i]);
		else if (!strcmp(argv[i], "--seed") && i + 1 < argc)
			seed = strtoull(argv[++i], NULL, 0), seeded = true;
		else if (!strcmp(argv[i], "--workers") && i + 1 < argc)
			nworkers = atoi(argv[++i]);
		else if (!strcmp(argv[i], "--no-params"))
			no_params = true;
		else if (!strcmp(argv[i], "--no-setuid"))
			setuid_ok = false;
		else if (!strcmp(argv[i], "--fault") && i + 1 < argc)
			fault_pct = atoi(argv[++i]);
		else if (!strcmp(argv[i], "--verbose"))
			opt_verbose = true;
		else
			usage();
	}
	if (seconds < 1 || nworkers < 1 || nworkers > MAXW)
		usage();
	if (!seeded)
		seed = now_ns() ^ ((uint64_t)getpid() << 32);
	page_size = sysconf(_SC_PAGESIZE);
	setvbuf(stdout, NULL, _IOLBF, 0);
	sh = mmap(NULL, sizeof(*sh), PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	if (sh == MAP_FAILED)
		return 3;
	pool_init();
	if (access(dev_path, R_OK | W_OK)) {
		fprintf(stderr, "msfuzz: %s: %s (is the module loaded?)\n", dev_path, strerror(errno));
		return 3;
	}
	have_params = true;
	for (i = 0; i < NPARAM; i++)
		if ((porig[i] = param_read(pnames[i])) < 0)
			have_params = false;
	sh->overhead = param_read("msg_overhead") > 0 ? param_read("msg_overhead") : 32;
	if (have_params) {
		for (i = 0; i < 3; i++)
			param_publish(i, porig[i]);
	} else {
		sh->max_msg_size = 65536; sh->slot_max_bytes = 1 << 20; sh->user_max_bytes = 8 << 20;
	}
	if (geteuid() || !have_params)
		no_params = true;
	if (geteuid())
		setuid_ok = false;
	if (fault_pct && (geteuid() || !fault_setup(fault_pct))) {
		fprintf(stderr, "msfuzz: --fault needs root and a kernel with failslab and "
				"fail_page_alloc in debugfs\n");
		return 3;
	}
	if (socketpair(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0, scm_sock))
		return 3;
	printf("msfuzz: seed=%" PRIu64 " workers=%d seconds=%d params=%s setuid=%s fault=%d%% kernel=%s\n",
	       seed, nworkers, seconds, no_params ? "fixed" : "random",
	       setuid_ok ? "yes" : "no", fault_pct, getenv("VM_RUN_KERNEL") ? getenv("VM_RUN_KERNEL") : "?");
	printf("msfuzz: replay with: msfuzz --seed %" PRIu64 " --workers %d --seconds %d%s%s --fault %d\n",
	       seed, nworkers, seconds, no_params ? " --no-params" : "", setuid_ok ? "" : " --no-setuid",
	       fault_pct);
	prctl(PR_SET_CHILD_SUBREAPER, 1);
	signal(SIGPIPE, SIG_IGN);
	/*
	 * SIGUSR1 stays blocked until a worker has its handler: the first
	 * signal may come before a slow (debug-kernel) worker gets there.
	 */
	sigemptyset(&usr1);
	sigaddset(&usr1, SIGUSR1);
	sigprocmask(SIG_BLOCK, &usr1, NULL);
	rng_seed(&r, seed, 0);
	t0 = now_ns();
	deadline = t0 + (uint64_t)seconds * 1000000000ULL;
	for (i = 0; i < nworkers; i++) {
		pids[i] = fork();
		if (pids[i] < 0) {
			perror("fork");
			nworkers = i;
			break;
		}
		if (!pids[i])
			worker(i, seed, setuid_ok);
	}
	/* the parent: signals and parameter changes until the deadline */
	while (now_ns() < deadline) {
		struct timespec ts = { 0, (long)(5 + rn(&r, 25)) * 1000000L };
		pid_t w = pids[rn(&r, nworkers)];

		nanosleep(&ts, NULL);
		if (stopped) {
			kill(stopped, SIGCONT);
			count(OP_STOPCONT, 0, 0);
			stopped = 0;
		}
		if (w <= 0) {
			/* gone already */
		} else if (rn(&r, 10) < 3) {
			kill(w, SIGUSR1);
			count(OP_SIGNAL, 0, 0);
		} else if (one_in(&r, 40)) {
			kill(w, SIGSTOP);
			stopped = w;
		}
		if (!no_params && one_in(&r, 15))
			param_change(&r);
		if ((int)((now_ns() - t0) / 10000000000ULL) > last_report) {
			uint64_t tot = 0;

			last_report++;
			for (i = 0; i < NOPS; i++)
				tot += sh->calls[i];
			printf("msfuzz: %d s: %" PRIu64 " operations, %" PRIu64 " findings\n",
			       last_report * 10, tot, sh->findings);
		}
		/* a worker that died early is a finding */
		for (i = 0; i < nworkers; i++) {
			if (pids[i] > 0 && waitpid(pids[i], &st, WNOHANG) == pids[i]) {
				finding("worker %d (pid %d) ended early: %s %d", i, pids[i],
					WIFSIGNALED(st) ? "signal" : "exit status",
					WIFSIGNALED(st) ? WTERMSIG(st) : WEXITSTATUS(st));
				pids[i] = -1;
			}
		}
	}
	sh->stop = 1;
	if (stopped)
		kill(stopped, SIGCONT);
	/* workers stop by themselves; stragglers are killed with their children */
	for (i = 0; i < 100; i++) {
		int k;

		alive = 0;
		for (k = 0; k < nworkers; k++) {
			if (pids[k] <= 0)
				continue;
			kill(pids[k], SIGCONT);
			if (waitpid(pids[k], &st, WNOHANG) == pids[k]) {
				if (!WIFEXITED(st) || WEXITSTATUS(st))
					finding("worker %d (pid %d) ended with %s %d", k, pids[k],
						WIFSIGNALED(st) ? "signal" : "exit status",
						WIFSIGNALED(st) ? WTERMSIG(st) : WEXITSTATUS(st));
				pids[k] = -1;
			} else {
				alive++;
			}
		}
		if (!alive)
			break;
		usleep(50000);
	}
	for (i = 0; i < nworkers; i++) {
		if (pids[i] > 0) {
			printf("msfuzz: worker %d (pid %d) did not stop within 5 s: killed\n", i, pids[i]);
			kill(-pids[i], SIGKILL);
			kill(pids[i], SIGKILL);
		}
	}
	/* we are the subreaper: every orphaned grandchild comes back to us */
	while (wait(&st) > 0 || errno == EINTR)
		;
	close(scm_sock[0]);
	close(scm_sock[1]);
	if (fault_pct)
		fault_setup(0);
	if (have_params && geteuid() == 0)
		for (i = 0; i < NPARAM; i++)
			if (param_write(pnames[i], porig[i]))
				fprintf(stderr, "msfuzz: cannot restore %s\n", pnames[i]);
	print_stats((now_ns() - t0) / 1e9);
	if (sh->findings)
		printf("msfuzz: FAILED: %" PRIu64 " findings (first 40 printed above)\n", sh->findings);
	else
		printf("msfuzz: OK\n");
	return sh->findings ? 1 : 0;
}
