/*
 * create_slot.c - make a mailslot and report the result (libmailslot sample).
 *
 *   create_slot [\\.\mailslot\name]
 *
 * Written for libmailslot in the style of the Win32 "Creating a Mailslot"
 * example: it builds unchanged as a Windows program.
 */
#include <windows.h>
#include <stdio.h>

static LPCTSTR DefaultName = TEXT("\\\\.\\mailslot\\libmailslot_sample");

static HANDLE OpenServerSlot(LPCTSTR lpszName)
{
	HANDLE hSlot;

	hSlot = CreateMailslot(lpszName,
			       0,                             /* any message size */
			       MAILSLOT_WAIT_FOREVER,         /* reads wait for mail */
			       (LPSECURITY_ATTRIBUTES)NULL);  /* default security */
	if (hSlot == INVALID_HANDLE_VALUE) {
		printf("CreateMailslot failed with %d\n", (int)GetLastError());
		return INVALID_HANDLE_VALUE;
	}
	printf("Mailslot created successfully.\n");
	return hSlot;
}

int main(int argc, char **argv)
{
	HANDLE hSlot = OpenServerSlot(argc > 1 ? argv[1] : DefaultName);

	if (hSlot == INVALID_HANDLE_VALUE)
		return 1;
	CloseHandle(hSlot);	/* the slot disappears with its last handle */
	return 0;
}
