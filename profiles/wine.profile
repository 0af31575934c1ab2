# X11: trusted (gaming.inc): Windows games draw with Direct3D, which Wine
# turns into OpenGL or Vulkan, and both need GLX or DRI3 on X11.
[Profile]
description=Wine: Windows programs in a prefix in its own home, no network
include=gaming.inc
command=wine

# Wine draws through X11 (Xwayland on a Wayland session).
[Permissions]
allow=x11;multiarch
deny=input

[Environment]
set=WINEDEBUG=-all
