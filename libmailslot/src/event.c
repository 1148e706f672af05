// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * Events are eventfds, so they survive fork/exec like every other handle.
 * Signalled = counter > 0.  An auto-reset wait consumes the signal with a
 * non-blocking read (one waiter wins; the others keep waiting); a manual-reset
 * wait only polls.  The kind is stored in the open file itself: manual-reset
 * events carry O_APPEND (meaningless for an eventfd), so an inherited handle
 * needs no parent state.
 */
#include "internal.h"

#include <fcntl.h>
#include <poll.h>
#include <string.h>
#include <sys/eventfd.h>
#include <time.h>
#include <unistd.h>

static HANDLE msl_event_create(const SECURITY_ATTRIBUTES *sa, BOOL manual, BOOL initial)
{
	int flags = EFD_NONBLOCK | ((sa && sa->bInheritHandle) ? 0 : EFD_CLOEXEC);
	int fd = eventfd(initial ? 1 : 0, flags);

	if (fd < 0) {
		msl_set_errno_error(MSL_OP_ANY, errno);
		return NULL;
	}
	if (manual && fcntl(fd, F_SETFL, O_NONBLOCK | O_APPEND) < 0) {
		msl_set_errno_error(MSL_OP_ANY, errno);
		close(fd);
		return NULL;
	}
	SetLastError(ERROR_SUCCESS);
	return msl_fd_to_handle(fd);
}

/* Names are accepted and ignored: every CreateEvent makes a new event. */
MSL_API HANDLE WINAPI CreateEventA(LPSECURITY_ATTRIBUTES lpEventAttributes, BOOL bManualReset,
				   BOOL bInitialState, LPCSTR lpName)
{
	(void)lpName;
	return msl_event_create(lpEventAttributes, bManualReset, bInitialState);
}

MSL_API HANDLE WINAPI CreateEventW(LPSECURITY_ATTRIBUTES lpEventAttributes, BOOL bManualReset,
				   BOOL bInitialState, LPCWSTR lpName)
{
	(void)lpName;
	return msl_event_create(lpEventAttributes, bManualReset, bInitialState);
}

static int msl_event_fd(HANDLE h)
{
	int fd;

	if (msl_handle_kind(h, &fd) != MSL_KIND_EVENT) {
		SetLastError(ERROR_INVALID_HANDLE);
		return -1;
	}
	return fd;
}

bool msl_event_set(int fd)
{
	uint64_t one = 1;
	ssize_t n = write(fd, &one, sizeof(one));

	return n == sizeof(one) || (n < 0 && errno == EAGAIN);	/* EAGAIN: saturated */
}

MSL_API BOOL WINAPI SetEvent(HANDLE hEvent)
{
	int fd = msl_event_fd(hEvent);

	if (fd < 0)
		return FALSE;
	if (!msl_event_set(fd)) {
		msl_set_errno_error(MSL_OP_ANY, errno);
		return FALSE;
	}
	return TRUE;
}

/* Take the signal of an auto-reset event; false if another waiter got it. */
static bool msl_event_consume(int fd)
{
	uint64_t v;

	return read(fd, &v, sizeof(v)) == sizeof(v);
}

MSL_API BOOL WINAPI ResetEvent(HANDLE hEvent)
{
	int fd = msl_event_fd(hEvent);

	if (fd < 0)
		return FALSE;
	msl_event_consume(fd);
	return TRUE;
}

/* ppoll() with the time left until deadline (UINT64_MAX = forever). */
static int msl_poll_until(struct pollfd *pfd, nfds_t n, uint64_t deadline)
{
	struct timespec ts;
	uint64_t now, left;

	if (deadline == UINT64_MAX)
		return ppoll(pfd, n, NULL, NULL);
	now = msl_now_ns();
	left = deadline > now ? deadline - now : 0;
	ts.tv_sec = (time_t)(left / 1000000000ULL);
	ts.tv_nsec = (long)(left % 1000000000ULL);
	return ppoll(pfd, n, &ts, NULL);
}

static DWORD msl_wait_events(DWORD n, const int *fd, const bool *manual, BOOL all,
			     DWORD ms)
{
	uint64_t deadline = ms == INFINITE ? UINT64_MAX : msl_now_ns() + (uint64_t)ms * 1000000ULL;
	struct pollfd pfd[MAXIMUM_WAIT_OBJECTS];
	DWORD i;

	for (;;) {
		nfds_t np = 0;
		int ret;

		if (all) {
			/* poll the events that are not signalled yet */
			for (i = 0; i < n; i++) {
				struct pollfd one = { .fd = fd[i], .events = POLLIN };

				if (poll(&one, 1, 0) == 1 && (one.revents & POLLIN))
					continue;
				pfd[np].fd = fd[i];
				pfd[np].events = POLLIN;
				pfd[np].revents = 0;
				np++;
			}
			if (np == 0) {
				/* all signalled: take the auto-reset ones, undo on a lost race */
				for (i = 0; i < n; i++)
					if (!manual[i] && !msl_event_consume(fd[i]))
						break;
				if (i == n)
					return WAIT_OBJECT_0;
				while (i-- > 0)
					if (!manual[i])
						msl_event_set(fd[i]);
				continue;
			}
		} else {
			for (i = 0; i < n; i++) {
				pfd[i].fd = fd[i];
				pfd[i].events = POLLIN;
				pfd[i].revents = 0;
			}
			np = n;
		}
		ret = msl_poll_until(pfd, np, deadline);
		if (ret < 0) {
			if (errno == EINTR)
				continue;
			msl_set_errno_error(MSL_OP_ANY, errno);
			return WAIT_FAILED;
		}
		if (ret == 0)
			return WAIT_TIMEOUT;
		if (all)
			continue;
		for (i = 0; i < n; i++) {
			if (pfd[i].revents & (POLLERR | POLLNVAL)) {
				SetLastError(ERROR_INVALID_HANDLE);
				return WAIT_FAILED;
			}
			if ((pfd[i].revents & POLLIN) && (manual[i] || msl_event_consume(fd[i])))
				return WAIT_OBJECT_0 + i;
		}
	}
}

static bool msl_event_is_manual(int fd)
{
	int fl = fcntl(fd, F_GETFL);

	return fl >= 0 && (fl & O_APPEND);
}

MSL_API DWORD WINAPI WaitForSingleObject(HANDLE hHandle, DWORD dwMilliseconds)
{
	int fd;
	bool manual;

	switch (msl_handle_kind(hHandle, &fd)) {
	case MSL_KIND_EVENT:
		manual = msl_event_is_manual(fd);
		return msl_wait_events(1, &fd, &manual, FALSE, dwMilliseconds);
	case MSL_KIND_SERVER:
		/* an NT file object: signalled unless an overlapped read is pending */
		return msl_async_wait_idle(fd, dwMilliseconds == INFINITE ? UINT64_MAX :
					   msl_now_ns() + (uint64_t)dwMilliseconds * 1000000ULL)
			? WAIT_OBJECT_0 : WAIT_TIMEOUT;
	case MSL_KIND_CLIENT:
		return WAIT_OBJECT_0;	/* client writes never pend */
	default:
		SetLastError(ERROR_INVALID_HANDLE);
		return WAIT_FAILED;
	}
}

MSL_API DWORD WINAPI WaitForMultipleObjects(DWORD nCount, const HANDLE *lpHandles,
					    BOOL bWaitAll, DWORD dwMilliseconds)
{
	int fd[MAXIMUM_WAIT_OBJECTS];
	bool manual[MAXIMUM_WAIT_OBJECTS];
	DWORD i;

	if (nCount == 0 || nCount > MAXIMUM_WAIT_OBJECTS || !lpHandles) {
		SetLastError(ERROR_INVALID_PARAMETER);
		return WAIT_FAILED;
	}
	for (i = 0; i < nCount; i++) {
		enum msl_kind k = msl_handle_kind(lpHandles[i], &fd[i]);

		if (k != MSL_KIND_EVENT) {
			/* only events can be combined in one wait */
			SetLastError(k == MSL_KIND_SERVER || k == MSL_KIND_CLIENT ?
				     ERROR_NOT_SUPPORTED : ERROR_INVALID_HANDLE);
			return WAIT_FAILED;
		}
		manual[i] = msl_event_is_manual(fd[i]);
	}
	return msl_wait_events(nCount, fd, manual, bWaitAll, dwMilliseconds);
}
