/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* A fork bomb with a safety cap: every process keeps forking (children
 * too) until fork fails or CAP processes were made in all, so it is safe
 * to run without a limit. After SETTLE_MS the first process counts the
 * processes in its pid namespace (the sandbox's /proc), prints
 * "made N alive M failed F", kills every other process and exits 0.
 * Usage: forkbomb [CAP] */
#include <dirent.h>
#include <errno.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <time.h>
#include <unistd.h>

#define SETTLE_MS 1500

struct shared {
  atomic_int made;
  atomic_int failed;
};

static int
count_processes(void)
{
  DIR *d = opendir("/proc");
  int n = 0;
  struct dirent *de;
  while (d && (de = readdir(d)))
    n += de->d_name[0] >= '1' && de->d_name[0] <= '9';
  if (d)
    closedir(d);
  return n;
}

static void
bomb(struct shared *s, int cap)
{
  for (;;) {
    if (atomic_fetch_add(&s->made, 1) >= cap) {
      atomic_fetch_sub(&s->made, 1);
      pause();
    }
    pid_t pid = fork();
    if (pid < 0) {
      atomic_fetch_sub(&s->made, 1);
      atomic_fetch_add(&s->failed, 1);
      /* Keep pressing like a real bomb, but let the others run. */
      struct timespec ts = {0, 10 * 1000 * 1000};
      nanosleep(&ts, NULL);
    }
  }
}

int
main(int argc, char **argv)
{
  int cap = argc > 1 ? atoi(argv[1]) : 200;
  struct shared *s =
      mmap(NULL, sizeof(*s), PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
  if (s == MAP_FAILED) {
    perror("mmap");
    return 2;
  }
  pid_t first = fork();
  if (first < 0) {
    perror("fork");
    return 2;
  }
  if (first == 0)
    bomb(s, cap);
  struct timespec ts = {SETTLE_MS / 1000, (SETTLE_MS % 1000) * 1000 * 1000};
  nanosleep(&ts, NULL);
  int alive = count_processes();
  printf("made %d alive %d failed %d\n", atomic_load(&s->made) + 1, alive, atomic_load(&s->failed));
  fflush(stdout);
  signal(SIGTERM, SIG_IGN);
  kill(-1, SIGKILL); /* everything in the sandbox but init and us */
  return 0;
}
