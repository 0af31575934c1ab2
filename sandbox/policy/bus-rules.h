/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* D-Bus rules of a Policy, in xdg-dbus-proxy's vocabulary (flatpak's):
 * which names on the session and system bus the app may see, talk to and
 * own, and which calls and broadcasts it may exchange with a name. Also
 * the app id the portals know the sandbox by. Host-free: checking a name
 * or a rule needs no bus. */
#pragma once
#include <glib.h>
#include "policy.h"

/* A well-known bus name ("org.freedesktop.Notifications"), or a prefix
 * written NAME.* that also matches NAME itself; unique names (":1.4") and
 * the bus's own name are refused. Errors say what is wrong with NAME. */
gboolean hutch_bus_name_check(const char *name, GError **error);
/* A call= or broadcast= rule: [METHOD][@PATH], METHOD being *, INTERFACE.*
 * or INTERFACE.MEMBER and PATH an object path, or one ending in slash-star
 * for the subtree below it. */
gboolean hutch_bus_rule_check(const char *rule, GError **error);
/* An app id as xdg-desktop-portal accepts one: two or more elements of
 * letters, digits and _, '-' only in the last one. */
gboolean hutch_app_id_check(const char *id, GError **error);

/* Record a rule; the same rule given again only moves its origin. */
void hutch_policy_add_bus_rule(HutchPolicy *policy, HutchBus bus, HutchBusAccess access,
                               const char *name, const char *rule, const char *origin);
/* Drop every rule for NAME on BUS ("*": every rule on BUS). */
void hutch_policy_forget_bus_name(HutchPolicy *policy, HutchBus bus, const char *name);
/* TRUE when BUS has a rule, which is what gives the sandbox that bus. */
gboolean hutch_policy_has_bus(const HutchPolicy *policy, HutchBus bus);
/* TRUE when the app may call methods of NAME on BUS (talk, own or call). */
gboolean hutch_policy_may_call(const HutchPolicy *policy, HutchBus bus, const char *name);

/* The id the portals know the sandbox's app by: app-id= when set, else
 * hutch.sandbox.NAME from the profile's (or the command's) name. */
char *hutch_policy_app_id(const HutchPolicy *policy);

const char *hutch_bus_name(HutchBus bus);                 /* "session", "system" */
const char *hutch_bus_access_name(HutchBusAccess access); /* "talk", ... */
/* RULE as xdg-dbus-proxy takes it: --talk=NAME, --call=NAME=RULE, ... */
char *hutch_bus_rule_proxy_arg(const HutchBusRule *rule);
/* RULE as a profile writes it, without the bus: talk=NAME, call=NAME=RULE */
char *hutch_bus_rule_describe(const HutchBusRule *rule);
