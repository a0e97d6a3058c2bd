#!/usr/bin/env bash
# `make bench-app`: the app's cold start beside KeePassXC's (Debian
# keepassxc, installed here when missing), both under one Xvfb and one
# private keyring, alternating, then the UI bundle's gzip size and the
# release binary's size; writes the table into docs/benchmarks.md (its app
# block). Expects `make app` done (ui/dist and target/release/spse-auth-app).
set -euo pipefail
cd "$(dirname "$0")/.."
if ! command -v keepassxc >/dev/null; then
  if [ "$(id -u)" -eq 0 ]; then sudo=(); else sudo=(sudo); fi
  DEBIAN_FRONTEND=noninteractive "${sudo[@]}" apt-get install -y -qq --no-install-recommends keepassxc
fi
exec scripts/with-secret-service.sh xvfb-run -a -s "-screen 0 1280x800x24" \
  /usr/bin/python3 scripts/app_bench.py docs/benchmarks.md
