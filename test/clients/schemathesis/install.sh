#!/usr/bin/env bash
# Installs schemathesis, exactly as requirements.txt pins it (every package with its hashes), into
# .venv beside this file, for test/clients/schemathesis.test.ts. Idempotent: a venv installed from
# the same requirements.txt by the same interpreter is kept; anything else is rebuilt. No Python is
# an error, never a skip.
#
# PYTHON=/path/to/python3 picks the interpreter (default: python3 on PATH).
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
venv="$here/.venv"
requirements="$here/requirements.txt"
python="${PYTHON:-python3}"
say () { echo "clients:schemathesis: $*" >&2; }

if ! command -v "$python" >/dev/null 2>&1; then
  say "'$python' was not found on PATH: install CPython 3.11 or later with the venv module"
  say "(Debian: apt-get install python3 python3-venv), or set PYTHON=/path/to/python3."
  exit 1
fi
# requirements.txt is compiled for 3.11: an older interpreter needs packages it does not pin.
if ! "$python" -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else 1)'; then
  say "$("$python" -V 2>&1) is too old: requirements.txt is compiled for CPython 3.11 or later."
  exit 1
fi

# What the venv is built from: the pins' bytes and the interpreter (a venv is tied to it).
want="$("$python" - "$requirements" <<'EOF'
import hashlib, sys
digest = hashlib.sha256(open(sys.argv[1], 'rb').read()).hexdigest()
print(f"{digest} {sys.executable} {sys.version.split()[0]}")
EOF
)"
stamp="$venv/.installed-from"
if [ -x "$venv/bin/st" ] && [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$want" ]; then
  say "up to date ($("$venv/bin/st" --version))"
  exit 0
fi

started=$SECONDS
rm -rf "$venv"
if ! "$python" -m venv "$venv"; then
  say "'$python -m venv' failed: install the venv module (Debian: apt-get install python3-venv)."
  exit 1
fi
# Only what requirements.txt pins, each file checked against its hash; wheels only, so nothing is built.
"$venv/bin/python" -m pip install --quiet --disable-pip-version-check --no-input \
  --require-hashes --no-deps --only-binary=:all: -r "$requirements"
"$venv/bin/python" -m pip check --disable-pip-version-check
# Written last: an interrupted install is redone next time.
echo "$want" > "$stamp"
say "installed in $((SECONDS - started)) s: $("$venv/bin/st" --version)"
