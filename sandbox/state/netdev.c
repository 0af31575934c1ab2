/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "netdev.h"
#include <stdio.h>
#include <string.h>

GArray *
hutch_netdev_read(pid_t pid)
{
  g_autofree char *path = g_strdup_printf("/proc/%d/net/dev", (int)pid);
  g_autofree char *text = NULL;
  if (!g_file_get_contents(path, &text, NULL, NULL))
    return NULL;
  GArray *devs = g_array_new(FALSE, TRUE, sizeof(HutchNetDev));
  g_auto(GStrv) lines = g_strsplit(text, "\n", -1);
  /* Two header lines, then "  name: rx_bytes packets errs drop fifo frame
   * compressed multicast tx_bytes ..." */
  for (char **l = lines; *l; l++) {
    char *colon = strchr(*l, ':');
    if (!colon || l - lines < 2)
      continue;
    *colon = '\0';
    HutchNetDev dev;
    memset(&dev, 0, sizeof(dev));
    g_strlcpy(dev.name, g_strstrip(*l), sizeof(dev.name));
    unsigned long long rx, tx;
    if (sscanf(colon + 1, "%llu %*u %*u %*u %*u %*u %*u %*u %llu", &rx, &tx) != 2)
      continue;
    dev.rx_bytes = rx;
    dev.tx_bytes = tx;
    g_array_append_val(devs, dev);
  }
  return devs;
}

void
hutch_netdev_totals(GArray *devs, guint64 *rx, guint64 *tx)
{
  *rx = *tx = 0;
  for (guint i = 0; devs && i < devs->len; i++) {
    const HutchNetDev *d = &g_array_index(devs, HutchNetDev, i);
    if (!g_str_equal(d->name, "lo")) {
      *rx += d->rx_bytes;
      *tx += d->tx_bytes;
    }
  }
}
