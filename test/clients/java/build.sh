#!/usr/bin/env bash
# Builds the Java Graph beta SDK client (target/graph-mock-java-client.jar and its runtime class path
# in target/lib/), or says it is up to date: the build is skipped when pom.xml, the sources and the
# JDK are those of the last successful build and its output is all there. A missing JDK or Maven is
# an error, never a skip, so that CI cannot pass without running the Java client.
#
# Usage: test/clients/java/build.sh [--force] [extra Maven arguments, e.g. -Dmaven.repo.local=DIR]
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
cd "$here"

force=0
if [[ "${1:-}" == "--force" ]]; then force=1; shift; fi

fail () { echo "test/clients/java: $*" >&2; exit 1; }

command -v java > /dev/null || fail "no 'java' on PATH: the Java client needs a JDK 17 or later (Debian: apt-get install openjdk-17-jdk-headless)"
command -v javac > /dev/null || fail "no 'javac' on PATH: a JRE is not enough, the Java client needs a JDK 17 or later (Debian: apt-get install openjdk-17-jdk-headless)"
command -v mvn > /dev/null || fail "no 'mvn' on PATH: the Java client is built with Maven 3.8 or later (Debian: apt-get install maven)"

java_version="$(javac -version 2>&1 | awk '{print $2}')"
major="${java_version%%.*}"
[[ "$major" =~ ^[0-9]+$ ]] || fail "cannot read the JDK version from 'javac -version': $java_version"
(( major >= 17 )) || fail "the Java client needs a JDK 17 or later; javac is $java_version"

jar=target/graph-mock-java-client.jar
stamp=target/build-stamp
# What the build depends on: the pom, every source file (names and contents) and the JDK.
wanted="$( { echo "javac $java_version"; sha256sum pom.xml; find src -type f -print0 | sort -z | xargs -0 sha256sum; } | sha256sum | cut -d' ' -f1)"

if (( force == 0 )) && [[ -f "$stamp" && -f "$jar" && -d target/lib ]] && [[ "$(head -n1 "$stamp")" == "$wanted" ]]; then
  # The stamp lists the class path the build copied; all of it must still be there.
  missing=0
  while read -r name; do [[ -f "target/lib/$name" ]] || { missing=1; break; }; done < <(tail -n +2 "$stamp")
  if (( missing == 0 )); then
    echo "test/clients/java: up to date ($jar, $(($(wc -l < "$stamp") - 1)) jars in target/lib)"
    exit 0
  fi
fi

rm -f "$stamp"
rm -rf target/lib
started=$(date +%s)
# Debian's Maven 3.8 prints colour resets even in batch mode; they are dropped from its output.
mvn -B -q -ntp package "$@" 2>&1 | sed 's/\x1b\[[0-9;]*m//g' || fail "the Maven build failed (see above)"
[[ -f "$jar" && -d target/lib ]] || fail "the Maven build left no $jar or target/lib"
{ echo "$wanted"; (cd target/lib && ls -1); } > "$stamp"
echo "test/clients/java: built $jar with $(ls -1 target/lib | wc -l) jars in target/lib ($(du -sh target/lib | cut -f1)) in $(( $(date +%s) - started )) s"
