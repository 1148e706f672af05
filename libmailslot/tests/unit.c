// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * Host-only unit tests: no /dev/mailslot needed.  Linked against the static
 * library so internal helpers (name parser, UTF-16, error table) are
 * reachable.  Run by `make -C libmailslot test`.
 */
#include "internal.h"

#include <fcntl.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "strsafe.h"

static int failures, checks;

#define CHECK(cond) do {						\
	checks++;							\
	if (!(cond)) {							\
		failures++;						\
		fprintf(stderr, "%s:%d: FAILED: %s\n", __FILE__, __LINE__, #cond); \
	}								\
} while (0)
#define CHECK_EQ(exp, got) do {						\
	long long _e = (long long)(exp), _g = (long long)(got);		\
	checks++;							\
	if (_e != _g) {							\
		failures++;						\
		fprintf(stderr, "%s:%d: FAILED: %s == %s (%lld != %lld)\n", \
			__FILE__, __LINE__, #exp, #got, _e, _g);	\
	}								\
} while (0)

static void test_types(void)
{
	OVERLAPPED ov;

	CHECK_EQ(4, sizeof(DWORD));
	CHECK_EQ(4, sizeof(LONG));
	CHECK_EQ(2, sizeof(WCHAR));
	CHECK_EQ(sizeof(void *), sizeof(ULONG_PTR));
	CHECK_EQ(sizeof(void *), offsetof(SECURITY_ATTRIBUTES, lpSecurityDescriptor));
	CHECK_EQ(2 * sizeof(void *), offsetof(SECURITY_ATTRIBUTES, bInheritHandle));
	CHECK_EQ(offsetof(OVERLAPPED, Internal), 0);
	CHECK_EQ(offsetof(OVERLAPPED, InternalHigh), sizeof(void *));
	CHECK_EQ(offsetof(OVERLAPPED, Offset), 2 * sizeof(void *));
	CHECK_EQ(offsetof(OVERLAPPED, OffsetHigh), 2 * sizeof(void *) + 4);
	CHECK_EQ(offsetof(OVERLAPPED, Pointer), 2 * sizeof(void *));
	CHECK_EQ(offsetof(OVERLAPPED, hEvent), 3 * sizeof(void *));
	CHECK_EQ(4 * sizeof(void *), sizeof(ov));
	CHECK_EQ(0xFFFFFFFFU, MAILSLOT_WAIT_FOREVER);
	CHECK_EQ(0xFFFFFFFFU, MAILSLOT_NO_MESSAGE);
	CHECK_EQ(-1, (intptr_t)INVALID_HANDLE_VALUE);
	CHECK_EQ(121, ERROR_SEM_TIMEOUT);
	CHECK_EQ(122, ERROR_INSUFFICIENT_BUFFER);
	CHECK_EQ(123, ERROR_INVALID_NAME);
	CHECK_EQ(206, ERROR_FILENAME_EXCED_RANGE);
	CHECK_EQ(0x40, GPTR);
}

static enum msl_name_class parse(const char *s, char *out)
{
	size_t len = 0;
	enum msl_name_class c = msl_parse_name_a(s, out, MSL_NAME_BUF, &len);

	if (c == MSL_NAME_LOCAL)
		CHECK_EQ(strlen(out), len);
	return c;
}

static void test_names(void)
{
	char out[MSL_NAME_BUF], big[400];
	WCHAR w[300];
	size_t len;
	int i;

	CHECK_EQ(MSL_NAME_LOCAL, parse("\\\\.\\mailslot\\abc", out));
	CHECK(!strcmp(out, "abc"));
	CHECK_EQ(MSL_NAME_LOCAL, parse("\\\\.\\MailSlot\\Taxes\\Bob", out));
	CHECK(!strcmp(out, "Taxes\\Bob"));
	CHECK_EQ(MSL_NAME_LOCAL, parse("//./MAILSLOT/a/b", out));
	CHECK(!strcmp(out, "a\\b"));
	CHECK_EQ(MSL_NAME_LOCAL, parse("\\\\?\\mailslot\\raw", out));
	CHECK_EQ(MSL_NAME_LOCAL, parse("\\\\.\\mailslot\\R:\\FRED", out));
	CHECK_EQ(MSL_NAME_LOCAL, parse("\\\\.\\mailslot\\\xc3\xa9t\xc3\xa9", out));
	CHECK(!strcmp(out, "\xc3\xa9t\xc3\xa9"));
	CHECK_EQ(MSL_NAME_NULL, parse(NULL, out));
	CHECK_EQ(MSL_NAME_OTHER, parse("blah", out));
	CHECK_EQ(MSL_NAME_OTHER, parse("", out));
	CHECK_EQ(MSL_NAME_OTHER, parse("\\\\.\\pipe\\x", out));
	CHECK_EQ(MSL_NAME_OTHER, parse("\\\\.\\mailslots\\x", out));
	CHECK_EQ(MSL_NAME_OTHER, parse("C:\\mailslot\\x", out));
	CHECK_EQ(MSL_NAME_BAD_MAILSLOT, parse("\\\\.\\mailslot", out));
	CHECK_EQ(MSL_NAME_BAD_MAILSLOT, parse("\\\\.\\mailslot\\", out));
	CHECK_EQ(MSL_NAME_BAD_MAILSLOT, parse("\\\\\\mailslot\\x", out));
	CHECK_EQ(MSL_NAME_REMOTE, parse("\\\\host\\mailslot\\x", out));
	CHECK_EQ(MSL_NAME_REMOTE, parse("\\\\*\\mailslot\\x", out));
	CHECK_EQ(MSL_NAME_REMOTE, parse("\\\\DOMAIN\\MAILSLOT\\x\\y", out));
	CHECK_EQ(MSL_NAME_BAD_ENCODING, parse("\\\\.\\mailslot\\\xff", out));
	CHECK_EQ(MSL_NAME_BAD_ENCODING, parse("\\\\.\\mailslot\\\xed\xa0\x80", out));

	/* 259 characters is the longest full name; 260 is too long */
	strcpy(big, "\\\\.\\mailslot\\");
	for (i = (int)strlen(big); i < 259; i++)
		big[i] = 'x';
	big[259] = '\0';
	CHECK_EQ(MSL_NAME_LOCAL, parse(big, out));
	CHECK_EQ(259 - 13, strlen(out));
	big[259] = 'x';
	big[260] = '\0';
	CHECK_EQ(MSL_NAME_TOO_LONG, parse(big, out));
	/* counted in UTF-16 units, not bytes: 200 x U+00E9 is 400 bytes, fine */
	strcpy(big, "\\\\.\\mailslot\\");
	for (i = 0; i < 200; i++)
		strcat(big, "\xc3\xa9");
	CHECK_EQ(MSL_NAME_LOCAL, parse(big, out));

	/* W form */
	CHECK_EQ(13 + 3, msl_utf8_to_utf16("\\\\.\\mailslot\\a\xe2\x82\xac" "b", w, 300));
	CHECK_EQ(0x20AC, w[14]);
	CHECK_EQ(MSL_NAME_LOCAL, msl_parse_name_w(w, out, sizeof(out), &len));
	CHECK(!strcmp(out, "a\xe2\x82\xac" "b"));
	CHECK_EQ(5, len);
	CHECK_EQ(MSL_NAME_NULL, msl_parse_name_w(NULL, out, sizeof(out), &len));
	/* unpaired surrogate */
	msl_utf8_to_utf16("\\\\.\\mailslot\\ab", w, 300);
	w[13] = 0xD800;
	CHECK_EQ(MSL_NAME_BAD_ENCODING, msl_parse_name_w(w, out, sizeof(out), &len));
}

static void test_utf16(void)
{
	WCHAR w[16];
	char s[32];

	/* U+1F600 needs a surrogate pair */
	CHECK_EQ(3, msl_utf8_to_utf16("a\xf0\x9f\x98\x80", w, 16));
	CHECK_EQ(0xD83D, w[1]);
	CHECK_EQ(0xDE00, w[2]);
	CHECK_EQ(5, msl_utf16_to_utf8(w, 3, s, sizeof(s)));
	CHECK(!strcmp(s, "a\xf0\x9f\x98\x80"));
	CHECK_EQ(-1, msl_utf8_to_utf16("\xc0\x80", w, 16));	/* overlong NUL */
	CHECK_EQ(-1, msl_utf8_to_utf16("\xf4\x90\x80\x80", w, 16));	/* > U+10FFFF */
	CHECK_EQ(-1, msl_utf8_to_utf16("abc", w, 3));	/* no room for NUL */
	w[0] = 0xDC00;
	CHECK_EQ(-1, msl_utf16_to_utf8(w, 1, s, sizeof(s)));
	CHECK_EQ(2, lstrlenW(u"\u00e9x"));
}

static void test_errors(void)
{
	static const struct { enum msl_op op; int err; DWORD win; } cases[] = {
		{ MSL_OP_CREATE, EINVAL, ERROR_INVALID_NAME },
		{ MSL_OP_CREATE, EEXIST, ERROR_ALREADY_EXISTS },
		{ MSL_OP_CREATE, ENAMETOOLONG, ERROR_FILENAME_EXCED_RANGE },
		{ MSL_OP_CREATE, ENOSPC, ERROR_NO_SYSTEM_RESOURCES },
		{ MSL_OP_CREATE, ENOMEM, ERROR_NOT_ENOUGH_MEMORY },
		{ MSL_OP_CREATE, EFAULT, ERROR_NOACCESS },
		{ MSL_OP_CREATE, ENOENT, ERROR_NOT_SUPPORTED },
		{ MSL_OP_CREATE, EACCES, ERROR_ACCESS_DENIED },
		{ MSL_OP_CREATE, EMFILE, ERROR_TOO_MANY_OPEN_FILES },
		{ MSL_OP_OPEN, ENOENT, ERROR_FILE_NOT_FOUND },
		{ MSL_OP_OPEN, EACCES, ERROR_ACCESS_DENIED },
		{ MSL_OP_OPEN, EINVAL, ERROR_INVALID_NAME },
		{ MSL_OP_OPEN, ENAMETOOLONG, ERROR_FILENAME_EXCED_RANGE },
		{ MSL_OP_READ, ETIMEDOUT, ERROR_SEM_TIMEOUT },
		{ MSL_OP_READ, EAGAIN, ERROR_SEM_TIMEOUT },
		{ MSL_OP_READ, EMSGSIZE, ERROR_INSUFFICIENT_BUFFER },
		{ MSL_OP_READ, EBADF, ERROR_INVALID_PARAMETER },
		{ MSL_OP_READ, EFAULT, ERROR_NOACCESS },
		{ MSL_OP_READ, ENOTTY, ERROR_INVALID_HANDLE },
		{ MSL_OP_WRITE, EBADF, ERROR_ACCESS_DENIED },
		{ MSL_OP_WRITE, EMSGSIZE, ERROR_INVALID_PARAMETER },
		{ MSL_OP_WRITE, ENOBUFS, ERROR_NOT_ENOUGH_QUOTA },
		{ MSL_OP_WRITE, EDQUOT, ERROR_NOT_ENOUGH_QUOTA },
		{ MSL_OP_WRITE, EPIPE, ERROR_BROKEN_PIPE },
		{ MSL_OP_WRITE, EFAULT, ERROR_NOACCESS },
		{ MSL_OP_WRITE, ENOMEM, ERROR_NOT_ENOUGH_MEMORY },
		{ MSL_OP_INFO, EPIPE, ERROR_BROKEN_PIPE },
		{ MSL_OP_INFO, ENOTTY, ERROR_INVALID_HANDLE },
		{ MSL_OP_INFO, EBADF, ERROR_INVALID_HANDLE },
		{ MSL_OP_SETINFO, EBADF, ERROR_ACCESS_DENIED },
		{ MSL_OP_SETINFO, ENOTTY, ERROR_INVALID_HANDLE },
		{ MSL_OP_ANY, 0, ERROR_SUCCESS },
		{ MSL_OP_ANY, EBADF, ERROR_INVALID_HANDLE },
		{ MSL_OP_ANY, EINVAL, ERROR_INVALID_PARAMETER },
		{ MSL_OP_ANY, EHOSTDOWN, ERROR_GEN_FAILURE },	/* unlisted */
	};
	size_t i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		DWORD got = msl_errno_to_win32(cases[i].op, cases[i].err);

		if (got != cases[i].win) {
			fprintf(stderr, "errno table: op %d errno %d -> %u, want %u\n",
				cases[i].op, cases[i].err, got, cases[i].win);
			failures++;
		}
		checks++;
	}
	/* NTSTATUS round trip used by OVERLAPPED.Internal */
	CHECK_EQ(0xC00000B5, msl_win32_to_status(ERROR_SEM_TIMEOUT));
	CHECK_EQ(0xC0000120, msl_win32_to_status(ERROR_OPERATION_ABORTED));
	CHECK_EQ(0xC0000023, msl_win32_to_status(ERROR_INSUFFICIENT_BUFFER));
	CHECK_EQ(ERROR_NOT_ENOUGH_QUOTA, msl_status_to_win32(msl_win32_to_status(ERROR_NOT_ENOUGH_QUOTA)));
	CHECK_EQ(ERROR_SEM_TIMEOUT, msl_status_to_win32(0xC00000B5));
	CHECK_EQ(ERROR_IO_PENDING, msl_status_to_win32(STATUS_PENDING));
}

static void *set_error_thread(void *arg)
{
	(void)arg;
	SetLastError(42);
	return (void *)(uintptr_t)GetLastError();
}

static void test_handles(void)
{
	HANDLE h, d;
	DWORD flags;
	int fd;
	void *ret;
	pthread_t t;

	CHECK_EQ(-1, msl_handle_to_fd(NULL));
	CHECK_EQ(-1, msl_handle_to_fd(INVALID_HANDLE_VALUE));
	CHECK_EQ(-1, msl_handle_to_fd((HANDLE)6));
	CHECK_EQ(0, msl_handle_to_fd((HANDLE)4));
	CHECK_EQ(7, mailslot_handle_fd(mailslot_fd_handle(7)));
	CHECK_EQ(-1, mailslot_handle_fd(NULL));
	CHECK(mailslot_fd_handle(0) != NULL);

	/* last error is per thread */
	SetLastError(7);
	pthread_create(&t, NULL, set_error_thread, NULL);
	pthread_join(t, &ret);
	CHECK_EQ(42, (uintptr_t)ret);
	CHECK_EQ(7, GetLastError());

	SetLastError(0);
	CHECK(!CloseHandle(NULL));
	CHECK_EQ(ERROR_INVALID_HANDLE, GetLastError());
	CHECK(!CloseHandle(INVALID_HANDLE_VALUE));
	CHECK_EQ(ERROR_INVALID_HANDLE, GetLastError());
	CHECK(!CloseHandle(mailslot_fd_handle(999)));
	CHECK_EQ(ERROR_INVALID_HANDLE, GetLastError());

	/* events: kind, inheritance flag, DuplicateHandle */
	h = CreateEventA(NULL, TRUE, FALSE, "name-is-ignored");
	CHECK(h != NULL);
	fd = mailslot_handle_fd(h);
	CHECK_EQ(MSL_KIND_EVENT, msl_fd_kind(fd));
	CHECK(fcntl(fd, F_GETFD) & FD_CLOEXEC);
	CHECK(GetHandleInformation(h, &flags));
	CHECK_EQ(0, flags);
	CHECK(SetHandleInformation(h, HANDLE_FLAG_INHERIT, HANDLE_FLAG_INHERIT));
	CHECK(!(fcntl(fd, F_GETFD) & FD_CLOEXEC));
	CHECK(DuplicateHandle(GetCurrentProcess(), h, GetCurrentProcess(), &d, 0, FALSE,
			      DUPLICATE_SAME_ACCESS));
	CHECK(d != h);
	CHECK(fcntl(mailslot_handle_fd(d), F_GETFD) & FD_CLOEXEC);
	CHECK(SetEvent(h));
	CHECK_EQ(WAIT_OBJECT_0, WaitForSingleObject(d, 0));	/* same event */
	CHECK_EQ(WAIT_OBJECT_0, WaitForSingleObject(d, 0));	/* manual: stays set */
	CHECK(DuplicateHandle(GetCurrentProcess(), d, GetCurrentProcess(), NULL, 0, FALSE,
			      DUPLICATE_CLOSE_SOURCE));
	CHECK(!CloseHandle(d));
	CHECK(!DuplicateHandle((HANDLE)(uintptr_t)0x1234, h, GetCurrentProcess(), &d, 0, FALSE, 0));
	CHECK_EQ(ERROR_INVALID_HANDLE, GetLastError());
	CHECK(CloseHandle(h));

	/* mailslot calls on non-mailslot handles */
	h = CreateEventA(NULL, FALSE, FALSE, NULL);
	SetLastError(0);
	CHECK(!GetMailslotInfo(h, NULL, NULL, NULL, NULL));
	CHECK_EQ(ERROR_INVALID_HANDLE, GetLastError());
	CHECK(!GetMailslotInfo(INVALID_HANDLE_VALUE, NULL, NULL, NULL, NULL));
	CHECK_EQ(ERROR_INVALID_HANDLE, GetLastError());
	CHECK(!SetMailslotInfo(h, 0));
	CHECK_EQ(ERROR_INVALID_HANDLE, GetLastError());
	{
		DWORD n = 0xDEADBEEF;
		char buf[8];

		CHECK(!ReadFile(INVALID_HANDLE_VALUE, buf, 0, &n, NULL));
		CHECK_EQ(ERROR_INVALID_HANDLE, GetLastError());
		CHECK_EQ(0, n);
		n = 0xDEADBEEF;
		CHECK(!ReadFile(h, buf, sizeof(buf), &n, NULL));
		CHECK_EQ(ERROR_INVALID_HANDLE, GetLastError());
		CHECK_EQ(0, n);
		n = 0xDEADBEEF;
		CHECK(!WriteFile(h, buf, sizeof(buf), &n, NULL));	/* not the eventfd! */
		CHECK_EQ(ERROR_INVALID_HANDLE, GetLastError());
		CHECK_EQ(0, n);
	}
	CHECK(CloseHandle(h));
}

static void *setter(void *arg)
{
	Sleep(50);
	SetEvent((HANDLE)arg);
	return NULL;
}

static void test_events(void)
{
	HANDLE a = CreateEventA(NULL, FALSE, FALSE, NULL);
	HANDLE m = CreateEventW(NULL, TRUE, TRUE, u"manual");
	HANDLE both[2];
	pthread_t t;
	DWORD t0;

	CHECK(a && m);
	CHECK_EQ(WAIT_TIMEOUT, WaitForSingleObject(a, 0));
	CHECK_EQ(WAIT_OBJECT_0, WaitForSingleObject(m, 0));
	CHECK(SetEvent(a));
	CHECK(SetEvent(a));	/* setting a set event is a no-op */
	CHECK_EQ(WAIT_OBJECT_0, WaitForSingleObject(a, 0));
	CHECK_EQ(WAIT_TIMEOUT, WaitForSingleObject(a, 0));	/* auto-reset */
	CHECK(ResetEvent(m));
	CHECK_EQ(WAIT_TIMEOUT, WaitForSingleObject(m, 0));

	t0 = GetTickCount();
	CHECK_EQ(WAIT_TIMEOUT, WaitForSingleObject(a, 100));
	CHECK(GetTickCount() - t0 >= 90);

	pthread_create(&t, NULL, setter, a);
	CHECK_EQ(WAIT_OBJECT_0, WaitForSingleObject(a, 5000));
	pthread_join(t, NULL);

	both[0] = a;
	both[1] = m;
	CHECK_EQ(WAIT_TIMEOUT, WaitForMultipleObjects(2, both, FALSE, 10));
	SetEvent(m);
	CHECK_EQ(WAIT_OBJECT_0 + 1, WaitForMultipleObjects(2, both, FALSE, 10));
	CHECK_EQ(WAIT_TIMEOUT, WaitForMultipleObjects(2, both, TRUE, 10));
	pthread_create(&t, NULL, setter, a);
	CHECK_EQ(WAIT_OBJECT_0, WaitForMultipleObjects(2, both, TRUE, 5000));
	pthread_join(t, NULL);
	CHECK_EQ(WAIT_TIMEOUT, WaitForSingleObject(a, 0));	/* consumed by wait-all */
	CHECK_EQ(WAIT_OBJECT_0, WaitForSingleObject(m, 0));
	CHECK_EQ(WAIT_FAILED, WaitForMultipleObjects(0, both, FALSE, 0));
	CHECK_EQ(ERROR_INVALID_PARAMETER, GetLastError());
	CHECK_EQ(WAIT_FAILED, WaitForSingleObject(INVALID_HANDLE_VALUE, 0));
	CHECK_EQ(ERROR_INVALID_HANDLE, GetLastError());

	/* GetOverlappedResult on an OVERLAPPED that completed synchronously */
	{
		OVERLAPPED ov;
		DWORD n = 0;

		memset(&ov, 0, sizeof(ov));
		ov.InternalHigh = 12;
		CHECK(GetOverlappedResult(NULL, &ov, &n, FALSE));
		CHECK_EQ(12, n);
		ov.Internal = 0xC00000B5;
		CHECK(!GetOverlappedResult(NULL, &ov, &n, TRUE));
		CHECK_EQ(ERROR_SEM_TIMEOUT, GetLastError());
		CHECK(!CancelIoEx(a, &ov));
		CHECK_EQ(ERROR_NOT_FOUND, GetLastError());
		CHECK(CancelIo(a));
	}
	CHECK(CloseHandle(a));
	CHECK(CloseHandle(m));
}

static void test_no_module(void)
{
	HANDLE h;

	/* Name errors come before the device is touched. */
	SetLastError(0);
	CHECK(CreateMailslotA("blah", 0, 0, NULL) == INVALID_HANDLE_VALUE);
	CHECK_EQ(ERROR_INVALID_NAME, GetLastError());
	CHECK(CreateMailslotA(NULL, 0, 0, NULL) == INVALID_HANDLE_VALUE);
	CHECK_EQ(ERROR_PATH_NOT_FOUND, GetLastError());
	CHECK(CreateMailslotW(NULL, 0, 0, NULL) == INVALID_HANDLE_VALUE);
	CHECK_EQ(ERROR_PATH_NOT_FOUND, GetLastError());
	CHECK(CreateMailslotA("\\\\host\\mailslot\\x", 0, 0, NULL) == INVALID_HANDLE_VALUE);
	CHECK_EQ(ERROR_INVALID_NAME, GetLastError());
	CHECK(CreateMailslotA("\\\\*\\mailslot\\x", 0, 0, NULL) == INVALID_HANDLE_VALUE);
	CHECK_EQ(ERROR_INVALID_NAME, GetLastError());
	CHECK(CreateFileA("\\\\*\\mailslot\\x", GENERIC_WRITE, FILE_SHARE_READ, NULL,
			  OPEN_EXISTING, 0, NULL) == INVALID_HANDLE_VALUE);
	CHECK_EQ(ERROR_BAD_NETPATH, GetLastError());
	CHECK(CreateFileA("\\\\server\\mailslot\\x", GENERIC_WRITE, FILE_SHARE_READ, NULL,
			  OPEN_EXISTING, 0, NULL) == INVALID_HANDLE_VALUE);
	CHECK_EQ(ERROR_BAD_NETPATH, GetLastError());
	CHECK(CreateFileA("/etc/passwd", GENERIC_READ, FILE_SHARE_READ, NULL,
			  OPEN_EXISTING, 0, NULL) == INVALID_HANDLE_VALUE);
	CHECK_EQ(ERROR_NOT_SUPPORTED, GetLastError());
	CHECK(CreateFileA(NULL, GENERIC_READ, FILE_SHARE_READ, NULL,
			  OPEN_EXISTING, 0, NULL) == INVALID_HANDLE_VALUE);
	CHECK_EQ(ERROR_PATH_NOT_FOUND, GetLastError());
	CHECK(CreateFileA("\\\\.\\mailslot\\x", GENERIC_WRITE, FILE_SHARE_READ, NULL,
			  0, 0, NULL) == INVALID_HANDLE_VALUE);
	CHECK_EQ(ERROR_INVALID_PARAMETER, GetLastError());

	if (access("/dev/mailslot", F_OK) == 0)
		return;
	h = CreateMailslotA("\\\\.\\mailslot\\host_test", 0, 0, NULL);
	CHECK(h == INVALID_HANDLE_VALUE);
	CHECK_EQ(ERROR_NOT_SUPPORTED, GetLastError());
	h = CreateFileA("\\\\.\\mailslot\\host_test", GENERIC_WRITE, FILE_SHARE_READ, NULL,
			OPEN_EXISTING, FILE_ATTRIBUTE_NORMAL, NULL);
	CHECK(h == INVALID_HANDLE_VALUE);
	CHECK_EQ(ERROR_FILE_NOT_FOUND, GetLastError());
}

static void test_strings(void)
{
	char buf[16];
	WCHAR wb[8];
	HGLOBAL g;

	CHECK_EQ(S_OK, StringCchPrintfA(buf, sizeof(buf), "#%d of %d", 1, 2));
	CHECK(!strcmp(buf, "#1 of 2"));
	CHECK_EQ(STRSAFE_E_INSUFFICIENT_BUFFER, StringCchPrintfA(buf, 4, "%s", "abcdef"));
	CHECK(!strcmp(buf, "abc"));
	CHECK_EQ(STRSAFE_E_INVALID_PARAMETER, StringCchPrintfA(buf, 0, "x"));
	strcpy(buf, "ab");
	CHECK_EQ(S_OK, StringCbCatA(buf, sizeof(buf), "cd"));
	CHECK(!strcmp(buf, "abcd"));
	CHECK_EQ(STRSAFE_E_INSUFFICIENT_BUFFER, StringCbCatA(buf, 6, "efgh"));
	CHECK(!strcmp(buf, "abcde"));
	CHECK_EQ(S_OK, StringCchCopyW(wb, 8, u"xyz"));
	CHECK_EQ(STRSAFE_E_INSUFFICIENT_BUFFER, StringCbCatW(wb, 10, u"12"));
	CHECK_EQ(4, lstrlenW(wb));
	CHECK_EQ(0, lstrlenA(NULL));
	CHECK_EQ(3, lstrlenA("abc"));
	CHECK(lstrcpyA(buf, "hi") == buf);
	CHECK(lstrcatA(buf, "!") == buf);
	CHECK(!strcmp(buf, "hi!"));
	lstrcpyW(wb, u"ab");
	lstrcatW(wb, u"c");
	CHECK_EQ(3, lstrlenW(wb));
	g = GlobalAlloc(GPTR, 64);
	CHECK(g && ((char *)g)[63] == 0);
	CHECK(GlobalFree(g) == NULL);
	g = LocalAlloc(LPTR, 0);
	CHECK(g != NULL);
	CHECK(LocalFree(g) == NULL);
}

static void test_time(void)
{
	DWORD t0 = GetTickCount();

	Sleep(120);
	CHECK(GetTickCount() - t0 >= 110);
	CHECK(GetTickCount64() >= t0);
	CHECK_EQ((DWORD)getpid(), GetCurrentProcessId());
}

/* An inheritable event survives exec; the child gets the handle's value. */
static void test_inherit_exec(const char *self)
{
	SECURITY_ATTRIBUTES sa = { sizeof(sa), NULL, TRUE };
	HANDLE yes = CreateEventA(&sa, TRUE, FALSE, NULL);
	HANDLE no = CreateEventA(NULL, TRUE, FALSE, NULL);
	char a[32], b[32];
	int status;
	pid_t pid;

	snprintf(a, sizeof(a), "%lu", (unsigned long)(uintptr_t)yes);
	snprintf(b, sizeof(b), "%lu", (unsigned long)(uintptr_t)no);
	pid = fork();
	if (pid == 0) {
		execl(self, self, "--child", a, b, (char *)NULL);
		_exit(99);
	}
	waitpid(pid, &status, 0);
	CHECK(WIFEXITED(status));
	CHECK_EQ(0, WEXITSTATUS(status));
	CHECK_EQ(WAIT_OBJECT_0, WaitForSingleObject(yes, 0));	/* the child set it */
	CloseHandle(yes);
	CloseHandle(no);
}

static int child(char **argv)
{
	HANDLE yes = (HANDLE)(uintptr_t)strtoul(argv[2], NULL, 10);
	HANDLE no = (HANDLE)(uintptr_t)strtoul(argv[3], NULL, 10);

	if (SetEvent(no) || GetLastError() != ERROR_INVALID_HANDLE)
		return 1;
	return SetEvent(yes) ? 0 : 2;
}

int main(int argc, char **argv)
{
	if (argc == 4 && !strcmp(argv[1], "--child"))
		return child(argv);
	test_types();
	test_names();
	test_utf16();
	test_errors();
	test_handles();
	test_events();
	test_no_module();
	test_strings();
	test_time();
	test_inherit_exec(argv[0]);
	printf("unit: %d checks, %d failed\n", checks, failures);
	return failures ? 1 : 0;
}
