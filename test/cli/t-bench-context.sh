#!/bin/sh
# Every benchmark's result carries its context (the command line, the
# host) and the target's fingerprint: equal for like targets whatever the
# run, different for unlike ones, so that results can be matched later.
. "$(dirname "$0")/../lib.sh"

# bench NAME ARGS...: its JSON in $T/NAME.json
bench() {
	n=$1; shift
	printf '%s\n' "$DAXTOOL" bench "$n" --json "$@" | jq -R . | jq -sc . >"$T/$n.argv"
	"$DAXTOOL" bench "$n" --json "$@" >"$T/$n.json" 2>"$T/$n.err" ||
		fail "bench $n $*" "exit $?: $(head -c 300 "$T/$n.err")"
}

bench fault --size 8M anon
bench pmd-fault --size 8M anon
bench rw --size 8M --loops 1 --no-limit anon
bench latency --size 4M --max-ws 64K --repeats 1 --no-chart anon
for n in fault pmd-fault rw latency; do
	[ -s "$T/$n.json" ] || continue
	jqok "$n: context.argv is the command line, word by word" \
		".context.argv == $(cat "$T/$n.argv")" "$T/$n.json" .context
	jqok "$n: context.hostname is the host's" ".context.hostname == \"$(hostname)\"" \
		"$T/$n.json" .context
	jqok "$n: target.fingerprint: a 16-digit hex hash and its fields" \
		'.target.fingerprint | (.hash | test("^[0-9a-f]{16}$")) and .kind == "emulated-anon" and
		 .align == 2097152 and .dev == null and .fs == null' "$T/$n.json" .target.fingerprint
done
jq -s -r 'map(.target.fingerprint.hash) | unique | length' "$T/fault.json" "$T/pmd-fault.json" \
	"$T/rw.json" "$T/latency.json" >"$T/n"
[ "$(cat "$T/n")" = 1 ] && pass "the same target, four workloads: one fingerprint" ||
	fail "fingerprint across workloads" "$(cat "$T/n") different hashes"

# a word with spaces: argv keeps words whole
mkdir -p "$T/dir with space"
"$DAXTOOL" bench fault --json --size 8M "$T/dir with space" >"$T/sp.json" 2>"$T/sp.err"
jqok "argv: a word with spaces stays one word" \
	".context.argv[-1] == \"$T/dir with space\"" "$T/sp.json" .context

# A file daxtool creates has a new name each run; the fingerprint does
# not change with it, nor with the size.
"$DAXTOOL" bench fault --json --size 8M "$T" >"$T/f1.json" 2>"$T/err" &&
"$DAXTOOL" bench fault --json --size 4M "$T" >"$T/f2.json" 2>"$T/err"
if [ -s "$T/f1.json" ] && [ -s "$T/f2.json" ]; then
	a=$(jq -r .target.fingerprint.hash "$T/f1.json")
	b=$(jq -r .target.fingerprint.hash "$T/f2.json")
	[ "$a" = "$b" ] && [ "$(jq -r .target.path "$T/f1.json")" != "$(jq -r .target.path "$T/f2.json")" ] &&
		pass "files created in one directory, two sizes: one fingerprint ($a)" ||
		fail "fingerprint of created files" "$a, $b"
	jqok "a file: the fingerprint names its device and filesystem" \
		'. as $d | .target.fingerprint | (.dev | type) == "string" and .fs == $d.target.fs and
		 (.mount_options | type) == "string" and .dev == $d.target.dev' "$T/f1.json" .target.fingerprint
	[ "$a" != "$(jq -r .target.fingerprint.hash "$T/fault.json")" ] &&
		pass "a file and anonymous memory: different fingerprints" ||
		fail "fingerprint: file and memory" "both $a"
else
	fail "bench fault in a directory" "$(head -c 300 "$T/err")"
fi

# tmpfs: its size= changes with the run, and is not part of the identity
if is_root; then
	for s in 64m 128m; do
		mkdir -p "$T/tm$s"
		mount -t tmpfs -o size=$s,huge=always tmpfs "$T/tm$s" && at_exit "umount '$T/tm$s'"
		"$DAXTOOL" bench fault --json --size 8M "$T/tm$s" >"$T/tm$s.json" 2>"$T/err"
	done
	a=$(jq -r .target.fingerprint.hash "$T/tm64m.json" 2>/dev/null)
	b=$(jq -r .target.fingerprint.hash "$T/tm128m.json" 2>/dev/null)
	[ -n "$a" ] && [ "$a" = "$b" ] &&
		jq -e '.target.fingerprint.mount_options | test("huge=always") and (test("size=") | not)' \
			"$T/tm64m.json" >/dev/null &&
		pass "tmpfs of two sizes, huge=always: one fingerprint, size= left out" ||
		fail "tmpfs fingerprint" "$a, $b: $(jq -c .target.fingerprint "$T/tm64m.json" 2>&1)"
else
	skip "tmpfs fingerprint" "needs root to mount tmpfs"
fi

# Text says the fingerprint and where and how it ran.
"$DAXTOOL" bench fault --size 8M anon >"$T/text" 2>&1
h=$(jq -r .target.fingerprint.hash "$T/fault.json")
grep -q "^  fingerprint $h$" "$T/text" && grep -q "^  ran on $(hostname): $DAXTOOL bench fault --size 8M anon$" "$T/text" &&
	pass "text: the fingerprint, the host and the command line" ||
	fail "text context" "$(grep -E 'fingerprint|ran on' "$T/text")"
