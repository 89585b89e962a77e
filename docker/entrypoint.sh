#!/bin/sh
# vigil agent|console [args...]
set -e
case "$1" in
  agent) shift; exec node /opt/vigil/dist/apps/edge-agent/src/main.js "$@" ;;
  console) shift; exec node /opt/vigil/dist/apps/console/src/main.js "$@" ;;
  *) echo "usage: vigil agent|console [--config file]" >&2; exit 2 ;;
esac
