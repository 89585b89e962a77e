#!/bin/sh
# What the images' runtime stage holds, checked without a Docker engine: the built dist/ and configs/ next to
# production dependencies only (`npm ci --omit=dev`, as `npm prune --omit=dev` leaves them), started through the
# images' entrypoint. The agent (embedded broker, a camera that is not there) and the console must both come up,
# answer /health and find each other over MQTT.
#
#   sh docker/check-runtime.sh [work-dir]
set -eu
repo=$(cd "$(dirname "$0")/.." && pwd)
work=${1:-$(mktemp -d /tmp/vigil-runtime-XXXXXX)}
home="$work/opt/vigil"
agent_port=${VIGIL_AGENT_PORT:-18081}
console_port=${VIGIL_CONSOLE_PORT:-18080}
mqtt_port=${VIGIL_MQTT_PORT:-11883}

step() { printf '\n== %s\n' "$*"; }

step "build ($repo)"
(cd "$repo" && npm run build --silent)

step "production dependencies only ($home)"
mkdir -p "$home"
cp "$repo/package.json" "$repo/package-lock.json" "$repo/.npmrc" "$home/"
(cd "$home" && ONNXRUNTIME_NODE_INSTALL=skip npm ci --omit=dev --no-audit --no-fund --loglevel=error)
cp -R "$repo/dist" "$repo/configs" "$home/"
(cd "$home" && node -e '
  const lock = require("./node_modules/.package-lock.json").packages;
  const dev = Object.keys(lock).filter((p) => lock[p].dev);
  if (dev.length) { console.error("dev-only packages installed: " + dev.join(", ")); process.exit(1); }
  console.log(Object.keys(lock).length + " packages installed, none of them dev-only");
')

cat > "$work/site.yaml" <<EOF
site: { id: runtime-check, name: Runtime check }
cameras:
  - { id: gone, name: Camera that is not there, url: "rtsp://127.0.0.1:9/none" }
mqtt:
  url: mqtt://127.0.0.1:$mqtt_port
  embeddedBroker: { enabled: true, host: 127.0.0.1, port: $mqtt_port }
storage: { path: $work/data/edge-agent.db }
media: { dir: $work/data/media }
http: { port: $agent_port }
EOF
cat > "$work/console.yaml" <<EOF
http: { port: $console_port }
mqtt: { url: "mqtt://127.0.0.1:$mqtt_port" }
storage: { path: $work/data/console.db }
EOF
mkdir -p "$work/data"

step "start the agent and the console through docker/entrypoint.sh"
VIGIL_HOME="$home" sh "$repo/docker/entrypoint.sh" agent --config "$work/site.yaml" > "$work/agent.log" 2>&1 &
agent=$!
VIGIL_HOME="$home" sh "$repo/docker/entrypoint.sh" console --config "$work/console.yaml" > "$work/console.log" 2>&1 &
console=$!
trap 'kill $agent $console 2>/dev/null || true' EXIT

# the console's /health says whether it holds an MQTT connection; the agent's whether its broker link is up
wait_for() {
  name=$1 url=$2 pattern=$3 log=$4
  i=0
  while [ $i -lt 60 ]; do
    body=$(curl -fsS "$url" 2>/dev/null || true)
    if printf '%s' "$body" | grep -q "$pattern"; then
      printf '%s: %s\n' "$name" "$body" | cut -c1-300
      return 0
    fi
    i=$((i + 1))
    sleep 1
  done
  printf '%s did not report %s at %s within 60 s; its log:\n' "$name" "$pattern" "$url" >&2
  tail -30 "$log" >&2
  exit 1
}
wait_for agent "http://127.0.0.1:$agent_port/health" '"connected":true' "$work/agent.log"
wait_for console "http://127.0.0.1:$console_port/health" '"connected":true' "$work/console.log"
curl -fsSL "http://127.0.0.1:$console_port/" | grep -q '<title>' || { echo 'console page missing' >&2; exit 1; }

step "ok: the runtime layout starts both services on production dependencies ($work)"
