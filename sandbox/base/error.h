/* hutch — one GError domain for every layer; context is prefixed as it travels up. */
#pragma once
#include <glib.h>

#define HUTCH_ERROR (hutch_error_quark())
GQuark hutch_error_quark(void);

typedef enum {
  HUTCH_ERROR_FAILED,
  HUTCH_ERROR_USAGE,     /* bad command line: exit 2 */
  HUTCH_ERROR_PROFILE,   /* bad profile: exit 1, message is FILE:LINE: ... */
  HUTCH_ERROR_HOST,      /* this host lacks something the policy needs */
  HUTCH_ERROR_NOT_FOUND, /* a named sandbox, profile or image does not exist */
} HutchErrorCode;

/* Exit codes of hutch itself, chosen above the range apps commonly use so a
 * launcher can tell "hutch failed" from "the app failed". */
#define HUTCH_EXIT_FAILURE 125
#define HUTCH_EXIT_USAGE 2

void hutch_print_error(const GError *error);
