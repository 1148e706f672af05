// SPDX-License-Identifier: GPL-2.0
/*
 * Message storage.  A message that fits one page together with its header
 * is a single slab object; a larger one is a header plus order-0 pages,
 * so a write never depends on finding contiguous memory.  Everything is
 * charged to the writer's memory cgroup.
 */

#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/gfp.h>
#include <linux/math.h>
#include <linux/mm.h>
#include <linux/overflow.h>
#include <linux/sched.h>
#include <linux/slab.h>
#include <linux/uaccess.h>

#include "internal.h"

/*
 * A write that does not fit the writer's memory cgroup fails with ENOMEM:
 * __GFP_RETRY_MAYFAIL keeps the allocation from invoking the OOM killer,
 * which would kill the writer (or a bystander) for a message that could
 * simply be refused.
 */
#define MSG_GFP	(GFP_KERNEL_ACCOUNT | __GFP_RETRY_MAYFAIL | __GFP_NOWARN)

/**
 * mailslot_msg_alloc() - allocate a message with room for @len bytes
 * @len: payload length, at most MAILSLOT_MSG_SIZE_LIMIT
 *
 * Context: may sleep.
 * Return: the message, @len and the payload storage set, or NULL.
 */
struct mailslot_msg *mailslot_msg_alloc(u32 len)
{
	struct mailslot_msg *msg;
	u32 npages, i;

	if (struct_size(msg, data, len) <= PAGE_SIZE) {
		msg = kmalloc(struct_size(msg, data, len), MSG_GFP);
		if (!msg)
			return NULL;
		msg->len = len;
		msg->npages = 0;
		return msg;
	}

	npages = DIV_ROUND_UP(len, PAGE_SIZE);
	msg = kmalloc(struct_size(msg, pages, npages), MSG_GFP);
	if (!msg)
		return NULL;
	msg->len = len;
	for (i = 0; i < npages; i++) {
		msg->pages[i] = alloc_page(MSG_GFP);
		if (!msg->pages[i])
			goto err_free_pages;
	}
	msg->npages = npages;
	return msg;

err_free_pages:
	while (i--)
		__free_page(msg->pages[i]);
	kfree(msg);
	return NULL;
}

void mailslot_msg_free(struct mailslot_msg *msg)
{
	u32 i;

	for (i = 0; i < msg->npages; i++)
		__free_page(msg->pages[i]);
	kfree(msg);
}

/* Return: 0, or -EFAULT. */
int mailslot_msg_copy_in(struct mailslot_msg *msg, const void __user *buf)
{
	u32 i, done, chunk;

	if (!msg->npages)
		return copy_from_user(msg->data, buf, msg->len) ? -EFAULT : 0;

	for (i = 0, done = 0; done < msg->len; i++, done += chunk) {
		chunk = min_t(u32, msg->len - done, PAGE_SIZE);
		if (copy_from_user(page_address(msg->pages[i]), buf + done,
				   chunk))
			return -EFAULT;
		cond_resched();
	}
	return 0;
}

/* Return: 0, or -EFAULT. */
int mailslot_msg_copy_out(const struct mailslot_msg *msg, void __user *buf)
{
	u32 i, done, chunk;

	if (!msg->npages)
		return copy_to_user(buf, msg->data, msg->len) ? -EFAULT : 0;

	for (i = 0, done = 0; done < msg->len; i++, done += chunk) {
		chunk = min_t(u32, msg->len - done, PAGE_SIZE);
		if (copy_to_user(buf + done, page_address(msg->pages[i]),
				 chunk))
			return -EFAULT;
		cond_resched();
	}
	return 0;
}
