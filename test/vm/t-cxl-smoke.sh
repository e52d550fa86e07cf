# vm-options: --cxl
# The CXL machine itself: a pmem region on the emulated type-3 devices,
# its NVDIMM region, a device-DAX namespace and an xfs -o dax on it, and
# data written through each reads back.  Run with:
#   test/vm/run --cxl test/vm/t-cxl-smoke.sh build/test/tools/dtprobe
# (--cxl=2: the same on a region interleaved over two devices)
. /host/guest-lib.sh
err=/tmp/err
why() { tail -n 1 $err; }
M=1048576

# as_array: the tools print an object for one result, an array for several
as_array() { jq 'if type == "array" then . else [.] end'; }

cxl list -M | as_array | jq -e 'length >= 1 and all(.pmem_size == 536870912)' >/dev/null &&
	pass "cxl: memdevs with 512 MiB of pmem each" || fail "cxl: memdevs" "$(cxl list -M 2>&1 | tr -d ' \n')"

# --- the region, its data checked by setup_cxl_region ----------------------
if region=$(setup_cxl_region 2>$err); then
	pass "cxl: region made, $VM_CXL_CHECK_MIB MiB read back at both ends ($region)"
else
	fail "cxl: region" "$(why)"; finish
fi
cxl list -R -T | as_array >/tmp/cxlr.json
# one way on mem0, or (run --cxl=2) two ways on mem0 and mem1
mems=$(_vm_cxl_memdevs)
jq -e --arg m "$mems" '.[0].decode_state == "commit" and
	.[0].interleave_ways == ($m | split(" ") | length) and
	([.[0].mappings[].memdev] | sort) == ($m | split(" "))' /tmp/cxlr.json >/dev/null &&
	pass "cxl: region committed, interleaved over $mems" ||
	fail "cxl: region state" "$(jq -c . /tmp/cxlr.json)"
hpa=$(jq '.[0].resource' /tmp/cxlr.json)
size=$(jq '.[0].size' /tmp/cxlr.json)
[ "$(cat /sys/bus/nd/devices/$region/size)" = "$size" ] &&
	pass "cxl: $region has the CXL region's size" ||
	fail "cxl: nd region size" "$(cat /sys/bus/nd/devices/$region/size), CXL region $size"
ndctl list -B | as_array | jq -e '[.[].provider] | index("CXL")' >/dev/null &&
	pass "cxl: the NVDIMM bus is the CXL one" || fail "cxl: nd bus" "$(ndctl list -B | tr -d ' \n')"

# --- device DAX: the mapping's physical addresses and data ---------------
if dev=$(setup_cxl_devdax 2M 2>$err); then
	[ -c "$dev" ] && pass "cxl devdax: $dev" || fail "cxl devdax" "$dev is no character device"
else
	fail "cxl devdax: setup" "$(why)"
fi
if [ -c "${dev:-}" ]; then
	start=$(daxctl list -d "${dev#/dev/}" -M | as_array | jq '.[0].mappings[0].start')
	[ "$start" -ge "$hpa" ] && [ "$start" -lt $((hpa + size)) ] &&
		pass "cxl devdax: its memory is in the region's range" ||
		fail "cxl devdax: mapping" "start $start, region $hpa +$size"
	if [ -x /host/dtprobe ]; then
		offs="0 4096 $((2 * M)) $((2 * M + 8)) $((100 * M + 4088))"
		/host/dtprobe -w -T -1 -s 102M "$dev" $offs >/tmp/w 2>$err || fail "cxl devdax: write tags" "$(why)"
		/host/dtprobe -T -1 -s 102M "$dev" $offs >/tmp/r 2>$err || fail "cxl devdax: read tags" "$(why)"
		awk -v s="$start" '$2 != s + $1 || $5 != $1 { bad = bad " " $0 }
			END { if (bad != "") { print bad; exit 1 } }' /tmp/r >/tmp/bad &&
			[ "$(wc -l </tmp/r)" = 5 ] &&
			pass "cxl devdax: tags read back through a new mapping, at pagemap's physical addresses" ||
			fail "cxl devdax: tags" "$(cat /tmp/bad) $(tr '\n' '|' </tmp/r)"
	else
		skip "cxl devdax: tags" "no /host/dtprobe (pass build/test/tools/dtprobe to run)"
	fi
fi

# --- xfs with DAX ------------------------------------------------------------
if bdev=$(setup_cxl_fsdax_xfs /mnt/cxl 2>$err); then
	pass "cxl xfs: $bdev mounted with dax"
	dd if=/dev/urandom of=/tmp/data bs=1M count=2 2>/dev/null
	cp /tmp/data /mnt/cxl/data && umount /mnt/cxl && mount -o dax "$bdev" /mnt/cxl &&
		cmp -s /tmp/data /mnt/cxl/data &&
		pass "cxl xfs: 2 MiB read back after a remount" ||
		fail "cxl xfs: data" "$(cmp /tmp/data /mnt/cxl/data 2>&1)"
	vm_file_is_dax /mnt/cxl/data && pass "cxl xfs: the file is DAX" ||
		fail "cxl xfs: DAX" "statx says no DAX"
else
	fail "cxl xfs: setup" "$(why)"
fi
finish
