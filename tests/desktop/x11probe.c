/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* x11probe: what an X client can do, for the desktop tests. Prints one word
 * per probe ("allowed"/"denied", "reachable"/"unreachable") so the tests
 * compare words, not X error texts.
 *
 *   x11probe window          map a trusted window, print its id, wait
 *   x11probe getimage WID    read the pixels of window WID
 *   x11probe xtest           fake a key press through XTEST
 *   x11probe socket N        connect to display N's path and abstract sockets
 *   x11probe revoke ID       revoke SECURITY cookie ID as hutch would at exit
 *   x11probe keys SECONDS    map a window, print "mapped", then each key typed into it
 *   x11probe grab SECONDS    grab the keyboard on a window of its own ("grabbed"/
 *                            "grab refused"), then print each key it takes
 *   x11probe rootimage       count the pixels of the root window in the colour of
 *                            probe windows ("orange N")
 *   x11probe cutbuffer       print CUT_BUFFER0, or "(none)"
 *   x11probe hold TIMEOUT    generate an untrusted cookie with TIMEOUT (0: none), print
 *                            its id, and exit without revoking it */
#include <X11/Xlib.h>
#include <X11/Xutil.h>
#include <X11/extensions/XTest.h>
#include <X11/extensions/security.h>
#include <X11/keysym.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/select.h>
#include <time.h>
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

#define PROBE_COLOUR 0x00ff8000

static Window
map_window(Display *dpy, long events)
{
  int screen = DefaultScreen(dpy);
  Window w = XCreateSimpleWindow(dpy, RootWindow(dpy, screen), 10, 10, 64, 64, 0, 0, PROBE_COLOUR);
  XStoreName(dpy, w, "x11probe");
  XSelectInput(dpy, w, events);
  XMapWindow(dpy, w);
  XSync(dpy, False);
  return w;
}

static _Noreturn void
probe_window(void)
{
  Display *dpy = open_display();
  Window w = map_window(dpy, 0);
  printf("0x%lx\n", (unsigned long)w);
  fflush(stdout);
  for (;;)
    pause();
}

/* Print the name of each key pressed that reaches DPY until SECONDS pass. */
static void
print_keys(Display *dpy, int seconds)
{
  time_t end = time(NULL) + seconds;
  int fd = ConnectionNumber(dpy);
  while (time(NULL) < end) {
    while (XPending(dpy)) {
      XEvent ev;
      XNextEvent(dpy, &ev);
      if (ev.type == KeyPress) {
        const char *name = XKeysymToString(XLookupKeysym(&ev.xkey, 0));
        printf("key %s\n", name ? name : "?");
        fflush(stdout);
      }
    }
    fd_set in;
    FD_ZERO(&in);
    FD_SET(fd, &in);
    struct timeval tv = {.tv_sec = 0, .tv_usec = 100000};
    select(fd + 1, &in, NULL, NULL, &tv);
  }
}

static int
probe_keys(const char *seconds)
{
  Display *dpy = open_display();
  map_window(dpy, KeyPressMask);
  puts("mapped");
  fflush(stdout);
  print_keys(dpy, atoi(seconds));
  XCloseDisplay(dpy);
  return 0;
}

static int
probe_grab(const char *seconds)
{
  Display *dpy = open_display();
  /* On a window of its own: events reported to the root window (the
   * server's) are withheld from untrusted clients, those to their own
   * windows are not. */
  Window own = map_window(dpy, KeyPressMask);
  int tries = 0, r;
  /* Another client may hold a grab for a moment: retry briefly. */
  while ((r = XGrabKeyboard(dpy, own, False, GrabModeAsync, GrabModeAsync, CurrentTime)) !=
             GrabSuccess &&
         tries++ < 20)
    usleep(50000);
  puts(r == GrabSuccess && !x_error ? "grabbed" : "grab refused");
  fflush(stdout);
  print_keys(dpy, atoi(seconds));
  XUngrabKeyboard(dpy, CurrentTime);
  XCloseDisplay(dpy);
  return 0;
}

static int
probe_rootimage(void)
{
  Display *dpy = open_display();
  Window root = DefaultRootWindow(dpy);
  XWindowAttributes a;
  XGetWindowAttributes(dpy, root, &a);
  XImage *img =
      XGetImage(dpy, root, 0, 0, (unsigned)a.width, (unsigned)a.height, AllPlanes, ZPixmap);
  XSync(dpy, False);
  long n = 0;
  for (int y = 0; img && y < img->height; y++)
    for (int x = 0; x < img->width; x++)
      n += (XGetPixel(img, x, y) & 0xffffff) == PROBE_COLOUR;
  if (img)
    printf("orange %ld\n", n);
  else
    puts("denied");
  XCloseDisplay(dpy);
  return 0;
}

static int
probe_cutbuffer(void)
{
  Display *dpy = open_display();
  int len = 0;
  char *bytes = XFetchBytes(dpy, &len);
  if (bytes && len > 0)
    printf("%.*s\n", len, bytes);
  else
    puts("(none)");
  XCloseDisplay(dpy);
  return 0;
}

static int
probe_hold(const char *timeout)
{
  Display *dpy = open_display();
  Xauth *in = XSecurityAllocXauth();
  in->name = "MIT-MAGIC-COOKIE-1";
  in->name_length = 18;
  XSecurityAuthorizationAttributes attrs = {.timeout = (unsigned)atoi(timeout),
                                            .trust_level = XSecurityClientUntrusted};
  XSecurityAuthorization id = 0;
  Xauth *auth =
      XSecurityGenerateAuthorization(dpy, in, XSecurityTimeout | XSecurityTrustLevel, &attrs, &id);
  XSync(dpy, False);
  printf("%lu\n", (unsigned long)id);
  if (auth)
    XSecurityFreeXauth(auth);
  XSecurityFreeXauth(in);
  XCloseDisplay(dpy);
  return auth ? 0 : 1;
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
  if (argc == 3 && !strcmp(argv[1], "keys"))
    return probe_keys(argv[2]);
  if (argc == 3 && !strcmp(argv[1], "grab"))
    return probe_grab(argv[2]);
  if (argc == 2 && !strcmp(argv[1], "rootimage"))
    return probe_rootimage();
  if (argc == 2 && !strcmp(argv[1], "cutbuffer"))
    return probe_cutbuffer();
  if (argc == 3 && !strcmp(argv[1], "hold"))
    return probe_hold(argv[2]);
  fprintf(stderr, "usage: x11probe window | getimage WID | xtest | socket N | revoke ID | "
                  "keys S | grab S | rootimage | cutbuffer | hold TIMEOUT\n");
  return 2;
}
