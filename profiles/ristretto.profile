[Profile]
description=Ristretto image viewer: pictures and downloads read-only
include=images.inc
command=ristretto
