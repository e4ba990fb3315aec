#!/usr/bin/env bash
# Tools the tests need, installed when missing: the file-information fixtures build and sign small
# PE files; the .evtx reader is checked against python-evtx (an independent implementation).
set -euo pipefail
missing=()
command -v osslsigncode >/dev/null || missing+=(osslsigncode)
command -v x86_64-w64-mingw32-gcc >/dev/null || missing+=(gcc-mingw-w64-x86-64)
command -v x86_64-w64-mingw32-windres >/dev/null || missing+=(binutils-mingw-w64-x86-64)
command -v openssl >/dev/null || missing+=(openssl)
command -v evtx_dump.py >/dev/null || missing+=(python3-evtx)
if [ ${#missing[@]} -gt 0 ]; then
  echo "Installing test tools: ${missing[*]}"
  SUDO=""; [ "$(id -u)" = 0 ] || SUDO="sudo"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "${missing[@]}" >/dev/null
fi
