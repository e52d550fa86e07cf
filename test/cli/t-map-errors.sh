#!/bin/sh
# Bad input to daxtool map: the exact exit status, an error that names the
# file and the reason, and on stdout nothing but valid JSON (or nothing).
. "$(dirname "$0")/../lib.sh"

D=$T/d; mkdir -p "$D"
echo data >"$D/small"

for j in "" --json; do
	w=${j:-text}
	expect "$w: missing file" 1 "^daxtool: map: $D/nope: No such file or directory$" \
		"$DAXTOOL" map $j "$D/nope"
	expect "$w: directory" 1 "^daxtool: map: $D: is a directory$" \
		"$DAXTOOL" map $j "$D"
	mkfifo "$D/fifo$w"
	expect "$w: fifo, without waiting for a writer" 1 \
		"^daxtool: map: $D/fifo$w: is a fifo, not a regular file$" \
		timeout 10 "$DAXTOOL" map $j "$D/fifo$w"
	expect "$w: character device" 1 "/dev/null: is a character device" \
		"$DAXTOOL" map $j /dev/null
	expect "$w: a device-DAX path that does not exist points to daxtool list" 1 \
		"/dev/dax97.3: no such device; .*'daxtool list'" "$DAXTOOL" map $j /dev/dax97.3
	expect "$w: range past EOF" 1 "^daxtool: map: $D/small: range starts at 8192, at or past end of file \(size 5\)$" \
		"$DAXTOOL" map $j --range 8k "$D/small"
	expect "$w: range running past EOF is clipped to it" 0 "" \
		"$DAXTOOL" map $j --range 0:4k "$D/small"
	grep -q "range 0:4k runs past end of file (size 5): mapped to the end" "$T/out" &&
		pass "$w: range running past EOF: a note says so" ||
		fail "$w: range clipped note" "$(head -c 300 "$T/out")"
done

# Unreadable: root reads anything, so drop to nobody for this one, in a
# directory nobody can search (the tree may not be), with a copy of the
# binary there: only the file itself is out of reach.
if is_root && command -v setpriv >/dev/null; then
	U=$(mktemp -d /tmp/daxtool-test.XXXXXX)
	at_exit "rm -rf '$U'"
	chmod 755 "$U"
	cp "$DAXTOOL" "$U/daxtool"
	echo secret >"$U/small"
	chmod 600 "$U/small"
	expect "unreadable file" 1 "^daxtool: map: $U/small: Permission denied$" \
		setpriv --reuid=65534 --regid=65534 --clear-groups "$U/daxtool" map --json "$U/small"
	jq -e --arg p "$U/small" 'length == 1 and .[0].path == $p and
		(.[0].error | endswith("Permission denied")) and (.[0] | has("extents") | not)' \
		"$T/out" >/dev/null && pass "unreadable file: JSON names it with its error" ||
		fail "unreadable file: stdout" "$(cat "$T/out")"
elif ! is_root; then
	chmod 000 "$D/small"
	expect "unreadable file" 1 "$D/small: Permission denied" "$DAXTOOL" map --json "$D/small"
	chmod 600 "$D/small"
else
	skip "unreadable file" "running as root without setpriv to drop privileges"
fi

# Empty file: not an error, an empty map.
: >"$D/empty"
expect "empty file" 0 "" "$DAXTOOL" map --json "$D/empty"
jq -e '.[0].size == 0 and (.[0].extents | length) == 0 and .[0].summary.bytes == 0' \
	"$T/out" >/dev/null && pass "empty file: no extents, size 0" ||
	fail "empty file" "$(cat "$T/out")"

# Malformed sizes are usage errors (2), named.
for bad in -1 4kx 0x 99999999999999999999 1.5M "" 4k:0 :4k; do
	expect "malformed range '$bad'" 2 "^daxtool: map: --range: invalid range '$bad': " \
		"$DAXTOOL" map --json --range "$bad" "$D/small"
	[ ! -s "$T/out" ] || fail "malformed range '$bad': stdout" "not empty"
done
expect "unknown --source" 2 "'zfs' is not one of: auto, fiemap, seek" \
	"$DAXTOOL" map --source zfs "$D/small"
expect "unknown option" 2 "unknown option '--bogus'" "$DAXTOOL" map --bogus "$D/small"
expect "missing argument" 2 "needs an argument" "$DAXTOOL" map "$D/small" --range
expect "no file" 2 "usage: daxtool map" "$DAXTOOL" map
expect "--layout with a file" 2 "give no FILE" "$DAXTOOL" map --layout x.json "$D/small"

# Malformed layouts: errors that say where.
printf '{"extents":[{"offset":0,"length":4096,"type":"mapped"},' >"$D/trunc.json"
expect "layout: truncated JSON" 1 "trunc.json: invalid JSON at byte" \
	"$DAXTOOL" map --json --layout "$D/trunc.json"
printf '{"extents":[{"offset":0,"length":8192,"type":"mapped"},{"offset":4096,"length":4096,"type":"hole"}]}' >"$D/ovl.json"
expect "layout: overlapping extents" 1 "ovl.json: extents\[1\]: overlaps" \
	"$DAXTOOL" map --json --layout "$D/ovl.json"
printf '{"extents":[{"offset":0,"length":4096,"type":"stuffed"}]}' >"$D/type.json"
expect "layout: unknown type" 1 'type.json: extents\[0\]: unknown type "stuffed"' \
	"$DAXTOOL" map --layout "$D/type.json"
expect "layout: missing file" 1 "nope.json: No such file or directory" \
	"$DAXTOOL" map --layout "$D/nope.json"

# One bad file among good ones: the good ones are mapped, exit 1.
expect "mixed good and missing files" 1 "$D/nope: No such file" \
	"$DAXTOOL" map --json "$D/small" "$D/nope" "$D/empty"
jq -e --arg p "$D/nope" 'length == 3 and .[0].size == 5 and .[1].path == $p and
	(.[1].error | test("No such file")) and .[2].size == 0 and
	([.[0], .[2] | has("error")] | any | not)' "$T/out" >/dev/null &&
	pass "mixed files: JSON holds the two that could be mapped, and the error, in order" ||
	fail "mixed files: JSON" "$(head -c 200 "$T/out")"

# A file truncated while it is being mapped: DAXTOOL_TEST_MAP_DELAY_MS
# holds the walk after its first extent, and the file shrinks meanwhile.
f=$D/shrink
"$MKFRAG" "$f" 64
for j in "" --json; do
	w=${j:-text}
	DAXTOOL_TEST_MAP_DELAY_MS=2000 "$DAXTOOL" map --no-retry $j "$f" >"$T/tout" 2>"$T/terr" &
	pid=$!
	sleep 0.5
	truncate -s 4096 "$f"
	wait $pid; trc=$?
	if [ $trc = 1 ] && grep -q "$f: the file changed size while being mapped (520192 -> 4096 bytes)" "$T/terr"; then
		pass "$w: file truncated while mapped is an error"
	else
		fail "$w: truncated while mapped" "exit $trc: $(cat "$T/terr")"
	fi
	if [ -n "$j" ]; then
		jq -e 'length == 1 and (.[0].error | test("changed size while being mapped"))
			and (.[0] | has("summary") | not)' "$T/tout" >/dev/null &&
			pass "json: truncated while mapped: valid JSON, the target says its error" ||
			fail "json: truncated while mapped: stdout" "$(head -c 200 "$T/tout")"
	fi
	rm -f "$f"; "$MKFRAG" "$f" 64
	# without --no-retry the map is made again, of the new size
	DAXTOOL_TEST_MAP_DELAY_MS=2000 "$DAXTOOL" map $j "$f" >"$T/tout" 2>"$T/terr" &
	pid=$!
	sleep 0.5
	truncate -s 4096 "$f"
	wait $pid; trc=$?
	if [ $trc = 0 ] && [ ! -s "$T/terr" ] && grep -Eq '(size 4096|"size":4096,)' "$T/tout" &&
	   [ "$(grep -Ec '^/|"path"' "$T/tout")" = 1 ]; then
		pass "$w: file changed while mapped: mapped again, once in the output"
	else
		fail "$w: retry after a change" "exit $trc: $(head -c 300 "$T/terr") $(head -c 300 "$T/tout")"
	fi
	rm -f "$f"; "$MKFRAG" "$f" 64
done

# A full stdout is an error, not a silent loss.
if [ -w /dev/full ]; then
	"$DAXTOOL" map --json "$D/small" >/dev/full 2>"$T/err"; rc=$?
	[ $rc = 1 ] && grep -q "writing output" "$T/err" &&
		pass "a write error on stdout is reported, exit 1" ||
		fail "stdout full" "exit $rc: $(cat "$T/err")"
fi

# Order: what was printed before an error comes before it, in a pipe too.
"$DAXTOOL" map "$D/small" "$D/nope" "$D/empty" 2>&1 | grep -n '' >"$T/order"
a=$(grep -m1 "$D/small: size" "$T/order" | cut -d: -f1)
b=$(grep -m1 "$D/nope: No such file" "$T/order" | cut -d: -f1)
c=$(grep -m1 "$D/empty: size" "$T/order" | cut -d: -f1)
[ -n "$a" ] && [ -n "$b" ] && [ -n "$c" ] && [ "$a" -lt "$b" ] && [ "$b" -lt "$c" ] &&
	pass "order: output and errors in the order they happen, in a pipe" ||
	fail "order in a pipe" "small at ${a:-?}, error at ${b:-?}, empty at ${c:-?}"

# JSON lines: a file line, one line per extent, a summary line; a failure
# is a line too.
"$MKFRAG" "$D/nd" 8 >/dev/null
expect "ndjson: two files and a missing one" 1 "$D/nope: No such file" \
	"$DAXTOOL" map --ndjson "$D/nd" "$D/nope" "$D/small"
jq -se --arg p "$D/nd" --arg m "$D/nope" '
	([.[] | .record] | join(",") | test("^file(,extent)+,summary,error,file(,extent)+,summary$")) and
	.[0].path == $p and .[0].schema == 2 and
	([.[] | select(.record == "error")][0] | .path == $m and (.error | test("No such file")))' \
	"$T/out" >/dev/null &&
	pass "ndjson: file, extents, summary per file, and an error line" ||
	fail "ndjson" "$(jq -c .record "$T/out" | tr '\n' ' ')"
n_nd=$(jq -s '[.[] | .record] | index("summary") - 1' "$T/out")
"$DAXTOOL" map --json "$D/nd" >"$T/nd.json"
jq -e --argjson n "$n_nd" '(.[0].extents | length) == $n' "$T/nd.json" >/dev/null &&
	pass "ndjson: the same extents as --json" || fail "ndjson extents" "$n_nd lines"
expect "--json and --ndjson together" 2 "choose one" "$DAXTOOL" map --json --ndjson "$D/nd"

# Paths that are not UTF-8 and control characters: JSON stays valid UTF-8.
bad=$(printf "$D/bad\\377\\001name")
echo x >"$bad"
expect "a path with invalid UTF-8 and a control character" 0 "" "$DAXTOOL" map --json "$bad"
jq -e --arg d "$D" '.[0].path == ($d + "/bad\ufffd\u0001name")' "$T/out" >/dev/null &&
	pass "json: invalid UTF-8 in a path becomes U+FFFD, controls are escaped" ||
	fail "json path escaping" "$(head -c 200 "$T/out" | od -c | head -5)"
expect "text: a path with control characters" 0 "" "$DAXTOOL" map "$bad"
head -n 1 "$T/out" | grep -q 'bad\\xff\\x01name: size' &&
	! head -n 1 "$T/out" | tr -d '\n' | grep -q "$(printf '[\001\377]')" &&
	pass "text: control characters and invalid UTF-8 in a path are escaped" ||
	fail "text path escaping" "$(head -n 1 "$T/out" | od -c | head -3)"
