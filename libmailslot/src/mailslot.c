// SPDX-License-Identifier: LGPL-2.1-or-later
/* CreateMailslot, CreateFile, Get/SetMailslotInfo, ReadFile, WriteFile. */
#include "internal.h"

#include <fcntl.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

_Static_assert(sizeof(DWORD) == 4, "DWORD is 32-bit");
_Static_assert(sizeof(WCHAR) == 2, "WCHAR is 16-bit");
_Static_assert(sizeof(struct mailslot_create) == 48, "uapi layout");
_Static_assert(sizeof(struct mailslot_open) == 32, "uapi layout");
_Static_assert(sizeof(struct mailslot_info) == 40, "uapi layout");
_Static_assert(sizeof(struct mailslot_read) == 48, "uapi layout");

#define MSL_DEVICE "/dev/mailslot"
/* Default: like a NULL security descriptor on Windows, only the creator
 * (and root with CAP_IPC_OWNER) may open writers. */
#define MSL_DEFAULT_MODE MAILSLOT_MODE_OWNER

static bool msl_inherit(const SECURITY_ATTRIBUTES *sa)
{
	return sa && sa->bInheritHandle;
}

static int msl_device(void)
{
	int fd;

	do
		fd = open(MSL_DEVICE, O_RDONLY | O_CLOEXEC);
	while (fd < 0 && errno == EINTR);
	return fd;
}

HANDLE msl_create_slot(const char *name, size_t len, DWORD max_msg, DWORD timeout,
		       bool inherit, unsigned int mode)
{
	struct mailslot_create c;
	int dev, fd, err;

	dev = msl_device();
	if (dev < 0) {
		msl_set_errno_error(MSL_OP_CREATE, errno);
		return INVALID_HANDLE_VALUE;
	}
	memset(&c, 0, sizeof(c));
	c.name = (uintptr_t)name;
	c.name_len = (__u32)len;
	c.max_msg_size = max_msg;
	c.read_timeout_ms = timeout;
	c.flags = inherit ? 0 : MAILSLOT_F_CLOEXEC;
	c.mode = mode;
	fd = ioctl(dev, MAILSLOT_IOC_CREATE, &c);
	err = errno;
	close(dev);
	if (fd < 0) {
		msl_set_errno_error(MSL_OP_CREATE, err);
		return INVALID_HANDLE_VALUE;
	}
	return msl_fd_to_handle(fd);
}

static HANDLE msl_create_checked(enum msl_name_class cls, const char *name, size_t len,
				 DWORD max_msg, DWORD timeout, bool inherit,
				 unsigned int mode)
{
	switch (cls) {
	case MSL_NAME_LOCAL:
		return msl_create_slot(name, len, max_msg, timeout, inherit, mode);
	case MSL_NAME_NULL:
		SetLastError(ERROR_PATH_NOT_FOUND);
		break;
	case MSL_NAME_TOO_LONG:
		SetLastError(ERROR_FILENAME_EXCED_RANGE);
		break;
	case MSL_NAME_NO_MEMORY:
		SetLastError(ERROR_NOT_ENOUGH_MEMORY);
		break;
	default:	/* remote forms, other paths, bad encoding */
		SetLastError(ERROR_INVALID_NAME);
		break;
	}
	return INVALID_HANDLE_VALUE;
}

MSL_API HANDLE WINAPI CreateMailslotA(LPCSTR lpName, DWORD nMaxMessageSize,
				      DWORD lReadTimeout, LPSECURITY_ATTRIBUTES lpsa)
{
	char name[MSL_NAME_BUF];
	size_t len = 0;
	enum msl_name_class cls = msl_parse_name_a(lpName, name, sizeof(name), &len);

	return msl_create_checked(cls, name, len, nMaxMessageSize, lReadTimeout,
				  msl_inherit(lpsa), MSL_DEFAULT_MODE);
}

MSL_API HANDLE WINAPI CreateMailslotW(LPCWSTR lpName, DWORD nMaxMessageSize,
				      DWORD lReadTimeout, LPSECURITY_ATTRIBUTES lpsa)
{
	char name[MSL_NAME_BUF];
	size_t len = 0;
	enum msl_name_class cls = msl_parse_name_w(lpName, name, sizeof(name), &len);

	return msl_create_checked(cls, name, len, nMaxMessageSize, lReadTimeout,
				  msl_inherit(lpsa), MSL_DEFAULT_MODE);
}

MSL_API void *mailslot_create(const char *name, uint32_t max_msg_size,
			      uint32_t read_timeout_ms, unsigned int flags,
			      unsigned int mode)
{
	char buf[MSL_NAME_BUF];
	size_t len = 0;
	enum msl_name_class cls = msl_parse_name_a(name, buf, sizeof(buf), &len);

	if (flags & ~MAILSLOT_CREATE_INHERIT) {
		SetLastError(ERROR_INVALID_PARAMETER);
		return INVALID_HANDLE_VALUE;
	}
	return msl_create_checked(cls, buf, len, max_msg_size, read_timeout_ms,
				  flags & MAILSLOT_CREATE_INHERIT,
				  (mode & MAILSLOT_MODE_ALL) | MAILSLOT_MODE_OWNER);
}

static HANDLE msl_open_checked(enum msl_name_class cls, const char *name, size_t len,
			       DWORD disposition, const SECURITY_ATTRIBUTES *sa)
{
	struct mailslot_open o;
	int dev, fd, err;

	switch (cls) {
	case MSL_NAME_LOCAL:
		break;
	case MSL_NAME_NULL:
		SetLastError(ERROR_PATH_NOT_FOUND);
		return INVALID_HANDLE_VALUE;
	case MSL_NAME_TOO_LONG:
		SetLastError(ERROR_FILENAME_EXCED_RANGE);
		return INVALID_HANDLE_VALUE;
	case MSL_NAME_REMOTE:	/* no transport yet (NetBIOS datagrams) */
		SetLastError(ERROR_BAD_NETPATH);
		return INVALID_HANDLE_VALUE;
	case MSL_NAME_OTHER:	/* files, pipes, devices: not this library's business */
		SetLastError(ERROR_NOT_SUPPORTED);
		return INVALID_HANDLE_VALUE;
	case MSL_NAME_NO_MEMORY:
		SetLastError(ERROR_NOT_ENOUGH_MEMORY);
		return INVALID_HANDLE_VALUE;
	default:
		SetLastError(ERROR_INVALID_NAME);
		return INVALID_HANDLE_VALUE;
	}
	if (disposition < CREATE_NEW || disposition > TRUNCATE_EXISTING) {
		SetLastError(ERROR_INVALID_PARAMETER);
		return INVALID_HANDLE_VALUE;
	}
	dev = msl_device();
	if (dev < 0) {
		msl_set_errno_error(MSL_OP_OPEN, errno);
		return INVALID_HANDLE_VALUE;
	}
	memset(&o, 0, sizeof(o));
	o.name = (uintptr_t)name;
	o.name_len = (__u32)len;
	o.flags = msl_inherit(sa) ? 0 : MAILSLOT_F_CLOEXEC;
	fd = ioctl(dev, MAILSLOT_IOC_OPEN, &o);
	err = errno;
	close(dev);
	if (fd < 0) {
		msl_set_errno_error(MSL_OP_OPEN, err);
		return INVALID_HANDLE_VALUE;
	}
	return msl_fd_to_handle(fd);
}

/*
 * Access and share modes are accepted and ignored (Vista+ does not enforce
 * FILE_SHARE_READ; a client handle can always write).  Every valid
 * disposition opens the existing mailslot; flags such as
 * FILE_FLAG_OVERLAPPED need nothing (client writes never block).
 */
MSL_API HANDLE WINAPI CreateFileA(LPCSTR lpFileName, DWORD dwDesiredAccess,
				  DWORD dwShareMode, LPSECURITY_ATTRIBUTES lpsa,
				  DWORD dwCreationDisposition, DWORD dwFlagsAndAttributes,
				  HANDLE hTemplateFile)
{
	char name[MSL_NAME_BUF];
	size_t len = 0;
	enum msl_name_class cls = msl_parse_name_a(lpFileName, name, sizeof(name), &len);

	(void)dwDesiredAccess;
	(void)dwShareMode;
	(void)dwFlagsAndAttributes;
	(void)hTemplateFile;
	return msl_open_checked(cls, name, len, dwCreationDisposition, lpsa);
}

MSL_API HANDLE WINAPI CreateFileW(LPCWSTR lpFileName, DWORD dwDesiredAccess,
				  DWORD dwShareMode, LPSECURITY_ATTRIBUTES lpsa,
				  DWORD dwCreationDisposition, DWORD dwFlagsAndAttributes,
				  HANDLE hTemplateFile)
{
	char name[MSL_NAME_BUF];
	size_t len = 0;
	enum msl_name_class cls = msl_parse_name_w(lpFileName, name, sizeof(name), &len);

	(void)dwDesiredAccess;
	(void)dwShareMode;
	(void)dwFlagsAndAttributes;
	(void)hTemplateFile;
	return msl_open_checked(cls, name, len, dwCreationDisposition, lpsa);
}

/*
 * Fast paths.  The kind of a handle's fd is no longer probed up front
 * (readlink of /proc/self/fd/N costs tens of microseconds): every call goes
 * straight to a syscall that only a mailslot fd of the right kind accepts,
 * and msl_fd_kind() runs only when that syscall failed with an errno that
 * does not already say which kind the fd is, to choose the Win32 error.
 */

/* After a fast-path syscall failed: true if fd is of kind want; otherwise
 * the last error is set as the up-front check used to set it. */
bool msl_check_kind(int fd, enum msl_kind want, DWORD wrong_kind_error)
{
	enum msl_kind k = msl_fd_kind(fd);

	if (k == want)
		return true;
	if (k == MSL_KIND_SERVER || k == MSL_KIND_CLIENT)
		SetLastError(wrong_kind_error);
	else
		SetLastError(ERROR_INVALID_HANDLE);
	return false;
}

/* errnos that MAILSLOT_IOC_READ returns only on a mailslot server fd */
bool msl_read_errno_is_server(int err)
{
	return err == EAGAIN || err == ETIMEDOUT || err == EMSGSIZE;
}

MSL_API BOOL WINAPI GetMailslotInfo(HANDLE hMailslot, LPDWORD lpMaxMessageSize,
				    LPDWORD lpNextSize, LPDWORD lpMessageCount,
				    LPDWORD lpReadTimeout)
{
	struct mailslot_info info;
	int fd = msl_handle_to_fd(hMailslot);

	if (fd < 0) {
		SetLastError(ERROR_INVALID_HANDLE);
		return FALSE;
	}
	/* Works on server and client fds; EBADF (not open) and ENOTTY (not a
	 * mailslot) both map to ERROR_INVALID_HANDLE. */
	memset(&info, 0, sizeof(info));
	if (ioctl(fd, MAILSLOT_IOC_GET_INFO, &info) < 0) {
		msl_set_errno_error(MSL_OP_INFO, errno);
		return FALSE;
	}
	if (lpMaxMessageSize)
		*lpMaxMessageSize = info.max_msg_size;
	if (lpNextSize)
		*lpNextSize = info.next_size;
	if (lpMessageCount)
		*lpMessageCount = info.msg_count;
	if (lpReadTimeout)
		*lpReadTimeout = info.read_timeout_ms;
	return TRUE;
}

MSL_API BOOL WINAPI SetMailslotInfo(HANDLE hMailslot, DWORD lReadTimeout)
{
	__u32 t = lReadTimeout;
	int fd = msl_handle_to_fd(hMailslot);

	if (fd < 0) {
		SetLastError(ERROR_INVALID_HANDLE);
		return FALSE;
	}
	if (ioctl(fd, MAILSLOT_IOC_SET_TIMEOUT, &t) < 0) {
		int err = errno;

		/* EBADF: a client handle, or no open fd at all */
		if (err == EBADF && fcntl(fd, F_GETFD) < 0)
			SetLastError(ERROR_INVALID_HANDLE);
		else
			msl_set_errno_error(MSL_OP_SETINFO, err);
		return FALSE;
	}
	return TRUE;
}

/* One message, waiting as the slot's timeout says; retried across signals
 * with the deadline the kernel reports, so a handler never extends it. */
static int msl_read_sync(int fd, void *buf, DWORD len, DWORD *got)
{
	struct mailslot_read r;

	memset(&r, 0, sizeof(r));
	r.buf = (uintptr_t)buf;
	r.buf_len = len;
	r.deadline_ns = UINT64_MAX;
	for (;;) {
		int ret = ioctl(fd, MAILSLOT_IOC_READ, &r);

		if (ret >= 0) {
			*got = (DWORD)ret;
			return 0;
		}
		if (errno != EINTR)
			return errno;
		r.flags = MAILSLOT_READ_DEADLINE;
	}
}

MSL_API BOOL WINAPI ReadFile(HANDLE hFile, LPVOID lpBuffer, DWORD nNumberOfBytesToRead,
			     LPDWORD lpNumberOfBytesRead, LPOVERLAPPED lpOverlapped)
{
	struct mailslot_read r;
	struct mailslot_info info;
	DWORD got = 0;
	uint64_t start;
	int fd, err, ret;

	if (lpNumberOfBytesRead)
		*lpNumberOfBytesRead = 0;
	fd = msl_handle_to_fd(hFile);
	if (fd < 0) {
		SetLastError(ERROR_INVALID_HANDLE);
		return FALSE;
	}

	/*
	 * MAILSLOT_IOC_READ succeeds only on a server fd (a client gives EBADF,
	 * any other fd ENOTTY), so it is issued blindly; the kind is probed
	 * only to choose the error when it fails for a reason a server never
	 * gives.
	 */
	if (!lpOverlapped) {
		err = msl_read_sync(fd, lpBuffer, nNumberOfBytesToRead, &got);
		if (err) {
			if (msl_read_errno_is_server(err) ||
			    msl_check_kind(fd, MSL_KIND_SERVER, ERROR_INVALID_PARAMETER))
				msl_set_errno_error(MSL_OP_READ, err);
			return FALSE;
		}
		if (lpNumberOfBytesRead)
			*lpNumberOfBytesRead = got;
		return TRUE;
	}

	/*
	 * Overlapped: a READ_NONBLOCK attempt first; the timeout (GET_INFO) is
	 * needed only when it must wait.  hEvent is reset only once the handle
	 * is known to be a server and the read did not complete at once (then
	 * it is only signalled: a reset first would end in the same state).
	 * Internal/InternalHigh are outputs only.
	 */
	start = msl_now_ns();
	memset(&r, 0, sizeof(r));
	r.buf = (uintptr_t)lpBuffer;
	r.buf_len = nNumberOfBytesToRead;
	r.flags = MAILSLOT_READ_NONBLOCK;
	do
		ret = ioctl(fd, MAILSLOT_IOC_READ, &r);
	while (ret < 0 && errno == EINTR);
	err = ret < 0 ? errno : 0;
	if (err && !msl_read_errno_is_server(err) &&
	    !msl_check_kind(fd, MSL_KIND_SERVER, ERROR_INVALID_PARAMETER))
		return FALSE;
	if (!err) {
		/* completed at once: TRUE, and the event is signalled (resetting
		 * it first would end in the same state, at the cost of a probe) */
		if (lpNumberOfBytesRead)
			*lpNumberOfBytesRead = (DWORD)ret;
		msl_ov_complete(lpOverlapped, MSL_STATUS_SUCCESS, (DWORD)ret);
		return TRUE;
	}
	if (msl_ov_event(lpOverlapped))
		ResetEvent(msl_ov_event(lpOverlapped));
	if (err == EAGAIN) {
		memset(&info, 0, sizeof(info));
		if (ioctl(fd, MAILSLOT_IOC_GET_INFO, &info) < 0) {
			msl_set_errno_error(MSL_OP_READ, errno);
			return FALSE;
		}
		if (info.read_timeout_ms != 0)
			return msl_async_submit(fd, lpBuffer, nNumberOfBytesToRead, lpOverlapped,
						info.read_timeout_ms == MAILSLOT_WAIT_FOREVER ?
						UINT64_MAX :
						start + (uint64_t)info.read_timeout_ms * 1000000ULL);
	}
	/* Failed at once (timeout 0, buffer too small, ...): no event. */
	lpOverlapped->Internal = msl_win32_to_status(msl_errno_to_win32(MSL_OP_READ, err));
	lpOverlapped->InternalHigh = 0;
	msl_set_errno_error(MSL_OP_READ, err);
	return FALSE;
}

/*
 * A blind write(2) is not safe: pipes, files, sockets and eventfds (8+
 * bytes) accept it too.  MAILSLOT_IOC_WRITE is accepted by a mailslot
 * client fd only (ENOTTY elsewhere, EBADF on a server), so one call both
 * proves the kind and writes; the kind is probed only to name a failure.
 * No per-process kind cache: see README.md, "Handle kinds on the hot paths".
 */
MSL_API BOOL WINAPI WriteFile(HANDLE hFile, LPCVOID lpBuffer, DWORD nNumberOfBytesToWrite,
			      LPDWORD lpNumberOfBytesWritten, LPOVERLAPPED lpOverlapped)
{
	struct mailslot_write w;
	int fd, n, err;

	if (lpNumberOfBytesWritten)
		*lpNumberOfBytesWritten = 0;
	fd = msl_handle_to_fd(hFile);
	if (fd < 0) {
		SetLastError(ERROR_INVALID_HANDLE);
		return FALSE;
	}
	memset(&w, 0, sizeof(w));
	w.buf = (uintptr_t)lpBuffer;
	w.len = nNumberOfBytesToWrite;
	n = ioctl(fd, MAILSLOT_IOC_WRITE, &w);
	err = n < 0 ? errno : 0;
	/* not a client (or closed under us): nothing was touched */
	if ((err == ENOTTY || err == EBADF) &&
	    !msl_check_kind(fd, MSL_KIND_CLIENT, ERROR_ACCESS_DENIED))
		return FALSE;
	if (err) {
		/* hEvent is reset only now: nothing is touched for a handle of
		 * the wrong kind, as with the old up-front check */
		if (lpOverlapped && msl_ov_event(lpOverlapped))
			ResetEvent(msl_ov_event(lpOverlapped));
		if (lpOverlapped) {
			lpOverlapped->Internal =
				msl_win32_to_status(msl_errno_to_win32(MSL_OP_WRITE, err));
			lpOverlapped->InternalHigh = 0;
		}
		msl_set_errno_error(MSL_OP_WRITE, err);
		return FALSE;
	}
	if (lpNumberOfBytesWritten)
		*lpNumberOfBytesWritten = (DWORD)n;
	if (lpOverlapped)	/* writes never pend: complete now (signalling the
				 * event; a reset before it would change nothing) */
		msl_ov_complete(lpOverlapped, MSL_STATUS_SUCCESS, (DWORD)n);
	return TRUE;
}
