# daxtool bench rw on real DAX, beside fio: device-DAX (fio's dev-dax
# engine) and a file on xfs -o dax (fio's libpmem engine), reads and
# writes; both tools succeed and move the same bytes. Bandwidth under
# emulation says nothing about memory: it is not judged.
. /host/guest-lib.sh
err=/tmp/err
why() { tail -n 1 $err; }
S=$((32 * 1048576))

# both NAME ARGS...: run with --fio; daxtool's and fio's bytes agree
both() {
	name=$1; shift
	if ! daxtool bench rw --json --fio --size 32M --loops 1 "$@" >/tmp/rw.json 2>$err; then
		fail "$name" "$(why)"
		return
	fi
	jq -e --argjson s $S '(.jobs[0].read.io_bytes + .jobs[0].write.io_bytes) == $s and
		(.fio.read.io_bytes + .fio.write.io_bytes) == $s' /tmp/rw.json >/dev/null &&
		pass "$name: daxtool and fio ($(jq -r .fio.engine /tmp/rw.json)) each moved 32 MiB" ||
		fail "$name" "$(jq -c '[.jobs[0].read.io_bytes, .jobs[0].write.io_bytes, .fio.read.io_bytes, .fio.write.io_bytes]' /tmp/rw.json)"
}

if dev=$(setup_devdax 2M 2>$err); then
	both "devdax read" --rw read --bs 2m "$dev"
	both "devdax write" --rw write --bs 2m --force "$dev"
	jq -e '.target.kind == "devdax" and .fio.engine == "dev-dax"' /tmp/rw.json >/dev/null &&
		pass "devdax: the target and fio's engine named" || fail "devdax kind" "$(jq -c .target /tmp/rw.json)"
	daxtool bench rw --rw write --bs 2m --size 32M "$dev" >/dev/null 2>$err &&
		fail "devdax write without --force" "it ran" ||
		{ grep -q force $err && pass "devdax: no write without --force" || fail "devdax no force" "$(why)"; }
else
	fail "devdax: setup" "$(why)"
fi

if x=$(setup_fsdax_xfs /mnt/xfs 2>$err); then
	both "xfs-dax read" --rw read --bs 64k /mnt/xfs
	both "xfs-dax write" --rw write --bs 64k /mnt/xfs
	jq -e '.target.kind == "fsdax" and .fio.engine == "libpmem" and .env.is_pmem == true' \
		/tmp/rw.json >/dev/null && pass "xfs-dax: fsdax, fio's libpmem engine, is_pmem" ||
		fail "xfs-dax kind" "$(jq -c '[.target.kind, .fio.engine, .env.is_pmem]' /tmp/rw.json)"
	daxtool bench rw --json --rw write --bs 64k --size 32M --loops 1 --persist map_sync \
		--copy pmem-nt /mnt/xfs >/tmp/ms.json 2>$err &&
		jq -e '.verify_errors == 0 and .jobs[0].write.io_bytes == 33554432' /tmp/ms.json >/dev/null &&
		pass "xfs-dax: MAP_SYNC with libpmem's non-temporal copy, verified" ||
		fail "xfs-dax map_sync" "$(why)"
	[ -z "$(ls /mnt/xfs)" ] && pass "xfs-dax: the files daxtool made are gone" ||
		fail "xfs-dax cleanup" "$(ls /mnt/xfs)"
else
	fail "xfs: setup" "$(why)"
fi
finish
