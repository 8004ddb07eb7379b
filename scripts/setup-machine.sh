#!/usr/bin/env bash
# Installs what Vetline needs from the operating system on a Debian/Ubuntu machine: Java 17+ for DynamoDB Local, and
# Chromium for the browser tests (tests/browser, driven by playwright-core, which downloads no browser of its own);
# with --bench also poppler-utils (pdftotext, which the extraction benchmark compares with).
# Idempotent: installs only what is missing. Used by .ci/run and by scripts/preflight.mjs when it may install.
set -euo pipefail

need=()
if ! java -version 2>&1 | grep -qE 'version "(1[7-9]|[2-9][0-9])'; then need+=(openjdk-17-jre-headless); fi
# Debian names the package `chromium` (/usr/bin/chromium); VETLINE_CHROMIUM points elsewhere on other systems.
if [ ! -x "${VETLINE_CHROMIUM:-/usr/bin/chromium}" ]; then need+=(chromium); fi
if [ "${1:-}" = "--bench" ] && ! command -v pdftotext >/dev/null 2>&1; then need+=(poppler-utils); fi

if [ ${#need[@]} -eq 0 ]; then exit 0; fi
if ! command -v apt-get >/dev/null 2>&1; then
  echo "Missing: ${need[*]}. Install them with your system's package manager." >&2
  exit 1
fi
SUDO=""
if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi
echo "Installing ${need[*]} (apt-get)..." >&2
$SUDO apt-get update -qq >/dev/null
$SUDO env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
