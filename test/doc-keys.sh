#!/bin/sh
# The keys doc/json.md documents, for the tests that hold the JSON output
# to it. Before each table of keys the doc has
# "<!-- keys: COMMAND JQ-PATH -->".
#
#   doc-keys.sh [DOC]
#	one line per table: COMMAND<TAB>JQ-PATH<TAB>required<TAB>optional
#	(keys space-separated and sorted; a key is optional where its type
#	says **absent**)
#   doc-keys.sh --check COMMAND JSON-FILE [DOC]
#	for each of COMMAND's tables, "PASS", "FAIL" or "SKIP" (nothing at
#	that path in JSON-FILE) as the tests print them
if [ "${1:-}" = --check ]; then
	cmd=$2 file=$3
	tab=$(printf '\t')
	sh "$0" "${4:-$(dirname "$0")/../doc/json.md}" |
	while IFS="$tab" read -r c path req opt; do
		[ "$c" = "$cmd" ] || continue
		name="json doc: $cmd $path"
		if ! jq -e "$path | type == \"object\"" "$file" >/dev/null 2>&1; then
			echo "SKIP $name: nothing at $path here (no such objects on this machine)"
			continue
		fi
		got=$(jq -r "$path | keys_unsorted | join(\" \")" "$file")
		missing=$(for k in $req; do case " $got " in *" $k "*) ;; *) printf '%s ' "$k" ;; esac; done)
		extra=$(for k in $got; do case " $req $opt " in *" $k "*) ;; *) printf '%s ' "$k" ;; esac; done)
		if [ -z "$missing$extra" ]; then
			echo "PASS $name: the keys are the doc's"
		else
			echo "FAIL $name: missing from the output: [${missing% }]; not in the doc: [${extra% }]"
		fi
	done
	exit 0
fi
doc=${1:-$(dirname "$0")/../doc/json.md}
awk -F'|' '
function flush() {
	if (cmd != "") print cmd "\t" path "\t" sorted(req) "\t" sorted(opt)
	cmd = ""; req = ""; opt = ""
}
function sorted(s,   n, a, i, j, t, out) {
	n = split(s, a, " ")
	for (i = 2; i <= n; i++)
		for (j = i; j > 1 && a[j - 1] > a[j]; j--) {
			t = a[j]; a[j] = a[j - 1]; a[j - 1] = t
		}
	out = ""
	for (i = 1; i <= n; i++) out = out (i > 1 ? " " : "") a[i]
	return out
}
/^<!-- keys: / { flush(); cmd = $0; sub(/^<!-- keys: /, "", cmd); sub(/ -->$/, "", cmd)
	path = cmd; sub(/^[^ ]+ /, "", path); sub(/ .*/, "", cmd); intable = 1; next }
intable && /^\|/ {
	if ($2 ~ /^ *key *$/ || $2 ~ /^ *-+ *$/) next
	cell = $2
	while (match(cell, /`[a-z0-9_]+`/)) {
		k = substr(cell, RSTART + 1, RLENGTH - 2)
		if ($3 ~ /\*\*absent\*\*/) opt = opt " " k; else req = req " " k
		cell = substr(cell, RSTART + RLENGTH)
	}
	next
}
intable && /^$/ && cmd != "" && (req != "" || opt != "") { flush(); intable = 0 }
END { flush() }
' "$doc"
