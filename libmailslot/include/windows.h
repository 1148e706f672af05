/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * windows.h - the subset of the Win32 API that libmailslot provides on Linux.
 *
 * This is NOT a general windows.h: it declares mailslots, the file-handle
 * calls that work on them, events and waits, overlapped results, and the
 * few helpers Microsoft's mailslot samples use.  It installs into its own
 * include directory (pkg-config --cflags libmailslot), never into the
 * system include path.
 *
 * Differences from Windows that matter when porting:
 *  - DWORD, LONG, ULONG are 32-bit, as on Windows (LLP64 rules).
 *  - WCHAR is a 16-bit UTF-16 unit; L"..." literals are 32-bit wchar_t on
 *    Linux, so use TEXT("...") or u"..." for wide strings.
 *  - "A" functions take UTF-8 strings.
 *  - A HANDLE is a file descriptor in disguise: mailslot_handle_fd() in
 *    <mailslot.h> gives the fd back.
 */
#ifndef LIBMAILSLOT_WINDOWS_H
#define LIBMAILSLOT_WINDOWS_H

#include <stddef.h>
#include <stdint.h>

#if defined(UNICODE) && !defined(_UNICODE)
#define _UNICODE
#endif
#if defined(_UNICODE) && !defined(UNICODE)
#define UNICODE
#endif

#ifdef __cplusplus
extern "C" {
#endif

#if defined(__GNUC__) || defined(__clang__)
#define WINBASEAPI __attribute__((visibility("default")))
#else
#define WINBASEAPI
#endif

#define WINAPI
#define APIENTRY
#define CALLBACK
#define WINAPIV
#ifndef VOID
#define VOID void
#endif
#define CONST const
#ifndef IN
#define IN
#endif
#ifndef OUT
#define OUT
#endif
#ifndef OPTIONAL
#define OPTIONAL
#endif

/* ---- basic types (LLP64 sizes) ---- */
typedef int BOOL;
typedef unsigned char BYTE, BOOLEAN, UCHAR;
typedef unsigned short WORD, USHORT;
typedef short SHORT;
typedef unsigned int DWORD, UINT, ULONG;
typedef int INT, LONG;
typedef char CHAR;
typedef long long LONGLONG;
typedef unsigned long long ULONGLONG, DWORD64, DWORDLONG;
typedef intptr_t INT_PTR, LONG_PTR;
typedef uintptr_t UINT_PTR, ULONG_PTR, DWORD_PTR, SIZE_T;
typedef void *PVOID, *LPVOID, *HANDLE, *HGLOBAL, *HLOCAL;
typedef const void *LPCVOID;
typedef HANDLE *PHANDLE, *LPHANDLE;
typedef BOOL *PBOOL, *LPBOOL;
typedef BYTE *PBYTE, *LPBYTE;
typedef DWORD *PDWORD, *LPDWORD;
typedef LONG *PLONG, *LPLONG;
typedef LONG HRESULT;

#if defined(__cplusplus) && __cplusplus >= 201103L
typedef char16_t WCHAR;
#else
typedef unsigned short WCHAR;	/* same type as C11 char16_t */
#endif
typedef CHAR *PSTR, *LPSTR;
typedef const CHAR *PCSTR, *LPCSTR;
typedef WCHAR *PWSTR, *LPWSTR;
typedef const WCHAR *PCWSTR, *LPCWSTR;

#ifdef UNICODE
typedef WCHAR TCHAR;
#define __TEXT(quote) u##quote
#else
typedef char TCHAR;
#define __TEXT(quote) quote
#endif
#define TEXT(quote) __TEXT(quote)
typedef TCHAR *PTSTR, *LPTSTR;
typedef const TCHAR *PCTSTR, *LPCTSTR;

#ifndef NULL
#define NULL ((void *)0)
#endif
#ifndef FALSE
#define FALSE 0
#endif
#ifndef TRUE
#define TRUE 1
#endif

#define MAX_PATH 260
#define INVALID_HANDLE_VALUE ((HANDLE)(LONG_PTR)-1)

typedef struct _SECURITY_ATTRIBUTES {
	DWORD nLength;
	LPVOID lpSecurityDescriptor;
	BOOL bInheritHandle;
} SECURITY_ATTRIBUTES, *PSECURITY_ATTRIBUTES, *LPSECURITY_ATTRIBUTES;

typedef struct _OVERLAPPED {
	ULONG_PTR Internal;	/* status (NTSTATUS) once complete */
	ULONG_PTR InternalHigh;	/* bytes transferred */
	__extension__ union {
		__extension__ struct {
			DWORD Offset;
			DWORD OffsetHigh;
		};
		PVOID Pointer;
	};
	HANDLE hEvent;
} OVERLAPPED, *LPOVERLAPPED;

/* ---- status values seen in OVERLAPPED.Internal ---- */
#define STATUS_WAIT_0		((DWORD)0x00000000L)
#define STATUS_PENDING		((DWORD)0x00000103L)
#define HasOverlappedIoCompleted(lpOverlapped) \
	(((DWORD)(lpOverlapped)->Internal) != STATUS_PENDING)

/* ---- access, share, disposition, flags ---- */
#define GENERIC_READ		0x80000000U
#define GENERIC_WRITE		0x40000000U
#define GENERIC_EXECUTE		0x20000000U
#define GENERIC_ALL		0x10000000U
#define SYNCHRONIZE		0x00100000U
#define FILE_SHARE_READ		0x00000001U
#define FILE_SHARE_WRITE	0x00000002U
#define FILE_SHARE_DELETE	0x00000004U
#define CREATE_NEW		1
#define CREATE_ALWAYS		2
#define OPEN_EXISTING		3
#define OPEN_ALWAYS		4
#define TRUNCATE_EXISTING	5
#define FILE_ATTRIBUTE_NORMAL	0x00000080U
#define FILE_FLAG_WRITE_THROUGH	0x80000000U
#define FILE_FLAG_OVERLAPPED	0x40000000U

/* ---- mailslots ---- */
#ifndef MAILSLOT_NO_MESSAGE
#define MAILSLOT_NO_MESSAGE	0xFFFFFFFFU	/* ((DWORD)-1) */
#endif
#ifndef MAILSLOT_WAIT_FOREVER
#define MAILSLOT_WAIT_FOREVER	0xFFFFFFFFU	/* ((DWORD)-1) */
#endif

/* ---- waits ---- */
#define INFINITE		0xFFFFFFFFU
#define WAIT_OBJECT_0		((DWORD)0x00000000L)
#define WAIT_ABANDONED		((DWORD)0x00000080L)
#define WAIT_ABANDONED_0	WAIT_ABANDONED
#define WAIT_IO_COMPLETION	((DWORD)0x000000C0L)
#define WAIT_TIMEOUT		((DWORD)0x00000102L)
#define WAIT_FAILED		((DWORD)0xFFFFFFFFL)
#define MAXIMUM_WAIT_OBJECTS	64

/* ---- handles ---- */
#define DUPLICATE_CLOSE_SOURCE		0x00000001U
#define DUPLICATE_SAME_ACCESS		0x00000002U
#define HANDLE_FLAG_INHERIT		0x00000001U
#define HANDLE_FLAG_PROTECT_FROM_CLOSE	0x00000002U

/* ---- memory ---- */
#define GMEM_FIXED	0x0000U
#define GMEM_MOVEABLE	0x0002U
#define GMEM_ZEROINIT	0x0040U
#define GPTR		(GMEM_FIXED | GMEM_ZEROINIT)
#define GHND		(GMEM_MOVEABLE | GMEM_ZEROINIT)
#define LMEM_FIXED	0x0000U
#define LMEM_MOVEABLE	0x0002U
#define LMEM_ZEROINIT	0x0040U
#define LPTR		(LMEM_FIXED | LMEM_ZEROINIT)
#define LHND		(LMEM_MOVEABLE | LMEM_ZEROINIT)

/* ---- HRESULT ---- */
#define S_OK		((HRESULT)0L)
#define S_FALSE		((HRESULT)1L)
#define SUCCEEDED(hr)	(((HRESULT)(hr)) >= 0)
#define FAILED(hr)	(((HRESULT)(hr)) < 0)

/* ---- error codes (winerror.h values) ---- */
#define ERROR_SUCCESS			0L
#define NO_ERROR			0L
#define ERROR_INVALID_FUNCTION		1L
#define ERROR_FILE_NOT_FOUND		2L
#define ERROR_PATH_NOT_FOUND		3L
#define ERROR_TOO_MANY_OPEN_FILES	4L
#define ERROR_ACCESS_DENIED		5L
#define ERROR_INVALID_HANDLE		6L
#define ERROR_NOT_ENOUGH_MEMORY		8L
#define ERROR_OUTOFMEMORY		14L
#define ERROR_GEN_FAILURE		31L
#define ERROR_SHARING_VIOLATION		32L
#define ERROR_HANDLE_EOF		38L
#define ERROR_NOT_SUPPORTED		50L
#define ERROR_BAD_NETPATH		53L
#define ERROR_UNEXP_NET_ERR		59L
#define ERROR_INVALID_PARAMETER		87L
#define ERROR_BROKEN_PIPE		109L
#define ERROR_SEM_TIMEOUT		121L
#define ERROR_INSUFFICIENT_BUFFER	122L
#define ERROR_INVALID_NAME		123L
#define ERROR_BAD_PATHNAME		161L
#define ERROR_ALREADY_EXISTS		183L
#define ERROR_FILENAME_EXCED_RANGE	206L
#define ERROR_MORE_DATA			234L
#define ERROR_OPERATION_ABORTED		995L
#define ERROR_IO_INCOMPLETE		996L
#define ERROR_IO_PENDING		997L
#define ERROR_NOACCESS			998L
#define ERROR_NOT_FOUND			1168L
#define ERROR_NO_UNICODE_TRANSLATION	1113L
#define ERROR_NO_SYSTEM_RESOURCES	1450L
#define ERROR_NOT_ENOUGH_QUOTA		1816L

/* ---- mailslots ---- */
WINBASEAPI HANDLE WINAPI CreateMailslotA(LPCSTR lpName, DWORD nMaxMessageSize,
	DWORD lReadTimeout, LPSECURITY_ATTRIBUTES lpSecurityAttributes);
WINBASEAPI HANDLE WINAPI CreateMailslotW(LPCWSTR lpName, DWORD nMaxMessageSize,
	DWORD lReadTimeout, LPSECURITY_ATTRIBUTES lpSecurityAttributes);
WINBASEAPI BOOL WINAPI GetMailslotInfo(HANDLE hMailslot, LPDWORD lpMaxMessageSize,
	LPDWORD lpNextSize, LPDWORD lpMessageCount, LPDWORD lpReadTimeout);
WINBASEAPI BOOL WINAPI SetMailslotInfo(HANDLE hMailslot, DWORD lReadTimeout);

/* ---- files (mailslot names only) ---- */
WINBASEAPI HANDLE WINAPI CreateFileA(LPCSTR lpFileName, DWORD dwDesiredAccess,
	DWORD dwShareMode, LPSECURITY_ATTRIBUTES lpSecurityAttributes,
	DWORD dwCreationDisposition, DWORD dwFlagsAndAttributes, HANDLE hTemplateFile);
WINBASEAPI HANDLE WINAPI CreateFileW(LPCWSTR lpFileName, DWORD dwDesiredAccess,
	DWORD dwShareMode, LPSECURITY_ATTRIBUTES lpSecurityAttributes,
	DWORD dwCreationDisposition, DWORD dwFlagsAndAttributes, HANDLE hTemplateFile);
WINBASEAPI BOOL WINAPI ReadFile(HANDLE hFile, LPVOID lpBuffer, DWORD nNumberOfBytesToRead,
	LPDWORD lpNumberOfBytesRead, LPOVERLAPPED lpOverlapped);
WINBASEAPI BOOL WINAPI WriteFile(HANDLE hFile, LPCVOID lpBuffer, DWORD nNumberOfBytesToWrite,
	LPDWORD lpNumberOfBytesWritten, LPOVERLAPPED lpOverlapped);
WINBASEAPI BOOL WINAPI GetOverlappedResult(HANDLE hFile, LPOVERLAPPED lpOverlapped,
	LPDWORD lpNumberOfBytesTransferred, BOOL bWait);
WINBASEAPI BOOL WINAPI CancelIo(HANDLE hFile);
WINBASEAPI BOOL WINAPI CancelIoEx(HANDLE hFile, LPOVERLAPPED lpOverlapped);

/* ---- handles ---- */
WINBASEAPI BOOL WINAPI CloseHandle(HANDLE hObject);
WINBASEAPI BOOL WINAPI DuplicateHandle(HANDLE hSourceProcessHandle, HANDLE hSourceHandle,
	HANDLE hTargetProcessHandle, LPHANDLE lpTargetHandle, DWORD dwDesiredAccess,
	BOOL bInheritHandle, DWORD dwOptions);
WINBASEAPI BOOL WINAPI GetHandleInformation(HANDLE hObject, LPDWORD lpdwFlags);
WINBASEAPI BOOL WINAPI SetHandleInformation(HANDLE hObject, DWORD dwMask, DWORD dwFlags);
WINBASEAPI HANDLE WINAPI GetCurrentProcess(void);
WINBASEAPI DWORD WINAPI GetCurrentProcessId(void);

/* ---- errors ---- */
WINBASEAPI DWORD WINAPI GetLastError(void);
WINBASEAPI void WINAPI SetLastError(DWORD dwErrCode);

/* ---- events and waits ---- */
WINBASEAPI HANDLE WINAPI CreateEventA(LPSECURITY_ATTRIBUTES lpEventAttributes,
	BOOL bManualReset, BOOL bInitialState, LPCSTR lpName);
WINBASEAPI HANDLE WINAPI CreateEventW(LPSECURITY_ATTRIBUTES lpEventAttributes,
	BOOL bManualReset, BOOL bInitialState, LPCWSTR lpName);
WINBASEAPI BOOL WINAPI SetEvent(HANDLE hEvent);
WINBASEAPI BOOL WINAPI ResetEvent(HANDLE hEvent);
WINBASEAPI DWORD WINAPI WaitForSingleObject(HANDLE hHandle, DWORD dwMilliseconds);
WINBASEAPI DWORD WINAPI WaitForMultipleObjects(DWORD nCount, const HANDLE *lpHandles,
	BOOL bWaitAll, DWORD dwMilliseconds);

/* ---- time ---- */
WINBASEAPI void WINAPI Sleep(DWORD dwMilliseconds);
WINBASEAPI DWORD WINAPI GetTickCount(void);
WINBASEAPI ULONGLONG WINAPI GetTickCount64(void);

/* ---- memory ---- */
WINBASEAPI HGLOBAL WINAPI GlobalAlloc(UINT uFlags, SIZE_T dwBytes);
WINBASEAPI HGLOBAL WINAPI GlobalFree(HGLOBAL hMem);
WINBASEAPI HLOCAL WINAPI LocalAlloc(UINT uFlags, SIZE_T uBytes);
WINBASEAPI HLOCAL WINAPI LocalFree(HLOCAL hMem);

/* ---- strings ---- */
WINBASEAPI int WINAPI lstrlenA(LPCSTR lpString);
WINBASEAPI int WINAPI lstrlenW(LPCWSTR lpString);
WINBASEAPI LPSTR WINAPI lstrcpyA(LPSTR lpString1, LPCSTR lpString2);
WINBASEAPI LPWSTR WINAPI lstrcpyW(LPWSTR lpString1, LPCWSTR lpString2);
WINBASEAPI LPSTR WINAPI lstrcatA(LPSTR lpString1, LPCSTR lpString2);
WINBASEAPI LPWSTR WINAPI lstrcatW(LPWSTR lpString1, LPCWSTR lpString2);

#ifdef UNICODE
#define CreateMailslot	CreateMailslotW
#define CreateFile	CreateFileW
#define CreateEvent	CreateEventW
#define lstrlen		lstrlenW
#define lstrcpy		lstrcpyW
#define lstrcat		lstrcatW
#else
#define CreateMailslot	CreateMailslotA
#define CreateFile	CreateFileA
#define CreateEvent	CreateEventA
#define lstrlen		lstrlenA
#define lstrcpy		lstrcpyA
#define lstrcat		lstrcatA
#endif

#ifdef __cplusplus
}
#endif

#endif /* LIBMAILSLOT_WINDOWS_H */
