#!/usr/bin/env bash
# `make run`: the bundled sandbox SPSE site on http://127.0.0.1:8080 with its
# demo users, and the app beside it, its vault in target/run/vault (never
# your own accounts; set SPSE_AUTH_DATA_DIR to choose another). Both stop
# together. Expects `make ui` and the builds done (the Makefile does them).
set -euo pipefail
cd "$(dirname "$0")/.."

app=${SPSE_AUTH_APP:-target/debug/spse-auth-app}
listen=${SPSE_SANDBOX_LISTEN:-127.0.0.1:8080}
mkdir -p target/run
export SPSE_AUTH_DATA_DIR=${SPSE_AUTH_DATA_DIR:-$PWD/target/run/vault}

if [ -z "${DISPLAY:-}" ] && [ -z "${WAYLAND_DISPLAY:-}" ]; then
  cat >&2 <<'EOF'
make run: no display here (neither DISPLAY nor WAYLAND_DISPLAY is set), so
the app's window has nowhere to open. On a machine without a screen, run it
under a virtual one, with a keyring of its own for the vault's key:

    scripts/with-secret-service.sh xvfb-run -a make run

(the window then exists only in memory: the tests drive it that way). The
sandbox and the command line work without a display: see README,
"Trying it: the sandbox site and the CLI".
EOF
  exit 2
fi

sandbox_out=$(mktemp)
./target/debug/spse-sandbox --listen "$listen" --db target/run/sandbox.db --seed-demo >"$sandbox_out" &
sandbox=$!
trap 'kill "$sandbox" 2>/dev/null || true; rm -f "$sandbox_out"' EXIT
for _ in $(seq 100); do
  # The demo users follow the address at once (seeded before it is printed).
  grep -q '^listening on ' "$sandbox_out" && [ "$(grep -c '^demo user=' "$sandbox_out")" -ge 3 ] && break
  kill -0 "$sandbox" 2>/dev/null || { echo "make run: the sandbox did not start (is $listen in use?)" >&2; exit 1; }
  sleep 0.1
done
url=$(sed -n 's/^listening on //p' "$sandbox_out" | head -n 1)

echo "SPSE sandbox site: $url  (open it in a browser)"
echo "Demo logins (password for the site, then for its mailbox):"
sed -n 's/^demo user=\([^ ]*\) password=\([^ ]*\) mailbox=\([^ ]*\) role=\(.*\)$/  \1 (\4): \2, mailbox \3/p' "$sandbox_out"
echo "The app's vault: $SPSE_AUTH_DATA_DIR"
echo "Log in as PPK2, open Aktivasi TOTP, save the QR as a picture (or copy it)"
echo "and add it in the app; then log in again and answer Authorize login? there."
echo "Closing the app stops the sandbox."

"$app"
