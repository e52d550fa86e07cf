#!/bin/sh
# Bash completion as bash runs it: an interactive bash loads
# completions/daxtool.bash, finds its function with complete -p and calls
# it with the words split the way readline splits them (test/lib.sh
# comp_line); then the same keys typed at a real bash in a terminal. The
# binary asked is the one being completed.
. "$(dirname "$0")/../lib.sh"

if ! command -v bash >/dev/null; then
	skip "completion" "bash not installed"
	exit 0
fi

# offers NAME LINE WANT...: TAB at the end of LINE offers exactly WANT
# (in any order; none for nothing)
offers() {
	name=$1 line=$2; shift 2
	comp_line "$line" | sort >"$T/got"
	printf '%s\n' "$@" | sed '/^$/d' | sort >"$T/want"
	cmp -s "$T/got" "$T/want" && pass "$name" ||
		fail "$name" "'$line<TAB>' offers [$(tr '\n' ' ' <"$T/got")], want [$*]"
}
# includes NAME LINE WANT...: what TAB offers includes every WANT
includes() {
	name=$1 line=$2; shift 2
	comp_line "$line" >"$T/got"
	for w in "$@"; do
		grep -qxF -- "$w" "$T/got" ||
			{ fail "$name" "'$line<TAB>' lacks $w: [$(tr '\n' ' ' <"$T/got")]"; return; }
	done
	pass "$name"
}

DT=$DAXTOOL
cd "$T" || exit 1
mkdir -p files && : >files/one.json && : >files/two
cd files || exit 1

# --- the function is found as bash finds it ------------------------------------
bash --norc --noprofile -c ". '$ROOT/completions/daxtool.bash'; complete -p daxtool" >"$T/spec" 2>&1
grep -q -- "-F _daxtool daxtool$" "$T/spec" && pass "complete -p daxtool: -F _daxtool" ||
	fail "complete -p" "$(cat "$T/spec")"

# --- --opt=VALUE: '=' breaks words -----------------------------------------------
offers "--so completes to --source=" "$DT map --so" --source=
offers "--source= offers the sources, not files" "$DT map --source=" auto fiemap seek
offers "--source=f completes the value" "$DT map --source=f" fiemap
offers "--rw= offers fio's patterns" "$DT bench rw --rw=" read write randread randwrite rw randrw
offers "--rw=rand" "$DT bench rw --rw=rand" randread randwrite randrw
offers "--copy=avx512" "$DT bench rw --copy=avx512" avx512 avx512-nt
offers "--page-size= of fault" "$DT bench fault --page-size=" 4k 2m 1g
offers "--page-size= of latency" "$DT bench latency --page-size=" 4k 2m 1g all
offers "--layout= offers files" "$DT map --layout=o" one.json
offers "--mode= of list" "$DT list --mode=s" sector system-ram
offers "an option after --opt=value" "$DT map --source=seek --gr" --graph
offers "a value after --opt=value" "$DT bench rw --rw=read --copy=pmem-n" pmem-nodrain pmem-nt
# where '=' does not break words, the value is in the word: keep --opt=
CWB=' 	
"'"'"'><;|&(:' offers "without = in COMP_WORDBREAKS: --source=f" "$DT map --source=f" --source=fiemap

# --- values after the option, and underscores in them -------------------------------
offers "--persist offers every mode, map_sync too" "$DT bench rw --persist " none flush drain msync map_sync
offers "--persist map_ completes map_sync" "$DT bench rw --persist map_" map_sync
offers "--persist=map_s completes map_sync" "$DT bench rw --persist=map_s" map_sync
offers "-p (short) offers the page sizes" "$DT bench fault -p " 4k 2m 1g
offers "--size takes a number: nothing offered" "$DT bench fault --size " ""
offers "--layout offers files" "$DT check --layout o" one.json

# --- words ------------------------------------------------------------------------
"$DT" --list-cmds >"$T/cmds"
offers "help offers the commands" "$DT help " $(cat "$T/cmds")
offers "help ma" "$DT help ma" map
offers "help bench offers the benchmarks" "$DT help bench " $("$DT" bench --list-cmds)
offers "help bench rw: nothing more" "$DT help bench rw " ""
includes "the first word: commands and top-level options" "$DT " $(cat "$T/cmds") --help --version
offers "--v" "$DT --v" --version
offers "bench offers the benchmarks" "$DT bench " $("$DT" bench --list-cmds)
includes "a bench target: emulated, anon, hugetlb and files" "$DT bench fault " emulated anon hugetlb one.json two
offers "a bench target: em" "$DT bench fault em" emulated
offers "a bench target after an option and its value" "$DT bench rw --size 8M an" anon
offers "a bench target after --opt=value" "$DT bench rw --size=8M h" hugetlb
ls /dev/dax* >/dev/null 2>&1 && includes "a bench target: /dev/dax*" "$DT bench rw " $(ls -d /dev/dax*)
offers "map targets are files only" "$DT map t" two
offers "list takes no file" "$DT list " ""
offers "options of a benchmark" "$DT bench pmd-fault --pop" --populate
offers "options of check" "$DT check --acc" --access=

# --- compare: bench results, and its one choice --------------------------------------
mkdir -p sub
offers "compare offers JSON files and directories" "$DT compare " one.json sub
offers "compare after the base: JSON files again" "$DT compare one.json o" one.json
offers "compare --fail-on= offers regression" "$DT compare --fail-on=" regression
offers "compare --fail-on offers regression" "$DT compare --fail-on " regression
offers "compare --thr completes to --threshold=" "$DT compare --thr" --threshold=
offers "compare --threshold=: a number, nothing offered" "$DT compare --threshold=" ""
rmdir sub

# --- the binary being completed, not the one on PATH ---------------------------
# a daxtool on PATH that knows other commands
mkdir -p "$T/path"
cat >"$T/path/daxtool" <<'SH'
#!/bin/sh
case $1 in --list-cmds) echo decoy ;; *) exit 0 ;; esac
SH
chmod +x "$T/path/daxtool"
COMP_PATH=$T/path:/usr/bin:/bin offers "the daxtool being completed is asked ($DT)" "$DT he" help
COMP_PATH=$T/path:/usr/bin:/bin offers "daxtool from PATH when that is what is typed" "daxtool " decoy
cp "$DAXTOOL" "$T/daxtool"
(cd "$T" && COMP_PATH=/usr/bin:/bin comp_line "./daxtool map --so") >"$T/got"
[ "$(cat "$T/got")" = --source= ] && pass "./daxtool in a build tree, not on PATH" ||
	fail "./daxtool" "offers [$(tr '\n' ' ' <"$T/got")]"
COMP_PATH=/usr/bin:/bin offers "a daxtool that is nowhere: nothing, no error" "daxtool-nowhere map --so" ""

# --- a real bash in a terminal: the keys as a user types them -------------------
# Each line is typed with TABs, then ctrl-A and "said " in front of it and
# Enter: said prints what the line had become, <<like this>>.
if command -v script >/dev/null; then
	cat >"$T/rc" <<RC
PS1='DTPROMPT> '
HISTFILE=/dev/null
PATH=$(dirname "$DAXTOOL"):\$PATH
bind 'set bell-style none' 2>/dev/null
said() { printf '<<%s>>\\n' "\$*"; }
. '$ROOT/completions/daxtool.bash'
RC
	mkfifo "$T/keys"
	(script -qfc "bash --noprofile --rcfile '$T/rc' -i" /dev/null <"$T/keys" >"$T/tty" 2>&1) &
	spid=$!
	exec 3>"$T/keys"
	i=0
	until grep -aq 'DTPROMPT> ' "$T/tty" 2>/dev/null || [ $i -ge 100 ]; do
		sleep 0.1; i=$((i + 1))
	done
	printf 'daxtool map --so\tf\t\001said \n' >&3
	printf 'daxtool bench rw --persist map_\t\001said \n' >&3
	printf 'daxtool bench rw --copy=avx512-\t\001said \n' >&3
	printf 'daxtool help ma\t\001said \n' >&3
	printf 'daxtool bench fault emu\t\001said \n' >&3
	printf './daxtool-not-here map --so\t\001said \n' >&3
	printf 'exit\n' >&3
	exec 3>&-
	i=0
	while kill -0 $spid 2>/dev/null && [ $i -lt 100 ]; do sleep 0.1; i=$((i + 1)); done
	kill $spid 2>/dev/null
	tr '\r' '\n' <"$T/tty" | sed -n 's/^<<\(.*\)>>$/\1/p' >"$T/said"
	printf '%s\n' "daxtool map --source=fiemap" "daxtool bench rw --persist map_sync" \
		"daxtool bench rw --copy=avx512-nt" "daxtool help map" "daxtool bench fault emulated" \
		"./daxtool-not-here map --so" >"$T/want"
	if cmp -s "$T/said" "$T/want"; then
		pass "in a terminal: --so TAB f TAB, --persist map_ TAB, --copy=avx512- TAB, help ma TAB, em TAB"
	else
		fail "in a terminal" "got [$(tr '\n' '|' <"$T/said")], want [$(tr '\n' '|' <"$T/want")]"
	fi
else
	skip "completion in a terminal" "no script(1) (util-linux)"
fi
