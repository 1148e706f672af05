/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Differences between the kernels this module supports (6.1 .. 6.12).
 * One helper per difference, each naming the version that changed.
 * Features are probed by kmod/Kbuild rather than guessed from version
 * numbers, because distributions backport.
 */
#ifndef _MAILSLOT_COMPAT_H
#define _MAILSLOT_COMPAT_H

#include <linux/ipc_namespace.h>
#include <linux/proc_ns.h>

/*
 * put_ipc_ns() is exported to modules only from 6.12 on (6.1 lacks it);
 * without it, drop the reference through the namespace's own operations,
 * which end in the same place.
 */
static inline void mailslot_put_ipc_ns(struct ipc_namespace *ns)
{
#ifdef MAILSLOT_HAVE_PUT_IPC_NS
	put_ipc_ns(ns);
#else
	ns->ns.ops->put(&ns->ns);
#endif
}

#endif /* _MAILSLOT_COMPAT_H */
