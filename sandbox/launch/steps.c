/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "steps.h"
#include "dbus-proxy.h"
#include "desktop.h"
#include "net.h"
#include "rootfs.h"

const HutchPlanStep hutch_plan_steps[] = {
    {"scratch space", hutch_scratch_plan},
    {"protected paths", hutch_protect_collect},
    {"root filesystem", hutch_rootfs_plan},
    {"home", hutch_home_plan},
    {"paths", hutch_paths_plan},
    /* After the granted paths: its resolv.conf lands on a granted /etc. */
    {"network", hutch_network_plan},
    {"display", hutch_display_plan},
    {"dbus", hutch_dbus_proxy_plan},
    {"x11", hutch_x11_plan},
    {"wayland", hutch_wayland_plan},
    {"gpu over X11", hutch_gpu_glx_plan},
    {"audio", hutch_audio_plan},
    {"gpu", hutch_gpu_plan},
    {"input", hutch_input_plan},
    {"devices", hutch_devices_plan},
    {"desktop basics", hutch_desktop_basics_plan},
    {"documents", hutch_documents_plan},
    {"seccomp", hutch_seccomp_plan},
    {"limits", hutch_limits_plan},
    {"detach", hutch_detach_plan},
    {"protect", hutch_protect_plan},
    {"finish", hutch_finish_plan},
    {NULL, NULL},
};
