// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * Mailslot names.  "A" strings are UTF-8; both A and W names are checked
 * as UTF-16 (the unit Windows counts MAX_PATH in), and the part after the
 * "\\.\mailslot\" prefix goes to the kernel as UTF-8, which folds ASCII
 * case.  '/' is accepted as a separator and turned into '\' (Win32 path
 * normalisation); the kernel rejects empty levels.
 */
#include "internal.h"

#include <stdlib.h>
#include <string.h>

size_t msl_wcslen(const WCHAR *s)
{
	size_t n = 0;

	while (s[n])
		n++;
	return n;
}

long msl_utf8_to_utf16(const char *in, WCHAR *out, size_t outcap)
{
	const unsigned char *p = (const unsigned char *)in;
	size_t n = 0;

	while (*p) {
		uint32_t c;
		int extra, i;

		if (*p < 0x80) {
			c = *p;
			extra = 0;
		} else if ((*p & 0xE0) == 0xC0) {
			c = *p & 0x1F;
			extra = 1;
		} else if ((*p & 0xF0) == 0xE0) {
			c = *p & 0x0F;
			extra = 2;
		} else if ((*p & 0xF8) == 0xF0) {
			c = *p & 0x07;
			extra = 3;
		} else {
			return -1;
		}
		for (i = 1; i <= extra; i++) {
			if ((p[i] & 0xC0) != 0x80)
				return -1;
			c = (c << 6) | (p[i] & 0x3F);
		}
		/* reject overlong forms, surrogates and values past U+10FFFF */
		if ((extra == 1 && c < 0x80) || (extra == 2 && c < 0x800) ||
		    (extra == 3 && c < 0x10000) || c > 0x10FFFF ||
		    (c >= 0xD800 && c <= 0xDFFF))
			return -1;
		p += extra + 1;
		if (c >= 0x10000) {
			if (n + 2 > outcap)
				return -1;
			c -= 0x10000;
			out[n++] = (WCHAR)(0xD800 + (c >> 10));
			out[n++] = (WCHAR)(0xDC00 + (c & 0x3FF));
		} else {
			if (n + 1 > outcap)
				return -1;
			out[n++] = (WCHAR)c;
		}
	}
	if (n + 1 > outcap)
		return -1;
	out[n] = 0;
	return (long)n;
}

long msl_utf16_to_utf8(const WCHAR *in, size_t inlen, char *out, size_t outcap)
{
	size_t i, n = 0;

	for (i = 0; i < inlen; i++) {
		uint32_t c = in[i];
		unsigned char b[4];
		int len, k;

		if (c >= 0xD800 && c <= 0xDBFF) {
			if (i + 1 >= inlen || in[i + 1] < 0xDC00 || in[i + 1] > 0xDFFF)
				return -1;
			c = 0x10000 + ((c - 0xD800) << 10) + (in[i + 1] - 0xDC00);
			i++;
		} else if (c >= 0xDC00 && c <= 0xDFFF) {
			return -1;
		}
		if (c < 0x80) {
			b[0] = (unsigned char)c;
			len = 1;
		} else if (c < 0x800) {
			b[0] = (unsigned char)(0xC0 | (c >> 6));
			b[1] = (unsigned char)(0x80 | (c & 0x3F));
			len = 2;
		} else if (c < 0x10000) {
			b[0] = (unsigned char)(0xE0 | (c >> 12));
			b[1] = (unsigned char)(0x80 | ((c >> 6) & 0x3F));
			b[2] = (unsigned char)(0x80 | (c & 0x3F));
			len = 3;
		} else {
			b[0] = (unsigned char)(0xF0 | (c >> 18));
			b[1] = (unsigned char)(0x80 | ((c >> 12) & 0x3F));
			b[2] = (unsigned char)(0x80 | ((c >> 6) & 0x3F));
			b[3] = (unsigned char)(0x80 | (c & 0x3F));
			len = 4;
		}
		if (n + len + 1 > outcap)
			return -1;
		for (k = 0; k < len; k++)
			out[n++] = (char)b[k];
	}
	if (n + 1 > outcap)
		return -1;
	out[n] = '\0';
	return (long)n;
}

static WCHAR msl_lower(WCHAR c)
{
	return (c >= 'A' && c <= 'Z') ? (WCHAR)(c - 'A' + 'a') : c;
}

static bool msl_is_sep(WCHAR c)
{
	return c == '\\' || c == '/';
}

enum msl_name_class msl_parse_name_w(const WCHAR *name, char *out, size_t outsz,
				     size_t *outlen)
{
	static const char word[] = "mailslot";
	WCHAR rest[MAX_PATH];
	size_t len, i, host, w, r;
	long n;

	if (!name)
		return MSL_NAME_NULL;
	len = msl_wcslen(name);
	if (len >= MAX_PATH)
		return MSL_NAME_TOO_LONG;
	/* "\\" host "\" */
	if (len < 2 || !msl_is_sep(name[0]) || !msl_is_sep(name[1]))
		return MSL_NAME_OTHER;
	for (i = 2; i < len && !msl_is_sep(name[i]); i++)
		;
	host = i - 2;
	if (i == len)
		return MSL_NAME_OTHER;
	/* "mailslot" */
	w = i + 1;
	for (i = 0; word[i]; i++)
		if (w + i >= len || msl_lower(name[w + i]) != (WCHAR)word[i])
			return MSL_NAME_OTHER;
	i += w;
	if (i < len && !msl_is_sep(name[i]))
		return MSL_NAME_OTHER;	/* e.g. \\.\mailslots\x */
	if (host == 0)
		return MSL_NAME_BAD_MAILSLOT;
	/* "\\.\" and its raw twin "\\?\" both name the local device */
	if (!(host == 1 && (name[2] == '.' || name[2] == '?')))
		return MSL_NAME_REMOTE;
	if (i >= len || i + 1 == len)
		return MSL_NAME_BAD_MAILSLOT;	/* "\\.\mailslot" or "\\.\mailslot\" */
	for (r = 0, i++; i < len; i++, r++)
		rest[r] = msl_is_sep(name[i]) ? (WCHAR)'\\' : name[i];
	n = msl_utf16_to_utf8(rest, r, out, outsz);
	if (n < 0)
		return MSL_NAME_BAD_ENCODING;
	if (outlen)
		*outlen = (size_t)n;
	return MSL_NAME_LOCAL;
}

enum msl_name_class msl_parse_name_a(const char *name, char *out, size_t outsz,
				     size_t *outlen)
{
	enum msl_name_class ret;
	size_t cap;
	WCHAR *wide;

	if (!name)
		return MSL_NAME_NULL;
	cap = strlen(name) + 1;		/* UTF-16 units never exceed UTF-8 bytes */
	wide = malloc(cap * sizeof(WCHAR));
	if (!wide)
		return MSL_NAME_NO_MEMORY;
	if (msl_utf8_to_utf16(name, wide, cap) < 0)
		ret = MSL_NAME_BAD_ENCODING;
	else
		ret = msl_parse_name_w(wide, out, outsz, outlen);
	free(wide);
	return ret;
}
