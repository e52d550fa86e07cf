#!/bin/sh
# The JSON keys every command prints are the keys doc/json.md documents,
# table by table (test/doc-keys.sh reads the doc), so the doc cannot
# drift; and every command's JSON is one valid document.
. "$(dirname "$0")/../lib.sh"

D=$T/d; mkdir -p "$D"
"$MKFRAG" "$D/frag" 8 >/dev/null 2>&1 || dd if=/dev/zero of="$D/frag" bs=64k count=4 2>/dev/null

# one sample output per command: the richest the machine allows
"$DAXTOOL" map --json "$D/frag" >"$T/map.json" 2>/dev/null
"$DAXTOOL" check --json --verbose "$D/frag" >"$T/check.json" 2>/dev/null
"$DAXTOOL" list --json >"$T/list.json" 2>/dev/null

for c in map check list; do
	jq -se 'length == 1' "$T/$c.json" >/dev/null 2>&1 &&
		pass "json doc: $c --json is one valid document" ||
		fail "json doc: $c --json" "not one valid document: $(head -c 200 "$T/$c.json")"
done

sh "$ROOT/test/doc-keys.sh" "$ROOT/doc/json.md" >"$T/keys"
[ "$(wc -l <"$T/keys")" -ge 10 ] && pass "json doc: the doc's key tables are read" ||
	fail "json doc: key tables" "only $(wc -l <"$T/keys") found"

for c in map check list; do
	sh "$ROOT/test/doc-keys.sh" --check $c "$T/$c.json" "$ROOT/doc/json.md" |
		sed 's/(no such objects on this machine)/(no DAX objects on this machine: the VM tests check them)/'
done
