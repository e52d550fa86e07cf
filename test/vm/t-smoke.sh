# Smoke test of the VM itself: are the DAX devices and mounts that the
# real tests rely on really there?  Run with:  test/vm/run test/vm/t-smoke.sh
. /host/guest-lib.sh

# why: the last thing a failed set-up step said on stderr.
err=/tmp/smoke.err
why() { tail -n 1 "$err" 2>/dev/null; }

# --- device DAX -------------------------------------------------------------
# 4K first as a control, then 2M, which is what stays for later checks
# (it also shows that re-configuring a namespace works).
if dev=$(setup_devdax 4K 2>$err); then
    check devdax-4k-align sh -c "daxctl list -d ${dev#/dev/} | jq -e '.[0].align == 4096'"
else
    fail devdax-4k-setup "$(why)"
fi

if dev=$(setup_devdax 2M 2>$err); then
    if [ "$dev" = /dev/dax0.0 ] && [ -c /dev/dax0.0 ]; then
        pass devdax-2m-setup
    else
        fail devdax-2m-setup "expected character device /dev/dax0.0, got '$dev'"
    fi
    check devdax-2m-align sh -c "daxctl list -d dax0.0 | jq -e '.[0].align == 2097152'"
else
    fail devdax-2m-setup "$(why)"
    skip devdax-2m-align "no device"
fi

# --- filesystem DAX ---------------------------------------------------------
dax_always() { awk -v m="$1" '$2 == m' /proc/mounts | grep -q 'dax=always'; }

if setup_fsdax_xfs /mnt/xfs >/dev/null 2>$err; then
    pass xfs-setup
    check xfs-dax-always dax_always /mnt/xfs

    f=/mnt/xfs/smoke
    if xfs_io -f -c 'pwrite -q -b 2m 0 8m' -c fsync "$f" 2>$err; then
        pass xfs-write
        # One extent line, "0: [0..16383]: ...", for the 8 MiB just written.
        check xfs-fiemap sh -c "xfs_io -c 'fiemap -v' $f | grep -Eq '^ *0: \[0\.\.16383\]:'"
        # STATX_ATTR_DAX (0x200000): the file itself is accessed with DAX.
        attr=$(xfs_io -c 'statx -r' "$f" | awk '$1 == "stat.attributes" { print $3 }')
        if [ -n "$attr" ] && [ $((attr & 0x200000)) -ne 0 ]; then
            pass xfs-file-dax
        else
            fail xfs-file-dax "statx attributes '$attr' lack STATX_ATTR_DAX"
        fi
    else
        fail xfs-write "$(why)"
    fi
else
    fail xfs-setup "$(why)"
fi

if setup_fsdax_ext4 /mnt/ext4 >/dev/null 2>$err; then
    pass ext4-setup
    check ext4-dax-always dax_always /mnt/ext4
else
    fail ext4-setup "$(why)"
fi

# --- daxtool ------------------------------------------------------------------
if [ -x /usr/local/bin/daxtool ]; then
    check daxtool-version daxtool --version
else
    skip daxtool-version "no daxtool binary in the VM (build it first)"
fi

finish
