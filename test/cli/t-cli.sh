#!/bin/sh
# The command line: help, version, exit codes, option listing, bash
# completion, and the map options that shape output.
. "$(dirname "$0")/../lib.sh"

expect "help lists the commands" 0 "" "$DAXTOOL" help
grep -q '^    map ' "$T/out" && pass "help: map is listed" || fail "help: map" "not listed"
# (the manual page is test/cli/t-man.sh's; without man, help shows -h)
expect "help map, no man" 0 "" env PATH="$T/no-man-here" "$DAXTOOL" help map
grep -q '^usage: daxtool map' "$T/out" && grep -q -- '--range OFF\[:LEN\]' "$T/out" &&
	pass "help map: usage and options" || fail "help map" "$(head -3 "$T/out")"
expect "map -h" 0 "" "$DAXTOOL" map -h
expect "--help" 0 "" "$DAXTOOL" --help
expect "help of an unknown command" 2 "'frob' is not a daxtool command" "$DAXTOOL" help frob
expect "unknown command" 2 "'frob' is not a daxtool command" "$DAXTOOL" frob
expect "no command" 2 "usage: daxtool" "$DAXTOOL"
expect "--version" 0 "" "$DAXTOOL" --version
grep -Eq '^daxtool .+' "$T/out" && pass "--version prints daxtool and a version" ||
	fail "--version" "$(cat "$T/out")"

# --list-cmds and --list-opts come from the tables the parser uses.
"$DAXTOOL" --list-cmds >"$T/cmds"
grep -qx map "$T/cmds" && grep -qx help "$T/cmds" &&
	pass "--list-cmds lists map and help" || fail "--list-cmds" "$(cat "$T/cmds")"
"$DAXTOOL" map --list-opts >"$T/opts"
for o in --json --range= --source= --layout= --human --graph --sync; do
	grep -qx -- "$o" "$T/opts" || { fail "map --list-opts" "$o missing"; break; }
done && pass "map --list-opts lists every option"
# and every listed option is accepted by the parser
for o in $(sed 's/=$//' "$T/opts"); do
	case $o in --help) continue ;; --range) a=0 ;; --source) a=auto ;;
		--layout) continue ;; *) a= ;; esac
	echo x >"$T/f"
	"$DAXTOOL" map $o $a "$T/f" >/dev/null 2>"$T/err" ||
		{ fail "listed option $o" "refused: $(cat "$T/err")"; continue; }
done
pass "every option listed is accepted"

# Bash completion asks the binary, so it cannot drift.
if command -v bash >/dev/null; then
	d=$(dirname "$DAXTOOL")
	if [ "$(basename "$DAXTOOL")" = daxtool ]; then
		comp daxtool "" >"$T/c1"
		grep -qx map "$T/c1" && pass "completion: commands" ||
			fail "completion: commands" "$(tr '\n' ' ' <"$T/c1")"
		comp daxtool map --r >"$T/c2"
		grep -qx -- "--range=" "$T/c2" && pass "completion: map options" ||
			fail "completion: map options" "$(tr '\n' ' ' <"$T/c2")"
		comp daxtool check --acc >"$T/c4"
		grep -qx -- "--access=" "$T/c4" && pass "completion: check options" ||
			fail "completion: check" "$(tr '\n' ' ' <"$T/c4")"
		comp daxtool bench rw --copy "" >"$T/c5"
		grep -qx avx512-nt "$T/c5" && grep -qx pmem-nodrain "$T/c5" &&
			pass "completion: bench rw --copy methods" ||
			fail "completion: --copy" "$(tr '\n' ' ' <"$T/c5")"
		comp daxtool map --source "" >"$T/c3"
		[ "$(sort "$T/c3" | tr '\n' ' ')" = "auto fiemap seek " ] &&
			pass "completion: --source values" ||
			fail "completion: --source values" "$(tr '\n' ' ' <"$T/c3")"
	else
		skip "completion" "binary under test is not named daxtool ($d)"
	fi
else
	skip "completion" "bash not installed"
fi

# map's options that shape the output.
f=$T/sparse
truncate -s 8M "$f"
xfs_io -c 'pwrite -q -S 0x5a 2m 2m' -c fsync "$f"
"$DAXTOOL" map --json "$f" | jq -S 'map(keys)' >"$T/k1"
"$DAXTOOL" map --json -u --graph --range 1M:6M --sync "$f" | jq -S 'map(keys)' >"$T/k2"
"$DAXTOOL" map --json "$f" "$f" | jq -S '.[1] | keys' >"$T/k3"
jq -S '.[0]' "$T/k1" >"$T/k1b"
same "json: the same keys whatever the flags" "$T/k1" "$T/k2"
same "json: the same keys whatever the number of files" "$T/k1b" "$T/k3"
"$DAXTOOL" map --json -u "$f" | jq -e '.[0].extents[0].length | type == "number"' >/dev/null &&
	pass "json: sizes stay integers with --human" || fail "json --human" "not a number"

"$DAXTOOL" map --json --range 1M:6M "$f" |
	jq -r '.[0].extents[] | "\(.offset) \(.length) \(.type)"' >"$T/got"
printf '%s\n' "1048576 1048576 hole" "2097152 2097152 mapped" "4194304 3145728 hole" >"$T/want"
same "--range clips extents to the range" "$T/want" "$T/got"

"$DAXTOOL" map -u "$f" >"$T/text"
grep -Eq '^ +2M +2M mapped ' "$T/text" && pass "--human: sizes as 2M" ||
	fail "--human" "$(cat "$T/text")"
COLUMNS=44 "$DAXTOOL" map --graph "$f" | grep '^  \[' >"$T/graph"
[ "$(cat "$T/graph")" = "  [..........##########....................]" ] &&
	pass "--graph: holes and data across the width" ||
	fail "--graph" "'$(cat "$T/graph")'"

# A map is a layout: feed it back and get the same extents.
"$DAXTOOL" map --json "$f" >"$T/layout.json"
"$DAXTOOL" map --json --layout "$T/layout.json" >"$T/again.json"
# (a layout knows no devices: dev and phys_dev are the machine's)
jq -c '[.[0].extents[] | del(.dev, .phys_dev)]' "$T/layout.json" >"$T/e1"
jq -c '[.[0].extents[] | del(.dev, .phys_dev)]' "$T/again.json" >"$T/e2"
jq -e '[.[0].extents[] | .dev, .phys_dev] | all(. == null)' "$T/again.json" >/dev/null &&
	pass "--layout: a layout's extents name no device" ||
	fail "--layout: devices" "$(head -c 300 "$T/again.json")"
same "--layout: a map fed back as a layout maps the same" "$T/e1" "$T/e2"
jq -e '.[0].source == "layout" and .[0].device == null' "$T/again.json" >/dev/null &&
	pass "--layout: source is layout, no device" || fail "--layout" "source/device"

# daxtool list on a machine without DAX: empty lists, a note, exit 0.
# (and without CXL: its four lists are empty too)
if [ -d /sys/bus/nd/devices ] && ls /sys/bus/nd/devices | grep -q region; then
	skip "list without DAX" "this machine has NVDIMM regions"
elif ls /sys/bus/cxl/devices 2>/dev/null | grep -q '^mem'; then
	skip "list without DAX" "this machine has CXL memory devices"
else
	expect "list without DAX: exit 0 and a note" 0 "no DAX regions, devices or mounts" \
		"$DAXTOOL" list --json
	jq -e 'del(.daxtool) == {"schema":2,"regions":[],"namespaces":[],"devices":[],"mounts":[],
		"cxl_memdevs":[],"cxl_ports":[],"cxl_decoders":[],"cxl_regions":[]}' "$T/out" >/dev/null &&
		pass "list without DAX: eight empty lists" || fail "list without DAX" "$(cat "$T/out")"
	for filt in "-r 0 -m devdax" "--memdev mem0" "-M 0 -n 0.0"; do
		# shellcheck disable=SC2086
		expect "list without DAX, filtered ($filt): same shape" 0 "" "$DAXTOOL" list --json $filt
		jq -e 'keys == ["cxl_decoders","cxl_memdevs","cxl_ports","cxl_regions","daxtool",
			"devices","mounts","namespaces","regions","schema"]' "$T/out" >/dev/null &&
			pass "list: the same keys with filters $filt" ||
			fail "list: keys with filters $filt" "$(cat "$T/out")"
	done
	expect "list without DAX: text says nothing on stdout" 0 "" "$DAXTOOL" list
	[ ! -s "$T/out" ] && pass "list without DAX: empty stdout" || fail "list text" "$(cat "$T/out")"
fi
expect "list: unexpected argument" 2 "unexpected argument 'x'" "$DAXTOOL" list x
expect "list: bad mode" 2 "'dax' is not one of" "$DAXTOOL" list --mode dax

# A file on a device that is not pmem: no physical addresses, and says why.
"$DAXTOOL" map --json "$f" >"$T/m.json"
dev=$(jq -r '.[0].backing.dev' "$T/m.json")
jq -e --arg d "$dev" '(.[0].caveats | length) == 1
	and (.[0].caveats[0] | startswith("physical addresses unknown: \($d): not a pmem namespace"))
	and .[0].backing.base == null and ([.[0].extents[] | .phys != null] | any | not)' \
	"$T/m.json" >/dev/null &&
	pass "map on $dev: no phys, and the caveat says $dev is not pmem" ||
	fail "map phys caveat" "$(jq -c '.[0] | [.backing, .caveats]' "$T/m.json")"
"$DAXTOOL" map "$f" | grep -q "^  note: physical addresses unknown: $dev: not a pmem namespace that libndctl knows" &&
	pass "map text: the caveat is a note" || fail "map text caveat" "no note"

# make install honours PREFIX and DESTDIR (only where this is the build's
# own binary, not the sanitizer build's)
if [ "$DAXTOOL" = "$ROOT/daxtool" ]; then
	make -s -C "$ROOT" install PREFIX=/opt/dt DESTDIR="$T/inst" >"$T/inst.log" 2>&1 &&
	[ -x "$T/inst/opt/dt/bin/daxtool" ] &&
	[ -f "$T/inst/opt/dt/share/bash-completion/completions/daxtool" ] &&
		pass "make install: PREFIX and DESTDIR" ||
		fail "make install" "$(tail -3 "$T/inst.log")"
fi

# The set-up step: as root it installs; otherwise it names the exact line.
if is_root && command -v setpriv >/dev/null; then
	# the script comes on stdin: the tree may not be readable by nobody
	DEB_PKGS="coreutils daxtool-no-such-package" setpriv --reuid=65534 --regid=65534 \
		--clear-groups sh -s <"$ROOT/test/deps.sh" >"$T/deps.out" 2>&1; rc=$?
	[ $rc = 1 ] && grep -q "apt-get update && apt-get install -y --no-install-recommends daxtool-no-such-package$" "$T/deps.out" &&
		pass "set-up as another user: prints the exact apt-get line, exit 1" ||
		fail "set-up, not root" "exit $rc: $(cat "$T/deps.out")"
fi
DEB_PKGS="coreutils" sh "$ROOT/test/deps.sh" >"$T/deps.out" 2>&1 &&
	[ ! -s "$T/deps.out" ] && pass "set-up with nothing missing: silent, exit 0" ||
	fail "set-up, nothing missing" "$(cat "$T/deps.out")"

# A write error on stdout is reported by every command, exit 1.
if [ -w /dev/full ]; then
	echo x >"$T/full-small"
	for c in "map --json $T/full-small" "map $T/full-small" "check --json $T/full-small" \
		 "list --json" "version --json"; do
		# shellcheck disable=SC2086
		"$DAXTOOL" $c >/dev/full 2>"$T/full.err"; rc=$?
		[ $rc = 1 ] && grep -q "writing output" "$T/full.err" &&
			pass "stdout full: $c: reported, exit 1" ||
			fail "stdout full: $c" "exit $rc: $(cat "$T/full.err")"
	done
else
	skip "stdout full" "no writable /dev/full"
fi

# Help: a paragraph after the usage lines is not a usage line; a long
# option's description goes on the next line rather than running into it.
"$DAXTOOL" check -h >"$T/h" 2>&1
grep -q "or: .*Exit status" "$T/h" && fail "check -h" "the exit-status paragraph printed as a usage line" ||
	pass "check -h: the exit-status paragraph is a paragraph"
"$DAXTOOL" map -h >"$T/h" 2>&1
grep -q -- "--source auto|fiemap|seek$" "$T/h" &&
	grep -A1 -- "--source auto|fiemap|seek$" "$T/h" | tail -n 1 | grep -q "^ \{31\}where extents come from" &&
	pass "map -h: a long option's description on its own line" ||
	fail "map -h" "$(grep -A1 -- --source "$T/h")"
expect "help bench rw: the rw help, not the bench overview" 0 "" \
	env PATH="$T/no-man-here" "$DAXTOOL" help bench rw
grep -q "^usage: daxtool bench rw" "$T/out" && pass "help bench rw shows rw's usage" ||
	fail "help bench rw" "$(head -n 2 "$T/out")"
expect "help help" 0 "" env PATH="$T/no-man-here" "$DAXTOOL" help help
grep -q "usage: daxtool help" "$T/out" && pass "help help: help's usage" || fail "help help" "$(cat "$T/out")"
expect "version --json" 0 "" "$DAXTOOL" version --json
jq -e '(.daxtool | type) == "string" and .schema == 2' "$T/out" >/dev/null &&
	pass "version --json: the version and the schema" || fail "version --json" "$(cat "$T/out")"
