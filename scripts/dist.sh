#!/usr/bin/env bash
# The Linux packages of SPSE Auth (`make dist`): a .deb and an .rpm, each
# with the app (/usr/bin/spse-auth-app), the command line tool
# (/usr/bin/spse-auth), the desktop file (packaging/spse-auth.desktop), the
# icons in every size (src-tauri/icons, made by scripts/icons.py), the
# copyright, changelog and the licences of what it is built from
# (scripts/licences.py), and their runtime dependencies (WebKitGTK 4.1,
# GTK 3, the tray's libayatana-appindicator; the Secret Service
# recommended). Tauri's bundler (the Tauri CLI of android/package-lock.json)
# makes both here without downloading anything; the AppImage needs
# linuxdeploy from the network and is built by the release workflow only.
# Output in target/dist/, named spse-auth_<version>_<arch>.deb and
# spse-auth-<version>-1.<arch>.rpm, with SHA256SUMS.
#
#   scripts/dist.sh          from the release build (make dist)
#   scripts/dist.sh debug    from the debug build, stripped (make dist-check
#                            in make test: the same package, minutes sooner)
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD
profile=${1:-release}
CARGO=${CARGO:-cargo}
tauri=$root/android/node_modules/.bin/tauri
if [ ! -x "$tauri" ] || ! cmp -s android/package-lock.json android/node_modules/.package-lock.json; then
  (cd android && npm ci --no-audit --no-fund --loglevel=error)
fi

case "$profile" in
release)
  $CARGO build --release --locked -p spse-auth -p spse-auth-app
  target=$root/target
  bin=$target/release
  bundle_flags=()
  ;;
debug)
  $CARGO build --locked -p spse-auth -p spse-auth-app
  # A copy, stripped as the release profile strips (lintian refuses
  # unstripped binaries), in a target folder of its own: the build's own
  # binaries stay as they are.
  target=$root/target/dist-check
  bin=$target/debug
  rm -rf "$target"
  mkdir -p "$bin"
  cp target/debug/spse-auth-app target/debug/spse-auth "$bin/"
  strip "$bin/spse-auth-app" "$bin/spse-auth"
  bundle_flags=(--debug)
  ;;
*)
  echo "dist.sh: unknown profile '$profile' (release or debug)" >&2
  exit 2
  ;;
esac

# What the bundler adds beside the binary: the CLI, the manual pages, the
# copyright and the changelog (gzipped here, as Debian wants it; Tauri's own changelog option
# puts it under the product name, not the package's).
files=$target/dist-files
rm -rf "$files"
mkdir -p "$files"
gzip -9n <packaging/changelog >"$files/changelog.gz"
gzip -9n <packaging/spse-auth.1 >"$files/spse-auth.1.gz"
gzip -9n <packaging/spse-auth-app.1 >"$files/spse-auth-app.1.gz"
# The licences of every crate and npm package the app is built from (the
# About screen's list, with each one's own licence text).
/usr/bin/python3 scripts/licences.py --text "$files/THIRD-PARTY-LICENSES" >/dev/null
gzip -9n "$files/THIRD-PARTY-LICENSES"
config=$(/usr/bin/python3 - "$bin/spse-auth" "$files" "$root" <<'PY'
import json, sys
cli, files, root = sys.argv[1:]
doc = "/usr/share/doc/spse-auth"
man = {f"/usr/share/man/man1/{n}.1.gz": f"{files}/{n}.1.gz" for n in ("spse-auth", "spse-auth-app")}
print(json.dumps({"bundle": {"linux": {
    "deb": {"files": {**man, "/usr/bin/spse-auth": cli, f"{doc}/copyright": f"{root}/packaging/copyright",
                      f"{doc}/changelog.gz": f"{files}/changelog.gz",
                      f"{doc}/THIRD-PARTY-LICENSES.gz": f"{files}/THIRD-PARTY-LICENSES.gz"}},
    "rpm": {"files": {**man, "/usr/bin/spse-auth": cli,
                      "/usr/share/licenses/spse-auth/LICENSE-MIT": f"{root}/LICENSE-MIT",
                      "/usr/share/licenses/spse-auth/LICENSE-APACHE": f"{root}/LICENSE-APACHE",
                      "/usr/share/licenses/spse-auth/THIRD-PARTY-LICENSES.gz": f"{files}/THIRD-PARTY-LICENSES.gz"}},
}}}))
PY
)
rm -rf "$bin/bundle"
(cd src-tauri && CARGO_TARGET_DIR=$target "$tauri" bundle "${bundle_flags[@]}" --bundles deb,rpm -c "$config")

version=$(/usr/bin/python3 -c 'import json,sys; print(json.load(sys.stdin)["packages"][0]["version"])' \
  < <($CARGO metadata --locked --no-deps --format-version 1 --manifest-path src-tauri/Cargo.toml))
deb_arch=$(dpkg --print-architecture)
rpm_arch=$(uname -m)
out=$root/target/dist
rm -rf "$out"
mkdir -p "$out"
cp "$bin/bundle/deb/SPSE Auth_${version}_${deb_arch}.deb" "$out/spse-auth_${version}_${deb_arch}.deb"
cp "$bin/bundle/rpm/SPSE Auth-${version}-1.${rpm_arch}.rpm" "$out/spse-auth-${version}-1.${rpm_arch}.rpm"
(cd "$out" && sha256sum -- * >SHA256SUMS)
echo "dist: $(cd "$out" && ls | tr '\n' ' ')in target/dist ($profile build)"
