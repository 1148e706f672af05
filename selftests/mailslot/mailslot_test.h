/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Shared helpers for the mailslot selftests.  Included by every test
 * program after nothing else (it pulls in the harness itself).
 */
#ifndef MAILSLOT_TEST_H
#define MAILSLOT_TEST_H

#ifndef _GNU_SOURCE		/* 6.12's lib.mk passes -D_GNU_SOURCE= */
#define _GNU_SOURCE
#endif

#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <poll.h>
#include <pthread.h>
#include <sched.h>
#include <signal.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/eventfd.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/types.h>
#include <sys/wait.h>

#include <linux/mailslot.h>

/*
 * kselftest_harness.h itself trips these -Wextra warnings (unused
 * parameters in its macros, setjmp in 6.12's TEST_F wrapper).
 */
#pragma GCC diagnostic ignored "-Wunused-parameter"
#pragma GCC diagnostic ignored "-Wclobbered"
#include "kselftest_harness.h"

#define MS_DEV		"/dev/mailslot"
#define MS_PARAMS	"/sys/module/mailslot/parameters"

/*
 * SKIP() from a FIXTURE_SETUP: 6.12's harness stops the test when the
 * setup skipped, 6.1's would still run the body, so there leave the test
 * child with the exit code 6.1 reads as "skipped".
 */
#ifdef FIXTURE_TEARDOWN_PARENT
#define SETUP_SKIP(fmt, ...) SKIP(return, fmt, ##__VA_ARGS__)
#else
#define SETUP_SKIP(fmt, ...) SKIP(_exit(255), fmt, ##__VA_ARGS__)
#endif

static inline const char *ms_errname(int e)
{
	const char *s = e ? strerrorname_np(e) : "0 (no error)";

	return s ? s : "?";
}

static inline int ms_errno_report(int got, int want, const char *expr,
				  const char *file, int line)
{
	if (got != want)
		fprintf(stderr, "# %s:%d: %s: expected %s, got %s\n", file, line,
			expr, ms_errname(want),
			got == -1 ? "success" : ms_errname(got));
	return 0;
}

/* errno of a failed (-1) call, or -1 if it did not fail. */
#define ERRNO_OF(_expr) ({						\
	long __ms_r;							\
	errno = 0;							\
	__ms_r = (long)(_expr);						\
	__ms_r == -1 ? errno : -1;					\
})

/*
 * _expr must fail with -1 and errno == _err.  Like ASSERT_EQ, it may be
 * followed by a statement run on failure (e.g. TH_LOG(...)).  Expands to
 * two statements: do not use as the body of an unbraced if/for.
 */
static __thread int __ms_errno_seen __attribute__((unused));
#define __MS_ERRNO(_err, _expr, _kind)					\
	__ms_errno_seen = ERRNO_OF(_expr);				\
	ms_errno_report(__ms_errno_seen, (_err), #_expr, __FILE__, __LINE__); \
	_kind##_EQ((_err), __ms_errno_seen)
#define ASSERT_ERRNO(_err, _expr) __MS_ERRNO(_err, _expr, ASSERT)
#define EXPECT_ERRNO(_err, _expr) __MS_ERRNO(_err, _expr, EXPECT)

/* _expr (a syscall) must succeed: print errno otherwise. */
#define ASSERT_SYS(_expr) do {						\
	long __ms_r;							\
	errno = 0;							\
	__ms_r = (long)(_expr);						\
	ASSERT_NE(-1L, __ms_r)						\
		TH_LOG("%s failed: %s", #_expr, ms_errname(errno));	\
} while (0)

/* ---------------------------------------------------------------- */
/* Thin ioctl wrappers (return -1/errno like the syscalls).          */

static inline int ms_dev_open(void)
{
	return open(MS_DEV, O_RDWR | O_CLOEXEC);
}

static inline int ms_create_full(int dev, const void *name, size_t len,
				 __u32 max, __u32 tmo, __u32 flags, __u32 mode)
{
	struct mailslot_create c;

	memset(&c, 0, sizeof(c));
	c.name = (uintptr_t)name;
	c.name_len = (__u32)len;
	c.max_msg_size = max;
	c.read_timeout_ms = tmo;
	c.flags = flags;
	c.mode = mode;
	return ioctl(dev, MAILSLOT_IOC_CREATE, &c);
}

static inline int ms_create(int dev, const char *name, __u32 max, __u32 tmo,
			    __u32 flags)
{
	return ms_create_full(dev, name, strlen(name), max, tmo,
			      flags | MAILSLOT_F_CLOEXEC, MAILSLOT_MODE_ALL);
}

static inline int ms_open_full(int dev, const void *name, size_t len,
			       __u32 flags)
{
	struct mailslot_open o;

	memset(&o, 0, sizeof(o));
	o.name = (uintptr_t)name;
	o.name_len = (__u32)len;
	o.flags = flags;
	return ioctl(dev, MAILSLOT_IOC_OPEN, &o);
}

static inline int ms_open(int dev, const char *name, __u32 flags)
{
	return ms_open_full(dev, name, strlen(name), flags | MAILSLOT_F_CLOEXEC);
}

static inline int ms_info(int fd, struct mailslot_info *info)
{
	memset(info, 0xcc, sizeof(*info));
	return ioctl(fd, MAILSLOT_IOC_GET_INFO, info);
}

static inline int ms_set_timeout(int fd, __u32 ms)
{
	return ioctl(fd, MAILSLOT_IOC_SET_TIMEOUT, &ms);
}

static inline int ms_read_ioctl(int fd, void *buf, __u32 len, __u32 flags,
				__u64 deadline, __u32 *msg_len)
{
	struct mailslot_read r;
	int ret;

	memset(&r, 0, sizeof(r));
	r.buf = (uintptr_t)buf;
	r.buf_len = len;
	r.flags = flags;
	r.deadline_ns = deadline;
	r.msg_len = 0xdeadbeef;
	ret = ioctl(fd, MAILSLOT_IOC_READ, &r);
	if (msg_len)
		*msg_len = r.msg_len;
	return ret;
}

static inline int ms_read_batch(int fd, void *buf, __u32 len, __u32 *lens,
				__u32 max, __u32 flags, __u64 deadline)
{
	struct mailslot_read_batch b;

	memset(&b, 0, sizeof(b));
	b.buf = (uintptr_t)buf;
	b.buf_len = len;
	b.lens = (uintptr_t)lens;
	b.max_msgs = max;
	b.flags = flags;
	b.deadline_ns = deadline;
	return ioctl(fd, MAILSLOT_IOC_READ_BATCH, &b);
}

static inline int ms_write_batch(int fd, const void *buf, const __u32 *lens,
				 __u32 count)
{
	struct mailslot_write_batch b;

	memset(&b, 0, sizeof(b));
	b.buf = (uintptr_t)buf;
	b.lens = (uintptr_t)lens;
	b.count = count;
	return ioctl(fd, MAILSLOT_IOC_WRITE_BATCH, &b);
}

/* ---------------------------------------------------------------- */
/* Names, time, process state.                                       */

/* A name unique to this process: "kselftest\<tag>\<pid>\<n>". */
static inline void ms_name(char *buf, size_t size, const char *tag)
{
	static unsigned int counter;

	snprintf(buf, size, "kselftest\\%s\\%d\\%u", tag, (int)getpid(),
		 counter++);
}

static inline uint64_t now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ULL + (uint64_t)ts.tv_nsec;
}

static inline uint64_t ms_since(uint64_t t0_ns)
{
	return (now_ns() - t0_ns) / 1000000ULL;
}

/* State letter of /proc/<pid>/task/<tid>/stat, or 0. */
static inline char task_state(pid_t pid, pid_t tid)
{
	char path[64], buf[512], *p;
	ssize_t n;
	int fd;

	snprintf(path, sizeof(path), "/proc/%d/task/%d/stat", (int)pid,
		 (int)tid);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return 0;
	n = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	if (n <= 0)
		return 0;
	buf[n] = 0;
	p = strrchr(buf, ')');
	return (p && p[1] == ' ') ? p[2] : 0;
}

/*
 * Wait (up to 10 s) until the task sleeps interruptibly, i.e. is blocked
 * in the call it was about to make.  Used only where the test is correct
 * whether or not the task has blocked yet.
 */
static inline bool wait_sleeping(pid_t pid, pid_t tid)
{
	uint64_t t0 = now_ns();
	const struct timespec ms = { 0, 1000000 };

	while (ms_since(t0) < 10000) {
		if (task_state(pid, tid) == 'S')
			return true;
		nanosleep(&ms, NULL);
	}
	return false;
}

/* Module parameter helpers: -1 on error. */
static inline long long ms_param_get(const char *param)
{
	char path[128], buf[64];
	ssize_t n;
	int fd;

	snprintf(path, sizeof(path), MS_PARAMS "/%s", param);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -1;
	n = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	if (n <= 0)
		return -1;
	buf[n] = 0;
	return strtoll(buf, NULL, 0);
}

/* 0 or -1/errno (of the write). */
static inline int ms_param_set(const char *param, unsigned long long val)
{
	char path[128], buf[64];
	int fd, len, ret;

	snprintf(path, sizeof(path), MS_PARAMS "/%s", param);
	fd = open(path, O_WRONLY | O_CLOEXEC);
	if (fd < 0)
		return -1;
	len = snprintf(buf, sizeof(buf), "%llu", val);
	ret = write(fd, buf, len) == len ? 0 : -1;
	if (ret) {
		int e = errno;

		close(fd);
		errno = e;
		return ret;
	}
	close(fd);
	return 0;
}

/* Wait for a child and return its exit code (or 128 + signal). */
static inline int wait_child(pid_t pid)
{
	int status;

	if (waitpid(pid, &status, 0) != pid)
		return -1;
	if (WIFEXITED(status))
		return WEXITSTATUS(status);
	if (WIFSIGNALED(status))
		return 128 + WTERMSIG(status);
	return -1;
}

/* Pattern byte i of message "seed". */
static inline unsigned char pat(unsigned int seed, size_t i)
{
	return (unsigned char)(seed * 131u + i * 7u + (i >> 8));
}

static inline void fill_pat(void *buf, size_t len, unsigned int seed)
{
	unsigned char *p = buf;
	size_t i;

	for (i = 0; i < len; i++)
		p[i] = pat(seed, i);
}

static inline bool check_pat(const void *buf, size_t len, unsigned int seed)
{
	const unsigned char *p = buf;
	size_t i;

	for (i = 0; i < len; i++)
		if (p[i] != pat(seed, i))
			return false;
	return true;
}

/* An invalid user pointer the compiler cannot see through. */
static inline void *bad_ptr(uintptr_t v)
{
	volatile uintptr_t x = v;

	return (void *)x;
}

/*
 * Two adjacent pages, the second PROT_NONE: a buffer placed to end at
 * the page boundary can be read exactly, one byte more faults.
 */
static inline unsigned char *guard_pages(void)
{
	long pg = sysconf(_SC_PAGESIZE);
	unsigned char *p = mmap(NULL, 2 * pg, PROT_READ | PROT_WRITE,
				MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

	if (p == MAP_FAILED)
		return NULL;
	if (mprotect(p + pg, pg, PROT_NONE))
		return NULL;
	return p;
}

/* Address of the PROT_NONE page of guard_pages(). */
static inline unsigned char *guard_boundary(unsigned char *p)
{
	return p + sysconf(_SC_PAGESIZE);
}

#endif /* MAILSLOT_TEST_H */
