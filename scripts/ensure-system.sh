#!/usr/bin/env bash
# Installs the Debian packages Mediabit needs when they are missing: ffmpeg (media), heif tools
# (HEIC photos), and with --test also Chromium (e2e) and a PostgreSQL server that is running.
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

if [[ "${1:-}" == "--test" ]]; then
  pg_url="${MEDIABIT_TEST_PG_URL:-postgresql://postgres@127.0.0.1:5432/postgres}"
  if ! pg_isready -q -d "$pg_url" 2>/dev/null; then
    echo "[mediabit] starting PostgreSQL"
    for version in $(ls /etc/postgresql 2>/dev/null); do
      pg_ctlcluster --skip-systemctl-redirect "$version" main start || true
    done
    for _ in $(seq 1 30); do pg_isready -q -d "$pg_url" && break; sleep 1; done
    pg_isready -q -d "$pg_url" || { echo "PostgreSQL is not reachable at $pg_url" >&2; exit 1; }
  fi
fi
