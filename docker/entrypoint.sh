#!/bin/sh
# vigil agent|console [--config file] | vigil site-key --config file | vigil health
set -e
home="${VIGIL_HOME:-/opt/vigil}"
# glibc hands blocks of 64 KiB and more their own mapping and returns them when freed; without a fixed threshold
# it raises it after a burst and keeps the memory (scripts/agent-env.ts, docs/benchmarks.md soak)
export MALLOC_MMAP_THRESHOLD_="${MALLOC_MMAP_THRESHOLD_:-65536}"

# Secrets from files (Docker and Podman secrets): NAME_FILE=/run/secrets/x sets NAME to the file's content, for any
# NAME a site or console file uses as ${NAME}. Setting both is an error, as it is ambiguous.
for pair in $(env | sed -n 's/^\([A-Za-z_][A-Za-z0-9_]*\)_FILE=.*/\1/p'); do
  file=$(printenv "${pair}_FILE")
  if [ -n "$(printenv "$pair" || true)" ]; then
    echo "vigil: both $pair and ${pair}_FILE are set; keep one" >&2
    exit 2
  fi
  if [ ! -r "$file" ]; then
    echo "vigil: ${pair}_FILE names $file, which cannot be read; mount the secret there or fix the path" >&2
    exit 2
  fi
  value=$(cat "$file")
  export "$pair=$value"
  unset "${pair}_FILE"
done

case "$1" in
  agent) shift; exec node "$home/dist/apps/edge-agent/src/main.js" "$@" ;;
  console) shift; exec node "$home/dist/apps/console/src/main.js" "$@" ;;
  site-key) shift; exec node "$home/dist/apps/edge-agent/src/main.js" --print-site-key "$@" ;;
  health)
    # the agent's readiness on 8081, else the console's on 8080, unless VIGIL_HEALTH_URL names the one to ask
    exec node -e '
      const urls = process.env.VIGIL_HEALTH_URL ? [process.env.VIGIL_HEALTH_URL] : ["http://127.0.0.1:8081/health/ready", "http://127.0.0.1:8080/health/ready"];
      (async () => {
        for (const url of urls) {
          try {
            const res = await fetch(url, { signal: AbortSignal.timeout(4000) });
            console.log(url, res.status, await res.text());
            process.exit(res.ok ? 0 : 1);
          } catch (err) { console.log(url, String(err.cause?.code ?? err.message)); }
        }
        process.exit(1);
      })();' ;;
  *) echo "usage: vigil agent|console [--config file] | vigil site-key --config file | vigil health" >&2; exit 2 ;;
esac
