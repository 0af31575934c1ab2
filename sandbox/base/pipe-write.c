/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "pipe-write.h"
#include <errno.h>
#include <signal.h>
#include <unistd.h>

gboolean
hutch_pipe_write(int fd, const void *buf, gsize len)
{
  sigset_t pipe_set, old;
  sigemptyset(&pipe_set);
  sigaddset(&pipe_set, SIGPIPE);
  pthread_sigmask(SIG_BLOCK, &pipe_set, &old);
  gsize done = 0;
  while (done < len) {
    gssize n = write(fd, (const char *)buf + done, len - done);
    if (n < 0 && errno == EINTR)
      continue;
    if (n <= 0)
      break;
    done += (gsize)n;
  }
  struct timespec zero = {0, 0};
  while (sigtimedwait(&pipe_set, NULL, &zero) > 0)
    ;
  pthread_sigmask(SIG_SETMASK, &old, NULL);
  return done == len;
}
