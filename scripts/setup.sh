#!/usr/bin/env bash
# Installs what the build and the tests need, skipping what is already there:
# Debian packages (compilers, Emscripten, header-only libs, Chromium) and the
# npm devDependencies from package-lock.json. Needs root for apt (as on a
# fresh Debian 12 machine or CI).
set -euo pipefail
cd "$(dirname "$0")/.."

# clang + its runtime: the sanitizer and libFuzzer builds (scripts/sanitize.sh, fuzz.sh).
packages=(cmake make g++ clang libclang-rt-14-dev emscripten nlohmann-json3-dev catch2 python3
  # a real Redis 7 server and redis-check-aof: the differential tests in tests/js/redis_*.
  redis-server redis-tools
  # the real Lucene 8 (and a JDK to compile against it): tests/js/search_lucene_diff.
  liblucene8-java default-jdk-headless
  chromium nodejs npm)
missing=()
for p in "${packages[@]}"; do
  dpkg -s "$p" >/dev/null 2>&1 || missing+=("$p")
done
# A machine whose node came without Debian's npm package still has npm.
if command -v npm >/dev/null; then
  kept=()
  for p in ${missing[@]+"${missing[@]}"}; do [[ $p == npm ]] || kept+=("$p"); done
  missing=(${kept[@]+"${kept[@]}"})
fi
if ((${#missing[@]})); then
  echo "setup: installing ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

# npm ci only when the lock file changed since the last install.
stamp=node_modules/.sdp-lock-stamp
if [[ ! -f $stamp ]] || ! cmp -s package-lock.json "$stamp"; then
  echo "setup: npm ci"
  npm ci --no-audit --no-fund --loglevel=error
  cp package-lock.json "$stamp"
fi
