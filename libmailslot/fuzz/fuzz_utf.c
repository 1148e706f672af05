// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * fuzz_utf: msl_utf8_to_utf16() and msl_utf16_to_utf8().
 * The first input byte picks the direction (even: UTF-8 -> UTF-16, the
 * rest of the input as a C string; odd: UTF-16 -> UTF-8, the rest as
 * little-endian units, zeros included).  Invariants: success exactly when
 * the reference decoder accepts (no overlong forms, surrogates or values
 * past U+10FFFF; every surrogate paired); the same units/bytes as the
 * reference; NUL-terminated; an output of exactly length+1 suffices and
 * one of length fails; round trips give back the input; output buffers are
 * exact heap blocks, so any overrun is an ASan report.
 */
#include "common.h"

static void utf8_dir(const uint8_t *data, size_t size)
{
	char *s = malloc(size + 1);
	size_t slen, n16, caps[4];
	uint32_t *cp;
	WCHAR *ref;
	long ncp, r;

	memcpy(s, data, size);
	s[size] = '\0';
	slen = strlen(s);
	cp = malloc((slen + 1) * sizeof(*cp));
	ref = malloc((2 * slen + 1) * sizeof(*ref));
	ncp = ref_utf8_decode((const unsigned char *)s, slen, cp, slen + 1);
	n16 = ncp < 0 ? 0 : ref_to_utf16(cp, ncp, ref);
	caps[0] = slen + 1;
	caps[1] = n16 + 1;
	caps[2] = n16;
	caps[3] = 0;
	for (int i = 0; i < 4; i++) {
		WCHAR *out = malloc(caps[i] ? caps[i] * sizeof(WCHAR) : 1);

		r = msl_utf8_to_utf16(s, out, caps[i]);
		if (ncp < 0 || caps[i] < n16 + 1) {
			FUZZ_CHECK(r == -1);
		} else {
			FUZZ_CHECK(r == (long)n16);
			FUZZ_CHECK(out[n16] == 0);
			FUZZ_CHECK(!memcmp(out, ref, n16 * sizeof(WCHAR)));
			if (i == 0) {	/* round trip */
				char *back = malloc(slen + 1);

				FUZZ_CHECK(msl_utf16_to_utf8(out, n16, back, slen + 1) == (long)slen);
				FUZZ_CHECK(!memcmp(back, s, slen + 1));
				FUZZ_CHECK(msl_wcslen(out) == n16);
				free(back);
			}
		}
		free(out);
	}
	free(ref);
	free(cp);
	free(s);
}

static void utf16_dir(const uint8_t *data, size_t size)
{
	size_t n = size / 2, i, rl = 0;
	WCHAR *w = malloc((n ? n : 1) * sizeof(WCHAR));
	char *ref = malloc(4 * n + 1);
	bool ok;
	size_t caps[4];
	long r;

	for (i = 0; i < n; i++)
		w[i] = (WCHAR)(data[2 * i] | data[2 * i + 1] << 8);
	ok = ref_utf16_ok(w, n);
	if (ok)
		rl = ref_utf16_to_utf8(w, n, ref);
	caps[0] = 4 * n + 1;
	caps[1] = rl + 1;
	caps[2] = rl;
	caps[3] = 0;
	for (int k = 0; k < 4; k++) {
		char *out = malloc(caps[k] ? caps[k] : 1);

		r = msl_utf16_to_utf8(w, n, out, caps[k]);
		if (!ok || caps[k] < rl + 1) {
			FUZZ_CHECK(r == -1);
		} else {
			FUZZ_CHECK(r == (long)rl);
			FUZZ_CHECK(out[rl] == '\0');
			FUZZ_CHECK(!memcmp(out, ref, rl));
			/* round trip, when there is no zero unit to cut the string */
			if (k == 0 && !memchr(out, 0, rl)) {
				WCHAR *back = malloc((n + 1) * sizeof(WCHAR));

				FUZZ_CHECK(msl_utf8_to_utf16(out, back, n + 1) == (long)n);
				FUZZ_CHECK(!memcmp(back, w, n * sizeof(WCHAR)));
				free(back);
			}
		}
		free(out);
	}
	free(ref);
	free(w);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (!size)
		return 0;
	if (data[0] & 1)
		utf16_dir(data + 1, size - 1);
	else
		utf8_dir(data + 1, size - 1);
	return 0;
}
