# vm-options: --nvdimm0-size 3G --memory 4G --hugepages-1g 1
# 1 GiB mappings: daxtool check, map and list on device-DAX aligned 1G and
# 2M, against what the kernel did: fault counts of touches inside a window
# (dtprobe -n: reading pagemap or smaps zaps a PUD), and mmap's answer for
# an address out of the device's alignment.
. /host/guest-lib.sh
probe=/host/dtprobe
err=/tmp/err
why() { tail -n 1 $err; }
G=1073741824 M=1048576

if ! dev=$(setup_devdax 1G 2>$err); then
	skip "1G device-DAX" "$(why)"
	exit 0
fi
size=$(daxtool map --json "$dev" | jq '.[0].size')

# check predicts a 1 GiB page for every window
daxtool check --json "$dev" >/tmp/c.json; rc=$?
jq -e '.[0].summary as $s | $s.pud == $s.windows and $s.windows > 0 and
	$s.page_bytes["1073741824"] == $s.bytes' /tmp/c.json >/dev/null && [ $rc = 0 ] &&
	pass "1G: check predicts 1 GiB pages for every window, exit 0" ||
	fail "1G: check" "exit $rc: $(jq -c '.[0].summary' /tmp/c.json)"
daxtool check -v --json "$dev" | jq -e --argjson g $G '[.[0].windows[] | [.status, .page_size]] | unique == [["pud", $g]]' >/dev/null &&
	pass "1G: check -v: every window pud, page_size 1 GiB" || fail "1G: check -v" "$(daxtool check -v --json "$dev" | jq -c '.[0].windows')"

# measured: one fault per GiB, none for later touches in it
$probe -n -1 -a 1G -s $size "$dev" 0 4096 $((2 * M)) $((512 * M)) $((G - 4096)) >/tmp/p 2>$err
if [ "$(awk '{ print $3 }' /tmp/p | tr '\n' ' ')" = "1 0 0 0 0 " ]; then
	pass "1G: measured: the first touch faults, +4K, +2M, +512M, +1G-4K do not (one PUD)"
else
	fail "1G: measured" "$(tr '\n' '|' </tmp/p) $(why)"
fi

# an address 2 MiB- but not 1 GiB-aligned: check says refused, mmap says EINVAL
daxtool check --json --vaddr 0x7f0040200000 "$dev" >/tmp/c.json; rc=$?
jq -e '.[0].summary as $s | $s.refused == $s.windows and $s.reasons.device_vma_align == $s.windows' \
	/tmp/c.json >/dev/null && [ $rc = 1 ] &&
	pass "1G: check at a 2 MiB-aligned address: refused (device_vma_align), exit 1" ||
	fail "1G: check --vaddr" "exit $rc: $(jq -c '.[0].summary' /tmp/c.json)"
$probe -n -1 -v -a 1G -d $((2 * M)) -s $G "$dev" 0 >/tmp/p 2>&1
grep -q "mmap-failed 22 EINVAL" /tmp/p &&
	pass "1G: measured: mmap at that address fails with EINVAL, as check says" ||
	fail "1G: mmap misaligned" "$(tr '\n' '|' </tmp/p)"

# a file offset of 2 MiB: the kernel maps device offset 0 there
daxtool check --json --offset 2M --vaddr 0x7f0040000000 "$dev" >/tmp/c.json; rc=$?
jq -e '.[0].summary.reasons.device_offset_align > 0' /tmp/c.json >/dev/null && [ $rc = 1 ] &&
	pass "1G: check from offset 2M: device_offset_align, exit 1" ||
	fail "1G: check --offset" "exit $rc: $(jq -c '.[0].summary' /tmp/c.json)"
# tags: device offset 0 holds 0, device offset 2M holds 2097152
$probe -n -1 -w -T -a 1G -s $G "$dev" 0 $((2 * M)) >/dev/null 2>&1
$probe -n -1 -T -a 1G -o $((2 * M)) -s $G "$dev" 0 >/tmp/p 2>&1
[ "$(awk '{ print $5 }' /tmp/p)" = 0 ] &&
	pass "1G: measured: a mapping from offset 2M shows the bytes of offset 0, as check says" ||
	fail "1G: offset measured" "$(tr '\n' '|' </tmp/p)"

# map counts 1G-mappable bytes; list says 1 GiB pages
daxtool map --json "$dev" | jq -e '.[0].summary.pud_bytes == .[0].size' >/dev/null &&
	pass "1G: map: every byte 1G-mappable" || fail "1G: map" "$(daxtool map --json "$dev" | jq -c '.[0].summary')"
daxtool list --json | jq -e --argjson g $G '[.devices[] | .max_page_size] == [$g] and
	([.namespaces[] | select(.mode == "devdax") | .max_page_size] == [$g])' >/dev/null &&
	pass "1G: list: the device and its namespace map up to 1 GiB pages" ||
	fail "1G: list" "$(daxtool list --json | jq -c '[.devices[], .namespaces[]] | map({dev, max_page_size})')"

# bench latency: the 1G pass alone, each 1 GiB window PUD-mapped by the
# second touch (smaps not read: its walk would split them); the device
# again afterwards through dtprobe's own mapping
if vm_run daxtool bench latency --json --force --size $size --min-ws 1M --max-ws 4M \
	--repeats 1 --max-loads 65536 "$dev" >/tmp/l.json 2>$err; then
	jqok "1G: latency runs the 1G pass alone; 4K and 2M not run, why" \
		'[.passes[].page_size] == [1073741824] and [.skipped[].page_size] == [4096, 2097152] and
		 all(.skipped[]; .why | test("aligned 1G"))' /tmp/l.json '[[.passes[].page_size], .skipped]'
	n=$((size / G))
	jqok "1G: latency's pages: all $n 1 GiB windows PUD-mapped, by second touch, smaps not read" \
		'.passes[0].pages | .window_size == 1073741824 and .windows == '$n' and
		 .pmd_windows == '$n' and .pmd_method == "touch" and .pmd_fallback == false and
		 .smaps.field == null and (.smaps.note | test("split"))' /tmp/l.json '.passes[0].pages'
else
	fail "1G: latency" "$(why)"
fi
# bench fault -p 1g: every 1 GiB window one fault, PUD-mapped by second touch
if vm_run daxtool bench fault --json -p 1g --size $size "$dev" >/tmp/f.json 2>$err; then
	n=$((size / G))
	jqok "1G: fault -p 1g: $n units, $n faults, every window PUD-mapped by second touch" \
		'.results[0] | .page_size == 1073741824 and .window_size == 1073741824 and
		 .units == '$n' and .faults == '$n' and .pmd_windows == '$n' and .pmd_method == "touch" and
		 .pmd_fallback == false and .smaps.field == null' /tmp/f.json '.results[0] | del(.lat_ns)'
else
	fail "1G: fault -p 1g" "$(why)"
fi
if vm_run daxtool bench pmd-fault --json "$dev" >/tmp/pf.json 2>$err; then
	jqok "1G: pmd-fault: the 1G pass alone; 4K and 2M not run, the alignment said" \
		'[.results[].page_size] == [1073741824] and [.skipped[].page_size] == [4096, 2097152] and
		 (.comparison.note | test("no 4K pass: .*aligned 1G"))' /tmp/pf.json '[[.results[].page_size], .skipped, .comparison.note]'
else
	fail "1G: pmd-fault" "$(why)"
fi

# bench rw: the largest pages the device allows, 1 GiB, verified the same way
if vm_run daxtool bench rw --json --size 1G --bs 2m --loops 1 --no-lat "$dev" >/tmp/r.json 2>$err; then
	jqok "1G: rw maps 1 GiB pages and verifies its window PUD-mapped" \
		'.options.page_size == 1073741824 and (.pages | .window_size == 1073741824 and
		 .windows == 1 and .pmd_windows == 1 and .pmd_method == "touch" and .pmd_fallback == false)' \
		/tmp/r.json '[.options.page_size, .pages]'
else
	fail "1G: rw" "$(why)"
fi
vm_run daxtool bench rw --json --size 1G --page-size 2m "$dev" >/dev/null 2>$err
[ $? = 2 ] && grep -q "aligned 1G: device-DAX maps only in pages of its alignment" $err &&
	pass "1G: rw --page-size 2m: a usage error that says why" || fail "1G: rw --page-size 2m" "$(why)"
$probe -n -1 -a 1G -s $size "$dev" 0 $((G - 4096)) >/tmp/p 2>$err
[ "$(awk '{ print $3 }' /tmp/p | tr '\n' ' ')" = "1 0 " ] &&
	pass "1G: after latency, dtprobe's mapping is one PUD again" ||
	fail "1G: after latency" "$(tr '\n' '|' </tmp/p) $(why)"

# --- hugetlb of 1 GiB pages: the one reserved at boot (hugepagesz=1G
# hugepages=1: at run time the kernel finds no free GiB in one piece) ---
pool=/sys/kernel/mm/hugepages/hugepages-1048576kB/nr_hugepages
before=$(cat $pool 2>/dev/null)
if vm_run daxtool bench fault --json -p 1g --size 1G emulated >/tmp/h.json 2>$err; then
	jqok "hugetlb 1G: emulated memory of 1 GiB pages, one fault, PUD-mapped by second touch" \
		'.target.kind == "emulated-hugetlb" and .target.align == 1073741824 and
		 (.results[0] | .faults == 1 and .pmd_windows == 1 and .windows == 1 and .pmd_method == "touch")' \
		/tmp/h.json '[.target.emulation, .results[0] | del(.lat_ns)]'
	[ "$(cat $pool)" = "$before" ] && pass "hugetlb 1G: the pool as it was ($before)" ||
		fail "hugetlb 1G: pool" "$before before, $(cat $pool) after"
elif grep -q "1 GiB" $err; then
	skip "hugetlb 1G" "$(why)"
else
	fail "hugetlb 1G" "$(why)"
fi

# --- 2M: PMDs, never PUDs; an address out of alignment is refused --------
if dev=$(setup_devdax 2M 2>$err); then
	daxtool check --json "$dev" >/tmp/c.json; rc=$?
	jq -e '.[0].summary as $s | $s.pmd == $s.windows and $s.pud == 0' /tmp/c.json >/dev/null && [ $rc = 0 ] &&
		pass "2M: check predicts 2 MiB pages, no 1 GiB page" || fail "2M: check" "$(jq -c '.[0].summary' /tmp/c.json)"
	$probe -n -a 1G -s $G "$dev" 0 $((2 * M)) $((512 * M)) >/tmp/p 2>$err
	[ "$(awk '{ print $3 $4 }' /tmp/p | tr '\n' ' ')" = "10 10 10 " ] &&
		pass "2M: measured: one fault per 2 MiB window even when 1 GiB-aligned" ||
		fail "2M: measured" "$(tr '\n' '|' </tmp/p)"
	daxtool check --json --vaddr 0x7f0040201000 "$dev" >/tmp/c.json; rc=$?
	$probe -n -1 -v -a 2M -d 4096 -s $((2 * M)) "$dev" 0 >/tmp/p 2>&1
	jq -e '.[0].summary.refused == .[0].summary.windows' /tmp/c.json >/dev/null && [ $rc = 1 ] &&
		grep -q "mmap-failed 22 EINVAL" /tmp/p &&
		pass "2M: an address 4 KiB off: check says refused, mmap fails with EINVAL" ||
		fail "2M: misaligned" "exit $rc: $(jq -c '.[0].summary.refused' /tmp/c.json) $(tr '\n' '|' </tmp/p)"
	daxtool map --json "$dev" | jq -e '.[0].summary.pud_bytes == null' >/dev/null &&
		pass "2M: map: no 1G-mappable count (the device maps no 1 GiB pages)" || fail "2M: map pud_bytes" "not null"
	daxtool list --json | jq -e '[.devices[] | .max_page_size] == [2097152]' >/dev/null &&
		pass "2M: list: pages up to 2 MiB" || fail "2M: list" "$(daxtool list --json | jq -c '[.devices[].max_page_size]')"
else
	fail "2M: setup" "$(why)"
fi
