#!/usr/bin/env bash
# Builds the Go Graph SDK client (msgraph-sdk-go, pinned by go.mod and go.sum) into bin/: the
# scenario program test/clients/go.test.ts runs, and the README's Go snippet (readme/main.go).
# Idempotent: nothing is rebuilt while both binaries are newer than every Go source, go.mod, go.sum
# and this script, and were built by the same Go. A missing Go toolchain is an error, never a skip,
# so that CI cannot pass without running the Go client.
#
# A cold build compiles the SDK's models package and every request-builder package: about 5 minutes
# of CPU and 4.7 GB of memory at its peak (README.md, "Go: msgraph-sdk-go"). Go's build cache
# (GOCACHE, by default ~/.cache/go-build) keeps them; later builds take seconds.
#
# Usage: test/clients/go/build.sh [--force]
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
cd "$here"

force=0
if [[ "${1:-}" == "--force" ]]; then force=1; shift; fi

fail () { echo "clients:go: $*" >&2; exit 1; }

command -v go > /dev/null || fail "no 'go' on PATH: the Go SDK client needs Go 1.24 or later (https://go.dev/doc/install; Debian: apt-get install golang-go, if its Go is recent enough)"

# The module's go line is the floor; never fetch another toolchain behind the user's back.
export GOTOOLCHAIN=local
go_version="$(go env GOVERSION)" || fail "'go env GOVERSION' failed: is the Go installation broken?"

client=bin/graph-mock-go-client
snippet=bin/readme-snippet
stamp=bin/built-with

up_to_date () {
  [[ -x "$client" && -x "$snippet" && -f "$stamp" ]] || return 1
  [[ "$(cat "$stamp")" == "$go_version" ]] || return 1
  # Anything the build reads that is newer than either binary means a rebuild.
  local newer
  newer="$(find . -path ./bin -prune -o \( -name '*.go' -o -name go.mod -o -name go.sum -o -name build.sh \) \( -newer "$client" -o -newer "$snippet" \) -print -quit)"
  [[ -z "$newer" ]]
}

if (( force == 0 )) && up_to_date; then
  echo "clients:go: up to date ($client, $snippet; $go_version)"
  exit 0
fi

mkdir -p bin
rm -f "$stamp"
started=$SECONDS
# -mod=readonly: the build uses go.sum as committed and fails rather than change it.
go build -mod=readonly -buildvcs=false -o "$client" . || fail "go build of the scenario program failed (see above)"
go build -mod=readonly -buildvcs=false -o "$snippet" ./readme || fail "go build of the README snippet failed (see above)"
echo "$go_version" > "$stamp"
echo "clients:go: built $client ($(du -h "$client" | cut -f1)) and $snippet with $go_version in $(( SECONDS - started )) s"
