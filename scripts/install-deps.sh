#!/usr/bin/env bash
# Installs what builder needs on a fresh Debian machine that has a Swift 6 toolchain:
# the C libraries it links (Lua 5.4, zlib, zstd, snappy, OpenSSL's libcrypto, brotli, PROJ and its
# database, libxlsxwriter), the openssl command (the web tests make their test CA with it), the Python
# peers the interoperability tests and benchmarks compare against (pyarrow, DuckDB, polars, pyproj,
# openpyxl), and headless Chromium with a DevTools client (websocket-client), which open the HTML
# reports in the tests.
set -euo pipefail

apt_packages=(pkg-config liblua5.4-dev zlib1g-dev libzstd-dev libsnappy-dev libssl-dev libbrotli-dev openssl libproj-dev proj-data
              libxlsxwriter-dev chromium)
python_packages=(pyarrow==26.0.1 duckdb==2.0.1 polars==2.1.0 pyproj==3.7.2 openpyxl==3.1.5 pytest websocket-client==1.9.2)

missing=()
for package in "${apt_packages[@]}"; do
    dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q 'install ok installed' || missing+=("$package")
done
# Python may come from elsewhere (pyenv, a venv): ask apt only when there is none.
command -v python3 >/dev/null || missing+=(python3 python3-pip)

if [ ${#missing[@]} -gt 0 ]; then
    sudo=""
    [ "$(id -u)" -eq 0 ] || sudo="sudo"
    echo "install-deps: apt-get install ${missing[*]}" >&2
    $sudo apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq "${missing[@]}" >/dev/null
fi

if ! python3 -c 'import pyarrow, duckdb, polars, pyproj, openpyxl, pytest, websocket' 2>/dev/null; then
    echo "install-deps: pip install ${python_packages[*]}" >&2
    python3 -m pip install -q "${python_packages[@]}" 2>/dev/null \
        || python3 -m pip install -q --break-system-packages "${python_packages[@]}"
fi
