#!/bin/sh
# Install the Debian packages daxtool needs that are missing: as root with
# apt-get, otherwise print the exact command that would. $DEB_PKGS names them.
set -eu
missing=
for p in $DEB_PKGS; do
	s=$(dpkg-query -W -f '${db:Status-Status}' "$p" 2>/dev/null || true)
	[ "$s" = installed ] || missing="$missing $p"
done
[ -z "$missing" ] && exit 0
cmd="apt-get install -y --no-install-recommends$missing"
if [ "$(id -u)" != 0 ]; then
	echo "daxtool: missing Debian packages:$missing" >&2
	echo "daxtool: run as root:  apt-get update && $cmd" >&2
	exit 1
fi
echo "daxtool: installing:$missing" >&2
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
# shellcheck disable=SC2086
apt-get install -y -qq --no-install-recommends $missing >/dev/null
