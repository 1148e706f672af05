/* SPDX-License-Identifier: GPL-2.0 WITH Linux-syscall-note */
/*
 * Windows-style mailslots: /dev/mailslot user-space API.
 *
 * A mailslot is a named, one-way queue of whole messages.  The process
 * that creates it holds the only "server" file descriptor: it reads one
 * message per read(2), oldest first.  Any number of "client" file
 * descriptors, opened by name, each write one message per write(2).
 *
 * Open /dev/mailslot (any user may), then:
 *
 *   MAILSLOT_IOC_CREATE   create a slot; returns its server fd (read-only)
 *   MAILSLOT_IOC_OPEN     open a writer to a slot; returns a client fd
 *                         (write-only)
 *
 * On a server fd: read(2), poll(2) (EPOLLIN while a message is queued),
 * MAILSLOT_IOC_READ, MAILSLOT_IOC_READ_BATCH, MAILSLOT_IOC_GET_INFO,
 * MAILSLOT_IOC_SET_TIMEOUT.
 * On a client fd: write(2), MAILSLOT_IOC_WRITE, MAILSLOT_IOC_WRITE_BATCH,
 * poll(2) (EPOLLOUT while the slot exists, EPOLLERR | EPOLLHUP once it is
 * gone), MAILSLOT_IOC_GET_INFO.
 *
 * Names are the part of a Win32 name after "\\.\mailslot\": one or more
 * levels separated by '\', no empty level, no NUL byte, at most
 * MAILSLOT_NAME_MAX bytes.  ASCII letters compare case-insensitively;
 * every other byte compares exactly.
 *
 * All structures have the same layout for 32-bit and 64-bit callers.
 * User pointers travel as __u64.  Unknown flag bits and non-zero
 * padding or reserved fields are rejected with EINVAL, so that they can
 * be given a meaning later.
 */
#ifndef _UAPI_LINUX_MAILSLOT_H
#define _UAPI_LINUX_MAILSLOT_H

#include <linux/ioctl.h>
#include <linux/types.h>

/* Longest name, in bytes, without the "\\.\mailslot\" prefix. */
#define MAILSLOT_NAME_MAX	1024

/* read_timeout_ms value: wait for a message for as long as it takes. */
#define MAILSLOT_WAIT_FOREVER	0xFFFFFFFFU

/* mailslot_info.next_size when the queue is empty. */
#define MAILSLOT_NO_MESSAGE	0xFFFFFFFFU

/* Flags for MAILSLOT_IOC_CREATE and MAILSLOT_IOC_OPEN. */
#define MAILSLOT_F_CLOEXEC	0x1	/* the new fd is close-on-exec */
#define MAILSLOT_F_NONBLOCK	0x2	/* the new fd is O_NONBLOCK */
#define MAILSLOT_F_ALL		(MAILSLOT_F_CLOEXEC | MAILSLOT_F_NONBLOCK)

/*
 * mailslot_create.mode: who, besides the creator, may open writers.
 * The creator's effective uid may always open writers; so may a process
 * with CAP_IPC_OWNER in the user namespace that owns the slot's IPC
 * namespace.
 */
#define MAILSLOT_MODE_OWNER	0200	/* creator's uid (always implied) */
#define MAILSLOT_MODE_GROUP	0020	/* creator's effective gid */
#define MAILSLOT_MODE_OTHER	0002	/* everyone in the IPC namespace */
#define MAILSLOT_MODE_ALL	(MAILSLOT_MODE_OWNER | MAILSLOT_MODE_GROUP | \
				 MAILSLOT_MODE_OTHER)

/**
 * struct mailslot_create - argument of MAILSLOT_IOC_CREATE
 * @name:            user pointer to the name bytes (no NUL needed)
 * @name_len:        length of @name in bytes, 1..MAILSLOT_NAME_MAX
 * @max_msg_size:    largest message a writer may queue, in bytes;
 *                   0 means no limit beyond the module's max_msg_size.
 *                   Reported back unchanged by MAILSLOT_IOC_GET_INFO.
 * @read_timeout_ms: how long a read waits on an empty queue: 0 = fail at
 *                   once, MAILSLOT_WAIT_FOREVER = no limit
 * @flags:           MAILSLOT_F_* bits
 * @mode:            MAILSLOT_MODE_* bits
 * @pad:             must be zero
 * @reserved:        must be zero
 *
 * Returns the new server fd.  Errors: EEXIST (name in use in this IPC
 * namespace), EINVAL (bad name, flag, mode or non-zero pad/reserved),
 * ENAMETOOLONG, EFAULT, ENOSPC (per-user or global slot limit), ENOMEM.
 */
struct mailslot_create {
	__u64 name;
	__u32 name_len;
	__u32 max_msg_size;
	__u32 read_timeout_ms;
	__u32 flags;
	__u32 mode;
	__u32 pad;
	__u64 reserved[2];
};

/**
 * struct mailslot_open - argument of MAILSLOT_IOC_OPEN
 * @name:     user pointer to the name bytes
 * @name_len: length of @name in bytes, 1..MAILSLOT_NAME_MAX
 * @flags:    MAILSLOT_F_* bits
 * @reserved: must be zero
 *
 * Returns the new client fd.  Errors: ENOENT (no such slot in this IPC
 * namespace), EACCES (the slot's mode does not admit the caller),
 * EINVAL, ENAMETOOLONG, EFAULT, ENOMEM.
 */
struct mailslot_open {
	__u64 name;
	__u32 name_len;
	__u32 flags;
	__u64 reserved[2];
};

/**
 * struct mailslot_info - result of MAILSLOT_IOC_GET_INFO
 * @max_msg_size:    as given at creation (0 = module limit only)
 * @next_size:       size of the oldest queued message, or
 *                   MAILSLOT_NO_MESSAGE when the queue is empty
 * @msg_count:       number of queued messages, zero-length ones included
 * @read_timeout_ms: current read timeout
 * @queued_bytes:    payload bytes queued
 * @reserved:        zero
 *
 * Works on server and client fds; on a client fd whose slot is gone it
 * fails with EPIPE.
 */
struct mailslot_info {
	__u32 max_msg_size;
	__u32 next_size;
	__u32 msg_count;
	__u32 read_timeout_ms;
	__u64 queued_bytes;
	__u64 reserved[2];
};

/*
 * mailslot_read.flags: NONBLOCK fails with EAGAIN at once on an empty
 * queue; DEADLINE waits until @deadline_ns instead of the slot's timeout.
 */
#define MAILSLOT_READ_NONBLOCK	0x1
#define MAILSLOT_READ_DEADLINE	0x2
#define MAILSLOT_READ_ALL	(MAILSLOT_READ_NONBLOCK | MAILSLOT_READ_DEADLINE)

/**
 * struct mailslot_read - argument of MAILSLOT_IOC_READ
 * @buf:         user pointer to the buffer
 * @buf_len:     size of @buf in bytes
 * @flags:       MAILSLOT_READ_* bits
 * @deadline_ns: with MAILSLOT_READ_DEADLINE, an absolute CLOCK_MONOTONIC
 *               time in ns; U64_MAX waits forever
 * @msg_len:     out: length of the message read or, on EMSGSIZE, of the
 *               message left at the head of the queue
 * @pad:         must be zero
 * @reserved:    must be zero
 *
 * Like read(2) on the server fd, but the wait is chosen per call.  With a
 * deadline the call restarts transparently after a signal handler.  When
 * a signal ends a wait on the slot's timeout (EINTR), @deadline_ns is set
 * to that wait's absolute deadline, so that a retry with
 * MAILSLOT_READ_DEADLINE ends when the first call would have.
 * Returns the message length.
 */
struct mailslot_read {
	__u64 buf;
	__u32 buf_len;
	__u32 flags;
	__u64 deadline_ns;
	__u32 msg_len;
	__u32 pad;
	__u64 reserved[2];
};

/**
 * struct mailslot_read_batch - argument of MAILSLOT_IOC_READ_BATCH
 * @buf:         user pointer to the buffer that receives the payloads,
 *               back to back, in queue order
 * @buf_len:     size of @buf in bytes
 * @flags:       MAILSLOT_READ_* bits, as for MAILSLOT_IOC_READ
 * @deadline_ns: as for MAILSLOT_IOC_READ, also set on EINTR
 * @lens:        user pointer to an array of @max_msgs __u32 that receives
 *               each message's length (zero-length messages included)
 * @max_msgs:    most messages to take, at least 1
 * @pad:         must be zero
 * @reserved:    must be zero
 *
 * Waits like MAILSLOT_IOC_READ for the first message, then takes as many
 * whole messages as fit in @buf and @lens without waiting again.  Returns
 * the number of messages taken.  EMSGSIZE when the first message alone
 * does not fit (it stays queued).  On any error nothing is taken.
 */
struct mailslot_read_batch {
	__u64 buf;
	__u32 buf_len;
	__u32 flags;
	__u64 deadline_ns;
	__u64 lens;
	__u32 max_msgs;
	__u32 pad;
	__u64 reserved[2];
};

/**
 * struct mailslot_write - argument of MAILSLOT_IOC_WRITE
 * @buf:      user pointer to the message
 * @len:      its length in bytes; 0 queues a zero-length message
 * @flags:    must be zero
 * @reserved: must be zero
 *
 * Exactly write(2) on a client fd, but a call that only a client fd
 * accepts (ENOTTY on any other fd, EBADF on a server fd), so a library
 * that holds a number it believes to be a client can write without first
 * proving what the number refers to.  Returns @len.
 */
struct mailslot_write {
	__u64 buf;
	__u32 len;
	__u32 flags;
	__u64 reserved[2];
};

/* Most messages one MAILSLOT_IOC_WRITE_BATCH call may carry. */
#define MAILSLOT_WRITE_BATCH_MAX	1024

/**
 * struct mailslot_write_batch - argument of MAILSLOT_IOC_WRITE_BATCH
 * @buf:      user pointer to the payloads, back to back, in queue order
 * @lens:     user pointer to @count __u32: each message's length (0 is a
 *            zero-length message)
 * @count:    number of messages, 1 to MAILSLOT_WRITE_BATCH_MAX
 * @flags:    must be zero
 * @reserved: must be zero
 *
 * Queues the messages in order, each one whole, as @count writes would,
 * and stops at the first one that cannot be queued.  Returns the number
 * queued; when that is fewer than @count, the next message is the one
 * that failed, and sending it alone reports why.  When not even the first
 * can be queued, fails with that message's error (the errors of write(2)
 * on a client fd).  The messages a call queues are contiguous in the
 * queue: no other writer's message lands between them.
 */
struct mailslot_write_batch {
	__u64 buf;
	__u64 lens;
	__u32 count;
	__u32 flags;
	__u64 reserved[2];
};

/*
 * ioctl type 0xB9 is unused in Documentation/userspace-api/ioctl/
 * ioctl-number.rst of Linux 6.1 and 6.12.  Sequence numbers 0x00-0x0F
 * are ours.
 */
#define MAILSLOT_IOC_MAGIC	0xB9

#define MAILSLOT_IOC_CREATE	_IOW(MAILSLOT_IOC_MAGIC, 0x00, struct mailslot_create)
#define MAILSLOT_IOC_OPEN	_IOW(MAILSLOT_IOC_MAGIC, 0x01, struct mailslot_open)
#define MAILSLOT_IOC_GET_INFO	_IOR(MAILSLOT_IOC_MAGIC, 0x02, struct mailslot_info)
#define MAILSLOT_IOC_SET_TIMEOUT _IOW(MAILSLOT_IOC_MAGIC, 0x03, __u32)
#define MAILSLOT_IOC_READ	_IOWR(MAILSLOT_IOC_MAGIC, 0x04, struct mailslot_read)
#define MAILSLOT_IOC_READ_BATCH	_IOWR(MAILSLOT_IOC_MAGIC, 0x05, struct mailslot_read_batch)
#define MAILSLOT_IOC_WRITE	_IOW(MAILSLOT_IOC_MAGIC, 0x06, struct mailslot_write)
#define MAILSLOT_IOC_WRITE_BATCH _IOW(MAILSLOT_IOC_MAGIC, 0x07, struct mailslot_write_batch)

#endif /* _UAPI_LINUX_MAILSLOT_H */
