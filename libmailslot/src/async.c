// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * Overlapped reads.  A read that cannot complete at once becomes a request
 * in one FIFO list, served by a single service thread that is started on
 * first use and then sleeps in ppoll(2) over a control eventfd plus the fds
 * of the pending requests, with the nearest deadline as its timeout.  When
 * a server fd polls readable the oldest request on it tries
 * MAILSLOT_IOC_READ with MAILSLOT_READ_NONBLOCK; EAGAIN means another reader
 * won and the request keeps waiting.  Completion writes Internal (an
 * NTSTATUS) and InternalHigh (bytes), then signals hEvent.  The list lock is
 * held while a request's buffer is written, so once CancelIo/CancelIoEx/
 * CloseHandle return, the request is finished and its buffer is untouched.
 */
#include "internal.h"

#include <fcntl.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/eventfd.h>
#include <sys/ioctl.h>
#include <time.h>
#include <unistd.h>

struct msl_req {
	struct msl_req *next;
	int fd;
	void *buf;
	DWORD len;
	OVERLAPPED *ov;
	uint64_t deadline;	/* CLOCK_MONOTONIC ns; UINT64_MAX = none */
	pthread_t thread;	/* issuer, for CancelIo */
};

static pthread_once_t msl_once = PTHREAD_ONCE_INIT;
static pthread_mutex_t msl_lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t msl_done;		/* CLOCK_MONOTONIC; broadcast on completion */
static struct msl_req *msl_head;
static int msl_ctl = -1;		/* eventfd that wakes the service thread */
static bool msl_running;
/* What the service thread is polling right now (valid while msl_in_poll). */
static const struct pollfd *msl_poll_set;
static size_t msl_poll_n;
static bool msl_in_poll;
static uint64_t msl_poll_gen;		/* bumped each time ppoll returns */

uint64_t msl_now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ULL + (uint64_t)ts.tv_nsec;
}

static void msl_ns_to_ts(uint64_t ns, struct timespec *ts)
{
	ts->tv_sec = (time_t)(ns / 1000000000ULL);
	ts->tv_nsec = (long)(ns % 1000000000ULL);
}

static void msl_cond_init(void)
{
	pthread_condattr_t a;

	pthread_condattr_init(&a);
	pthread_condattr_setclock(&a, CLOCK_MONOTONIC);
	pthread_cond_init(&msl_done, &a);
	pthread_condattr_destroy(&a);
}

static void msl_atfork_prepare(void)
{
	pthread_mutex_lock(&msl_lock);
}

static void msl_atfork_parent(void)
{
	pthread_mutex_unlock(&msl_lock);
}

/* The child has no service thread and none of the parent's requests. */
static void msl_atfork_child(void)
{
	struct msl_req *r, *next;

	for (r = msl_head; r; r = next) {
		next = r->next;
		free(r);
	}
	msl_head = NULL;
	if (msl_ctl >= 0)
		close(msl_ctl);
	msl_ctl = -1;
	msl_running = false;
	msl_in_poll = false;
	pthread_mutex_init(&msl_lock, NULL);
	msl_cond_init();
}

static void msl_init(void)
{
	msl_cond_init();
	pthread_atfork(msl_atfork_prepare, msl_atfork_parent, msl_atfork_child);
}

static void msl_wake(void)
{
	uint64_t one = 1;
	ssize_t n;

	if (msl_ctl >= 0)
		n = write(msl_ctl, &one, sizeof(one));
	(void)n;
}

void msl_ov_complete(OVERLAPPED *ov, DWORD status, DWORD bytes)
{
	HANDLE ev = msl_ov_event(ov);

	ov->InternalHigh = bytes;
	/* release: HasOverlappedIoCompleted() readers see InternalHigh first */
	__atomic_store_n(&ov->Internal, (ULONG_PTR)status, __ATOMIC_RELEASE);
	if (ev)
		SetEvent(ev);
}

/* Called with msl_lock held; unlinks and frees r. */
static void msl_finish(struct msl_req **link, DWORD status, DWORD bytes)
{
	struct msl_req *r = *link;

	*link = r->next;
	msl_ov_complete(r->ov, status, bytes);
	free(r);
	pthread_cond_broadcast(&msl_done);
}

/* Try one non-blocking read for *link; true if the request finished. */
static bool msl_try(struct msl_req **link, bool expired)
{
	struct msl_req *r = *link;
	struct mailslot_read rd;
	int ret;

	memset(&rd, 0, sizeof(rd));
	rd.buf = (uintptr_t)r->buf;
	rd.buf_len = r->len;
	rd.flags = MAILSLOT_READ_NONBLOCK;
	do
		ret = ioctl(r->fd, MAILSLOT_IOC_READ, &rd);
	while (ret < 0 && errno == EINTR);
	if (ret >= 0) {
		msl_finish(link, MSL_STATUS_SUCCESS, (DWORD)ret);
		return true;
	}
	if (errno == EAGAIN) {
		if (!expired)
			return false;
		msl_finish(link, MSL_STATUS_IO_TIMEOUT, 0);
		return true;
	}
	msl_finish(link, msl_win32_to_status(msl_errno_to_win32(MSL_OP_READ, errno)), 0);
	return true;
}

static void *msl_service(void *arg)
{
	struct pollfd *pfd = NULL;
	int *busy = NULL;	/* fds found empty this round */
	size_t cap = 0;

	(void)arg;
	pthread_mutex_lock(&msl_lock);
	for (;;) {
		struct msl_req *r, **link;
		uint64_t next = UINT64_MAX, now;
		struct timespec ts;
		size_t n = 1, i, nbusy = 0;
		int ret;

		for (r = msl_head; r; r = r->next)
			n++;
		if (n > cap) {
			struct pollfd *np = realloc(pfd, n * sizeof(*pfd));
			int *nb = realloc(busy, n * sizeof(*busy));

			if (np)
				pfd = np;
			if (nb)
				busy = nb;
			if (!np || !nb) {	/* retry shortly rather than spin */
				pthread_mutex_unlock(&msl_lock);
				usleep(10000);
				pthread_mutex_lock(&msl_lock);
				continue;
			}
			cap = n;
		}
		pfd[0].fd = msl_ctl;
		pfd[0].events = POLLIN;
		for (i = 1, r = msl_head; r; r = r->next, i++) {
			pfd[i].fd = r->fd;
			pfd[i].events = POLLIN;
			if (r->deadline < next)
				next = r->deadline;
		}
		msl_poll_set = pfd;
		msl_poll_n = n;
		msl_in_poll = true;
		pthread_mutex_unlock(&msl_lock);
		now = msl_now_ns();
		msl_ns_to_ts(next > now ? next - now : 0, &ts);
		ret = ppoll(pfd, n, next == UINT64_MAX ? NULL : &ts, NULL);
		pthread_mutex_lock(&msl_lock);
		msl_in_poll = false;
		msl_poll_gen++;
		pthread_cond_broadcast(&msl_done);
		if (ret < 0)
			continue;	/* EINTR; ENOMEM: rebuild and retry */
		if (pfd[0].revents & POLLIN) {
			uint64_t v;
			ssize_t rd = read(msl_ctl, &v, sizeof(v));

			(void)rd;
		}
		now = msl_now_ns();
		/* FIFO: the oldest request on a readable fd gets the message. */
		link = &msl_head;
		while ((r = *link)) {
			bool ready = false, expired = r->deadline <= now;

			for (i = 1; i < n; i++)
				if (pfd[i].fd == r->fd && pfd[i].revents) {
					ready = true;
					break;
				}
			for (i = 0; i < nbusy; i++)
				if (busy[i] == r->fd)
					ready = false;
			if ((ready || expired) && msl_try(link, expired))
				continue;
			if (ready && nbusy < cap)
				busy[nbusy++] = r->fd;
			link = &r->next;
		}
	}
	return NULL;
}

static bool msl_start_locked(void)
{
	sigset_t all, old;
	pthread_attr_t attr;
	pthread_t tid;
	int err;

	if (msl_running)
		return true;
	if (msl_ctl < 0) {
		msl_ctl = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
		if (msl_ctl < 0)
			return false;
	}
	/* The service thread takes no signals: handlers run in the caller's threads. */
	sigfillset(&all);
	pthread_sigmask(SIG_SETMASK, &all, &old);
	pthread_attr_init(&attr);
	pthread_attr_setdetachstate(&attr, PTHREAD_CREATE_DETACHED);
	pthread_attr_setstacksize(&attr, 64 * 1024);
	err = pthread_create(&tid, &attr, msl_service, NULL);
	pthread_attr_destroy(&attr);
	pthread_sigmask(SIG_SETMASK, &old, NULL);
	if (err) {
		errno = err;
		return false;
	}
	msl_running = true;
	return true;
}

BOOL msl_async_submit(int fd, void *buf, DWORD len, OVERLAPPED *ov, uint64_t deadline)
{
	struct msl_req *r, **link;

	pthread_once(&msl_once, msl_init);
	r = calloc(1, sizeof(*r));
	if (!r) {
		SetLastError(ERROR_NOT_ENOUGH_MEMORY);
		return FALSE;
	}
	r->fd = fd;
	r->buf = buf;
	r->len = len;
	r->ov = ov;
	r->deadline = deadline;
	r->thread = pthread_self();
	pthread_mutex_lock(&msl_lock);
	if (!msl_start_locked()) {
		int err = errno;

		pthread_mutex_unlock(&msl_lock);
		free(r);
		SetLastError(err == ENOMEM ? ERROR_NOT_ENOUGH_MEMORY : ERROR_NO_SYSTEM_RESOURCES);
		return FALSE;
	}
	ov->Internal = MSL_STATUS_PENDING;
	ov->InternalHigh = 0;
	for (link = &msl_head; *link; link = &(*link)->next)
		;
	*link = r;
	msl_wake();
	pthread_mutex_unlock(&msl_lock);
	SetLastError(ERROR_IO_PENDING);
	return FALSE;
}

/* Cancel matching requests; returns how many. */
static int msl_cancel(int fd, const OVERLAPPED *ov, bool this_thread)
{
	struct msl_req *r, **link;
	pthread_t self = pthread_self();
	int n = 0;

	pthread_once(&msl_once, msl_init);
	pthread_mutex_lock(&msl_lock);
	link = &msl_head;
	while ((r = *link)) {
		if (r->fd == fd && (!ov || r->ov == ov) &&
		    (!this_thread || pthread_equal(r->thread, self))) {
			msl_finish(link, MSL_STATUS_CANCELLED, 0);
			n++;
			continue;
		}
		link = &r->next;
	}
	if (n)
		msl_wake();
	pthread_mutex_unlock(&msl_lock);
	return n;
}

/*
 * Before CloseHandle closes fd: end its pending reads, and if the service
 * thread is inside ppoll() on it, wait until it has left.  ppoll holds a
 * reference to the file, so closing under it would delay the release of the
 * last server handle, and with it the mailslot's destruction.
 */
void msl_async_cancel_fd(int fd)
{
	size_t i;

	pthread_once(&msl_once, msl_init);
	msl_cancel(fd, NULL, false);
	pthread_mutex_lock(&msl_lock);
	while (msl_in_poll) {
		uint64_t gen = msl_poll_gen;

		for (i = 1; i < msl_poll_n; i++)
			if (msl_poll_set[i].fd == fd)
				break;
		if (i >= msl_poll_n)
			break;
		msl_wake();
		while (msl_poll_gen == gen)
			pthread_cond_wait(&msl_done, &msl_lock);
	}
	pthread_mutex_unlock(&msl_lock);
}

static int msl_valid_fd(HANDLE h)
{
	int fd = msl_handle_to_fd(h);

	if (fd < 0 || fcntl(fd, F_GETFD) < 0)
		return -1;
	return fd;
}

MSL_API BOOL WINAPI CancelIo(HANDLE hFile)
{
	int fd = msl_valid_fd(hFile);

	if (fd < 0) {
		SetLastError(ERROR_INVALID_HANDLE);
		return FALSE;
	}
	msl_cancel(fd, NULL, true);
	return TRUE;
}

MSL_API BOOL WINAPI CancelIoEx(HANDLE hFile, LPOVERLAPPED lpOverlapped)
{
	int fd = msl_valid_fd(hFile);

	if (fd < 0) {
		SetLastError(ERROR_INVALID_HANDLE);
		return FALSE;
	}
	if (!msl_cancel(fd, lpOverlapped, false)) {
		SetLastError(ERROR_NOT_FOUND);
		return FALSE;
	}
	return TRUE;
}

static bool msl_pending_ov(const OVERLAPPED *ov)
{
	struct msl_req *r;

	for (r = msl_head; r; r = r->next)
		if (r->ov == ov)
			return true;
	return false;
}

MSL_API BOOL WINAPI GetOverlappedResult(HANDLE hFile, LPOVERLAPPED lpOverlapped,
					LPDWORD lpNumberOfBytesTransferred, BOOL bWait)
{
	DWORD status, bytes;

	(void)hFile;
	if (!lpOverlapped) {
		SetLastError(ERROR_INVALID_PARAMETER);
		return FALSE;
	}
	pthread_once(&msl_once, msl_init);
	pthread_mutex_lock(&msl_lock);
	while (msl_pending_ov(lpOverlapped)) {
		if (!bWait) {
			pthread_mutex_unlock(&msl_lock);
			SetLastError(ERROR_IO_INCOMPLETE);
			return FALSE;
		}
		pthread_cond_wait(&msl_done, &msl_lock);
	}
	status = (DWORD)lpOverlapped->Internal;
	bytes = (DWORD)lpOverlapped->InternalHigh;
	pthread_mutex_unlock(&msl_lock);
	if (lpNumberOfBytesTransferred)
		*lpNumberOfBytesTransferred = bytes;
	if (status != MSL_STATUS_SUCCESS) {
		SetLastError(msl_status_to_win32(status));
		return FALSE;
	}
	return TRUE;
}

bool msl_async_wait_idle(int fd, uint64_t deadline)
{
	struct timespec ts;
	bool idle = true;

	pthread_once(&msl_once, msl_init);
	msl_ns_to_ts(deadline, &ts);
	pthread_mutex_lock(&msl_lock);
	for (;;) {
		struct msl_req *r;

		for (r = msl_head; r && r->fd != fd; r = r->next)
			;
		if (!r)
			break;
		if (deadline == UINT64_MAX) {
			pthread_cond_wait(&msl_done, &msl_lock);
		} else if (pthread_cond_timedwait(&msl_done, &msl_lock, &ts) == ETIMEDOUT) {
			for (r = msl_head; r && r->fd != fd; r = r->next)
				;
			idle = !r;
			break;
		}
	}
	pthread_mutex_unlock(&msl_lock);
	return idle;
}
