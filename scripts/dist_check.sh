#!/usr/bin/env bash
# The Linux packages checked as a user gets them (make dist-check, part of
# make test), on what scripts/dist.sh left in target/dist:
#  1. lintian passes the .deb with no error and no warning;
#  2. desktop-file-validate passes its desktop file, and the package holds
#     the app, the CLI, the icons (32, 64, 128, 256, 512 px), copyright and changelog;
#  3. the .deb installed into a throwaway root (dpkg --root, its own dpkg
#     database; dpkg-deb -x when not root): the installed CLI fills a vault,
#     the installed app starts from its installed path under Xvfb (with a
#     real gnome-keyring) and paints those codes, then closes cleanly;
#  4. dpkg -r removes the package's files and leaves the user's vault as it
#     was, still readable;
#  5. the .rpm holds the same files (rpm -qlp).
# Ends with `dist-check: N checks passed`.
set -euo pipefail
cd "$(dirname "$0")/.."
if [ -z "${SPSE_SECRET_SERVICE_SESSION:-}" ]; then
  exec scripts/with-secret-service.sh xvfb-run -a -s "-screen 0 1280x800x24" "$0" "$@"
fi
passed=0
ok() { echo "  ok: $1"; passed=$((passed + 1)); }
fail() { echo "dist-check: FAILED: $1" >&2; exit 1; }
shopt -s nullglob
debs=(target/dist/spse-auth_*.deb)
rpms=(target/dist/spse-auth-*.rpm)
[ ${#debs[@]} -eq 1 ] && [ ${#rpms[@]} -eq 1 ] || fail "no package in target/dist (scripts/dist.sh first)"
deb=${debs[0]}
rpm=${rpms[0]}
scratch=$(mktemp -d)
trap 'rm -rf "$scratch"' EXIT

# ---- 1. lintian ----
lintian_status=0
lintian_out=$(lintian --fail-on error,warning --tag-display-limit 0 "$deb" 2>&1) || lintian_status=$?
grep -v 'running with root privileges' <<<"$lintian_out" || true
[ "$lintian_status" -eq 0 ] || fail "lintian found errors or warnings in $deb"
ok "lintian: no error and no warning in $(basename "$deb")"

# ---- 2. contents and the desktop file ----
listing=$(dpkg-deb --fsys-tarfile "$deb" | tar -t)
for path in usr/bin/spse-auth-app usr/bin/spse-auth usr/share/doc/spse-auth/copyright usr/share/doc/spse-auth/changelog.gz \
  usr/share/man/man1/spse-auth.1.gz usr/share/man/man1/spse-auth-app.1.gz \
  usr/share/doc/spse-auth/THIRD-PARTY-LICENSES.gz \
  usr/share/icons/hicolor/32x32/apps/spse-auth-app.png usr/share/icons/hicolor/64x64/apps/spse-auth-app.png \
  usr/share/icons/hicolor/128x128/apps/spse-auth-app.png usr/share/icons/hicolor/256x256/apps/spse-auth-app.png \
  usr/share/icons/hicolor/512x512/apps/spse-auth-app.png; do
  grep -qx "\(\./\)\?$path" <<<"$listing" || fail "the .deb has no $path"
done
desktop=$(grep -E '^(\./)?usr/share/applications/[^/]+\.desktop$' <<<"$listing") || fail "the .deb has no desktop file"
dpkg-deb --fsys-tarfile "$deb" | tar -xO "$desktop" >"$scratch/spse-auth.desktop"
desktop-file-validate "$scratch/spse-auth.desktop" || fail "desktop-file-validate: $desktop"
grep -qx 'Exec=spse-auth-app' "$scratch/spse-auth.desktop" || fail "the desktop file does not start spse-auth-app"
grep -q '^Comment\[id\]=' "$scratch/spse-auth.desktop" || fail "the desktop file has no Indonesian comment"
control=$(dpkg-deb -f "$deb" Depends Recommends)
for dep in libwebkit2gtk-4.1-0 libgtk-3-0 libayatana-appindicator3-1 gnome-keyring; do
  grep -q "$dep" <<<"$control" || fail "the .deb does not name $dep: $control"
done
# One version for everything: the workspace's (tauri.conf.json names none,
# so Tauri takes the app crate's, which is the workspace's).
version=$(cargo metadata --locked --no-deps --format-version 1 | /usr/bin/python3 -c \
  'import json,sys; print({p["name"]: p["version"] for p in json.load(sys.stdin)["packages"]}["spse-auth-app"])')
[ "$(dpkg-deb -f "$deb" Version)" = "$version" ] || fail "the .deb's version is not the workspace's $version"
grep -q '"version"' src-tauri/tauri.conf.json && fail "tauri.conf.json names a version: the workspace's must drive it"
ok "the .deb holds the app, the CLI, icons, copyright, changelog, the licences and a valid desktop file; its dependencies are declared; version $version (the workspace's)"

# ---- 3. installed into a throwaway root, started from there ----
root=$scratch/root
if [ "$(id -u)" -eq 0 ]; then
  mkdir -p "$root/var/lib/dpkg/info" "$root/var/lib/dpkg/updates"
  : >"$root/var/lib/dpkg/status"
  # The root has no libraries of its own: the host's satisfy them.
  dpkg --root="$root" --force-depends --force-script-chrootless -i "$deb" >/dev/null || fail "dpkg -i into $root"
  installed_by=dpkg
else
  dpkg-deb -x "$deb" "$root"
  installed_by=dpkg-deb
fi
export SPSE_AUTH_DATA_DIR=$scratch/home/vault SPSE_AUTH_TRACE_STARTUP=1
printf '%s' 'otpauth://totp/GitHub:alice?secret=JBSWY3DPEHPK3PXP&issuer=GitHub' | "$root/usr/bin/spse-auth" add - >/dev/null
printf '%s' 'otpauth://totp/LPSE%20Kudus:ppk.kudus?secret=GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ&issuer=LPSE%20Kudus' \
  | "$root/usr/bin/spse-auth" add - >/dev/null
[ "$("$root/usr/bin/spse-auth" list --json | /usr/bin/python3 -c 'import json,sys; print(len(json.load(sys.stdin)))')" = 2 ] \
  || fail "the installed CLI did not fill the vault"
printf '%s' '{"closeToTray": false}' >"$SPSE_AUTH_DATA_DIR/settings.json"
result=$(/usr/bin/python3 scripts/app_window.py --title "SPSE Auth" --painted --close --timeout 15 -- "$root/usr/bin/spse-auth-app") \
  || fail "the installed app did not show its codes"
ok "installed ($installed_by) into a throwaway root: the installed CLI filled a vault, the installed app painted its codes and closed: $result"

# ---- 4. removal leaves the user's vault ----
if [ "$installed_by" = dpkg ]; then
  before=$(cd "$SPSE_AUTH_DATA_DIR" && find . -type f -print0 | sort -z | xargs -0 sha256sum)
  dpkg --root="$root" --force-script-chrootless -r spse-auth >/dev/null || fail "dpkg -r"
  [ ! -e "$root/usr/bin/spse-auth-app" ] && [ ! -e "$root/usr/bin/spse-auth" ] || fail "dpkg -r left the binaries"
  after=$(cd "$SPSE_AUTH_DATA_DIR" && find . -type f -print0 | sort -z | xargs -0 sha256sum)
  [ "$before" = "$after" ] || fail "dpkg -r changed the user's vault"
  codes=$(target/debug/spse-auth codes --json | /usr/bin/python3 -c 'import json,sys; print(len(json.load(sys.stdin)))')
  [ "$codes" = 2 ] || fail "the vault does not open after dpkg -r"
  ok "dpkg -r removed the package and left the user's vault byte for byte, still opening"
else
  echo "  skipped: dpkg -r (not root: the package was unpacked with dpkg-deb -x)"
fi

# ---- 5. the rpm ----
rpm_files=$(rpm -qlp "$rpm" 2>/dev/null)
for path in /usr/bin/spse-auth-app /usr/bin/spse-auth /usr/share/icons/hicolor/512x512/apps/spse-auth-app.png; do
  grep -qx "$path" <<<"$rpm_files" || fail "the .rpm has no $path"
done
rpm -qp --requires "$rpm" 2>/dev/null | grep -q 'libwebkit2gtk-4.1.so' || fail "the .rpm does not require webkit2gtk4.1"
ok "the .rpm holds the app, the CLI and the icons, and requires WebKitGTK"

echo "dist-check: $passed checks passed"
