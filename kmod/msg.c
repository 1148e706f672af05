// SPDX-License-Identifier: GPL-2.0
/*
 * Message storage.  A message that fits one page together with its header
 * is a single block of memory; a larger one is a header plus order-0
 * pages, so a write never depends on finding contiguous memory.  Blocks
 * of up to MSG_FRAG_MAX bytes (small messages, and the headers of large
 * ones) are carved from a page their client keeps for the purpose (struct
 * mailslot_frag), as the network stack does with page fragments: no slab
 * allocation and free per message, and no slab object for hardened
 * usercopy to check on every copy.  The others are slab objects.
 *
 * Pages freed by the reader, payload pages and carved pages alike, go to
 * the slot's pool (struct mailslot_pool), where the writers' next pages
 * come from.  Everything is charged to the memory cgroup of the writer
 * that first allocated it.
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

/*
 * Largest block carved from a client's page: small enough that the end
 * of a page wastes at most an eighth of it.
 */
#define MSG_FRAG_MAX	(PAGE_SIZE / 8)

static_assert(MAILSLOT_MSG_SIZE_LIMIT / PAGE_SIZE <= U16_MAX,
	      "mailslot_msg.npages is a u16");

/*
 * References a fresh page gets for the blocks to be carved from it: more
 * than it can hold.  Taking them all at once, as page_frag_alloc() does,
 * leaves one atomic operation per page instead of one per message.
 */
#define MSG_FRAG_REFS	(PAGE_SIZE / sizeof(long))

/* ---- the slot's pool of free pages ---- */

void mailslot_pool_init(struct mailslot_pool *pool)
{
	spin_lock_init(&pool->lock);
	INIT_LIST_HEAD(&pool->pages);
	pool->count = 0;
	pool->closed = false;
}

/* Free the pool's pages, and from now on every page given back. */
void mailslot_pool_close(struct mailslot_pool *pool)
{
	struct page *page, *next;
	LIST_HEAD(pages);

	spin_lock(&pool->lock);
	list_splice_init(&pool->pages, &pages);
	pool->count = 0;
	pool->closed = true;
	spin_unlock(&pool->lock);
	list_for_each_entry_safe(page, next, &pages, lru)
		__free_page(page);
}

/*
 * Fill @pages[0..@n) from the pool first, each with one reference.
 * Return: 0, or -ENOMEM with nothing taken.
 */
static int mailslot_pool_get(struct mailslot_pool *pool, struct page **pages,
			     u32 n)
{
	u32 i = 0;

	spin_lock(&pool->lock);
	for (; i < n && pool->count; i++, pool->count--) {
		pages[i] = list_first_entry(&pool->pages, struct page, lru);
		list_del(&pages[i]->lru);
	}
	spin_unlock(&pool->lock);

	for (; i < n; i++) {
		pages[i] = alloc_page(MSG_GFP);
		if (!pages[i])
			goto err_free;
	}
	return 0;

err_free:
	while (i--)
		__free_page(pages[i]);
	return -ENOMEM;
}

/*
 * Give back @pages[0..@n), our last references,
 * to the pool while it has room.
 */
static void mailslot_pool_put(struct mailslot_pool *pool, struct page **pages,
			      u32 n)
{
	u32 i = 0, room;

	spin_lock(&pool->lock);
	room = pool->closed ? 0 : MAILSLOT_POOL_PAGES - pool->count;
	for (; i < n && i < room; i++)
		list_add(&pages[i]->lru, &pool->pages);
	pool->count += i;
	spin_unlock(&pool->lock);

	for (; i < n; i++)
		__free_page(pages[i]);
}

/*
 * Drop a reference to a page carved into blocks.  The last one sends the
 * page to the pool; a count of one means nobody else can take a new one,
 * as only its blocks and its client's cache ever held any.
 */
static void mailslot_carved_page_put(struct mailslot_pool *pool,
				     struct page *page)
{
	if (page_ref_count(page) == 1)
		mailslot_pool_put(pool, &page, 1);
	else
		put_page(page);
}

/* ---- the client's page to carve small blocks from ---- */

void mailslot_frag_init(struct mailslot_frag *frag)
{
	spin_lock_init(&frag->lock);
	frag->page = NULL;
	frag->offset = 0;
	frag->refs = 0;
}

/* Give back a page's references still held for blocks not carved. */
static void mailslot_frag_page_put(struct mailslot_pool *pool,
				   struct page *page, unsigned int refs)
{
	/* Cannot reach zero: the last one is ours to give. */
	page_ref_sub(page, refs - 1);
	mailslot_carved_page_put(pool, page);
}

/* The client is gone; its messages keep the page alive as long as needed. */
void mailslot_frag_release(struct mailslot_frag *frag,
			   struct mailslot_pool *pool)
{
	if (frag->page)
		mailslot_frag_page_put(pool, frag->page, frag->refs);
}

/* Carve @size bytes from the cache's page, if they fit. */
static void *mailslot_frag_carve(struct mailslot_frag *frag, size_t size)
{
	void *block;

	lockdep_assert_held(&frag->lock);
	if (!frag->page || frag->offset + size > PAGE_SIZE)
		return NULL;
	block = page_address(frag->page) + frag->offset;
	frag->offset += size;
	frag->refs--;
	return block;
}

/* @size bytes from @frag's page, with one reference to it; or NULL. */
static void *mailslot_frag_alloc(struct mailslot_frag *frag,
				 struct mailslot_pool *pool, size_t size)
{
	struct page *fresh, *old = NULL;
	unsigned int old_refs = 0;
	void *block;

	size = ALIGN(size, sizeof(long));
	spin_lock(&frag->lock);
	block = mailslot_frag_carve(frag, size);
	spin_unlock(&frag->lock);
	if (block)
		return block;

	/* The page is full: get the next one without the lock. */
	if (mailslot_pool_get(pool, &fresh, 1))
		return NULL;
	page_ref_add(fresh, MSG_FRAG_REFS - 1);

	spin_lock(&frag->lock);
	block = mailslot_frag_carve(frag, size);
	if (!block) {
		old = frag->page;
		old_refs = frag->refs;
		frag->page = fresh;
		frag->offset = 0;
		frag->refs = MSG_FRAG_REFS;
		fresh = NULL;
		block = mailslot_frag_carve(frag, size);
	}
	spin_unlock(&frag->lock);

	/* Another writer on this client installed a page meanwhile. */
	if (fresh)
		mailslot_frag_page_put(pool, fresh, MSG_FRAG_REFS);
	if (old)
		mailslot_frag_page_put(pool, old, old_refs);
	return block;
}

/* ---- messages ---- */

/* A message header (and inline payload) of @size bytes. */
static struct mailslot_msg *mailslot_msg_block(size_t size,
					       struct mailslot_frag *frag,
					       struct mailslot_pool *pool)
{
	struct mailslot_msg *msg;

	if (size <= MSG_FRAG_MAX) {
		msg = mailslot_frag_alloc(frag, pool, size);
		if (msg)
			msg->in_frag = true;
		return msg;
	}
	msg = kmalloc(size, MSG_GFP);
	if (msg)
		msg->in_frag = false;
	return msg;
}

static void mailslot_msg_block_free(struct mailslot_msg *msg,
				    struct mailslot_pool *pool)
{
	if (msg->in_frag)
		mailslot_carved_page_put(pool, virt_to_page(msg));
	else
		kfree(msg);
}

/**
 * mailslot_msg_alloc() - allocate a message with room for @len bytes
 * @len:  payload length, at most MAILSLOT_MSG_SIZE_LIMIT
 * @frag: the writer's page to carve small blocks from
 * @pool: the slot's free pages
 *
 * Context: may sleep.
 * Return: the message, @len and the payload storage set, or NULL.
 */
struct mailslot_msg *mailslot_msg_alloc(u32 len, struct mailslot_frag *frag,
					struct mailslot_pool *pool)
{
	struct mailslot_msg *msg;
	u32 npages;

	if (struct_size(msg, data, len) <= PAGE_SIZE) {
		msg = mailslot_msg_block(struct_size(msg, data, len), frag,
					 pool);
		if (!msg)
			return NULL;
		msg->len = len;
		msg->npages = 0;
		return msg;
	}

	npages = DIV_ROUND_UP(len, PAGE_SIZE);
	msg = mailslot_msg_block(struct_size(msg, pages, npages), frag, pool);
	if (!msg)
		return NULL;
	if (mailslot_pool_get(pool, msg->pages, npages)) {
		mailslot_msg_block_free(msg, pool);
		return NULL;
	}
	msg->len = len;
	msg->npages = npages;
	return msg;
}

/* Free @msg; its pages go back to @pool. */
void mailslot_msg_free(struct mailslot_msg *msg, struct mailslot_pool *pool)
{
	mailslot_pool_put(pool, msg->pages, msg->npages);
	mailslot_msg_block_free(msg, pool);
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
