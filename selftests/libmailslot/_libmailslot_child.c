// SPDX-License-Identifier: GPL-2.0
/*
 * Exec helper for libmailslot_test: argv = server, client and
 * non-inheritable handle values, as a Windows parent would pass them.
 */
#include <stdio.h>
#include <stdlib.h>
#include <windows.h>

static HANDLE arg_handle(const char *s)
{
	return (HANDLE)(uintptr_t)strtoull(s, NULL, 10);
}

int main(int argc, char **argv)
{
	char buf[64];
	DWORD n;

	if (argc != 4)
		return 2;
	if (!ReadFile(arg_handle(argv[1]), buf, sizeof(buf), &n, NULL))
		return 3;
	printf("child read: %s\n", buf);
	if (!WriteFile(arg_handle(argv[2]), "from child", 11, &n, NULL))
		return 4;
	/* FALSE = close-on-exec: the value means nothing here */
	if (WriteFile(arg_handle(argv[3]), "x", 1, &n, NULL) ||
	    GetLastError() != ERROR_INVALID_HANDLE)
		return 5;
	return 0;
}
