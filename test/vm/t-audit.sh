# daxtool audit against the probe: a workload's fs_dax faults per 2 MiB
# window, counted by audit from the tracepoints, equal what dtprobe
# measured; a fallback's reason equals check --vaddr's; a forked child's
# faults are counted.
. /host/guest-lib.sh
err=/tmp/err
vm_trace_init
[ $vm_have_trace = yes ] || { skip audit "no fs_dax:dax_pmd_fault_done event in this kernel"; finish; }
setup_fsdax_xfs /mnt/xfs >/dev/null 2>$err || { fail "audit: xfs setup" "$(tail -n 1 $err)"; finish; }
M=2097152
xfs_io -f -c 'falloc 0 8m' /mnt/xfs/a >/dev/null

# audit_probe NAME DELTA: audit sh -c 'dtprobe -w -d DELTA FILE 0 2M 4M'
audit_probe() {
	name=$1 delta=$2
	daxtool audit --json -- sh -c "/host/dtprobe -w -a 2M -d $delta -v /mnt/xfs/a 0 $M $((2 * M)) >/tmp/probe; true" \
		>/tmp/audit.json 2>$err
	rc=$?
	[ $rc = 0 ] && jq -e . /tmp/audit.json >/dev/null 2>&1 ||
		{ fail "$name: audit" "exit $rc: $(tail -n 1 $err)"; return 1; }
	grep -v '^map\|^smaps' /tmp/probe >/tmp/probe.offs
	# per window: faults the probe counted (first + second touch), and
	# whether it got a PMD (no fault on the second touch)
	awk '{ print $1, $3 + $4, ($4 == 0 ? "pmd" : "pte") }' /tmp/probe.offs >/tmp/want
	jq -r '.files[] | select(.path == "/mnt/xfs/a") | .windows[] |
		"\(.offset) \(.pmd + .pte) \(if .fallback == 0 and .pte == 0 then "pmd" else "pte" end)"' \
		/tmp/audit.json >/tmp/got
	if cmp -s /tmp/want /tmp/got; then
		pass "$name: audit's counts per window = the probe's ($(wc -l </tmp/want) windows)"
	else
		fail "$name: counts" "probe: $(tr '\n' ';' </tmp/want) audit: $(tr '\n' ';' </tmp/got)"
	fi
}

if audit_probe "aligned mapping (forked by sh)" 0; then
	jqok "aligned: all PMD, no fallback" '.files[] | select(.path == "/mnt/xfs/a") |
		.faults.fallback == 0 and .faults.pmd == 3 and .windows_by_page_size."2097152" == 3' /tmp/audit.json
	jqok "aligned: the mapping is shared, 8 MiB at offset 0" '.files[] | select(.path == "/mnt/xfs/a") |
		.mappings | any(.offset == 0 and .shared and .size >= 6291456)' /tmp/audit.json
	jqok "aligned: each mapping listed once" '.files[] | select(.path == "/mnt/xfs/a") |
		(.mappings | length) == (.mappings | unique | length)' /tmp/audit.json
	daxtool audit --fail-on-fallback -- /host/dtprobe -w /mnt/xfs/a 0 >/dev/null 2>$err &&
		pass "aligned: --fail-on-fallback exits 0" || fail "aligned: --fail-on-fallback" "exit $?: $(tail -n 1 $err)"
fi

if audit_probe "misaligned mapping (+64 KiB)" 65536; then
	start=$(awk '/^map/ { print $2 }' /tmp/probe)
	daxtool check --json --vaddr "$start" --offset 0 /mnt/xfs/a >/tmp/check.json 2>$err
	want=$(jq -c '[.[0].windows[] | select(.offset == 0 or .offset == 2097152 or .offset == 4194304) | .reasons] | unique' /tmp/check.json)
	got=$(jq -c '[.files[] | select(.path == "/mnt/xfs/a") | .windows[] | .reasons] | unique' /tmp/audit.json)
	[ -n "$want" ] && [ "$want" = "$got" ] && [ "$got" != '[[]]' ] &&
		pass "misaligned: audit's reasons = check --vaddr's ($got)" ||
		fail "misaligned: reasons" "check $want, audit $got"
	jqok "misaligned: every window fell back" '.files[] | select(.path == "/mnt/xfs/a") |
		.faults.fallback == 3 and .fallbacks_by_reason.misaligned_virtual == 3' /tmp/audit.json
	daxtool audit --fail-on-fallback -- /host/dtprobe -w -d 64K /mnt/xfs/a 0 >/dev/null 2>$err
	rc=$?; [ $rc = 1 ] && pass "misaligned: --fail-on-fallback exits 1" || fail "misaligned: --fail-on-fallback" "exit $rc"
	daxtool audit -- /host/dtprobe -w -d 64K /mnt/xfs/a 0 >/tmp/audit.txt 2>$err
	grep -q "misaligned_virtual" /tmp/audit.txt && grep -q "^/mnt/xfs/a (fsdax)" /tmp/audit.txt &&
		pass "misaligned: text names the file and the reason" || fail "misaligned: text" "$(head -c 400 /tmp/audit.txt)"
fi

daxtool audit --no-follow --json -- sh -c "/host/dtprobe -w /mnt/xfs/a 0 >/dev/null; true" >/tmp/nf.json 2>$err
jqok "--no-follow: the child's faults are not counted" '[.files[] | select(.path == "/mnt/xfs/a")] | length == 0' /tmp/nf.json '.files'
[ "$(cat /sys/kernel/tracing/events/fs_dax/dax_pmd_fault_done/enable)" = 1 ] &&
	! ls /sys/kernel/tracing/instances | grep -q daxtool-audit &&
	pass "tracepoints left on as found, instance removed" || fail "tracing state" "$(ls /sys/kernel/tracing/instances)"
sh /host/doc-keys.sh --check audit /tmp/audit.json /host/json.md
finish
