#!/usr/bin/env bash
# Installs Microsoft's Python Graph beta SDK, exactly as pinned (with hashes) in requirements.txt,
# into test/clients/python/.venv for test/clients/python.test.ts. Idempotent: when the venv was
# installed from the same requirements.txt by the same interpreter, it does nothing. No Python is
# an error, never a skip: the SDK test cannot run without it.
#
# PYTHON=/path/to/python3 picks the interpreter (default: python3 on PATH).
# Regenerating requirements.txt after changing requirements.in (pip-tools 7.6):
#   pip-compile --generate-hashes --strip-extras --allow-unsafe --no-emit-index-url --no-emit-find-links \
#     --output-file=requirements.txt requirements.in
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
venv="$here/.venv"
requirements="$here/requirements.txt"
python="${PYTHON:-python3}"
say () { echo "clients:python: $*" >&2; }

if ! command -v "$python" >/dev/null 2>&1; then
  say "'$python' was not found on PATH. The Python SDK test needs CPython 3.11 or later with the venv module"
  say "(Debian: apt-get install python3 python3-venv), or PYTHON=/path/to/python3."
  exit 1
fi
# requirements.txt was compiled on 3.11: older interpreters need packages it does not pin.
if ! "$python" -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else 1)'; then
  say "$("$python" -V 2>&1) is too old: requirements.txt is compiled for CPython 3.11 or later."
  exit 1
fi

# What the venv was built from: the manifest's bytes and the interpreter (a venv is tied to it).
want="$("$python" - "$requirements" <<'EOF'
import hashlib, sys
digest = hashlib.sha256(open(sys.argv[1], 'rb').read()).hexdigest()
print(f"{digest} {sys.executable} {sys.version.split()[0]}")
EOF
)"
stamp="$venv/.installed-from"
if [ -x "$venv/bin/python" ] && [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$want" ]; then
  say "up to date ($venv)"
  exit 0
fi

started=$SECONDS
rm -rf "$venv"
if ! "$python" -m venv "$venv"; then
  say "'$python -m venv' failed: install the venv module (Debian: apt-get install python3-venv)."
  exit 1
fi
"$venv/bin/python" -m pip install --require-hashes --no-input --disable-pip-version-check --quiet -r "$requirements"
"$venv/bin/python" -m pip check --disable-pip-version-check
"$venv/bin/python" -c 'import msgraph_beta, msgraph_core, kiota_abstractions, kiota_http'
# Written last: an interrupted install is redone next time.
echo "$want" > "$stamp"
say "installed in $((SECONDS - started)) s: $(du -sh "$venv" | cut -f1) in $venv"
