/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* GPU passthrough (`gpu`): every GPU device node this host has, and the
 * read-only /sys paths that libdrm, Mesa and the Vulkan loader read to find
 * them. The ICD files themselves are under /usr and /etc, already visible. */
#include "device-nodes.h"
#include "desktop.h"

#define WHY "gpu"

static const char *const gpu_nodes[] = {
    "/dev/dri",        "/dev/nvidiactl",        "/dev/nvidia-modeset",
    "/dev/nvidia-uvm", "/dev/nvidia-uvm-tools", "/dev/nvidia-caps",
    "/dev/kfd",        "/dev/udmabuf",          NULL,
};

/* /dev/nvidia0, /dev/nvidia1, ... and the Mali nodes of ARM boards. */
static const HutchDevicePattern gpu_patterns[] = {
    {"nvidia", TRUE},
    {"mali", FALSE},
    {NULL, FALSE},
};

static const char *const gpu_sysfs[] = {
    "/sys/dev/char", "/sys/devices", "/sys/class/drm", "/sys/bus/pci", NULL,
};

gboolean
hutch_gpu_plan(HutchPlan *plan, GError **error)
{
  if (!hutch_policy_has(plan->policy, HUTCH_PERM_GPU))
    return TRUE;
  g_autoptr(GPtrArray) found = g_ptr_array_new_with_free_func(g_free);
  if (!hutch_bind_device_nodes(plan, gpu_nodes, gpu_patterns, WHY, found, error))
    return FALSE;
  for (const char *const *p = gpu_sysfs; *p; p++)
    if (!hutch_plan_bind(plan, *p, *p, HUTCH_OPF_RDONLY | HUTCH_OPF_OPTIONAL, WHY, error))
      return FALSE;
  hutch_note_device_nodes(plan, WHY, found, "no GPU device nodes on this host");
  return TRUE;
}
