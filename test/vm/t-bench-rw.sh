# daxtool bench rw on real DAX, beside fio: device-DAX (fio's dev-dax
# engine) and a file on xfs -o dax (fio's libpmem engine), reads and
# writes; both tools succeed and move the same bytes. Bandwidth under
# emulation says nothing about memory: it is not judged.
. /host/guest-lib.sh
err=/tmp/err
why() { tail -n 1 $err; }
S=$((32 * 1048576))

# both NAME ARGS...: run with --fio-cold, fio's job as daxtool's, loops
# and all; daxtool's and fio's bytes agree
both() {
	name=$1; shift
	if ! daxtool bench rw --json --fio-cold --size 32M --loops 1 "$@" >/tmp/rw.json 2>$err; then
		fail "$name" "$(why)"
		return
	fi
	jq -e --argjson s $S '(.jobs[0].read.io_bytes + .jobs[0].write.io_bytes) == $s and
		(.fio.read.io_bytes + .fio.write.io_bytes) == $s' /tmp/rw.json >/dev/null &&
		pass "$name: daxtool and fio ($(jq -r .fio.engine /tmp/rw.json)) each moved 32 MiB" ||
		fail "$name" "$(jq -c '[.jobs[0].read.io_bytes, .jobs[0].write.io_bytes, .fio.read.io_bytes, .fio.write.io_bytes]' /tmp/rw.json)"
}

# warm NAME ARGS...: --fio, warm: fio's measured part, after a ramp longer
# than its cold pass, takes less than a page fault per 4 KiB it moves
warm() {
	name=$1; shift
	if ! daxtool bench rw --json --fio --size 32M --loops 1 "$@" >/tmp/rww.json 2>$err; then
		fail "$name" "$(why)"
		return
	fi
	jq -e '.fio | .warmup == true and .ramp_time_ms > .cold_pass_ms and
		.minf * 4096 < (.read.io_bytes + .write.io_bytes)' /tmp/rww.json >/dev/null &&
		pass "$name: fio warm, $(jq -r .fio.minf /tmp/rww.json) faults in its measured part" ||
		fail "$name" "$(jq -c '.fio | del(.read, .write)' /tmp/rww.json)"
}

if dev=$(setup_devdax 2M 2>$err); then
	both "devdax read" --rw read --bs 2m "$dev"
	both "devdax write" --rw write --bs 2m --force "$dev"
	warm "devdax read, fio warm" --rw read --bs 2m "$dev"
	jq -e '.target.kind == "devdax" and .fio.engine == "dev-dax"' /tmp/rw.json >/dev/null &&
		pass "devdax: the target and fio's engine named" || fail "devdax kind" "$(jq -c .target /tmp/rw.json)"
	daxtool bench rw --rw write --bs 2m --size 32M "$dev" >/dev/null 2>$err &&
		fail "devdax write without --force" "it ran" ||
		{ grep -q force $err && pass "devdax: no write without --force" || fail "devdax no force" "$(why)"; }
	# the page sizes the mapping had, verified after the timed part
	jq -e '.pages | .windows == 16 and .pmd_windows == 16 and .pmd_fallback == false and
		(.pmd_method == "touch" or .pmd_method == "smaps") and
		.smaps.field == "KernelPageSize" and .smaps.ratio == 1' /tmp/rw.json >/dev/null &&
		pass "devdax 2M: rw's mapping verified, 16 of 16 windows PMD-mapped" ||
		fail "devdax 2M: rw pages" "$(jq -c .pages /tmp/rw.json)"
else
	fail "devdax: setup" "$(why)"
fi

if dev=$(setup_devdax 4K 2>$err); then
	if daxtool bench rw --json --size 16M --loops 1 --fail-on-fallback "$dev" >/tmp/r4.json 2>$err; then
		jq -e '.target.align == 4096 and (.pages | .pmd_windows == 0 and .windows == 8 and
			.pmd_fallback == null and (.fallback_reasons | length) == 0)' /tmp/r4.json >/dev/null &&
			pass "devdax 4K: rw's 4 KiB pages reported, 2 MiB not asked for, no fallback" ||
			fail "devdax 4K: rw pages" "$(jq -c '[.target.align, .pages]' /tmp/r4.json)"
	else
		fail "devdax 4K: rw --fail-on-fallback" "$(why)"
	fi
else
	fail "devdax 4K: setup" "$(why)"
fi

if x=$(setup_fsdax_xfs /mnt/xfs 2>$err); then
	both "xfs-dax read" --rw read --bs 64k /mnt/xfs
	both "xfs-dax write" --rw write --bs 64k /mnt/xfs
	warm "xfs-dax read, fio warm" --rw read --bs 64k /mnt/xfs
	jq -e '.target.kind == "fsdax" and .fio.engine == "libpmem" and .env.is_pmem == true' \
		/tmp/rw.json >/dev/null && pass "xfs-dax: fsdax, fio's libpmem engine, is_pmem" ||
		fail "xfs-dax kind" "$(jq -c '[.target.kind, .fio.engine, .env.is_pmem]' /tmp/rw.json)"
	daxtool bench rw --json --rw write --bs 64k --size 32M --loops 1 --persist map_sync \
		--copy pmem-nt /mnt/xfs >/tmp/ms.json 2>$err &&
		jq -e '.verify_errors == 0 and .jobs[0].write.io_bytes == 33554432' /tmp/ms.json >/dev/null &&
		pass "xfs-dax: MAP_SYNC with libpmem's non-temporal copy, verified" ||
		fail "xfs-dax map_sync" "$(why)"
	jq -e '.pages | .pmd_windows == .windows and .windows == 16 and .pmd_method == "touch" and
		.pmd_fallback == false and .smaps.field == null' /tmp/ms.json >/dev/null &&
		pass "xfs-dax: the MAP_SYNC mapping verified by touch, every window PMD-mapped" ||
		fail "xfs-dax: rw pages" "$(jq -c .pages /tmp/ms.json)"
	[ -z "$(ls /mnt/xfs)" ] && pass "xfs-dax: the files daxtool made are gone" ||
		fail "xfs-dax cleanup" "$(ls /mnt/xfs)"

	# a file written in 64 KiB pieces, 512 KiB apart (as bench fault's
	# VM test fragments one): windows that cannot be PMD-mapped, which rw
	# says as fault does, with daxtool check's reasons
	f=/mnt/xfs/holes
	cmds=$(for i in $(seq 0 15); do printf " -c 'pwrite -q %d 64k'" $((i * 524288)); done)
	eval "xfs_io -f $cmds -c fsync $f" >/dev/null
	truncate -s 8M $f
	daxtool bench fault -p 2m --json $f >/tmp/hf.json 2>$err || fail "holes: fault" "$(why)"
	daxtool bench rw --json --loops 1 $f >/tmp/hr.json 2>$err || fail "holes: rw" "$(why)"
	jq -e -n --slurpfile f /tmp/hf.json --slurpfile r /tmp/hr.json \
		'$r[0].pages.pmd_fallback == true and
		 $r[0].pages.fallback_windows == $f[0].results[0].fallback_windows and
		 ($r[0].pages.fallback_windows | length) > 0' >/dev/null &&
		pass "holes: rw's fallen-back windows are fault's ($(jq -c .pages.fallback_windows /tmp/hr.json))" ||
		fail "holes: rw against fault" "$(jq -c .pages /tmp/hr.json) / $(jq -c .results[0].fallback_windows /tmp/hf.json)"
	jq -e '[.pages.fallback_reasons[] | select(startswith("daxtool check: "))] | length > 0' \
		/tmp/hr.json >/dev/null && pass "holes: rw's reasons are daxtool check's" ||
		fail "holes: rw reasons" "$(jq -c .pages.fallback_reasons /tmp/hr.json)"
	daxtool bench rw --loops 1 --fail-on-fallback $f >/tmp/hr.txt 2>$err
	[ $? = 1 ] && grep -q '^  !!! rw: NO 2 MiB MAPPINGS' /tmp/hr.txt &&
		grep -q -- '--fail-on-fallback: rw: ' $err &&
		pass "holes: said loudly, and --fail-on-fallback exits 1" ||
		fail "holes: loud" "$(grep -A2 pages: /tmp/hr.txt) $(why)"
	rm -f $f
else
	fail "xfs: setup" "$(why)"
fi
finish
