# vm-options: --cxl=2
# check and the fault benchmarks on CXL memory, a region interleaved over
# two devices.  check's verdicts equal what a probe measures window by
# window (CXL changes none of them), and the devices it says each window
# spans are what the interleave arithmetic, done here again from map's
# physical addresses and cxl list's region, says; map's backing, check's
# cxl object and every bench target name the CXL path cxl list shows.
# CXL memory is emulated access by access (some 4 MB/s): a few MiB only.
. /host/guest-lib.sh
err=/tmp/err
why() { tail -n 1 $err; }
M=1048576
[ -x /host/dtprobe ] || { skip "cxl check" "no /host/dtprobe (pass build/test/tools/dtprobe to run)"; finish; }
vm_trace_init

# the region as cxl list says it: {region, type, ways, granularity,
# memdevs in position order}; and its start, for the arithmetic
cxl_region() {
	cxl list -R -T | jq 'if type == "array" then .[0] else . end |
		{region, ways: .interleave_ways, granularity: .interleave_granularity,
		 memdevs: (.mappings | sort_by(.position) | map(.memdev))}'
}
region_start() {
	daxtool list --json | jq --arg r "$(jq -r .region /tmp/cxlr.json)" \
		'.cxl_regions[] | select(.dev == $r) | .resource'
}

# same_path NAME JSON-FILE JQ-PATH: the object at JQ-PATH names the
# region, its memdevs, ways and granularity as cxl list does
same_path() {
	jq "$3 | {region, ways, granularity, memdevs}" "$2" >/tmp/ours 2>/dev/null
	if jq -e --slurpfile c /tmp/cxlr.json '. == $c[0]' /tmp/ours >/dev/null 2>&1; then
		pass "$1: $(jq -c . /tmp/ours)"
	else
		fail "$1" "daxtool: $(jq -c . /tmp/ours 2>&1); cxl list: $(jq -c . /tmp/cxlr.json)"
	fi
}

# spans_agree NAME FILE: each window check lists (--verbose: all) spans
# the devices the modulo arithmetic gives for the data map finds in it:
# granule (phys - start) / granularity, position granule mod ways, for
# the first and last byte of each piece of data inside the window; and
# summary.cxl_multi_device counts the windows on more than one device
spans_agree() {
	daxtool map --json "$2" >/tmp/sa-map.json 2>$err || { fail "$1" "map: $(why)"; return; }
	daxtool check --json --verbose "$2" >/tmp/sa-check.json 2>/dev/null
	jq -n --slurpfile m /tmp/sa-map.json --slurpfile c /tmp/sa-check.json \
		--slurpfile r /tmp/cxlr.json --argjson start "$(region_start)" '
		$r[0] as $r | $m[0][0].extents as $ext | ($m[0][0].size) as $size |
		def devs($w): [ $ext[] | select(.type != "hole" and .phys != null) |
			(if .offset > $w then .offset else $w end) as $a |
			([.offset + .length, $w + 2097152, ((($size + 4095) / 4096 | floor) * 4096)] | min) as $b |
			select($b > $a) |
			((.phys + ($a - .offset) - $start) / $r.granularity | floor) as $g0 |
			((.phys + ($b - 1 - .offset) - $start) / $r.granularity | floor) as $g1 |
			range($g0; [$g1 + 1, $g0 + $r.ways] | min) | . % $r.ways ] |
			unique | map($r.memdevs[.]);
		[ $c[0][0].windows[] | {offset, want: devs(.offset), got: .cxl_devices} ] as $rows |
		{ bad: [ $rows[] | select(.want != .got) ],
		  rows: ($rows | length),
		  multi: ([ $c[0][0].windows[] | select((.cxl_devices | length) > 1) | .count ] | add // 0),
		  summary: $c[0][0].summary.cxl_multi_device }' >/tmp/sa.json
	if jq -e '.bad == [] and .rows > 0 and .multi == .summary' /tmp/sa.json >/dev/null; then
		pass "$1: the devices of all $(jq .rows /tmp/sa.json) window rows are the arithmetic's; $(jq .summary /tmp/sa.json) windows span both"
	else
		fail "$1" "$(jq -c '{bad: .bad[:3], multi, summary}' /tmp/sa.json)"
	fi
}

if ! region=$(setup_cxl_region 2>$err); then
	fail "cxl: region" "$(why)"; finish
fi
cxl_region >/tmp/cxlr.json
ways=$(jq .ways /tmp/cxlr.json)
gran=$(jq .granularity /tmp/cxlr.json)
[ "$ways" = 2 ] && pass "cxl: a $ways-way region of $gran-byte granules" ||
	fail "cxl: region" "$(jq -c . /tmp/cxlr.json)"

# --- device-DAX aligned 2M ----------------------------------------------------
if dev=$(setup_cxl_devdax 2M 2>$err); then
	daxtool map --json --range 0:4096 "$dev" >/tmp/map.json 2>$err || fail "cxl devdax: map" "$(why)"
	same_path "cxl devdax: map's backing names the CXL path" /tmp/map.json '.[0].backing.cxl'
	daxtool check --json --verbose "$dev" >/tmp/check.json 2>$err; rc=$?
	same_path "cxl devdax: check's cxl object names the CXL path" /tmp/check.json '.[0].cxl'
	# 2 MiB and 1 GiB hold thousands of 256-byte granules: every device
	jqok "cxl devdax: check: a 2 MiB window, a 1 GiB window and a 2M page span both devices; all pmd, exit 0" \
		'.[0] | .cxl.pmd_devices == 2 and .cxl.pud_devices == 2 and .cxl.align == 2097152 and
		 .cxl.align_devices == 2 and .cxl.why == null and .summary.pte == 0 and
		 .summary.pmd == .summary.windows' /tmp/check.json '.[0] | {cxl, summary}'
	[ $rc = 0 ] && pass "cxl devdax: check exits 0" || fail "cxl devdax: check exit" "$rc"
	size=$(jq '.[0].size' /tmp/check.json)
	spans_agree "cxl devdax: check's devices per window" "$dev"
	daxtool check "$dev" | grep -q "CXL $(jq -r .region /tmp/cxlr.json) (pmem), 2-way interleave" &&
		pass "cxl devdax: check's text names the region" ||
		fail "cxl devdax: check text" "$(daxtool check "$dev" | head -n 6 | tr '\n' '|')"
	# the benchmarks: 8 MiB, 4 windows of 2 MiB
	for w in fault pmd-fault; do
		p=; [ $w = fault ] && p="-p 2m"
		vm_run daxtool bench $w $p --json --size 8M "$dev" >/tmp/b.json 2>$err &&
			pass "cxl devdax: bench $w runs" || { fail "cxl devdax: bench $w" "$(why)"; continue; }
		same_path "cxl devdax: bench $w's target names the CXL path" /tmp/b.json .target.cxl
		jqok "cxl devdax: bench $w: the 2M pass is PMD-mapped, every window (touch and smaps)" \
			'.target.kind == "devdax" and ([.results[] | select(.page_size == 2097152)] |
			 length == 1 and (.[0] | .pmd_ratio == 1 and .windows == 4 and .pmd_method == "touch" and
			 .smaps.ratio == 1 and .fallback_windows == []))' /tmp/b.json '[.results[] | del(.lat_ns, .per_thread)]'
	done
	probe_windows "$dev" $((8 * M)) >/tmp/want 2>$err || fail "cxl devdax: dtprobe" "$(why)"
	[ ! -s /tmp/want ] && pass "cxl devdax: dtprobe finds every window PMD-mapped, as bench and check say" ||
		fail "cxl devdax: dtprobe" "windows not PMD-mapped: $(tr '\n' ' ' </tmp/want)"
else
	fail "cxl devdax: setup" "$(why)"
fi

# --- xfs -o dax: an aligned and a fragmented file ----------------------------
if bdev=$(setup_cxl_fsdax_xfs /mnt/cxl 2>$err); then
	f=/mnt/cxl/aligned
	xfs_io -f -c 'falloc 0 8m' -c fsync $f 2>$err || fail "cxl xfs: falloc" "$(why)"
	vm_check_agrees "cxl xfs aligned (su=2m)" $f write
	same_path "cxl xfs: check's cxl object names the CXL path" /tmp/check.json '.[0].cxl'
	spans_agree "cxl xfs aligned: check's devices per window" $f
	vm_interleave /mnt/cxl/frag-a /mnt/cxl/frag-b $((4 * M))
	vm_check_agrees "cxl xfs fragmented by interleaved writes" /mnt/cxl/frag-a write
	spans_agree "cxl xfs fragmented: check's devices per window" /mnt/cxl/frag-a
	# a sparse window holds no data: on no device
	truncate -s 4M /mnt/cxl/sparse
	xfs_io -c 'pwrite -q 0 4k' -c fsync /mnt/cxl/sparse 2>$err
	daxtool check --json --verbose /mnt/cxl/sparse >/tmp/check.json 2>/dev/null
	jqok "cxl xfs sparse: 4 KiB of data is on both devices, a hole on none" \
		'[.[0].windows[] | .cxl_devices | length] == [2, 0]' /tmp/check.json '.[0].windows'
	spans_agree "cxl xfs sparse: check's devices per window" /mnt/cxl/sparse
	vm_run daxtool bench fault -p 2m --json --size 4M /mnt/cxl >/tmp/b.json 2>$err &&
		same_path "cxl xfs: bench fault's target (a file it creates) names the CXL path" /tmp/b.json .target.cxl ||
		fail "cxl xfs: bench fault" "$(why)"
	sh /host/doc-keys.sh --check check /tmp/check.json /host/json.md 2>/dev/null
	daxtool map --json --range 0:4096 $f >/tmp/map.json 2>/dev/null
	sh /host/doc-keys.sh --check map /tmp/map.json /host/json.md 2>/dev/null | grep -F 'backing'
	sh /host/doc-keys.sh --check bench /tmp/b.json /host/json.md 2>/dev/null | grep -F '.target'
else
	fail "cxl xfs: setup" "$(why)"
fi
finish
