# vm-options: --cxl=2
# daxtool map and check on a CXL region of 4 KiB interleave granularity
# over two devices (the tests before use the kernel's 256 bytes): the
# memory device and device physical address daxtool names for a byte are
# where the device really holds it (a tag written through a mapping, read
# back from that device's backing file at that address).
. /host/guest-lib.sh
err=/tmp/err
why() { tail -n 1 $err; }
M=1048576
K=4096
probe=/host/dtprobe
[ -x $probe ] || { skip "cxl 4K granules" "no /host/dtprobe (pass build/test/tools/dtprobe to run)"; finish; }

if dev=$(VM_CXL_GRANULARITY=$K setup_cxl_devdax 2M 2>$err); then
	g=$(cxl list -R | jq -r 'if type == "array" then .[0] else . end | .interleave_granularity')
	[ "$g" = $K ] && pass "cxl 4K granules: cxl list says granularity $g" ||
		fail "cxl 4K granules: region" "granularity '$g', not $K"
	# both ends of granules, in both positions, in two 2 MiB windows
	offs="0 8 4088 $K $((K + 16)) $((2 * K)) $((3 * K + 4000)) $((2 * M)) $((2 * M + K + 24)) $((3 * M + 2 * K + 40))"
	$probe -w -T -1 -s 4M "$dev" $offs >/tmp/w 2>$err || fail "cxl 4K granules: write tags" "$(why)"
	vm_cxl_tags_land "cxl 4K granules: memdev and DPA per byte" "$dev" 2 $offs
	# one granule is on one device, one byte more on both
	a=$(daxtool map --json --range 0:$K "$dev" | jq -c '.[0].extents[0].cxl.memdevs | length')
	b=$(daxtool map --json --range 0:$((K + 1)) "$dev" | jq -c '.[0].extents[0].cxl.memdevs | length')
	[ "$a" = 1 ] && [ "$b" = 2 ] && pass "cxl 4K granules: 4K on one device, 4K+1 on two" ||
		fail "cxl 4K granules: map spans" "4K on '$a' devices, 4K+1 on '$b'"
	daxtool check --json "$dev" >/tmp/check.json 2>$err || fail "cxl 4K granules: check" "$(why)"
	jq -e --argjson k $K '.[0].cxl | .granularity == $k and .ways == 2 and .pmd_devices == 2 and .why == null' \
		/tmp/check.json >/dev/null && pass "cxl 4K granules: check says 4096-byte granules, a 2M window on both devices" ||
		fail "cxl 4K granules: check" "$(jq -c '.[0].cxl' /tmp/check.json)"
else
	fail "cxl 4K granules: setup" "$(why)"
fi
finish
