#!/usr/bin/env bash
# The real app binary under Xvfb with a real gnome-keyring (`make app-smoke`,
# part of `make test`): on a vault the CLI filled, its window opens and its
# first codes are painted within 10 s; closing the window (as a window
# manager does) hides it to the tray while the app runs on (the default),
# or, with the setting off, ends it with status 0. Prints the timings.
set -euo pipefail
cd "$(dirname "$0")/.."
app=${1:-target/release/spse-auth-app}
if [ -z "${SPSE_SECRET_SERVICE_SESSION:-}" ]; then
  exec scripts/with-secret-service.sh xvfb-run -a -s "-screen 0 1280x800x24" "$0" "$@"
fi
scratch=$(mktemp -d)
trap 'rm -rf "$scratch"' EXIT
export SPSE_AUTH_DATA_DIR="$scratch/vault" SPSE_AUTH_TRACE_STARTUP=1
printf '%s' 'otpauth://totp/GitHub:alice?secret=JBSWY3DPEHPK3PXP&issuer=GitHub' \
  | target/debug/spse-auth add - >/dev/null
printf '%s' 'otpauth://totp/LPSE%20Kudus:ppk.kudus?secret=GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ&issuer=LPSE%20Kudus' \
  | target/debug/spse-auth add - >/dev/null
result=$(/usr/bin/python3 scripts/app_window.py --title "SPSE Auth" --painted --close-to-tray --timeout 10 -- "$app")
echo "app-smoke: window and first codes within 10 s, closed to the tray: $result"
printf '%s' '{"closeToTray": false}' > "$SPSE_AUTH_DATA_DIR/settings.json"
result=$(/usr/bin/python3 scripts/app_window.py --title "SPSE Auth" --painted --close --timeout 10 -- "$app")
echo "app-smoke: window and first codes within 10 s, closed cleanly: $result"
