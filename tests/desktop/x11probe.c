/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* x11probe: what an X client can do, for the desktop tests. Prints one word
 * per probe ("allowed"/"denied", "reachable"/"unreachable") so the tests
 * compare words, not X error texts.
 *
 *   x11probe window          map a trusted window, print its id, wait
 *   x11probe getimage WID    read the pixels of window WID
 *   x11probe xtest           fake a key press through XTEST
 *   x11probe socket N        connect to display N's path and abstract sockets
 *   x11probe revoke ID       revoke SECURITY cookie ID as hutch would at exit */
#include <X11/Xlib.h>
#include <X11/Xutil.h>
#include <X11/extensions/XTest.h>
#include <X11/extensions/security.h>
#include <X11/keysym.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

static int x_error;

static int
on_error(Display *dpy, XErrorEvent *ev)
{
  x_error = ev->error_code;
  return 0;
}

static Display *
open_display(void)
{
  Display *dpy = XOpenDisplay(NULL);
  if (!dpy) {
    fprintf(stderr, "x11probe: cannot open display\n");
    exit(2);
  }
  XSetErrorHandler(on_error);
  return dpy;
}

static _Noreturn void
probe_window(void)
{
  Display *dpy = open_display();
  int screen = DefaultScreen(dpy);
  Window w = XCreateSimpleWindow(dpy, RootWindow(dpy, screen), 10, 10, 64, 64, 0, 0, 0x00ff8000);
  XMapWindow(dpy, w);
  XSync(dpy, False);
  printf("0x%lx\n", (unsigned long)w);
  fflush(stdout);
  for (;;)
    pause();
}

static int
probe_getimage(const char *wid)
{
  Display *dpy = open_display();
  Window w = (Window)strtoul(wid, NULL, 0);
  XImage *img = XGetImage(dpy, w, 0, 0, 8, 8, AllPlanes, ZPixmap);
  XSync(dpy, False);
  puts(img && !x_error ? "allowed" : "denied");
  if (img)
    XDestroyImage(img);
  XCloseDisplay(dpy);
  return 0;
}

static int
probe_xtest(void)
{
  Display *dpy = open_display();
  int event, error, major, minor;
  if (!XTestQueryExtension(dpy, &event, &error, &major, &minor)) {
    puts("denied");
    XCloseDisplay(dpy);
    return 0;
  }
  KeyCode key = XKeysymToKeycode(dpy, XK_Shift_L);
  XTestFakeKeyEvent(dpy, key, True, 0);
  XTestFakeKeyEvent(dpy, key, False, 0);
  XSync(dpy, False);
  puts(x_error ? "denied" : "allowed");
  XCloseDisplay(dpy);
  return 0;
}

static const char *
try_connect(const char *path, int abstract)
{
  struct sockaddr_un addr = {.sun_family = AF_UNIX};
  socklen_t len;
  if (abstract) {
    strncpy(addr.sun_path + 1, path, sizeof(addr.sun_path) - 2);
    len = (socklen_t)(offsetof(struct sockaddr_un, sun_path) + 1 + strlen(path));
  } else {
    strncpy(addr.sun_path, path, sizeof(addr.sun_path) - 1);
    len = sizeof(addr);
  }
  int fd = socket(AF_UNIX, SOCK_STREAM, 0);
  int ok = fd >= 0 && connect(fd, (struct sockaddr *)&addr, len) == 0;
  if (fd >= 0)
    close(fd);
  return ok ? "reachable" : "unreachable";
}

static int
probe_socket(const char *number)
{
  char path[64];
  snprintf(path, sizeof(path), "/tmp/.X11-unix/X%s", number);
  printf("path %s\n", try_connect(path, 0));
  printf("abstract %s\n", try_connect(path, 1));
  return 0;
}

static int
probe_revoke(const char *id)
{
  Display *dpy = open_display();
  int major, minor;
  if (!XSecurityQueryExtension(dpy, &major, &minor)) {
    puts("no SECURITY");
    return 1;
  }
  XSecurityRevokeAuthorization(dpy, (XSecurityAuthorization)strtoul(id, NULL, 10));
  XSync(dpy, False);
  if (x_error)
    printf("X error %d\n", x_error);
  else
    puts("revoked");
  XCloseDisplay(dpy);
  return 0;
}

int
main(int argc, char **argv)
{
  if (argc == 2 && !strcmp(argv[1], "window"))
    probe_window();
  if (argc == 3 && !strcmp(argv[1], "getimage"))
    return probe_getimage(argv[2]);
  if (argc == 2 && !strcmp(argv[1], "xtest"))
    return probe_xtest();
  if (argc == 3 && !strcmp(argv[1], "socket"))
    return probe_socket(argv[2]);
  if (argc == 3 && !strcmp(argv[1], "revoke"))
    return probe_revoke(argv[2]);
  fprintf(stderr, "usage: x11probe window | getimage WID | xtest | socket N | revoke ID\n");
  return 2;
}
