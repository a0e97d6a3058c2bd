#!/usr/bin/env bash
# Runs one fuzzer for FUZZ_SECONDS (default 600) and prints libFuzzer's final
# stats. FUZZ_TARGET picks it (default payload):
#   payload  Payload::parse on text, seeded with every payload of the
#            canonical fixture list;
#   qr       spse-qr's decoder on arbitrary bytes, seeded with the small
#            pictures of its test corpus (PNG, JPEG, WebP, BMP, GIF), memory
#            capped at 2 GB;
#   import   spse_backup::read (every importer) on arbitrary files, seeded
#            with the other apps' export files in ../shared/import-fixtures
#            (when there) and the otpauth fixtures;
#   backup   spse_backup's own backup reader, seeded with the test vector
#            of docs/backup.md.
# cargo-fuzz needs nightly flags; RUSTC_BOOTSTRAP lets the stable toolchain
# accept them (this machine has no other toolchain).
set -euo pipefail
cd "$(dirname "$0")/.."
seconds=${FUZZ_SECONDS:-600}
target=${FUZZ_TARGET:-payload}
command -v cargo-fuzz >/dev/null || cargo install cargo-fuzz --locked
corpus=fuzz/corpus/$target
mkdir -p "$corpus"
case "$target" in
payload)
  python3 - "$corpus" <<'PY'
import hashlib, json, pathlib, sys
fixtures = json.load(open("crates/otp/tests/fixtures/payloads.json"))
out = pathlib.Path(sys.argv[1])
for case in fixtures["valid"] + fixtures["invalid"]:
    data = case["payload"].encode()
    (out / ("seed-" + hashlib.sha1(data).hexdigest()[:16])).write_bytes(data)
PY
  flags=(-max_len=4096)
  ;;
qr)
  seeds=target/qr-fuzz-seeds
  cargo run --locked --release -q -p spse-qr --example qr_corpus -- "$seeds" --small
  # Pictures small enough for libFuzzer to mutate usefully.
  find "$seeds" -type f ! -name '*.tsv' -size -32k -exec cp {} "$corpus/" \;
  flags=(-max_len=32768 -rss_limit_mb=2048 -malloc_limit_mb=2048 -timeout=30)
  ;;
import)
  fixtures=${SPSE_IMPORT_FIXTURES:-../shared/import-fixtures}
  # Each seed is a file behind one choice byte: odd for the password "fuzz".
  python3 - "$corpus" "$fixtures" <<'PY'
import hashlib, pathlib, sys
out, fixtures = pathlib.Path(sys.argv[1]), pathlib.Path(sys.argv[2])
files = [p for p in fixtures.rglob("*") if p.is_file() and p.name != "README.md"] if fixtures.is_dir() else []
files.append(pathlib.Path("docs/backup-vector.json"))
for path in files:
    data = path.read_bytes()
    if len(data) > 65536:
        continue
    for choice in (b"\x00", b"\x01"):
        seed = choice + data
        (out / ("seed-" + hashlib.sha1(seed).hexdigest()[:16])).write_bytes(seed)
PY
  flags=(-max_len=65537 -rss_limit_mb=2048 -timeout=60)
  ;;
backup)
  cp docs/backup-vector.json "$corpus/seed-vector"
  flags=(-max_len=8192 -rss_limit_mb=2048 -timeout=60)
  ;;
*)
  echo "fuzz.sh: unknown FUZZ_TARGET '$target' (payload, qr, import or backup)" >&2
  exit 2
  ;;
esac
# cargo-fuzz has no --locked: fuzz/'s own Cargo.lock is checked current
# first (cargo fails here rather than rewrite it; scripts/lockfile_check.py).
cargo metadata --locked --format-version 1 --manifest-path fuzz/Cargo.toml >/dev/null
cd fuzz
RUSTC_BOOTSTRAP=1 cargo fuzz run "$target" "corpus/$target" -- \
  -max_total_time="$seconds" "${flags[@]}" -print_final_stats=1 2>&1 | tee "fuzz-$target.log" | tail -40
