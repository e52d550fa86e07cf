# vm-options: --nvdimm0-size 3G --memory 4G
# daxtool audit against the probe: a workload's fs_dax faults per 2 MiB
# window, counted by audit from the tracepoints, equal what dtprobe
# measured; a fallback's reason equals check --vaddr's; a forked child's
# faults are counted; a process attached to with -p; huge zero page loads
# of a sparse file; msync's write-back volume against the kernel's own
# events; device-DAX (2M and 1G) predicted, its faults per window counted
# from the user page fault events, placed by process: a parent and its
# child mapping different files at one address; mappings made, faulted
# and dropped within milliseconds, over and over; write-protect upgrades
# (a read, then a write, of each 4 KiB page).
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

# per window of the probe's output (OFFSET PHYS F1 F2, F2 "-" with -1):
# "WINDOW FAULTS", WINDOW the offset rounded down to $1
probe_per_window() {
	grep '^[0-9]' /tmp/probe | awk -v w=$1 '{ o = $1 - $1 % w; f[o] += $3 + ($4 == "-" ? 0 : $4) }
		END { for (o in f) print o, f[o] }' | sort -n
}

# --- attached with -p: a process that mapped before, faults after --------
xfs_io -f -c 'falloc 0 8m' /mnt/xfs/p >/dev/null
/host/dtprobe -w -P 2 /mnt/xfs/p 0 $M $((2 * M)) >/tmp/probe 2>$err &
pid=$!
n=0; until grep -q '^ready' /tmp/probe || [ $n -gt 50 ]; do sleep 0.1; n=$((n + 1)); done
daxtool audit --json -p $pid --duration 20 >/tmp/attach.json 2>/tmp/attach.err
rc=$?; wait $pid
if [ $rc = 0 ] && jq -e . /tmp/attach.json >/dev/null 2>&1; then
	probe_per_window $M | sed 's/$/ pmd/' >/tmp/want
	jq -r '.files[] | select(.path == "/mnt/xfs/p") | .windows[] |
		"\(.offset) \(.pmd + .pte) \(if .fallback == 0 and .pte == 0 then "pmd" else "pte" end)"' \
		/tmp/attach.json >/tmp/got
	cmp -s /tmp/want /tmp/got && [ -s /tmp/want ] &&
		pass "-p PID: audit's counts per window = the probe's after attach ($(wc -l </tmp/want) windows, all PMD)" ||
		fail "-p PID: counts" "probe: $(tr '\n' ';' </tmp/want) audit: $(tr '\n' ';' </tmp/got)"
	jqok "-p PID: no command, the pid, ended with the process (not the 20 s)" \
		".command == [] and .pid == $pid and .duration_ns < 15000000000" /tmp/attach.json '[.command, .pid, .duration_ns]'
else
	fail "-p PID: audit" "exit $rc: $(tail -n 1 /tmp/attach.err)"
fi

# --- a sparse file read: the huge zero page, one load per window read ----
xfs_io -f -c 'truncate 8m' /mnt/xfs/sparse >/dev/null
daxtool audit --json -- sh -c "/host/dtprobe /mnt/xfs/sparse 0 $M $((3 * M)) >/tmp/probe" >/tmp/zero.json 2>$err
rc=$?
probe_per_window $M >/tmp/want
jq -r '.files[] | select(.path == "/mnt/xfs/sparse") | .windows[] | "\(.offset) \(.pmd + .pte) \(.zero_pmd)"' \
	/tmp/zero.json >/tmp/got
# a window read once: one PMD fault, the huge zero page, none on the second touch
awk '{ print $1, $2, ($2 == 1 ? 1 : "?") }' /tmp/want >/tmp/want.z
[ $rc = 0 ] && cmp -s /tmp/want.z /tmp/got && [ "$(wc -l </tmp/got)" = 3 ] &&
	pass "sparse read: a huge zero page load per window read (3), faults = the probe's" ||
	fail "sparse read" "exit $rc; probe: $(tr '\n' ';' </tmp/want) audit: $(tr '\n' ';' </tmp/got) $(tail -n 1 $err)"
jqok "sparse read: totals 3 zero_pmd of 3 pmd, the mapping listed once" \
	'.files[] | select(.path == "/mnt/xfs/sparse") | .faults.zero_pmd == 3 and .faults.pmd == 3 and
	 (.mappings | length == 1)' /tmp/zero.json '.files[] | select(.path == "/mnt/xfs/sparse") | [.faults, .mappings]'

# --- write-protect upgrades: each 4 KiB page read, then written ---------
# mapped 64 KiB off 2 MiB, so every fault is a 4 KiB one: the read maps
# the page read-only (the mapping wants write notification), the write
# then takes a fault with MKWRITE (wp_pfn_shared, pfn_mkwrite)
xfs_io -f -c 'pwrite -q -S 0x11 0 8m' /mnt/xfs/mk >/dev/null
daxtool audit --json -- sh -c "/host/dtprobe -w -m -1 -d 64K /mnt/xfs/mk 0 4096 8192 $M $((M + 4096)) >/tmp/probe" \
	>/tmp/mk.json 2>$err
rc=$?
npages=$(grep -c '^[0-9]' /tmp/probe)
probe_per_window $M >/tmp/want
jq -r '.files[] | select(.path == "/mnt/xfs/mk") | .windows[] | "\(.offset) \(.pte)"' /tmp/mk.json >/tmp/got
[ $rc = 0 ] && [ -s /tmp/want ] && cmp -s /tmp/want /tmp/got &&
	pass "mkwrite: 4 KiB faults per window = the probe's read and write faults ($(tr '\n' ';' </tmp/got))" ||
	fail "mkwrite: pte" "exit $rc; probe: $(tr '\n' ';' </tmp/want) audit: $(tr '\n' ';' </tmp/got) $(tail -n 1 $err)"
jqok "mkwrite: write-protect upgrades = the $npages pages written, per window too" \
	'.files[] | select(.path == "/mnt/xfs/mk") | .faults.mkwrite == '$npages' and
	 .faults.pte == 2 * '$npages' and ([.windows[].mkwrite] == [3, 2])' /tmp/mk.json \
	'.files[] | select(.path == "/mnt/xfs/mk") | [.faults, [.windows[] | [.offset, .pte, .mkwrite]]]'
daxtool audit -- /host/dtprobe -w -m -1 -d 64K /mnt/xfs/mk 0 >/tmp/mk.txt 2>$err
grep -q "(1 write-protect upgrades)" /tmp/mk.txt && grep -q " mkwrite 1 " /tmp/mk.txt &&
	pass "mkwrite: the text says it, per window and in total" || fail "mkwrite text" "$(head -c 500 /tmp/mk.txt)"

# --- mappings made, faulted and dropped within milliseconds, 20 times ----
xfs_io -f -c 'falloc 0 8m' /mnt/xfs/r >/dev/null
daxtool audit --json -- sh -c "/host/dtprobe -w -1 -n -R 20 /mnt/xfs/r 0 4096 $M $((3 * M + 8192)) >/tmp/probe" \
	>/tmp/r.json 2>$err
rc=$?
probe_per_window $M >/tmp/want
jq -r '.files[] | select(.path == "/mnt/xfs/r") | .windows[] | "\(.offset) \(.pmd + .pte)"' /tmp/r.json >/tmp/got
[ $rc = 0 ] && [ "$(grep -c '^[0-9]' /tmp/probe)" = 80 ] && cmp -s /tmp/want /tmp/got &&
	pass "short-lived mappings (fsdax, 20 rounds): faults per window = the probe's ($(tr '\n' ';' </tmp/got))" ||
	fail "short-lived fsdax" "exit $rc; probe: $(tr '\n' ';' </tmp/want) audit: $(tr '\n' ';' </tmp/got) $(tail -n 1 $err)"
jqok "short-lived mappings (fsdax): the file by its path, its mapping listed, the mmap events seen" \
	'(.files[] | select(.path == "/mnt/xfs/r") | (.mappings | length) >= 1 and .mappings[0].size == 8388608) and
	 .mmap_events >= 40' /tmp/r.json '[.mmap_events, .snapshots, (.files[] | select(.path == "/mnt/xfs/r") | .mappings)]'

# --- write-back: msync of pages dirtied through a MAP_SHARED mapping ------
# wb_audit NAME FILE DIRTIED "PROBE-OPTIONS" JQ OFFSETS..: audit of the
# probe writing OFFSETS of a new FILE and msyncing; JQ holds for the
# file's report, and its write-back equals the kernel's own
# dax_writeback_range/_one events in the top-level buffer (audit and probe
# run on CPU 0, after a marker) and is at least the DIRTIED bytes
wb_audit() {
	name=$1 file=$2 min=$3 opts=$4 want=$5; shift 5
	xfs_io -f -c 'falloc 0 8m' $file >/dev/null
	mark=daxtool-audit-wb-$(basename $file)
	taskset 1 sh -c "echo $mark >$VM_TRACE/trace_marker"
	taskset 1 daxtool audit --json -- sh -c "/host/dtprobe -w -1 -S $opts $file $* >/tmp/probe" >/tmp/wb.json 2>$err
	jqok "$name" '.files[] | select(.path == "'$file'") | '"$want" \
		/tmp/wb.json '.files[] | select(.path == "'$file'") | [.writeback, .faults]'
	ino=$(printf '0x%x' "$(stat -c %i "$file")")
	sed -n "/$mark/,\$p" $VM_TRACE/per_cpu/cpu0/trace >/tmp/trace
	gawk -v ino="$ino" '$0 ~ "ino " ino " " {
		if (/dax_writeback_range:/) { match($0, /pgoff 0x([0-9a-f]+)-0x([0-9a-f]+)/, m)
			s = strtonum("0x" m[1]); e = strtonum("0x" m[2]); n++ }
		if (/dax_writeback_one:/) { match($0, /pglen 0x([0-9a-f]+)/, m); b += strtonum("0x" m[1]) * 4096 } }
		END { printf "%d %d %d %d\n", n, s * 4096, (e + 1) * 4096, b }' /tmp/trace >/tmp/kern.wb
	jq -r --arg f "$file" '.files[] | select(.path == $f) | .writeback |
		"\(.calls) \(.range_start) \(.range_end) \(.bytes)"' /tmp/wb.json >/tmp/got.wb
	read -r kn ks ke kb </tmp/kern.wb
	if [ "$kn" -gt 0 ] && cmp -s /tmp/kern.wb /tmp/got.wb && [ "$kb" -ge "$min" ]; then
		pass "$name: write-back = the kernel's ($kb bytes flushed, range $ks-$ke), at least the $min dirtied"
	else
		fail "$name: write-back" "kernel: $(cat /tmp/kern.wb), audit: $(cat /tmp/got.wb), dirtied $min"
	fi
}
wb_audit "write-back, 4 KiB entries: 4 pages dirtied, 16384 bytes, 4 entries" /mnt/xfs/wb4k 16384 "-d 64K" \
	'.writeback.bytes == 16384 and .writeback.entries == 4 and .faults.fallback == 2' 0 4096 8192 $M
wb_audit "write-back, 2 MiB entries: 2 windows dirtied, 2 entries of 2 MiB flushed" /mnt/xfs/wb2m 12288 "" \
	'.writeback.bytes == 4194304 and .writeback.entries == 2 and .faults.pmd == 2' 0 4096 $M
daxtool audit -- sh -c "/host/dtprobe -w -1 -S /mnt/xfs/wb2m 0 >/dev/null" >/tmp/wb.txt 2>$err
grep -q "write-back: 2M flushed\|write-back: 2097152 flushed" /tmp/wb.txt &&
	pass "write-back: the text says what was flushed" || fail "write-back text" "$(grep -i write-back /tmp/wb.txt)"

# --- device-DAX: predicted, its faults counted per window ---------------
# devdax_audit NAME DEV WINDOW PAGE PROBE-OPTIONS OFFSETS..: audit of the
# probe on DEV: faults per window (WINDOW bytes) = the probe's, every
# window predicted PAGE
# devdax_counts NAME DEV WINDOW JSON PROBE-ARGS..: audit of the probe
# (into JSON): DEV's user faults per window (WINDOW bytes) = the probe's
devdax_counts() {
	name=$1 dev=$2 win=$3 json=$4; shift 4
	daxtool audit --json -- sh -c "/host/dtprobe $* >/tmp/probe" >$json 2>$err
	rc=$?
	probe_per_window $win | awk '$2 > 0' >/tmp/want
	jq -r --arg d "$dev" '.files[] | select(.path == $d) | .windows[] | "\(.offset) \(.user_faults)"' $json >/tmp/got
	[ $rc = 0 ] && [ -s /tmp/want ] && cmp -s /tmp/want /tmp/got &&
		pass "$name: faults per window = the probe's ($(tr '\n' ';' </tmp/got))" ||
		fail "$name: faults" "exit $rc; probe: $(tr '\n' ';' </tmp/want) audit: $(tr '\n' ';' </tmp/got); $(jq -c '[.mmap_events, .snapshots, .user_faults_unplaced]' $json) $(tail -n 1 $err)"
}
devdax_audit() {
	name=$1 dev=$2 win=$3 page=$4; shift 4
	devdax_counts "$name" $dev $win /tmp/dd.json -n -P 0.5 "$@"
	jqok "$name: devdax, every window $page predicted, fs_dax counts null" \
		'.files[] | select(.path == "'$dev'") | .kind == "devdax" and
		 all(.windows[]; .predicted and .page_size == '$page' and .size == '$win' and .pmd == null) and
		 .faults.pmd == null and .writeback == null and (.predicted | length == 1)' /tmp/dd.json \
		'.files[] | select(.path == "'$dev'") | [.windows, .predicted]'
}
if dev=$(setup_devdax 2M 2>$err); then
	devdax_audit "devdax 2M" $dev $M $M -s 8M $dev 0 4096 $M $((3 * M))
	jqok "devdax 2M: 4 windows of the 8 MiB mapping predicted in 2 MiB pages" \
		'.files[] | select(.path == "'$dev'") | .predicted[0]."2097152" == 4 and .predicted[0].align == 2097152' /tmp/dd.json
	sh /host/doc-keys.sh --check audit /tmp/dd.json /host/json.md | sed 's/json doc: audit/json doc (devdax): audit/'
	# a parent maps the device, its forked child a file on xfs, at the
	# same address: each process's faults go to its own mapping
	xfs_io -f -c 'falloc 0 8m' /mnt/xfs/c >/dev/null
	daxtool audit --json -- sh -c "/host/dtprobe -w -n -1 -v -P 0.3 -s 8M -F /mnt/xfs/c $dev 0 4096 $M $((3 * M)) >/tmp/probe" \
		>/tmp/pc.json 2>$err
	rc=$?
	grep -v '^child\|^map\|^smaps' /tmp/probe >/tmp/probe.parent
	sed -n 's/^child //p' /tmp/probe | grep '^[0-9]' >/tmp/probe.child
	pw() { awk -v w=$M '{ o = $1 - $1 % w; f[o] += $3 } END { for (o in f) if (f[o]) print o, f[o] }' "$1" | sort -n; }
	pw /tmp/probe.parent >/tmp/want
	jq -r --arg d "$dev" '.files[] | select(.path == $d) | .windows[] | "\(.offset) \(.user_faults)"' /tmp/pc.json >/tmp/got
	pw /tmp/probe.child >/tmp/want.c
	jq -r '.files[] | select(.path == "/mnt/xfs/c") | .windows[] | "\(.offset) \(.pmd + .pte)"' /tmp/pc.json >/tmp/got.c
	a1=$(awk '/^map/ { print $2 }' /tmp/probe) a2=$(awk '/^child map/ { print $3 }' /tmp/probe)
	if [ $rc = 0 ] && [ -n "$a1" ] && [ "$a1" = "$a2" ] && [ -s /tmp/want ] && cmp -s /tmp/want /tmp/got &&
	   [ -s /tmp/want.c ] && cmp -s /tmp/want.c /tmp/got.c; then
		pass "parent (device) and child (file) at one address $a1: the device's faults are the parent's ($(tr '\n' ';' </tmp/got)), the file's the child's ($(tr '\n' ';' </tmp/got.c))"
	else
		fail "parent and child at one address" "exit $rc; at $a1/$a2; parent: $(tr '\n' ';' </tmp/want) audit: $(tr '\n' ';' </tmp/got); child: $(tr '\n' ';' </tmp/want.c) audit: $(tr '\n' ';' </tmp/got.c) $(tail -n 1 $err)"
	fi
	jqok "parent and child: both mappings at the one address" \
		'[.files[] | select(.path == "'$dev'" or .path == "/mnt/xfs/c") | .mappings[] | select(.start == '$((a1))') | .start] | length == 2' \
		/tmp/pc.json '[.files[] | [.path, [.mappings[].start]]]'
	# the device mapped, faulted and unmapped 200 times, with no pause:
	# its user faults placed by the mappings the mmap events made, the
	# snapshots falling where they may, between one round and the next
	devdax_counts "short-lived mappings (devdax, 200 rounds)" $dev $M /tmp/rd.json \
		-w -n -1 -R 200 -s 8M $dev 0 4096 $M $((3 * M))
	daxtool audit -- sh -c "/host/dtprobe -n -P 0.5 -s 8M $dev 0 >/dev/null" >/tmp/dd.txt 2>$err
	grep -q "^$dev (devdax)" /tmp/dd.txt && grep -q "page 2M (predicted)\|page 2097152 (predicted)" /tmp/dd.txt &&
		grep -q "device-DAX has no fs_dax events" /tmp/dd.txt &&
		pass "devdax 2M: text: predicted, and why" || fail "devdax 2M text" "$(head -c 600 /tmp/dd.txt)"
else
	fail "devdax 2M: setup" "$(tail -n 1 $err)"
fi
G=1073741824
if vm_pud_ready 2>$err && dev=$(setup_devdax 1G 2>$err); then
	devdax_audit "devdax 1G" $dev $G $G -1 -a 1G -s 1G $dev 0 4096 $M $((256 * M)) $((G - 4096))
	jqok "devdax 1G: one fault in the one 1 GiB window (a PUD, as the probe says), its 512 2 MiB windows predicted 1 GiB" \
		'.files[] | select(.path == "'$dev'") | (.windows | length == 1) and .windows[0].user_faults == 1 and
		 .predicted[0]."1073741824" == 512 and .predicted[0].align == 1073741824' /tmp/dd.json \
		'.files[] | select(.path == "'$dev'") | [.windows, .predicted]' 
else
	skip "devdax 1G" "$(tail -n 1 $err)"
fi

daxtool audit --no-follow --json -- sh -c "/host/dtprobe -w /mnt/xfs/a 0 >/dev/null; true" >/tmp/nf.json 2>$err
jqok "--no-follow: the child's faults are not counted" '[.files[] | select(.path == "/mnt/xfs/a")] | length == 0' /tmp/nf.json '.files'
on=$(cat /sys/kernel/tracing/events/fs_dax/dax_pmd_fault_done/enable /sys/kernel/tracing/events/fs_dax/dax_pmd_load_hole/enable \
	/sys/kernel/tracing/events/fs_dax/dax_writeback_one/enable /sys/kernel/tracing/events/exceptions/page_fault_user/enable \
	/sys/kernel/tracing/events/syscalls/sys_exit_mmap/enable | tr -d '\n')
[ "$on" = 11111 ] && grep -q 'common_pid == 0' /sys/kernel/tracing/events/exceptions/page_fault_user/filter &&
	grep -q 'common_pid == 0' /sys/kernel/tracing/events/syscalls/sys_exit_mmap/filter &&
	! ls /sys/kernel/tracing/instances | grep -q daxtool-audit &&
	pass "tracepoints left on as found, instance removed" || fail "tracing state" "$(ls /sys/kernel/tracing/instances)"
sh /host/doc-keys.sh --check audit /tmp/audit.json /host/json.md
finish
