// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * fuzz_name_w: msl_parse_name_w() (the W functions) on the input as
 * little-endian UTF-16 units, up to the first zero unit (an odd last byte
 * is dropped).  Invariants: the class and output of the reference
 * classifier; for well-formed UTF-16, msl_parse_name_a() on the reference
 * UTF-8 gives the same class and output; small output buffers are refused,
 * never overrun.
 */
#include "name_check.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	size_t n = size / 2, i;
	WCHAR *w = malloc((n + 1) * sizeof(WCHAR));
	enum msl_name_class got;

	for (i = 0; i < n; i++) {
		w[i] = (WCHAR)(data[2 * i] | data[2 * i + 1] << 8);
		if (!w[i])
			break;
	}
	n = i;
	got = check_w(w, n);
	if (ref_utf16_ok(w, n)) {
		char *u = malloc(4 * n + 1), *o1 = malloc(MSL_NAME_BUF), *o2 = malloc(MSL_NAME_BUF);
		size_t ul = ref_utf16_to_utf8(w, n, u), l1 = 0, l2 = 0;
		WCHAR *wz = dup_exact(w, (n + 1) * sizeof(WCHAR));

		u[ul] = '\0';
		wz[n] = 0;
		FUZZ_CHECK(msl_parse_name_a(u, o1, MSL_NAME_BUF, &l1) == got);
		if (got == MSL_NAME_LOCAL) {
			FUZZ_CHECK(msl_parse_name_w(wz, o2, MSL_NAME_BUF, &l2) == got);
			FUZZ_CHECK(l1 == l2 && !memcmp(o1, o2, l1 + 1));
		}
		free(wz);
		free(o2);
		free(o1);
		free(u);
	}
	free(w);
	return 0;
}
