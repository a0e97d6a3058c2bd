#!/usr/bin/env bash
# The real app binary under Xvfb with a real gnome-keyring (`make app-smoke`,
# part of `make test`): on a vault the CLI filled, its window opens and its
# first codes are painted within 10 s; closing the window (as a window
# manager does) hides it to the tray while the app runs on (the default),
# or, with the setting off, ends it with status 0. The window is mapped only
# once the page is ready (never blank on the way); started in the tray
# (`--hidden`) it stays unmapped past the fallback, and a second start
# shows it. Prints the timings.
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
# Mapped only after the page said its first screen was in the DOM.
/usr/bin/python3 -c 'import json, sys; r = json.loads(sys.argv[1]); assert r["trace"]["ready"] <= r["window_ms"], r' "$result"
echo "app-smoke: the window was mapped only once the page was ready"
# Started in the tray: no window, also after the fallback; a second start shows it.
setsid "$app" --hidden 2>/dev/null &
first=$!
trap 'kill -- -$first 2>/dev/null; rm -rf "$scratch"' EXIT
/usr/bin/python3 - "$app" <<'PY'
import subprocess, sys, time
sys.path.insert(0, "scripts")
from Xlib import display
from app_window import window_named
d = display.Display()
time.sleep(4.5)  # past startup.rs's FALLBACK (3 s)
if window_named(d, "SPSE Auth") is not None:
    sys.exit("app-smoke: started --hidden, the window showed")
subprocess.run([sys.argv[1]], timeout=10, stderr=subprocess.DEVNULL)
deadline = time.monotonic() + 10
while window_named(d, "SPSE Auth") is None:
    if time.monotonic() > deadline:
        sys.exit("app-smoke: a second start did not show the tray's window")
    time.sleep(0.01)
PY
kill -- -"$first"
wait "$first" 2>/dev/null || true
echo "app-smoke: started in the tray, the window stays unmapped; a second start shows it"
