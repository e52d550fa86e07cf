#!/bin/sh
# make bench: every benchmark, each against the tools users would pick
# instead, measured in the same run. Figures are ratios; nothing here is a
# test, and nothing here fails the build on a slow machine.
cd "$(dirname "$0")/.." || exit 1
status=0
for b in bench/b-*.sh; do
	echo "== $(basename "$b" .sh | sed 's/^b-//')"
	sh "$b" || status=1
	echo
done
exit $status
