// SPDX-License-Identifier: GPL-2.0
/*
 * mailslot-demo - a tour of the raw /dev/mailslot uapi.
 *
 * Creates the slot "demo\hello" (\\.\mailslot\demo\hello), forks a child
 * that opens a writer and sends three messages, one of them empty, and
 * reads them back in the parent, oldest first, printing GET_INFO figures
 * in between.  Build: cc -I uapi -o mailslot-demo tools/mailslot-demo.c
 */
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <linux/mailslot.h>

#define SLOT_NAME "demo\\hello"

static void die(const char *what)
{
	fprintf(stderr, "mailslot-demo: %s: %s\n", what, strerror(errno));
	exit(1);
}

static void show_info(int fd, const char *when)
{
	struct mailslot_info info;

	memset(&info, 0, sizeof(info));
	if (ioctl(fd, MAILSLOT_IOC_GET_INFO, &info) < 0)
		die("MAILSLOT_IOC_GET_INFO");
	printf("%s: %u message(s), %llu byte(s) queued, ", when,
	       info.msg_count, (unsigned long long)info.queued_bytes);
	if (info.next_size == MAILSLOT_NO_MESSAGE)
		printf("no next message");
	else
		printf("next message is %u byte(s)", info.next_size);
	printf(", max message size %u, read timeout ", info.max_msg_size);
	if (info.read_timeout_ms == MAILSLOT_WAIT_FOREVER)
		printf("forever\n");
	else
		printf("%u ms\n", info.read_timeout_ms);
}

static int writer(int dev)
{
	static const char *const msgs[] = { "hello, mailslot", "", "goodbye" };
	struct mailslot_open op;
	unsigned int i;
	int fd;

	memset(&op, 0, sizeof(op));
	op.name = (uintptr_t)SLOT_NAME;
	op.name_len = strlen(SLOT_NAME);
	op.flags = MAILSLOT_F_CLOEXEC;
	fd = ioctl(dev, MAILSLOT_IOC_OPEN, &op);
	if (fd < 0)
		die("MAILSLOT_IOC_OPEN");
	printf("child %d opened a writer (client fd %d)\n", (int)getpid(), fd);
	for (i = 0; i < sizeof(msgs) / sizeof(msgs[0]); i++) {
		size_t len = strlen(msgs[i]);
		ssize_t n = write(fd, msgs[i], len);

		if (n < 0)
			die("write");
		printf("child wrote message %u: %zd byte(s) \"%s\"\n", i + 1, n, msgs[i]);
	}
	fflush(stdout);
	close(fd);
	return 0;
}

int main(void)
{
	struct mailslot_create cr;
	char buf[256];
	int dev, srv, status, i;
	pid_t pid;

	setvbuf(stdout, NULL, _IOLBF, 0);
	dev = open("/dev/mailslot", O_RDWR | O_CLOEXEC);
	if (dev < 0)
		die("open /dev/mailslot (is the module loaded?)");

	memset(&cr, 0, sizeof(cr));
	cr.name = (uintptr_t)SLOT_NAME;
	cr.name_len = strlen(SLOT_NAME);
	cr.max_msg_size = 0;			/* module limit only */
	cr.read_timeout_ms = 2000;
	cr.flags = MAILSLOT_F_CLOEXEC;
	cr.mode = MAILSLOT_MODE_OWNER;
	srv = ioctl(dev, MAILSLOT_IOC_CREATE, &cr);
	if (srv < 0)
		die("MAILSLOT_IOC_CREATE");
	printf("created mailslot \\\\.\\mailslot\\%s (server fd %d)\n", SLOT_NAME, srv);
	show_info(srv, "before writing");

	fflush(stdout);
	pid = fork();
	if (pid < 0)
		die("fork");
	if (pid == 0) {
		close(srv);
		_exit(writer(dev));
	}
	if (waitpid(pid, &status, 0) < 0)
		die("waitpid");
	if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
		fprintf(stderr, "mailslot-demo: the writer failed\n");
		return 1;
	}
	printf("child %d exited\n", (int)pid);
	show_info(srv, "after writing");

	for (i = 1; i <= 3; i++) {
		ssize_t n = read(srv, buf, sizeof(buf) - 1);

		if (n < 0)
			die("read");
		buf[n] = '\0';
		printf("read message %d: %zd byte(s) \"%s\"\n", i, n, buf);
		show_info(srv, "now");
	}

	/* MAILSLOT_IOC_READ with READ_NONBLOCK on the empty queue: EAGAIN. */
	{
		struct mailslot_read rd;

		memset(&rd, 0, sizeof(rd));
		rd.buf = (uintptr_t)buf;
		rd.buf_len = sizeof(buf);
		rd.flags = MAILSLOT_READ_NONBLOCK;
		if (ioctl(srv, MAILSLOT_IOC_READ, &rd) < 0)
			printf("a non-blocking read of the empty slot fails: %s\n",
			       strerror(errno));
		else
			printf("unexpected: read a %u-byte message\n", rd.msg_len);
	}

	close(srv);
	close(dev);
	printf("closed the server fd: the slot is gone\n");
	return 0;
}
