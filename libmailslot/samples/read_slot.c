/*
 * read_slot.c - create a mailslot and print what arrives (libmailslot sample).
 *
 *   read_slot [\\.\mailslot\name [messages-to-read [poll-ms]]]
 *
 * Written for libmailslot in the style of the Win32 "Reading from a Mailslot"
 * example: GetMailslotInfo tells whether mail is waiting, and each message
 * is read with an overlapped ReadFile that completes at once.  Without a
 * message count it runs until killed, like the original.
 */
#include <windows.h>
#include <stdio.h>
#include <stdlib.h>
#include <tchar.h>
#include <strsafe.h>

static LPCTSTR DefaultName = TEXT("\\\\.\\mailslot\\libmailslot_sample");
static HANDLE hSlot;
static DWORD cTotalRead;

static BOOL DrainSlot(void)
{
	DWORD cbNext = 0, cWaiting = 0, cbRead = 0, cBatch;
	TCHAR achHeader[80];
	LPTSTR lpszText;
	HANDLE hEvent;
	OVERLAPPED ov;
	BOOL fOk;

	hEvent = CreateEvent(NULL, FALSE, FALSE, TEXT("SampleSlotEvent"));
	if (hEvent == NULL)
		return FALSE;
	ov.Offset = 0;		/* Internal and InternalHigh are left alone */
	ov.OffsetHigh = 0;
	ov.hEvent = hEvent;

	fOk = GetMailslotInfo(hSlot, (LPDWORD)NULL, &cbNext, &cWaiting, (LPDWORD)NULL);
	if (!fOk) {
		printf("GetMailslotInfo failed with %d.\n", (int)GetLastError());
		CloseHandle(hEvent);
		return FALSE;
	}
	if (cbNext == MAILSLOT_NO_MESSAGE) {
		printf("Waiting for a message...\n");
		CloseHandle(hEvent);
		return TRUE;
	}
	cBatch = cWaiting;
	while (cWaiting != 0) {
		StringCchPrintf((LPTSTR)achHeader, 80, TEXT("\nMessage #%d of %d\n"),
				(int)(cBatch - cWaiting + 1), (int)cBatch);
		lpszText = (LPTSTR)GlobalAlloc(GPTR,
				lstrlen((LPTSTR)achHeader) * sizeof(TCHAR) + cbNext);
		if (lpszText == NULL) {
			CloseHandle(hEvent);
			return FALSE;
		}
		lpszText[0] = '\0';
		fOk = ReadFile(hSlot, lpszText, cbNext, &cbRead, &ov);
		if (!fOk) {
			printf("ReadFile failed with %d.\n", (int)GetLastError());
			GlobalFree((HGLOBAL)lpszText);
			CloseHandle(hEvent);
			return FALSE;
		}
		StringCbCat(lpszText, lstrlen((LPTSTR)achHeader) * sizeof(TCHAR) + cbNext,
			    (LPTSTR)achHeader);
		_tprintf(TEXT("Contents of the mailslot: %s\n"), lpszText);
		GlobalFree((HGLOBAL)lpszText);
		cTotalRead++;

		fOk = GetMailslotInfo(hSlot, (LPDWORD)NULL, &cbNext, &cWaiting, (LPDWORD)NULL);
		if (!fOk) {
			printf("GetMailslotInfo failed (%d)\n", (int)GetLastError());
			CloseHandle(hEvent);
			return FALSE;
		}
	}
	CloseHandle(hEvent);
	return TRUE;
}

int main(int argc, char **argv)
{
	LPCTSTR lpszName = argc > 1 ? argv[1] : DefaultName;
	DWORD cWanted = argc > 2 ? (DWORD)strtoul(argv[2], NULL, 10) : 0;
	DWORD dwPoll = argc > 3 ? (DWORD)strtoul(argv[3], NULL, 10) : 3000;

	hSlot = CreateMailslot(lpszName, 0, MAILSLOT_WAIT_FOREVER,
			       (LPSECURITY_ATTRIBUTES)NULL);
	if (hSlot == INVALID_HANDLE_VALUE) {
		printf("CreateMailslot failed with %d\n", (int)GetLastError());
		return 1;
	}
	printf("Mailslot created successfully.\n");
	fflush(stdout);
	while (cWanted == 0 || cTotalRead < cWanted) {
		if (!DrainSlot())
			return 1;
		fflush(stdout);
		if (cWanted == 0 || cTotalRead < cWanted)
			Sleep(dwPoll);
	}
	CloseHandle(hSlot);
	return 0;
}
