# vm-options: --cxl=3 --cxl-hosts 3
# daxtool map on a CXL region interleaved 3 ways: three host bridges, a
# device on each (and an empty root port beside it), the fixed memory
# window interleaved over the three.  Linux 6.1 takes a 3-way region only
# there: a region's ways over the root decoder's must be a power of 2,
# so over one host bridge (a 1-way window) "cxl create-region -w 3" gets
# "set_interleave_ways failed: Invalid argument".  The memory device and
# device physical address daxtool names for a byte are where the device
# really holds it (see t-cxl-map.sh).  Where QEMU or the kernel does not
# make a working 3-way region, SKIP says what failed.  QEMU 7.2 does
# not: the kernel commits the region, but the type-3 device decodes an
# address of a 3, 6 or 12-way decoder wrong (it shifts the address right
# by the ways' code, 8, instead of dividing by 3; fixed in later QEMU), so
# data written reads back different, and setup_cxl_region says "CXL DATA
# CORRUPT".
. /host/guest-lib.sh
err=/tmp/err
why() { tail -n 1 $err; }
M=1048576
probe=/host/dtprobe
[ -x $probe ] || { skip "cxl 3-way" "no /host/dtprobe (pass build/test/tools/dtprobe to run)"; finish; }

if ! dev=$(setup_cxl_devdax 2M 2>$err); then
	# the kernel refuses the region, or QEMU gives other data back
	skip "cxl 3-way" "no working 3-way region: $(grep -v '^$' $err | tail -n 2 | tr '\n' ' ')"
	finish
fi
w=$(cxl list -R | jq -r 'if type == "array" then .[0] else . end | .interleave_ways')
[ "$w" = 3 ] && pass "cxl 3-way: cxl list says 3 ways" || fail "cxl 3-way: region" "ways '$w'"
# every position in granules 0-5, and in two 2 MiB windows
offs="0 256 520 776 1024 1288 $((2 * M + 8)) $((2 * M + 264)) $((2 * M + 512)) $((3 * M + 1024))"
$probe -w -T -1 -s 4M "$dev" $offs >/tmp/w 2>$err || fail "cxl 3-way: write tags" "$(why)"
vm_cxl_tags_land "cxl 3-way: memdev and DPA per byte" "$dev" 3 $offs
n=$(daxtool map --json --range 256:768 "$dev" | jq -c '[.[0].extents[0].cxl.memdevs | length, .[0].extents[0].cxl.why]')
[ "$n" = '[3,null]' ] && pass "cxl 3-way: 3 granules on the 3 devices" ||
	fail "cxl 3-way: map span" "$n"
finish
