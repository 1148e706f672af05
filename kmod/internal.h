/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Windows-style mailslots: definitions shared by the module's files.
 *
 * Files:
 *   main.c    module parameters, /dev/mailslot, CREATE and OPEN
 *   slot.c    the slot object, its message queue, server and client fds
 *   msg.c     message storage
 *   names.c   name validation and the per-IPC-namespace name table
 *   limits.c  per-user accounting of slots and queued bytes
 *
 * Lock order: names_mutex (names.c) -> slot->lock.  slot->read_mutex is
 * never taken with either held, and slot->lock is never held across a
 * user copy or an allocation.
 */
#ifndef _MAILSLOT_INTERNAL_H
#define _MAILSLOT_INTERNAL_H

#include <linux/atomic.h>
#include <linux/kref.h>
#include <linux/list.h>
#include <linux/mutex.h>
#include <linux/rhashtable-types.h>
#include <linux/spinlock.h>
#include <linux/types.h>
#include <linux/uidgid.h>
#include <linux/wait.h>

struct file;
struct ipc_namespace;

/* Hard ceiling for the max_msg_size parameter: 16 MiB. */
#define MAILSLOT_MSG_SIZE_LIMIT	(16U << 20)

/* Module parameters (main.c); read with READ_ONCE, root may change them. */
extern unsigned int mailslot_max_msg_size;
extern unsigned int mailslot_slot_max_bytes;
extern unsigned int mailslot_user_max_bytes;
extern unsigned int mailslot_user_max_slots;
extern unsigned int mailslot_max_slots;

/*
 * struct mailslot_user - what one uid has charged to the module
 * @node:  entry in the user table, under users_lock (limits.c)
 * @uid:   whose charges these are
 * @ref:   one per slot owned, client fd opened and message queued
 * @bytes: bytes charged for messages this uid wrote and nobody read yet
 * @slots: slots this uid created that still exist
 */
struct mailslot_user {
	struct hlist_node node;
	kuid_t uid;
	refcount_t ref;
	atomic_long_t bytes;
	atomic_t slots;
};

struct mailslot_user *mailslot_user_get(kuid_t uid);
void mailslot_user_put(struct mailslot_user *user);
int mailslot_user_charge_bytes(struct mailslot_user *user, size_t bytes);
void mailslot_user_uncharge_bytes(struct mailslot_user *user, size_t bytes);
int mailslot_user_charge_slot(struct mailslot_user *user);
void mailslot_user_uncharge_slot(struct mailslot_user *user);

/*
 * struct mailslot_msg - one queued message
 * @list:   entry in the slot's queue, under slot->lock
 * @writer: the uid charged for it; holds a reference
 * @len:    payload length; zero-length messages are real messages
 * @npages: 0 when the payload follows in @data, else the number of
 *          order-0 pages in @pages that hold it
 * @in_frag: the message (header and @data or @pages) was carved from a
 *          client's page (struct mailslot_frag) and holds a reference to
 *          that page; otherwise it is a slab object
 * @data:   inline payload, for messages that fit one page with the header
 * @pages:  payload pages, for the others
 *
 * Large payloads live in single pages, as msg_msg does, so that no write
 * ever needs a high-order allocation and a 4 KiB message costs one page,
 * not an 8 KiB slab object.
 */
struct mailslot_msg {
	struct list_head list;
	struct mailslot_user *writer;
	u32 len;
	u16 npages;
	bool in_frag;
	union {
		DECLARE_FLEX_ARRAY(u8, data);
		DECLARE_FLEX_ARRAY(struct page *, pages);
	};
};

/* What one message costs against slot and user limits, on top of len. */
#define MAILSLOT_MSG_OVERHEAD	sizeof(struct mailslot_msg)

/*
 * struct mailslot_frag - the page a client carves its small messages from
 * @lock:   protects @page, @offset and @refs; never held across an
 *          allocation or a user copy
 * @page:   the page being filled, or NULL
 * @offset: first free byte in @page
 * @refs:   references to @page held for blocks not carved yet
 *
 * Each message carved from @page holds a reference to it, so the page goes
 * back to the slot's pool when its last message is read.  A client writes
 * to one slot and its messages are read in order, so it pins at most this
 * one page beyond the pages its queued messages are in.
 */
struct mailslot_frag {
	spinlock_t lock;	/* protects the cache, see above */
	struct page *page;
	unsigned int offset;
	unsigned int refs;
};

/* Most free pages a slot keeps for its next messages: 64 KiB. */
#define MAILSLOT_POOL_PAGES	16

/*
 * struct mailslot_pool - free order-0 pages a slot keeps for reuse
 * @lock:   protects @pages, @count and @closed
 * @pages:  the pages, linked through page->lru
 * @count:  pages in @pages, at most MAILSLOT_POOL_PAGES
 * @closed: the slot is gone: pages given back are freed
 *
 * The pages the reader frees (the payload pages of large messages, and the
 * clients' carved pages once their last block is read) go back to the
 * pool, and the writers' next pages come from there, as a pipe keeps its
 * spare page: while a stream flows, no page is allocated, zeroed, charged
 * and freed per message.  A kept page stays charged to the memory
 * cgroup that first allocated it; its old contents are never read, as
 * every message is read back only as far as it was written.
 */
struct mailslot_pool {
	spinlock_t lock;		/* protects the pool, see above */
	struct list_head pages;
	unsigned int count;
	bool closed;
};

/* msg.c */
void mailslot_frag_init(struct mailslot_frag *frag);
void mailslot_frag_release(struct mailslot_frag *frag,
			   struct mailslot_pool *pool);
void mailslot_pool_init(struct mailslot_pool *pool);
void mailslot_pool_close(struct mailslot_pool *pool);
struct mailslot_msg *mailslot_msg_alloc(u32 len, struct mailslot_frag *frag,
					struct mailslot_pool *pool);
void mailslot_msg_free(struct mailslot_msg *msg, struct mailslot_pool *pool);
int mailslot_msg_copy_in(struct mailslot_msg *msg, const void __user *buf);
int mailslot_msg_copy_out(const struct mailslot_msg *msg, void __user *buf);

/*
 * struct mailslot - a slot: a name and a queue of whole messages
 *
 * A slot has one server file (its reader; dup'd and inherited fds share
 * it) and any number of client files (writers).  Each file holds a
 * reference.  When the server file is released the slot is destroyed:
 * its name leaves the table, its messages are freed and it is marked
 * dead, so writers get -EPIPE.  The memory goes with the last client.
 *
 * @node:          entry in the name table, under names_mutex
 * @ref:           server file + client files
 * @ns:            IPC namespace the name lives in; referenced
 * @owner:         creator's accounting; holds a reference and a slot charge
 * @uid:           creator's euid: may always open writers
 * @gid:           creator's egid, for MAILSLOT_MODE_GROUP
 * @mode:          MAILSLOT_MODE_* bits given at creation
 * @max_msg_size:  as given at creation, reported verbatim
 * @read_timeout_ms: current read timeout; READ_ONCE/WRITE_ONCE, no lock
 * @read_mutex:    serialises readers, so that "look at the head, copy it
 *                 out, unlink it" is one step that a failed copy undoes
 *                 by doing nothing; held across copy_to_user, never
 *                 taken by writers
 * @lock:          protects @messages, @count, @bytes, @charged and @dead
 * @messages:      FIFO of struct mailslot_msg
 * @count:         messages queued; also read locklessly by poll, and
 *                 by readers with acquire semantics, which makes the
 *                 first @count messages safe to walk under read_mutex
 * @bytes:         payload bytes queued
 * @charged:       bytes charged against slot_max_bytes
 * @dead:          the server file is gone; also read locklessly by poll
 *                 and write's early check
 * @wait:          readers wait here for messages; pollers of both sides
 *                 wait here for messages and for the slot's death
 * @pool:          free pages for the writers' next messages
 * @name_len:      length of @name
 * @name:          the name, ASCII letters folded to lower case
 */
struct mailslot {
	struct rhash_head node;
	struct kref ref;
	struct ipc_namespace *ns;
	struct mailslot_user *owner;
	kuid_t uid;
	kgid_t gid;
	u32 mode;
	u32 max_msg_size;
	u32 read_timeout_ms;

	struct mutex read_mutex;	/* serialises readers, see above */

	spinlock_t lock;		/* protects the queue, see above */
	struct list_head messages;
	u32 count;
	u64 bytes;
	size_t charged;
	bool dead;

	wait_queue_head_t wait;
	struct mailslot_pool pool;

	u32 name_len;
	char name[] __counted_by(name_len);
};

/* slot.c */
struct mailslot *mailslot_alloc(u32 name_len);
void mailslot_put(struct mailslot *slot);
struct file *mailslot_server_file(struct mailslot *slot, unsigned int flags);
struct file *mailslot_client_file(struct mailslot *slot,
				  struct mailslot_user *writer,
				  unsigned int flags);
void mailslot_destroy(struct mailslot *slot);

/* names.c */
int mailslot_name_check(char *name, u32 len);
int mailslot_names_init(void);
void mailslot_names_exit(void);
int mailslot_name_insert(struct mailslot *slot);
void mailslot_name_remove(struct mailslot *slot);
struct mailslot *mailslot_name_lookup(struct ipc_namespace *ns,
				      const char *name, u32 len);

#endif /* _MAILSLOT_INTERNAL_H */
