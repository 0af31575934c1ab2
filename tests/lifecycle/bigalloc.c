/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Allocate and touch N MiB; exit 0 and say so when it worked, 1 when the
 * allocation was refused. (A cgroup memory limit kills it instead.)
 * Usage: bigalloc MIB */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int
main(int argc, char **argv)
{
  size_t mib = argc > 1 ? strtoul(argv[1], NULL, 10) : 256;
  char *p = malloc(mib << 20);
  if (!p) {
    printf("allocation of %zu MiB refused\n", mib);
    return 1;
  }
  for (size_t i = 0; i < mib << 20; i += 4096)
    p[i] = 1;
  printf("allocated %zu MiB\n", mib);
  return 0;
}
