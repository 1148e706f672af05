// SPDX-License-Identifier: GPL-2.0
/*
 * libmailslot selftests: the Win32-visible behaviour of
 * /work/shared/docs/win32-mailslot-semantics.md (§6 checklist items are
 * named cNN_), plus overlapped reads and cancellation, threads,
 * inheritance across exec, W functions with non-ASCII names, the
 * errno -> Win32 table against the real module, and the samples.
 * Needs /dev/mailslot (the test VM); skips without it.
 */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include <dirent.h>
#include <fcntl.h>
#include <limits.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include <windows.h>
#include <mailslot.h>

/* The harness's own signal handler trips -Wunused-parameter. */
#pragma GCC diagnostic ignored "-Wunused-parameter"
#include "kselftest_harness.h"

#define OPEN(name) CreateFileA(name, GENERIC_WRITE, FILE_SHARE_READ, NULL, \
			       OPEN_EXISTING, FILE_ATTRIBUTE_NORMAL, NULL)
#define VALID(h) ((h) != INVALID_HANDLE_VALUE && (h) != NULL)

FIXTURE(ms) {
	char name[160];
	HANDLE s;
};

FIXTURE_SETUP(ms)
{
	static int seq;

	self->s = INVALID_HANDLE_VALUE;
	if (access("/dev/mailslot", F_OK))
		SKIP(return, "/dev/mailslot missing (module not loaded)");
	snprintf(self->name, sizeof(self->name), "\\\\.\\mailslot\\libmailslot_test\\%d\\%d",
		 (int)getpid(), seq++);
}

FIXTURE_TEARDOWN(ms)
{
	if (VALID(self->s))
		CloseHandle(self->s);
}

static DWORD info_next(HANDLE h, DWORD *count)
{
	DWORD next = 0x12345678, n = 0x12345678;

	if (!GetMailslotInfo(h, NULL, &next, &n, NULL))
		return 0xBAD;
	if (count)
		*count = n;
	return next;
}

static DWORD thread_count(void)
{
	DIR *d = opendir("/proc/self/task");
	struct dirent *e;
	DWORD n = 0;

	if (!d)
		return 0;
	while ((e = readdir(d)))
		if (e->d_name[0] != '.')
			n++;
	closedir(d);
	return n;
}

static void *noop_thread(void *arg)
{
	return arg;
}

/* ---- §6 checklist ---- */

TEST_F(ms, c01_info_invalid_handle)
{
	DWORD a, b, c, d;

	ASSERT_FALSE(GetMailslotInfo(INVALID_HANDLE_VALUE, &a, &b, &c, &d));
	ASSERT_EQ(ERROR_INVALID_HANDLE, GetLastError());
}

TEST_F(ms, c02_open_missing_slot)
{
	HANDLE c = CreateFileA(self->name, GENERIC_READ | GENERIC_WRITE, FILE_SHARE_READ,
			       NULL, OPEN_EXISTING, 0, NULL);

	ASSERT_TRUE(c == INVALID_HANDLE_VALUE);
	ASSERT_EQ(ERROR_FILE_NOT_FOUND, GetLastError());
}

TEST_F(ms, c03_create_not_a_mailslot_name)
{
	ASSERT_TRUE(CreateMailslotA("blah", 0, 0, NULL) == INVALID_HANDLE_VALUE);
	ASSERT_EQ(ERROR_INVALID_NAME, GetLastError());
	ASSERT_TRUE(CreateMailslotA("\\\\.\\pipe\\x", 0, 0, NULL) == INVALID_HANDLE_VALUE);
	ASSERT_EQ(ERROR_INVALID_NAME, GetLastError());
	ASSERT_TRUE(CreateMailslotA("\\\\.\\mailslot\\", 0, 0, NULL) == INVALID_HANDLE_VALUE);
	ASSERT_EQ(ERROR_INVALID_NAME, GetLastError());
	ASSERT_TRUE(CreateMailslotA("\\\\.\\mailslot\\a\\\\b", 0, 0, NULL) == INVALID_HANDLE_VALUE);
	ASSERT_EQ(ERROR_INVALID_NAME, GetLastError());	/* empty level: kernel EINVAL */
	ASSERT_TRUE(CreateMailslotA("\\\\srv\\mailslot\\x", 0, 0, NULL) == INVALID_HANDLE_VALUE);
	ASSERT_EQ(ERROR_INVALID_NAME, GetLastError());
}

TEST_F(ms, c04_create_null_name)
{
	ASSERT_TRUE(CreateMailslotA(NULL, 0, 0, NULL) == INVALID_HANDLE_VALUE);
	ASSERT_EQ(ERROR_PATH_NOT_FOUND, GetLastError());
}

TEST_F(ms, c05_08_create_all_ones_and_info)
{
	DWORD max = 0, next = 0, count = 7, timeout = 0;

	self->s = CreateMailslotA(self->name, 0xFFFFFFFF, 0xFFFFFFFF, NULL);
	ASSERT_TRUE(VALID(self->s));
	ASSERT_TRUE(GetMailslotInfo(self->s, &max, &next, &count, &timeout));
	ASSERT_EQ(0xFFFFFFFFU, max);
	ASSERT_EQ(MAILSLOT_NO_MESSAGE, next);
	ASSERT_EQ(0U, count);
	ASSERT_EQ(MAILSLOT_WAIT_FOREVER, timeout);
	ASSERT_TRUE(GetMailslotInfo(self->s, NULL, NULL, NULL, NULL));
	ASSERT_TRUE(CloseHandle(self->s));
	self->s = INVALID_HANDLE_VALUE;
}

TEST_F(ms, c09_name_reusable_after_close)
{
	HANDLE h = CreateMailslotA(self->name, 0, 0, NULL);

	ASSERT_TRUE(VALID(h));
	ASSERT_TRUE(CloseHandle(h));
	self->s = CreateMailslotA(self->name, 0, 0, NULL);
	ASSERT_TRUE(VALID(self->s));
}

TEST_F(ms, c10_read_invalid_handle)
{
	DWORD count = 0xDEADBEEF;
	char buf[16];

	SetLastError(0xDEADBEEF);
	ASSERT_FALSE(ReadFile(INVALID_HANDLE_VALUE, buf, 0, &count, NULL));
	ASSERT_EQ(ERROR_INVALID_HANDLE, GetLastError());
	ASSERT_EQ(0U, count);
}

TEST_F(ms, c11_12_read_empty_timeout0)
{
	DWORD count = 0xDEADBEEF;
	char buf[16];

	self->s = CreateMailslotA(self->name, 0, 0, NULL);
	ASSERT_TRUE(VALID(self->s));
	SetLastError(0xDEADBEEF);
	ASSERT_FALSE(ReadFile(self->s, buf, 0, &count, NULL));
	ASSERT_EQ(ERROR_SEM_TIMEOUT, GetLastError());
	ASSERT_EQ(0U, count);
	count = 0xDEADBEEF;
	ASSERT_FALSE(ReadFile(self->s, buf, sizeof(buf), &count, NULL));
	ASSERT_EQ(ERROR_SEM_TIMEOUT, GetLastError());
	ASSERT_EQ(0U, count);
}

TEST_F(ms, c13_19_write_on_server_denied)
{
	DWORD count = 0xDEADBEEF;
	char buf[16] = "x";

	self->s = CreateMailslotA(self->name, 0, 0, NULL);
	ASSERT_TRUE(VALID(self->s));
	ASSERT_FALSE(WriteFile(self->s, buf, sizeof(buf), &count, NULL));
	ASSERT_EQ(ERROR_ACCESS_DENIED, GetLastError());
	ASSERT_EQ(0U, count);
}

TEST_F(ms, c16_open_share_mode_zero)
{
	HANDLE c;

	self->s = CreateMailslotA(self->name, 0, 0, NULL);
	ASSERT_TRUE(VALID(self->s));
	c = CreateFileA(self->name, GENERIC_WRITE, 0, NULL, OPEN_EXISTING, 0, NULL);
	ASSERT_TRUE(VALID(c));	/* Vista+ behaviour */
	ASSERT_TRUE(CloseHandle(c));
}

TEST_F(ms, c17_25_client_one_way_and_message_consumed)
{
	DWORD count;
	char buf[16] = "abcdefgh";
	HANDLE c;

	self->s = CreateMailslotA(self->name, 0, 0, NULL);
	ASSERT_TRUE(VALID(self->s));
	c = CreateFileA(self->name, GENERIC_READ | GENERIC_WRITE, FILE_SHARE_READ, NULL,
			OPEN_EXISTING, 0, NULL);
	ASSERT_TRUE(VALID(c));
	ASSERT_FALSE(ReadFile(self->s, buf, 8, &count, NULL));	/* c18 */
	ASSERT_EQ(ERROR_SEM_TIMEOUT, GetLastError());
	count = 0xDEADBEEF;
	ASSERT_FALSE(ReadFile(c, buf, 8, &count, NULL));		/* c20 */
	ASSERT_EQ(ERROR_INVALID_PARAMETER, GetLastError());
	ASSERT_EQ(0U, count);
	ASSERT_TRUE(WriteFile(c, buf, 8, &count, NULL));		/* c21 */
	ASSERT_EQ(8U, count);
	ASSERT_FALSE(ReadFile(c, buf, 8, &count, NULL));		/* c22 */
	ASSERT_EQ(ERROR_INVALID_PARAMETER, GetLastError());
	ASSERT_TRUE(ReadFile(self->s, buf, 16, &count, NULL));	/* c24 */
	ASSERT_EQ(8U, count);
	ASSERT_FALSE(ReadFile(self->s, buf, 16, &count, NULL));	/* c25 */
	ASSERT_EQ(ERROR_SEM_TIMEOUT, GetLastError());
	CloseHandle(c);
}

TEST_F(ms, c26_30_any_number_of_writers_any_share_mode)
{
	static const DWORD acc[] = { GENERIC_READ | GENERIC_WRITE, GENERIC_READ, GENERIC_WRITE };
	HANDLE c[4];
	int i;

	self->s = CreateMailslotA(self->name, 0, 0, NULL);
	ASSERT_TRUE(VALID(self->s));
	c[0] = CreateFileA(self->name, GENERIC_READ | GENERIC_WRITE, FILE_SHARE_READ, NULL,
			   OPEN_EXISTING, 0, NULL);
	ASSERT_TRUE(VALID(c[0]));
	for (i = 0; i < 3; i++) {
		c[i + 1] = CreateFileA(self->name, acc[i], FILE_SHARE_READ, NULL,
				       OPEN_EXISTING, 0, NULL);
		ASSERT_TRUE(VALID(c[i + 1]));
	}
	for (i = 0; i < 4; i++)
		ASSERT_TRUE(CloseHandle(c[i]));
}

TEST_F(ms, c27_create_existing_name)
{
	self->s = CreateMailslotA(self->name, 0, 0, NULL);
	ASSERT_TRUE(VALID(self->s));
	ASSERT_TRUE(CreateMailslotA(self->name, 0, 0, NULL) == INVALID_HANDLE_VALUE);
	ASSERT_EQ(ERROR_ALREADY_EXISTS, GetLastError());
}

TEST_F(ms, c29_46_golden_sequence)
{
	DWORD max = 1, next = 1, count = 1, timeout = 1, n;
	char buf[16];
	HANDLE c1, c2;

	self->s = CreateMailslotA(self->name, 0, 0, NULL);
	ASSERT_TRUE(VALID(self->s));
	c1 = CreateFileA(self->name, GENERIC_WRITE, FILE_SHARE_READ | FILE_SHARE_WRITE, NULL,
			 OPEN_EXISTING, 0, NULL);
	c2 = CreateFileA(self->name, GENERIC_WRITE, FILE_SHARE_READ | FILE_SHARE_WRITE, NULL,
			 OPEN_EXISTING, 0, NULL);
	ASSERT_TRUE(VALID(c1) && VALID(c2));
	ASSERT_TRUE(GetMailslotInfo(self->s, &max, &next, &count, &timeout));	/* c32 */
	ASSERT_EQ(MAILSLOT_NO_MESSAGE, next);
	ASSERT_EQ(0U, max);
	ASSERT_EQ(0U, count);
	ASSERT_EQ(0U, timeout);
	ASSERT_FALSE(ReadFile(self->s, buf, 16, &n, NULL));
	ASSERT_EQ(ERROR_SEM_TIMEOUT, GetLastError());
	ASSERT_TRUE(WriteFile(c1, "a", 1, &n, NULL));
	ASSERT_EQ(1U, info_next(self->s, &count));
	ASSERT_EQ(1U, count);
	ASSERT_TRUE(WriteFile(c2, "bc", 2, &n, NULL));
	ASSERT_EQ(1U, info_next(self->s, &count));
	ASSERT_EQ(2U, count);
	ASSERT_TRUE(WriteFile(c2, buf, 0, &n, NULL));			/* c38 */
	ASSERT_EQ(0U, n);
	ASSERT_EQ(1U, info_next(self->s, &count));
	ASSERT_EQ(3U, count);
	ASSERT_TRUE(ReadFile(self->s, buf, 16, &n, NULL));		/* c40 */
	ASSERT_EQ(1U, n);
	ASSERT_EQ('a', buf[0]);
	ASSERT_EQ(2U, info_next(self->s, &count));
	ASSERT_EQ(2U, count);
	ASSERT_TRUE(ReadFile(self->s, buf, 16, &n, NULL));
	ASSERT_EQ(2U, n);
	ASSERT_EQ(0, memcmp(buf, "bc", 2));
	ASSERT_EQ(0U, info_next(self->s, &count));			/* c43: zero-length */
	ASSERT_EQ(1U, count);
	n = 77;
	ASSERT_TRUE(ReadFile(self->s, buf, 16, &n, NULL));		/* c44 */
	ASSERT_EQ(0U, n);
	ASSERT_EQ(MAILSLOT_NO_MESSAGE, info_next(self->s, &count));
	ASSERT_EQ(0U, count);
	ASSERT_FALSE(ReadFile(self->s, buf, 16, &n, NULL));
	ASSERT_EQ(ERROR_SEM_TIMEOUT, GetLastError());
	ASSERT_TRUE(CloseHandle(c2));
	ASSERT_TRUE(CloseHandle(c1));
}

TEST_F(ms, c47_50_small_buffer_keeps_message)
{
	DWORD n, max = 9, next = 9, count = 9, timeout = 9;
	char buf[16] = "xy";
	HANDLE c;

	self->s = CreateMailslotA(self->name, 0, 0, NULL);
	c = OPEN(self->name);
	ASSERT_TRUE(VALID(self->s) && VALID(c));
	ASSERT_TRUE(WriteFile(c, buf, 2, &n, NULL));
	ASSERT_EQ(2U, n);
	n = 0xDEADBEEF;
	ASSERT_FALSE(ReadFile(self->s, buf, 1, &n, NULL));
	ASSERT_EQ(ERROR_INSUFFICIENT_BUFFER, GetLastError());
	ASSERT_EQ(0U, n);
	ASSERT_FALSE(ReadFile(self->s, NULL, 0, &n, NULL));	/* 0-byte read, 2-byte msg */
	ASSERT_EQ(ERROR_INSUFFICIENT_BUFFER, GetLastError());
	ASSERT_TRUE(GetMailslotInfo(self->s, &max, &next, &count, &timeout));
	ASSERT_EQ(0U, max);
	ASSERT_EQ(2U, next);
	ASSERT_EQ(1U, count);
	ASSERT_EQ(0U, timeout);
	/* c50: the client handle reports the same (Windows 8+) */
	max = next = count = timeout = 9;
	ASSERT_TRUE(GetMailslotInfo(c, &max, &next, &count, &timeout));
	ASSERT_EQ(0U, max);
	ASSERT_EQ(2U, next);
	ASSERT_EQ(1U, count);
	ASSERT_EQ(0U, timeout);
	/* c51: closing with a message queued is fine */
	ASSERT_TRUE(CloseHandle(c));
	ASSERT_TRUE(CloseHandle(self->s));
	self->s = INVALID_HANDLE_VALUE;
}

TEST_F(ms, c52_54_finite_timeout)
{
	DWORD n, t0;
	char buf[16];

	self->s = CreateMailslotA(self->name, 0, 1000, NULL);
	ASSERT_TRUE(VALID(self->s));
	t0 = GetTickCount();
	ASSERT_FALSE(ReadFile(self->s, buf, 16, &n, NULL));
	ASSERT_EQ(ERROR_SEM_TIMEOUT, GetLastError());
	ASSERT_GE(GetTickCount() - t0, 900U);
}

TEST_F(ms, c55_61_pending_read_completed_by_write)
{
	OVERLAPPED ov;
	DWORD n = 0xDEADBEEF;
	char buf[16];
	HANDLE c;

	self->s = CreateMailslotA(self->name, 0, MAILSLOT_WAIT_FOREVER, NULL);
	ASSERT_TRUE(VALID(self->s));
	memset(&ov, 0xcc, sizeof(ov));	/* Internal* are garbage, as in the sample */
	ov.Offset = ov.OffsetHigh = 0;
	ov.hEvent = CreateEventA(NULL, TRUE, TRUE, NULL);	/* set: ReadFile must reset it */
	ASSERT_FALSE(ReadFile(self->s, buf, 16, &n, &ov));
	ASSERT_EQ(ERROR_IO_PENDING, GetLastError());
	ASSERT_EQ(WAIT_TIMEOUT, WaitForSingleObject(ov.hEvent, 0));
	ASSERT_EQ(WAIT_TIMEOUT, WaitForSingleObject(self->s, 0));	/* c58 */
	ASSERT_FALSE(HasOverlappedIoCompleted(&ov));
	ASSERT_FALSE(GetOverlappedResult(self->s, &ov, &n, FALSE));
	ASSERT_EQ(ERROR_IO_INCOMPLETE, GetLastError());
	c = OPEN(self->name);
	ASSERT_TRUE(VALID(c));
	ASSERT_TRUE(WriteFile(c, "data", 4, &n, NULL));
	ASSERT_EQ(WAIT_OBJECT_0, WaitForSingleObject(ov.hEvent, 1000));
	ASSERT_EQ(WAIT_OBJECT_0, WaitForSingleObject(self->s, 1000));	/* c61 */
	ASSERT_TRUE(GetOverlappedResult(self->s, &ov, &n, TRUE));
	ASSERT_EQ(4U, n);
	ASSERT_EQ(0, memcmp(buf, "data", 4));
	ASSERT_EQ(0U, ov.Internal);
	ASSERT_EQ(4U, ov.InternalHigh);
	CloseHandle(c);
	CloseHandle(ov.hEvent);
}

/* ---- more names ---- */

TEST_F(ms, names_case_insensitive_and_levels)
{
	char upper[200], *p;
	HANDLE c;

	snprintf(upper, sizeof(upper), "%s\\Level\\Leaf", self->name);
	self->s = CreateMailslotA(upper, 0, 0, NULL);
	ASSERT_TRUE(VALID(self->s));
	for (p = upper; *p; p++)
		if (*p >= 'a' && *p <= 'z')
			*p -= 'a' - 'A';
	c = OPEN(upper);	/* "\\.\MAILSLOT\LIBMAILSLOT_TEST\...\LEVEL\LEAF" */
	ASSERT_TRUE(VALID(c));
	CloseHandle(c);
	ASSERT_TRUE(CreateMailslotA(upper, 0, 0, NULL) == INVALID_HANDLE_VALUE);
	ASSERT_EQ(ERROR_ALREADY_EXISTS, GetLastError());
}

TEST_F(ms, names_too_long)
{
	char name[400];
	size_t len;

	snprintf(name, sizeof(name), "%s\\", self->name);
	len = strlen(name);
	memset(name + len, 'z', 259 - len);
	name[259] = '\0';
	self->s = CreateMailslotA(name, 0, 0, NULL);	/* 259 characters: fine */
	ASSERT_TRUE(VALID(self->s));
	name[259] = 'z';
	name[260] = '\0';
	ASSERT_TRUE(CreateMailslotA(name, 0, 0, NULL) == INVALID_HANDLE_VALUE);
	ASSERT_EQ(ERROR_FILENAME_EXCED_RANGE, GetLastError());
	ASSERT_TRUE(OPEN(name) == INVALID_HANDLE_VALUE);
	ASSERT_EQ(ERROR_FILENAME_EXCED_RANGE, GetLastError());
}

TEST_F(ms, names_remote_and_foreign_forms_on_createfile)
{
	ASSERT_TRUE(OPEN("\\\\*\\mailslot\\x") == INVALID_HANDLE_VALUE);
	ASSERT_EQ(ERROR_BAD_NETPATH, GetLastError());
	ASSERT_TRUE(OPEN("\\\\otherhost\\mailslot\\x") == INVALID_HANDLE_VALUE);
	ASSERT_EQ(ERROR_BAD_NETPATH, GetLastError());
	ASSERT_TRUE(OPEN("/tmp/file") == INVALID_HANDLE_VALUE);
	ASSERT_EQ(ERROR_NOT_SUPPORTED, GetLastError());
	ASSERT_TRUE(OPEN(NULL) == INVALID_HANDLE_VALUE);
	ASSERT_EQ(ERROR_PATH_NOT_FOUND, GetLastError());
}

TEST_F(ms, names_wide_non_ascii)
{
	/* "\\.\mailslot\lms-ÄéЖ€😀-<pid>" built as UTF-16 and as UTF-8 */
	static const WCHAR prefix[] = u"\\\\.\\mailslot\\lms-\u00c4\u00e9\u0416\u20ac\U0001F600-";
	char utf8[160], pid[16];
	WCHAR wide[160];
	HANDLE c, s2;
	DWORD n, i, len = sizeof(prefix) / sizeof(WCHAR) - 1;
	char buf[8];

	snprintf(pid, sizeof(pid), "%d", (int)getpid());
	memcpy(wide, prefix, sizeof(prefix));
	for (i = 0; pid[i]; i++)
		wide[len + i] = (WCHAR)pid[i];
	wide[len + i] = 0;
	snprintf(utf8, sizeof(utf8), "\\\\.\\mailslot\\lms-\xc3\x84\xc3\xa9\xd0\x96\xe2\x82\xac"
		 "\xf0\x9f\x98\x80-%s", pid);
	self->s = CreateMailslotW(wide, 0, 0, NULL);
	ASSERT_TRUE(VALID(self->s));
	c = OPEN(utf8);		/* the A name (UTF-8) reaches the same slot */
	ASSERT_TRUE(VALID(c));
	ASSERT_TRUE(WriteFile(c, "w", 1, &n, NULL));
	CloseHandle(c);
	c = CreateFileW(wide, GENERIC_WRITE, FILE_SHARE_READ, NULL, OPEN_EXISTING, 0, NULL);
	ASSERT_TRUE(VALID(c));
	CloseHandle(c);
	ASSERT_TRUE(ReadFile(self->s, buf, sizeof(buf), &n, NULL));
	ASSERT_EQ(1U, n);
	/* only ASCII folds: "ä" is a different name from "Ä" */
	wide[16] = 0x00e4;
	c = CreateFileW(wide, GENERIC_WRITE, FILE_SHARE_READ, NULL, OPEN_EXISTING, 0, NULL);
	ASSERT_TRUE(c == INVALID_HANDLE_VALUE);
	ASSERT_EQ(ERROR_FILE_NOT_FOUND, GetLastError());
	s2 = CreateMailslotW(wide, 0, 0, NULL);
	ASSERT_TRUE(VALID(s2));
	CloseHandle(s2);
	/* an unpaired surrogate is not a name */
	wide[16] = 0xD800;
	ASSERT_TRUE(CreateMailslotW(wide, 0, 0, NULL) == INVALID_HANDLE_VALUE);
	ASSERT_EQ(ERROR_INVALID_NAME, GetLastError());
}

/* ---- timeouts, SetMailslotInfo, limits, lifetime ---- */

TEST_F(ms, set_mailslot_info_changes_timeout)
{
	DWORD timeout = 0, n, t0;
	HANDLE c, dup;
	char buf[4];

	self->s = CreateMailslotA(self->name, 0, MAILSLOT_WAIT_FOREVER, NULL);
	ASSERT_TRUE(VALID(self->s));
	ASSERT_TRUE(SetMailslotInfo(self->s, 200));
	ASSERT_TRUE(GetMailslotInfo(self->s, NULL, NULL, NULL, &timeout));
	ASSERT_EQ(200U, timeout);
	/* the timeout belongs to the slot: a duplicate sees it too */
	ASSERT_TRUE(DuplicateHandle(GetCurrentProcess(), self->s, GetCurrentProcess(), &dup,
				    0, FALSE, DUPLICATE_SAME_ACCESS));
	t0 = GetTickCount();
	ASSERT_FALSE(ReadFile(dup, buf, sizeof(buf), &n, NULL));
	ASSERT_EQ(ERROR_SEM_TIMEOUT, GetLastError());
	ASSERT_GE(GetTickCount() - t0, 180U);
	ASSERT_LT(GetTickCount() - t0, 2000U);
	CloseHandle(dup);
	c = OPEN(self->name);
	ASSERT_TRUE(VALID(c));
	ASSERT_FALSE(SetMailslotInfo(c, 0));	/* [UNVERIFIED] choice */
	ASSERT_EQ(ERROR_ACCESS_DENIED, GetLastError());
	CloseHandle(c);
}

static void *late_writer(void *arg)
{
	DWORD n;

	Sleep(100);
	WriteFile((HANDLE)arg, "late", 4, &n, NULL);
	return NULL;
}

TEST_F(ms, blocking_read_woken_by_write)
{
	pthread_t t;
	DWORD n;
	char buf[8];
	HANDLE c;

	self->s = CreateMailslotA(self->name, 0, MAILSLOT_WAIT_FOREVER, NULL);
	c = OPEN(self->name);
	ASSERT_TRUE(VALID(self->s) && VALID(c));
	pthread_create(&t, NULL, late_writer, c);
	ASSERT_TRUE(ReadFile(self->s, buf, sizeof(buf), &n, NULL));
	ASSERT_EQ(4U, n);
	pthread_join(t, NULL);
	CloseHandle(c);
}

static void on_alarm(int sig)
{
	(void)sig;
}

TEST_F(ms, blocking_read_survives_signals_keeps_deadline)
{
	struct sigaction sa;
	DWORD n, t0;
	char buf[8];

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_alarm;	/* no SA_RESTART */
	sigaction(SIGALRM, &sa, NULL);
	self->s = CreateMailslotA(self->name, 0, 600, NULL);
	ASSERT_TRUE(VALID(self->s));
	ualarm(100000, 100000);
	t0 = GetTickCount();
	ASSERT_FALSE(ReadFile(self->s, buf, sizeof(buf), &n, NULL));
	ualarm(0, 0);
	ASSERT_EQ(ERROR_SEM_TIMEOUT, GetLastError());
	ASSERT_GE(GetTickCount() - t0, 550U);
	ASSERT_LT(GetTickCount() - t0, 1500U);	/* signals did not restart the wait */
}

TEST_F(ms, write_larger_than_max_message_size)
{
	char buf[64] = { 0 };
	DWORD n = 0xDEADBEEF;
	HANDLE c;

	self->s = CreateMailslotA(self->name, 16, 0, NULL);
	c = OPEN(self->name);
	ASSERT_TRUE(VALID(self->s) && VALID(c));
	ASSERT_TRUE(WriteFile(c, buf, 16, &n, NULL));
	ASSERT_EQ(16U, n);
	ASSERT_FALSE(WriteFile(c, buf, 17, &n, NULL));
	ASSERT_EQ(ERROR_INVALID_PARAMETER, GetLastError());	/* [UNVERIFIED] choice */
	ASSERT_EQ(0U, n);
	ASSERT_EQ(16U, info_next(self->s, NULL));
	CloseHandle(c);
}

TEST_F(ms, server_close_destroys_slot)
{
	DWORD n;
	HANDLE c, dup;

	self->s = CreateMailslotA(self->name, 0, 0, NULL);
	c = OPEN(self->name);
	ASSERT_TRUE(VALID(self->s) && VALID(c));
	ASSERT_TRUE(WriteFile(c, "q", 1, &n, NULL));
	/* a duplicate of the server handle keeps the slot alive */
	ASSERT_TRUE(DuplicateHandle(GetCurrentProcess(), self->s, GetCurrentProcess(), &dup,
				    0, FALSE, DUPLICATE_SAME_ACCESS | DUPLICATE_CLOSE_SOURCE));
	self->s = INVALID_HANDLE_VALUE;
	ASSERT_TRUE(WriteFile(c, "r", 1, &n, NULL));
	ASSERT_EQ(1U, info_next(dup, &n));
	ASSERT_EQ(2U, n);
	ASSERT_TRUE(CloseHandle(dup));
	/* gone: writers fail, the name is free at once */
	ASSERT_FALSE(WriteFile(c, "s", 1, &n, NULL));
	ASSERT_EQ(ERROR_BROKEN_PIPE, GetLastError());	/* [UNVERIFIED] choice */
	ASSERT_FALSE(GetMailslotInfo(c, NULL, NULL, NULL, NULL));
	ASSERT_EQ(ERROR_BROKEN_PIPE, GetLastError());
	ASSERT_TRUE(OPEN(self->name) == INVALID_HANDLE_VALUE);
	ASSERT_EQ(ERROR_FILE_NOT_FOUND, GetLastError());
	self->s = CreateMailslotA(self->name, 0, 0, NULL);
	ASSERT_TRUE(VALID(self->s));
	ASSERT_EQ(MAILSLOT_NO_MESSAGE, info_next(self->s, NULL));	/* old queue dropped */
	CloseHandle(c);
}

TEST_F(ms, handles_closed_twice_and_wrong_kinds)
{
	HANDLE c, e;
	DWORD n;

	self->s = CreateMailslotA(self->name, 0, 0, NULL);
	c = OPEN(self->name);
	e = CreateEventA(NULL, FALSE, FALSE, NULL);
	ASSERT_TRUE(VALID(self->s) && VALID(c) && e);
	ASSERT_FALSE(WriteFile(e, "x", 1, &n, NULL));
	ASSERT_EQ(ERROR_INVALID_HANDLE, GetLastError());
	ASSERT_FALSE(SetEvent(c));
	ASSERT_EQ(ERROR_INVALID_HANDLE, GetLastError());
	ASSERT_EQ(WAIT_FAILED, WaitForMultipleObjects(1, &self->s, FALSE, 0));
	ASSERT_TRUE(CloseHandle(c));
	ASSERT_FALSE(CloseHandle(c));
	ASSERT_EQ(ERROR_INVALID_HANDLE, GetLastError());
	ASSERT_FALSE(WriteFile(c, "x", 1, &n, NULL));
	ASSERT_EQ(ERROR_INVALID_HANDLE, GetLastError());
	CloseHandle(e);
}

/*
 * ReadFile/WriteFile/Get/SetMailslotInfo go straight to a syscall and probe
 * the fd's kind only when it fails: a handle of the wrong kind must still
 * fail with the same error and must never read or write the other object,
 * also when its fd was closed behind the library's back and reused.
 */
TEST_F(ms, fast_paths_reject_wrong_kinds_untouched)
{
	OVERLAPPED ov;
	uint64_t v;
	char buf[64];
	int p[2], efd, cfd;
	HANDLE c, e, hr, hw;
	DWORD n, t;

	self->s = CreateMailslotA(self->name, 0, 0, NULL);
	c = OPEN(self->name);
	e = CreateEventA(NULL, TRUE, TRUE, NULL);	/* manual, signalled */
	ASSERT_TRUE(VALID(self->s) && VALID(c) && e);

	/* ReadFile on a client: ERROR_INVALID_PARAMETER, sync and overlapped;
	 * the overlapped one leaves its event and Internal alone. */
	ASSERT_FALSE(ReadFile(c, buf, sizeof(buf), &n, NULL));
	ASSERT_EQ(ERROR_INVALID_PARAMETER, GetLastError());
	memset(&ov, 0, sizeof(ov));
	ov.Internal = 0x1234;
	ov.hEvent = e;
	ASSERT_FALSE(ReadFile(c, buf, sizeof(buf), &n, &ov));
	ASSERT_EQ(ERROR_INVALID_PARAMETER, GetLastError());
	ASSERT_EQ(0x1234U, (DWORD)ov.Internal);
	ASSERT_EQ(WAIT_OBJECT_0, WaitForSingleObject(e, 0));
	/* WriteFile on the server, overlapped: ERROR_ACCESS_DENIED, event alone */
	ASSERT_FALSE(WriteFile(self->s, "x", 1, &n, &ov));
	ASSERT_EQ(ERROR_ACCESS_DENIED, GetLastError());
	ASSERT_EQ(0x1234U, (DWORD)ov.Internal);
	ASSERT_EQ(WAIT_OBJECT_0, WaitForSingleObject(e, 0));
	/* Set/GetMailslotInfo */
	ASSERT_FALSE(SetMailslotInfo(c, 5));
	ASSERT_EQ(ERROR_ACCESS_DENIED, GetLastError());
	ASSERT_FALSE(SetMailslotInfo(e, 5));
	ASSERT_EQ(ERROR_INVALID_HANDLE, GetLastError());
	ASSERT_FALSE(GetMailslotInfo(e, NULL, NULL, NULL, NULL));
	ASSERT_EQ(ERROR_INVALID_HANDLE, GetLastError());
	ASSERT_TRUE(GetMailslotInfo(c, NULL, NULL, NULL, &t));
	ASSERT_EQ(0U, t);

	/* An eventfd with a count: ReadFile must not consume it (8 bytes fit). */
	efd = mailslot_handle_fd(e);
	ASSERT_FALSE(ReadFile(e, buf, sizeof(buf), &n, NULL));
	ASSERT_EQ(ERROR_INVALID_HANDLE, GetLastError());
	ASSERT_FALSE(WriteFile(e, "12345678", 8, &n, NULL));
	ASSERT_EQ(ERROR_INVALID_HANDLE, GetLastError());
	ASSERT_EQ((ssize_t)sizeof(v), read(efd, &v, sizeof(v)));
	ASSERT_EQ(1U, v);

	/* A pipe: neither end is usable, its data stays where it is. */
	ASSERT_EQ(0, pipe(p));
	hr = mailslot_fd_handle(p[0]);
	hw = mailslot_fd_handle(p[1]);
	ASSERT_EQ(1, write(p[1], "d", 1));
	ASSERT_FALSE(ReadFile(hr, buf, sizeof(buf), &n, NULL));
	ASSERT_EQ(ERROR_INVALID_HANDLE, GetLastError());
	ASSERT_FALSE(WriteFile(hw, "w", 1, &n, NULL));
	ASSERT_EQ(ERROR_INVALID_HANDLE, GetLastError());
	ASSERT_EQ(1, read(p[0], buf, sizeof(buf)));
	ASSERT_EQ('d', buf[0]);

	/* The client's fd closed behind the library's back, its number taken
	 * by a pipe's write end: WriteFile(c) must not write into the pipe. */
	ASSERT_TRUE(WriteFile(c, "m", 1, &n, NULL));
	cfd = mailslot_handle_fd(c);
	ASSERT_EQ(0, close(cfd));
	ASSERT_EQ(cfd, dup2(p[1], cfd));
	ASSERT_FALSE(WriteFile(c, "zz", 2, &n, NULL));
	ASSERT_EQ(ERROR_INVALID_HANDLE, GetLastError());
	ASSERT_EQ(0U, n);
	ASSERT_EQ(1, fcntl(p[0], F_SETFL, O_NONBLOCK) >= 0);
	ASSERT_EQ(-1, read(p[0], buf, sizeof(buf)));
	/* ... and then by an eventfd */
	ASSERT_EQ(0, close(cfd));
	ASSERT_EQ(cfd, dup2(efd, cfd));
	ASSERT_FALSE(WriteFile(c, "12345678", 8, &n, NULL));
	ASSERT_EQ(ERROR_INVALID_HANDLE, GetLastError());
	ASSERT_EQ(-1, read(efd, &v, sizeof(v)));	/* still 0: EAGAIN */
	ASSERT_EQ(0, close(cfd));
	ASSERT_FALSE(WriteFile(c, "x", 1, &n, NULL));
	ASSERT_EQ(ERROR_INVALID_HANDLE, GetLastError());
	ASSERT_FALSE(SetMailslotInfo(c, 5));
	ASSERT_EQ(ERROR_INVALID_HANDLE, GetLastError());
	ASSERT_FALSE(ReadFile(c, buf, sizeof(buf), &n, NULL));
	ASSERT_EQ(ERROR_INVALID_HANDLE, GetLastError());

	/* the one message written before is still there, and only it */
	ASSERT_TRUE(ReadFile(self->s, buf, sizeof(buf), &n, NULL));
	ASSERT_EQ(1U, n);
	ASSERT_EQ('m', buf[0]);
	close(p[0]);
	close(p[1]);
	CloseHandle(e);
}

TEST_F(ms, native_fd_polls)
{
	struct pollfd p;
	DWORD n;
	HANDLE c;

	self->s = CreateMailslotA(self->name, 0, 0, NULL);
	c = OPEN(self->name);
	ASSERT_TRUE(VALID(self->s) && VALID(c));
	p.fd = mailslot_handle_fd(self->s);
	p.events = POLLIN;
	ASSERT_EQ(0, poll(&p, 1, 0));
	ASSERT_TRUE(WriteFile(c, "p", 1, &n, NULL));
	ASSERT_EQ(1, poll(&p, 1, 1000));
	ASSERT_TRUE(p.revents & POLLIN);
	ASSERT_TRUE(mailslot_fd_handle(p.fd) == self->s);
	p.fd = mailslot_handle_fd(c);
	p.events = POLLOUT;
	ASSERT_EQ(1, poll(&p, 1, 0));
	CloseHandle(c);
}

TEST_F(ms, native_create_with_mode)
{
	self->s = mailslot_create(self->name, 0, 0, 0, MAILSLOT_ACCESS_OTHER);
	ASSERT_TRUE(VALID(self->s));
	ASSERT_TRUE(mailslot_create(self->name, 0, 0, 0, 0) == INVALID_HANDLE_VALUE);
	ASSERT_EQ(ERROR_ALREADY_EXISTS, GetLastError());
}

/* Another uid may open only if the mode admits it (needs root to switch). */
static int open_as_nobody(const char *name)
{
	pid_t pid = fork();
	int status;

	if (pid == 0) {
		HANDLE c;

		if (setgid(65534) || setuid(65534))
			_exit(100);
		c = OPEN(name);
		_exit(VALID(c) ? 0 : (int)(GetLastError() & 0x7f));
	}
	waitpid(pid, &status, 0);
	return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

TEST_F(ms, errmap_eacces_mode)
{
	HANDLE open_slot;
	char other[200];

	if (geteuid() != 0)
		SKIP(return, "needs root to switch uid");
	self->s = CreateMailslotA(self->name, 0, 0, NULL);	/* default: owner only */
	ASSERT_TRUE(VALID(self->s));
	ASSERT_EQ(ERROR_ACCESS_DENIED, open_as_nobody(self->name));
	snprintf(other, sizeof(other), "%s-other", self->name);
	open_slot = mailslot_create(other, 0, 0, 0, MAILSLOT_ACCESS_OTHER);
	ASSERT_TRUE(VALID(open_slot));
	ASSERT_EQ(0, open_as_nobody(other));
	CloseHandle(open_slot);
}

static int write_param(const char *param, const char *value, char *old, size_t oldsz)
{
	char path[128];
	FILE *f;

	snprintf(path, sizeof(path), "/sys/module/mailslot/parameters/%s", param);
	if (old) {
		f = fopen(path, "r");
		if (!f || !fgets(old, (int)oldsz, f)) {
			if (f)
				fclose(f);
			return -1;
		}
		fclose(f);
	}
	f = fopen(path, "w");
	if (!f)
		return -1;
	if (fputs(value, f) < 0) {
		fclose(f);
		return -1;
	}
	return fclose(f);
}

TEST_F(ms, errmap_quota_enobufs)
{
	char old[32], buf[512] = { 0 };
	DWORD n, err = 0;
	HANDLE c;
	int i;

	if (write_param("slot_max_bytes", "4096", old, sizeof(old)))
		SKIP(return, "cannot set slot_max_bytes");
	self->s = CreateMailslotA(self->name, 0, 0, NULL);
	c = OPEN(self->name);
	for (i = 0; i < 100; i++)
		if (!WriteFile(c, buf, sizeof(buf), &n, NULL)) {
			err = GetLastError();
			break;
		}
	write_param("slot_max_bytes", old, NULL, 0);
	ASSERT_TRUE(VALID(self->s) && VALID(c));
	ASSERT_LT(i, 100);
	ASSERT_EQ(ERROR_NOT_ENOUGH_QUOTA, err);
	ASSERT_EQ(0U, n);
	CloseHandle(c);
}

TEST_F(ms, errmap_slot_limit_enospc)
{
	char old[32];
	HANDLE h;
	DWORD err;

	if (write_param("max_slots", "0", old, sizeof(old)))
		SKIP(return, "cannot set max_slots");
	h = CreateMailslotA(self->name, 0, 0, NULL);
	err = GetLastError();
	write_param("max_slots", old, NULL, 0);
	ASSERT_TRUE(h == INVALID_HANDLE_VALUE);
	ASSERT_EQ(ERROR_NO_SYSTEM_RESOURCES, err);
}

/* ---- overlapped reads ---- */

static HANDLE new_event(void)
{
	return CreateEventA(NULL, FALSE, FALSE, NULL);
}

TEST_F(ms, ov_completes_at_once_when_message_queued)
{
	OVERLAPPED ov;
	DWORD n = 0, got = 0;
	char buf[32];
	HANDLE c;

	self->s = CreateMailslotA(self->name, 0, MAILSLOT_WAIT_FOREVER, NULL);
	c = OPEN(self->name);
	ASSERT_TRUE(VALID(self->s) && VALID(c));
	ASSERT_TRUE(WriteFile(c, "hello", 6, &n, NULL));
	memset(&ov, 0xcc, sizeof(ov));
	ov.Offset = 0;
	ov.OffsetHigh = 0;
	ov.hEvent = new_event();
	ASSERT_TRUE(ReadFile(self->s, buf, sizeof(buf), &got, &ov));
	ASSERT_EQ(6U, got);
	ASSERT_STREQ("hello", buf);
	ASSERT_EQ(WAIT_OBJECT_0, WaitForSingleObject(ov.hEvent, 0));
	ASSERT_TRUE(GetOverlappedResult(self->s, &ov, &n, FALSE));
	ASSERT_EQ(6U, n);
	CloseHandle(ov.hEvent);
	CloseHandle(c);
}

TEST_F(ms, ov_timeout0_fails_at_once)
{
	OVERLAPPED ov;
	DWORD n = 5;
	char buf[8];

	self->s = CreateMailslotA(self->name, 0, 0, NULL);
	ASSERT_TRUE(VALID(self->s));
	memset(&ov, 0xcc, sizeof(ov));
	ov.hEvent = new_event();
	ASSERT_FALSE(ReadFile(self->s, buf, sizeof(buf), &n, &ov));
	ASSERT_EQ(ERROR_SEM_TIMEOUT, GetLastError());
	ASSERT_EQ(0U, n);
	ASSERT_EQ(WAIT_TIMEOUT, WaitForSingleObject(ov.hEvent, 0));
	CloseHandle(ov.hEvent);
}

TEST_F(ms, ov_finite_timeout_expires)
{
	OVERLAPPED ov;
	DWORD n, t0;
	char buf[8];

	self->s = CreateMailslotA(self->name, 0, 300, NULL);
	ASSERT_TRUE(VALID(self->s));
	memset(&ov, 0xcc, sizeof(ov));
	ov.hEvent = new_event();
	t0 = GetTickCount();
	ASSERT_FALSE(ReadFile(self->s, buf, sizeof(buf), &n, &ov));
	ASSERT_EQ(ERROR_IO_PENDING, GetLastError());
	ASSERT_EQ(WAIT_OBJECT_0, WaitForSingleObject(ov.hEvent, 5000));
	ASSERT_GE(GetTickCount() - t0, 280U);
	ASSERT_FALSE(GetOverlappedResult(self->s, &ov, &n, TRUE));
	ASSERT_EQ(ERROR_SEM_TIMEOUT, GetLastError());
	ASSERT_EQ(0U, n);
	CloseHandle(ov.hEvent);
}

TEST_F(ms, ov_pending_then_message_too_big)
{
	OVERLAPPED ov;
	DWORD n;
	char buf[4];
	HANDLE c;

	self->s = CreateMailslotA(self->name, 0, MAILSLOT_WAIT_FOREVER, NULL);
	c = OPEN(self->name);
	ASSERT_TRUE(VALID(self->s) && VALID(c));
	memset(&ov, 0, sizeof(ov));
	ov.hEvent = new_event();
	ASSERT_FALSE(ReadFile(self->s, buf, sizeof(buf), &n, &ov));
	ASSERT_EQ(ERROR_IO_PENDING, GetLastError());
	ASSERT_TRUE(WriteFile(c, "too long", 8, &n, NULL));
	ASSERT_FALSE(GetOverlappedResult(self->s, &ov, &n, TRUE));
	ASSERT_EQ(ERROR_INSUFFICIENT_BUFFER, GetLastError());
	ASSERT_EQ(8U, info_next(self->s, NULL));	/* kept */
	CloseHandle(ov.hEvent);
	CloseHandle(c);
}

TEST_F(ms, ov_cancelio_aborts)
{
	OVERLAPPED ov;
	DWORD n;
	char buf[8];

	self->s = CreateMailslotA(self->name, 0, MAILSLOT_WAIT_FOREVER, NULL);
	ASSERT_TRUE(VALID(self->s));
	memset(&ov, 0, sizeof(ov));
	ov.hEvent = new_event();
	ASSERT_FALSE(ReadFile(self->s, buf, sizeof(buf), &n, &ov));
	ASSERT_EQ(ERROR_IO_PENDING, GetLastError());
	ASSERT_TRUE(CancelIo(self->s));
	ASSERT_EQ(WAIT_OBJECT_0, WaitForSingleObject(ov.hEvent, 1000));
	ASSERT_FALSE(GetOverlappedResult(self->s, &ov, &n, TRUE));
	ASSERT_EQ(ERROR_OPERATION_ABORTED, GetLastError());
	ASSERT_EQ(0U, n);
	ASSERT_FALSE(CancelIoEx(self->s, &ov));	/* nothing left */
	ASSERT_EQ(ERROR_NOT_FOUND, GetLastError());
	CloseHandle(ov.hEvent);
}

struct pend {
	HANDLE s;
	OVERLAPPED ov;
	char buf[8];
	BOOL cancelled_by_own_thread;
};

static void *pend_thread(void *arg)
{
	struct pend *p = arg;
	DWORD n;

	ReadFile(p->s, p->buf, sizeof(p->buf), &n, &p->ov);
	return NULL;
}

TEST_F(ms, ov_cancelio_is_per_thread_cancelioex_is_not)
{
	struct pend p;
	pthread_t t;
	DWORD n;

	self->s = CreateMailslotA(self->name, 0, MAILSLOT_WAIT_FOREVER, NULL);
	ASSERT_TRUE(VALID(self->s));
	memset(&p, 0, sizeof(p));
	p.s = self->s;
	p.ov.hEvent = new_event();
	pthread_create(&t, NULL, pend_thread, &p);
	pthread_join(t, NULL);
	ASSERT_FALSE(GetOverlappedResult(self->s, &p.ov, &n, FALSE));
	ASSERT_EQ(ERROR_IO_INCOMPLETE, GetLastError());
	ASSERT_TRUE(CancelIo(self->s));	/* not this thread's read */
	ASSERT_FALSE(GetOverlappedResult(self->s, &p.ov, &n, FALSE));
	ASSERT_EQ(ERROR_IO_INCOMPLETE, GetLastError());
	ASSERT_TRUE(CancelIoEx(self->s, &p.ov));
	ASSERT_FALSE(GetOverlappedResult(self->s, &p.ov, &n, FALSE));
	ASSERT_EQ(ERROR_OPERATION_ABORTED, GetLastError());
	CloseHandle(p.ov.hEvent);
}

TEST_F(ms, ov_closehandle_aborts_pending)
{
	OVERLAPPED ov;
	DWORD n;
	char buf[8];
	HANDLE h;

	h = CreateMailslotA(self->name, 0, MAILSLOT_WAIT_FOREVER, NULL);
	ASSERT_TRUE(VALID(h));
	memset(&ov, 0, sizeof(ov));
	ov.hEvent = new_event();
	ASSERT_FALSE(ReadFile(h, buf, sizeof(buf), &n, &ov));
	ASSERT_EQ(ERROR_IO_PENDING, GetLastError());
	ASSERT_TRUE(CloseHandle(h));
	ASSERT_FALSE(GetOverlappedResult(h, &ov, &n, TRUE));
	ASSERT_EQ(ERROR_OPERATION_ABORTED, GetLastError());	/* [UNVERIFIED] choice */
	ASSERT_TRUE(OPEN(self->name) == INVALID_HANDLE_VALUE);
	CloseHandle(ov.hEvent);
}

TEST_F(ms, ov_many_pending_served_fifo_and_no_thread_left)
{
	enum { N = 8 };
	OVERLAPPED ov[N];
	char buf[N][8];
	DWORD n, before, i;
	pthread_t t;
	HANDLE c;

	/* let sanitizer runtimes start their helper threads first */
	pthread_create(&t, NULL, noop_thread, NULL);
	pthread_join(t, NULL);
	self->s = CreateMailslotA(self->name, 0, MAILSLOT_WAIT_FOREVER, NULL);
	c = OPEN(self->name);
	ASSERT_TRUE(VALID(self->s) && VALID(c));
	before = thread_count();
	for (i = 0; i < N; i++) {
		memset(&ov[i], 0xcc, sizeof(ov[i]));
		ov[i].hEvent = CreateEventA(NULL, TRUE, FALSE, NULL);
		ASSERT_FALSE(ReadFile(self->s, buf[i], sizeof(buf[i]), &n, &ov[i]));
		ASSERT_EQ(ERROR_IO_PENDING, GetLastError());
	}
	for (i = 0; i < N; i++) {
		char m[2] = { (char)('A' + i), 0 };

		ASSERT_TRUE(WriteFile(c, m, 2, &n, NULL));
	}
	for (i = 0; i < N; i++) {
		ASSERT_EQ(WAIT_OBJECT_0, WaitForSingleObject(ov[i].hEvent, 2000));
		ASSERT_TRUE(GetOverlappedResult(self->s, &ov[i], &n, TRUE));
		ASSERT_EQ(2U, n);
		ASSERT_EQ((int)('A' + i), buf[i][0]);	/* oldest request, oldest message */
		CloseHandle(ov[i].hEvent);
	}
	/* one service thread at most, none per request */
	ASSERT_LE(thread_count(), before + 1);
	CloseHandle(c);
}

TEST_F(ms, ov_wait_multiple_events)
{
	OVERLAPPED ov[2];
	HANDLE ev[2], s2, c;
	char b0[8], b1[8], name2[200];
	DWORD n;

	snprintf(name2, sizeof(name2), "%s-2", self->name);
	self->s = CreateMailslotA(self->name, 0, MAILSLOT_WAIT_FOREVER, NULL);
	s2 = CreateMailslotA(name2, 0, MAILSLOT_WAIT_FOREVER, NULL);
	ASSERT_TRUE(VALID(self->s) && VALID(s2));
	memset(ov, 0, sizeof(ov));
	ov[0].hEvent = ev[0] = new_event();
	ov[1].hEvent = ev[1] = new_event();
	ASSERT_FALSE(ReadFile(self->s, b0, sizeof(b0), &n, &ov[0]));
	ASSERT_FALSE(ReadFile(s2, b1, sizeof(b1), &n, &ov[1]));
	ASSERT_EQ(WAIT_TIMEOUT, WaitForMultipleObjects(2, ev, FALSE, 50));
	c = OPEN(name2);
	ASSERT_TRUE(WriteFile(c, "2", 1, &n, NULL));
	ASSERT_EQ(WAIT_OBJECT_0 + 1, WaitForMultipleObjects(2, ev, FALSE, 2000));
	ASSERT_TRUE(GetOverlappedResult(s2, &ov[1], &n, FALSE));
	ASSERT_EQ(1U, n);
	ASSERT_TRUE(CancelIoEx(self->s, NULL));
	ASSERT_EQ(WAIT_OBJECT_0, WaitForMultipleObjects(2, ev, FALSE, 2000));
	CloseHandle(c);
	CloseHandle(s2);
	CloseHandle(ev[0]);
	CloseHandle(ev[1]);
}

TEST_F(ms, ov_event_low_bit_is_ignored)
{
	OVERLAPPED ov;
	HANDLE ev, c;
	DWORD n;
	char buf[8];

	self->s = CreateMailslotA(self->name, 0, MAILSLOT_WAIT_FOREVER, NULL);
	c = OPEN(self->name);
	ASSERT_TRUE(VALID(self->s) && VALID(c));
	ev = CreateEventA(NULL, TRUE, FALSE, NULL);
	memset(&ov, 0, sizeof(ov));
	ov.hEvent = (HANDLE)((uintptr_t)ev | 1);	/* "no completion port packet" */
	ASSERT_FALSE(ReadFile(self->s, buf, sizeof(buf), &n, &ov));
	ASSERT_EQ(ERROR_IO_PENDING, GetLastError());
	ASSERT_TRUE(WriteFile(c, "lb", 2, &n, NULL));
	ASSERT_EQ(WAIT_OBJECT_0, WaitForSingleObject(ev, 2000));
	ASSERT_TRUE(GetOverlappedResult(self->s, &ov, &n, TRUE));
	ASSERT_EQ(2U, n);
	CloseHandle(ev);
	CloseHandle(c);
}

/* ---- threads ---- */

enum { WRITERS = 8, READERS = 4, PER_WRITER = 200 };

struct conc {
	char *name;
	HANDLE s;
	int seen[WRITERS][PER_WRITER];
	pthread_mutex_t lock;
	int total;
	int errors;
};

struct warg {
	struct conc *cc;
	int id;
};

static void *writer_main(void *arg)
{
	struct warg *w = arg;
	HANDLE c = OPEN(w->cc->name);	/* each thread its own client */
	DWORD n;
	int i;

	for (i = 0; i < PER_WRITER; i++) {
		int msg[2] = { w->id, i };

		if (!VALID(c) || !WriteFile(c, msg, sizeof(msg), &n, NULL) || n != sizeof(msg))
			__atomic_fetch_add(&w->cc->errors, 1, __ATOMIC_RELAXED);
	}
	CloseHandle(c);
	return NULL;
}

static void *reader_main(void *arg)
{
	struct conc *cc = arg;
	OVERLAPPED ov;
	int msg[2], use_ov = 0;
	DWORD n;

	memset(&ov, 0, sizeof(ov));
	ov.hEvent = CreateEventA(NULL, FALSE, FALSE, NULL);
	for (;;) {
		BOOL ok;

		use_ov ^= 1;	/* mix synchronous and overlapped reads */
		if (use_ov) {
			ok = ReadFile(cc->s, msg, sizeof(msg), &n, &ov);
			if (!ok && GetLastError() == ERROR_IO_PENDING)
				ok = GetOverlappedResult(cc->s, &ov, &n, TRUE);
		} else {
			ok = ReadFile(cc->s, msg, sizeof(msg), &n, NULL);
		}
		if (!ok) {
			if (GetLastError() != ERROR_SEM_TIMEOUT)
				__atomic_fetch_add(&cc->errors, 1, __ATOMIC_RELAXED);
			break;	/* 300 ms without mail: done */
		}
		pthread_mutex_lock(&cc->lock);
		if (n != sizeof(msg) || msg[0] < 0 || msg[0] >= WRITERS ||
		    msg[1] < 0 || msg[1] >= PER_WRITER)
			cc->errors++;
		else
			cc->seen[msg[0]][msg[1]]++;
		cc->total++;
		pthread_mutex_unlock(&cc->lock);
	}
	CloseHandle(ov.hEvent);
	return NULL;
}

TEST_F_TIMEOUT(ms, threads_many_writers_many_readers, 120)
{
	static struct conc cc;
	struct warg w[WRITERS];
	pthread_t wt[WRITERS], rt[READERS];
	int i, j;

	self->s = CreateMailslotA(self->name, 0, 300, NULL);
	ASSERT_TRUE(VALID(self->s));
	memset(&cc, 0, sizeof(cc));
	pthread_mutex_init(&cc.lock, NULL);
	cc.name = self->name;
	cc.s = self->s;
	for (i = 0; i < READERS; i++)
		pthread_create(&rt[i], NULL, reader_main, &cc);
	for (i = 0; i < WRITERS; i++) {
		w[i].cc = &cc;
		w[i].id = i;
		pthread_create(&wt[i], NULL, writer_main, &w[i]);
	}
	for (i = 0; i < WRITERS; i++)
		pthread_join(wt[i], NULL);
	for (i = 0; i < READERS; i++)
		pthread_join(rt[i], NULL);
	ASSERT_EQ(0, cc.errors);
	ASSERT_EQ(WRITERS * PER_WRITER, cc.total);
	for (i = 0; i < WRITERS; i++)
		for (j = 0; j < PER_WRITER; j++)
			ASSERT_EQ(1, cc.seen[i][j]);	/* exactly once each */
}

enum { RACERS = 4, RACE_LOOPS = 300 };

struct race {
	HANDLE s;
	int got, aborted, errors;
};

/* Overlapped reads that are cancelled right away or completed by writers. */
static void *racer(void *arg)
{
	struct race *r = arg;
	OVERLAPPED ov;
	char buf[16];
	DWORD n;
	int i;

	memset(&ov, 0, sizeof(ov));
	ov.hEvent = CreateEventA(NULL, FALSE, FALSE, NULL);
	for (i = 0; i < RACE_LOOPS; i++) {
		BOOL ok = ReadFile(r->s, buf, sizeof(buf), &n, &ov);

		if (!ok && GetLastError() == ERROR_IO_PENDING) {
			if (i & 1)
				CancelIoEx(r->s, &ov);	/* may lose to a completion */
			ok = GetOverlappedResult(r->s, &ov, &n, TRUE);
		}
		if (ok && n == 4)
			__atomic_fetch_add(&r->got, 1, __ATOMIC_RELAXED);
		else if (!ok && GetLastError() == ERROR_OPERATION_ABORTED)
			__atomic_fetch_add(&r->aborted, 1, __ATOMIC_RELAXED);
		else
			__atomic_fetch_add(&r->errors, 1, __ATOMIC_RELAXED);
	}
	CloseHandle(ov.hEvent);
	return NULL;
}

TEST_F_TIMEOUT(ms, threads_overlapped_cancel_races, 120)
{
	static struct race r;
	pthread_t t[RACERS];
	DWORD n, left = 0, written = 0;
	HANDLE c;
	int i, done = 0;

	self->s = CreateMailslotA(self->name, 0, MAILSLOT_WAIT_FOREVER, NULL);
	c = OPEN(self->name);
	ASSERT_TRUE(VALID(self->s) && VALID(c));
	memset(&r, 0, sizeof(r));
	r.s = self->s;
	for (i = 0; i < RACERS; i++)
		pthread_create(&t[i], NULL, racer, &r);
	/* keep writing until every racer has finished its loops */
	while (!done) {
		if (WriteFile(c, "msg", 4, &n, NULL))
			written++;
		if (written % 64 == 0)
			Sleep(1);
		done = __atomic_load_n(&r.got, __ATOMIC_RELAXED) +
		       __atomic_load_n(&r.aborted, __ATOMIC_RELAXED) +
		       __atomic_load_n(&r.errors, __ATOMIC_RELAXED) == RACERS * RACE_LOOPS;
	}
	for (i = 0; i < RACERS; i++)
		pthread_join(t[i], NULL);
	ASSERT_EQ(0, r.errors);
	ASSERT_TRUE(GetMailslotInfo(self->s, NULL, NULL, &left, NULL));
	/* nothing lost or duplicated: every message read exactly once or still queued */
	ASSERT_EQ(written, (DWORD)r.got + left);
	CloseHandle(c);
}

/* ---- inheritance across fork/exec ---- */

static const char *helper_path(char *buf, size_t sz, const char *name)
{
	char self[PATH_MAX - 64];
	ssize_t n = readlink("/proc/self/exe", self, sizeof(self) - 1);
	char *slash;

	if (n < 0)
		return NULL;
	self[n] = '\0';
	slash = strrchr(self, '/');
	if (!slash)
		return NULL;
	*slash = '\0';
	snprintf(buf, sz, "%s/%s", self, name);
	return buf;
}

/* Runs argv; returns the exit status, stdout into out (if given). */
static __attribute__((noinline)) int run(char *const argv[], char *out, size_t outsz)
{
	int pfd[2], status;
	size_t len = 0;
	char scratch[64];
	pid_t pid;

	if (pipe(pfd))
		return -1;
	pid = fork();
	if (pid == 0) {
		dup2(pfd[1], 1);
		close(pfd[0]);
		execv(argv[0], argv);
		_exit(127);
	}
	close(pfd[1]);
	for (;;) {
		ssize_t n = read(pfd[0], out ? out + len : scratch,
				 out ? outsz - 1 - len : sizeof(scratch));

		if (n <= 0)
			break;
		if (out)
			len += (size_t)n;
		if (out && len >= outsz - 1)
			break;
	}
	if (out)
		out[len] = '\0';
	close(pfd[0]);
	waitpid(pid, &status, 0);
	return WIFEXITED(status) ? WEXITSTATUS(status) : 128;
}

/* Body kept out of the harness wrapper (its setjmp vs. our fork). */
static __attribute__((noinline)) void body_inherit_handles_across_exec(struct __test_metadata *_metadata,
		FIXTURE_DATA(ms) *self)
{
	SECURITY_ATTRIBUTES sa = { sizeof(sa), NULL, TRUE };
	char helper[PATH_MAX], hs[32], hc[32], hn[32], out[256];
	HANDLE c, noinherit;
	DWORD n;
	char buf[32];

	ASSERT_TRUE(helper_path(helper, sizeof(helper), "_libmailslot_child") != NULL);
	self->s = CreateMailslotA(self->name, 0, 0, &sa);
	c = CreateFileA(self->name, GENERIC_WRITE, FILE_SHARE_READ, &sa, OPEN_EXISTING, 0, NULL);
	noinherit = CreateFileA(self->name, GENERIC_WRITE, FILE_SHARE_READ, NULL,
				OPEN_EXISTING, 0, NULL);
	ASSERT_TRUE(VALID(self->s) && VALID(c) && VALID(noinherit));
	ASSERT_TRUE(WriteFile(c, "from parent", 12, &n, NULL));
	snprintf(hs, sizeof(hs), "%llu", (unsigned long long)(uintptr_t)self->s);
	snprintf(hc, sizeof(hc), "%llu", (unsigned long long)(uintptr_t)c);
	snprintf(hn, sizeof(hn), "%llu", (unsigned long long)(uintptr_t)noinherit);
	{
		char *argv[] = { helper, hs, hc, hn, NULL };

		ASSERT_EQ(0, run(argv, out, sizeof(out)));
	}
	/* the child read "from parent", wrote "from child" through its handle */
	ASSERT_STREQ("child read: from parent\n", out);
	ASSERT_TRUE(ReadFile(self->s, buf, sizeof(buf), &n, NULL));
	ASSERT_STREQ("from child", buf);
	CloseHandle(c);
	CloseHandle(noinherit);
}

TEST_F(ms, inherit_handles_across_exec)
{
	body_inherit_handles_across_exec(_metadata, self);
}

TEST_F(ms, inherit_false_is_close_on_exec_and_fork_shares)
{
	DWORD flags = 99, n;
	char buf[8];
	int status;
	pid_t pid;

	self->s = CreateMailslotA(self->name, 0, 0, NULL);
	ASSERT_TRUE(VALID(self->s));
	ASSERT_TRUE(GetHandleInformation(self->s, &flags));
	ASSERT_EQ(0U, flags);
	ASSERT_TRUE(fcntl(mailslot_handle_fd(self->s), F_GETFD) & FD_CLOEXEC);
	/* fork without exec keeps every handle; a child write reaches us */
	pid = fork();
	if (pid == 0) {
		HANDLE c = OPEN(self->name);

		_exit(VALID(c) && WriteFile(c, "kid", 4, &n, NULL) ? 0 : 1);
	}
	waitpid(pid, &status, 0);
	ASSERT_EQ(0, WEXITSTATUS(status));
	ASSERT_TRUE(ReadFile(self->s, buf, sizeof(buf), &n, NULL));
	ASSERT_STREQ("kid", buf);
}

/* ---- the samples, as separate processes ---- */

static __attribute__((noinline)) pid_t spawn_reader(const char *reader, const char *name,
						     int *rfd)
{
	int pfd[2];
	pid_t pid;

	if (pipe(pfd))
		return -1;
	pid = fork();
	if (pid == 0) {
		dup2(pfd[1], 1);
		close(pfd[0]);
		execl(reader, reader, name, "3", "50", (char *)NULL);
		_exit(127);
	}
	close(pfd[1]);
	*rfd = pfd[0];
	return pid;
}

/* Body kept out of the harness wrapper (its setjmp vs. our fork). */
static __attribute__((noinline)) void body_samples_writer_and_reader(struct __test_metadata *_metadata,
		FIXTURE_DATA(ms) *self)
{
	char reader[PATH_MAX], writer[PATH_MAX], out[4096], wout[512];
	const char *a, *b, *c;
	int pfd[2], status, tries;
	size_t len = 0;
	pid_t pid;
	HANDLE probe;

	ASSERT_TRUE(helper_path(reader, sizeof(reader), "_sample_read_slot") != NULL);
	ASSERT_TRUE(helper_path(writer, sizeof(writer), "_sample_write_slot") != NULL);
	pid = spawn_reader(reader, self->name, &pfd[0]);
	ASSERT_GT(pid, 0);
	for (tries = 0; tries < 200; tries++) {	/* wait for the reader's slot */
		probe = OPEN(self->name);
		if (VALID(probe))
			break;
		Sleep(20);
	}
	ASSERT_TRUE(VALID(probe));
	CloseHandle(probe);
	{
		char *argv[] = { writer, self->name, "200", NULL };

		ASSERT_EQ(0, run(argv, wout, sizeof(wout)));
	}
	ASSERT_STREQ("Posted 32 bytes.\nPosted 33 bytes.\nPosted 21 bytes.\n", wout);
	for (;;) {
		ssize_t n = read(pfd[0], out + len, sizeof(out) - 1 - len);

		if (n <= 0)
			break;
		len += (size_t)n;
	}
	out[len] = '\0';
	waitpid(pid, &status, 0);
	ASSERT_TRUE(WIFEXITED(status));
	ASSERT_EQ(0, WEXITSTATUS(status));
	TH_LOG("reader output:\n%s", out);
	ASSERT_TRUE(strstr(out, "Mailslot created successfully.\n") == out);
	a = strstr(out, "Contents of the mailslot: First note for the sample slot.\nMessage #1 of ");
	b = strstr(out, "Contents of the mailslot: Second note for the sample slot.\nMessage #");
	c = strstr(out, "Contents of the mailslot: Third and last note.\nMessage #");
	ASSERT_TRUE(a && b && c);
	ASSERT_TRUE(a < b && b < c);
}

TEST_F_TIMEOUT(ms, samples_writer_and_reader, 60)
{
	body_samples_writer_and_reader(_metadata, self);
}

/* ---- native batch extensions ---- */

TEST_F(ms, batch_write_then_read)
{
	static const uint32_t wl[4] = { 3, 0, 5, 600 };
	char in[608], out[1024];
	uint32_t lens[8];
	HANDLE c;

	memset(in, 'x', sizeof(in));
	memcpy(in, "abcdefgh", 8);
	self->s = CreateMailslotA(self->name, 0, 0, NULL);
	ASSERT_TRUE(VALID(self->s));
	c = OPEN(self->name);
	ASSERT_TRUE(VALID(c));
	ASSERT_EQ(4, mailslot_write_batch(c, in, wl, 4));
	ASSERT_EQ(3U, info_next(self->s, NULL));
	/* the first message alone does not fit: it stays queued */
	SetLastError(0);
	ASSERT_EQ(-1, mailslot_read_batch(self->s, out, 2, lens, 8));
	ASSERT_EQ((DWORD)ERROR_INSUFFICIENT_BUFFER, GetLastError());
	/* room for the first three only */
	ASSERT_EQ(3, mailslot_read_batch(self->s, out, 100, lens, 8));
	ASSERT_EQ(3U, lens[0]);
	ASSERT_EQ(0U, lens[1]);
	ASSERT_EQ(5U, lens[2]);
	ASSERT_EQ(0, memcmp(out, "abcdefgh", 8));
	ASSERT_EQ(1, mailslot_read_batch(self->s, out, sizeof(out), lens, 8));
	ASSERT_EQ(600U, lens[0]);
	/* empty, timeout 0 */
	SetLastError(0);
	ASSERT_EQ(-1, mailslot_read_batch(self->s, out, sizeof(out), lens, 8));
	ASSERT_EQ((DWORD)ERROR_SEM_TIMEOUT, GetLastError());
	CloseHandle(c);
}

TEST_F(ms, batch_errors)
{
	static const uint32_t wl[2] = { 1, 1 }, big[3] = { 1, 2, 1 };
	char out[8];
	uint32_t lens[2];
	HANDLE c;

	self->s = CreateMailslotA(self->name, 1, 0, NULL);
	ASSERT_TRUE(VALID(self->s));
	c = OPEN(self->name);
	ASSERT_TRUE(VALID(c));
	/* wrong kinds and bad handles */
	SetLastError(0);
	ASSERT_EQ(-1, mailslot_write_batch(self->s, "ab", wl, 2));
	ASSERT_EQ((DWORD)ERROR_ACCESS_DENIED, GetLastError());
	SetLastError(0);
	ASSERT_EQ(-1, mailslot_read_batch(c, out, sizeof(out), lens, 2));
	ASSERT_EQ((DWORD)ERROR_INVALID_PARAMETER, GetLastError());
	SetLastError(0);
	ASSERT_EQ(-1, mailslot_read_batch(INVALID_HANDLE_VALUE, out, sizeof(out), lens, 2));
	ASSERT_EQ((DWORD)ERROR_INVALID_HANDLE, GetLastError());
	/* counts out of range */
	SetLastError(0);
	ASSERT_EQ(-1, mailslot_write_batch(c, "ab", wl, 0));
	ASSERT_EQ((DWORD)ERROR_INVALID_PARAMETER, GetLastError());
	SetLastError(0);
	ASSERT_EQ(-1, mailslot_write_batch(c, "ab", wl, MAILSLOT_BATCH_MAX + 1));
	ASSERT_EQ((DWORD)ERROR_INVALID_PARAMETER, GetLastError());
	SetLastError(0);
	ASSERT_EQ(-1, mailslot_read_batch(self->s, out, sizeof(out), lens, 0));
	ASSERT_EQ((DWORD)ERROR_INVALID_PARAMETER, GetLastError());
	/* a message over the slot's maximum ends the batch there */
	ASSERT_EQ(1, mailslot_write_batch(c, "abcd", big, 3));
	SetLastError(0);
	ASSERT_EQ(-1, mailslot_write_batch(c, "bcd", big + 1, 2));
	ASSERT_EQ((DWORD)ERROR_INVALID_PARAMETER, GetLastError());
	/* the slot is gone */
	CloseHandle(self->s);
	self->s = INVALID_HANDLE_VALUE;
	SetLastError(0);
	ASSERT_EQ(-1, mailslot_write_batch(c, "ab", wl, 2));
	ASSERT_EQ((DWORD)ERROR_BROKEN_PIPE, GetLastError());
	CloseHandle(c);
}

TEST_HARNESS_MAIN
