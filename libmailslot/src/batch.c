// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * Native extensions beyond Win32: many messages per call in either
 * direction (MAILSLOT_IOC_READ_BATCH, MAILSLOT_IOC_WRITE_BATCH), errors
 * reported through GetLastError() exactly as ReadFile() and WriteFile()
 * report them.
 */
#include <string.h>
#include <sys/ioctl.h>

#include "internal.h"

MSL_API int mailslot_read_batch(void *mailslot, void *buf, uint32_t buf_len,
				uint32_t *lens, uint32_t max_msgs)
{
	struct mailslot_read_batch b;
	int fd = msl_handle_to_fd(mailslot), n;

	if (fd < 0) {
		SetLastError(ERROR_INVALID_HANDLE);
		return -1;
	}
	if (!max_msgs) {
		SetLastError(ERROR_INVALID_PARAMETER);
		return -1;
	}
	memset(&b, 0, sizeof(b));
	b.buf = (uintptr_t)buf;
	b.buf_len = buf_len;
	b.lens = (uintptr_t)lens;
	b.max_msgs = max_msgs;
	/* a signal ends a timed wait; go on to the deadline the kernel hands back */
	while ((n = ioctl(fd, MAILSLOT_IOC_READ_BATCH, &b)) < 0 && errno == EINTR)
		b.flags = MAILSLOT_READ_DEADLINE;
	if (n < 0) {
		int err = errno;

		/* as ReadFile: EBADF on a client, ENOTTY on other fds */
		if (msl_read_errno_is_server(err) ||
		    msl_check_kind(fd, MSL_KIND_SERVER, ERROR_INVALID_PARAMETER))
			msl_set_errno_error(MSL_OP_READ, err);
		return -1;
	}
	return n;
}

MSL_API int mailslot_write_batch(void *client, const void *buf,
				 const uint32_t *lens, uint32_t count)
{
	struct mailslot_write_batch b;
	int fd = msl_handle_to_fd(client), n;

	if (fd < 0) {
		SetLastError(ERROR_INVALID_HANDLE);
		return -1;
	}
	if (!count || count > MAILSLOT_WRITE_BATCH_MAX) {
		SetLastError(ERROR_INVALID_PARAMETER);
		return -1;
	}
	memset(&b, 0, sizeof(b));
	b.buf = (uintptr_t)buf;
	b.lens = (uintptr_t)lens;
	b.count = count;
	n = ioctl(fd, MAILSLOT_IOC_WRITE_BATCH, &b);
	if (n < 0) {
		int err = errno;

		/* as WriteFile: EBADF on a server, ENOTTY on other fds */
		if ((err != ENOTTY && err != EBADF) ||
		    msl_check_kind(fd, MSL_KIND_CLIENT, ERROR_ACCESS_DENIED))
			msl_set_errno_error(MSL_OP_WRITE, err);
		return -1;
	}
	return n;
}
