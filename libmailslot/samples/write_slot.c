/*
 * write_slot.c - post three messages to a mailslot (libmailslot sample).
 *
 *   write_slot [\\.\mailslot\name [pause-ms]]
 *
 * Written for libmailslot in the style of the Win32 "Writing to a Mailslot"
 * example.  Each WriteFile is one message; the terminating NUL is sent too,
 * so the reader can print the message as a string.
 */
#include <windows.h>
#include <stdio.h>
#include <stdlib.h>

static LPCTSTR DefaultName = TEXT("\\\\.\\mailslot\\libmailslot_sample");

static BOOL PostMessageToSlot(HANDLE hSlot, LPCTSTR lpszText)
{
	DWORD cbWritten = 0;
	BOOL fOk;

	fOk = WriteFile(hSlot, lpszText,
			(DWORD)(lstrlen(lpszText) + 1) * sizeof(TCHAR),
			&cbWritten, (LPOVERLAPPED)NULL);
	if (!fOk) {
		printf("WriteFile failed with %d.\n", (int)GetLastError());
		return FALSE;
	}
	printf("Posted %u bytes.\n", (unsigned int)cbWritten);
	return TRUE;
}

int main(int argc, char **argv)
{
	LPCTSTR lpszName = argc > 1 ? argv[1] : DefaultName;
	DWORD dwPause = argc > 2 ? (DWORD)strtoul(argv[2], NULL, 10) : 2000;
	HANDLE hFile;

	hFile = CreateFile(lpszName, GENERIC_WRITE, FILE_SHARE_READ,
			   (LPSECURITY_ATTRIBUTES)NULL, OPEN_EXISTING,
			   FILE_ATTRIBUTE_NORMAL, (HANDLE)NULL);
	if (hFile == INVALID_HANDLE_VALUE) {
		printf("CreateFile failed with %d.\n", (int)GetLastError());
		return 1;
	}
	PostMessageToSlot(hFile, TEXT("First note for the sample slot."));
	PostMessageToSlot(hFile, TEXT("Second note for the sample slot."));
	Sleep(dwPause);
	PostMessageToSlot(hFile, TEXT("Third and last note."));
	CloseHandle(hFile);
	return 0;
}
