/* SPDX-License-Identifier: GPL-2.0 */
/* tools/bench/bench.h - what bench.c needs from win32.c. */
#ifndef MAILSLOT_BENCH_H
#define MAILSLOT_BENCH_H

#include <stdint.h>

int w32_available(const char **why);
intptr_t w32_create(const char *name);		/* CreateMailslotA */
intptr_t w32_open(const char *name);		/* CreateFileA */
int w32_write(intptr_t h, const void *buf, unsigned int len); /* 0/1 full/-1 */
long w32_read(intptr_t h, void *buf, unsigned int cap);	/* ReadFile */
void w32_close(intptr_t h);			/* CloseHandle */
unsigned int w32_last_error(void);		/* GetLastError */

#endif
