// SPDX-License-Identifier: GPL-2.0
/*
 * Per-user accounting: how many slots each uid owns and how many bytes of
 * unread messages each uid has written.  Charges are checked against the
 * module parameters at the moment they are made, so a limit lowered by
 * root applies to the next charge and never takes back a granted one.
 */

#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/hashtable.h>
#include <linux/slab.h>
#include <linux/spinlock.h>

#include "internal.h"

#define USERS_HASH_BITS	6

/* users_lock protects the users table and every entry's membership in it. */
static DEFINE_SPINLOCK(users_lock);
static DEFINE_HASHTABLE(users, USERS_HASH_BITS);

static struct mailslot_user *users_find(kuid_t uid)
{
	struct mailslot_user *user;

	lockdep_assert_held(&users_lock);
	hash_for_each_possible(users, user, node, __kuid_val(uid))
		if (uid_eq(user->uid, uid) && refcount_inc_not_zero(&user->ref))
			return user;
	return NULL;
}

/**
 * mailslot_user_get() - find or create the accounting entry of a uid
 * @uid: the uid
 *
 * Context: may sleep.
 * Return: a referenced entry, or NULL when out of memory.
 */
struct mailslot_user *mailslot_user_get(kuid_t uid)
{
	struct mailslot_user *user, *fresh;

	spin_lock(&users_lock);
	user = users_find(uid);
	spin_unlock(&users_lock);
	if (user)
		return user;

	fresh = kzalloc(sizeof(*fresh), GFP_KERNEL_ACCOUNT);
	if (!fresh)
		return NULL;
	fresh->uid = uid;
	refcount_set(&fresh->ref, 1);

	spin_lock(&users_lock);
	user = users_find(uid);
	if (!user) {
		hash_add(users, &fresh->node, __kuid_val(uid));
		user = fresh;
		fresh = NULL;
	}
	spin_unlock(&users_lock);
	kfree(fresh);
	return user;
}

void mailslot_user_put(struct mailslot_user *user)
{
	/* refcount_dec_and_lock(), spelled out so that sparse follows it. */
	if (refcount_dec_not_one(&user->ref))
		return;
	spin_lock(&users_lock);
	if (!refcount_dec_and_test(&user->ref)) {
		spin_unlock(&users_lock);
		return;
	}
	hash_del(&user->node);
	spin_unlock(&users_lock);
	WARN_ON_ONCE(atomic_long_read(&user->bytes));
	WARN_ON_ONCE(atomic_read(&user->slots));
	kfree(user);
}

/* Return: 0, or -EDQUOT when @bytes more would pass user_max_bytes. */
int mailslot_user_charge_bytes(struct mailslot_user *user, size_t bytes)
{
	long limit = READ_ONCE(mailslot_user_max_bytes);

	if (atomic_long_add_return(bytes, &user->bytes) > limit) {
		atomic_long_sub(bytes, &user->bytes);
		return -EDQUOT;
	}
	return 0;
}

void mailslot_user_uncharge_bytes(struct mailslot_user *user, size_t bytes)
{
	atomic_long_sub(bytes, &user->bytes);
}

/* Slots in the whole module, against max_slots. */
static atomic_t slots_total = ATOMIC_INIT(0);

/* Return: 0, or -ENOSPC when the user's or the module's slot limit is hit. */
int mailslot_user_charge_slot(struct mailslot_user *user)
{
	if (atomic_inc_return(&user->slots) >
	    READ_ONCE(mailslot_user_max_slots))
		goto out_user;
	if (atomic_inc_return(&slots_total) > READ_ONCE(mailslot_max_slots))
		goto out_total;
	return 0;

out_total:
	atomic_dec(&slots_total);
out_user:
	atomic_dec(&user->slots);
	return -ENOSPC;
}

void mailslot_user_uncharge_slot(struct mailslot_user *user)
{
	atomic_dec(&slots_total);
	atomic_dec(&user->slots);
}
