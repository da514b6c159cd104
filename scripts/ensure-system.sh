#!/usr/bin/env bash
# Installs the Debian packages Mediabit needs when they are missing: ffmpeg (media), heif tools
# (HEIC photos), and with --test also Chromium (e2e) and a PostgreSQL server (scripts/test-postgres.sh starts it).
set -euo pipefail

want=()
command -v ffmpeg >/dev/null 2>&1 || want+=(ffmpeg)
command -v heif-convert >/dev/null 2>&1 || want+=(libheif-examples)
if [[ "${1:-}" == "--test" ]]; then
  [[ -x /usr/bin/chromium ]] || want+=(chromium)
  command -v pg_ctlcluster >/dev/null 2>&1 || command -v pg_isready >/dev/null 2>&1 || want+=(postgresql)
fi

if ((${#want[@]})); then
  echo "[mediabit] installing system packages: ${want[*]}"
  sudo_cmd=()
  [[ $(id -u) -eq 0 ]] || sudo_cmd=(sudo)
  "${sudo_cmd[@]}" apt-get update -qq
  DEBIAN_FRONTEND=noninteractive "${sudo_cmd[@]}" apt-get install -y -qq "${want[@]}" >/dev/null
fi

