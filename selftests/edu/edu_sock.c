// SPDX-License-Identifier: GPL-2.0
/*
 * edu_sock.c - a helper of module.sh, not a test.
 *
 *   edu_sock FAMILY            socket(FAMILY, SOCK_STREAM, 0): print "ok",
 *                              or the errno's name (EAFNOSUPPORT...)
 *   edu_sock -l FAMILY FILE    make a listening socket, create FILE once
 *                              it exists, and hold it until killed
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

int main(int argc, char **argv)
{
	int hold = argc == 4 && !strcmp(argv[1], "-l");
	int fd;

	if (argc != 2 && !hold) {
		fprintf(stderr, "usage: %s [-l] FAMILY [FILE]\n", argv[0]);
		return 2;
	}
	fd = socket(atoi(argv[hold ? 2 : 1]), SOCK_STREAM, 0);
	if (fd < 0) {
		printf("%s\n", strerrorname_np(errno));
		return 1;
	}
	if (!hold) {
		printf("ok\n");
		return 0;
	}
	if (listen(fd, 1)) {
		perror("listen");
		return 1;
	}
	close(open(argv[3], O_WRONLY | O_CREAT, 0600));
	for (;;)
		pause();
}
