#!/bin/sh
# daxtool compare on real bench results of this machine and on results
# changed on purpose: a result against itself moves nothing; a latency
# doubled is a significant regression (exit 1 with --fail-on regression);
# a row that got other page sizes is said even when faster; other targets
# are refused without --force; bad input exits 2 with the file named and
# nothing on stdout; rows of other thread counts or page sizes are not
# matched; and --json is one valid document every time.
. "$(dirname "$0")/../lib.sh"

# bench NAME FILE ARGS...: its JSON in $T/FILE
bench() {
	n=$1 f=$2; shift 2
	"$DAXTOOL" bench "$n" --json "$@" >"$T/$f" 2>"$T/$f.err" ||
		fail "bench $n $*" "exit $?: $(head -c 300 "$T/$f.err")"
}
bench fault f1.json --size 16M anon
bench fault f2.json --size 16M anon
bench fault t2.json --size 16M --threads 2 anon
bench fault p2m.json --size 16M --page-size 2m anon
bench fault r1.json --size 16M --runs 3 anon
bench fault r2.json --size 16M --runs 3 anon
bench pmd-fault pmd.json --size 16M anon
bench rw rw1.json --size 16M --loops 1 --no-limit anon
bench rw rw2.json --size 16M --loops 1 --no-limit anon
bench rw rr1.json --size 16M --runs 3 --loops 1 --no-limit anon
bench rw rr2.json --size 16M --runs 3 --loops 1 --no-limit anon
bench latency lat1.json --size 4M --max-ws 64K --repeats 3 --no-chart anon
bench latency lat2.json --size 4M --max-ws 64K --repeats 3 --no-chart anon
# pairs of identical runs, one run a side: three of each workload
for i in 1 2 3; do
	bench fault fa$i.json --size 32M anon
	bench fault fb$i.json --size 32M anon
	bench pmd-fault pa$i.json --size 32M emulated
	bench pmd-fault pb$i.json --size 32M emulated
	bench rw ra$i.json --size 32M --loops 2 --no-limit anon
	bench rw rb$i.json --size 32M --loops 2 --no-limit anon
done
for f in f1 f2 t2 p2m r1 r2 pmd rw1 rw2 rr1 rr2 lat1 lat2 fa1 fb3 pa2 pb3 ra1 rb3; do
	[ -s "$T/$f.json" ] || { fail "compare" "no bench result $f.json: nothing to compare"; exit 0; }
done

# cmp_json NAME RC ARGS...: compare --json ARGS exits RC, its output one
# valid document, in $T/out
cmp_json() {
	name=$1 want=$2; shift 2
	expect "$name" "$want" "" "$DAXTOOL" compare --json "$@"
	[ "$want" = 2 ] || jq -e . "$T/out" >/dev/null 2>&1 ||
		fail "$name: --json" "not valid JSON: $(head -c 200 "$T/out")"
}

# --- the bench JSON keeps what compare needs ----------------------------------------
jqok "bench fault: lat_ns.hist counts every sample" \
	'.results[0].lat_ns | .N == ([.hist.buckets[][1]] | add) and .hist.sub_buckets == 32' \
	"$T/f1.json" '.results[0].lat_ns.hist'
jqok "bench fault --runs 3: runs.*.values has each run's" \
	'.results[0].runs | (.unit_ns.values | length) == 3 and (.runtime_ns.values | length) == 3
	 and (.runtime_ns.values | sort)[1] == .runtime_ns.median' "$T/r1.json" '.results[0].runs'
jqok "bench rw: lat_ns.hist" '.jobs[0].read.lat_ns.hist.buckets | length > 0' "$T/rw1.json"
jqok "bench rw --runs 3: runs.bw_bytes.values and runs.lat_ns have each run's" \
	'.jobs[0].read.runs | .count == 3 and (.bw_bytes.values | length) == 3 and
	 (.runtime_ns.values | length) == 3 and (.lat_ns.mean | length) == 3 and
	 (.lat_ns.p50 | length) == 3 and (.lat_ns.p99 | length) == 3' "$T/rr1.json" '.jobs[0].read.runs'
jqok "bench fault: lat_ns.batches, 32 in time order, averaging to the mean" \
	'.results[0].lat_ns | .batches.count == 32 and (.batches.mean | length) == 32 and
	 (.batches.p50 | length) == 32 and (.batches.p99 | length) == 32 and
	 .batches.size == (.N / 32 | floor) and
	 ((.batches.mean | add / length) - .mean | fabs) < .mean / 100' \
	"$T/f1.json" '.results[0].lat_ns.batches'
jqok "bench fault --runs 3: runs.lat_ns has each run's mean, p50, p99" \
	'.results[0].runs | (.lat_ns.mean | length) == 3 and (.lat_ns.p50 | length) == 3 and
	 (.lat_ns.p99 | length) == 3 and .lat_ns.mean == .unit_ns.values' "$T/r1.json" '.results[0].runs'
jqok "fingerprint: namespace_uuid null with a reason for emulated memory" \
	'.target.fingerprint | .namespace_uuid == null and (.namespace_uuid_why | test("emulated"))' \
	"$T/f1.json" '.target.fingerprint'

# --- identical inputs: nothing moves ------------------------------------------------
for f in f1 pmd rw1 lat1 r1 rr1; do
	cmp_json "compare: $f against itself, exit 0" 0 "$T/$f.json" "$T/$f.json"
	jqok "compare: $f against itself: no significant change, no measured change" \
		'.verdict == "ok" and .regressions == 0 and
		 ([.comparisons[0].rows[].metrics[] | select(.significant == true)] | length) == 0 and
		 (.comparisons[0].measured | length) == 0 and (.comparisons[0].rows | length) > 0 and
		 all(.comparisons[0].rows[].metrics[]; .change_pct == 0 or .change_pct == null)' "$T/out"
done
cmp_json "compare: itself with --fail-on regression, exit 0" 0 --fail-on regression "$T/f1.json" "$T/f1.json"
# deterministic: the same files, the same intervals
"$DAXTOOL" compare --json "$T/f1.json" "$T/f2.json" >"$T/a1" 2>/dev/null
"$DAXTOOL" compare --json "$T/f1.json" "$T/f2.json" >"$T/a2" 2>/dev/null
cmp -s "$T/a1" "$T/a2" && pass "compare: the same inputs give the same output (fixed seed)" ||
	fail "compare: deterministic" "two runs differ"

# --- two real runs of the same target: rows match; intervals are there ---------------
cmp_json "compare: two runs of fault on anon" 0 "$T/f1.json" "$T/f2.json"
jqok "compare: one run a side: batch-means intervals, within the run, the note says what they hold" \
	'.comparisons[0] | (.rows | length) == 1 and (.note | test("one run")) and
	 ([.rows[0].metrics[] | select(.method == "batch_means")] | length) == 3 and
	 all(.rows[0].metrics[]; .scope == "within_run" and .significant != true and
	     (.within_run_only | type) == "boolean") and
	 all(.rows[0].metrics[] | select(.method == "batch_means"); .ci_low_pct <= .change_pct and .change_pct <= .ci_high_pct)' \
	"$T/out" '.comparisons[0]'

# --- pairs of identical runs: no significant change claimed ------------------------------
# One run a side can say nothing of run-to-run noise (on a busy machine
# the same target twice differs beyond its own spread in about a third
# of the metrics): no row is called better, worse or a regression; the
# documented rate of such claims is 0. Each pair's rows: no_change or
# within_run_only.
for p in f p r; do
	for i in 1 2 3; do
		"$DAXTOOL" compare --json --fail-on regression "$T/${p}a$i.json" "$T/${p}b$i.json" \
			>"$T/pair-$p$i.json" 2>"$T/pair-$p$i.err" ||
			fail "compare: identical pair $p$i" "exit $?: $(head -c 300 "$T/pair-$p$i.err")"
	done
done
jq -s '[.[].comparisons[0].rows[].metrics[] | select(.scope != null)] as $m |
	{metrics: ($m | length), claimed: ([$m[] | select(.significant == true)] | length),
	 no_change: ([$m[] | select(.significant == false)] | length),
	 within_run_only: ([$m[] | select(.within_run_only == true)] | length),
	 no_interval: ([$m[] | select(.ci_low_pct == null)] | length),
	 rows: ([.[].comparisons[0].rows[].verdict] | group_by(.) | map({(.[0]): length}) | add)}' \
	"$T"/pair-*.json >"$T/pairs.json"
echo "# identical pairs: $(jq -c . "$T/pairs.json")"
jqok "compare: 9 identical pairs (fault, pmd-fault on emulated, rw), one run a side: no significant change claimed" \
	'.metrics >= 30 and .claimed == 0 and .no_change + .within_run_only + .no_interval == .metrics and
	 (.rows | keys - ["no_change", "within_run_only", "undetermined"]) == []' "$T/pairs.json"
jq -s -e 'all(.[]; .regressions == 0 and .verdict == "ok")' "$T"/pair-*.json >/dev/null &&
	pass "compare: identical pairs: every verdict ok" ||
	fail "compare: identical pairs verdict" "$(jq -c '[.regressions, .verdict]' "$T"/pair-*.json | tr '\n' ' ')"
cmp_json "compare: two runs of fault --runs 3" 0 "$T/r1.json" "$T/r2.json"
jqok "compare: --runs 3: every metric by Welch over the runs (percentiles too), no note" \
	'.comparisons[0] | .note == null and
	 ([.rows[0].metrics[] | select(.method == "welch" and .scope == "runs") | .metric] | sort) ==
	 ["bw_bytes", "lat_mean", "lat_p50", "lat_p99", "unit_ns"] and
	 all(.rows[0].metrics[]; .within_run_only == null)' \
	"$T/out" '.comparisons[0].rows[0].metrics'
cmp_json "compare: --runs 3 against one run" 0 "$T/r1.json" "$T/f1.json"
jqok "compare: --runs 3 against one run: latencies by the histograms, within the run" \
	'.comparisons[0].rows[0].metrics | map(select(.metric | startswith("lat_"))) |
	 length == 3 and all(.[]; .method == "bootstrap" and .scope == "within_run" and .significant != true)' "$T/out"
cmp_json "compare: two runs of rw" 0 "$T/rw1.json" "$T/rw2.json"
jqok "compare: rw: the read row, with bandwidth from the latency" \
	'.comparisons[0].rows | length == 1 and .[0].access == "read" and
	 any(.[0].metrics[]; .metric == "bw_bytes" and .method == "from_latency")' "$T/out"
cmp_json "compare: two runs of rw --runs 3" 0 "$T/rr1.json" "$T/rr2.json"
jqok "compare: rw --runs 3: every metric by Welch over the runs, bandwidth too, no note" \
	'.comparisons[0] | .note == null and (.rows | length) == 1 and .rows[0].access == "read" and
	 ([.rows[0].metrics[] | select(.method == "welch" and .scope == "runs") | .metric] | sort) ==
	 ["bw_bytes", "lat_mean", "lat_p50", "lat_p99"] and
	 all(.rows[0].metrics[]; .within_run_only == null and (.significant | type) == "boolean")' \
	"$T/out" '.comparisons[0].rows[0].metrics'
jq -n --slurpfile a "$T/out" --slurpfile r "$T/rr1.json" \
	'($a[0].comparisons[0].rows[0].metrics[] | select(.metric == "bw_bytes") | .base) as $b |
	 ($r[0].jobs[0].read.runs.bw_bytes.values | add / length) as $m |
	 $m > 0 and ($b - $m | fabs) < $m / 1e6' | grep -qx true &&
	pass "compare: rw --runs 3: the bandwidth's base is the mean of its runs' values" ||
	fail "compare: rw bw base" "$(jq -c '.comparisons[0].rows[0].metrics' "$T/out")"
cmp_json "compare: rw --runs 3 against one run" 0 "$T/rr1.json" "$T/rw1.json"
jqok "compare: rw --runs 3 against one run: within the run, no verdict, as fault's" \
	'.comparisons[0] | (.note | test("one run")) and
	 all(.rows[0].metrics[]; .scope == "within_run" and .significant != true) and
	 any(.rows[0].metrics[]; .metric == "bw_bytes" and .method == "from_latency")' "$T/out" '.comparisons[0]'
cmp_json "compare: two runs of latency" 0 "$T/lat1.json" "$T/lat2.json"
jqok "compare: latency: every point matched, the mean by Welch over the repeats" \
	'.comparisons[0] | (.rows | length) > 0 and (.unmatched | length) == 0 and
	 all(.rows[].metrics[] | select(.metric == "lat_mean"); .method == "welch")' \
	"$T/out"
jq -n --slurpfile a "$T/out" --slurpfile l "$T/lat1.json" \
	'$a[0].comparisons[0].rows | length == ([$l[0].passes[].idle[]] | length)' | grep -qx true &&
	pass "compare: latency: a row a point of the curve" ||
	fail "compare: latency rows" "$(jq -c '.comparisons[0].rows | length' "$T/out")"

# --- rows that are not alike are not matched ------------------------------------------
cmp_json "compare: --threads 2 against 1" 0 "$T/f1.json" "$T/t2.json"
jqok "compare: --threads 2 against 1: no row matched, both listed as unmatched" \
	'.comparisons[0] | (.rows | length) == 0 and
	 ([.unmatched[].side] | sort) == ["base", "new"]' "$T/out" '.comparisons[0]'
cmp_json "compare: 4K against 2M (--force: the alignment may differ)" 0 --force "$T/f1.json" "$T/p2m.json"
jqok "compare: 4K against 2M pages: rows of other page sizes are not matched" \
	'.comparisons[0] | (.rows | length) == 0 and (.unmatched | length) == 2' "$T/out"

# --- a clear regression: every latency doubled, three runs a side --------------------------
slow='(.results[] |= (.lat_ns |= (.min *= 2 | .max *= 2 | .mean *= 2 | .stddev *= 2 |
	.percentile |= map_values(. * 2) | .hist.buckets |= map([.[0] * 2, .[1]]) |
	.batches |= (.mean |= map(. * 2) | .p50 |= map(. * 2) | .p99 |= map(. * 2)))
	| .unit_ns *= 2 | .bw_bytes = (.bw_bytes / 2 | floor)
	| .runs |= (.runtime_ns.values |= map(. * 2) | .unit_ns.values |= map(. * 2) |
		    .lat_ns |= map_values(map(. * 2)))))'
# one run a side: the base's batch means set 2% apart about their median,
# as on a quiet machine, so that a doubling moves every metric past its
# within-run interval; still no verdict
f1quiet='(.results[] |= (.lat_ns.batches |= (
	def qn: (sort | .[length / 2 | floor]) as $m | length as $n |
		[range($n)] | map($m * (0.98 + 0.04 * . / ([$n - 1, 1] | max)));
	.mean |= qn | .p50 |= qn | .p99 |= qn)))'
jq "$f1quiet" "$T/f1.json" >"$T/f1quiet.json"
jq "$slow" "$T/f1quiet.json" >"$T/slow1.json"
cmp_json "compare: one run a side, latency doubled, --fail-on regression: exit 0 (no verdict)" 0 \
	--fail-on regression "$T/f1quiet.json" "$T/slow1.json"
jqok "compare: one run a side, latency doubled: within-run only, slower, no regression claimed" \
	'.verdict == "ok" and .comparisons[0].rows[0].verdict == "within_run_only" and
	 all(.comparisons[0].rows[0].metrics[]; .within_run_only == true and .significant == null and .regression == false)' \
	"$T/out" '.comparisons[0].rows[0]'
run "$DAXTOOL" compare "$T/f1quiet.json" "$T/slow1.json"
grep -q "slower within-run only" "$T/out" && grep -qE '\|~+ +\+100\.0%' "$T/out" &&
	pass "compare: text: one run a side says within-run only, its bars '~'" ||
	fail "compare: text within-run only" "$(head -c 900 "$T/out")"
# three runs a side: a verdict. The base: the real --runs 3 result with
# each run's figures set 2% apart about their median, as on a quiet
# machine (runs on this shared one can differ by half, and no test over
# three runs could then call a doubling significant); the new side: that
# base doubled.
fquiet='(.results[] |= (.runs |= (
	def q: (sort | .[length / 2 | floor]) as $m | [0.98, 1, 1.02] | map(. * $m);
	def spread: .values |= q | .min = .values[0] | .median = .values[1] |
		.max = .values[2];
	.runtime_ns |= spread | .unit_ns |= spread | .lat_ns |= map_values(q))))'
jq "$fquiet" "$T/r1.json" >"$T/fquiet.json"
jq "$slow" "$T/fquiet.json" >"$T/slow.json"
cmp_json "compare: latency doubled, without --fail-on: exit 0" 0 "$T/fquiet.json" "$T/slow.json"
jqok "compare: latency doubled: significant regressions, +100%" \
	'.verdict == "regression" and .regressions == 1 and
	 (.comparisons[0].rows[0] | .verdict == "regression" and
	  all(.metrics[]; .significant == true and .direction == "worse" and .regression) and
	  (.metrics[] | select(.metric == "lat_mean") | .change_pct > 99 and .change_pct < 101 and .ci_low_pct > 0))' \
	"$T/out" '.comparisons[0].rows[0]'
cmp_json "compare: latency doubled, --fail-on regression: exit 1" 1 --fail-on regression "$T/fquiet.json" "$T/slow.json"
cmp_json "compare: latency doubled, --threshold 150: not past it, exit 0" 0 \
	--fail-on regression --threshold 150 "$T/fquiet.json" "$T/slow.json"
cmp_json "compare: the other way round, an improvement: exit 0" 0 --fail-on regression "$T/slow.json" "$T/fquiet.json"
jqok "compare: latency halved: an improvement" \
	'.comparisons[0] | .improvements == 1 and .rows[0].verdict == "improvement" and
	 all(.rows[0].metrics[]; .direction == "better")' "$T/out"
run "$DAXTOOL" compare --fail-on regression "$T/fquiet.json" "$T/slow.json"
[ "$rc" = 1 ] && grep -q "REGRESSION" "$T/out" && grep -qE '\|#+ +\+100\.0%  REGRESSION' "$T/out" &&
	pass "compare: text: REGRESSION, and the chart's bar to the right" ||
	fail "compare: text regression" "exit $rc: $(head -c 600 "$T/out")"
# several NEW: each compared with the base
cmp_json "compare: BASE NEW NEW" 0 "$T/fquiet.json" "$T/fquiet.json" "$T/slow.json"
jqok "compare: BASE NEW NEW: one comparison each, the regression counted once" \
	'(.comparisons | length) == 2 and .comparisons[0].regressions == 0 and
	 .comparisons[1].regressions == 1 and .regressions == 1' "$T/out"

# --- rw: bandwidth halved in every run, three runs a side --------------------------------
# The base: a real --runs 3 result whose runs' bandwidths are set 2%
# apart about its median, as on a quiet machine (runs of a millisecond
# on this shared one can differ by half, and no test over three runs
# could then call a halving significant); the new side: each run's
# bandwidth halved, the latencies as they were.
rwquiet='(.jobs[0].read |= (.runs.bw_bytes |= (.values = ([0.98, 1, 1.02] |
	map(. * $bw | floor)) | .min = .values[0] | .median = .values[1] | .max = .values[2])
	| .bw_bytes = .runs.bw_bytes.median))'
rwslow='(.jobs[0].read |= (.bw_bytes = (.bw_bytes / 2 | floor) |
	.runs.bw_bytes |= (.values |= map(. / 2 | floor) | .min = (.values | min) |
	.median = (.median / 2 | floor) | .max = (.values | max))))'
jq --argjson bw "$(jq '.jobs[0].read.bw_bytes' "$T/rr1.json")" "$rwquiet" "$T/rr1.json" >"$T/rwquiet.json"
jq "$rwslow" "$T/rwquiet.json" >"$T/rwslow.json"
cmp_json "compare: rw bandwidth halved, without --fail-on: exit 0" 0 "$T/rwquiet.json" "$T/rwslow.json"
jqok "compare: rw bandwidth halved: a significant regression of bw_bytes, -50%, the latencies unchanged" \
	'.verdict == "regression" and .regressions == 1 and
	 (.comparisons[0].rows[0] | .verdict == "regression" and
	  (.metrics[] | select(.metric == "bw_bytes") | .method == "welch" and .significant == true and
	   .direction == "worse" and .regression and .change_pct > -51 and .change_pct < -49 and
	   .ci_high_pct < 0) and
	  all(.metrics[] | select(.metric != "bw_bytes"); .significant == false and .regression == false))' \
	"$T/out" '.comparisons[0].rows[0]'
cmp_json "compare: rw bandwidth halved, --fail-on regression: exit 1" 1 --fail-on regression \
	"$T/rwquiet.json" "$T/rwslow.json"
cmp_json "compare: rw bandwidth halved, --threshold 60: not past it, exit 0" 0 \
	--fail-on regression --threshold 60 "$T/rwquiet.json" "$T/rwslow.json"
cmp_json "compare: rw the other way round, an improvement: exit 0" 0 --fail-on regression \
	"$T/rwslow.json" "$T/rwquiet.json"
jqok "compare: rw bandwidth doubled: an improvement" \
	'.comparisons[0] | .improvements == 1 and .rows[0].verdict == "improvement" and
	 (.rows[0].metrics[] | select(.metric == "bw_bytes") | .direction == "better")' "$T/out"
run "$DAXTOOL" compare --fail-on regression "$T/rwquiet.json" "$T/rwslow.json"
[ "$rc" = 1 ] && grep -Eq '^    bw_bytes .* -50\.0% +\[-[0-9.]+%, -[0-9.]+%\] +REGRESSION$' "$T/out" &&
	pass "compare: text: rw's bandwidth a REGRESSION, its interval below zero" ||
	fail "compare: text rw regression" "exit $rc: $(head -c 900 "$T/out")"
# one run a side, the same halving: no verdict, never exit 1
jq '.jobs[0].read.bw_bytes |= (. / 2 | floor)' "$T/rw1.json" >"$T/rwslow1.json"
cmp_json "compare: rw one run a side, bandwidth halved, --fail-on regression: exit 0 (no verdict)" 0 \
	--fail-on regression "$T/rw1.json" "$T/rwslow1.json"
jqok "compare: rw one run a side, bandwidth halved: no verdict, within the run" \
	'.verdict == "ok" and (.comparisons[0].rows[0].metrics[] | select(.metric == "bw_bytes") |
	 .method == "from_latency" and .scope == "within_run" and .significant != true and
	 .regression == false)' \
	"$T/out" '.comparisons[0].rows[0]'

# --- what was measured: a page-size mix changed, even when faster ------------------------
# the 2M pass fell back to 4 KiB pages, and its latency halved
fast_fell='(.results[] |= if .page_size == 2097152 then (.pmd_ratio = 0 | .pmd_windows = 0 |
	.lat_ns |= (.mean /= 2 | .percentile |= map_values(. / 2 | floor) |
	.hist.buckets |= map(if .[0] >= 128 then [.[0] / 2, .[1]] else . end))
	| .bw_bytes *= 2) else . end)'
jq "$fast_fell" "$T/pmd.json" >"$T/fell.json"
cmp_json "compare: 2M pass fell back and got faster, --fail-on regression: exit 1" 1 \
	--fail-on regression "$T/pmd.json" "$T/fell.json"
jqok "compare: fell back: the page-size mix changed, no speed-up claimed, fewer huge pages a regression" \
	'[.comparisons[0].rows[] | select(.page_size == 2097152)][0] |
	 .pmd_ratio.changed and .pmd_ratio.base == 1 and .pmd_ratio.new == 0 and
	 .verdict == "regression" and all(.metrics[]; .regression == false)' \
	"$T/out" '.comparisons[0].rows'
jqok "compare: fell back: the 4K pass is unchanged" \
	'[.comparisons[0].rows[] | select(.page_size == 4096)][0] | .pmd_ratio.changed == false and .verdict == "no_change"' \
	"$T/out"
run "$DAXTOOL" compare "$T/pmd.json" "$T/fell.json"
grep -q "PAGE-SIZE MIX CHANGED" "$T/out" && grep -q "fewer huge pages" "$T/out" &&
	pass "compare: text says the page-size mix changed, loudly" ||
	fail "compare: text page-size mix" "$(head -c 600 "$T/out")"
# the other way: the base fell back, the new one did not: changed, not better
cmp_json "compare: more huge pages than the base: exit 0 with --fail-on" 0 --fail-on regression \
	"$T/fell.json" "$T/pmd.json"
jqok "compare: more huge pages: measured_changed, no improvement claimed" \
	'[.comparisons[0].rows[] | select(.page_size == 2097152)][0].verdict == "measured_changed" and
	 .comparisons[0].improvements == 0' "$T/out"

# --- what was measured: the environment -----------------------------------------------------
jq '.env.kernel = "4.19.0-old" | .env.thp.enabled = "never" | .target.emulated = false' \
	"$T/f1.json" >"$T/env.json"
cmp_json "compare: another kernel and THP setting" 0 "$T/f1.json" "$T/env.json"
jqok "compare: the kernel, THP and emulation changes are listed" \
	'[.comparisons[0].measured[].key] | sort == ["env.kernel", "env.thp.enabled", "target.emulated"]' \
	"$T/out" '.comparisons[0].measured'
run "$DAXTOOL" compare "$T/f1.json" "$T/env.json"
grep -q '!! kernel changed: "6\|!! kernel changed:' "$T/out" && grep -q "WHAT WAS MEASURED CHANGED" "$T/out" &&
	pass "compare: text: the kernel change, loudly" || fail "compare: text kernel" "$(head -c 400 "$T/out")"

# --- other targets: refused without --force ---------------------------------------------------
jq '.target.fingerprint.hash = "0123456789abcdef" | .target.kind = "devdax"' "$T/f1.json" >"$T/other.json"
cmp_json "compare: another target's fingerprint: refused, exit 2" 2 "$T/f1.json" "$T/other.json"
[ ! -s "$T/out" ] && grep -q "fingerprint 0123456789abcdef" "$T/err" && grep -q -- "--force" "$T/err" &&
	pass "compare: refused: the fingerprints and --force named, nothing on stdout" ||
	fail "compare: refused" "$(cat "$T/err")"
cmp_json "compare: another target's fingerprint with --force" 0 --force "$T/f1.json" "$T/other.json"
jqok "compare: --force: the fingerprint and kind listed as measured changes" \
	'[.comparisons[0].measured[].key] | index("target.fingerprint.hash") != null and index("target.kind") != null' \
	"$T/out" '.comparisons[0].measured'

# --- bad input: exit 2, the file and what is wrong, nothing on stdout -------------------------
head -c 700 "$T/f1.json" >"$T/cut.json"
printf 'not json\n' >"$T/text.json"
: >"$T/empty.json"
jq '.schema = 1' "$T/f1.json" >"$T/schema1.json"
jq '.workload = "memcpy"' "$T/f1.json" >"$T/wl.json"
jq 'del(.workload)' "$T/f1.json" >"$T/nowl.json"
jq '.results[0].lat_ns.hist.buckets[0][0] = 65' "$T/f1.json" >"$T/badhist.json"
jq '.results[0].lat_ns.hist.buckets |= reverse' "$T/f1.json" >"$T/order.json"
{ cat "$T/f1.json"; echo '{}'; } >"$T/two.json"
for c in "cut.json:ends early" "text.json:invalid JSON at byte" "empty.json:empty" \
	 "schema1.json:schema 1" "wl.json:workload \"memcpy\"" "nowl.json:no \"workload\"" \
	 "badhist.json:hist.buckets\[0\]" "order.json:in order" "two.json:text after the document" \
	 "missing.json:No such file"; do
	f=${c%%:*} msg=${c#*:}
	for side in new base; do
		if [ $side = new ]; then set -- "$T/f1.json" "$T/$f"; else set -- "$T/$f" "$T/f1.json"; fi
		expect "compare: bad input $f as $side: exit 2, '$msg'" 2 "$f: .*$msg" \
			"$DAXTOOL" compare --json "$@"
		[ -s "$T/out" ] && fail "compare: bad input $f" "something on stdout: $(head -c 200 "$T/out")"
	done
done
expect "compare: one file is a usage error" 2 "give a base" "$DAXTOOL" compare "$T/f1.json"
expect "compare: --threshold abc" 2 "threshold" "$DAXTOOL" compare --threshold abc "$T/f1.json" "$T/f1.json"
expect "compare: --fail-on nothing" 2 "" "$DAXTOOL" compare --fail-on nothing "$T/f1.json" "$T/f1.json"
expect "compare: --level 120" 2 "level" "$DAXTOOL" compare --level 120 "$T/f1.json" "$T/f1.json"
expect "compare: reads stdin as -" 0 "" sh -c "'$DAXTOOL' compare --json - '$T/f1.json' <'$T/f1.json'"

# --- the doc's keys -------------------------------------------------------------------------------
"$DAXTOOL" compare --json --force "$T/f1.json" "$T/env.json" "$T/t2.json" >"$T/keys2.json" 2>/dev/null
sh "$ROOT/test/doc-keys.sh" --check compare "$T/keys2.json"
jqok "compare: every comparison has the documented keys" \
	'all(.comparisons[]; keys == (["daxtool","fingerprint","hostname","improvements","measured","note","path","regressions","rows","unmatched","workload"]))' \
	"$T/keys2.json"
jqok "compare: measured and unmatched entries have the documented keys" \
	'(.comparisons[0].measured[0] | keys == ["base","key","new","what"]) and
	 (.comparisons[1].unmatched[0] | keys == ["row","side"])' "$T/keys2.json"
sh "$ROOT/test/doc-keys.sh" --check bench "$T/f1.json" | grep 'lat_ns.hist\|fingerprint'
