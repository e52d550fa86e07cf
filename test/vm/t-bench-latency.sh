# daxtool bench latency on real DAX: device-DAX aligned 2M and 4K, and a
# file on xfs -o dax. Each pass runs on the page size it names, held to
# the kernel: the device's alignment, smaps' KernelPageSize, and dtprobe's
# second touch in a mapping of its own. Under emulation the figures say
# nothing about memory or TLBs: they are printed, not judged.
. /host/guest-lib.sh
probe=/host/dtprobe
err=/tmp/err
why() { tail -n 1 $err; }
M=1048576
# a short curve: 1M to 64M, few loads
LAT="--size 64M --min-ws 1M --repeats 3 --max-loads 262144"

# median NAME FILE PASS: the largest working set's median, ns per load
median() { jq -r ".passes[$2].idle[-1].lat_ns.percentile.\"50.000000\"" "$1"; }

# --- device-DAX 2M: the 2M pass only ----------------------------------------------
if dev=$(setup_devdax 2M 2>$err); then
	vm_run daxtool bench latency --json $LAT "$dev" >/tmp/n.json 2>$err &&
		fail "devdax 2M without --force" "it ran" ||
		{ grep -q "building the chase's cycle would overwrite its data; add --force" $err &&
		  pass "devdax 2M: no chase without --force" || fail "devdax no force" "$(why)"; }
	if vm_run daxtool bench latency --json --force $LAT "$dev" >/tmp/d2.json 2>$err; then
		jqok "devdax 2M: one pass, 2M; 4K and 1G not run, because of the alignment" \
			'.target.kind == "devdax" and [.passes[].page_size] == [2097152] and
			 [.skipped[].page_size] == [4096, 1073741824] and
			 all(.skipped[]; .why | test("aligned 2M"))' \
			/tmp/d2.json '[.target.kind, [.passes[].page_size], .skipped]'
		jqok "devdax 2M: 32 of 32 windows PMD-mapped, smaps KernelPageSize agrees" \
			'.passes[0].pages | .windows == 32 and .pmd_windows == 32 and .pmd_fallback == false and
			 .smaps.field == "KernelPageSize" and .smaps.ratio == 1' /tmp/d2.json '.passes[0].pages'
		jqok "devdax 2M: the curve, 1M to 64M, every point timed" \
			'[.passes[0].idle[].ws_bytes] == [1048576, 2097152, 4194304, 8388608, 16777216, 33554432, 67108864] and
			 all(.passes[0].idle[]; .lat_ns.N == 3 and .lat_ns.percentile."50.000000" > 0)' \
			/tmp/d2.json '.passes[0].idle'
		if w=$(probe_windows "$dev" $((64 * M)) 2>$err); then
			[ -z "$w" ] && pass "devdax 2M: dtprobe finds every window PMD-mapped too" ||
				fail "devdax 2M: dtprobe" "windows that fault: $w"
		else
			fail "devdax 2M: dtprobe" "$(why)"
		fi
	else
		fail "devdax 2M: latency" "$(why)"
	fi
else
	fail "devdax 2M: setup" "$(why)"
fi

# --- device-DAX 4K: the 4K pass only ----------------------------------------------
if dev=$(setup_devdax 4K 2>$err); then
	if vm_run daxtool bench latency --json --force $LAT "$dev" >/tmp/d4.json 2>$err; then
		jqok "devdax 4K: one pass, 4K; 2M and 1G not run, because of the alignment" \
			'.target.kind == "devdax" and .target.align == 4096 and
			 [.passes[].page_size] == [4096] and [.skipped[].page_size] == [2097152, 1073741824] and
			 all(.skipped[]; .why | test("aligned 4K: device-DAX maps no page larger"))' \
			/tmp/d4.json '[.target.align, [.passes[].page_size], .skipped]'
		jqok "devdax 4K: the 4K pass has no PMD window, as asked" \
			'.passes[0].pages | .windows == 32 and .pmd_windows == 0 and .pmd_in_4k == false and
			 .smaps.field == "KernelPageSize"' /tmp/d4.json '.passes[0].pages'
		vm_run daxtool bench latency --json --force $LAT --page-size 2m "$dev" >/dev/null 2>$err
		[ $? = 2 ] && grep -q "aligned 4K" $err &&
			pass "devdax 4K: --page-size 2m is a usage error that says why" ||
			fail "devdax 4K: --page-size 2m" "$(why)"
		if w=$(probe_windows "$dev" $((64 * M)) 2>$err); then
			[ "$(echo "$w" | wc -l)" = 32 ] &&
				pass "devdax 4K: dtprobe finds no window PMD-mapped either" ||
				fail "devdax 4K: dtprobe" "$(echo "$w" | wc -l) of 32 windows fault"
		else
			fail "devdax 4K: dtprobe" "$(why)"
		fi
	else
		fail "devdax 4K: latency" "$(why)"
	fi
else
	fail "devdax 4K: setup" "$(why)"
fi

# --- TLB reach: the figures, not judged here --------------------------------------
# QEMU under TCG translates guest addresses in software, 4 KiB page by 4 KiB
# page whatever the guest's page size, so the guest's page size does not
# change what a load costs as a hardware TLB's reach does.
tcg_tlb="under TCG, QEMU's software MMU translates every 4 KiB guest page alike, whatever the guest's page size"
if [ -s /tmp/d2.json ] && [ -s /tmp/d4.json ]; then
	echo "# devdax 64M random chase: 4K pages $(median /tmp/d4.json 0) ns, 2M pages $(median /tmp/d2.json 0) ns per load"
	skip "devdax: 4K against 2M at 64M" "$tcg_tlb"
fi

# --- files on xfs -o dax: both passes, each verified ----------------------------------
if setup_fsdax_xfs /mnt/xfs >/dev/null 2>$err; then
	# a file daxtool creates (and removes): allocated in 2 MiB-aligned extents
	if vm_run daxtool bench latency --json $LAT /mnt/xfs >/tmp/x.json 2>$err; then
		jqok "xfs-dax, a new file: fsdax, two passes" \
			'.target.kind == "fsdax" and .target.created == true and
			 [.passes[].page_size] == [4096, 2097152] and .env.regime == null' \
			/tmp/x.json '[.target.kind, [.passes[].page_size]]'
		jqok "xfs-dax, a new file: the 4K pass no PMD window, the 2M pass all 32, by second touch" \
			'(.passes[0].pages | .pmd_windows == 0 and .pmd_in_4k == false) and
			 (.passes[1].pages | .pmd_windows == 32 and .windows == 32 and .pmd_method == "touch" and
			  .pmd_fallback == false)' /tmp/x.json '[.passes[].pages | del(.fallback_windows)]'
		echo "# xfs-dax 64M random chase: 4K pages $(median /tmp/x.json 0) ns, 2M pages $(median /tmp/x.json 1) ns per load"
		skip "xfs-dax: 4K against 2M at 64M" "$tcg_tlb"
	else
		fail "xfs-dax: latency" "$(why)"
	fi
	# a file fallocated by xfs_io, written with --force: its 2M pass gets
	# PMDs where dtprobe's own mapping does, and nowhere else
	f=/mnt/xfs/lat
	xfs_io -f -c "falloc 0 64m" "$f" 2>$err
	if vm_run daxtool bench latency --json --force --page-size 2m $LAT "$f" >/tmp/xf.json 2>$err &&
	   w=$(probe_windows "$f" $((64 * M)) 2>$err); then
		echo "$w" | sed '/^$/d' >/tmp/want
		jq -r '.passes[0].pages.fallback_windows[]' /tmp/xf.json >/tmp/got
		jqok "xfs-dax, xfs_io's file: a fallback is said with its reasons, or there is none" \
			'.passes[0].pages | (.pmd_fallback == false and .pmd_windows == 32) or
			 (.pmd_fallback == true and (.fallback_reasons | length) > 0)' /tmp/xf.json '.passes[0].pages'
		cmp -s /tmp/want /tmp/got &&
			pass "xfs-dax, xfs_io's file: the windows without a PMD are dtprobe's ($(wc -l </tmp/want) of 32)" ||
			fail "xfs-dax, xfs_io's file: windows" "dtprobe: $(tr '\n' ' ' </tmp/want); daxtool: $(tr '\n' ' ' </tmp/got)"
	else
		fail "xfs-dax, xfs_io's file" "$(why)"
	fi
	if vm_run daxtool bench latency --json $LAT --loaded --threads 2 --delays 0,20000 \
		--loaded-ws 16M --page-size 2m /mnt/xfs >/tmp/xl.json 2>$err; then
		jqok "xfs-dax: loaded, a new file: two points, the traffic slower with the delay, pages verified" \
			'.target.created == true and (.passes[0].loaded | length) == 2 and
			 .passes[0].loaded[0].bw_bytes > .passes[0].loaded[1].bw_bytes and
			 .passes[0].pages.pmd_windows == 32' /tmp/xl.json '[.passes[0].loaded, .passes[0].pages]'
	else
		fail "xfs-dax: loaded" "$(why)"
	fi
else
	fail "xfs-dax: setup" "$(why)"
fi
finish
