#!/usr/bin/env bash
# Runs a command against a real, unlocked Secret Service: a private D-Bus
# session bus with its own gnome-keyring-daemon, keyrings in a temporary
# folder (never the user's own), all stopped when the command ends.
set -euo pipefail

if [ -z "${SPSE_SECRET_SERVICE_SESSION:-}" ]; then
  export SPSE_SECRET_SERVICE_SESSION=1
  exec dbus-run-session -- "$0" "$@"
fi

scratch=$(mktemp -d)
export XDG_DATA_HOME="$scratch/data" XDG_RUNTIME_DIR="$scratch/run" XDG_CONFIG_HOME="$scratch/config"
mkdir -p "$XDG_DATA_HOME" "$XDG_CONFIG_HOME"
mkdir -m 0700 -p "$XDG_RUNTIME_DIR"

# --unlock reads the login keyring's password from stdin, creating it.
eval "$(printf 'spse-auth-test\n' | gnome-keyring-daemon --unlock --components=secrets)"
export GNOME_KEYRING_CONTROL
daemon=$(pgrep -n -f "gnome-keyring-daemon --unlock --components=secrets" || true)
cleanup() {
  [ -n "$daemon" ] && kill "$daemon" 2>/dev/null || true
  rm -rf "$scratch"
}
trap cleanup EXIT

status=0
"$@" || status=$?
exit "$status"
