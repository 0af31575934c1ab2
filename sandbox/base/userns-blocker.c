/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "userns-blocker.h"
#include <glib.h>

char *
hutch_read_sysctl(const char *path)
{
  g_autofree char *text = NULL;
  if (!g_file_get_contents(path, &text, NULL, NULL))
    return NULL;
  return g_strdup(g_strstrip(text));
}

static gboolean
sysctl_is(const char *path, const char *value)
{
  g_autofree char *text = hutch_read_sysctl(path);
  return text && g_str_equal(text, value);
}

const char *
hutch_userns_blocker(void)
{
  if (sysctl_is("/proc/sys/user/max_user_namespaces", "0"))
    return "user namespaces are disabled: set the sysctl user.max_user_namespaces above 0";
  if (sysctl_is("/proc/sys/kernel/unprivileged_userns_clone", "0"))
    return "unprivileged user namespaces are disabled: set the sysctl "
           "kernel.unprivileged_userns_clone=1";
  if (sysctl_is("/proc/sys/kernel/apparmor_restrict_unprivileged_userns", "1"))
    return "AppArmor restricts unprivileged user namespaces "
           "(kernel.apparmor_restrict_unprivileged_userns=1): add an AppArmor profile for "
           "hutch allowing 'userns,', or set the sysctl to 0";
  return NULL;
}
