#!/usr/bin/env bash
# Runs the payload fuzzer for FUZZ_SECONDS (default 600), seeded with every
# payload of the canonical fixture list, and prints libFuzzer's final stats.
# cargo-fuzz needs nightly flags; RUSTC_BOOTSTRAP lets the stable toolchain
# accept them (this machine has no other toolchain).
set -euo pipefail
cd "$(dirname "$0")/.."
seconds=${FUZZ_SECONDS:-600}
command -v cargo-fuzz >/dev/null || cargo install cargo-fuzz --locked
corpus=fuzz/corpus/payload
mkdir -p "$corpus"
python3 - "$corpus" <<'PY'
import hashlib, json, pathlib, sys
fixtures = json.load(open("crates/otp/tests/fixtures/payloads.json"))
out = pathlib.Path(sys.argv[1])
for case in fixtures["valid"] + fixtures["invalid"]:
    data = case["payload"].encode()
    (out / ("seed-" + hashlib.sha1(data).hexdigest()[:16])).write_bytes(data)
PY
cd fuzz
RUSTC_BOOTSTRAP=1 cargo fuzz run payload "corpus/payload" -- \
  -max_total_time="$seconds" -max_len=4096 -print_final_stats=1 2>&1 | tee fuzz.log | tail -40
