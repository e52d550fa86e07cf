# daxtool check predicts, the kernel decides: for each file, every 2 MiB
# window's prediction is compared with what a probe measures (a second
# touch in a PMD-mapped window takes no fault), and with the kernel's own
# count of PMD fallbacks (the fs_dax:dax_pmd_fault_done tracepoint).
. /host/guest-lib.sh
err=/tmp/err
why() { tail -n 1 $err; }
vm_trace_init
agree() { vm_check_agrees "$@"; }

files() {
	fs=$1 d=$2
	xfs_io -f -c 'falloc 0 16m' $d/falloc-w
	agree "$fs$3 fallocated, write" $d/falloc-w write
	xfs_io -f -c 'falloc 0 8m' $d/falloc-r
	agree "$fs$3 fallocated, read (huge zero page)" $d/falloc-r read
	xfs_io -f -c "falloc 0 $((5 * 1048576 + 4096))" $d/odd
	agree "$fs$3 size not a multiple of 2 MiB" $d/odd write
	vm_interleave $d/frag-a $d/frag-b $((8 * 1048576))
	agree "$fs$3 fragmented by interleaved writes" $d/frag-a write
	truncate -s 8M $d/sparse
	agree "$fs$3 sparse, read (huge zero page)" $d/sparse read
}

# reformat FS DEV MNT MKFS...: the same namespace, new filesystem
reformat() {
	fs=$1 dev=$2 mnt=$3; shift 3
	umount $mnt && "$@" $dev >/dev/null 2>$err && mount -t $fs -o dax $dev $mnt 2>>$err &&
		grep -q " $mnt .*dax=always" /proc/mounts
}

[ $vm_have_trace = yes ] || skip "tracepoint counts" "no fs_dax:dax_pmd_fault_done event in this kernel"

if x=$(setup_fsdax_xfs /mnt/xfs 2>$err); then
	files xfs /mnt/xfs " (su=2m)"
	truncate -s 8M /mnt/xfs/sparse-w
	agree "xfs (su=2m) sparse, written" /mnt/xfs/sparse-w write
	if reformat xfs $x /mnt/xfs mkfs.xfs -f -q -m reflink=0; then
		files xfs /mnt/xfs " (no stripe unit)"
	else
		fail "xfs without stripe unit: setup" "$(why)"
	fi
else
	fail "xfs: setup" "$(why)"
fi

if e=$(setup_fsdax_ext4 /mnt/ext4 2>$err); then
	files ext4 /mnt/ext4 " (stride 512)"
	if reformat ext4 $e /mnt/ext4 mkfs.ext4 -F -q -b 4096; then
		files ext4 /mnt/ext4 " (no stride)"
	else
		fail "ext4 without stride: setup" "$(why)"
	fi
else
	fail "ext4: setup" "$(why)"
fi

# device-DAX: 2M alignment gets PMDs, 4K does not
for a in 2M 4K; do
	if dev=$(setup_devdax $a 2>$err); then
		size=$(daxtool map --json $dev | jq '.[0].size')
		daxtool check --json --verbose $dev >/tmp/check.json; rc=$?
		jq -r '.[0].windows[] | "\(.offset) \(if .status == "pte" then "pte" else "pmd" end)"' \
			/tmp/check.json | head -n 16 >/tmp/want
		$VM_PROBE -s $size $dev $(cut -d' ' -f1 /tmp/want) | awk '{ print $1, ($4 == 0 ? "pmd" : "pte") }' >/tmp/got
		want=pmd; [ $a = 4K ] && want=pte
		if cmp -s /tmp/want /tmp/got && [ "$(cut -d' ' -f2 /tmp/got | sort -u)" = $want ]; then
			pass "devdax $a: predicted $want, measured $want"
		else
			fail "devdax $a" "$(diff /tmp/want /tmp/got | head -n 4 | tr '\n' ' ')"
		fi
		[ $a = 4K ] && jq -e '.[0].summary.reasons.device_align > 0' /tmp/check.json >/dev/null &&
			pass "devdax 4K: the reason is device_align" ||
			{ [ $a = 4K ] && fail "devdax 4K reason" "$(jq -c .[0].summary.reasons /tmp/check.json)"; }
	else
		fail "devdax $a: setup" "$(why)"
	fi
done
finish
