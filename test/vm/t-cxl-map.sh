# vm-options: --cxl=2
# daxtool map on CXL memory, a region interleaved over two devices: a
# device-DAX device and a file on xfs -o dax.  The physical addresses are
# the kernel's (pagemap, through dtprobe), and the memory device and
# device physical address daxtool names for a byte are where the device
# really holds it: a tag written through a mapping is read back from that
# device's backing file on the host (/host/.cxl), at that address.
. /host/guest-lib.sh
err=/tmp/err
why() { tail -n 1 $err; }
M=1048576
probe=/host/dtprobe
[ -x $probe ] || { skip "cxl map" "no /host/dtprobe (pass build/test/tools/dtprobe to run)"; finish; }

# offsets in both interleave positions (256-byte granules), in two pages
# and in two 2 MiB windows
offs="0 256 512 776 4096 4352 $((2 * M + 8)) $((2 * M + 264)) $((3 * M + 1024))"

# --- device DAX -----------------------------------------------------------------
if dev=$(setup_cxl_devdax 2M 2>$err); then
	$probe -w -T -1 -s 4M "$dev" $offs >/tmp/w 2>$err || fail "cxl devdax: write tags" "$(why)"
	daxtool map --json "$dev" >/tmp/map.json 2>$err || fail "cxl devdax: map" "$(why)"
	region=$(cxl list -R | jq -r 'if type == "array" then .[0] else . end | .region')
	jq -e --arg r "$region" '.[0].source == "devdax" and ([.[0].extents[] | .cxl.region] | all(. == $r)) and
		(.[0].extents[0].cxl.memdevs | sort) == ["mem0", "mem1"] and .[0].extents[0].cxl.why == null' \
		/tmp/map.json >/dev/null &&
		pass "cxl devdax: map names $region and both memdevs for the device's extent" ||
		fail "cxl devdax: map" "$(jq -c '.[0].extents' /tmp/map.json)"
	vm_probe_phys "cxl devdax: pagemap physical addresses equal map's" /tmp/map.json \
		"$dev" -s 4M 0 4096 $((2 * M)) $((3 * M + 4096))
	vm_cxl_tags_land "cxl devdax: memdev and DPA per byte" "$dev" 2 $offs
	daxtool map --range 256:8 "$dev" | grep -q "cxl $region mem[01] dpa 0x" &&
		pass "cxl devdax: text shows the memdev and DPA" ||
		fail "cxl devdax: text" "$(daxtool map --range 256:8 "$dev" | tail -n 2 | tr '\n' '|')"
else
	fail "cxl devdax: setup" "$(why)"
fi

# --- xfs -o dax --------------------------------------------------------------------
if bdev=$(setup_cxl_fsdax_xfs /mnt/cxl 2>$err); then
	f=/mnt/cxl/tags
	xfs_io -f -c 'falloc 0 4m' -c fsync $f 2>$err || fail "cxl xfs: falloc" "$(why)"
	$probe -w -T -1 -s 4M $f $offs >/tmp/w 2>$err || fail "cxl xfs: write tags" "$(why)"
	daxtool map --json $f >/tmp/map.json 2>$err || fail "cxl xfs: map" "$(why)"
	jq -e '[.[0].extents[] | select(.type != "hole") | .cxl.memdev != null] | all' /tmp/map.json >/dev/null &&
		pass "cxl xfs: every extent on CXL memory, with its memdev" ||
		fail "cxl xfs: map" "$(jq -c '.[0].extents' /tmp/map.json)"
	vm_probe_phys "cxl xfs: pagemap physical addresses equal map's" /tmp/map.json \
		$f 0 4096 $((2 * M)) $((3 * M + 4096))
	vm_cxl_tags_land "cxl xfs: memdev and DPA per byte" $f 2 $offs
	sh /host/doc-keys.sh --check map /tmp/map.json /host/json.md 2>/dev/null | grep -F '.cxl'
else
	fail "cxl xfs: setup" "$(why)"
fi
finish
