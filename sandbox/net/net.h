/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The network plan step. --net none and host need nothing but the clone
 * flags (plan.c); --net user gives the sandbox's own network namespace a
 * way out through pasta (pasta.h), with the host's loopback services and
 * its own addresses out of reach (host-addrs.h), DNS through pasta's
 * forwarder (resolv.h), and only the ports the policy names forwarded:
 * --host-port (a host loopback port the sandbox may reach) and --publish
 * (a host port forwarded into the sandbox). */
#pragma once
#include "plan.h"
#include "pasta.h"

gboolean hutch_network_plan(HutchPlan *plan, GError **error);
