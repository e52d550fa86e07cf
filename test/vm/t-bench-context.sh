# The fingerprint of real DAX targets, against ndctl and daxctl: a
# device-DAX device and a file on xfs -o dax name their device, namespace,
# region, mode and alignment; runs on one target agree, runs on another
# (the namespace reconfigured, another filesystem) do not.
. /host/guest-lib.sh
err=/tmp/err
why() { tail -n 1 $err; }

dev=$(setup_devdax 2M 2>$err) || fail "devdax 2M: setup" "$(why)"
if [ -n "$dev" ]; then
	ns=$(ndctl list -N -r 0 | jq -r '.[0].dev')
	vm_run daxtool bench fault -p 2m --json --size 16M "$dev" >/tmp/a.json 2>$err &&
	vm_run daxtool bench rw --json --size 16M --loops 1 --no-limit "$dev" >/tmp/b.json 2>$err ||
		fail "devdax: bench" "$(why)"
	jqok "devdax: the fingerprint is dax0.0's, as ndctl names it ($ns)" \
		'.target.fingerprint | .kind == "devdax" and .dev == "dax0.0" and
		 .namespace == "'"$ns"'" and .region == "region0" and .mode == "devdax" and
		 .align == 2097152 and .fs == null and .mount_options == null and
		 (.dev_size | type) == "number"' /tmp/a.json .target.fingerprint
	[ "$(jq -r .target.fingerprint.hash /tmp/a.json)" = "$(jq -r .target.fingerprint.hash /tmp/b.json)" ] &&
		pass "devdax: fault and rw on dax0.0: one fingerprint" ||
		fail "devdax: fingerprints" "$(jq -c .target.fingerprint /tmp/a.json /tmp/b.json)"
	jqok "devdax: context: the command line" \
		'.context.argv[1:] == ["bench", "fault", "-p", "2m", "--json", "--size", "16M", "'"$dev"'"]' \
		/tmp/a.json .context
fi
# the same device aligned 4K: another target
dev=$(setup_devdax 4K 2>$err) || fail "devdax 4K: setup" "$(why)"
if [ -n "$dev" ]; then
	vm_run daxtool bench fault --json --size 16M "$dev" >/tmp/c.json 2>$err ||
		fail "devdax 4K: bench" "$(why)"
	jqok "devdax aligned 4K: align 4096 in the fingerprint" \
		'.target.fingerprint.align == 4096' /tmp/c.json .target.fingerprint
	[ -s /tmp/a.json ] && [ "$(jq -r .target.fingerprint.hash /tmp/a.json)" != "$(jq -r .target.fingerprint.hash /tmp/c.json)" ] &&
		pass "devdax aligned 2M and 4K: different fingerprints" ||
		fail "devdax 2M vs 4K" "same fingerprint"
fi

if setup_fsdax_xfs /mnt/xfs >/dev/null 2>$err; then
	ns=$(ndctl list -N | jq -r '.[] | select(.mode == "fsdax") | .dev' | head -n 1)
	blk=$(ndctl list -N | jq -r '.[] | select(.mode == "fsdax") | .blockdev' | head -n 1)
	vm_run daxtool bench fault --json --size 16M /mnt/xfs >/tmp/x1.json 2>$err &&
	vm_run daxtool bench fault --json --size 8M /mnt/xfs >/tmp/x2.json 2>$err ||
		fail "xfs: bench" "$(why)"
	jqok "xfs -o dax: the fingerprint names $blk, $ns, xfs and dax=always" \
		'.target.fingerprint | .kind == "fsdax" and .dev == "'"$blk"'" and
		 .namespace == "'"$ns"'" and .mode == "fsdax" and .fs == "xfs" and
		 (.mount_options | test("(^|,)dax=always(,|$)")) and .align == 2097152' \
		/tmp/x1.json .target.fingerprint
	[ "$(jq -r .target.fingerprint.hash /tmp/x1.json)" = "$(jq -r .target.fingerprint.hash /tmp/x2.json)" ] &&
		pass "xfs: two created files, two sizes: one fingerprint" ||
		fail "xfs: fingerprints" "$(jq -c .target.fingerprint /tmp/x1.json /tmp/x2.json)"
else
	fail "xfs: setup" "$(why)"
fi
if setup_fsdax_ext4 /mnt/ext4 >/dev/null 2>$err; then
	vm_run daxtool bench fault --json --size 16M /mnt/ext4 >/tmp/e.json 2>$err ||
		fail "ext4: bench" "$(why)"
	jqok "ext4 -o dax: fs ext4 in the fingerprint" '.target.fingerprint.fs == "ext4"' \
		/tmp/e.json .target.fingerprint
	[ -s /tmp/x1.json ] && [ "$(jq -r .target.fingerprint.hash /tmp/x1.json)" != "$(jq -r .target.fingerprint.hash /tmp/e.json)" ] &&
		pass "xfs and ext4: different fingerprints" || fail "xfs vs ext4" "same fingerprint"
else
	fail "ext4: setup" "$(why)"
fi
finish
