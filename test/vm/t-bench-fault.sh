# daxtool bench fault and pmd-fault on real DAX: device-DAX aligned 2M and
# 4K, files on xfs mounted -o dax (2 MiB-aligned, and fragmented), against
# the kernel's own account: minor faults window by window (dtprobe) and
# the fs_dax tracepoints.
. /host/guest-lib.sh
probe=/host/dtprobe
err=/tmp/err
why() { tail -n 1 $err; }
M=1048576

# --- device-DAX aligned 2M: PMDs only, and nothing written ----------------
dev=$(setup_devdax 2M 2>$err) || fail "devdax 2M: setup" "$(why)"
if [ -n "$dev" ]; then
	vm_run daxtool bench pmd-fault --json --size 64M "$dev" >/tmp/d2.json 2>$err &&
		pass "devdax 2M: pmd-fault runs" || fail "devdax 2M: pmd-fault" "$(why)"
	jqok "devdax 2M: target devdax, read-only, align 2M, not emulated" \
		'.target | .kind == "devdax" and .path == "'"$dev"'" and .access == "read" and
		 .align == 2097152 and .emulated == false and .device == "dax0.0"' /tmp/d2.json .target
	jqok "devdax 2M: the 2M pass gets pmd_ratio 1, one fault per window" \
		'.results | length == 1 and (.[0] | .page_size == 2097152 and .pmd_ratio == 1 and
		 .faults == 32 and .pmd_method == "touch" and .smaps.field == "KernelPageSize" and
		 .smaps.ratio == 1)' /tmp/d2.json '.results[] | del(.lat_ns)'
	jqok "devdax 2M: no 4K pass, and the note says why" \
		'.comparison.note | test("no 4K pass: dax0.0 is aligned 2M")' /tmp/d2.json .comparison
	jqok "devdax 2M: persistence and libpmem's is_pmem recorded" \
		'.env.is_pmem == true and (.env.persistence_domain | type) == "string" and
		 .env.regime == null' /tmp/d2.json .env
	vm_run daxtool bench fault -p 4k "$dev" >/dev/null 2>$err
	[ $? = 2 ] && grep -q "aligned 2M: device-DAX maps only in pages of its alignment" $err &&
		pass "devdax 2M: --page-size 4k is refused" || fail "devdax 2M: 4k" "$(why)"
	for o in cold prewarm; do
		vm_run daxtool bench fault -p 2m --size 16M --$o "$dev" >/dev/null 2>$err
		[ $? = 2 ] && grep -q "^daxtool: bench fault: --$o is for emulated targets: $dev is DAX memory$" $err &&
			pass "devdax: --$o is a usage error" || fail "devdax: --$o" "$(why)"
	done
	vm_run daxtool bench fault -p 2m --size 16M --json >/tmp/dflt.json 2>$err &&
		jqok "no TARGET: the device-DAX device, read-only" \
			'.target.path == "'"$dev"'" and .target.access == "read"' /tmp/dflt.json .target ||
		fail "no TARGET" "$(why)"
	vm_run daxtool bench fault -p 2m --access write "$dev" >/dev/null 2>$err
	[ $? = 1 ] && grep -q "add --force" $err &&
		pass "devdax: no writes without --force" || fail "devdax: --force" "$(why)"
	vm_run daxtool bench fault -p 2m --size 16M --access write --force --json "$dev" \
		>/tmp/dw.json 2>$err &&
		jqok "devdax: --force writes, PMD-mapped" \
			'.results[0].access == "write" and .results[0].pmd_ratio == 1' /tmp/dw.json \
			'.results[0] | del(.lat_ns)' || fail "devdax --force" "$(why)"
fi

# --- device-DAX aligned 4K: no PMD at all, loudly -------------------------
dev=$(setup_devdax 4K 2>$err) || fail "devdax 4K: setup" "$(why)"
if [ -n "$dev" ]; then
	vm_run daxtool bench pmd-fault --json --size 16M "$dev" >/tmp/d4.json 2>$err &&
		pass "devdax 4K: pmd-fault runs" || fail "devdax 4K: pmd-fault" "$(why)"
	jqok "devdax 4K: both passes pmd_ratio 0" \
		'[.results[] | [.page_size, .pmd_ratio]] == [[4096, 0], [2097152, 0]] and
		 .results[1].smaps.ratio == 0' /tmp/d4.json '[.results[] | del(.lat_ns)]'
	jqok "devdax 4K: pmd_ok false, the reason names the alignment" \
		'.comparison.pmd_ok == false and .results[1].pmd_fallback == true and
		 (.results[1].fallback_reasons | any(test("dax0.0 is aligned 4K")))' \
		/tmp/d4.json '[.comparison, .results[1].fallback_reasons]'
	probe_windows "$dev" $((16 * M)) >/tmp/want
	jq -r '.results[1].fallback_windows[]' /tmp/d4.json >/tmp/got
	if [ "$(wc -l </tmp/want)" = 8 ] && cmp -s /tmp/want /tmp/got; then
		pass "devdax 4K: the windows that fell back are the ones dtprobe finds (8)"
	else
		fail "devdax 4K: windows" "dtprobe: $(tr '\n' ' ' </tmp/want); daxtool: $(tr '\n' ' ' </tmp/got)"
	fi
	vm_run daxtool bench fault -p 2m --size 16M "$dev" >/tmp/d4.txt 2>$err
	grep -q '!!! 2M touch: NO 2 MiB MAPPINGS: 8 of 8 windows fell back' /tmp/d4.txt &&
		pass "devdax 4K: said loudly" || fail "devdax 4K: text" "$(head -c 300 /tmp/d4.txt)"
fi

# --- xfs -o dax: a file daxtool creates, 2 MiB aligned (stripe unit 2M) -----
x=$(setup_fsdax_xfs /mnt/xfs 2>$err) || fail "xfs: setup" "$(why)"
if [ -n "$x" ]; then
	vm_run daxtool bench pmd-fault --json --size 16M /mnt/xfs >/tmp/x.json 2>$err &&
		pass "xfs: pmd-fault in a directory" || fail "xfs: pmd-fault" "$(why)"
	jqok "xfs: fsdax, created, written, removed, statx says DAX" \
		'.target | .kind == "fsdax" and .created == true and .access == "write" and
		 .statx_dax == true and .fs == "xfs" and .emulated == false' /tmp/x.json .target
	jqok "xfs: the 2M pass gets pmd_ratio 1, the 4K pass 0" \
		'[.results[] | [.page_size, .pmd_ratio, .pmd_method]] ==
		 [[4096, 0, "touch"], [2097152, 1, "touch"]] and .comparison.pmd_ok == true' \
		/tmp/x.json '[.results[] | del(.lat_ns)]'
	jqok "xfs: smaps not used for fsdax, and says why" \
		'.results[1].smaps.field == null and (.results[1].smaps.note | test("FilePmdMapped"))' \
		/tmp/x.json '.results[1].smaps'
	[ -z "$(ls -A /mnt/xfs)" ] && pass "xfs: the created file is removed" ||
		fail "xfs: left behind" "$(ls -A /mnt/xfs)"

	# a fragmented file: its first half written in one go, its second half
	# in 64 KiB pieces with holes between them (xfs rounds DAX
	# allocations up to the 2 MiB stripe unit, so pieces written in turns
	# with another file would still come out whole); some windows get
	# PMDs, the others cannot. One xfs_io for it all: processes are slow
	# here.
	f=/mnt/xfs/frag
	cmds="-c 'pwrite -q -S 0x5a 0 8m'"
	i=0
	while [ $i -lt 16 ]; do
		cmds="$cmds -c 'pwrite -q -S 0x5a $((8 * M + i * 524288)) 64k'"
		i=$((i + 1))
	done
	eval "xfs_io -f $cmds -c fsync $f" >/dev/null
	truncate -s 16M $f
	sum=$(sha1sum <$f)
	vm_run daxtool bench fault -p 2m --json $f >/tmp/h.json 2>$err &&
		pass "xfs fragmented: fault -p 2m runs, read-only" || fail "xfs fragmented" "$(why)"
	jqok "xfs fragmented: pmd_ratio between 0 and 1" \
		'.results[0] | .pmd_ratio > 0 and .pmd_ratio < 1 and .access == "read"' \
		/tmp/h.json '.results[0] | del(.lat_ns)'
	probe_windows $f $((16 * M)) >/tmp/want
	jq -r '.results[0].fallback_windows[]' /tmp/h.json >/tmp/got
	if [ -s /tmp/want ] && cmp -s /tmp/want /tmp/got; then
		pass "xfs fragmented: the windows that fell back are dtprobe's ($(wc -l </tmp/want) of 8)"
	else
		fail "xfs fragmented: windows" "dtprobe: $(tr '\n' ' ' </tmp/want); daxtool: $(tr '\n' ' ' </tmp/got)"
	fi
	# the reasons are daxtool check's, for the windows that fell back
	jqok "xfs fragmented: the reasons are daxtool check's, and it agrees" \
		'([.results[0].fallback_reasons[] | select(startswith("daxtool check: "))] | length > 0) and ([.results[0].fallback_reasons[] | select(test("predicted otherwise"))] | length == 0)' \
		/tmp/h.json '.results[0].fallback_reasons'
	[ "$(sha1sum <$f)" = "$sum" ] && pass "xfs fragmented: the file is unchanged" ||
		fail "xfs fragmented" "the data changed"

	# the kernel's own count: fs_dax:dax_pmd_fault_done
	mkdir -p /sys/kernel/tracing
	if ! grep -q ' /sys/kernel/tracing tracefs' /proc/mounts &&
	   ! mount -t tracefs nodev /sys/kernel/tracing 2>$err; then
		skip "xfs --trace" "cannot mount tracefs: $(why)"
	elif [ ! -d /sys/kernel/tracing/events/fs_dax/dax_pmd_fault_done ]; then
		skip "xfs --trace" "this kernel has no fs_dax:dax_pmd_fault_done event"
	else
		vm_run daxtool bench pmd-fault --json --trace --size 8M /mnt/xfs >/tmp/t.json 2>$err &&
			pass "xfs --trace: runs" || fail "xfs --trace" "$(why)"
		jqok "xfs --trace: 2M pass: NOPAGE per PMD window, NOPAGE + FALLBACK = faults" \
			'.results[1] | .trace.lost == 0 and .trace.pmd_nopage == .pmd_windows and
			 .trace.pmd_nopage + .trace.pmd_fallback == .faults and .faults == 4' \
			/tmp/t.json '.results[1] | [.trace, .faults, .pmd_windows]'
		jqok "xfs --trace: 4K pass: no PMD fault, one PTE event per fault" \
			'.results[0] | .trace.lost == 0 and .trace.pmd_nopage == 0 and
			 .trace.pmd_fallback == 0 and .trace.pte == .faults' \
			/tmp/t.json '.results[0] | [.trace, .faults]'
		vm_run daxtool bench fault -p 2m --json --trace $f >/tmp/tf.json 2>$err &&
		jqok "xfs --trace, fragmented: FALLBACK for each window that fell back" \
			'.results[0] | .trace.pmd_fallback == (.windows - .pmd_windows) and
			 .trace.pmd_nopage == .pmd_windows' /tmp/tf.json '.results[0] | [.trace, .pmd_windows, .windows]' ||
			fail "xfs --trace fragmented" "$(why)"
		[ -z "$(ls /sys/kernel/tracing/instances)" ] &&
			pass "--trace: the tracing instance is removed" ||
			fail "--trace: instance left" "$(ls /sys/kernel/tracing/instances)"
	fi
fi
finish
