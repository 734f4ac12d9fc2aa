#!/bin/sh
# /usr/bin/lotse: starts the frozen Lotse installed in /opt/lotse (a wrapper, not a
# symlink, so the bundle always finds its _internal folder beside the real executable).
exec /opt/lotse/lotse "$@"
