// SPDX-License-Identifier: GPL-2.0
/*
 * _mailslot_exec_helper: exec'd by mailslot_lifetime (not a test itself;
 * the leading '_' keeps the kselftest runner away from it).
 *
 *   _mailslot_exec_helper fds OPEN_SRV CLOSED_SRV OPEN_CLI CLOSED_CLI
 *	Checks which inherited fds survived exec (fcntl(F_GETFD) and
 *	/proc/self/fd), reads one message from OPEN_SRV (expects "to-exec")
 *	and writes "from-exec" to OPEN_CLI.  Exit 0 if all is as expected.
 *   _mailslot_exec_helper signal WFD RFD
 *	Writes one byte to WFD, then waits for EOF or a byte on RFD.
 */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/stat.h>

static int fd_open(int fd)
{
	char path[64];
	struct stat st;
	int by_fcntl, by_proc;

	by_fcntl = fcntl(fd, F_GETFD) != -1;
	snprintf(path, sizeof(path), "/proc/self/fd/%d", fd);
	by_proc = lstat(path, &st) == 0;
	if (by_fcntl != by_proc) {
		fprintf(stderr, "# helper: fd %d: fcntl says %d, /proc says %d\n",
			fd, by_fcntl, by_proc);
		exit(20);
	}
	return by_fcntl;
}

int main(int argc, char **argv)
{
	if (argc == 6 && !strcmp(argv[1], "fds")) {
		int srv = atoi(argv[2]), srv_ce = atoi(argv[3]);
		int cli = atoi(argv[4]), cli_ce = atoi(argv[5]);
		char buf[32];
		ssize_t n;

		if (!fd_open(srv) || !fd_open(cli)) {
			fprintf(stderr, "# helper: inherited fd closed by exec\n");
			return 10;
		}
		if (fd_open(srv_ce) || fd_open(cli_ce)) {
			fprintf(stderr, "# helper: close-on-exec fd survived exec\n");
			return 11;
		}
		if (fcntl(srv, F_GETFD) & FD_CLOEXEC || fcntl(cli, F_GETFD) & FD_CLOEXEC)
			return 12;
		n = read(srv, buf, sizeof(buf));
		if (n != 7 || memcmp(buf, "to-exec", 7)) {
			fprintf(stderr, "# helper: read %zd (%s)\n", n, strerror(errno));
			return 13;
		}
		if (write(cli, "from-exec", 9) != 9) {
			fprintf(stderr, "# helper: write: %s\n", strerror(errno));
			return 14;
		}
		return 0;
	}
	if (argc == 4 && !strcmp(argv[1], "signal")) {
		int wfd = atoi(argv[2]), rfd = atoi(argv[3]);
		char c = 'x';

		if (write(wfd, &c, 1) != 1)
			return 15;
		if (read(rfd, &c, 1) < 0)
			return 16;
		return 0;
	}
	fprintf(stderr, "usage: %s fds S S_CLOEXEC C C_CLOEXEC | signal WFD RFD\n",
		argv[0]);
	return 2;
}
