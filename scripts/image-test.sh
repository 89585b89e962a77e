#!/usr/bin/env bash
# npm run image:test: builds the CPU image with podman (base images made locally: docker/podman/base-images.sh),
# then runs docs/deploy.md against it (test/image/containers.spec.ts) and removes what it started.
#   VIGIL_IMAGE_TEST_OPTIONAL=1   where podman cannot run containers, say why and exit 0 (.ci/run sets it)
#   VIGIL_KEEP_SITE=1             leave the test site running for a look (podman-compose -p vigilimagetest down -v)
set -euo pipefail
cd "$(dirname "$0")/.."
export CONTAINERS_CONF="${CONTAINERS_CONF:-$PWD/docker/podman/containers.conf}"
logs="${VIGIL_IMAGE_LOGS:-/var/tmp/vigil-images/logs}"
mkdir -p "$logs"
say() { printf 'image-test: %s\n' "$*"; }

cannot_run() {
  if [ "${VIGIL_IMAGE_TEST_OPTIONAL:-}" = 1 ]; then
    say "SKIPPED: $1"
    exit 0
  fi
  say "$1" >&2
  exit 1
}

for tool in podman podman-compose debootstrap runc; do
  command -v "$tool" > /dev/null ||
    cannot_run "$tool is not installed; apt-get install podman podman-compose buildah debootstrap runc fuse-overlayfs uidmap slirp4netns golang-github-containernetworking-plugin-dnsname"
done
[ "$(id -u)" = 0 ] || cannot_run "the image test runs podman as root (debootstrap and the compose network need it); run it with sudo"
podman info > "$logs/podman-info.txt" 2>&1 || cannot_run "podman cannot start here: $(tail -1 "$logs/podman-info.txt")"

started=$(date +%s)
bash docker/podman/base-images.sh
podman run --rm docker.io/library/debian:bookworm-slim true 2> "$logs/podman-run.txt" ||
  cannot_run "podman cannot run a container here: $(tail -1 "$logs/podman-run.txt")"

# a CA bundle for networks that re-sign HTTPS to the npm registry (this CI's); used by the build, not kept
ca_args=()
if [ -r /etc/ssl/certs/ca-certificates.crt ]; then
  ca_args=(-v /etc/ssl/certs/ca-certificates.crt:/host-ca.crt:ro --build-arg NODE_EXTRA_CA_CERTS=/host-ca.crt)
fi

build() { # tag file context
  local tag=$1 file=$2 context=$3 t0
  t0=$(date +%s)
  say "building $tag from $file (steps below; full log $logs/build-${tag//[:\/]/_}.log)"
  if ! podman build --format docker --network host "${ca_args[@]}" -f "$file" -t "$tag" "$context" 2>&1 |
    tee "$logs/build-${tag//[:\/]/_}.log" | grep --line-buffered -E '^(\[[0-9]+/[0-9]+\] )?STEP [0-9]+/[0-9]+: (FROM|RUN|COPY)' | awk '{ print substr($0, 1, 140); fflush() }'; then
    tail -30 "$logs/build-${tag//[:\/]/_}.log" >&2
    say "building $tag failed" >&2
    exit 1
  fi
  say "$tag built in $(($(date +%s) - t0)) s, $(podman image inspect --format '{{.Size}}' "$tag" | awk '{printf "%.0f MB", $1/1e6}')"
}
build localhost/vigil:cpu docker/Dockerfile .
build localhost/vigil-test-camera test/image/camera.Containerfile .

say "running test/image/containers.spec.ts"
npx jest --config test/image/jest.config.js --runInBand
say "done in $(($(date +%s) - started)) s"
