/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * <mailslot.h> - Linux-only extras of libmailslot.
 *
 * Independent of <windows.h>: handles are passed as void * (a Win32
 * HANDLE).  Every function here is exported in the MAILSLOT_1.0 node.
 */
#ifndef LIBMAILSLOT_MAILSLOT_H
#define LIBMAILSLOT_MAILSLOT_H

#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

#if defined(__GNUC__) || defined(__clang__)
#define LIBMAILSLOT_API __attribute__((visibility("default")))
#else
#define LIBMAILSLOT_API
#endif

#define LIBMAILSLOT_VERSION_MAJOR 1
#define LIBMAILSLOT_VERSION_MINOR 0

/* mailslot_create() flags */
#define MAILSLOT_CREATE_INHERIT	0x1	/* handle survives exec (bInheritHandle) */

/* mailslot_create() modes: who besides the creator may open writers */
#define MAILSLOT_ACCESS_OWNER	0200
#define MAILSLOT_ACCESS_GROUP	0020
#define MAILSLOT_ACCESS_OTHER	0002

/*
 * The file descriptor behind a handle, for poll(2)/epoll(7): a server
 * handle polls EPOLLIN while a message is queued; a client handle polls
 * EPOLLOUT while the mailslot exists and EPOLLHUP after.  The fd stays
 * owned by the handle: close it with CloseHandle().  Returns -1 with
 * errno = EBADF if the value cannot be a handle.
 */
LIBMAILSLOT_API int mailslot_handle_fd(void *handle);

/* The handle for an fd (for example one inherited under a known number). */
LIBMAILSLOT_API void *mailslot_fd_handle(int fd);

/*
 * CreateMailslotA() with an explicit access mode (MAILSLOT_ACCESS_*) instead
 * of the default (creator's uid only).  Returns INVALID_HANDLE_VALUE on
 * failure, with GetLastError() set as for CreateMailslotA().
 */
LIBMAILSLOT_API void *mailslot_create(const char *name, uint32_t max_msg_size,
				      uint32_t read_timeout_ms, unsigned int flags,
				      unsigned int mode);

#ifdef __cplusplus
}
#endif

#endif /* LIBMAILSLOT_MAILSLOT_H */
