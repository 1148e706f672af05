/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * libFuzzer harness support: the library's name parser and UTF-8/UTF-16
 * conversion are compiled straight into each target (name.c is #included,
 * so its internal functions need not be exported), plus an independent
 * reference implementation of the rules in libmailslot/README.md to compare
 * against.  ASan and UBSan judge memory safety; abort() reports a broken
 * invariant.
 */
#ifndef MSL_FUZZ_COMMON_H
#define MSL_FUZZ_COMMON_H

#include "../src/name.c"

#include <stdio.h>

#define FUZZ_CHECK(cond) do { \
	if (!(cond)) { \
		fprintf(stderr, "invariant failed: %s (%s:%d)\n", #cond, __FILE__, __LINE__); \
		abort(); \
	} \
} while (0)

/*
 * Reference UTF-8 decoder (Unicode 15, table 3-7: well-formed byte
 * sequences).  Returns the number of code points, or -1 if @s is not
 * well-formed; stores them in @cp (room for @cap).
 */
static long ref_utf8_decode(const unsigned char *s, size_t n, uint32_t *cp, size_t cap)
{
	size_t i = 0, k = 0;

	while (i < n) {
		unsigned char b = s[i];
		uint32_t c;
		int len;
		unsigned char lo = 0x80, hi = 0xBF;

		if (b <= 0x7F) { c = b; len = 1; }
		else if (b >= 0xC2 && b <= 0xDF) { c = b & 0x1F; len = 2; }
		else if (b == 0xE0) { c = b & 0x0F; len = 3; lo = 0xA0; }
		else if ((b >= 0xE1 && b <= 0xEC) || b == 0xEE || b == 0xEF) { c = b & 0x0F; len = 3; }
		else if (b == 0xED) { c = b & 0x0F; len = 3; hi = 0x9F; }
		else if (b == 0xF0) { c = b & 0x07; len = 4; lo = 0x90; }
		else if (b >= 0xF1 && b <= 0xF3) { c = b & 0x07; len = 4; }
		else if (b == 0xF4) { c = b & 0x07; len = 4; hi = 0x8F; }
		else return -1;
		if (i + len > n)
			return -1;
		for (int j = 1; j < len; j++) {
			unsigned char t = s[i + j];

			if (j == 1 ? (t < lo || t > hi) : (t < 0x80 || t > 0xBF))
				return -1;
			c = (c << 6) | (t & 0x3F);
		}
		if (k >= cap)
			return -1;
		cp[k++] = c;
		i += len;
	}
	return (long)k;
}

/* code points -> UTF-16 units; returns the count */
static size_t ref_to_utf16(const uint32_t *cp, size_t n, WCHAR *out)
{
	size_t k = 0;

	for (size_t i = 0; i < n; i++) {
		if (cp[i] >= 0x10000) {
			out[k++] = (WCHAR)(0xD800 + ((cp[i] - 0x10000) >> 10));
			out[k++] = (WCHAR)(0xDC00 + ((cp[i] - 0x10000) & 0x3FF));
		} else {
			out[k++] = (WCHAR)cp[i];
		}
	}
	return k;
}

/* UTF-16 units well-formed (every surrogate paired)? */
static bool ref_utf16_ok(const WCHAR *w, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		if (w[i] >= 0xD800 && w[i] <= 0xDBFF) {
			if (i + 1 >= n || w[i + 1] < 0xDC00 || w[i + 1] > 0xDFFF)
				return false;
			i++;
		} else if (w[i] >= 0xDC00 && w[i] <= 0xDFFF) {
			return false;
		}
	}
	return true;
}

static bool ref_sep(WCHAR c) { return c == '\\' || c == '/'; }

/*
 * Reference classifier of a NUL-free UTF-16 name of @n units, written from
 * the rules in README.md (decisions 5-9).  On MSL_NAME_LOCAL, *rest and
 * *restlen give the part after the prefix (separators not yet rewritten).
 */
static enum msl_name_class ref_classify(const WCHAR *w, size_t n, size_t *rest, size_t *restlen)
{
	static const char word[] = "mailslot";
	size_t i, h0, h1, m;

	if (n >= MAX_PATH)
		return MSL_NAME_TOO_LONG;
	if (n < 2 || !ref_sep(w[0]) || !ref_sep(w[1]))
		return MSL_NAME_OTHER;
	h0 = 2;
	for (h1 = h0; h1 < n && !ref_sep(w[h1]); h1++)
		;
	if (h1 == n)
		return MSL_NAME_OTHER;	/* "\\host" with nothing after */
	m = h1 + 1;
	for (i = 0; i < 8; i++) {
		WCHAR c;

		if (m + i >= n)
			return MSL_NAME_OTHER;
		c = w[m + i];
		if (c >= 'A' && c <= 'Z')
			c += 'a' - 'A';
		if (c != (WCHAR)word[i])
			return MSL_NAME_OTHER;
	}
	m += 8;
	if (m < n && !ref_sep(w[m]))
		return MSL_NAME_OTHER;
	if (h1 == h0)
		return MSL_NAME_BAD_MAILSLOT;	/* "\\\mailslot..." */
	if (!(h1 - h0 == 1 && (w[h0] == '.' || w[h0] == '?')))
		return MSL_NAME_REMOTE;
	if (m >= n || m + 1 == n)
		return MSL_NAME_BAD_MAILSLOT;
	if (!ref_utf16_ok(w + m + 1, n - m - 1))
		return MSL_NAME_BAD_ENCODING;
	*rest = m + 1;
	*restlen = n - m - 1;
	return MSL_NAME_LOCAL;
}

/* reference encoder: well-formed UTF-16 -> UTF-8 (no terminator); length */
static size_t ref_utf16_to_utf8(const WCHAR *w, size_t n, char *out)
{
	size_t k = 0;

	for (size_t i = 0; i < n; i++) {
		uint32_t c = w[i];

		if (c >= 0xD800 && c <= 0xDBFF) {
			c = 0x10000 + ((c - 0xD800) << 10) + (w[i + 1] - 0xDC00);
			i++;
		}
		if (c < 0x80) {
			out[k++] = (char)c;
		} else if (c < 0x800) {
			out[k++] = (char)(0xC0 | (c >> 6));
			out[k++] = (char)(0x80 | (c & 0x3F));
		} else if (c < 0x10000) {
			out[k++] = (char)(0xE0 | (c >> 12));
			out[k++] = (char)(0x80 | ((c >> 6) & 0x3F));
			out[k++] = (char)(0x80 | (c & 0x3F));
		} else {
			out[k++] = (char)(0xF0 | (c >> 18));
			out[k++] = (char)(0x80 | ((c >> 12) & 0x3F));
			out[k++] = (char)(0x80 | ((c >> 6) & 0x3F));
			out[k++] = (char)(0x80 | (c & 0x3F));
		}
	}
	return k;
}

/* the expected kernel name: rest with '/' -> '\\', as UTF-8; length */
static size_t ref_expected(const WCHAR *rest, size_t n, char *out)
{
	WCHAR tmp[MAX_PATH];

	for (size_t i = 0; i < n; i++)
		tmp[i] = rest[i] == '/' ? '\\' : rest[i];
	return ref_utf16_to_utf8(tmp, n, out);
}

/* a heap copy of exactly @n bytes, so that ASan sees any overrun */
static void *dup_exact(const void *p, size_t n)
{
	void *q = malloc(n ? n : 1);

	FUZZ_CHECK(q);
	memcpy(q, p, n);
	return q;
}

#endif
