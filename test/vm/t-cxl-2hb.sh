# vm-options: --cxl=2 --cxl-hosts 2
# daxtool on a CXL region interleaved over two host bridges (one device
# on each; the fixed memory window targets both): list says the root
# decoder picks host bridges by modulo arithmetic (from the ACPI CEDT),
# and map names for a byte the memory device and device physical address
# that really hold it (see t-cxl-map.sh).
. /host/guest-lib.sh
err=/tmp/err
why() { tail -n 1 $err; }
M=1048576
probe=/host/dtprobe
[ -x $probe ] || { skip "cxl 2 host bridges" "no /host/dtprobe (pass build/test/tools/dtprobe to run)"; finish; }

_vm_wait /sys/bus/cxl/devices/decoder0.0 2>$err || fail "cxl 2 host bridges: decoder0.0" "$(why)"
daxtool list --json >/tmp/list.json 2>$err || fail "cxl 2 host bridges: list" "$(why)"
jq -e '([.cxl_ports[] | select(.kind == "host_bridge")] | length) == 2 and
	(.cxl_decoders[] | select(.dev == "decoder0.0") |
	 .interleave_ways == 2 and .interleave_arithmetic == "modulo" and (.targets | length) == 2)' \
	/tmp/list.json >/dev/null &&
	pass "cxl 2 host bridges: list shows decoder0.0 over 2 host bridges, modulo" ||
	fail "cxl 2 host bridges: list" "$(jq -c '[.cxl_ports[] | [.dev, .kind]], [.cxl_decoders[] | select(.kind == "root")]' /tmp/list.json)"
daxtool list 2>/dev/null | grep -q 'decoder0.0 .* modulo' &&
	pass "cxl 2 host bridges: list text shows modulo" ||
	fail "cxl 2 host bridges: list text" "$(daxtool list 2>&1 | grep decoder0.0)"

if ! dev=$(setup_cxl_devdax 2M 2>$err); then
	skip "cxl 2 host bridges" "no working region over two host bridges: $(grep -v '^$' $err | tail -n 2 | tr '\n' ' ')"
	finish
fi
r=$(cxl list -R -T | jq -c 'if type == "array" then .[0] else . end | [.interleave_ways, .interleave_granularity]')
[ "$r" = '[2,256]' ] && pass "cxl 2 host bridges: a 2-way region of 256-byte granules" ||
	fail "cxl 2 host bridges: region" "$r"
offs="0 256 512 776 4096 4352 $((2 * M + 8)) $((2 * M + 264)) $((3 * M + 1024))"
$probe -w -T -1 -s 4M "$dev" $offs >/tmp/w 2>$err || fail "cxl 2 host bridges: write tags" "$(why)"
vm_cxl_tags_land "cxl 2 host bridges: memdev and DPA per byte" "$dev" 2 $offs
daxtool check --json "$dev" >/tmp/check.json 2>$err || fail "cxl 2 host bridges: check" "$(why)"
jq -e '.[0].cxl | .pmd_devices == 2 and .why == null' /tmp/check.json >/dev/null &&
	pass "cxl 2 host bridges: check knows the devices of a 2M window" ||
	fail "cxl 2 host bridges: check" "$(jq -c '.[0].cxl' /tmp/check.json)"
finish
