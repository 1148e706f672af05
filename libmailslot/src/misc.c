// SPDX-License-Identifier: LGPL-2.1-or-later
/* Sleep, tick counts, Global/Local memory, lstr* string helpers. */
#include "internal.h"

#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

MSL_API void WINAPI Sleep(DWORD dwMilliseconds)
{
	struct timespec ts;

	if (dwMilliseconds == INFINITE) {
		for (;;)
			pause();
	}
	ts.tv_sec = dwMilliseconds / 1000;
	ts.tv_nsec = (long)(dwMilliseconds % 1000) * 1000000L;
	while (nanosleep(&ts, &ts) < 0 && errno == EINTR)
		;
}

/* Milliseconds since boot, suspend included (like Windows), wrapping at 2^32. */
MSL_API ULONGLONG WINAPI GetTickCount64(void)
{
	struct timespec ts;

	if (clock_gettime(CLOCK_BOOTTIME, &ts) < 0)
		clock_gettime(CLOCK_MONOTONIC, &ts);
	return (ULONGLONG)ts.tv_sec * 1000ULL + (ULONGLONG)ts.tv_nsec / 1000000ULL;
}

MSL_API DWORD WINAPI GetTickCount(void)
{
	return (DWORD)GetTickCount64();
}

/* Memory is always fixed: GMEM_MOVEABLE is treated as GMEM_FIXED and the
 * HGLOBAL is the pointer itself. */
static void *msl_alloc(UINT flags, SIZE_T bytes)
{
	void *p = (flags & GMEM_ZEROINIT) ? calloc(1, bytes ? bytes : 1)
					  : malloc(bytes ? bytes : 1);

	if (!p)
		SetLastError(ERROR_NOT_ENOUGH_MEMORY);
	return p;
}

MSL_API HGLOBAL WINAPI GlobalAlloc(UINT uFlags, SIZE_T dwBytes)
{
	return msl_alloc(uFlags, dwBytes);
}

MSL_API HGLOBAL WINAPI GlobalFree(HGLOBAL hMem)
{
	free(hMem);
	return NULL;
}

MSL_API HLOCAL WINAPI LocalAlloc(UINT uFlags, SIZE_T uBytes)
{
	return msl_alloc(uFlags, uBytes);
}

MSL_API HLOCAL WINAPI LocalFree(HLOCAL hMem)
{
	free(hMem);
	return NULL;
}

MSL_API int WINAPI lstrlenA(LPCSTR lpString)
{
	return lpString ? (int)strlen(lpString) : 0;
}

MSL_API int WINAPI lstrlenW(LPCWSTR lpString)
{
	return lpString ? (int)msl_wcslen(lpString) : 0;
}

MSL_API LPSTR WINAPI lstrcpyA(LPSTR lpString1, LPCSTR lpString2)
{
	if (!lpString1 || !lpString2)
		return NULL;
	return strcpy(lpString1, lpString2);
}

MSL_API LPWSTR WINAPI lstrcpyW(LPWSTR lpString1, LPCWSTR lpString2)
{
	size_t i = 0;

	if (!lpString1 || !lpString2)
		return NULL;
	do
		lpString1[i] = lpString2[i];
	while (lpString2[i++]);
	return lpString1;
}

MSL_API LPSTR WINAPI lstrcatA(LPSTR lpString1, LPCSTR lpString2)
{
	if (!lpString1 || !lpString2)
		return NULL;
	return strcat(lpString1, lpString2);
}

MSL_API LPWSTR WINAPI lstrcatW(LPWSTR lpString1, LPCWSTR lpString2)
{
	if (!lpString1 || !lpString2)
		return NULL;
	lstrcpyW(lpString1 + msl_wcslen(lpString1), lpString2);
	return lpString1;
}
