# Sourced by the bench/b-*.sh scripts: where things are, a scratch folder
# removed on exit with whatever bench_at_exit adds, and the arithmetic of
# the figures. Figures, not tests: nothing here fails on a missed target.
ROOT=$(cd "$(dirname "$0")/.." && pwd)
DAXTOOL=${DAXTOOL:-$ROOT/daxtool}
TOOLS=$ROOT/build/bench/tools
export LC_ALL=C

mkdir -p "$ROOT/build"
T=$(mktemp -d "$ROOT/build/bench.XXXXXX") || exit 1
_bench_exit=:
# bench_at_exit CMD: run CMD (a shell command line) on exit, before the
# scratch folder goes
bench_at_exit() { _bench_exit="$1; $_bench_exit"; }
trap 'eval "$_bench_exit"; rm -rf "$T"' EXIT
trap 'exit 1' HUP INT PIPE TERM

# need TOOL...: each is on PATH or an executable path, else say so, exit 1
need() {
	for _n in "$@"; do
		command -v "$_n" >/dev/null || { echo "-- $_n missing (make unit builds the tools)"; exit 1; }
	done
}
median() { sort -g | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }'; }
# noise on a shared machine only ever adds: the fastest run is the other
# honest figure
fastest() { sort -g | head -n 1; }
div() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.3f", b ? a / b : 0 }'; }
