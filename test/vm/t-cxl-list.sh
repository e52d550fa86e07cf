# vm-options: --cxl=2
# daxtool list on the CXL machine, two memory devices interleaved: every
# field cxl list shows of memdevs, buses, ports, endpoints, decoders and
# regions equals daxtool's, and the NVDIMM region, namespace and device
# made of the CXL region are tied to it both ways (ndctl, daxctl, sysfs).
. /host/guest-lib.sh
err=/tmp/err
why() { tail -n 1 $err; }

# as_array: the tools print an object for one result, an array for several
as_array() { jq 'if type == "array" then . else [.] end'; }

dev=$(setup_cxl_devdax 2M 2>$err) || { fail "cxl: setup" "$(why)"; finish; }
daxtool list --json >/tmp/list.json 2>$err || { fail "list" "$(why)"; finish; }
sh /host/doc-keys.sh --check list /tmp/list.json /host/json.md

# same_fields NAME CXL_JSON DT_PATH ID MAP: for every object of CXL_JSON
# (an array, its name under key ID), the daxtool object of that "dev" at
# DT_PATH has, for each key of MAP ({cxl key: daxtool key}) that cxl
# shows, the same value; and there are as many objects on both sides
same_fields() {
	jq -n --slurpfile c "$2" --slurpfile l /tmp/list.json --arg id "$4" \
		--argjson m "$5" '$c[0] as $c | ($l[0] | '"$3"') as $d |
		[(if ($c | length) != ($d | length) then
			"\($c | length) objects in cxl list, \($d | length) in daxtool" else empty end),
		 ($c[] as $o | ($d | map(select(.dev == $o[$id]))[0]) as $x |
		  if $x == null then "\($o[$id]): not in daxtool" else
		  ($m | to_entries[] | select(.key as $k | $o | has($k)) |
		   select($o[.key] != $x[.value]) |
		   "\($o[$id]).\(.key): cxl \($o[.key] | tojson), daxtool \($x[.value] | tojson)")
		  end)] | .[]' >/tmp/diffs 2>&1
	if [ ! -s /tmp/diffs ] && [ "$(jq length "$2")" -gt 0 ]; then
		pass "$1 ($(jq length "$2") objects)"
	else
		fail "$1" "$(head -n 4 /tmp/diffs | tr '\n' ';') $(jq -c length "$2") in cxl list"
	fi
}

cxl list -M | as_array >/tmp/c.json
same_fields "list: memdevs equal cxl list -M" /tmp/c.json '.cxl_memdevs' memdev \
	'{"memdev": "dev", "host": "host", "serial": "serial", "pmem_size": "pmem_size",
	  "ram_size": "ram_size", "numa_node": "numa_node"}'

cxl list -B -T | as_array | jq '[.[] | .dports = [.dports[]?.dport]]' >/tmp/c.json
same_fields "list: root ports equal cxl list -B" /tmp/c.json \
	'[.cxl_ports[] | select(.kind == "root")]' bus '{"bus": "dev", "dports": "dports"}'

cxl list -P -T | as_array | jq '[.[] | .dports = [.dports[]?.dport]]' >/tmp/c.json
same_fields "list: host bridge and switch ports equal cxl list -P" /tmp/c.json \
	'[.cxl_ports[] | select(.kind == "host_bridge" or .kind == "switch")]' port \
	'{"port": "dev", "host": "host", "depth": "depth", "dports": "dports"}'

# an endpoint's parent is the port cxl list -P -E nests it under
cxl list -P -E | as_array | jq '[.[] | .port as $p | to_entries[] |
	select(.key | startswith("endpoints:")) | .value[] | .parent = $p]' >/tmp/c.json
same_fields "list: endpoints equal cxl list -E, parents and memdevs too" /tmp/c.json \
	'[.cxl_ports[] | select(.kind == "endpoint") | .memdev_host = .memdev]' endpoint \
	'{"endpoint": "dev", "host": "memdev_host", "depth": "depth", "parent": "parent"}'

# decoders: cxl groups them by kind; targets by position
cxl list -D -T | jq '[.. | objects | select(has("decoder"))] |
	map(if has("targets") then .targets = (.targets | sort_by(.position) | map(.target))
	    else . end)' >/tmp/c.json
same_fields "list: decoders equal cxl list -D -T" /tmp/c.json '.cxl_decoders' decoder \
	'{"decoder": "dev", "resource": "resource", "size": "size",
	  "interleave_ways": "interleave_ways", "interleave_granularity": "interleave_granularity",
	  "region": "region", "targets": "targets", "dpa_resource": "dpa_resource",
	  "dpa_size": "dpa_size", "mode": "mode", "pmem_capable": "pmem_capable",
	  "volatile_capable": "volatile_capable"}'
# (which endpoint gets which memdev follows probe order: any order)
jq -e '([.cxl_decoders[] | select(.kind == "endpoint") | .memdev] | sort) == ["mem0", "mem1"] and
	([.cxl_decoders[] | select(.kind != "endpoint") | .memdev] | all(. == null))' \
	/tmp/list.json >/dev/null && pass "list: endpoint decoders name their memdevs" ||
	fail "list: decoder memdevs" "$(jq -c '[.cxl_decoders[] | [.dev, .memdev]]' /tmp/list.json)"
# each endpoint decoder's memdev is the one its endpoint port stands for
# (the port's uport link, in sysfs)
bad=
for dec in $(jq -r '.cxl_decoders[] | select(.kind == "endpoint") | .dev' /tmp/list.json); do
	want=$(basename "$(readlink -f "/sys/bus/cxl/devices/$dec/../uport")")
	got=$(jq -r --arg d "$dec" '.cxl_decoders[] | select(.dev == $d) | .memdev' /tmp/list.json)
	[ "$want" = "$got" ] || bad="$bad $dec: sysfs $want, daxtool $got;"
done
[ -z "$bad" ] && pass "list: each endpoint decoder's memdev is its port's (sysfs uport)" ||
	fail "list: endpoint decoder memdevs" "$bad"

cxl list -R -T | as_array | jq 'map(.memdevs = (.mappings | sort_by(.position) | map(.memdev)) |
	.decoders = (.mappings | sort_by(.position) | map(.decoder)))' >/tmp/c.json
same_fields "list: regions equal cxl list -R -T, memdevs in position order" /tmp/c.json \
	'.cxl_regions' region \
	'{"region": "dev", "resource": "resource", "size": "size",
	  "interleave_ways": "interleave_ways", "interleave_granularity": "interleave_granularity",
	  "decode_state": "decode_state", "memdevs": "memdevs", "decoders": "decoders"}'
jq -e '.cxl_regions[0] | .type == "pmem" and .decoder == "decoder0.0" and .dax_region == null' \
	/tmp/list.json >/dev/null && pass "list: the region is pmem in decoder0.0" ||
	fail "list: region type" "$(jq -c '.cxl_regions[0]' /tmp/list.json)"

# --- the NVDIMM side, tied to the CXL region both ways -------------------------
ndctl list -R | as_array | jq -S '[.[] | {dev, size, type, persistence_domain}]' >/tmp/want
jq -S '[.regions[] | {dev, size, type, persistence_domain}]' /tmp/list.json >/tmp/got
cmp -s /tmp/want /tmp/got && pass "list: NVDIMM regions equal ndctl list -R" ||
	fail "list: regions" "$(diff /tmp/want /tmp/got | grep '^[<>]' | tr '\n' ' ')"
nd=$(jq -r '.cxl_regions[0].nd_region' /tmp/list.json)
cxlr=$(jq -r '.cxl_regions[0].dev' /tmp/list.json)
[ $(($(cat /sys/bus/nd/devices/$nd/resource))) = "$(jq '.cxl_regions[0].resource' /tmp/list.json)" ] &&
	pass "list: $cxlr's nd_region $nd starts where it does (sysfs)" ||
	fail "list: nd_region" "$nd at $(cat /sys/bus/nd/devices/$nd/resource 2>&1)"
jq -e --arg nd "$nd" --arg c "$cxlr" '(.regions[] | select(.dev == $nd)) as $r |
	$r.cxl_region == $c and $r.cxl_memdevs == .cxl_regions[0].memdevs' /tmp/list.json >/dev/null &&
	pass "list: $nd names $cxlr and its memdevs back" ||
	fail "list: cxl_region" "$(jq -c '.regions' /tmp/list.json)"
jq -e --arg d "${dev#/dev/}" --arg c "$cxlr" --arg nd "$nd" '
	(.devices[] | select(.dev == $d) | .cxl_region == $c and .region == $nd) and
	(.namespaces[0].region == $nd)' /tmp/list.json >/dev/null &&
	pass "list: ${dev#/dev/} is in $cxlr, through $nd" ||
	fail "list: device" "$(jq -c '.devices' /tmp/list.json)"
daxctl list -D | as_array | jq -S '[.[] | {chardev, size, align, mode}]' >/tmp/want
jq -S '[.devices[] | {chardev, size, align, mode}]' /tmp/list.json >/tmp/got
cmp -s /tmp/want /tmp/got && pass "list: devices equal daxctl list -D" ||
	fail "list: devices" "$(diff /tmp/want /tmp/got | grep '^[<>]' | tr '\n' ' ')"

# --- filters ------------------------------------------------------------------
daxtool list --json --memdev mem1 >/tmp/f.json 2>$err || fail "list --memdev" "$(why)"
ep=$(jq -r '.cxl_memdevs[] | select(.dev == "mem1") | .endpoint' /tmp/list.json)
jq -e --arg ep "$ep" '([.cxl_memdevs[].dev] == ["mem1"]) and
	([.cxl_ports[].dev] | sort) == (["root0", "port1", $ep] | sort) and
	([.cxl_decoders[].port] | unique | sort) == (["root0", "port1", $ep] | sort) and
	(.cxl_regions | length) == 1 and (.regions | length) == 1 and
	(.devices | length) == 1 and (.mounts | length) == 0' /tmp/f.json >/dev/null &&
	pass "list --memdev mem1: mem1, its path from the root, and the region on it" ||
	fail "list --memdev" "$(jq -c '[.cxl_memdevs[].dev, .cxl_ports[].dev, .cxl_decoders[].dev, .cxl_regions[].dev]' /tmp/f.json)"
daxtool list --json --memdev 7 | jq -e '[.cxl_memdevs, .cxl_regions, .regions, .devices] |
	all(length == 0)' >/dev/null && pass "list --memdev 7: nothing" ||
	fail "list --memdev 7" "$(daxtool list --json --memdev 7 | jq -c .)"
daxtool list --json -r "$cxlr" >/tmp/f.json 2>$err
jq -e '(.cxl_regions | length) == 1 and (.cxl_ports | length) == 0 and
	(.cxl_memdevs | length) == 2 and
	([.cxl_decoders[] | select(.region == null) | .dev] == ["decoder0.0"])' /tmp/f.json >/dev/null &&
	pass "list -r $cxlr: the region, its memdevs and decoders" ||
	fail "list -r" "$(jq -c '[.cxl_memdevs[].dev, .cxl_ports[].dev, .cxl_decoders[].dev, .cxl_regions[].dev]' /tmp/f.json)"
daxtool list --json -n namespace0.0 | jq -e '[.cxl_memdevs, .cxl_ports, .cxl_decoders,
	.cxl_regions] | all(length == 0)' >/dev/null &&
	pass "list -n: no CXL objects" || fail "list -n" "CXL objects listed"

# --- text ----------------------------------------------------------------------
daxtool list >/tmp/list.txt 2>$err
for h in "cxl memdevs:" "cxl ports:" "cxl decoders:" "cxl regions:"; do
	grep -q "^$h" /tmp/list.txt || fail "list text" "no '$h' in: $(head -c 300 /tmp/list.txt)"
done
grep -q "^  $nd .* cxl $cxlr on mem[01],mem[01]" /tmp/list.txt &&
	pass "list text: the CXL sections, and $nd on its CXL region" ||
	fail "list text" "$(grep "^  $nd" /tmp/list.txt)"
finish
