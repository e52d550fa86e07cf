#!/bin/sh
# daxtool check off DAX hardware: ordinary files explain themselves, and
# layouts given as data exercise the analysis (the VM tests check the
# predictions against the kernel).
. "$(dirname "$0")/../lib.sh"

D=$T/d; mkdir -p "$D"
xfs_io -f -c 'pwrite -q -S 0x5a 0 3m' "$D/file"

expect "non-DAX file: exit 1" 1 "" "$DAXTOOL" check "$D/file"
n=$(grep -c . "$T/out")
grep -q "^$D/file: not DAX: .*does not support DAX.*2 windows of 2 MiB" "$T/out" && [ "$n" = 1 ] &&
	pass "non-DAX file: one paragraph that says why" ||
	fail "non-DAX file: text" "$(cat "$T/out")"
expect "non-DAX file --json" 1 "" "$DAXTOOL" check --json "$D/file"
jq -e '.[0] | .dax.on == false and (.dax.why_not | length) > 10 and .windows == [] and
	.summary.windows == 2 and .summary.reasons.not_dax == 2 and .summary.eligible == 0' \
	"$T/out" >/dev/null && pass "non-DAX file: JSON says not_dax for every window" ||
	fail "non-DAX file: JSON" "$(jq -c '.[0] | [.dax, .summary]' "$T/out")"
expect "directory: exit 1, new files get no DAX" 1 "" "$DAXTOOL" check "$D"
grep -q "New files here do not get DAX" "$T/out" && pass "directory: says so" ||
	fail "directory" "$(cat "$T/out")"

if is_root; then
	mkdir -p "$T/tmpfs"
	if mount -t tmpfs -o size=16m tmpfs "$T/tmpfs"; then
		at_exit "umount '$T/tmpfs'"
		echo x >"$T/tmpfs/f"
		"$DAXTOOL" check "$T/tmpfs/f" | grep -q "tmpfs has no block device.*huge=always" &&
			pass "tmpfs: not DAX, and the huge=always hint" ||
			fail "tmpfs" "$("$DAXTOOL" check "$T/tmpfs/f")"
	fi
else
	skip "tmpfs" "needs root to mount tmpfs"
fi

# Layouts: what-if studies.
M=1048576
cat >"$D/good.json" <<EOF2
{"size": 8388608, "extents": [{"offset": 0, "length": 8388608, "type": "mapped", "phys": 4294967296}]}
EOF2
cat >"$D/bad.json" <<EOF2
{"size": 10485760, "extents": [
 {"offset": 0, "length": 4194304, "type": "mapped", "phys": 1073741824},
 {"offset": 4194304, "length": 1048576, "type": "mapped", "phys": 2097152000},
 {"offset": 5242880, "length": 1048576, "type": "unwritten", "phys": 2099249152},
 {"offset": 6291456, "length": 2097152, "type": "mapped", "phys": 4096}]}
EOF2
expect "layout, all aligned: exit 0" 0 "" "$DAXTOOL" check --layout "$D/good.json"
grep -q "4 of 4 get a huge page" "$T/out" && pass "layout, all aligned: 4 of 4" ||
	fail "layout good" "$(cat "$T/out")"
expect "layout with fallbacks: exit 1" 1 "" "$DAXTOOL" check --json --layout "$D/bad.json"
jq -e '.[0].summary | .windows == 5 and .pmd == 2 and .pte == 3 and
	.reasons.extent_too_short == 1 and .reasons.misaligned_physical == 1 and
	.reasons.unaligned_allocation == 1' "$T/out" >/dev/null &&
	pass "layout with fallbacks: the reasons counted" ||
	fail "layout reasons" "$(jq -c '.[0].summary' "$T/out")"
jq -e '[.[0].windows[] | .offset] == [4194304, 6291456, 8388608] and
	.[0].windows[0].extent_boundaries == [5242880]' "$T/out" >/dev/null &&
	pass "layout: failing windows listed, with extent boundaries" ||
	fail "layout windows" "$(jq -c '.[0].windows' "$T/out")"
jq -e '(.[0].advice | length) >= 2' "$T/out" >/dev/null &&
	pass "layout: advice for the reasons seen" || fail "layout advice" "$(jq -c '.[0].advice' "$T/out")"
"$DAXTOOL" check --json --verbose --layout "$D/bad.json" >"$T/v.json"
jq -e '([.[0].windows[].count] | add) == 5 and
	[.[0].windows[] | .offset + .count * 2097152] == [.[0].windows[1:][].offset, 10485760]' \
	"$T/v.json" >/dev/null &&
	pass "--verbose lists every window, whole windows of one extent in one row" ||
	fail "--verbose" "$(jq -c '[.[0].windows[] | [.offset, .count]]' "$T/v.json")"
jq -S 'map(keys)' "$T/out" >"$T/k1"; jq -S 'map(keys)' "$T/v.json" >"$T/k2"
same "check --json: the same keys with --verbose" "$T/k1" "$T/k2"
expect "read access: holes read the huge zero page" 1 "" "$DAXTOOL" check --json -a read --layout "$D/bad.json"
jq -e '.[0].summary | .zero_pmd == 1 and .pte == 2' "$T/out" >/dev/null &&
	pass "read access: the hole window is a huge zero page" || fail "read" "$(jq -c '.[0].summary' "$T/out")"
expect "--vaddr not congruent" 1 "" "$DAXTOOL" check --json --vaddr 0x7f0000001000 --layout "$D/good.json"
jq -e '.[0].summary.reasons.misaligned_virtual == 4' "$T/out" >/dev/null &&
	pass "--vaddr: misaligned_virtual on every window" || fail "--vaddr" "$(jq -c '.[0].summary' "$T/out")"
expect "--vaddr congruent to --offset" 0 "" "$DAXTOOL" check --vaddr 0x7f0000201000 --offset 0x1000 --layout "$D/good.json"
expect "--private write" 1 "" "$DAXTOOL" check --json --private --layout "$D/good.json"
jq -e '.[0].summary.reasons.private_write == 4' "$T/out" >/dev/null &&
	pass "--private: private_write" || fail "--private" "$(jq -c '.[0].summary' "$T/out")"
expect "--private read" 0 "" "$DAXTOOL" check --private -a read --layout "$D/good.json"

# Bad input.
expect "missing file" 1 "^daxtool: check: $D/nope: No such file or directory$" "$DAXTOOL" check --json "$D/nope"
jq -e --arg p "$D/nope" '. == [{"daxtool": .[0].daxtool, "schema": 2, "path": $p,
	"error": "\($p): No such file or directory"}]' "$T/out" >/dev/null &&
	pass "missing file: JSON names it with its error" || fail "missing: stdout" "$(cat "$T/out")"
mkfifo "$D/fifo"
expect "fifo" 1 "$D/fifo: is a fifo" timeout 10 "$DAXTOOL" check "$D/fifo"
expect "character device" 1 "/dev/null: is a character device, not a device-DAX device" "$DAXTOOL" check /dev/null
expect "bad --access" 2 "'rw' is not one of: write, read" "$DAXTOOL" check -a rw "$D/file"
expect "--layout with a file" 2 "give no FILE" "$DAXTOOL" check --layout "$D/good.json" "$D/file"
expect "no argument" 2 "usage: daxtool check" "$DAXTOOL" check
printf '{"extents":[' >"$D/broken.json"
expect "malformed layout" 1 "broken.json: invalid JSON" "$DAXTOOL" check --json --layout "$D/broken.json"
expect "bad --vaddr" 2 "--vaddr: invalid address" "$DAXTOOL" check --vaddr 0xzz --layout "$D/good.json"
expect "options are checked before targets are opened" 2 "--vaddr: invalid address 'foo'" \
	"$DAXTOOL" check --vaddr foo "$D/missing"
: >"$D/empty"
expect "an empty file that is not DAX: exit 1, as any file that is not DAX" 1 "" \
	"$DAXTOOL" check "$D/empty"
expect "a file with no extents to show: says why" 1 "does not support FIEMAP nor SEEK_DATA/SEEK_HOLE" \
	"$DAXTOOL" check /proc/self/maps
# A layout's addresses are not physical: labelled addr, and the advice
# names no file to fallocate
cat >"$D/addr.json" <<EOF2
{"size": 4194304, "extents": [{"offset": 0, "length": 1048576, "type": "mapped", "addr": 1052672},
  {"offset": 1048576, "length": 3145728, "type": "mapped", "addr": 8388608}]}
EOF2
expect "layout with addr only" 1 "" "$DAXTOOL" check --json --layout "$D/addr.json"
jq -e '.[0].windows[1] | .phys == null and .addr == 9437184' "$T/out" >/dev/null &&
	pass "layout addr: JSON window has addr, and phys null" ||
	fail "layout addr JSON" "$(jq -c '.[0].windows' "$T/out")"
"$DAXTOOL" check --verbose --layout "$D/addr.json" >"$T/addr.txt"
grep -q " addr 0x" "$T/addr.txt" && ! grep -q " phys 0x" "$T/addr.txt" &&
	pass "layout addr: text says addr, not phys" || fail "layout addr text" "$(cat "$T/addr.txt")"
grep -q "fallocate -l SIZE FILE" "$T/addr.txt" && ! grep -q "fallocate -l SIZE $D/addr.json" "$T/addr.txt" &&
	pass "layout advice: no fallocate of the layout file itself" ||
	fail "layout advice" "$(grep fallocate "$T/addr.txt")"
"$DAXTOOL" check -h | grep -q "Exit status: 0 when DAX is on and every 2 MiB window" &&
	pass "check -h documents the exit status" || fail "check -h" "no exit status"

# A file of 2^63 - 1 bytes (sparse, on tmpfs): checked and mapped at once,
# one row per extent, not one per window.
if [ -w /dev/shm ]; then
	h=/dev/shm/daxtool-test-huge.$$
	at_exit "rm -f '$h'"
	truncate -s 9223372036854775807 "$h"
	expect "a file of 2^63-1 bytes: check" 1 "" timeout 20 "$DAXTOOL" check --json -v "$h"
	jq -e '.[0].summary.windows == 4398046511104 and (.[0].windows | length) <= 2' \
		"$T/out" >/dev/null && pass "a file of 2^63-1 bytes: every window counted, in 2 rows" ||
		fail "huge check" "$(head -c 300 "$T/out")"
	expect "a file of 2^63-1 bytes: map" 0 "" timeout 20 "$DAXTOOL" map --json "$h"
	expect "a file of 2^63-1 bytes: map text" 0 "" timeout 20 "$DAXTOOL" map "$h"
	grep -q "1 hole" "$T/out" && pass "a file of 2^63-1 bytes: one hole, the whole map" ||
		fail "huge map text" "$(tail -n 1 "$T/out")"
else
	skip "a file of 2^63-1 bytes" "/dev/shm is not writable"
fi
