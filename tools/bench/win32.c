// SPDX-License-Identifier: GPL-2.0
/*
 * tools/bench/win32.c - the benchmark's view of libmailslot's Win32 API.
 *
 * Kept in its own translation unit so that <windows.h> (libmailslot's
 * compatibility header) never meets the Linux headers of bench.c.  Built
 * with -DHAVE_LIBMAILSLOT when libmailslot built and linked; otherwise
 * every call fails and w32_available() says why, so the mechanism is
 * skipped with a note instead of failing the run.
 */
#include <stddef.h>
#include <stdint.h>

#include "bench.h"

#ifdef HAVE_LIBMAILSLOT
#include <windows.h>

int w32_available(const char **why)
{
	*why = NULL;
	return 1;
}

intptr_t w32_create(const char *name)
{
	HANDLE h = CreateMailslotA(name, 0, MAILSLOT_WAIT_FOREVER, NULL);

	return h == INVALID_HANDLE_VALUE ? -1 : (intptr_t)h;
}

intptr_t w32_open(const char *name)
{
	HANDLE h = CreateFileA(name, GENERIC_WRITE, FILE_SHARE_READ, NULL,
			       OPEN_EXISTING, FILE_ATTRIBUTE_NORMAL, NULL);

	return h == INVALID_HANDLE_VALUE ? -1 : (intptr_t)h;
}

/* 0 sent, 1 queue full (ERROR_NOT_ENOUGH_QUOTA: retry), -1 error. */
int w32_write(intptr_t h, const void *buf, unsigned int len)
{
	DWORD done = 0;

	if (WriteFile((HANDLE)h, buf, len, &done, NULL) && done == len)
		return 0;
	return GetLastError() == ERROR_NOT_ENOUGH_QUOTA ? 1 : -1;
}

long w32_read(intptr_t h, void *buf, unsigned int cap)
{
	DWORD got = 0;

	if (!ReadFile((HANDLE)h, buf, cap, &got, NULL))
		return -1;
	return (long)got;
}

void w32_close(intptr_t h)
{
	CloseHandle((HANDLE)h);
}

unsigned int w32_last_error(void)
{
	return GetLastError();
}

#else /* !HAVE_LIBMAILSLOT */

#ifndef W32_SKIP_REASON
#define W32_SKIP_REASON "libmailslot was not built"
#endif

int w32_available(const char **why)
{
	*why = W32_SKIP_REASON;
	return 0;
}

intptr_t w32_create(const char *name)
{
	(void)name;
	return -1;
}

intptr_t w32_open(const char *name)
{
	(void)name;
	return -1;
}

int w32_write(intptr_t h, const void *buf, unsigned int len)
{
	(void)h, (void)buf, (void)len;
	return -1;
}

long w32_read(intptr_t h, void *buf, unsigned int cap)
{
	(void)h, (void)buf, (void)cap;
	return -1;
}

void w32_close(intptr_t h)
{
	(void)h;
}

unsigned int w32_last_error(void)
{
	return 0;
}
#endif
