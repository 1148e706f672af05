/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* libmailslot internals: shared by the src files and the host unit tests. */
#ifndef LIBMAILSLOT_INTERNAL_H
#define LIBMAILSLOT_INTERNAL_H

#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include <errno.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "../../uapi/linux/mailslot.h"	/* the single source of truth */
#include "windows.h"
#include "mailslot.h"

#define MSL_API __attribute__((visibility("default")))
#define MSL_HIDDEN __attribute__((visibility("hidden")))

/* ---- handles (handle.c) ---- */
enum msl_kind {
	MSL_KIND_BAD,		/* not a handle / fd not open */
	MSL_KIND_SERVER,	/* mailslot server fd */
	MSL_KIND_CLIENT,	/* mailslot client fd */
	MSL_KIND_EVENT,		/* eventfd */
	MSL_KIND_OTHER,		/* some other open fd */
};

int msl_handle_to_fd(HANDLE h);			/* -1 if h cannot be a handle */
HANDLE msl_fd_to_handle(int fd);
enum msl_kind msl_fd_kind(int fd);
enum msl_kind msl_handle_kind(HANDLE h, int *fd);
/* mailslot.c: naming the failure of a call issued without a kind check */
bool msl_check_kind(int fd, enum msl_kind want, DWORD wrong_kind_error);
bool msl_read_errno_is_server(int err);

/* ---- errors (error.c) ---- */
enum msl_op {
	MSL_OP_ANY,
	MSL_OP_CREATE,		/* opening /dev/mailslot + MAILSLOT_IOC_CREATE */
	MSL_OP_OPEN,		/* opening /dev/mailslot + MAILSLOT_IOC_OPEN */
	MSL_OP_READ,		/* MAILSLOT_IOC_READ */
	MSL_OP_WRITE,		/* write(2) on a client */
	MSL_OP_INFO,		/* MAILSLOT_IOC_GET_INFO */
	MSL_OP_SETINFO,		/* MAILSLOT_IOC_SET_TIMEOUT */
};
DWORD msl_errno_to_win32(enum msl_op op, int err);
void msl_set_errno_error(enum msl_op op, int err);

/* NTSTATUS values stored in OVERLAPPED.Internal */
#define MSL_STATUS_SUCCESS		0x00000000U
#define MSL_STATUS_PENDING		0x00000103U
#define MSL_STATUS_IO_TIMEOUT		0xC00000B5U
#define MSL_STATUS_BUFFER_TOO_SMALL	0xC0000023U
#define MSL_STATUS_CANCELLED		0xC0000120U
#define MSL_STATUS_INVALID_HANDLE	0xC0000008U
#define MSL_STATUS_INVALID_PARAMETER	0xC000000DU
#define MSL_STATUS_ACCESS_VIOLATION	0xC0000005U
#define MSL_STATUS_FROM_WIN32(e)	(0xC0070000U | ((e) & 0xFFFFU))
DWORD msl_win32_to_status(DWORD err);
DWORD msl_status_to_win32(DWORD status);

/* ---- names (name.c) ---- */
enum msl_name_class {
	MSL_NAME_NULL,		/* NULL pointer */
	MSL_NAME_LOCAL,		/* \\.\mailslot\<name> */
	MSL_NAME_REMOTE,	/* \\host\mailslot\..., \\*\mailslot\... */
	MSL_NAME_BAD_MAILSLOT,	/* \\.\mailslot with nothing after it, etc. */
	MSL_NAME_OTHER,		/* not a mailslot name at all */
	MSL_NAME_TOO_LONG,	/* >= MAX_PATH UTF-16 units */
	MSL_NAME_BAD_ENCODING,	/* invalid UTF-8 / unpaired surrogate */
	MSL_NAME_NO_MEMORY,
};
/* On MSL_NAME_LOCAL, the UTF-8 name after the prefix is stored in out. */
enum msl_name_class msl_parse_name_w(const WCHAR *name, char *out, size_t outsz,
				     size_t *outlen);
enum msl_name_class msl_parse_name_a(const char *name, char *out, size_t outsz,
				     size_t *outlen);
#define MSL_NAME_BUF (MAX_PATH * 3 + 1)
/* Conversions; return the length written (no terminator) or -1. */
long msl_utf8_to_utf16(const char *in, WCHAR *out, size_t outcap);
long msl_utf16_to_utf8(const WCHAR *in, size_t inlen, char *out, size_t outcap);
size_t msl_wcslen(const WCHAR *s);

/* ---- mailslot core (mailslot.c) ---- */
HANDLE msl_create_slot(const char *name, size_t len, DWORD max_msg, DWORD timeout,
		       bool inherit, unsigned int mode);

/* ---- overlapped reads (async.c) ---- */
uint64_t msl_now_ns(void);
/* Queue an overlapped read; returns FALSE with last error set on failure. */
BOOL msl_async_submit(int fd, void *buf, DWORD len, OVERLAPPED *ov, uint64_t deadline);
void msl_async_cancel_fd(int fd);	/* used by CloseHandle */
/* Wait until no overlapped read is pending on fd; false on timeout. */
bool msl_async_wait_idle(int fd, uint64_t deadline);
void msl_ov_complete(OVERLAPPED *ov, DWORD status, DWORD bytes);
/* hEvent without the low bit (Windows: "no completion-port packet" flag) */
static inline HANDLE msl_ov_event(const OVERLAPPED *ov)
{
	return (HANDLE)((uintptr_t)ov->hEvent & ~(uintptr_t)3);
}

/* ---- events (event.c) ---- */
bool msl_event_set(int fd);

#endif
