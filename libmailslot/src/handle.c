// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * Handles are file descriptors: HANDLE value = fd * 4 + 4.  NULL (0) and
 * INVALID_HANDLE_VALUE (all bits set) therefore never decode to an fd,
 * values are multiples of 4 as on Windows, and a child that is given the
 * numeric value of an inherited handle can use it with no parent state.
 * The kind of an fd is probed when needed (readlink of /proc/self/fd/N,
 * with an ioctl/fstat fallback when /proc is not mounted) and never cached,
 * so no table can go stale across fork, exec, dup2 or close().  The probe is
 * slow; the mailslot I/O calls in mailslot.c use it only to choose the error
 * after their syscall failed (README.md, "Handle kinds on the hot paths").
 */
#include "internal.h"

#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <unistd.h>

int msl_handle_to_fd(HANDLE h)
{
	uintptr_t v = (uintptr_t)h;

	if (v < 4 || (v & 3) || (v - 4) / 4 > (uintptr_t)INT_MAX)
		return -1;
	return (int)((v - 4) / 4);
}

HANDLE msl_fd_to_handle(int fd)
{
	if (fd < 0)
		return INVALID_HANDLE_VALUE;
	return (HANDLE)((uintptr_t)fd * 4 + 4);
}

enum msl_kind msl_fd_kind(int fd)
{
	char path[64], link[64];
	struct mailslot_info info;
	struct stat st;
	ssize_t n;
	int fl;

	if (fd < 0)
		return MSL_KIND_BAD;
	fl = fcntl(fd, F_GETFL);
	if (fl < 0)
		return MSL_KIND_BAD;
	snprintf(path, sizeof(path), "/proc/self/fd/%d", fd);
	n = readlink(path, link, sizeof(link) - 1);
	if (n > 0) {
		link[n] = '\0';
		if (!strcmp(link, "anon_inode:[mailslot]"))
			return MSL_KIND_SERVER;
		if (!strcmp(link, "anon_inode:[mailslot-client]"))
			return MSL_KIND_CLIENT;
		if (!strcmp(link, "anon_inode:[eventfd]"))
			return MSL_KIND_EVENT;
		return MSL_KIND_OTHER;
	}
	/* No /proc: ask the fd itself. */
	if (ioctl(fd, MAILSLOT_IOC_GET_INFO, &info) == 0 || errno == EPIPE)
		return (fl & O_ACCMODE) == O_RDONLY ? MSL_KIND_SERVER : MSL_KIND_CLIENT;
	if (fstat(fd, &st) == 0 && (st.st_mode & S_IFMT) == 0)
		return MSL_KIND_EVENT;	/* an anonymous inode: our eventfd */
	return MSL_KIND_OTHER;
}

enum msl_kind msl_handle_kind(HANDLE h, int *fdp)
{
	int fd = msl_handle_to_fd(h);

	if (fdp)
		*fdp = fd;
	return msl_fd_kind(fd);
}

MSL_API int mailslot_handle_fd(void *handle)
{
	int fd = msl_handle_to_fd(handle);

	if (fd < 0)
		errno = EBADF;
	return fd;
}

MSL_API void *mailslot_fd_handle(int fd)
{
	return msl_fd_to_handle(fd);
}

MSL_API BOOL WINAPI CloseHandle(HANDLE hObject)
{
	int fd = msl_handle_to_fd(hObject);

	if (fd < 0 || fcntl(fd, F_GETFD) < 0) {
		SetLastError(ERROR_INVALID_HANDLE);
		return FALSE;
	}
	/* A pending overlapped read on this fd ends with ERROR_OPERATION_ABORTED. */
	msl_async_cancel_fd(fd);
	if (close(fd) < 0 && errno == EBADF) {
		SetLastError(ERROR_INVALID_HANDLE);
		return FALSE;
	}
	return TRUE;
}

MSL_API HANDLE WINAPI GetCurrentProcess(void)
{
	return (HANDLE)(LONG_PTR)-1;
}

MSL_API DWORD WINAPI GetCurrentProcessId(void)
{
	return (DWORD)getpid();
}

MSL_API BOOL WINAPI DuplicateHandle(HANDLE hSourceProcessHandle, HANDLE hSourceHandle,
				    HANDLE hTargetProcessHandle, LPHANDLE lpTargetHandle,
				    DWORD dwDesiredAccess, BOOL bInheritHandle, DWORD dwOptions)
{
	int fd = msl_handle_to_fd(hSourceHandle), nfd = -1, err = 0;

	(void)dwDesiredAccess;	/* a duplicate always has the source's access */
	if (hSourceProcessHandle != GetCurrentProcess() ||
	    hTargetProcessHandle != GetCurrentProcess()) {
		/* Only the current process is addressable: there are no process handles. */
		SetLastError(ERROR_INVALID_HANDLE);
		return FALSE;
	}
	if (fd < 0 || fcntl(fd, F_GETFD) < 0) {
		SetLastError(ERROR_INVALID_HANDLE);
		return FALSE;
	}
	if (lpTargetHandle) {
		nfd = fcntl(fd, bInheritHandle ? F_DUPFD : F_DUPFD_CLOEXEC, 0);
		if (nfd < 0)
			err = errno;
		else
			*lpTargetHandle = msl_fd_to_handle(nfd);
	} else if (!(dwOptions & DUPLICATE_CLOSE_SOURCE)) {
		SetLastError(ERROR_INVALID_PARAMETER);
		return FALSE;
	}
	if (dwOptions & DUPLICATE_CLOSE_SOURCE)
		CloseHandle(hSourceHandle);	/* closed even if the duplicate failed */
	if (err) {
		msl_set_errno_error(MSL_OP_ANY, err);
		return FALSE;
	}
	return TRUE;
}

MSL_API BOOL WINAPI GetHandleInformation(HANDLE hObject, LPDWORD lpdwFlags)
{
	int fd = msl_handle_to_fd(hObject);
	int fl = fd < 0 ? -1 : fcntl(fd, F_GETFD);

	if (fl < 0) {
		SetLastError(ERROR_INVALID_HANDLE);
		return FALSE;
	}
	if (!lpdwFlags) {
		SetLastError(ERROR_NOACCESS);
		return FALSE;
	}
	*lpdwFlags = (fl & FD_CLOEXEC) ? 0 : HANDLE_FLAG_INHERIT;
	return TRUE;
}

MSL_API BOOL WINAPI SetHandleInformation(HANDLE hObject, DWORD dwMask, DWORD dwFlags)
{
	int fd = msl_handle_to_fd(hObject);
	int fl = fd < 0 ? -1 : fcntl(fd, F_GETFD);

	if (fl < 0) {
		SetLastError(ERROR_INVALID_HANDLE);
		return FALSE;
	}
	if (dwMask & HANDLE_FLAG_INHERIT) {
		if (dwFlags & HANDLE_FLAG_INHERIT)
			fl &= ~FD_CLOEXEC;
		else
			fl |= FD_CLOEXEC;
		if (fcntl(fd, F_SETFD, fl) < 0) {
			msl_set_errno_error(MSL_OP_ANY, errno);
			return FALSE;
		}
	}
	if ((dwMask & HANDLE_FLAG_PROTECT_FROM_CLOSE) &&
	    (dwFlags & HANDLE_FLAG_PROTECT_FROM_CLOSE)) {
		SetLastError(ERROR_NOT_SUPPORTED);
		return FALSE;
	}
	return TRUE;
}
