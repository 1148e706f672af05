/* Compiled as C99, C11 (+UNICODE), C++98 and C++11 (+UNICODE) by host.mk:
 * every public header must be warning-free in each. */
#include <windows.h>
#include <tchar.h>
#include <strsafe.h>
#include <mailslot.h>
#include <stdio.h>

static LPCTSTR Name = TEXT("\\\\.\\mailslot\\hdr");

BOOL WINAPI Touch(LPCTSTR lpszName)
{
	OVERLAPPED ov;
	SECURITY_ATTRIBUTES sa;
	DWORD cb = 0, next = 0;
	HANDLE h = CreateMailslot(lpszName, 0, MAILSLOT_WAIT_FOREVER, (LPSECURITY_ATTRIBUTES)NULL);
	HANDLE c = CreateFile(lpszName, GENERIC_WRITE, FILE_SHARE_READ,
			      (LPSECURITY_ATTRIBUTES)NULL, OPEN_EXISTING,
			      FILE_ATTRIBUTE_NORMAL, (HANDLE)NULL);
	HANDLE e = CreateEvent(NULL, FALSE, FALSE, TEXT("ev"));
	LPTSTR buf = (LPTSTR)GlobalAlloc(GPTR, 64);
	TCHAR id[80];

	sa.nLength = sizeof(sa);
	sa.lpSecurityDescriptor = NULL;
	sa.bInheritHandle = TRUE;
	ov.Offset = 0;
	ov.OffsetHigh = 0;
	ov.hEvent = e;
	(void)sa;
#ifndef UNICODE
	StringCchPrintf((LPTSTR)id, 80, TEXT("\nMessage #%d of %d\n"), 1, 2);
	_tprintf(TEXT("%s\n"), id);
#else
	StringCchCopy(id, 80, TEXT("x"));
#endif
	StringCbCat(buf, 64, (LPTSTR)id);
	WriteFile(c, lpszName, (DWORD)(lstrlen(lpszName) + 1) * sizeof(TCHAR), &cb,
		  (LPOVERLAPPED)NULL);
	GetMailslotInfo(h, (LPDWORD)NULL, &next, (LPDWORD)NULL, (LPDWORD)NULL);
	if (!ReadFile(h, buf, 64, &cb, &ov) && GetLastError() == ERROR_IO_PENDING)
		GetOverlappedResult(h, &ov, &cb, TRUE);
	if (HasOverlappedIoCompleted(&ov))
		CancelIoEx(h, &ov);
	SetMailslotInfo(h, 0);
	WaitForSingleObject(e, INFINITE);
	GlobalFree((HGLOBAL)buf);
	Sleep(GetTickCount() & 1);
	printf("%d %d\n", (int)GetLastError(), mailslot_handle_fd(h));
	CloseHandle(e);
	CloseHandle(c);
	return CloseHandle(h);
}

int main(void)
{
	return Touch(Name) ? 0 : 1;
}
