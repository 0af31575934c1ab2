/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* hutch-x11-nested: the app's own X server, inside its sandbox (x11=nested).
 *
 *   hutch-x11-nested --dir DIR --clipboard yes|no -- COMMAND [ARG...]
 *
 * hutch-init runs it in place of the app. It starts Xvfb on a display of
 * the sandbox's own (its socket in the sandbox's private /tmp, a fresh
 * cookie) and an xpra server on that display, listening on DIR/socket,
 * which hutch binds from the host: hutch's xpra client there shows each of
 * the app's windows as a window of the user's desktop. Then it runs the
 * app with DISPLAY and XAUTHORITY pointing at its own server, forwards the
 * signals hutch-init relays, and exits with the app's status. The app
 * reaches no client of the user's display; the clipboard crosses only with
 * --clipboard yes.
 *
 * Everything it starts dies with the sandbox's pid namespace, so nothing
 * outlives hutch, however it ends. It is static, like hutch-init, so that
 * it runs in any root filesystem. */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <poll.h>
#include <stdarg.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define COOKIE_NAME "MIT-MAGIC-COOKIE-1"
#define COOKIE_LEN 16
#define XVFB_TIMEOUT_MS 10000
/* xpra's seamless windows are placed on this screen; it needs room for
 * windows as large as the user's. */
#define SCREEN "3840x2400x24"

static const int forwarded[] = {SIGINT, SIGTERM, SIGHUP, SIGQUIT, SIGUSR1, SIGUSR2, SIGWINCH};

static void
noop(int sig)
{
  (void)sig;
}

static void __attribute__((format(printf, 1, 2))) say(const char *fmt, ...)
{
  va_list ap;
  va_start(ap, fmt);
  fputs("hutch: x11 nested: ", stderr);
  vfprintf(stderr, fmt, ap);
  fputc('\n', stderr);
  va_end(ap);
}

static void
take_signals(sigset_t *set)
{
  sigemptyset(set);
  struct sigaction sa;
  memset(&sa, 0, sizeof(sa));
  sa.sa_handler = noop;
  for (size_t i = 0; i < sizeof(forwarded) / sizeof(forwarded[0]); i++) {
    sigaddset(set, forwarded[i]);
    sigaction(forwarded[i], &sa, NULL);
  }
  sigaddset(set, SIGCHLD);
  sigaction(SIGCHLD, &sa, NULL);
  sigprocmask(SIG_BLOCK, set, NULL);
}

static void
default_signals(void)
{
  sigset_t none;
  sigemptyset(&none);
  struct sigaction sa;
  memset(&sa, 0, sizeof(sa));
  sa.sa_handler = SIG_DFL;
  for (int sig = 1; sig < NSIG; sig++)
    sigaction(sig, &sa, NULL);
  sigprocmask(SIG_SETMASK, &none, NULL);
}

/* Whether NAME is an executable in $PATH (as execvp would find it). */
static int
in_path(const char *name)
{
  const char *path = getenv("PATH");
  if (!path)
    path = "/usr/bin:/bin";
  char buf[4096];
  while (*path) {
    size_t len = strcspn(path, ":");
    if (len > 0 &&
        (size_t)snprintf(buf, sizeof(buf), "%.*s/%s", (int)len, path, name) < sizeof(buf) &&
        access(buf, X_OK) == 0)
      return 1;
    path += len + (path[len] == ':');
  }
  return 0;
}

/* An X authority file of one FamilyWild entry for display NUMBER. */
static int
write_xauthority(const char *path, const char *number, const unsigned char *cookie)
{
  unsigned char buf[128];
  size_t n = 0, number_len = strlen(number), name_len = strlen(COOKIE_NAME);
  if (number_len > 16)
    return -1;
#define PUT16(v) (buf[n++] = (unsigned char)((v) >> 8), buf[n++] = (unsigned char)(v))
  PUT16(0xffff); /* FamilyWild */
  PUT16(0);      /* no address */
  PUT16(number_len);
  memcpy(buf + n, number, number_len);
  n += number_len;
  PUT16(name_len);
  memcpy(buf + n, COOKIE_NAME, name_len);
  n += name_len;
  PUT16(COOKIE_LEN);
  memcpy(buf + n, cookie, COOKIE_LEN);
  n += COOKIE_LEN;
#undef PUT16
  int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_NOFOLLOW | O_CLOEXEC, 0600);
  if (fd < 0)
    return -1;
  int ok = write(fd, buf, n) == (ssize_t)n;
  return close(fd) == 0 && ok ? 0 : -1;
}

/* DIR/app-env: DISPLAY and XAUTHORITY of the app's own server, a line
 * each, written whole under a temporary name and renamed. */
static int
write_app_env(const char *dir, const char *display, const char *xauth)
{
  char tmp[PATH_MAX], path[PATH_MAX], text[PATH_MAX + 64];
  int n = snprintf(text, sizeof(text), "DISPLAY=%s\nXAUTHORITY=%s\n", display, xauth);
  if (n < 0 || (size_t)n >= sizeof(text) ||
      snprintf(tmp, sizeof(tmp), "%s/.app-env.tmp", dir) >= (int)sizeof(tmp) ||
      snprintf(path, sizeof(path), "%s/app-env", dir) >= (int)sizeof(path)) {
    errno = ENAMETOOLONG;
    return -1;
  }
  int fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_NOFOLLOW | O_CLOEXEC, 0600);
  if (fd < 0)
    return -1;
  int ok = write(fd, text, (size_t)n) == n;
  if (close(fd) != 0 || !ok)
    return -1;
  return rename(tmp, path);
}

/* Start ARGV with ENVP in a process group of its own, so that a terminal's
 * signals reach the app alone; stdout and stderr go to LOG. */
static pid_t
start(char *const argv[], char *const envp[], const char *log, int keep_fd)
{
  pid_t pid = fork();
  if (pid != 0)
    return pid;
  default_signals();
  setpgid(0, 0);
  int null = open("/dev/null", O_RDONLY | O_CLOEXEC);
  int out = open(log, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0600);
  if (null >= 0)
    dup2(null, STDIN_FILENO);
  if (out >= 0) {
    dup2(out, STDOUT_FILENO);
    dup2(out, STDERR_FILENO);
  }
  if (keep_fd >= 0)
    fcntl(keep_fd, F_SETFD, 0);
  execvpe(argv[0], argv, envp);
  dprintf(STDERR_FILENO, "cannot execute %s: %s\n", argv[0], strerror(errno));
  _exit(127);
}

/* Read the display number Xvfb writes to FD once it accepts clients. */
static int
await_display(int fd, char *number, size_t size)
{
  size_t got = 0;
  struct timespec t0;
  clock_gettime(CLOCK_MONOTONIC, &t0);
  for (;;) {
    struct timespec now;
    clock_gettime(CLOCK_MONOTONIC, &now);
    long left =
        XVFB_TIMEOUT_MS - ((now.tv_sec - t0.tv_sec) * 1000 + (now.tv_nsec - t0.tv_nsec) / 1000000);
    if (left <= 0)
      return -1;
    struct pollfd p = {.fd = fd, .events = POLLIN};
    int r = poll(&p, 1, (int)left);
    if (r < 0 && errno == EINTR)
      continue;
    if (r <= 0)
      return -1;
    ssize_t n = read(fd, number + got, size - 1 - got);
    if (n <= 0) /* Xvfb exited without saying a display */
      return -1;
    got += (size_t)n;
    number[got] = '\0';
    char *nl = strchr(number, '\n');
    if (nl) {
      *nl = '\0';
      return 0;
    }
    if (got + 1 >= size)
      return -1;
  }
}

/* SIGTERM to PID, if it is one: never kill(-1), which would reach every
 * process of the sandbox. */
static void
stop(pid_t *pid)
{
  if (*pid > 0)
    kill(*pid, SIGTERM);
  *pid = -1;
}

static int
status_code(int status)
{
  if (WIFEXITED(status))
    return WEXITSTATUS(status);
  if (WIFSIGNALED(status))
    return 128 + WTERMSIG(status);
  return 1;
}

static void
usage(void)
{
  fprintf(stderr, "usage: hutch-x11-nested --dir DIR --clipboard yes|no -- COMMAND [ARG...]\n");
  exit(125);
}

/* VAR=VALUE for an environment. */
static char *
env_entry(const char *var, const char *value)
{
  size_t len = strlen(var) + strlen(value) + 2;
  char *s = malloc(len);
  if (s)
    snprintf(s, len, "%s=%s", var, value);
  return s;
}

extern char **environ;

/* ENVIRON with the given VAR=VALUE entries set (replaced or added). */
static char **
env_with(char **extra)
{
  size_t n = 0, k = 0;
  while (environ[n])
    n++;
  while (extra[k])
    k++;
  char **env = calloc(n + k + 1, sizeof(char *));
  if (!env)
    return environ;
  size_t out = 0;
  for (size_t i = 0; i < n; i++) {
    int replaced = 0;
    for (size_t j = 0; j < k; j++) {
      size_t vlen = strcspn(extra[j], "=") + 1;
      replaced |= strncmp(environ[i], extra[j], vlen) == 0;
    }
    if (!replaced)
      env[out++] = environ[i];
  }
  for (size_t j = 0; j < k; j++)
    env[out++] = extra[j];
  return env;
}

int
main(int argc, char **argv)
{
  const char *dir = NULL, *clipboard = "no";
  int i = 1;
  for (; i < argc && strcmp(argv[i], "--") != 0; i++) {
    if (i + 1 < argc && strcmp(argv[i], "--dir") == 0)
      dir = argv[++i];
    else if (i + 1 < argc && strcmp(argv[i], "--clipboard") == 0)
      clipboard = argv[++i];
    else
      usage();
  }
  if (!dir || i + 1 >= argc || (strcmp(clipboard, "yes") && strcmp(clipboard, "no")))
    usage();
  char **app_argv = argv + i + 1;

  if (!in_path("Xvfb") || !in_path("xpra")) {
    say("this root filesystem lacks %s; install it there (Debian: xvfb, xpra), or choose "
        "--x11 untrusted",
        in_path("Xvfb") ? "xpra" : "Xvfb");
    return 125;
  }
  char tmp[] = "/tmp/.hutch-x11-XXXXXX";
  unsigned char cookie[COOKIE_LEN];
  /* Xvfb, not root, would not make its socket directory itself. */
  if ((mkdir("/tmp/.X11-unix", 01777) < 0 && errno != EEXIST) ||
      chmod("/tmp/.X11-unix", 01777) < 0 || !mkdtemp(tmp) ||
      getrandom(cookie, sizeof(cookie), 0) != sizeof(cookie)) {
    say("cannot prepare the X server: %s", strerror(errno));
    return 125;
  }
  char xauth[64], socket_path[4096], server_log[4096], xvfb_log[4096], fd_arg[16];
  snprintf(xauth, sizeof(xauth), "%s/Xauthority", tmp);
  snprintf(socket_path, sizeof(socket_path), "%s/socket", dir);
  snprintf(server_log, sizeof(server_log), "%s/xpra-server.log", dir);
  snprintf(xvfb_log, sizeof(xvfb_log), "%s/Xvfb.log", dir);
  /* The server reads every cookie in its file, whatever display it names. */
  if (write_xauthority(xauth, "0", cookie) < 0) {
    say("cannot write %s: %s", xauth, strerror(errno));
    return 125;
  }

  sigset_t set;
  take_signals(&set);
  int ready[2];
  if (pipe2(ready, O_CLOEXEC) < 0) {
    say("cannot start Xvfb: %s", strerror(errno));
    return 125;
  }
  snprintf(fd_arg, sizeof(fd_arg), "%d", ready[1]);
  /* It listens on the abstract socket too: with network host that makes
   * it skip the display numbers of the host's servers, whose abstract
   * sockets the app's Xlib would otherwise try first (and fail there). */
  char *xvfb_argv[] = {"Xvfb", "-displayfd", fd_arg,    "-auth", xauth,  "-nolisten",
                       "tcp",  "-noreset",   "-screen", "0",     SCREEN, NULL};
  pid_t xvfb = start(xvfb_argv, environ, xvfb_log, ready[1]);
  close(ready[1]);
  char number[16];
  if (xvfb < 0 || await_display(ready[0], number, sizeof(number)) < 0) {
    say("Xvfb did not start (see %s)", xvfb_log);
    stop(&xvfb);
    return 125;
  }
  close(ready[0]);
  char display[24];
  snprintf(display, sizeof(display), ":%s", number);
  if (write_xauthority(xauth, number, cookie) < 0) {
    say("cannot write %s: %s", xauth, strerror(errno));
    stop(&xvfb);
    return 125;
  }
  /* hutch enter (and a second launch joining this sandbox) gives its
   * command the same server: it reads this beside the socket. */
  if (write_app_env(dir, display, xauth) < 0) {
    say("cannot write %s/app-env: %s", dir, strerror(errno));
    stop(&xvfb);
    return 125;
  }

  /* xpra reads no configuration file: what it may do is all said here. */
  char *server_env_extra[] = {env_entry("DISPLAY", display),
                              env_entry("XAUTHORITY", xauth),
                              env_entry("HOME", tmp),
                              env_entry("XDG_RUNTIME_DIR", tmp),
                              env_entry("XPRA_SYSTEM_CONF_DIRS", ""),
                              env_entry("XPRA_USER_CONF_DIRS", ""),
                              NULL};
  char bind_arg[4200], dirs_arg[4200], log_dir_arg[64], clip_arg[32];
  snprintf(bind_arg, sizeof(bind_arg), "--bind=%s", socket_path);
  snprintf(dirs_arg, sizeof(dirs_arg), "--socket-dirs=%s", dir);
  snprintf(log_dir_arg, sizeof(log_dir_arg), "--log-dir=%s", tmp);
  snprintf(clip_arg, sizeof(clip_arg), "--clipboard=%s", clipboard);
  char *xpra_argv[] = {"xpra",
                       "start",
                       display,
                       "--use-display=yes",
                       "--daemon=no",
                       bind_arg,
                       dirs_arg,
                       log_dir_arg,
                       clip_arg,
                       "--clipboard-direction=both",
                       "--exit-with-client=yes",
                       "--sharing=no",
                       "--lock=yes",
                       "--mdns=no",
                       "--pulseaudio=no",
                       "--speaker=off",
                       "--microphone=off",
                       "--webcam=no",
                       "--notifications=no",
                       "--printing=no",
                       "--file-transfer=no",
                       "--open-files=no",
                       "--open-url=no",
                       "--forward-xdg-open=no",
                       "--dbus-proxy=no",
                       "--dbus-control=no",
                       "--dbus-launch=",
                       "--html=off",
                       "--systemd-run=no",
                       "--start-via-proxy=no",
                       "--mmap=no",
                       "--start=",
                       "--start-child=",
                       "--remote-logging=no",
                       "--av-sync=no",
                       NULL};
  pid_t xpra = start(xpra_argv, env_with(server_env_extra), server_log, -1);

  char *app_env_extra[] = {env_entry("DISPLAY", display), env_entry("XAUTHORITY", xauth), NULL};
  char **app_env = env_with(app_env_extra);
  pid_t app = fork();
  if (app == 0) {
    default_signals();
    execvpe(app_argv[0], app_argv, app_env);
    int err = errno;
    if (err == ENOENT)
      fprintf(stderr, "hutch: %s: command not found inside the sandbox\n", app_argv[0]);
    else
      fprintf(stderr, "hutch: %s: cannot execute: %s\n", app_argv[0], strerror(err));
    _exit(err == ENOENT ? 127 : 126);
  }
  if (app < 0) {
    say("cannot start %s: %s", app_argv[0], strerror(errno));
    stop(&xpra);
    stop(&xvfb);
    return 125;
  }

  for (;;) {
    siginfo_t info;
    int sig = sigwaitinfo(&set, &info);
    if (sig < 0)
      continue;
    if (sig != SIGCHLD) {
      /* A terminal's signals (SI_KERNEL) reached the app's group already. */
      if (info.si_code != SI_KERNEL)
        kill(app, sig);
      continue;
    }
    int status;
    pid_t pid;
    while ((pid = waitpid(-1, &status, WNOHANG)) > 0) {
      if (pid == app) {
        stop(&xpra);
        stop(&xvfb);
        return status_code(status);
      }
      /* Without xpra nothing shows the app's windows: end its display, as a
       * desktop's display that goes away ends its apps. */
      if (pid == xpra) {
        xpra = -1;
        stop(&xvfb);
      }
      if (pid == xvfb)
        xvfb = -1;
    }
  }
}
