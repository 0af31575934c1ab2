/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Jobs: image builds, which take minutes, run on a thread of their own
 * while their progress streams to every page watching (/jobs/ID). They
 * stay listed once done, with how they ended. */
#pragma once
#include "image-create.h"
#include "panel.h"

/* Start building image NAME from SOURCE (taken); returns the job's id. */
const char *hutch_panel_job_start_create(HutchPanel *panel, const char *name,
                                         HutchImageSource *source);
/* The jobs, oldest first (HutchPanelJob*). */
GPtrArray *hutch_panel_jobs(HutchPanel *panel);
const char *hutch_panel_job_id(HutchPanelJob *job);
const char *hutch_panel_job_title(HutchPanelJob *job);
/* "running", "done", "failed" or "cancelled". */
const char *hutch_panel_job_state(HutchPanelJob *job);
/* Wait for the job's thread and free it (the panel is exiting). */
void hutch_panel_job_free(HutchPanelJob *job);
