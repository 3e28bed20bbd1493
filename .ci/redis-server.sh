#!/usr/bin/env bash
# Makes sure redis-server is on PATH for the limiter tests: installed with the OS package
# manager when it is missing (CI runs on a fresh machine as root).
set -euo pipefail
if command -v redis-server >/dev/null 2>&1; then
  exit 0
fi
if ! command -v apt-get >/dev/null 2>&1; then
  echo "redis-server is missing and there is no apt-get: install Redis 6 or later" >&2
  exit 1
fi
sudo=()
if [ "$(id -u)" != 0 ]; then
  sudo=(sudo)
fi
echo "installing redis-server (the limiter tests run a real Redis)" >&2
"${sudo[@]}" apt-get update -qq
DEBIAN_FRONTEND=noninteractive "${sudo[@]}" apt-get install -y -qq --no-install-recommends redis-server
command -v redis-server >/dev/null
