/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * <mailslot.h> - Linux-only extras of libmailslot.
 *
 * Independent of <windows.h>: handles are passed as void * (a Win32
 * HANDLE).  The functions here are exported in the MAILSLOT_1.0 node,
 * the batch calls in MAILSLOT_1.1.
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
#define LIBMAILSLOT_VERSION_MINOR 1

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

/* Most messages one mailslot_write_batch() call may carry. */
#define MAILSLOT_BATCH_MAX	1024

/*
 * Up to max_msgs whole messages from a server handle in one call: waits
 * like ReadFile() (the slot's read timeout) for the first, then takes as
 * many more as fit in buf and lens without waiting.  The payloads land
 * back to back in buf, in queue order; lens[i] is the length of the i-th
 * (zero-length messages count).  Returns the number taken, at least 1,
 * or -1 with GetLastError() as for ReadFile() (ERROR_INSUFFICIENT_BUFFER
 * when the first message alone does not fit: it stays queued).
 * Nothing is taken unless all of it was delivered.  (Since 1.1.)
 */
LIBMAILSLOT_API int mailslot_read_batch(void *mailslot, void *buf, uint32_t buf_len,
					uint32_t *lens, uint32_t max_msgs);

/*
 * count messages (1 to MAILSLOT_BATCH_MAX) on a client handle in one
 * call: payloads back to back in buf, lens[i] bytes each.  Each message is
 * queued whole, in order, and the ones a call queues are not interleaved
 * with other writers'.  Stops at the first message that cannot be queued
 * and returns how many were, at least 1: sending the rest again reports
 * why.  -1 with GetLastError() as for WriteFile() when not even the first
 * could be queued.  (Since 1.1.)
 */
LIBMAILSLOT_API int mailslot_write_batch(void *client, const void *buf,
					 const uint32_t *lens, uint32_t count);

#ifdef __cplusplus
}
#endif

#endif /* LIBMAILSLOT_MAILSLOT_H */
