#include "plan-steps.h"

const HutchPlanStep hutch_plan_steps[] = {
  {"root filesystem", hutch_rootfs_host_plan},
  {"home", hutch_home_plan},
  {"paths", hutch_paths_plan},
  {"finish", hutch_finish_plan},
  {NULL, NULL},
};
