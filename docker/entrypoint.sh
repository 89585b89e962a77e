#!/bin/sh
# vigil agent|console [args...]
set -e
# glibc hands blocks of 64 KiB and more their own mapping and returns them when freed; without a fixed threshold
# it raises it after a burst and keeps the memory (scripts/agent-env.ts, docs/benchmarks.md soak)
export MALLOC_MMAP_THRESHOLD_="${MALLOC_MMAP_THRESHOLD_:-65536}"
case "$1" in
  agent) shift; exec node "${VIGIL_HOME:-/opt/vigil}/dist/apps/edge-agent/src/main.js" "$@" ;;
  console) shift; exec node "${VIGIL_HOME:-/opt/vigil}/dist/apps/console/src/main.js" "$@" ;;
  *) echo "usage: vigil agent|console [--config file]" >&2; exit 2 ;;
esac
