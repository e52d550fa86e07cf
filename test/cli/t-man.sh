#!/bin/sh
# The manual pages: one per command, each renders without a warning, and
# the options on a command's page are the options the binary lists for it
# (daxtool CMD --list-opts, daxtool bench NAME --list-opts), both ways, so
# the pages cannot drift from the binary. daxtool help opens them, and
# falls back to -h; make install and make uninstall put them in place and
# take them away.
. "$(dirname "$0")/../lib.sh"

# the pages built with the binary under test: $(B)/man beside $(B)/daxtool,
# or the build's for ./daxtool
MAN=$(dirname "$DAXTOOL")/man
[ -d "$MAN" ] || MAN=$BUILD/man
if ! command -v groff >/dev/null; then
	skip "manual pages" "groff is not installed (make deps installs groff-base)"
	exit 0
fi
if [ ! -f "$MAN/daxtool.1" ]; then
	fail "manual pages" "none in $MAN (make builds them with scdoc)"
	exit 0
fi

# --- every page renders without a warning --------------------------------------
for p in "$MAN"/*.1; do
	n=$(basename "$p" .1)
	groff -man -Tutf8 -ww -z "$p" >"$T/w" 2>&1
	[ ! -s "$T/w" ] && pass "$n(1): groff -ww renders it without warnings" ||
		fail "$n(1): groff warnings" "$(head -n 3 "$T/w" | tr '\n' ' ')"
	if command -v man >/dev/null; then
		MANWIDTH=80 man --warnings -l "$p" >"$T/out" 2>"$T/w"
		[ $? = 0 ] && [ ! -s "$T/w" ] && grep -q "^NAME" "$T/out" &&
			pass "$n(1): man -l shows it without warnings" ||
			fail "$n(1): man -l" "$(head -n 3 "$T/w" | tr '\n' ' ')"
	fi
done

# --- a page for every command, a section for every benchmark ------------------
"$DAXTOOL" --list-cmds >"$T/cmds"
missing=
for c in $(cat "$T/cmds"); do
	[ -f "$MAN/daxtool-$c.1" ] || missing="$missing daxtool-$c.1"
done
[ -f "$MAN/daxtool.1" ] || missing="$missing daxtool.1"
[ -z "$missing" ] && pass "a page for daxtool and each command ($(tr '\n' ' ' <"$T/cmds"))" ||
	fail "pages" "missing:$missing"

# render PAGE: plain text, in lines long enough that no option is broken
render() { groff -man -Tutf8 -P-cbou -rLL=400n "$MAN/$1.1" 2>/dev/null; }

# section PAGE-TEXT BENCHMARK: the page's section "BENCH ..." that names
# the benchmark, and its COMMON OPTIONS
section() {
	awk -v w="$(echo "$2" | tr a-z A-Z)" '
		/^[A-Z]/ { on = $0 == "COMMON OPTIONS"
			   if ($1 == "BENCH") for (i = 2; i <= NF; i++) if ($i == w) on = 1 }
		on' "$1"
}

# the options the page lists as entries (the lines of an option list:
# "-s, --size SIZE", "--sync", "-s, --size, --sparse, ..."), one a line
entries() {
	grep -E '^       -' "$1" | grep -oE -- '--[a-z0-9-]+' | sort -u
}

# opts_match NAME TEXT OPTS UNION: every option in OPTS (the binary's
# --list-opts) is in TEXT; every entry in TEXT is in UNION (the options of
# whatever the text describes)
opts_match() {
	name=$1 text=$2 opts=$3 union=$4
	absent=
	for o in $(sed 's/=$//' "$opts"); do
		grep -Eq -- "(^|[^A-Za-z0-9-])$o([^A-Za-z0-9-]|\$)" "$text" ||
			absent="$absent $o"
	done
	[ -s "$opts" ] && [ -z "$absent" ] &&
		pass "$name: every option the binary lists is on the page ($(wc -l <"$opts"))" ||
		fail "$name: options not on the page" "${absent:-the binary lists none}"
	stale=$(entries "$text" | while read -r o; do
		sed 's/=$//' "$union" | grep -qx -- "$o" || printf '%s ' "$o"; done)
	[ -z "$stale" ] && pass "$name: every option the page lists is the binary's" ||
		fail "$name: on the page, not in the binary" "$stale"
}

"$DAXTOOL" --list-opts >"$T/opts"
render daxtool >"$T/page"
opts_match "daxtool(1)" "$T/page" "$T/opts" "$T/opts"
for c in $(cat "$T/cmds"); do
	[ -f "$MAN/daxtool-$c.1" ] || continue
	render "daxtool-$c" >"$T/page"
	"$DAXTOOL" "$c" --list-opts >"$T/opts" 2>"$T/err" ||
		{ fail "daxtool $c --list-opts" "$(cat "$T/err")"; continue; }
	if [ "$c" != bench ]; then
		opts_match "daxtool-$c(1)" "$T/page" "$T/opts" "$T/opts"
		continue
	fi
	# bench: its own options anywhere on the page; each benchmark's in
	# its section
	grep -q -- "--list-cmds" "$T/page" && pass "daxtool-bench(1): --list-cmds" ||
		fail "daxtool-bench(1)" "--list-cmds not on the page"
	: >"$T/all"
	for b in $("$DAXTOOL" bench --list-cmds); do
		"$DAXTOOL" bench "$b" --list-opts >>"$T/all"
	done
	for b in $("$DAXTOOL" bench --list-cmds); do
		section "$T/page" "$b" >"$T/sec"
		if ! grep -q '^BENCH' "$T/sec"; then
			fail "daxtool-bench(1): $b" "no section BENCH ... $(echo "$b" | tr a-z A-Z)"
			continue
		fi
		"$DAXTOOL" bench "$b" --list-opts >"$T/opts"
		opts_match "daxtool-bench(1), bench $b" "$T/sec" "$T/opts" "$T/all"
	done
done

# The check itself: an option the binary lists that the page lacks fails.
printf '%s\n' --json --no-such-option= >"$T/opts"
render daxtool-map >"$T/page"
opts_match "(the check)" "$T/page" "$T/opts" "$T/opts" >"$T/self"
grep -q '^FAIL (the check): options not on the page:  *--no-such-option$' "$T/self" &&
	pass "the check fails for an option a page lacks" ||
	fail "the check" "$(cat "$T/self")"
grep -q '^FAIL (the check): on the page, not in the binary: .*--ndjson' "$T/self" &&
	pass "the check fails for an option the binary lacks" ||
	fail "the check, both ways" "$(cat "$T/self")"

# --- daxtool help opens the page; without man or a page, -h -------------------
if command -v man >/dev/null; then
	MANPAGER=cat MANWIDTH=80 "$DAXTOOL" help map >"$T/out" 2>"$T/err"; rc=$?
	[ $rc = 0 ] && [ ! -s "$T/err" ] && grep -q "daxtool-map - show" "$T/out" &&
		grep -q -- "--range OFF\[:LEN\]" "$T/out" &&
		pass "help map: the page built with the binary" ||
		fail "help map" "exit $rc: $(head -c 200 "$T/err") $(head -n 3 "$T/out")"
	MANPAGER=cat "$DAXTOOL" help bench rw >"$T/out" 2>"$T/err" &&
		grep -q "^BENCH RW" "$T/out" && pass "help bench rw: daxtool-bench(1)" ||
		fail "help bench rw" "$(head -c 200 "$T/err")"
	# a binary with no page beside it, and man's path empty
	mkdir -p "$T/bin" "$T/noman"
	cp "$DAXTOOL" "$T/bin/daxtool"
	MANPATH=$T/noman "$T/bin/daxtool" help check >"$T/out" 2>"$T/err"; rc=$?
	[ $rc = 0 ] && grep -q "^usage: daxtool check" "$T/out" &&
		grep -q "note: no manual page daxtool-check(1) to show: man finds no such page; 'daxtool check -h' follows" "$T/err" &&
		pass "help with no page to show: -h, and a note says why" ||
		fail "help, no page" "exit $rc: $(cat "$T/err")"
else
	skip "help opens the page" "man is not installed (make deps installs man-db)"
fi
PATH=$T/nothing-here "$DAXTOOL" help map >"$T/out" 2>"$T/err"; rc=$?
[ $rc = 0 ] && grep -q "^usage: daxtool map" "$T/out" &&
	grep -q "note: no manual page daxtool-map(1) to show: man cannot be run" "$T/err" &&
	pass "help without man: -h, and a note says why" ||
	fail "help without man" "exit $rc: $(cat "$T/err")"
PATH=$T/nothing-here "$DAXTOOL" help bench latency >"$T/out" 2>/dev/null &&
	grep -q "^usage: daxtool bench latency" "$T/out" &&
	pass "help bench latency without man: bench latency -h" ||
	fail "help bench latency without man" "$(head -n 2 "$T/out")"
expect "help of a benchmark that does not exist" 2 "'frob' is not a daxtool benchmark" \
	"$DAXTOOL" help bench frob
expect "help of a command with no benchmarks" 2 "only bench has benchmarks" \
	"$DAXTOOL" help map x

# --- make install puts the pages, make uninstall takes everything away --------
if [ "$DAXTOOL" = "$ROOT/daxtool" ]; then
	I=$T/inst
	make -s -C "$ROOT" install PREFIX=/opt/dt DESTDIR="$I" >"$T/inst.log" 2>&1 ||
		fail "make install" "$(tail -n 3 "$T/inst.log")"
	n=$(ls "$I/opt/dt/share/man/man1" 2>/dev/null | wc -l)
	[ "$n" = "$(ls "$MAN" | grep -c '\.1$')" ] && [ -f "$I/opt/dt/share/man/man1/daxtool-bench.1" ] &&
		pass "make install: the $n pages in PREFIX/share/man/man1" ||
		fail "make install: pages" "$n installed"
	if command -v man >/dev/null; then
		MANPATH=$T/noman MANPAGER=cat "$I/opt/dt/bin/daxtool" help list >"$T/out" 2>"$T/err" &&
			grep -q "daxtool-list - list" "$T/out" &&
			pass "an installed daxtool opens the pages installed with it" ||
			fail "installed help" "$(head -c 300 "$T/err")"
	fi
	make -s -C "$ROOT" uninstall PREFIX=/opt/dt DESTDIR="$I" >"$T/inst.log" 2>&1 ||
		fail "make uninstall" "$(tail -n 3 "$T/inst.log")"
	left=$(find "$I" -type f | sed "s|^$I||")
	[ -z "$left" ] && pass "make uninstall: nothing that install put is left" ||
		fail "make uninstall" "left: $left"
fi
