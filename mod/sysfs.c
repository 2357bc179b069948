// SPDX-License-Identifier: GPL-2.0
/*
 * sysfs.c - /sys/kernel/edu: module-wide state that is not per namespace.
 *
 * /sys/kernel/edu/objects/<name> holds the number of live objects of each
 * kind the module allocates.  The counts are global on purpose: a leak in
 * any namespace is a leak of the module, and tests read them after each
 * case to prove that everything was freed.
 */
#include <linux/kobject.h>
#include <linux/sysfs.h>

#include "edu.h"

atomic_long_t edu_objects[__EDU_OBJ_MAX];

static struct kobject *edu_kobj;

static ssize_t edu_object_show(enum edu_object obj, char *buf)
{
	return sysfs_emit(buf, "%ld\n", atomic_long_read(&edu_objects[obj]));
}

static ssize_t sockets_show(struct kobject *kobj, struct kobj_attribute *attr,
			    char *buf)
{
	return edu_object_show(EDU_OBJ_SOCKETS, buf);
}

static ssize_t ports_show(struct kobject *kobj, struct kobj_attribute *attr,
			  char *buf)
{
	return edu_object_show(EDU_OBJ_PORTS, buf);
}

static ssize_t timewait_show(struct kobject *kobj,
			     struct kobj_attribute *attr, char *buf)
{
	return edu_object_show(EDU_OBJ_TIMEWAIT, buf);
}

static struct kobj_attribute edu_attr_sockets = __ATTR_RO(sockets);
static struct kobj_attribute edu_attr_ports = __ATTR_RO(ports);
static struct kobj_attribute edu_attr_timewait = __ATTR_RO(timewait);

static struct attribute *edu_object_attrs[] = {
	&edu_attr_sockets.attr,
	&edu_attr_ports.attr,
	&edu_attr_timewait.attr,
	NULL,
};

static const struct attribute_group edu_object_group = {
	.name = "objects",
	.attrs = edu_object_attrs,
};

/**
 * edu_sysfs_init() - create /sys/kernel/edu and its groups
 *
 * Return: 0 or a negative errno.
 */
int edu_sysfs_init(void)
{
	int err;

	edu_kobj = kobject_create_and_add("edu", kernel_kobj);
	if (!edu_kobj)
		return -ENOMEM;
	err = sysfs_create_group(edu_kobj, &edu_object_group);
	if (err)
		kobject_put(edu_kobj);
	return err;
}

/**
 * edu_sysfs_exit() - remove /sys/kernel/edu
 */
void edu_sysfs_exit(void)
{
	sysfs_remove_group(edu_kobj, &edu_object_group);
	kobject_put(edu_kobj);
}
