// SPDX-License-Identifier: GPL-2.0
/*
 * Slot names: validation, case folding and the name table.
 *
 * A name is the part of a Win32 mailslot name after "\\.\mailslot\":
 * one or more levels separated by '\', none of them empty, no NUL byte.
 * Windows compares names case-insensitively; we fold ASCII letters to
 * lower case once, when the name enters the kernel, and compare the
 * folded bytes exactly.  Other bytes (UTF-8 sequences included) are kept
 * as they are: Windows folds with its own upcase table, which the kernel
 * does not have, so user space may pre-fold them if it wants to.
 *
 * The table is keyed by (IPC namespace, folded name): each namespace sees
 * only its own slots.  The slot holds a reference on its namespace, so a
 * namespace pointer in the table can never be a recycled one.
 */

#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/hash.h>
#include <linux/jhash.h>
#include <linux/mutex.h>
#include <linux/rhashtable.h>
#include <linux/string.h>

#include "internal.h"

/**
 * mailslot_name_check() - validate a name and fold it in place
 * @name: the name bytes, not NUL-terminated
 * @len:  its length, at least 1
 *
 * Return: 0, or -EINVAL for a NUL byte or an empty level.
 */
int mailslot_name_check(char *name, u32 len)
{
	bool level_empty = true;
	u32 i;

	for (i = 0; i < len; i++) {
		if (name[i] == '\0')
			return -EINVAL;
		if (name[i] == '\\') {
			if (level_empty)
				return -EINVAL;
			level_empty = true;
			continue;
		}
		level_empty = false;
		if (name[i] >= 'A' && name[i] <= 'Z')
			name[i] += 'a' - 'A';
	}
	return level_empty ? -EINVAL : 0;
}

struct mailslot_key {
	const struct ipc_namespace *ns;
	const char *name;
	u32 len;
};

static u32 names_hash(const struct ipc_namespace *ns, const char *name,
		      u32 len, u32 seed)
{
	return jhash(name, len, seed ^ hash_ptr(ns, 32));
}

static u32 names_key_hashfn(const void *data, u32 len, u32 seed)
{
	const struct mailslot_key *key = data;

	return names_hash(key->ns, key->name, key->len, seed);
}

static u32 names_obj_hashfn(const void *data, u32 len, u32 seed)
{
	const struct mailslot *slot = data;

	return names_hash(slot->ns, slot->name, slot->name_len, seed);
}

static int names_obj_cmpfn(struct rhashtable_compare_arg *arg, const void *obj)
{
	const struct mailslot_key *key = arg->key;
	const struct mailslot *slot = obj;

	return key->ns != slot->ns || key->len != slot->name_len ||
	       memcmp(key->name, slot->name, key->len);
}

static const struct rhashtable_params names_params = {
	.head_offset		= offsetof(struct mailslot, node),
	.key_len		= sizeof(struct mailslot_key),
	.hashfn			= names_key_hashfn,
	.obj_hashfn		= names_obj_hashfn,
	.obj_cmpfn		= names_obj_cmpfn,
	.automatic_shrinking	= true,
};

/*
 * names_mutex serialises every change to and lookup in the table, so that
 * a lookup can take a slot reference before a concurrent destroy could
 * drop the server's.  The rhashtable gives lookups that stay fast with
 * any number of slots; its own RCU lookups are not used.
 */
static DEFINE_MUTEX(names_mutex);
static struct rhashtable names;

int mailslot_names_init(void)
{
	return rhashtable_init(&names, &names_params);
}

void mailslot_names_exit(void)
{
	/* Every slot holds a module reference through its server file. */
	WARN_ON_ONCE(atomic_read(&names.nelems));
	rhashtable_destroy(&names);
}

/* Return: 0, -EEXIST if the name is taken in the slot's namespace, -ENOMEM. */
int mailslot_name_insert(struct mailslot *slot)
{
	struct mailslot_key key = {
		.ns = slot->ns, .name = slot->name, .len = slot->name_len,
	};
	int ret;

	mutex_lock(&names_mutex);
	ret = rhashtable_lookup_insert_key(&names, &key, &slot->node,
					   names_params);
	mutex_unlock(&names_mutex);
	return ret;
}

void mailslot_name_remove(struct mailslot *slot)
{
	mutex_lock(&names_mutex);
	WARN_ON_ONCE(rhashtable_remove_fast(&names, &slot->node, names_params));
	mutex_unlock(&names_mutex);
}

/**
 * mailslot_name_lookup() - find a live slot by folded name
 * @ns:   the caller's IPC namespace
 * @name: folded name
 * @len:  its length
 *
 * Return: the slot with a reference taken, or NULL.
 */
struct mailslot *mailslot_name_lookup(struct ipc_namespace *ns,
				      const char *name, u32 len)
{
	struct mailslot_key key = { .ns = ns, .name = name, .len = len };
	struct mailslot *slot;

	mutex_lock(&names_mutex);
	slot = rhashtable_lookup_fast(&names, &key, names_params);
	if (slot)
		kref_get(&slot->ref);
	mutex_unlock(&names_mutex);
	return slot;
}
