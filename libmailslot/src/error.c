// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * The one errno -> Win32 error table, and the per-thread last error.
 * Rows are looked up by (operation, errno) first, then (MSL_OP_ANY, errno);
 * anything unlisted becomes ERROR_GEN_FAILURE.
 */
#include "internal.h"

static __thread DWORD msl_last_error;

MSL_API DWORD WINAPI GetLastError(void)
{
	return msl_last_error;
}

MSL_API void WINAPI SetLastError(DWORD dwErrCode)
{
	msl_last_error = dwErrCode;
}

static const struct {
	enum msl_op op;
	int err;
	DWORD win32;
} msl_errtab[] = {
	/* CreateMailslot: /dev/mailslot + MAILSLOT_IOC_CREATE */
	{ MSL_OP_CREATE,  ENOENT,	ERROR_NOT_SUPPORTED },	/* no /dev/mailslot */
	{ MSL_OP_CREATE,  ENODEV,	ERROR_NOT_SUPPORTED },
	{ MSL_OP_CREATE,  ENXIO,	ERROR_NOT_SUPPORTED },
	{ MSL_OP_CREATE,  EINVAL,	ERROR_INVALID_NAME },
	{ MSL_OP_CREATE,  EEXIST,	ERROR_ALREADY_EXISTS },
	{ MSL_OP_CREATE,  ENOSPC,	ERROR_NO_SYSTEM_RESOURCES },
	/* CreateFile: /dev/mailslot + MAILSLOT_IOC_OPEN */
	{ MSL_OP_OPEN,    ENOENT,	ERROR_FILE_NOT_FOUND },
	{ MSL_OP_OPEN,    ENODEV,	ERROR_FILE_NOT_FOUND },
	{ MSL_OP_OPEN,    ENXIO,	ERROR_FILE_NOT_FOUND },
	{ MSL_OP_OPEN,    EINVAL,	ERROR_INVALID_NAME },
	{ MSL_OP_OPEN,    EACCES,	ERROR_ACCESS_DENIED },
	/* ReadFile: MAILSLOT_IOC_READ */
	{ MSL_OP_READ,    ETIMEDOUT,	ERROR_SEM_TIMEOUT },
	{ MSL_OP_READ,    EAGAIN,	ERROR_SEM_TIMEOUT },
	{ MSL_OP_READ,    EMSGSIZE,	ERROR_INSUFFICIENT_BUFFER },
	{ MSL_OP_READ,    EBADF,	ERROR_INVALID_PARAMETER },	/* client handle */
	{ MSL_OP_READ,    ENOTTY,	ERROR_INVALID_HANDLE },
	{ MSL_OP_READ,    EINTR,	ERROR_OPERATION_ABORTED },
	/* WriteFile: write(2) */
	{ MSL_OP_WRITE,   EBADF,	ERROR_ACCESS_DENIED },	/* server handle */
	{ MSL_OP_WRITE,   EMSGSIZE,	ERROR_INVALID_PARAMETER },	/* > nMaxMessageSize */
	{ MSL_OP_WRITE,   EINVAL,	ERROR_INVALID_HANDLE },
	/* GetMailslotInfo / SetMailslotInfo */
	{ MSL_OP_INFO,    ENOTTY,	ERROR_INVALID_HANDLE },
	{ MSL_OP_INFO,    EINVAL,	ERROR_INVALID_HANDLE },
	{ MSL_OP_SETINFO, EBADF,	ERROR_ACCESS_DENIED },	/* client handle */
	{ MSL_OP_SETINFO, ENOTTY,	ERROR_INVALID_HANDLE },
	{ MSL_OP_SETINFO, EINVAL,	ERROR_INVALID_HANDLE },
	/* everything */
	{ MSL_OP_ANY,     0,		ERROR_SUCCESS },
	{ MSL_OP_ANY,     ENOENT,	ERROR_FILE_NOT_FOUND },
	{ MSL_OP_ANY,     EEXIST,	ERROR_ALREADY_EXISTS },
	{ MSL_OP_ANY,     EBADF,	ERROR_INVALID_HANDLE },
	{ MSL_OP_ANY,     ENOTTY,	ERROR_INVALID_HANDLE },
	{ MSL_OP_ANY,     EACCES,	ERROR_ACCESS_DENIED },
	{ MSL_OP_ANY,     EPERM,	ERROR_ACCESS_DENIED },
	{ MSL_OP_ANY,     EINVAL,	ERROR_INVALID_PARAMETER },
	{ MSL_OP_ANY,     EFAULT,	ERROR_NOACCESS },
	{ MSL_OP_ANY,     ENAMETOOLONG,	ERROR_FILENAME_EXCED_RANGE },
	{ MSL_OP_ANY,     ENOMEM,	ERROR_NOT_ENOUGH_MEMORY },
	{ MSL_OP_ANY,     ENOBUFS,	ERROR_NOT_ENOUGH_QUOTA },	/* slot_max_bytes */
	{ MSL_OP_ANY,     EDQUOT,	ERROR_NOT_ENOUGH_QUOTA },	/* user_max_bytes */
	{ MSL_OP_ANY,     ENOSPC,	ERROR_NO_SYSTEM_RESOURCES },
	{ MSL_OP_ANY,     EMFILE,	ERROR_TOO_MANY_OPEN_FILES },
	{ MSL_OP_ANY,     ENFILE,	ERROR_TOO_MANY_OPEN_FILES },
	{ MSL_OP_ANY,     EPIPE,	ERROR_BROKEN_PIPE },	/* slot destroyed */
	{ MSL_OP_ANY,     ETIMEDOUT,	ERROR_SEM_TIMEOUT },
	{ MSL_OP_ANY,     EAGAIN,	ERROR_SEM_TIMEOUT },
	{ MSL_OP_ANY,     EMSGSIZE,	ERROR_INVALID_PARAMETER },
	{ MSL_OP_ANY,     EINTR,	ERROR_OPERATION_ABORTED },
	{ MSL_OP_ANY,     ECANCELED,	ERROR_OPERATION_ABORTED },
	{ MSL_OP_ANY,     ENOSYS,	ERROR_NOT_SUPPORTED },
	{ MSL_OP_ANY,     EOPNOTSUPP,	ERROR_NOT_SUPPORTED },
};

DWORD msl_errno_to_win32(enum msl_op op, int err)
{
	size_t i;

	for (i = 0; i < sizeof(msl_errtab) / sizeof(msl_errtab[0]); i++)
		if (msl_errtab[i].op == op && msl_errtab[i].err == err)
			return msl_errtab[i].win32;
	for (i = 0; i < sizeof(msl_errtab) / sizeof(msl_errtab[0]); i++)
		if (msl_errtab[i].op == MSL_OP_ANY && msl_errtab[i].err == err)
			return msl_errtab[i].win32;
	return ERROR_GEN_FAILURE;
}

void msl_set_errno_error(enum msl_op op, int err)
{
	SetLastError(msl_errno_to_win32(op, err));
}

/* OVERLAPPED.Internal carries an NTSTATUS, as on Windows. */
static const struct {
	DWORD status;
	DWORD win32;
} msl_stattab[] = {
	{ MSL_STATUS_SUCCESS,		ERROR_SUCCESS },
	{ MSL_STATUS_PENDING,		ERROR_IO_PENDING },
	{ MSL_STATUS_IO_TIMEOUT,	ERROR_SEM_TIMEOUT },
	{ MSL_STATUS_BUFFER_TOO_SMALL,	ERROR_INSUFFICIENT_BUFFER },
	{ MSL_STATUS_CANCELLED,		ERROR_OPERATION_ABORTED },
	{ MSL_STATUS_INVALID_HANDLE,	ERROR_INVALID_HANDLE },
	{ MSL_STATUS_INVALID_PARAMETER,	ERROR_INVALID_PARAMETER },
	{ MSL_STATUS_ACCESS_VIOLATION,	ERROR_NOACCESS },
};

DWORD msl_win32_to_status(DWORD err)
{
	size_t i;

	for (i = 0; i < sizeof(msl_stattab) / sizeof(msl_stattab[0]); i++)
		if (msl_stattab[i].win32 == err)
			return msl_stattab[i].status;
	return MSL_STATUS_FROM_WIN32(err);
}

DWORD msl_status_to_win32(DWORD status)
{
	size_t i;

	for (i = 0; i < sizeof(msl_stattab) / sizeof(msl_stattab[0]); i++)
		if (msl_stattab[i].status == status)
			return msl_stattab[i].win32;
	if ((status & 0xFFFF0000U) == 0xC0070000U)
		return status & 0xFFFFU;
	return ERROR_GEN_FAILURE;
}
