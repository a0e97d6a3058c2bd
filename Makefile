# The two commands a newcomer needs are `make test` and `make run`; README.md
# explains both. Everything else here is for contributors.
SHELL := /bin/bash
CARGO ?= cargo
# Tools scripts/install-deps.sh builds into a cache outside the checkout.
TOOLS ?= $(or $(SPSE_TOOLS_DIR),$(HOME)/.cache/spse-auth-tools)
CARGO_DENY ?= $(TOOLS)/bin/cargo-deny

.PHONY: test run app dist dist-check ui ui-test app-smoke e2e deps lint unit browser bench bench-qr bench-app bench-e2e fuzz android-check

## Installs what is missing, then runs every check CI runs.
test: deps ui lint ui-test unit browser app-smoke android-check e2e dist-check
	@awk '/^test result:/ {p += $$4; f += $$6} /^# pass / {p += $$3} /^# fail / {f += $$3} \
	  /^ *Tests +[0-9]+ passed/ {p += $$2} /^ *Tests .*[0-9]+ failed/ {f += $$2} \
	  /^axe-core: no serious or critical/ {p += 1} /^app-smoke: / {p += 1} \
	  /^android-check: [0-9]+ checks passed/ {p += $$2} /^dist-check: [0-9]+ checks passed/ {p += $$2} \
	  END {printf "all tests: %d passed, %d failed\n", p, f}' target/test.log target/browser.log target/ui.log target/app-smoke.log \
	  target/android-check.log target/e2e.log target/dist-check.log

## The app (its UI built first) beside the bundled sandbox SPSE site with its
## demo users, the app's vault in target/run/vault; without a display it
## says how to run it under xvfb-run.
run: deps ui
	$(CARGO) build --locked -p spse-sandbox -p spse-auth -p spse-auth-app
	scripts/run-app.sh

## The release app binary, target/release/spse-auth-app (serving ui/dist).
app: deps ui
	$(CARGO) build --release --locked -p spse-auth-app

## The Linux packages from the release build, into target/dist: a .deb and
## an .rpm with the app, the spse-auth CLI, the desktop file and the icons
## (scripts/dist.sh; the release workflow makes the others).
dist: deps ui
	scripts/dist.sh release

## The packages as a user gets them (scripts/dist_check.sh): lintian, the
## desktop file, installed into a throwaway root and started from there
## under Xvfb on a vault its CLI filled, dpkg -r leaving the vault; made from
## the debug build, stripped (the same package, minutes sooner). Also every
## icon against its source (scripts/icons.py --check).
dist-check: deps ui
	@mkdir -p target
	set -o pipefail; { scripts/dist.sh debug && /usr/bin/python3 scripts/icons.py --check && scripts/dist_check.sh; } 2>&1 | tee target/dist-check.log

## The web UI into ui/dist (npm packages from the lockfile).
ui: deps
	cd ui && { [ -d node_modules ] && cmp -s package-lock.json node_modules/.package-lock.json || npm ci --no-audit --no-fund --loglevel=error; }
	cd ui && npm run build

## The UI's checks: svelte-check, Vitest, and every screen in Chromium (mocked
## IPC, both languages and themes, 360 and 1024 px, axe-core): screenshots
## in target/ui-screens.
ui-test: ui
	@mkdir -p target
	set -o pipefail; cd ui && { npm run check && NO_COLOR=1 npm test && npm run screens; } 2>&1 | tee ../target/ui.log

## The real app binary under Xvfb and a real gnome-keyring, on a vault the CLI filled.
app-smoke: deps ui
	$(CARGO) build --locked -p spse-auth -p spse-auth-app
	set -o pipefail; scripts/app_smoke.sh target/debug/spse-auth-app 2>&1 | tee target/app-smoke.log

## End to end, nothing mocked: the built app driven over WebDriver
## (tauri-driver + WebKitWebDriver) under Xvfb and a private gnome-keyring,
## the sandbox, and Chromium on its pages. Screenshots of every step in
## target/e2e, the approval latencies in target/e2e/latency.md (and in
## docs/benchmarks.md under `make bench`).
e2e: deps ui
	$(CARGO) build --locked -p spse-auth -p spse-sandbox -p spse-auth-app
	cd tests/e2e && npm ci --no-audit --no-fund --loglevel=error
	@rm -rf target/e2e && mkdir -p target/e2e
	set -o pipefail; cd tests/e2e && ../../scripts/with-secret-service.sh \
	  xvfb-run -a -s "-screen 0 1280x1024x24" node --test --test-concurrency=1 2>&1 | tee ../../target/e2e.log

deps:
	@scripts/install-deps.sh

## Everything of the Android app this machine can check without the SDK and
## NDK (docs/android.md): its Rust for aarch64-linux-android, its Kotlin, the
## release manifest's hardening, the APK workflow. Ends with
## `android-check: N checks passed`.
android-check: deps
	@mkdir -p target
	set -o pipefail; android/check/android-check.sh 2>&1 | tee target/android-check.log

## rustfmt, clippy, cargo-deny (deny.toml: licences by name, no wildcard
## versions, crates.io only, duplicates listed; offline), and
## src-tauri/licences.json (the About screen's licences) against a fresh
## scripts/licences.py; every committed lockfile used with --locked / npm ci
## (scripts/lockfile_check.py).
lint: deps
	$(CARGO) fmt --all --check
	$(CARGO) clippy --workspace --all-targets --locked -- -D warnings
	/usr/bin/python3 scripts/lockfile_check.py
	$(CARGO_DENY) --locked check --hide-inclusion-graph licenses bans sources
	/usr/bin/python3 scripts/licences.py --check

## Every test, the Secret Service ones included: inside a private D-Bus
## session with its own unlocked gnome-keyring (scripts/with-secret-service.sh).
unit:
	@mkdir -p target
	set -o pipefail; scripts/with-secret-service.sh $(CARGO) test --workspace --locked -- --include-ignored 2>&1 | tee target/test.log
	@awk '/^test result:/ {p += $$4; f += $$6} END {printf "total: %d passed, %d failed\n", p, f}' target/test.log

## The sandbox's pages in Debian's Chromium (playwright-core, from the
## lockfile), the spse-auth CLI answering the logins over a real Secret Service.
browser:
	$(CARGO) build --locked -p spse-auth -p spse-sandbox
	cd tests/browser && npm ci --no-audit --no-fund --loglevel=error
	set -o pipefail; cd tests/browser && ../../scripts/with-secret-service.sh node --test 2>&1 | tee ../../target/browser.log

## Benchmarks; writes their table into docs/benchmarks.md. Results of
## earlier runs are ignored (target/criterion/.run-start).
bench: deps bench-qr bench-app bench-e2e
	@mkdir -p target/criterion && touch target/criterion/.run-start
	$(CARGO) bench --locked -p spse-otp --bench codes
	scripts/with-secret-service.sh $(CARGO) bench --locked -p spse-vault --bench vault
	$(CARGO) bench --locked -p spse-client --bench protocol
	python3 scripts/bench_table.py docs/benchmarks.md

## The end-to-end suite, its approval latencies written into docs/benchmarks.md.
bench-e2e:
	SPSE_E2E_RECORD=1 $(MAKE) e2e

## The app's cold start beside KeePassXC's, the UI bundle and binary sizes.
bench-app: app
	$(CARGO) build --locked -p spse-auth
	scripts/app_bench.sh

## spse-qr beside zbarimg (installed if missing) on a generated corpus of
## pictures, one process per picture, then its in-process criterion bench.
bench-qr: deps
	scripts/qr_bench.sh

## A fuzzer for FUZZ_SECONDS (default 600): FUZZ_TARGET=payload (default,
## spse-otp's payload parser) or FUZZ_TARGET=qr (spse-qr's picture decoder).
## Not part of `make test`.
fuzz:
	scripts/fuzz.sh
