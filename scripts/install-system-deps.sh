#!/usr/bin/env bash
# Installs the Debian packages the tests need, only when they are missing:
# chromium (the real browser the browser tests drive), postgresql (a real server for the
# store tests; the tests start their own throwaway cluster on a free local port),
# fonts-liberation (Arial's metrics: chart labels are measured in the font the page uses),
# npm (installs axe-core for the accessibility tests, see package.json), zbar-tools
# (zbarimg: the join screen's test decodes the QR code it shows), poppler-utils (pdftotext:
# the report test reads the PDF's first page) and nginx (the reverse proxy of the deployment
# test, tests/test_deploy.py, and of deploy/nginx.conf; the test runs its own nginx on a free
# port and never touches the system's service).
set -euo pipefail
missing=()
[ -x /usr/bin/chromium ] || missing+=(chromium)
compgen -G "/usr/lib/postgresql/*/bin/initdb" >/dev/null || missing+=(postgresql)
[ -x /usr/sbin/nginx ] || missing+=(nginx)
[ -d /usr/share/fonts/truetype/liberation ] || missing+=(fonts-liberation)
command -v npm >/dev/null || missing+=(npm)
[ -x /usr/bin/zbarimg ] || missing+=(zbar-tools)
[ -x /usr/bin/pdftotext ] || missing+=(poppler-utils)
[ ${#missing[@]} -eq 0 ] && exit 0
echo "Installing Debian packages: ${missing[*]}"
sudo=""
if [ "$(id -u)" -ne 0 ]; then
  command -v sudo >/dev/null || { echo "Need root (or sudo) to apt-get install ${missing[*]}" >&2; exit 1; }
  sudo="sudo"
fi
export DEBIAN_FRONTEND=noninteractive
$sudo apt-get update -qq
$sudo apt-get install -y -qq --no-install-recommends "${missing[@]}"
