// SPDX-License-Identifier: GPL-2.0
/*
 * Windows-style mailslots for Linux: /dev/mailslot.
 *
 * Opening /dev/mailslot gives an endpoint for two ioctls: CREATE makes a
 * named slot and returns its server fd (it reads), OPEN returns a client
 * fd for an existing slot (it writes).  See uapi/linux/mailslot.h for the
 * interface and slot.c for the queue.
 */

#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/cred.h>
#include <linux/fcntl.h>
#include <linux/file.h>
#include <linux/fs.h>
#include <linux/ipc_namespace.h>
#include <linux/mailslot.h>
#include <linux/miscdevice.h>
#include <linux/module.h>
#include <linux/moduleparam.h>
#include <linux/nsproxy.h>
#include <linux/sched.h>
#include <linux/slab.h>
#include <linux/uaccess.h>

#include "internal.h"

/*
 * Limits.  Root may change the writable ones at any time through
 * /sys/module/mailslot/parameters/; each is read once per operation.
 */
unsigned int mailslot_max_msg_size = 64 << 10;
unsigned int mailslot_slot_max_bytes = 1 << 20;
unsigned int mailslot_user_max_bytes = 8 << 20;
unsigned int mailslot_user_max_slots = 256;
unsigned int mailslot_max_slots = 65536;

static int param_set_msg_size(const char *val, const struct kernel_param *kp)
{
	return param_set_uint_minmax(val, kp, 1, MAILSLOT_MSG_SIZE_LIMIT);
}

static const struct kernel_param_ops msg_size_ops = {
	.set = param_set_msg_size,
	.get = param_get_uint,
};

module_param_cb(max_msg_size, &msg_size_ops, &mailslot_max_msg_size, 0644);
MODULE_PARM_DESC(max_msg_size, "Largest message any slot accepts, in bytes (at most 16 MiB)");
module_param_named(slot_max_bytes, mailslot_slot_max_bytes, uint, 0644);
MODULE_PARM_DESC(slot_max_bytes, "Bytes one slot may hold queued, msg_overhead per message included");
module_param_named(user_max_bytes, mailslot_user_max_bytes, uint, 0644);
MODULE_PARM_DESC(user_max_bytes, "Bytes of unread messages one writer uid may have queued in all slots");
module_param_named(user_max_slots, mailslot_user_max_slots, uint, 0644);
MODULE_PARM_DESC(user_max_slots, "Slots one uid may own at once");
module_param_named(max_slots, mailslot_max_slots, uint, 0644);
MODULE_PARM_DESC(max_slots, "Slots in the whole system");

/* msg_overhead is a fact about this build, shown but never set. */
static int param_set_readonly(const char *val, const struct kernel_param *kp)
{
	return -EPERM;
}

static int param_get_overhead(char *buf, const struct kernel_param *kp)
{
	return sysfs_emit(buf, "%zu\n", MAILSLOT_MSG_OVERHEAD);
}

static const struct kernel_param_ops overhead_ops = {
	.set = param_set_readonly,
	.get = param_get_overhead,
};

module_param_cb(msg_overhead, &overhead_ops, NULL, 0444);
MODULE_PARM_DESC(msg_overhead, "Bytes each queued message is charged on top of its length");

/*
 * Copy a name in from user space and check it.
 * Return: 0, -EINVAL, -ENAMETOOLONG or -EFAULT.
 */
static int mailslot_copy_name(char *dst, u64 src, u32 len)
{
	if (copy_from_user(dst, u64_to_user_ptr(src), len))
		return -EFAULT;
	return mailslot_name_check(dst, len);
}

static int mailslot_check_name_len(u32 len)
{
	if (!len)
		return -EINVAL;
	if (len > MAILSLOT_NAME_MAX)
		return -ENAMETOOLONG;
	return 0;
}

static unsigned int mailslot_fd_flags(u32 flags)
{
	return flags & MAILSLOT_F_CLOEXEC ? O_CLOEXEC : 0;
}

static unsigned int mailslot_file_flags(u32 flags)
{
	return flags & MAILSLOT_F_NONBLOCK ? O_NONBLOCK : 0;
}

static long mailslot_ioctl_create(struct mailslot_create __user *uarg)
{
	struct mailslot_create args;
	struct mailslot *slot;
	struct file *file;
	int fd, ret;

	if (copy_from_user(&args, uarg, sizeof(args)))
		return -EFAULT;
	if ((args.flags & ~MAILSLOT_F_ALL) || (args.mode & ~MAILSLOT_MODE_ALL) ||
	    args.pad || args.reserved[0] || args.reserved[1])
		return -EINVAL;
	ret = mailslot_check_name_len(args.name_len);
	if (ret)
		return ret;

	slot = mailslot_alloc(args.name_len);
	if (!slot)
		return -ENOMEM;
	ret = mailslot_copy_name(slot->name, args.name, args.name_len);
	if (ret)
		goto err_put_slot;
	slot->max_msg_size = args.max_msg_size;
	slot->read_timeout_ms = args.read_timeout_ms;
	slot->mode = args.mode;
	slot->uid = current_euid();
	slot->gid = current_egid();
	slot->ns = get_ipc_ns(current->nsproxy->ipc_ns);

	slot->owner = mailslot_user_get(slot->uid);
	if (!slot->owner) {
		ret = -ENOMEM;
		goto err_put_slot;
	}
	ret = mailslot_user_charge_slot(slot->owner);
	if (ret)
		goto err_put_slot;
	ret = mailslot_name_insert(slot);
	if (ret)
		goto err_uncharge_slot;

	/* From here on the slot is live: mailslot_destroy() undoes it all. */
	fd = get_unused_fd_flags(mailslot_fd_flags(args.flags));
	if (fd < 0) {
		ret = fd;
		goto err_destroy;
	}
	file = mailslot_server_file(slot, mailslot_file_flags(args.flags));
	if (IS_ERR(file)) {
		ret = PTR_ERR(file);
		goto err_put_fd;
	}
	fd_install(fd, file);
	return fd;

err_put_fd:
	put_unused_fd(fd);
err_destroy:
	mailslot_destroy(slot);
	return ret;
err_uncharge_slot:
	mailslot_user_uncharge_slot(slot->owner);
err_put_slot:
	mailslot_put(slot);
	return ret;
}

/* May the caller open a writer to @slot?  Modelled on ipcperms(). */
static bool mailslot_may_write(const struct mailslot *slot)
{
	if (uid_eq(current_euid(), slot->uid))
		return true;
	if ((slot->mode & MAILSLOT_MODE_GROUP) && in_egroup_p(slot->gid))
		return true;
	if (slot->mode & MAILSLOT_MODE_OTHER)
		return true;
	return ns_capable(slot->ns->user_ns, CAP_IPC_OWNER);
}

static long mailslot_ioctl_open(struct mailslot_open __user *uarg)
{
	struct mailslot_user *writer;
	struct mailslot_open args;
	struct mailslot *slot;
	struct file *file;
	char *name;
	int fd, ret;

	if (copy_from_user(&args, uarg, sizeof(args)))
		return -EFAULT;
	if ((args.flags & ~MAILSLOT_F_ALL) || args.reserved[0] ||
	    args.reserved[1])
		return -EINVAL;
	ret = mailslot_check_name_len(args.name_len);
	if (ret)
		return ret;

	name = kmalloc(args.name_len, GFP_KERNEL);
	if (!name)
		return -ENOMEM;
	ret = mailslot_copy_name(name, args.name, args.name_len);
	if (ret)
		goto out_free_name;
	slot = mailslot_name_lookup(current->nsproxy->ipc_ns, name,
				    args.name_len);
	if (!slot) {
		ret = -ENOENT;
		goto out_free_name;
	}
	if (!mailslot_may_write(slot)) {
		ret = -EACCES;
		goto out_put_slot;
	}
	writer = mailslot_user_get(current_euid());
	if (!writer) {
		ret = -ENOMEM;
		goto out_put_slot;
	}
	fd = get_unused_fd_flags(mailslot_fd_flags(args.flags));
	if (fd < 0) {
		ret = fd;
		goto out_put_writer;
	}
	file = mailslot_client_file(slot, writer,
				    mailslot_file_flags(args.flags));
	if (IS_ERR(file)) {
		ret = PTR_ERR(file);
		goto out_put_fd;
	}
	fd_install(fd, file);
	kfree(name);
	return fd;

out_put_fd:
	put_unused_fd(fd);
out_put_writer:
	mailslot_user_put(writer);
out_put_slot:
	mailslot_put(slot);
out_free_name:
	kfree(name);
	return ret;
}

static long mailslot_dev_ioctl(struct file *file, unsigned int cmd,
			       unsigned long arg)
{
	void __user *uarg = (void __user *)arg;

	switch (cmd) {
	case MAILSLOT_IOC_CREATE:
		return mailslot_ioctl_create(uarg);
	case MAILSLOT_IOC_OPEN:
		return mailslot_ioctl_open(uarg);
	default:
		return -ENOTTY;
	}
}

static const struct file_operations mailslot_dev_fops = {
	.owner		= THIS_MODULE,
	.open		= nonseekable_open,
	.unlocked_ioctl	= mailslot_dev_ioctl,
	.compat_ioctl	= compat_ptr_ioctl,
};

static struct miscdevice mailslot_dev = {
	.minor	= MISC_DYNAMIC_MINOR,
	.name	= "mailslot",
	.fops	= &mailslot_dev_fops,
	.mode	= 0666,
};

static int __init mailslot_init(void)
{
	int ret;

	ret = mailslot_names_init();
	if (ret)
		return ret;
	/* Last: from here on user space can reach us. */
	ret = misc_register(&mailslot_dev);
	if (ret)
		goto err_names;
	return 0;

err_names:
	mailslot_names_exit();
	return ret;
}

static void __exit mailslot_exit(void)
{
	misc_deregister(&mailslot_dev);
	mailslot_names_exit();
}

module_init(mailslot_init);
module_exit(mailslot_exit);

MODULE_DESCRIPTION("Windows-style mailslots: named queues of whole messages");
MODULE_AUTHOR("The mailslot developers");
MODULE_LICENSE("GPL");
MODULE_VERSION("0.1");
