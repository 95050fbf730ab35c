#!/usr/bin/env bash
# Sets up a fresh clone: Debian packages the browser/audio tests use (when run as root and missing),
# then the npm dependencies. Safe to run again.
set -euo pipefail
cd "$(dirname "$0")/.."
export npm_config_nodedir="${npm_config_nodedir:-/usr}"   # node-gyp (naudiodon2) uses local headers

need=()
command -v chromium >/dev/null 2>&1 || need+=(chromium)
command -v sox >/dev/null 2>&1 || need+=(sox)
command -v espeak-ng >/dev/null 2>&1 || need+=(espeak-ng)
if [ ${#need[@]} -gt 0 ]; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
    echo "setup: installing Debian packages: ${need[*]}"
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
  else
    echo "setup: optional system packages missing (${need[*]}); the browser and audio tests need them." >&2
  fi
fi

# The dataset: where ../shared/fsdd sits beside this clone (as on the project's machines and CI), link it
# as ./data/recordings so the CLI finds it without flags. Nothing is copied; data/ is not committed.
if [ ! -e data/recordings ] && [ ! -e data/recordings.zip ] && [ -d ../shared/fsdd/recordings ]; then
  mkdir -p data && ln -s "$(cd ../shared/fsdd/recordings && pwd)" data/recordings
  echo "setup: linked data/recordings -> ../shared/fsdd/recordings"
fi

echo "setup: npm ci"
npm ci --no-audit --no-fund
