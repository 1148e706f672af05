// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * fuzz_name_a: msl_parse_name_a() (CreateMailslotA/CreateFileA names) on
 * the input as a C string (it ends at the first NUL byte).
 * Invariants: invalid UTF-8 -> MSL_NAME_BAD_ENCODING; otherwise the same
 * class and output as the W parser on the reference UTF-16 conversion and
 * as the reference classifier; the output is NUL-terminated, its length is
 * reported, '/' became '\'; small output buffers are refused, never
 * overrun.
 */
#include "name_check.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *s = malloc(size + 1), *out = malloc(MSL_NAME_BUF);
	size_t slen, outlen = 777777;
	enum msl_name_class got, want;
	uint32_t *cp;
	WCHAR *w;
	long ncp;

	memcpy(s, data, size);
	s[size] = '\0';
	slen = strlen(s);
	s = realloc(s, slen + 1);	/* exact size for ASan */
	cp = malloc((slen + 1) * sizeof(*cp));
	w = malloc((2 * slen + 1) * sizeof(*w));

	got = msl_parse_name_a(s, out, MSL_NAME_BUF, &outlen);
	ncp = ref_utf8_decode((const unsigned char *)s, slen, cp, slen + 1);
	if (ncp < 0) {
		want = MSL_NAME_BAD_ENCODING;
		FUZZ_CHECK(got == want);
	} else {
		size_t n = ref_to_utf16(cp, ncp, w);

		w[n] = 0;

		want = check_w(w, n);
		FUZZ_CHECK(got == want);
		if (got == MSL_NAME_LOCAL) {
			char *wout = malloc(MSL_NAME_BUF);
			size_t wlen = 0;

			FUZZ_CHECK(msl_parse_name_w(w, wout, MSL_NAME_BUF, &wlen) == MSL_NAME_LOCAL);
			FUZZ_CHECK(wlen == outlen && !memcmp(out, wout, wlen + 1));
			free(wout);
		}
	}
	check_out_sizes(want, outlen, parse_a_thunk, s);
	FUZZ_CHECK(msl_parse_name_a(NULL, out, MSL_NAME_BUF, &outlen) == MSL_NAME_NULL);
	free(w);
	free(cp);
	free(out);
	free(s);
	return 0;
}
