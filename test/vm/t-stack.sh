# Files on layouts that put one filesystem on two namespaces (region1
# split in two, see setup_fsdax_pair): realtime xfs, dm-linear, dm-stripe
# with 2 MiB and 64 KiB chunks.  For each file: every physical address
# daxtool map gives is the kernel's (/proc/self/pagemap through dtprobe),
# and daxtool check's prediction is what the kernel did, window by window
# (the probe's second touch, and the fs_dax tracepoint).  Diagnostics (the
# namespaces' physical ranges, the dm table, fiemap, the probe tagged with
# the namespace of each page) go to stderr.
. /host/guest-lib.sh
probe=/host/dtprobe
err=/tmp/err
why() { tail -n 1 $err; }
M=1048576
# offsets probed in each test file (8 MiB): 64 KiB steps, then 1 MiB steps
OFFS="0 65536 131072 196608 $M $((2 * M)) $((3 * M)) $((4 * M)) $((5 * M)) $((6 * M)) $((7 * M))"

# The kernel's verdict per PMD fault: the fs_dax:dax_pmd_fault_done event,
# on from boot (see run); read as in t-check.sh, from CPU 0 only.
vm_trace_init
T=$VM_TRACE
have_trace=$vm_have_trace nmark=0

say() { echo "$*" >&2; }
t0=$(date +%s)
# show TITLE CMD...: CMD's output and errors under a title, on stderr
show() {
	say "--- $1"; shift
	"$@" >&2 2>&1 || say "(exit $?)"
}

# namespaces: "NAMESPACE RESOURCE SIZE BLOCKDEV DATA_START DATA_END" for
# the fsdax namespaces of region1; DATA_* is the range of the block
# device's sectors (the pfn device: the namespace less its info block and
# struct pages).  Hex for reading, and kept in /tmp/ns.tab, decimal, for
# ns_of.
namespaces() {
	_vm_fsdax_namespaces region1 | while read -r ns size res bdev; do
		pfn=$(cat /sys/bus/nd/devices/$ns/holder)
		ds=$(printf %d "$(cat /sys/bus/nd/devices/$pfn/resource)")
		dz=$(cat /sys/bus/nd/devices/$pfn/size)
		echo "$ns $ds $((ds + dz)) $bdev"
		printf '%s resource 0x%x size %d blockdev %s data 0x%x-0x%x (%s)\n' \
			$ns $res $size $bdev $ds $((ds + dz)) $pfn >&2
	done >/tmp/ns.tab
}

# probe FILE: dtprobe at $OFFS, each line with the namespace its physical
# address is in; kept in /tmp/probe.ns
probe() {
	: >/tmp/probe.ns
	if [ ! -x $probe ]; then say "(no $probe: pass it to test/vm/run)"; return 1; fi
	size=$(stat -c %s "$1")
	offs=$(for o in $OFFS; do [ $o -lt $size ] && echo $o; done)
	nmark=$((nmark + 1)); mark="daxtool-stack-$nmark-"
	[ $have_trace = yes ] && taskset 1 sh -c "echo $mark >$T/trace_marker"
	taskset 1 $probe "$1" $offs >/tmp/probe 2>$err || { say "dtprobe: $(why)"; return 1; }
	gawk 'NR == FNR { lo[$1] = $2; hi[$1] = $3; next }
		{ ns = "-"; for (n in lo) if ($2 >= lo[n] && $2 < hi[n]) ns = n
		  printf "%s %s 0x%x %s %s %s\n", $1, $2, $2, $3, $4, ns }' \
		/tmp/ns.tab /tmp/probe >/tmp/probe.ns
	cat /tmp/probe.ns >&2
	if [ $have_trace = yes ]; then
		say "--- fs_dax:dax_pmd_fault_done during the probe (pgoff result)"
		sed -n "/$mark/,\$p" $T/per_cpu/cpu0/trace | gawk '/dax_pmd_fault_done/ {
			match($0, /pgoff 0x[0-9a-f]+/); print substr($0, RSTART + 6, RLENGTH - 6), $NF }' >&2
	fi
}

# diag FILE: all the diagnostics for FILE
diag() {
	show "daxtool map -u $1" daxtool map -u "$1"
	show "daxtool check $1" daxtool check "$1"
	show "xfs_io -c 'fiemap -v' $1" xfs_io -r -c 'fiemap -v' "$1"
	say "--- dtprobe $1 (offset phys phys-hex faults-first faults-second namespace)"
	probe "$1"
	say "--- daxtool map $1 --json"
	if daxtool map "$1" --json >/tmp/map.json 2>$err; then
		jq -c '.[]' /tmp/map.json >&2 || cat /tmp/map.json >&2
	else
		say "(daxtool map failed: $(why))"
		cat /tmp/map.json >&2
	fi
}

# layout NAME: what the whole stack is
layout() {
	say "=== $1"
	show "ndctl list -N" ndctl list -N
	say "--- region1 fsdax namespaces, physical"
	namespaces
	show "dmsetup table" dmsetup table
	for q in /sys/block/dm-*/queue; do
		[ -d $q ] && say "$q: max_sectors_kb $(cat $q/max_sectors_kb)" \
			"minimum_io_size $(cat $q/minimum_io_size) optimal_io_size $(cat $q/optimal_io_size)"
	done
	say "(at $(($(date +%s) - t0)) s)"
}

# on_both NAME: the probed pages are on both namespaces: the layout under
# test is really there
on_both() {
	n=$(awk '$6 != "-" { print $6 }' /tmp/probe.ns | sort -u | wc -l)
	if [ "$n" = 2 ]; then
		pass "$1: pages on both namespaces (pagemap)"
	else
		fail "$1: pages on both namespaces" "pagemap puts them on: $(awk '{ print $6 }' /tmp/probe.ns | sort -u | tr '\n' ' ')"
	fi
}

# only_on NAME NAMESPACE: all probed pages are on NAMESPACE
only_on() {
	if [ -s /tmp/probe.ns ] && [ "$(awk '{ print $6 }' /tmp/probe.ns | sort -u)" = "$2" ]; then
		pass "$1: pages on $2 (pagemap)"
	else
		fail "$1: pages on $2" "pagemap puts them on: $(awk '{ print $6 }' /tmp/probe.ns | sort -u | tr '\n' ' ')"
	fi
}

# is_dax NAME FILE
is_dax() {
	if vm_file_is_dax "$2"; then pass "$1: file is DAX (statx)"
	else fail "$1: file is DAX" "statx attributes $(xfs_io -r -c 'statx -r' "$2" | awk '$1 == "stat.attributes" { print $3 }')"; fi
}

# verify NAME FILE: check's prediction = the kernel's, window by window
# (first: the probe's own touches would leave entries in the file's
# mapping), then map's physical addresses = pagemap's; map's JSON is left
# in /tmp/m.json
verify() {
	vm_check_agrees "$1: check" "$2" write
	cp /tmp/check.json /tmp/c.json
	daxtool map --json "$2" >/tmp/m.json 2>$err || { fail "$1: map" "$(why)"; return; }
	size=$(stat -c %s "$2")
	vm_probe_phys "$1: map's physical addresses = pagemap" /tmp/m.json "$2" \
		$(for o in $OFFS; do [ $o -lt $size ] && echo $o; done)
	jq -e '(.[0].caveats | length) == 0' /tmp/m.json >/dev/null &&
		pass "$1: map has no caveat: every layer translates" ||
		fail "$1: map caveats" "$(jq -c '.[0].caveats' /tmp/m.json)"
}

# --- realtime xfs -------------------------------------------------------------
mnt=/mnt/rt
if devs=$(setup_rt_xfs $mnt 2>$err); then
	set -- $devs
	pass "rt: xfs with data on $1, realtime on $2, mounted with DAX"
	layout "realtime xfs: data $1, rt $2"
	rtext=$(xfs_io -c statfs $mnt | awk '$1 == "geom.bsize" { b = $3 } $1 == "geom.rtextsize" { r = $3 }
		END { print r * b }')
	show "xfs_io -c statfs $mnt (rt)" sh -c "xfs_io -c statfs $mnt | grep -E 'geom.(bsize|rt)'"
	[ "$rtext" = $((2 * M)) ] && pass "rt: realtime extent size 2 MiB" ||
		fail "rt: realtime extent size" "$rtext bytes, not 2 MiB"
	f=$mnt/rtfile
	if xfs_io -f -c 'chattr +r' -c 'falloc 0 8m' -c 'pwrite -q -S 0x5a 0 8m' -c fsync $f 2>$err &&
		xfs_io -r -c stat $f | grep -q '^fsxattr.xflags = .*\[r'; then
		pass "rt: realtime file written"
		is_dax rt $f
		verify "rt file" $f
		jq -e --arg d "${2#/dev/}" '.[0].backing.realtime == true and .[0].backing.dev == $d and
			([.[0].extents[] | select(.type != "hole") | .dev == $d and .phys_dev == $d] | all)' \
			/tmp/m.json >/dev/null && pass "rt file: map: backing and every extent on ${2#/dev/}" ||
			fail "rt file: map devices" "$(jq -c '.[0] | [.backing, [.extents[] | [.dev, .phys_dev]]]' /tmp/m.json)"
		jq -e '.[0].allocation.aligned == true and (.[0].allocation.hint | test("realtime extent size 2048K"))
			and .[0].dax.realtime == true and .[0].summary.pte == 0' /tmp/c.json >/dev/null &&
			pass "rt file: check aligns to the realtime extent size, every window PMD" ||
			fail "rt file: check" "$(jq -c '.[0] | [.allocation, .dax.realtime, .summary.reasons]' /tmp/c.json)"
		diag $f
		only_on "rt file" "$(awk -v d="$2" '$4 == d { print $1 }' /tmp/ns.tab)"
	else
		fail "rt: realtime file" "$(why)$(xfs_io -r -c stat $f | grep xflags)"
	fi
	# an ordinary file, on the data device, for comparison
	f=$mnt/datafile
	if xfs_io -f -c 'pwrite -q -S 0x5a 0 4m' -c fsync $f 2>$err; then
		verify "rt fs, ordinary file" $f
		jq -e --arg d "${1#/dev/}" '.[0].backing.realtime == false and .[0].backing.dev == $d' \
			/tmp/m.json >/dev/null && pass "rt fs, ordinary file: map: on the data device ${1#/dev/}" ||
			fail "rt fs, ordinary file: backing" "$(jq -c '.[0].backing' /tmp/m.json)"
		diag $f
		only_on "rt fs, ordinary file" "$(awk -v d="$1" '$4 == d { print $1 }' /tmp/ns.tab)"
	fi
else
	fail "rt: set-up" "$(why)"
fi
teardown_stack $mnt 2>$err || fail "rt: teardown" "$(why)"

# --- dm-linear ------------------------------------------------------------------
# The first namespace ends at sector S1 of the dm device.  To get a small
# file across it: fill the filesystem with one preallocated file, punch
# 5 MiB of it just below S1 and 5 MiB just above (whatever filler space is
# nearest, as metadata or the log may sit right at S1), then preallocate
# the 8 MiB test file, which can only go there.

# punch_around FILE B W: free W bytes of FILE's space just below and just
# above device byte B
punch_around() {
	xfs_io -r -c fiemap "$1" | gawk -v B=$2 '/^[ \t]*[0-9]+:/ && !/hole/ {
		gsub(/[\[\]:]/, " "); gsub(/\.\./, " ")
		fo = $2 * 512; d = $4 * 512; n = ($3 - $2 + 1) * 512
		if (d < B) print "lo", d, fo, (d + n > B ? B - d : n)
		if (d + n > B) { s = (d < B ? B - d : 0); print "hi", d + s, fo + s, n - s }
	}' >/tmp/pieces
	{ grep '^lo' /tmp/pieces | sort -k2,2nr | gawk -v W=$3 '{
		t = (W - got < $4) ? W - got : $4
		printf " -c \"fpunch %d %d\"", $3 + $4 - t, t; got += t; if (got >= W) exit }'
	  grep '^hi' /tmp/pieces | sort -k2,2n | gawk -v W=$3 '{
		t = (W - got < $4) ? W - got : $4
		printf " -c \"fpunch %d %d\"", $3, t; got += t; if (got >= W) exit }'
	} >/tmp/punch
	[ -s /tmp/punch ] || { echo "no space of $1 around byte $2" >&2; return 1; }
	say "punch around $2 in $1:$(cat /tmp/punch)"
	eval xfs_io $(cat /tmp/punch) "$1"
}

# fill FILE: preallocate free space to FILE until none is left.  XFS
# refuses a too large fallocate as a whole, so halve the size then.  First
# empty the reserve pool (some 32 MiB of free space that statfs leaves out
# and that would stay free otherwise).
fill() {
	xfs_io -x -c 'resblks 0' "$(dirname "$1")" >&2
	off=0
	sz=$(stat -f -c '%a %S' "$(dirname "$1")" | awk '{ printf "%.0f\n", $1 * $2 }')
	while [ "$sz" -ge 65536 ]; do
		if xfs_io -f -c "falloc $off $sz" "$1" 2>/dev/null; then
			off=$((off + sz))
		else
			sz=$((sz / 2 / 4096 * 4096))
		fi
	done
	say "filler $1: $off bytes, $(stat -f -c %a "$(dirname "$1")") blocks left"
}

mnt=/mnt/linear
# su=2m: files start 2 MiB-aligned on the dm device where there is room;
# the first segment 1 MiB short of the first namespace, so that the
# segment end falls inside a 2 MiB window
if pair=$(setup_fsdax_pair 2>$err) && s1=$(($(_vm_sectors ${pair% *}) - 2048)) &&
	devs=$(setup_dm_linear $mnt -s $s1 -d su=2m,sw=1 2>$err); then
	set -- $devs
	pass "linear: xfs on $1 = $2 + $3, mounted with DAX"
	layout "dm-linear $1 = $2 then $3"
	# first a file on the fresh filesystem, aligned, in the first namespace
	f=$mnt/aligned
	if xfs_io -f -c 'falloc 0 4m' -c 'pwrite -q -S 0x5a 0 4m' -c fsync $f 2>$err; then
		verify "linear, aligned file" $f
		diag $f
	else
		fail "linear: aligned file" "$(why)"
	fi
	b=$(($(dmsetup table vm-linear | awk 'NR == 2 { print $1 }') * 512))
	fill $mnt/filler
	f=$mnt/straddle
	# 5 MiB each side: writing into the 8 MiB needs some space to spare
	if punch_around $mnt/filler $b $((5 * M)) 2>$err &&
		xfs_io -f -c 'falloc 0 8m' -c 'pwrite -q -S 0x5a 0 8m' -c fsync $f 2>$err; then
		pass "linear: 8 MiB file written after a filler"
		is_dax linear $f
		say "(boundary: byte $b of $1, sector $((b / 512)))"
		verify "linear file across the boundary" $f
		jq -e --arg a "${2#/dev/}" --arg b "${3#/dev/}" \
			'[.[0].extents[] | .phys_dev] | index($a) != null and index($b) != null' \
			/tmp/m.json >/dev/null &&
			pass "linear file: map puts its extents on ${2#/dev/} and ${3#/dev/}" ||
			fail "linear file: map devices" "$(jq -c '[.[0].extents[] | [.offset, .phys_dev, .flags]]' /tmp/m.json)"
		jqok "linear file: the window across the segment end falls back for device_boundary" \
			'[.[0].windows[] | select(.status == "pte") | .reasons[]] | index("device_boundary") != null' \
			/tmp/c.json '[.[0].windows[] | select(.status == "pte")]'
		diag $f
		on_both "linear file"
	else
		fail "linear: file across the boundary" "$(why)"
	fi
else
	fail "linear: set-up" "$(why)"
fi
teardown_stack $mnt 2>$err || fail "linear: teardown" "$(why)"

# --- dm-stripe ------------------------------------------------------------------
for chunk in 4096 128; do
	name="stripe $((chunk / 2))K"
	[ $((chunk % 2048)) = 0 ] && name="stripe $((chunk / 2048))M"
	mnt=/mnt/stripe
	if devs=$(setup_dm_stripe $mnt $chunk 2>$err); then
		set -- $devs
		pass "$name: xfs on $1 = $2 and $3 in $chunk-sector chunks, mounted with DAX"
		layout "dm-stripe $1 over $2 $3, chunk $chunk sectors"
		show "xfs_io -c statfs $mnt (stripe)" sh -c "xfs_io -c statfs $mnt | grep -E 'geom.(bsize|sunit|swidth)'"
		f=$mnt/striped
		if xfs_io -f -c 'falloc 0 8m' -c 'pwrite -q -S 0x5a 0 8m' -c fsync $f 2>$err; then
			pass "$name: 8 MiB file written"
			is_dax "$name" $f
			verify "$name file" $f
			diag $f
			on_both "$name file"
			kb=$(cat /sys/block/${1#/dev/}/queue/max_sectors_kb)
			if [ $chunk = 128 ]; then
				jqok "$name: check names the chunk boundaries" \
					'.[0].summary.reasons.device_boundary == .[0].summary.windows' /tmp/c.json \
					'.[0].summary.reasons'
			elif [ "$kb" -lt 2048 ]; then
				jqok "$name: check says dm caps one access at max_sectors_kb $kb" \
					'.[0].summary.reasons.device_max_io == .[0].summary.windows and
					 (.[0].advice | any(test("max_sectors_kb")))' /tmp/c.json '.[0] | [.summary.reasons, .advice]'
				# as advised: raise the cap, and a new file gets PMDs
				# (the first file's 4 KiB entries stay in its mapping)
				if echo 2048 >/sys/block/${1#/dev/}/queue/max_sectors_kb 2>$err; then
					f=$mnt/striped-2
					xfs_io -f -c 'falloc 0 8m' -c 'pwrite -q -S 0x5a 0 8m' -c fsync $f 2>$err
					verify "$name, max_sectors_kb 2048" $f
					jqok "$name, max_sectors_kb 2048: every window PMD" \
						'.[0].summary.pte == 0' /tmp/c.json '.[0].summary'
				else
					fail "$name: raise max_sectors_kb" "$(why)"
				fi
			fi
		else
			fail "$name: file" "$(why)"
		fi
	else
		fail "$name: set-up" "$(why)"
	fi
	teardown_stack $mnt 2>$err || fail "$name: teardown" "$(why)"
done
finish
