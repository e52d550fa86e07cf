# daxtool list and daxtool map on real DAX: device-DAX and files on
# xfs and ext4 mounted -o dax, against ndctl, daxctl, xfs_io and the
# kernel's own page tables (/proc/self/pagemap through dtprobe).
. /host/guest-lib.sh
. /host/oracles.sh
DAXTOOL=daxtool
probe=/host/dtprobe
err=/tmp/err
why() { tail -n 1 $err; }
M=1048576

# as_array: ndctl prints an object for one result, an array for several
as_array() { jq 'if type == "array" then . else [.] end'; }

# same NAME A B
same() {
	if cmp -s "$2" "$3"; then pass "$1"
	else fail "$1" "$(diff "$2" "$3" | head -n 6 | tr '\n' '|')"; fi
}

probe_phys() { vm_probe_phys "$@"; }

# --- device DAX, aligned 4K and 2M ------------------------------------------
for a in 4K 2M; do
	dev=$(setup_devdax $a 2>$err) || { fail "devdax $a: setup" "$(why)"; continue; }
	n=${dev#/dev/}
	if [ $a = 4K ]; then bytes=4096; else bytes=2097152; fi
	daxtool map --json "$dev" >/tmp/map.json 2>$err ||
		{ fail "devdax $a: map" "$(why)"; continue; }
	daxctl list -d "$n" -M | as_array |
		jq -r '.[0].mappings[] | "\(.page_offset * 4096) \(.size) \(.start)"' >/tmp/want
	jq -r '.[0].extents[] | "\(.offset) \(.length) \(.phys)"' /tmp/map.json >/tmp/got
	same "devdax $a: map ranges equal daxctl's mappings" /tmp/want /tmp/got
	jq -e --argjson b $bytes '.[0].source == "devdax" and .[0].backing.align == $b and
		.[0].backing.mode == "devdax" and .[0].backing.namespace == "namespace0.0"' \
		/tmp/map.json >/dev/null &&
		pass "devdax $a: source, alignment $bytes and namespace shown" ||
		fail "devdax $a: backing" "$(jq -c '.[0].backing' /tmp/map.json)"
	daxtool map -u "$dev" | grep -q "align $a)" &&
		pass "devdax $a: text shows align $a" || fail "devdax $a: text" "no 'align $a'"
	size=$(jq '.[0].size' /tmp/map.json)
	probe_phys "devdax $a: pagemap physical addresses equal map's" /tmp/map.json \
		"$dev" -s "$size" 0 $((7 * 4096)) $((size / 2)) $((size - 2 * M))

	# list against ndctl and daxctl
	daxtool list --json >/tmp/list.json 2>$err || fail "list" "$(why)"
	daxctl list -D | as_array | jq -S '[.[] | {chardev, size, align, mode,
		numa_node: .target_node}] | sort_by(.chardev)' >/tmp/want
	jq -S '[.devices[] | {chardev, size, align, mode, numa_node}] | sort_by(.chardev)' \
		/tmp/list.json >/tmp/got
	same "devdax $a: list devices equal daxctl list -D" /tmp/want /tmp/got
	daxctl list -D -M | as_array | jq -S '[.[] | {chardev, m: [.mappings[] |
		{offset: (.page_offset * 4096), start, size}]}]' >/tmp/want
	jq -S '[.devices[] | {chardev, m: [.mappings[] | {offset, start, size}]}]' \
		/tmp/list.json >/tmp/got
	same "devdax $a: list mappings equal daxctl list -M" /tmp/want /tmp/got
done

# --- filesystem DAX -----------------------------------------------------------
x=$(setup_fsdax_xfs /mnt/xfs 2>$err) || fail "xfs: setup" "$(why)"
e=$(setup_fsdax_ext4 /mnt/ext4 2>$err) || fail "ext4: setup" "$(why)"

daxtool list --json >/tmp/list.json 2>$err || fail "list" "$(why)"
# the keys of every object (region0 still has the devdax device made
# above) are doc/json.md's
sh /host/doc-keys.sh --check list /tmp/list.json /host/json.md
ndctl list -R | as_array | jq -S '[.[] | {dev, size, align, type,
	persistence_domain}] | sort_by(.dev)' >/tmp/want
jq -S '[.regions[] | {dev, size, align, type, persistence_domain}] | sort_by(.dev)' \
	/tmp/list.json >/tmp/got
same "list: regions equal ndctl list -R" /tmp/want /tmp/got
ndctl list -N | as_array | jq -S '[.[] | {dev, mode, size, align,
	blockdev: (.blockdev // null), chardev: (.chardev // null)}] | sort_by(.dev)' >/tmp/want
jq -S '[.namespaces[] | {dev, mode, size, align, blockdev, chardev}] | sort_by(.dev)' \
	/tmp/list.json >/tmp/got
same "list: namespaces equal ndctl list -N" /tmp/want /tmp/got
jq -e '[.mounts[] | select(.path == "/mnt/xfs" or .path == "/mnt/ext4") | .dax] ==
	["always", "always"]' /tmp/list.json >/dev/null &&
	pass "list: both DAX mounts with dax=always" ||
	fail "list: mounts" "$(jq -c .mounts /tmp/list.json)"
jq -e '[.namespaces[] | .enabled] | all' /tmp/list.json >/dev/null &&
	pass "list: namespaces in use are enabled" || fail "list: enabled" "$(jq -c '[.namespaces[] | .enabled]' /tmp/list.json)"
daxtool list --json -r 1 -m fsdax | jq -e '(.namespaces | length) == 2 and
	(.devices | length) == 0 and ([.namespaces[].mode] | unique) == ["fsdax"]' >/dev/null &&
	pass "list: filters by region and mode" || fail "list: filters" "$(daxtool list --json -r 1 -m fsdax | jq -c .)"

for fs in xfs ext4; do
	d=/mnt/$fs
	[ -d "$d" ] && grep -q " $d .*dax=always" /proc/mounts || { skip "$fs files" "no DAX mount"; continue; }
	ns=$(jq -r --arg b "$(basename "$(grep " $d " /proc/mounts | cut -d' ' -f1)")" \
		'.namespaces[] | select(.blockdev == $b) | .dev' /tmp/list.json)

	# fallocated, sparse, and two files written in turns (fragmented)
	xfs_io -f -c 'falloc 0 8m' -c 'pwrite -q -S 0x5a 3m 64k' -c fsync $d/falloc
	truncate -s 16M $d/sparse
	xfs_io -c 'pwrite -q -S 0x5a 2m 2m' -c 'pwrite -q -S 0x5a 9m 100k' -c fsync $d/sparse
	i=0; while [ $i -lt 12 ]; do
		for file in frag-a frag-b; do
			xfs_io -f -c "pwrite -q -S 0x5a $((i * 65536)) 64k" -c fsync $d/$file
		done
		i=$((i + 1))
	done
	for file in falloc sparse frag-a; do
		dt_extents $d/$file >/tmp/dt.all
		xfsio_extents $d/$file >/tmp/xi
		same "$fs $file: extents and holes equal xfs_io fiemap" /tmp/xi /tmp/dt.all
		daxtool map --json $d/$file >/tmp/$file.json
	done
	n=$(jq '.[0].summary.extents' /tmp/frag-a.json)
	[ "$n" -gt 1 ] && pass "$fs frag-a: fragmented into $n extents" ||
		fail "$fs frag-a" "only $n extent: the test file is not fragmented"
	jq -e --arg ns "$ns" '.[0].backing.namespace == $ns and .[0].backing.mode == "fsdax"
		and (.[0].caveats | length) == 0' /tmp/sparse.json >/dev/null &&
		pass "$fs: backing is $ns in fsdax mode, no caveats" ||
		fail "$fs: backing" "$(jq -c '.[0] | [.backing, .caveats]' /tmp/sparse.json)"

	# the kernel's physical addresses: written data, read
	probe_phys "$fs sparse: pagemap equals map's physical addresses" /tmp/sparse.json \
		$d/sparse $((2 * M)) $((2 * M + 12288)) $((3 * M + 4096)) $((9 * M + 8192))
	offs=$(jq -r '.[0].extents[] | select(.type == "mapped") | .offset + 4096' /tmp/frag-a.json | head -n 6)
	probe_phys "$fs frag-a: pagemap equals map's in several extents" /tmp/frag-a.json \
		$d/frag-a $offs
	# unwritten extents, written through the mapping: still where map said
	probe_phys "$fs falloc: a write to unwritten space lands at map's address" \
		/tmp/falloc.json -w $d/falloc 0 $((5 * M)) $((7 * M + 4096))
done
finish
