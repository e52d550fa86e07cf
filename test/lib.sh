# Shell helpers for daxtool's command tests; sourced by test/cli/t-*.sh.
#
# The protocol: every check prints one line on stdout, "PASS name",
# "FAIL name: why" or "SKIP name: reason"; test/check.sh counts them.
# $DAXTOOL is the binary under test (the plain or the sanitizer build).

ROOT=$(cd "$(dirname "$0")/../.." && pwd)
: "${DAXTOOL:=$ROOT/daxtool}"
BUILD=${BUILD:-$ROOT/build}
MKFRAG=$BUILD/bench/tools/mkfrag
export LC_ALL=C

# Scratch space on the working tree's own filesystem.
mkdir -p "$ROOT/build"
T=$(mktemp -d "$ROOT/build/test.XXXXXX")
# at_exit CMD: run CMD (one shell line) on exit, the last one first
: >"$T.cleanup"
cleanup() {
	tac "$T.cleanup" | while IFS= read -r c; do eval "$c" >/dev/null 2>&1; done
	rm -rf "$T" "$T.cleanup"
}
trap cleanup EXIT
trap 'exit 1' INT TERM
at_exit() { printf '%s\n' "$1" >>"$T.cleanup"; }

pass() { echo "PASS $1"; }
fail() { echo "FAIL $1: $2"; }
skip() { echo "SKIP $1: $2"; }

# jqok NAME FILTER FILE [SHOW]: pass if the jq filter is true of the one
# document in FILE; else show SHOW of it (default all)
jqok() {
	if jq -en "input | ($2)" "$3" >/dev/null 2>&1; then pass "$1"
	else fail "$1" "$(jq -c "${4:-.}" "$3" 2>&1 | head -c 400)"; fi
}

# ok NAME CMD...: pass if CMD succeeds
ok() {
	name=$1; shift
	if "$@" >"$T/ok.out" 2>&1; then pass "$name"
	else fail "$name" "'$*' failed: $(head -c 300 "$T/ok.out" | tr '\n' ' ')"; fi
}

# run CMD...: $rc, and the output in $T/out and $T/err
run() {
	"$@" >"$T/out" 2>"$T/err"
	rc=$?
}

# expect NAME RC ERR_PATTERN CMD...: exit status RC and stderr matching
# the (grep -E) pattern; with --json among the arguments, stdout must be
# one valid JSON document (or nothing), whatever happened; with --ndjson,
# one JSON object per line.
expect() {
	name=$1 want=$2 pat=$3; shift 3
	run "$@"
	json=no
	for a in "$@"; do
		case $a in --json|-j) json=yes ;; --ndjson) json=lines ;; esac
	done
	if [ "$rc" != "$want" ]; then
		fail "$name" "exit $rc, want $want; stderr: $(head -c 300 "$T/err")"
	elif [ -n "$pat" ] && ! grep -Eq -- "$pat" "$T/err"; then
		fail "$name" "stderr '$(head -c 300 "$T/err")' lacks /$pat/"
	elif [ $json = yes ] && [ -s "$T/out" ] &&
	     ! jq -se 'length == 1' "$T/out" >/dev/null 2>&1; then
		fail "$name" "stdout is not one valid JSON document"
	elif [ $json = lines ] && ! jq -se 'all(type == "object")' "$T/out" >/dev/null 2>&1; then
		fail "$name" "stdout is not one JSON object per line"
	else
		pass "$name"
	fi
}

is_root() { [ "$(id -u)" = 0 ]; }

# held FILE PID: wait (30 s at most) until the benchmark PID, run with
# DAXTOOL_TEST_BENCH_HELD=FILE, is held by its test hook, or has ended
held() {
	_i=0
	until [ -e "$1" ] || ! kill -0 "$2" 2>/dev/null || [ $_i -ge 600 ]; do
		sleep 0.05; _i=$((_i + 1))
	done
}

# wait_mapped PID PATH: wait (10 s at most) until process PID maps a file
# whose path contains PATH, as a benchmark held by its test hook
# (DAXTOOL_TEST_BENCH_DELAY_MS) does
wait_mapped() {
	_i=0
	until grep -q "$2" "/proc/$1/maps" 2>/dev/null || [ $_i -ge 200 ]; do
		sleep 0.05; _i=$((_i + 1))
	done
}

# A filesystem to test on, by name: worktree (the working tree's own),
# xfs and ext4 (loop devices, root), tmpfs (root). Sets $DIR or prints
# the reason it cannot and returns 1.
fs_dir() {
	case $1 in
	worktree) DIR=$T/wt; mkdir -p "$DIR"; return 0 ;;
	tmpfs)
		is_root || { echo "needs root to mount tmpfs"; return 1; }
		DIR=$T/mnt-tmpfs; mkdir -p "$DIR"
		mount -t tmpfs -o size=256m tmpfs "$DIR" 2>&1 || return 1
		at_exit "umount '$DIR'"
		return 0 ;;
	xfs|ext4)
		is_root || { echo "needs root for a loop device"; return 1; }
		command -v losetup >/dev/null || { echo "no losetup"; return 1; }
		img=$T/$1.img
		truncate -s 1G "$img"
		dev=$(losetup -f --show "$img" 2>&1) ||
			{ echo "losetup failed: $dev"; return 1; }
		at_exit "losetup -d '$dev'"
		if [ "$1" = xfs ]; then mkfs.xfs -q -f "$dev" >/dev/null 2>&1
		else mkfs.ext4 -q -F "$dev" >/dev/null 2>&1; fi ||
			{ echo "mkfs.$1 failed"; return 1; }
		DIR=$T/mnt-$1; mkdir -p "$DIR"
		mount "$dev" "$DIR" 2>&1 || return 1
		at_exit "umount '$DIR'"
		return 0 ;;
	esac
	echo "unknown filesystem $1"
	return 1
}

. "$ROOT/test/oracles.sh"

# same NAME FILE_A FILE_B: pass if identical, else show the first lines
# that differ.
same() {
	if cmp -s "$2" "$3"; then pass "$1"
	else fail "$1" "$(diff "$2" "$3" | head -n 6 | tr '\n' '|')"; fi
}

# comp_line LINE: what bash completion offers when TAB is pressed at the
# end of LINE, one per line. An interactive bash loads the completion
# script, finds the function for the command word with complete -p (the
# word, else its last part, as bash does), splits LINE into COMP_WORDS as
# readline does (at blanks, and at the characters of COMP_WORDBREAKS, each
# run of them a word of its own: "--rw=r" is "--rw" "=" "r") and calls it
# with COMP_LINE, COMP_POINT, COMP_WORDS and COMP_CWORD set. The
# directory of $DAXTOOL leads PATH, unless COMP_PATH gives PATH; CWB,
# where set, is COMP_WORDBREAKS.
comp_line() {
	PATH=${COMP_PATH:-$(dirname "$DAXTOOL"):$PATH} bash --norc --noprofile -i -c '
		. "$1"
		line=$2
		[ -n "${CWB+set}" ] && COMP_WORDBREAKS=$CWB
		brk=${COMP_WORDBREAKS//[[:space:]\"\x27]/}
		words=() w= t=0
		for ((i = 0; i < ${#line}; i++)); do
			c=${line:i:1}
			if [[ $c == [[:space:]] ]]; then
				[[ -n $w ]] && words+=("$w")
				w= t=0
			elif [[ $brk == *"$c"* ]]; then
				[[ $t != 2 && -n $w ]] && { words+=("$w"); w=; }
				w+=$c t=2
			else
				[[ $t == 2 ]] && { words+=("$w"); w=; }
				w+=$c t=1
			fi
		done
		words+=("$w")
		spec=$(complete -p "${words[0]}" 2>/dev/null ||
		       complete -p "${words[0]##*/}" 2>/dev/null) || exit 3
		fn=${spec##*-F }; fn=${fn%% *}
		COMP_LINE=$line COMP_POINT=${#line} COMP_TYPE=9 COMP_KEY=9
		COMP_WORDS=("${words[@]}") COMP_CWORD=$((${#words[@]} - 1))
		"$fn" "${words[0]}" "${words[COMP_CWORD]}" "${words[COMP_CWORD-1]}"
		[ ${#COMPREPLY[@]} -gt 0 ] && printf "%s\n" "${COMPREPLY[@]}"
		exit 0' sh "$ROOT/completions/daxtool.bash" "$1" 2>/dev/null </dev/null
}

# comp WORD...: comp_line of the words joined by spaces (the last word is
# the one being completed: "" for a new one)
comp() { comp_line "$*"; }
