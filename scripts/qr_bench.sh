#!/usr/bin/env bash
# spse-qr beside zbarimg on the generated picture corpus, one process per
# picture as a user runs them, then the in-process criterion bench; writes
# both into docs/benchmarks.md. Installs zbar-tools (apt, as root or with
# sudo) when zbarimg is missing. The corpus (~60 MB) goes to target/qr-corpus.
set -euo pipefail
cd "$(dirname "$0")/.."
if ! command -v zbarimg >/dev/null; then
  echo "qr_bench: installing zbar-tools"
  if [ "$(id -u)" -eq 0 ]; then sudo=(); else sudo=(sudo); fi
  export DEBIAN_FRONTEND=noninteractive
  "${sudo[@]}" apt-get update -qq
  "${sudo[@]}" apt-get install -y -qq --no-install-recommends zbar-tools
fi
cargo build --locked --release -q -p spse-qr --examples
corpus=target/qr-corpus
rm -rf "$corpus"
target/release/examples/qr_corpus "$corpus"
python3 scripts/qr_bench.py "$corpus" target/release/examples/qr_decode docs/benchmarks.md
cargo bench --locked -p spse-qr --bench decode
