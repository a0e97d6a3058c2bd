# The two commands a newcomer needs are `make test` and `make run`; README.md
# explains both. Everything else here is for contributors.
SHELL := /bin/bash
CARGO ?= cargo

.PHONY: test run deps lint unit browser bench bench-qr fuzz

## Installs what is missing, then runs every check CI runs.
test: deps lint unit browser
	@awk '/^test result:/ {p += $$4; f += $$6} /^# pass / {p += $$3} /^# fail / {f += $$3} \
	  END {printf "all tests: %d passed, %d failed\n", p, f}' target/test.log target/browser.log

## Until the app lands, `make run` starts the bundled sandbox SPSE site with
## its demo users; README shows the CLI enrolling and approving logins on it.
run: deps
	$(CARGO) build --locked -p spse-sandbox -p spse-auth
	@mkdir -p target/run
	@echo 'SPSE sandbox: open the URL below; approve logins with target/debug/spse-auth (README). Ctrl-C stops it.'
	./target/debug/spse-sandbox --listen 127.0.0.1:8080 --db target/run/sandbox.db --seed-demo

deps:
	@scripts/install-deps.sh

lint:
	$(CARGO) fmt --all --check
	$(CARGO) clippy --workspace --all-targets --locked -- -D warnings

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
bench: deps bench-qr
	@mkdir -p target/criterion && touch target/criterion/.run-start
	$(CARGO) bench --locked -p spse-otp --bench codes
	scripts/with-secret-service.sh $(CARGO) bench --locked -p spse-vault --bench vault
	$(CARGO) bench --locked -p spse-client --bench protocol
	python3 scripts/bench_table.py docs/benchmarks.md

## spse-qr beside zbarimg (installed if missing) on a generated corpus of
## pictures, one process per picture, then its in-process criterion bench.
bench-qr: deps
	scripts/qr_bench.sh

## A fuzzer for FUZZ_SECONDS (default 600): FUZZ_TARGET=payload (default,
## spse-otp's payload parser) or FUZZ_TARGET=qr (spse-qr's picture decoder).
## Not part of `make test`.
fuzz:
	scripts/fuzz.sh
