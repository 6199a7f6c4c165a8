#!/usr/bin/env bash
# Debian packages some tests need: an MIT Kerberos KDC (Negotiate tests; libkrb5-dev also lets the
# optional `kerberos` add-on build) and Chromium (the `sortie auth login` browser test). Installed
# only when missing; never a browser download.
set -euo pipefail

missing=()
command -v krb5kdc >/dev/null 2>&1 || [ -x /usr/sbin/krb5kdc ] || missing+=(krb5-kdc krb5-admin-server krb5-user)
dpkg -s libkrb5-dev >/dev/null 2>&1 || missing+=(libkrb5-dev)
command -v chromium >/dev/null 2>&1 || missing+=(chromium)

if [ ${#missing[@]} -eq 0 ]; then echo "system packages: all present"; exit 0; fi
if [ "$(id -u)" != 0 ]; then echo "system packages: missing ${missing[*]} (not root: tests that need them will skip)"; exit 0; fi
echo "system packages: installing ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
