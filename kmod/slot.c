// SPDX-License-Identifier: GPL-2.0
/*
 * The slot object: its queue of whole messages, the server file that
 * reads it and the client files that write to it.
 *
 * Writers never block: a message is allocated and copied in before any
 * lock is taken, then either queued or refused under slot->lock (a batch
 * of them under one lock section).
 * Readers are serialised by slot->read_mutex, which lets a reader look at
 * the head message, copy it out and only then unlink it: a buffer that is
 * too small or faults leaves the message where it was.
 */

#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/anon_inodes.h>
#include <linux/fs.h>
#include <linux/hrtimer.h>
#include <linux/ipc_namespace.h>
#include <linux/ktime.h>
#include <linux/mailslot.h>
#include <linux/overflow.h>
#include <linux/poll.h>
#include <linux/sched/signal.h>
#include <linux/seq_file.h>
#include <linux/slab.h>
#include <linux/uaccess.h>

#include "compat.h"
#include "internal.h"

/*
 * Message lengths travel between user space and the batch calls
 * MAILSLOT_LENS_CHUNK at a time, one user copy per chunk.
 */
#define MAILSLOT_LENS_CHUNK	64

/*
 * The batch calls move payloads of up to MAILSLOT_STAGE_SIZE bytes
 * through a buffer on the stack, many per user copy: for small messages
 * the user copies (and their usercopy checks) would cost more than the
 * rest of the work.
 */
#define MAILSLOT_STAGE_SIZE	512
static_assert(sizeof(struct mailslot_msg) + MAILSLOT_STAGE_SIZE <= PAGE_SIZE,
	      "a staged payload is always inline");

struct mailslot *mailslot_alloc(u32 name_len)
{
	struct mailslot *slot;

	slot = kzalloc(struct_size(slot, name, name_len), GFP_KERNEL_ACCOUNT);
	if (!slot)
		return NULL;
	slot->name_len = name_len;
	kref_init(&slot->ref);
	mutex_init(&slot->read_mutex);
	spin_lock_init(&slot->lock);
	INIT_LIST_HEAD(&slot->messages);
	init_waitqueue_head(&slot->wait);
	mailslot_pool_init(&slot->pool);
	return slot;
}

static void mailslot_release_ref(struct kref *ref)
{
	struct mailslot *slot = container_of(ref, struct mailslot, ref);

	WARN_ON_ONCE(!list_empty(&slot->messages));
	WARN_ON_ONCE(slot->pool.count);
	if (slot->owner)
		mailslot_user_put(slot->owner);
	if (slot->ns)
		mailslot_put_ipc_ns(slot->ns);
	mutex_destroy(&slot->read_mutex);
	kfree(slot);
}

void mailslot_put(struct mailslot *slot)
{
	kref_put(&slot->ref, mailslot_release_ref);
}

static size_t msg_charge(const struct mailslot_msg *msg)
{
	return msg->len + MAILSLOT_MSG_OVERHEAD;
}

static void msg_discard(struct mailslot *slot, struct mailslot_msg *msg)
{
	mailslot_user_uncharge_bytes(msg->writer, msg_charge(msg));
	mailslot_user_put(msg->writer);
	mailslot_msg_free(msg, &slot->pool);
}

/**
 * mailslot_destroy() - end a slot's life as a named queue
 * @slot: a slot whose name is in the table
 *
 * Frees the name at once, drops every queued message, tells writers and
 * their pollers, and gives back the owner's slot charge.  Drops the
 * server's reference.
 */
void mailslot_destroy(struct mailslot *slot)
{
	struct mailslot_msg *msg, *next;
	LIST_HEAD(dropped);

	mailslot_name_remove(slot);

	spin_lock(&slot->lock);
	WRITE_ONCE(slot->dead, true);
	list_splice_init(&slot->messages, &dropped);
	WRITE_ONCE(slot->count, 0);
	slot->bytes = 0;
	slot->charged = 0;
	spin_unlock(&slot->lock);

	wake_up_poll(&slot->wait, EPOLLERR | EPOLLHUP);

	list_for_each_entry_safe(msg, next, &dropped, list) {
		msg_discard(slot, msg);
		cond_resched();
	}
	/* Writers still open free their pages from now on. */
	mailslot_pool_close(&slot->pool);
	mailslot_user_uncharge_slot(slot->owner);
	mailslot_put(slot);
}

/* Largest message a writer may queue now. */
static u32 mailslot_msg_limit(const struct mailslot *slot)
{
	u32 limit = min(READ_ONCE(mailslot_max_msg_size),
			MAILSLOT_MSG_SIZE_LIMIT);

	if (slot->max_msg_size)
		limit = min(limit, slot->max_msg_size);
	return limit;
}

/*
 * Wait until the queue is not empty, @deadline passes (-ETIMEDOUT) or a
 * signal arrives (-ERESTARTSYS).  KTIME_MAX waits forever.
 */
static int mailslot_wait(struct mailslot *slot, ktime_t deadline)
{
	ktime_t left;
	long ret;

	if (deadline == KTIME_MAX)
		return wait_event_interruptible(slot->wait,
						READ_ONCE(slot->count));

	left = ktime_sub(deadline, ktime_get());
	if (left <= 0)
		return -ETIMEDOUT;
	ret = wait_event_interruptible_hrtimeout(slot->wait,
						 READ_ONCE(slot->count), left);
	return ret == -ETIME ? -ETIMEDOUT : ret;
}

/*
 * Wait until there is a message to take, and lock the readers out.
 * Return: 0 with slot->read_mutex held and the queue not empty, or
 * -EAGAIN, -ETIMEDOUT or -ERESTARTSYS with nothing held.
 */
static int mailslot_lock_head(struct mailslot *slot, bool nonblock,
			      ktime_t deadline)
{
	int ret;

	for (;;) {
		/* Pairs with smp_store_release() in mailslot_enqueue(). */
		if (smp_load_acquire(&slot->count)) {
			if (mutex_lock_interruptible(&slot->read_mutex))
				return -ERESTARTSYS;
			/* Only readers take messages: is one left for us? */
			if (smp_load_acquire(&slot->count))
				return 0;
			mutex_unlock(&slot->read_mutex);
			continue;
		}
		if (nonblock)
			return -EAGAIN;
		ret = mailslot_wait(slot, deadline);
		if (ret)
			return ret;
	}
}

/*
 * The oldest message.  The caller got a non-zero count from
 * mailslot_lock_head() and still holds read_mutex: the first count
 * messages and their links are visible, and nobody else unlinks them.
 * Writers only touch the tail, so this needs no slot->lock.
 */
static struct mailslot_msg *mailslot_head(struct mailslot *slot)
{
	lockdep_assert_held(&slot->read_mutex);
	return list_first_entry(&slot->messages, struct mailslot_msg, list);
}

/*
 * Unlink the @n oldest messages, up to and including @last, which the
 * caller has copied out, then unlock the readers and free them.
 */
static void mailslot_take(struct mailslot *slot, struct mailslot_msg *last,
			  u32 n, u64 bytes, size_t charged)
{
	struct mailslot_msg *msg, *next;
	LIST_HEAD(taken);

	spin_lock(&slot->lock);
	list_cut_position(&taken, &slot->messages, &last->list);
	WRITE_ONCE(slot->count, slot->count - n);
	slot->bytes -= bytes;
	slot->charged -= charged;
	spin_unlock(&slot->lock);
	mutex_unlock(&slot->read_mutex);

	list_for_each_entry_safe(msg, next, &taken, list)
		msg_discard(slot, msg);
}

/**
 * mailslot_receive() - take the oldest message
 * @slot:     the slot
 * @buf:      where to copy it
 * @size:     room at @buf
 * @nonblock: fail with -EAGAIN instead of waiting
 * @deadline: CLOCK_MONOTONIC time to give up waiting; KTIME_MAX: never
 * @len_out:  if not NULL, receives the message's length before it is
 *            copied, also when it does not fit
 *
 * Context: process context, may sleep; takes slot->read_mutex.
 * Return: the message's length; -EMSGSIZE or -EFAULT with the message
 * left at the head; -EAGAIN, -ETIMEDOUT or -ERESTARTSYS with nothing
 * taken.
 */
static long mailslot_receive(struct mailslot *slot, void __user *buf,
			     size_t size, bool nonblock, ktime_t deadline,
			     u32 __user *len_out)
{
	struct mailslot_msg *msg;
	long ret;

	ret = mailslot_lock_head(slot, nonblock, deadline);
	if (ret)
		return ret;

	msg = mailslot_head(slot);
	if (len_out && put_user(msg->len, len_out)) {
		ret = -EFAULT;
		goto out_unlock;
	}
	if (msg->len > size) {
		ret = -EMSGSIZE;
		goto out_unlock;
	}
	if (mailslot_msg_copy_out(msg, buf)) {
		ret = -EFAULT;
		goto out_unlock;
	}
	ret = msg->len;
	mailslot_take(slot, msg, 1, msg->len, msg_charge(msg));
	return ret;

out_unlock:
	mutex_unlock(&slot->read_mutex);
	return ret;
}

/**
 * mailslot_receive_batch() - take as many whole messages as fit
 * @slot:     the slot
 * @buf:      where to copy the payloads, back to back
 * @size:     room at @buf
 * @ulens:    where to store each message's length
 * @max:      room at @ulens, at least 1
 * @nonblock: as for mailslot_receive()
 * @deadline: as for mailslot_receive()
 *
 * Waits only for the first message.  Nothing is taken unless everything
 * was copied out.
 *
 * Context: process context, may sleep; takes slot->read_mutex.
 * Return: the number of messages taken; -EMSGSIZE when the first one does
 * not fit; -EFAULT; -EAGAIN, -ETIMEDOUT or -ERESTARTSYS.
 */
static long mailslot_receive_batch(struct mailslot *slot, u8 __user *buf,
				   size_t size, u32 __user *ulens, u32 max,
				   bool nonblock, ktime_t deadline)
{
	u32 lens[MAILSLOT_LENS_CHUNK], n, avail;
	size_t charged = 0, used = 0, staged = 0;
	struct mailslot_msg *msg, *last = NULL;
	u8 stage[MAILSLOT_STAGE_SIZE];
	long ret;

	ret = mailslot_lock_head(slot, nonblock, deadline);
	if (ret)
		return ret;

	/* More may have come since mailslot_lock_head(); never fewer. */
	avail = min(smp_load_acquire(&slot->count), max);
	msg = mailslot_head(slot);
	for (n = 0; msg->len <= size - used; msg = list_next_entry(msg, list)) {
		/* stage holds the payloads that end at buf + used */
		if (msg->len > sizeof(stage) - staged) {
			if (copy_to_user(buf + used - staged, stage, staged))
				goto out_fault;
			staged = 0;
		}
		if (msg->len <= sizeof(stage)) {
			/* small enough to be inline: see mailslot_msg_alloc() */
			memcpy(stage + staged, msg->data, msg->len);
			staged += msg->len;
		} else if (mailslot_msg_copy_out(msg, buf + used)) {
			goto out_fault;
		}
		lens[n % MAILSLOT_LENS_CHUNK] = msg->len;
		used += msg->len;
		charged += msg_charge(msg);
		last = msg;
		if (++n % MAILSLOT_LENS_CHUNK == 0 &&
		    copy_to_user(&ulens[n - MAILSLOT_LENS_CHUNK], lens,
				 sizeof(lens)))
			goto out_fault;
		if (n == avail)
			break;
		cond_resched();
	}
	if (!n) {
		ret = -EMSGSIZE;
		goto out_unlock;
	}
	if (copy_to_user(buf + used - staged, stage, staged))
		goto out_fault;
	if (n % MAILSLOT_LENS_CHUNK &&
	    copy_to_user(&ulens[n - n % MAILSLOT_LENS_CHUNK], lens,
			 n % MAILSLOT_LENS_CHUNK * sizeof(*lens)))
		goto out_fault;
	mailslot_take(slot, last, n, used, charged);
	return n;

out_fault:
	ret = -EFAULT;
out_unlock:
	mutex_unlock(&slot->read_mutex);
	return ret;
}

/*
 * The deadline of a read that uses the slot's timeout.  Such a wait is
 * relative, so a signal must end it with -EINTR rather than restart it
 * from the beginning; only an endless wait may restart.
 */
static ktime_t mailslot_timeout_deadline(const struct mailslot *slot)
{
	u32 timeout = READ_ONCE(slot->read_timeout_ms);

	if (timeout == MAILSLOT_WAIT_FOREVER)
		return KTIME_MAX;
	return ktime_add_ms(ktime_get(), timeout);
}

static ssize_t mailslot_read(struct file *file, char __user *buf, size_t size,
			     loff_t *ppos)
{
	struct mailslot *slot = file->private_data;
	ktime_t deadline = mailslot_timeout_deadline(slot);
	long ret;

	ret = mailslot_receive(slot, buf, size, file->f_flags & O_NONBLOCK,
			       deadline, NULL);
	if (ret == -ERESTARTSYS && deadline != KTIME_MAX)
		ret = -EINTR;
	return ret;
}

/*
 * The deadline a MAILSLOT_IOC_READ* call waits for; *restartable tells
 * whether a signal may restart the call (see mailslot_read()).
 */
static ktime_t mailslot_ioctl_deadline(const struct mailslot *slot, u32 flags,
				       u64 deadline_ns, bool *restartable)
{
	ktime_t deadline;

	if (flags & MAILSLOT_READ_DEADLINE) {
		*restartable = true;
		return deadline_ns >= (u64)KTIME_MAX ? KTIME_MAX :
		       ns_to_ktime(deadline_ns);
	}
	deadline = mailslot_timeout_deadline(slot);
	*restartable = deadline == KTIME_MAX;
	return deadline;
}

static bool mailslot_ioctl_nonblock(const struct file *file, u32 flags)
{
	return (flags & MAILSLOT_READ_NONBLOCK) || (file->f_flags & O_NONBLOCK);
}

/*
 * What a MAILSLOT_IOC_READ* call returns: a signal that ended a relative
 * wait gives -EINTR, with the wait's deadline handed back in @udeadline so
 * that a retry with MAILSLOT_READ_DEADLINE ends when this call would have.
 */
static long mailslot_ioctl_read_ret(long ret, bool restartable,
				    ktime_t deadline, __u64 __user *udeadline)
{
	if (ret != -ERESTARTSYS || restartable)
		return ret;
	if (put_user(ktime_to_ns(deadline), udeadline))
		return -EFAULT;
	return -EINTR;
}

static long mailslot_ioctl_read(struct mailslot *slot, struct file *file,
				struct mailslot_read __user *uarg)
{
	struct mailslot_read args;
	bool restartable;
	ktime_t deadline;
	long ret;

	if (copy_from_user(&args, uarg, sizeof(args)))
		return -EFAULT;
	if ((args.flags & ~MAILSLOT_READ_ALL) || args.pad ||
	    args.reserved[0] || args.reserved[1])
		return -EINVAL;

	deadline = mailslot_ioctl_deadline(slot, args.flags, args.deadline_ns,
					   &restartable);
	ret = mailslot_receive(slot, u64_to_user_ptr(args.buf), args.buf_len,
			       mailslot_ioctl_nonblock(file, args.flags),
			       deadline, &uarg->msg_len);
	return mailslot_ioctl_read_ret(ret, restartable, deadline,
				       &uarg->deadline_ns);
}

static long mailslot_ioctl_read_batch(struct mailslot *slot, struct file *file,
				      struct mailslot_read_batch __user *uarg)
{
	struct mailslot_read_batch args;
	bool restartable;
	ktime_t deadline;
	long ret;

	if (copy_from_user(&args, uarg, sizeof(args)))
		return -EFAULT;
	if ((args.flags & ~MAILSLOT_READ_ALL) || args.pad ||
	    args.reserved[0] || args.reserved[1] || !args.max_msgs)
		return -EINVAL;

	deadline = mailslot_ioctl_deadline(slot, args.flags, args.deadline_ns,
					   &restartable);
	ret = mailslot_receive_batch(slot, u64_to_user_ptr(args.buf),
				     args.buf_len, u64_to_user_ptr(args.lens),
				     args.max_msgs,
				     mailslot_ioctl_nonblock(file, args.flags),
				     deadline);
	return mailslot_ioctl_read_ret(ret, restartable, deadline,
				       &uarg->deadline_ns);
}

static long mailslot_ioctl_get_info(struct mailslot *slot, bool client,
				    struct mailslot_info __user *uarg)
{
	struct mailslot_info info = {};
	struct mailslot_msg *head;

	info.max_msg_size = slot->max_msg_size;
	info.read_timeout_ms = READ_ONCE(slot->read_timeout_ms);

	spin_lock(&slot->lock);
	if (client && slot->dead) {
		spin_unlock(&slot->lock);
		return -EPIPE;
	}
	head = list_first_entry_or_null(&slot->messages, struct mailslot_msg,
					list);
	info.next_size = head ? head->len : MAILSLOT_NO_MESSAGE;
	info.msg_count = slot->count;
	info.queued_bytes = slot->bytes;
	spin_unlock(&slot->lock);

	if (copy_to_user(uarg, &info, sizeof(info)))
		return -EFAULT;
	return 0;
}

static long mailslot_server_ioctl(struct file *file, unsigned int cmd,
				  unsigned long arg)
{
	struct mailslot *slot = file->private_data;
	void __user *uarg = (void __user *)arg;
	u32 timeout;

	switch (cmd) {
	case MAILSLOT_IOC_READ:
		return mailslot_ioctl_read(slot, file, uarg);
	case MAILSLOT_IOC_READ_BATCH:
		return mailslot_ioctl_read_batch(slot, file, uarg);
	case MAILSLOT_IOC_GET_INFO:
		return mailslot_ioctl_get_info(slot, false, uarg);
	case MAILSLOT_IOC_WRITE:
	case MAILSLOT_IOC_WRITE_BATCH:
		/* Only clients write. */
		return -EBADF;
	case MAILSLOT_IOC_SET_TIMEOUT:
		if (get_user(timeout, (u32 __user *)uarg))
			return -EFAULT;
		WRITE_ONCE(slot->read_timeout_ms, timeout);
		return 0;
	default:
		return -ENOTTY;
	}
}

static __poll_t mailslot_server_poll(struct file *file, poll_table *wait)
{
	struct mailslot *slot = file->private_data;

	poll_wait(file, &slot->wait, wait);
	return READ_ONCE(slot->count) ? EPOLLIN | EPOLLRDNORM : 0;
}

static int mailslot_server_release(struct inode *inode, struct file *file)
{
	mailslot_destroy(file->private_data);
	return 0;
}

static void mailslot_show_fdinfo(struct seq_file *m, struct mailslot *slot)
{
	spin_lock(&slot->lock);
	seq_printf(m, "mailslot-messages:\t%u\nmailslot-bytes:\t%llu\n",
		   slot->count, slot->bytes);
	spin_unlock(&slot->lock);
	seq_printf(m, "mailslot-max-msg-size:\t%u\nmailslot-timeout-ms:\t%u\n",
		   slot->max_msg_size, READ_ONCE(slot->read_timeout_ms));
}

static void mailslot_server_show_fdinfo(struct seq_file *m, struct file *file)
{
	mailslot_show_fdinfo(m, file->private_data);
}

static const struct file_operations mailslot_server_fops = {
	.owner		= THIS_MODULE,
	.read		= mailslot_read,
	.poll		= mailslot_server_poll,
	.unlocked_ioctl	= mailslot_server_ioctl,
	.compat_ioctl	= compat_ptr_ioctl,
	.release	= mailslot_server_release,
	.show_fdinfo	= mailslot_server_show_fdinfo,
};

/**
 * mailslot_server_file() - the server file of a new slot
 * @slot:  a slot already in the name table; the file takes over the
 *         reference the caller holds
 * @flags: O_NONBLOCK or 0
 *
 * Return: the file, or an ERR_PTR; on error the caller still owns @slot.
 */
struct file *mailslot_server_file(struct mailslot *slot, unsigned int flags)
{
	return anon_inode_getfile("[mailslot]", &mailslot_server_fops, slot,
				  O_RDONLY | flags);
}

/*
 * struct mailslot_client - what a client file points at
 * @slot:   the slot it writes to; holds a reference
 * @writer: whom its messages are charged to; holds a reference
 * @frag:   the page its small messages are carved from
 */
struct mailslot_client {
	struct mailslot *slot;
	struct mailslot_user *writer;
	struct mailslot_frag frag;
};

/*
 * Read up to @n lengths from @ulens.  Return: how many were read, from
 * the first on; 0 when the first one faults.
 */
static u32 mailslot_get_lens(u32 *lens, const u32 __user *ulens, u32 n)
{
	unsigned long left = copy_from_user(lens, ulens, n * sizeof(*lens));

	if (!left)
		return n;
	/* A user copy may stop short of the fault; the first one decides. */
	n -= DIV_ROUND_UP(left, sizeof(*lens));
	if (!n && !get_user(lens[0], ulens))
		n = 1;
	return n;
}

/*
 * Make one message for @client to queue: check its size, fill it from
 * @kbuf if not NULL, else from @buf, and charge it to the writer, who gets
 * a reference.  msg_discard() undoes it.
 * Return: the message, or ERR_PTR(-EMSGSIZE, -ENOMEM, -EFAULT, -EDQUOT).
 */
static struct mailslot_msg *mailslot_msg_prepare(struct mailslot_client *client,
						 const void __user *buf,
						 const void *kbuf, size_t len)
{
	struct mailslot_msg *msg;
	int ret;

	if (len > mailslot_msg_limit(client->slot))
		return ERR_PTR(-EMSGSIZE);
	msg = mailslot_msg_alloc(len, &client->frag, &client->slot->pool);
	if (!msg)
		return ERR_PTR(-ENOMEM);
	if (kbuf) {
		memcpy(msg->data, kbuf, len);
	} else if (mailslot_msg_copy_in(msg, buf)) {
		ret = -EFAULT;
		goto out_free;
	}
	ret = mailslot_user_charge_bytes(client->writer, msg_charge(msg));
	if (ret)
		goto out_free;
	refcount_inc(&client->writer->ref);
	msg->writer = client->writer;
	return msg;

out_free:
	mailslot_msg_free(msg, &client->slot->pool);
	return ERR_PTR(ret);
}

/*
 * Queue the prepared messages on @batch, in order, as far as the slot's
 * byte limit allows, and wake the reader.  The ones that did not fit stay
 * on @batch.
 * Return: the number queued, at least 1; -EPIPE or -ENOBUFS when none.
 */
static int mailslot_enqueue(struct mailslot *slot, struct list_head *batch)
{
	size_t limit = READ_ONCE(mailslot_slot_max_bytes);
	struct mailslot_msg *msg, *last = NULL;
	LIST_HEAD(accepted);
	size_t charged;
	u64 bytes = 0;
	int n = 0;

	spin_lock(&slot->lock);
	if (slot->dead) {
		spin_unlock(&slot->lock);
		return -EPIPE;
	}
	charged = slot->charged;
	list_for_each_entry(msg, batch, list) {
		if (charged + msg_charge(msg) > limit)
			break;
		charged += msg_charge(msg);
		bytes += msg->len;
		last = msg;
		n++;
	}
	if (last) {
		list_cut_position(&accepted, batch, &last->list);
		list_splice_tail(&accepted, &slot->messages);
	}
	slot->charged = charged;
	slot->bytes += bytes;
	/*
	 * Publishes the links and payloads to a reader that sees the new
	 * count without the lock: pairs with smp_load_acquire() in
	 * mailslot_lock_head().
	 */
	smp_store_release(&slot->count, slot->count + n);
	spin_unlock(&slot->lock);
	if (!n)
		return -ENOBUFS;

	/*
	 * Pairs with the barrier in the waiter's set_current_state().  A sync
	 * wake-up lets the writer go on writing instead of yielding the CPU
	 * to the reader after every message, as pipes do.
	 */
	if (wq_has_sleeper(&slot->wait))
		wake_up_interruptible_sync_poll(&slot->wait,
						EPOLLIN | EPOLLRDNORM);
	return n;
}

/**
 * mailslot_send() - queue one message, or nothing
 * @client: the writer
 * @buf:    the message
 * @len:    its length
 *
 * Never waits: a message that cannot be queued fails at once.
 * Return: @len; -EMSGSIZE, -EPIPE, -ENOMEM, -EFAULT, -EDQUOT or -ENOBUFS
 * with nothing queued.
 */
static ssize_t mailslot_send(struct mailslot_client *client,
			     const void __user *buf, size_t len)
{
	struct mailslot_msg *msg;
	LIST_HEAD(batch);
	int ret;

	if (READ_ONCE(client->slot->dead))
		return -EPIPE;
	msg = mailslot_msg_prepare(client, buf, NULL, len);
	if (IS_ERR(msg))
		return PTR_ERR(msg);
	list_add(&msg->list, &batch);
	ret = mailslot_enqueue(client->slot, &batch);
	if (ret < 0) {
		msg_discard(client->slot, msg);
		return ret;
	}
	return len;
}

/**
 * mailslot_send_batch() - queue up to @count messages, in order
 * @client: the writer
 * @buf:    the payloads, back to back
 * @ulens:  each payload's length
 * @count:  number of messages, 1 to MAILSLOT_WRITE_BATCH_MAX
 *
 * Stops at the first message that cannot be queued.  The messages queued
 * are contiguous in the slot, as they are queued under one lock.
 * Return: the number queued, at least 1, or the first message's error.
 */
static long mailslot_send_batch(struct mailslot_client *client,
				const u8 __user *buf, const u32 __user *ulens,
				u32 count)
{
	u32 lens[MAILSLOT_LENS_CHUNK], lens_from = 0, nlens = 0, i, len, j;
	size_t used = 0, staged_from = 0, staged = 0, want;
	u8 stage[MAILSLOT_STAGE_SIZE];
	struct mailslot_msg *msg, *next;
	const u8 *kbuf;
	LIST_HEAD(batch);
	long ret = 0;

	if (READ_ONCE(client->slot->dead))
		return -EPIPE;
	for (i = 0; i < count; i++) {
		/* lens[k] is the length of message lens_from + k */
		if (i == lens_from + nlens) {
			lens_from = i;
			nlens = mailslot_get_lens(lens, &ulens[i],
						  min(count - i,
						      MAILSLOT_LENS_CHUNK));
			if (!nlens) {
				ret = -EFAULT;
				break;
			}
		}
		len = lens[i - lens_from];

		/* Stage this payload and the small ones after it. */
		kbuf = NULL;
		if (len <= sizeof(stage)) {
			if (used + len > staged_from + staged) {
				want = 0;
				for (j = i - lens_from; j < nlens &&
				     lens[j] <= sizeof(stage) - want; j++)
					want += lens[j];
				staged_from = used;
				staged = want - copy_from_user(stage, buf + used,
							       want);
			}
			/* A short copy leaves the rest to a direct one. */
			if (used + len <= staged_from + staged)
				kbuf = stage + (used - staged_from);
		}
		msg = mailslot_msg_prepare(client, buf + used, kbuf, len);
		if (IS_ERR(msg)) {
			ret = PTR_ERR(msg);
			break;
		}
		list_add_tail(&msg->list, &batch);
		used += len;
		cond_resched();
	}
	if (list_empty(&batch))
		return ret;

	ret = mailslot_enqueue(client->slot, &batch);
	/* What did not fit is given back. */
	list_for_each_entry_safe(msg, next, &batch, list)
		msg_discard(client->slot, msg);
	return ret;
}

static ssize_t mailslot_write(struct file *file, const char __user *buf,
			      size_t len, loff_t *ppos)
{
	return mailslot_send(file->private_data, buf, len);
}

static long mailslot_ioctl_write(struct mailslot_client *client,
				 struct mailslot_write __user *uarg)
{
	struct mailslot_write args;

	if (copy_from_user(&args, uarg, sizeof(args)))
		return -EFAULT;
	if (args.flags || args.reserved[0] || args.reserved[1])
		return -EINVAL;
	return mailslot_send(client, u64_to_user_ptr(args.buf), args.len);
}

static long mailslot_ioctl_write_batch(struct mailslot_client *client,
				       struct mailslot_write_batch __user *uarg)
{
	struct mailslot_write_batch args;

	if (copy_from_user(&args, uarg, sizeof(args)))
		return -EFAULT;
	if (args.flags || args.reserved[0] || args.reserved[1] ||
	    !args.count || args.count > MAILSLOT_WRITE_BATCH_MAX)
		return -EINVAL;
	return mailslot_send_batch(client, u64_to_user_ptr(args.buf),
				   u64_to_user_ptr(args.lens), args.count);
}

static long mailslot_client_ioctl(struct file *file, unsigned int cmd,
				  unsigned long arg)
{
	struct mailslot_client *client = file->private_data;

	switch (cmd) {
	case MAILSLOT_IOC_WRITE:
		return mailslot_ioctl_write(client, (void __user *)arg);
	case MAILSLOT_IOC_WRITE_BATCH:
		return mailslot_ioctl_write_batch(client, (void __user *)arg);
	case MAILSLOT_IOC_GET_INFO:
		return mailslot_ioctl_get_info(client->slot, true,
					       (void __user *)arg);
	case MAILSLOT_IOC_READ:
	case MAILSLOT_IOC_READ_BATCH:
	case MAILSLOT_IOC_SET_TIMEOUT:
		/* Only the server reads and sets the timeout. */
		return -EBADF;
	default:
		return -ENOTTY;
	}
}

static __poll_t mailslot_client_poll(struct file *file, poll_table *wait)
{
	struct mailslot_client *client = file->private_data;

	poll_wait(file, &client->slot->wait, wait);
	return READ_ONCE(client->slot->dead) ? EPOLLERR | EPOLLHUP :
					       EPOLLOUT | EPOLLWRNORM;
}

static int mailslot_client_release(struct inode *inode, struct file *file)
{
	struct mailslot_client *client = file->private_data;

	mailslot_frag_release(&client->frag, &client->slot->pool);
	mailslot_user_put(client->writer);
	mailslot_put(client->slot);
	kfree(client);
	return 0;
}

static void mailslot_client_show_fdinfo(struct seq_file *m, struct file *file)
{
	struct mailslot_client *client = file->private_data;

	mailslot_show_fdinfo(m, client->slot);
}

static const struct file_operations mailslot_client_fops = {
	.owner		= THIS_MODULE,
	.write		= mailslot_write,
	.poll		= mailslot_client_poll,
	.unlocked_ioctl	= mailslot_client_ioctl,
	.compat_ioctl	= compat_ptr_ioctl,
	.release	= mailslot_client_release,
	.show_fdinfo	= mailslot_client_show_fdinfo,
};

/**
 * mailslot_client_file() - a new client file
 * @slot:   the slot; the file takes over the reference the caller holds
 * @writer: whom writes are charged to; the file takes over the reference
 * @flags:  O_NONBLOCK or 0
 *
 * Return: the file, or an ERR_PTR; on error the caller still owns both
 * references.
 */
struct file *mailslot_client_file(struct mailslot *slot,
				  struct mailslot_user *writer,
				  unsigned int flags)
{
	struct mailslot_client *client;
	struct file *file;

	client = kmalloc(sizeof(*client), GFP_KERNEL_ACCOUNT);
	if (!client)
		return ERR_PTR(-ENOMEM);
	client->slot = slot;
	client->writer = writer;
	mailslot_frag_init(&client->frag);

	file = anon_inode_getfile("[mailslot-client]", &mailslot_client_fops,
				  client, O_WRONLY | flags);
	/* The fresh frag cache holds no page yet. */
	if (IS_ERR(file))
		kfree(client);
	return file;
}
