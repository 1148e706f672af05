/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Shared by fuzz_name_a and fuzz_name_w: run the W parser on @w (n units,
 * NUL-free) and compare with the reference; returns the class. */
#ifndef MSL_FUZZ_NAME_CHECK_H
#define MSL_FUZZ_NAME_CHECK_H
#include "common.h"

static void check_local_output(const WCHAR *w, size_t rest, size_t restlen,
			       const char *out, size_t outlen)
{
	char want[MSL_NAME_BUF];
	size_t wl = ref_expected(w + rest, restlen, want);

	FUZZ_CHECK(wl < MSL_NAME_BUF);
	FUZZ_CHECK(outlen == wl);
	FUZZ_CHECK(out[outlen] == '\0');
	FUZZ_CHECK(memcmp(out, want, wl) == 0);
	FUZZ_CHECK(outlen >= 1 && !memchr(out, '/', outlen));
}

/* the output buffer at every interesting size, each an exact heap block */
static void check_out_sizes(enum msl_name_class want, size_t wantlen,
			    enum msl_name_class (*parse)(const void *, char *, size_t, size_t *),
			    const void *name)
{
	size_t sizes[] = { 0, 1, wantlen, wantlen + 1, MSL_NAME_BUF };

	for (size_t i = 0; i < sizeof(sizes) / sizeof(sizes[0]); i++) {
		char *out = malloc(sizes[i] ? sizes[i] : 1);
		size_t len = 777777;
		enum msl_name_class c = parse(name, out, sizes[i], &len);

		if (want != MSL_NAME_LOCAL) {
			FUZZ_CHECK(c == want);
			FUZZ_CHECK(len == 777777);	/* untouched */
		} else if (sizes[i] > wantlen) {
			FUZZ_CHECK(c == MSL_NAME_LOCAL && len == wantlen);
		} else {
			/* too small: refused (reported as a bad encoding), no overrun */
			FUZZ_CHECK(c == MSL_NAME_BAD_ENCODING && len == 777777);
		}
		free(out);
	}
}

static enum msl_name_class parse_w_thunk(const void *n, char *o, size_t s, size_t *l)
{
	return msl_parse_name_w(n, o, s, l);
}

static enum msl_name_class parse_a_thunk(const void *n, char *o, size_t s, size_t *l)
{
	return msl_parse_name_a(n, o, s, l);
}

/* W name (heap copy with terminator) against the reference */
static enum msl_name_class check_w(const WCHAR *units, size_t n)
{
	WCHAR *w = dup_exact(units, (n + 1) * sizeof(WCHAR));
	char *out = malloc(MSL_NAME_BUF);
	size_t rest = 0, restlen = 0, outlen = 777777;
	enum msl_name_class want, got;

	w[n] = 0;
	want = ref_classify(w, n, &rest, &restlen);
	got = msl_parse_name_w(w, out, MSL_NAME_BUF, &outlen);
	if (got != want) {
		fprintf(stderr, "msl_parse_name_w: class %d, reference %d\n", got, want);
		abort();
	}
	if (got == MSL_NAME_LOCAL) {
		check_local_output(w, rest, restlen, out, outlen);
		check_out_sizes(want, outlen, parse_w_thunk, w);
	}
	/* outlen may be NULL */
	FUZZ_CHECK(msl_parse_name_w(w, out, MSL_NAME_BUF, NULL) == got);
	free(out);
	free(w);
	return got;
}
#endif
