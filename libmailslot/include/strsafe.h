/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * strsafe.h - bounded string helpers (subset) for libmailslot's Win32 layer.
 *
 * Header-only, like Microsoft's.  Every function always NUL-terminates a
 * non-empty destination; on overflow it truncates and returns
 * STRSAFE_E_INSUFFICIENT_BUFFER.  StringCchPrintf/StringCbPrintf exist only
 * for ANSI (char) strings: glibc has no UTF-16 printf.
 */
#ifndef LIBMAILSLOT_STRSAFE_H
#define LIBMAILSLOT_STRSAFE_H

#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include "windows.h"

#ifdef __cplusplus
extern "C" {
#endif

#define STRSAFE_MAX_CCH			2147483647
#define STRSAFE_E_INSUFFICIENT_BUFFER	((HRESULT)0x8007007AL)
#define STRSAFE_E_INVALID_PARAMETER	((HRESULT)0x80070057L)
#define STRSAFE_E_END_OF_FILE		((HRESULT)0x80070026L)

static inline HRESULT StringCchVPrintfA(LPSTR pszDest, size_t cchDest, LPCSTR pszFormat,
					va_list argList)
{
	int n;

	if (cchDest == 0 || cchDest > STRSAFE_MAX_CCH)
		return STRSAFE_E_INVALID_PARAMETER;
	n = vsnprintf(pszDest, cchDest, pszFormat, argList);
	if (n < 0) {
		pszDest[0] = '\0';
		return STRSAFE_E_INVALID_PARAMETER;
	}
	return (size_t)n >= cchDest ? STRSAFE_E_INSUFFICIENT_BUFFER : S_OK;
}

static inline HRESULT StringCchPrintfA(LPSTR pszDest, size_t cchDest, LPCSTR pszFormat, ...)
	__attribute__((format(printf, 3, 4)));
static inline HRESULT StringCchPrintfA(LPSTR pszDest, size_t cchDest, LPCSTR pszFormat, ...)
{
	va_list ap;
	HRESULT hr;

	va_start(ap, pszFormat);
	hr = StringCchVPrintfA(pszDest, cchDest, pszFormat, ap);
	va_end(ap);
	return hr;
}

static inline HRESULT StringCbPrintfA(LPSTR pszDest, size_t cbDest, LPCSTR pszFormat, ...)
	__attribute__((format(printf, 3, 4)));
static inline HRESULT StringCbPrintfA(LPSTR pszDest, size_t cbDest, LPCSTR pszFormat, ...)
{
	va_list ap;
	HRESULT hr;

	va_start(ap, pszFormat);
	hr = StringCchVPrintfA(pszDest, cbDest, pszFormat, ap);
	va_end(ap);
	return hr;
}

static inline HRESULT StringCchLengthA(LPCSTR psz, size_t cchMax, size_t *pcchLength)
{
	size_t n = 0;

	if (psz == NULL || cchMax > STRSAFE_MAX_CCH) {
		if (pcchLength)
			*pcchLength = 0;
		return STRSAFE_E_INVALID_PARAMETER;
	}
	while (n < cchMax && psz[n])
		n++;
	if (pcchLength)
		*pcchLength = n < cchMax ? n : 0;
	return n < cchMax ? S_OK : STRSAFE_E_INVALID_PARAMETER;
}

static inline HRESULT StringCchLengthW(LPCWSTR psz, size_t cchMax, size_t *pcchLength)
{
	size_t n = 0;

	if (psz == NULL || cchMax > STRSAFE_MAX_CCH) {
		if (pcchLength)
			*pcchLength = 0;
		return STRSAFE_E_INVALID_PARAMETER;
	}
	while (n < cchMax && psz[n])
		n++;
	if (pcchLength)
		*pcchLength = n < cchMax ? n : 0;
	return n < cchMax ? S_OK : STRSAFE_E_INVALID_PARAMETER;
}

/* Copy/concatenate helpers: counts are in characters (Cch) or bytes (Cb). */
#define LIBMAILSLOT_STRSAFE_COPY(name, T)					\
static inline HRESULT name(T *pszDest, size_t cchDest, const T *pszSrc)	\
{									\
	size_t i = 0;							\
	if (cchDest == 0 || cchDest > STRSAFE_MAX_CCH)			\
		return STRSAFE_E_INVALID_PARAMETER;			\
	while (i < cchDest - 1 && pszSrc[i]) {				\
		pszDest[i] = pszSrc[i];					\
		i++;							\
	}								\
	pszDest[i] = 0;							\
	return pszSrc[i] ? STRSAFE_E_INSUFFICIENT_BUFFER : S_OK;	\
}
#define LIBMAILSLOT_STRSAFE_CAT(name, T)					\
static inline HRESULT name(T *pszDest, size_t cchDest, const T *pszSrc)	\
{									\
	size_t d = 0, i = 0;						\
	if (cchDest == 0 || cchDest > STRSAFE_MAX_CCH)			\
		return STRSAFE_E_INVALID_PARAMETER;			\
	while (d < cchDest && pszDest[d])				\
		d++;							\
	if (d == cchDest)						\
		return STRSAFE_E_INVALID_PARAMETER;			\
	while (d + i < cchDest - 1 && pszSrc[i]) {			\
		pszDest[d + i] = pszSrc[i];				\
		i++;							\
	}								\
	pszDest[d + i] = 0;						\
	return pszSrc[i] ? STRSAFE_E_INSUFFICIENT_BUFFER : S_OK;	\
}
LIBMAILSLOT_STRSAFE_COPY(StringCchCopyA, CHAR)
LIBMAILSLOT_STRSAFE_COPY(StringCchCopyW, WCHAR)
LIBMAILSLOT_STRSAFE_CAT(StringCchCatA, CHAR)
LIBMAILSLOT_STRSAFE_CAT(StringCchCatW, WCHAR)

static inline HRESULT StringCbCopyA(LPSTR pszDest, size_t cbDest, LPCSTR pszSrc)
{
	return StringCchCopyA(pszDest, cbDest, pszSrc);
}
static inline HRESULT StringCbCopyW(LPWSTR pszDest, size_t cbDest, LPCWSTR pszSrc)
{
	return StringCchCopyW(pszDest, cbDest / sizeof(WCHAR), pszSrc);
}
static inline HRESULT StringCbCatA(LPSTR pszDest, size_t cbDest, LPCSTR pszSrc)
{
	return StringCchCatA(pszDest, cbDest, pszSrc);
}
static inline HRESULT StringCbCatW(LPWSTR pszDest, size_t cbDest, LPCWSTR pszSrc)
{
	return StringCchCatW(pszDest, cbDest / sizeof(WCHAR), pszSrc);
}

#ifdef UNICODE
#define StringCchCopy	StringCchCopyW
#define StringCbCopy	StringCbCopyW
#define StringCchCat	StringCchCatW
#define StringCbCat	StringCbCatW
#define StringCchLength	StringCchLengthW
#else
#define StringCchPrintf	StringCchPrintfA
#define StringCbPrintf	StringCbPrintfA
#define StringCchVPrintf StringCchVPrintfA
#define StringCchCopy	StringCchCopyA
#define StringCbCopy	StringCbCopyA
#define StringCchCat	StringCchCatA
#define StringCbCat	StringCbCatA
#define StringCchLength	StringCchLengthA
#endif

#ifdef __cplusplus
}
#endif

#endif /* LIBMAILSLOT_STRSAFE_H */
