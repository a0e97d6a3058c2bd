#!/usr/bin/env bash
# spse-qr's in-process criterion bench, then spse-qr beside zbarimg on the
# generated picture corpus, one process per picture as a user runs them;
# writes both into docs/benchmarks.md (its qr block). Installs zbar-tools and libjpeg-turbo-progs
# (apt, as root or with sudo) when zbarimg or jpegtran is missing. The corpus
# (~80 MB) goes to target/qr-corpus.
set -euo pipefail
cd "$(dirname "$0")/.."
if ! command -v zbarimg >/dev/null || ! command -v jpegtran >/dev/null; then
  echo "qr_bench: installing zbar-tools and libjpeg-turbo-progs"
  if [ "$(id -u)" -eq 0 ]; then sudo=(); else sudo=(sudo); fi
  export DEBIAN_FRONTEND=noninteractive
  "${sudo[@]}" apt-get update -qq
  "${sudo[@]}" apt-get install -y -qq --no-install-recommends zbar-tools libjpeg-turbo-progs
fi
cargo build --locked --release -q -p spse-qr --examples
corpus=target/qr-corpus
rm -rf "$corpus"
target/release/examples/qr_corpus "$corpus"
# The slowest picture to decode: the 64-megapixel stress picture as a
# progressive JPEG (the Rust encoders write baseline only).
stress=$(cd "$corpus" && ls ./*-stress-64mp-busy.jpg)
jpegtran -progressive -outfile "$corpus/99-stress-64mp-busy-progressive.jpg" "$corpus/$stress"
printf '99-stress-64mp-busy-progressive.jpg\t\n' >> "$corpus/expected.tsv"
mkdir -p target/criterion && touch target/criterion/.qr-run-start
cargo bench --locked -p spse-qr --bench decode
python3 scripts/qr_bench.py "$corpus" target/release/examples/qr_decode docs/benchmarks.md
