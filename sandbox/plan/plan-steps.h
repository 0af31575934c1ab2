/* The ordered steps that turn a Policy into a Plan. Each concern (the root
 * filesystem, home, granted paths, each passthrough, seccomp) is one step in
 * its own file; order matters because later mounts land on earlier ones. */
#pragma once
#include <glib.h>
#include "plan.h"

typedef struct {
  const char *name;
  gboolean (*run)(HutchPlan *plan, GError **error);
} HutchPlanStep;

extern const HutchPlanStep hutch_plan_steps[];

gboolean hutch_rootfs_host_plan(HutchPlan *plan, GError **error);
gboolean hutch_home_plan(HutchPlan *plan, GError **error);
gboolean hutch_paths_plan(HutchPlan *plan, GError **error);
/* Desktop passthroughs, one file each; each acts only on its permission. */
gboolean hutch_x11_plan(HutchPlan *plan, GError **error);
gboolean hutch_wayland_plan(HutchPlan *plan, GError **error);
gboolean hutch_audio_plan(HutchPlan *plan, GError **error);
gboolean hutch_gpu_plan(HutchPlan *plan, GError **error);
gboolean hutch_input_plan(HutchPlan *plan, GError **error);
gboolean hutch_devices_plan(HutchPlan *plan, GError **error);
gboolean hutch_desktop_basics_plan(HutchPlan *plan, GError **error);
gboolean hutch_seccomp_plan(HutchPlan *plan, GError **error);
gboolean hutch_finish_plan(HutchPlan *plan, GError **error);
gboolean hutch_limits_plan(HutchPlan *plan, GError **error);
gboolean hutch_detach_plan(HutchPlan *plan, GError **error);

/* util.c */
void hutch_rm_rf(const char *path);
gboolean hutch_kernel_has_cgroupns(void);
/* Expand ~, $HOME and XDG user-dir names (xdg-download, ...) in a path rule. */
char *hutch_expand_path(const char *path, const char *home, GError **error);
/* TRUE when a component of PATH is "..". */
gboolean hutch_path_has_dotdot(const char *path);
