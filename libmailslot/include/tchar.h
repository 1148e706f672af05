/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * tchar.h - generic-text mappings (subset) for libmailslot's Win32 layer.
 *
 * ANSI builds (the default) map every _t name onto the narrow C library.
 * In _UNICODE builds only _T/_TEXT/_TCHAR and the string-length/copy
 * helpers are provided: glibc has no UTF-16 printf, so _tprintf and
 * friends are deliberately left undefined there.
 */
#ifndef LIBMAILSLOT_TCHAR_H
#define LIBMAILSLOT_TCHAR_H

#include "windows.h"

#ifdef _UNICODE
#define __T(x)		u##x
#define _tcslen		lstrlenW
#define _tcscpy		lstrcpyW
#define _tcscat		lstrcatW
#else
#include <stdio.h>
#include <string.h>
#define __T(x)		x
#define _tmain		main
#define _tprintf	printf
#define _ftprintf	fprintf
#define _stprintf	sprintf
#define _sntprintf	snprintf
#define _tcslen		strlen
#define _tcscpy		strcpy
#define _tcscat		strcat
#define _tcscmp		strcmp
#define _tcsncpy	strncpy
#define _tcschr		strchr
#define _tcsrchr	strrchr
#define _tcsstr		strstr
#define _ttoi		atoi
#endif
#define _T(x)		__T(x)
#define _TEXT(x)	__T(x)
typedef TCHAR _TCHAR;
typedef TCHAR _TSCHAR;

#endif /* LIBMAILSLOT_TCHAR_H */
