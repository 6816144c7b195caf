#!/usr/bin/env bash
# Runs a command (podman, podman-compose, or a script calling them) with podman pointed at the
# container tests' own storage and settings:
#
#   bash test/containers/podman.sh podman images
#   bash test/containers/podman.sh podman-compose -p demo up -d
#
# - Storage: its own store (GRAPH_MOCK_CONTAINERS_STATE, default /var/lib/graph-mock-containers) with
#   the overlay driver. ../shared/tools/container-smoke keeps podman's default store on vfs, where
#   every container and every build step is a full copy of the file system: on these 2-core machines
#   (busy with other work at the time) building the image took 16 minutes on vfs and 1 to 2 minutes on
#   overlay, and creating a container 20 s against under a second. GRAPH_MOCK_CONTAINERS_DRIVER=vfs
#   switches where overlay cannot work.
# - default_ulimits: podman gives a root container nofile 1048576 and a large nproc, and these machines
#   do not let a process raise its hard limits (runc: "error setting rlimits ... operation not
#   permitted"); so a container gets this shell's hard nofile limit and nproc 4096, as container-smoke
#   passes them with --ulimit. Testcontainers and podman-compose have no flag for that here.
# The settings are written under the state folder and named by CONTAINERS_STORAGE_CONF and
# CONTAINERS_CONF, which podman reads from the environment, so the API service that Testcontainers
# talks to and every podman that podman-compose starts use them too.
set -euo pipefail

state=${GRAPH_MOCK_CONTAINERS_STATE:-/var/lib/graph-mock-containers}
driver=${GRAPH_MOCK_CONTAINERS_DRIVER:-overlay}
mkdir -p "$state"

# Written only when different (test files run in parallel and read them at any moment), and by rename.
put() { # $1 file, $2 content
  if [[ ! -f $1 || $(<"$1") != "$2" ]]; then
    printf '%s\n' "$2" >"$1.$$" && mv -f "$1.$$" "$1"
  fi
}
# Run-time state (mounts, locks, the engine's tmp_dir) of a store of its own, never shared with podman's
# default store (/run/containers, /run/libpod) or with another state folder's.
run=/run/graph-mock-containers/$(printf '%s' "$state" | sha256sum | cut -c1-12)
put "$state/storage.conf" "[storage]
driver = \"$driver\"
graphroot = \"$state/storage\"
runroot = \"$run/storage\""
nofile=$(ulimit -Hn)
[[ $nofile == unlimited ]] && nofile=1048576
put "$state/containers.conf" "[containers]
default_ulimits = [\"nofile=$nofile:$nofile\", \"nproc=4096:4096\"]

[engine]
tmp_dir = \"$run/libpod\""

export CONTAINERS_STORAGE_CONF="$state/storage.conf" CONTAINERS_CONF="$state/containers.conf"
export GRAPH_MOCK_CONTAINERS_ENV=1
unset STORAGE_DRIVER STORAGE_OPTS
exec "$@"
