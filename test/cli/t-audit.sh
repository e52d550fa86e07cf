#!/bin/sh
# daxtool audit off DAX hardware: a command that maps nothing DAX gets a
# report saying so; without root, an error saying root is needed. (The
# VM test, test/vm/t-audit.sh, checks the counts against the kernel.)
. "$(dirname "$0")/../lib.sh"

if is_root; then
	expect "audit -- true: exit 0" 0 "" "$DAXTOOL" audit -- true
	grep -q "^nothing DAX was mapped" "$T/out" &&
		pass "audit -- true: nothing DAX was mapped" ||
		fail "audit -- true: text" "$(cat "$T/out")"
	expect "audit --json -- true: exit 0" 0 "" "$DAXTOOL" audit --json -- true
	jqok "audit --json: no files, the command and its status" \
		'.files == [] and .summary.files == 0 and .command == ["true"] and .exit_status == 0' "$T/out"
	sh "$ROOT/test/doc-keys.sh" --check audit "$T/out"
	expect "audit -- sh -c 'exit 3': the status is reported" 0 "" \
		"$DAXTOOL" audit --json -- sh -c 'exit 3'
	jqok "audit: exit_status 3" '.exit_status == 3' "$T/out"
	expect "audit of a missing command: exit 1" 1 "no-such-cmd.*No such file" \
		"$DAXTOOL" audit -- "$T/no-such-cmd"
	expect "audit -p without --duration: usage" 2 "needs --duration" "$DAXTOOL" audit -p 1
	expect "audit of a gone process: exit 1" 1 "no such process" \
		"$DAXTOOL" audit -p 1073741823 --duration 1
	if command -v setpriv >/dev/null; then
		expect "audit as uid 65534: exit 1, needs root" 1 "needs root" \
			setpriv --reuid=65534 --regid=65534 --clear-groups "$DAXTOOL" audit -- true
	else
		skip "audit without root" "no setpriv"
	fi
else
	expect "audit without root: exit 1, needs root" 1 "needs root" "$DAXTOOL" audit -- true
	skip "audit -- true" "needs root"
fi
expect "audit without a command: usage" 2 "" "$DAXTOOL" audit
"$DAXTOOL" --list-cmds | grep -qx audit && pass "--list-cmds lists audit" ||
	fail "--list-cmds" "no audit"
