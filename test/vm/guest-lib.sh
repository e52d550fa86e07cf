# Functions for guest test scripts; source it first:  . /host/guest-lib.sh
#
# Result lines on stdout, one per check:
#   PASS name
#   FAIL name: why
#   SKIP name: reason
# Anything else a test prints should go to stderr.  End the script with
# "finish" so that its exit status is 1 if any check failed.
#
# The VM has two emulated NVDIMMs, one region each.  By convention region0
# is for device DAX and region1 for filesystem DAX (fsdax namespaces, which
# get labels so that there can be several).  Set-up functions print what
# they made on stdout, explain failures on stderr and return non-zero; they
# never wait without a bound.

_vm_failed=0

# One result per line, so fold any newlines in a reason.
_vm_line() { echo "$1" | tr '\n' ' ' | sed 's/ *$//'; }

pass() { echo "PASS $1"; }
skip() { echo "SKIP $1: $(_vm_line "$2")"; }
fail() {
    echo "FAIL $1: $(_vm_line "$2")"
    _vm_failed=1
}

# check NAME CMD [ARG...]: PASS if CMD succeeds, else FAIL with its last
# line of output.
check() {
    local name="$1" out
    shift
    if out=$("$@" 2>&1); then
        pass "$name"
    else
        fail "$name" "'$*' failed${out:+: $(echo "$out" | tail -n 1)}"
    fi
}

# jqok NAME FILTER FILE [SHOW]: PASS if the jq filter is true of FILE, else
# FAIL with SHOW of it (default all).
jqok() {
    if jq -e "$2" "$3" >/dev/null 2>&1; then pass "$1"
    else fail "$1" "$(jq -c "${4:-.}" "$3" 2>&1 | head -c 400)"; fi
}

# probe_windows PATH SIZE: the offset of every 2 MiB window of PATH's first
# SIZE bytes that a mapping of dtprobe's own does not get as one PMD (a
# touch of the window's second page faults), a line each; status 1, the
# reason on stderr, if dtprobe fails (it is an extra file of test/vm/run)
probe_windows() {
    local offs="" w=0
    while [ $((w * 2097152)) -lt "$2" ]; do
        offs="$offs $((w * 2097152))"
        w=$((w + 1))
    done
    # shellcheck disable=SC2086
    /host/dtprobe -s "$2" "$1" $offs >/tmp/probe.out 2>/tmp/probe.err ||
        { _vm_err "dtprobe $1: $(tail -n 1 /tmp/probe.err)"; return 1; }
    awk '$4 != 0 { print $1 }' /tmp/probe.out
}

# vm_interleave A B SIZE: write A and B in turns, 64 KiB at a time, in one
# xfs_io process: their allocations interleave, so both fragment
vm_interleave() {
    local n=$(($3 / 65536)) i=0 cmds=
    while [ $i -lt $n ]; do
        cmds="$cmds -c 'file 0' -c 'pwrite -q -S 0x5a $((i * 65536)) 64k'"
        cmds="$cmds -c 'file 1' -c 'pwrite -q -S 0x5a $((i * 65536)) 64k'"
        i=$((i + 1))
    done
    eval xfs_io -f -c "'open -f $2'" $cmds "$1" >/dev/null
}

finish() { exit "$_vm_failed"; }

_vm_err() { echo "guest-lib: $*" >&2; }

# vm_run CMD [ARG...]: run with a time limit, so that a stuck tool fails
# instead of running into the VM watchdog.  (A task stuck in the kernel
# cannot be killed; the watchdog still covers that.)
vm_run() {
    timeout "${VM_STEP_TIMEOUT:-60}" "$@"
}

# _vm_do CMD [ARG...]: vm_run, printing CMD's output on stdout only when it
# succeeds; on failure say what failed, with CMD's last words, on stderr.
_vm_do() {
    local out rc last
    out=$(vm_run "$@" 2>/tmp/.vm-step.err)
    rc=$?
    if [ $rc -ne 0 ]; then
        last=$(tail -n 1 /tmp/.vm-step.err)
        [ -n "$last" ] || last=$(echo "$out" | tail -n 1)
        _vm_err "'$*' failed (status $rc)${last:+: $last}"
        return 1
    fi
    [ -z "$out" ] || echo "$out"
}

# _vm_wait PATH: wait up to 10 s for PATH to appear (device probing).
_vm_wait() {
    local i=0
    while [ ! -e "$1" ]; do
        i=$((i + 1))
        [ $i -le 100 ] || { _vm_err "$1 did not appear"; return 1; }
        sleep 0.1
    done
}

# setup_devdax ALIGN: turn all of region0 into one device DAX namespace
# with the given alignment (4K, 2M, 1G), replacing whatever was there.
# Prints the character device, e.g. /dev/dax0.0.  1G needs a larger
# region0 (test/vm/run --nvdimm0-size 3G, see vm_pud_ready).
setup_devdax() {
    _vm_wait /sys/bus/nd/devices/region0 || return 1
    case "$1" in 1G|1g) vm_pud_ready || return 1 ;; esac
    _vm_create_namespace '.daxregion.devices[0].chardev' \
        -f -e namespace0.0 -m devdax -a "$1"
}

# vm_pud_ready: true if a 1G-aligned device DAX namespace can be made on
# region0, else the reason on stderr (use it for a SKIP).  The first GiB of
# the namespace holds its info block and struct pages, so the device is
# 1 GiB smaller than the region, and region0 must have at least 2 GiB:
# run --nvdimm0-size 3G gives /dev/dax0.0 of 2 GiB (two PUD windows),
# 2G gives 1 GiB; the default 1G region cannot ("unable to satisfy
# requested alignment").  The CPU needs pdpe1gb (-cpu max has it).
vm_pud_ready() {
    local size
    _vm_wait /sys/bus/nd/devices/region0 || return 1
    grep -qw pdpe1gb /proc/cpuinfo ||
        { _vm_err "no 1 GiB pages: the guest CPU lacks pdpe1gb"; return 1; }
    cat /sys/bus/nd/devices/region0/*/supported_alignments 2>/dev/null | grep -qw 1073741824 ||
        { _vm_err "the kernel offers no 1G alignment (supported_alignments)"; return 1; }
    size=$(cat /sys/bus/nd/devices/region0/size)
    [ "$size" -ge $((2 * 1073741824)) ] ||
        { _vm_err "region0 has $((size >> 20)) MiB, a 1G-aligned namespace needs 2 GiB or more (test/vm/run --nvdimm0-size 3G)"; return 1; }
}

# _vm_create_namespace JQ ARG...: ndctl create-namespace ARG..., then the
# device named by JQ in its JSON, once it has appeared: prints /dev/NAME.
_vm_create_namespace() {
    local json dev what=$1
    shift
    json=$(_vm_do ndctl create-namespace "$@") || return 1
    dev=$(echo "$json" | jq -r "$what // empty")
    [ -n "$dev" ] || { _vm_err "no device ($what) in: $json"; return 1; }
    _vm_wait "/dev/$dev" || return 1
    echo "/dev/$dev"
}

# _vm_labels REGION: make sure the region's NVDIMM has a label area, which
# is what allows more than one namespace per region.  Without labels the
# whole region is a single "raw" namespace.
_vm_labels() {
    local dimm
    _vm_wait "/sys/bus/nd/devices/$1" || return 1
    dimm=$(cut -d, -f1 "/sys/bus/nd/devices/$1/mapping0") || return 1
    vm_run ndctl check-labels "$dimm" >/dev/null 2>&1 && return 0
    _vm_do ndctl disable-region "$1" >/dev/null &&
        _vm_do ndctl init-labels -f "$dimm" >/dev/null &&
        _vm_do ndctl enable-region "$1" >/dev/null
}

# setup_fsdax SIZE: new 2M-aligned fsdax namespace of SIZE on region1.
# Prints its block device, e.g. /dev/pmem1.
setup_fsdax() {
    _vm_labels region1 || return 1
    _vm_create_namespace '.blockdev' -r region1 -m fsdax -a 2M -s "$1"
}

# _vm_mount_dax FSTYPE DEV MOUNTPOINT [OPTIONS]: mount with -o dax (and
# OPTIONS, comma-separated) and make sure DAX is really on: a filesystem that
# cannot do DAX (e.g. on a raw namespace) may mount anyway and silently fall
# back to the page cache.
_vm_mount_dax() {
    local line
    mkdir -p "$3" || return 1
    _vm_do mount -t "$1" -o "dax${4:+,$4}" "$2" "$3" || return 1
    line=$(awk -v m="$3" '$2 == m' /proc/mounts)
    case "$line" in
    *dax=always*) ;;
    *)  _vm_err "$3 mounted without dax=always: $line"
        umount "$3"
        return 1 ;;
    esac
}

# Default sizes: both filesystems fit in region1 (1 GiB) at once.  With a
# 2 MiB stripe unit mkfs.xfs wants somewhat over 500 MiB (for its 64 MiB
# log); ext4 gets the rest.  Sizes are multiples of the 16 MiB region
# alignment.
VM_XFS_SIZE=576M
VM_EXT4_SIZE=432M

# setup_fsdax_xfs MOUNTPOINT [SIZE]: fsdax namespace -> xfs with 2 MiB
# stripe unit (so extents line up with huge pages) -> mounted with DAX.
# Prints the block device.
setup_fsdax_xfs() {
    local bdev
    bdev=$(setup_fsdax "${2:-$VM_XFS_SIZE}") || return 1
    _vm_do mkfs.xfs -f -q -d su=2m,sw=1 -m reflink=0 "$bdev" >/dev/null || return 1
    _vm_mount_dax xfs "$bdev" "$1" || return 1
    echo "$bdev"
}

# setup_fsdax_ext4 MOUNTPOINT [SIZE]: the same with ext4 (4K blocks, 2 MiB
# stride).  Prints the block device.
setup_fsdax_ext4() {
    local bdev
    bdev=$(setup_fsdax "${2:-$VM_EXT4_SIZE}") || return 1
    _vm_do mkfs.ext4 -F -q -b 4096 -E stride=512,stripe_width=512 "$bdev" >/dev/null || return 1
    _vm_mount_dax ext4 "$bdev" "$1" || return 1
    echo "$bdev"
}

# --- two namespaces: realtime xfs, dm-linear, dm-stripe ------------------------
#
# These layouts all use region1 split into two fsdax namespaces (all of it,
# 512 MiB each by default): on a fresh VM /dev/pmem1 (namespace1.0, lower
# physical addresses) and /dev/pmem1.1 (namespace1.1, right after it); after
# a re-split the kernel hands out new names (namespace1.2, /dev/pmem1.2), so
# use the names the functions print.  Each set-up function reuses the pair
# if it is already there, so that a test can build one layout after the
# other on the same namespaces: call teardown_stack between them.  An fsdax
# namespace's block device is 10 MiB smaller than the namespace (502 MiB of
# 512): its struct pages live on it (map "dev").

VM_PAIR_SIZE=512M

# _vm_bytes SIZE: SIZE (a number with an optional K, M or G) in bytes.
_vm_bytes() {
    echo "$1" | awk '/^[0-9]+[KkMmGg]?$/ {
        n = $0 + 0; u = toupper(substr($0, length($0)))
        if (u == "K") n *= 1024; else if (u == "M") n *= 1048576
        else if (u == "G") n *= 1073741824
        printf "%.0f\n", n; ok = 1 } END { exit !ok }'
}

# _vm_fsdax_namespaces REGION: "NAMESPACE SIZE RESOURCE BLOCKDEV" for each
# fsdax namespace of REGION, by physical address; SIZE is the namespace's
# raw size in bytes (sysfs), RESOURCE its physical start address (decimal).
_vm_fsdax_namespaces() {
    local ns bdev
    ndctl list -r "$1" -N 2>/dev/null |
        jq -r 'if type == "array" then .[] else . end |
            select(.mode == "fsdax" and .blockdev) | "\(.dev) \(.blockdev)"' |
    while read -r ns bdev; do
        echo "$ns $(cat /sys/bus/nd/devices/$ns/size)" \
            "$(printf '%d' "$(cat /sys/bus/nd/devices/$ns/resource)")" "/dev/$bdev"
    done | sort -n -k3,3
}

# setup_fsdax_pair [SIZE1 [SIZE2]]: region1 as two 2M-aligned fsdax
# namespaces, of SIZE1 and SIZE2 (default $VM_PAIR_SIZE each), the first at
# the lower physical address.  If region1 holds just two fsdax namespaces of
# these sizes they are kept; otherwise every namespace in region1 is
# destroyed first (nothing may be using them).  Prints the two block
# devices on one line: "/dev/pmem1 /dev/pmem1.1".
setup_fsdax_pair() {
    local s1 s2 have
    s1=$(_vm_bytes "${1:-$VM_PAIR_SIZE}") && s2=$(_vm_bytes "${2:-$VM_PAIR_SIZE}") ||
        { _vm_err "setup_fsdax_pair: bad size '$1' '$2'"; return 1; }
    _vm_labels region1 || return 1
    have=$(_vm_fsdax_namespaces region1)
    if [ "$(echo "$have" | awk '{ print $2 }' | tr '\n' ' ')" = "$s1 $s2 " ]; then
        echo $(echo "$have" | awk '{ print $4 }')
        return 0
    fi
    if [ -n "$(ndctl list -r region1 -N 2>/dev/null)" ]; then
        _vm_do ndctl destroy-namespace -f -r region1 all >/dev/null || return 1
    fi
    _vm_create_namespace '.blockdev' -r region1 -m fsdax -a 2M -s "$s1" >/dev/null &&
        _vm_create_namespace '.blockdev' -r region1 -m fsdax -a 2M -s "$s2" >/dev/null ||
        return 1
    have=$(_vm_fsdax_namespaces region1)
    [ "$(echo "$have" | wc -l)" = 2 ] ||
        { _vm_err "region1 should hold 2 fsdax namespaces, not: $have"; return 1; }
    echo $(echo "$have" | awk '{ print $4 }')
}

# _vm_sectors DEV: size of block device DEV in 512-byte sectors.
_vm_sectors() { cat "/sys/class/block/${1#/dev/}/size"; }

# vm_file_is_dax FILE: true if statx says FILE is accessed with DAX
# (STATX_ATTR_DAX, 0x200000).
vm_file_is_dax() {
    xfs_io -r -c 'statx -r' "$1" 2>/dev/null |
        gawk '$1 == "stat.attributes" { a = strtonum($3) } END { exit !and(a, 0x200000) }'
}

# _vm_dax_file MOUNTPOINT [XFS_IO_CMD...]: make a small file (running the
# xfs_io commands on it first, while it is empty) and check that it is DAX.
_vm_dax_file() {
    local f=$1/.vm-dax-check mnt=$1
    shift
    rm -f "$f"
    set -- -f "$@" -c 'pwrite -q 0 64k' -c fsync "$f"
    _vm_do xfs_io "$@" >/dev/null || return 1
    if ! vm_file_is_dax "$f"; then
        _vm_err "a file on $mnt is not DAX: $(xfs_io -r -c 'statx -r' "$f" | grep attributes | tr '\n' ' ')"
        return 1
    fi
    rm -f "$f"
}

# _vm_xfs_dax DEV MOUNTPOINT [MKFS_OPTION...]: xfs (no reflink) on DEV,
# mounted with DAX, a file on it checked to be DAX.
_vm_xfs_dax() {
    local dev=$1 mnt=$2
    shift 2
    _vm_do mkfs.xfs -f -q -m reflink=0 "$@" "$dev" >/dev/null &&
        _vm_mount_dax xfs "$dev" "$mnt" &&
        _vm_dax_file "$mnt"
}

# setup_rt_xfs MOUNTPOINT: realtime xfs on the namespace pair: metadata and
# ordinary files on the first (data device), realtime files on the second
# (rtdev), realtime extents of 2 MiB; mounted with DAX.  Make a realtime
# file with xfs_io -f -c 'chattr +r' -c 'falloc 0 8m' FILE (the flag only
# sticks while the file is empty).  Prints "DATA_DEV RT_DEV", e.g.
# "/dev/pmem1 /dev/pmem1.1".
setup_rt_xfs() {
    local mnt=$1 pair
    pair=$(setup_fsdax_pair) || return 1
    set -- $pair
    # reflink is not supported with a realtime device
    _vm_do mkfs.xfs -f -q -m reflink=0 -r "rtdev=$2,extsize=2m" "$1" >/dev/null &&
        _vm_mount_dax xfs "$1" "$mnt" "rtdev=$2" &&
        _vm_dax_file "$mnt" &&
        _vm_dax_file "$mnt" -c 'chattr +r' || return 1
    echo "$1 $2"
}

# _vm_dm_create NAME TABLE: device-mapper device NAME from TABLE (lines of
# "START LENGTH TARGET ARGS", in sectors), replacing one of that name.
# Without udev there is no /dev/mapper/NAME to rely on; prints the kernel's
# device, /dev/dm-N (found through /sys/block/dm-*/dm/name).
_vm_dm_create() {
    local b n=
    vm_run dmsetup info "$1" >/dev/null 2>&1 && { _vm_do dmsetup remove "$1" || return 1; }
    printf '%s\n' "$2" | _vm_do dmsetup create "$1" >/dev/null || return 1
    for b in /sys/block/dm-*; do
        [ "$(cat "$b/dm/name" 2>/dev/null)" = "$1" ] && n=${b##*/}
    done
    [ -n "$n" ] || { _vm_err "no /sys/block/dm-*/dm/name says $1"; return 1; }
    _vm_wait "/dev/$n" || return 1
    echo "/dev/$n"
}

# setup_dm_linear MOUNTPOINT [-s SECTORS] [MKFS_OPTION...]: dm-linear
# device "vm-linear" concatenating the namespace pair (all of the first, or
# its first SECTORS, then all of the second), xfs on it (mkfs.xfs -m
# reflink=0 MKFS_OPTION...), mounted with DAX.  Prints "DM_DEV DEV1 DEV2",
# e.g. "/dev/dm-0 /dev/pmem1 /dev/pmem1.1"; DEV2 starts at the sector
# `dmsetup table vm-linear` gives on its second line.
setup_dm_linear() {
    local mnt=$1 pair s1 s2 dm
    shift
    pair=$(setup_fsdax_pair) || return 1
    s1=$(_vm_sectors "${pair% *}") && s2=$(_vm_sectors "${pair#* }") || return 1
    if [ "$1" = -s ]; then
        [ "$2" -le "$s1" ] || { _vm_err "setup_dm_linear: -s $2: ${pair% *} has $s1 sectors"; return 1; }
        s1=$2
        shift 2
    fi
    dm=$(_vm_dm_create vm-linear "0 $s1 linear ${pair% *} 0
$s1 $s2 linear ${pair#* } 0") || return 1
    _vm_xfs_dax "$dm" "$mnt" "$@" || return 1
    echo "$dm $pair"
}

# setup_dm_stripe MOUNTPOINT CHUNK_SECTORS: dm-stripe device "vm-stripe"
# over the namespace pair, chunks of CHUNK_SECTORS (4096 = 2 MiB, 128 =
# 64 KiB) in turn on each, as much of both as a whole number of chunks
# allows; xfs on it with stripe unit = chunk and width 2 chunks (given
# explicitly: mkfs.xfs ignores the device's own hint on a volume under
# 1 GiB, and this one is 1004 MiB), mounted with DAX.  Prints "DM_DEV DEV1
# DEV2"; chunk k of DM_DEV is chunk k/2 of DEV1 (k even) or of DEV2 (k odd).
setup_dm_stripe() {
    local mnt=$1 chunk=$2 pair s1 s2 per dm
    # xfs wants a stripe unit of whole 4 KiB blocks
    case "$chunk" in
    ''|*[!0-9]*|0) _vm_err "setup_dm_stripe: bad chunk '$chunk'"; return 1 ;;
    esac
    [ $((chunk % 8)) = 0 ] || { _vm_err "setup_dm_stripe: chunk $chunk not a multiple of 8 sectors (4 KiB)"; return 1; }
    pair=$(setup_fsdax_pair) || return 1
    set -- $pair
    s1=$(_vm_sectors "$1") && s2=$(_vm_sectors "$2") || return 1
    per=$s1; [ "$s2" -lt "$per" ] && per=$s2
    per=$((per / chunk * chunk))
    dm=$(_vm_dm_create vm-stripe "0 $((2 * per)) striped 2 $chunk $1 0 $2 0") || return 1
    _vm_xfs_dax "$dm" "$mnt" -d "su=$((chunk * 512)),sw=2" || return 1
    echo "$dm $1 $2"
}

# teardown_stack MOUNTPOINT: unmount MOUNTPOINT and remove the vm-linear and
# vm-stripe devices, so that the next layout can use the namespace pair.
teardown_stack() {
    local n rc=0
    if awk -v m="$1" '$2 == m { f = 1 } END { exit !f }' /proc/mounts; then
        _vm_do umount "$1" || rc=1
    fi
    for n in vm-linear vm-stripe; do
        vm_run dmsetup info "$n" >/dev/null 2>&1 || continue
        _vm_do dmsetup remove "$n" || rc=1
    done
    return $rc
}

# --- CXL memory (test/vm/run --cxl) --------------------------------------------
#
# The CXL machine has one host bridge with one type-3 memory device (mem0,
# 512 MiB of pmem), or two or three with --cxl=2 or 3 (mem0, mem1, mem2),
# with --cxl-hosts 2 on two host bridges in turn, and a fixed memory
# window of 4 GiB behind root decoder decoder0.0 (interleaved over both
# host bridges with two).  No region exists at boot:
# setup_cxl_region makes a pmem region (cxl create-region), which the
# kernel's cxl_pmem driver turns into an NVDIMM region (ndctl sees it; its
# namespaces and devices are the usual ones).  QEMU emulates the memory
# access by access: some 4 MB/s through a mapping, so a test should touch
# a few MiB, not more.

# Bytes written and read back at each end of a new region.
VM_CXL_CHECK_MIB=2

# _vm_cxl_memdevs: the memory devices, "mem0 mem1"
_vm_cxl_memdevs() {
    ls /sys/bus/cxl/devices 2>/dev/null | grep '^mem[0-9]*$' | sort | tr '\n' ' ' | sed 's/ $//'
}

# _vm_cxl_nd_region HPA: the NVDIMM region whose physical start is HPA
# (hex), once it has appeared (the cxl_pmem driver adds it after the CXL
# region commits)
_vm_cxl_nd_region() {
    local i=0 r
    while [ $i -le 100 ]; do
        for r in /sys/bus/nd/devices/region*; do
            [ -r "$r/resource" ] || continue
            [ $(($(cat "$r/resource"))) = $(($1)) ] && { echo "${r##*/}"; return 0; }
        done
        i=$((i + 1))
        sleep 0.1
    done
    _vm_err "no NVDIMM region at $1 after the CXL region was made: $(ls /sys/bus/nd/devices | tr '\n' ' ')"
    return 1
}

# _vm_cxl_readback REGION: write VM_CXL_CHECK_MIB of random data at the
# start and at the end of NVDIMM region REGION (through a raw namespace,
# O_DIRECT, so that every byte goes through the CXL memory) and read it
# back.  A machine whose CXL routing is wrong (QEMU with one root port under
# the host bridge) accepts the region and gives other data back: say so
# loudly and fail.  The namespace is removed again.
_vm_cxl_readback() {
    local bdev sectors mib=$VM_CXL_CHECK_MIB off rc=0
    bdev=$(_vm_create_namespace '.blockdev' -r "$1" -m raw) || return 1
    sectors=$(_vm_sectors "$bdev")
    dd if=/dev/urandom of=/tmp/cxl-pattern bs=1M count="$mib" 2>/dev/null
    for off in 0 $((sectors / 2048 - mib)); do
        dd if=/tmp/cxl-pattern of="$bdev" bs=1M seek="$off" oflag=direct conv=notrunc 2>/tmp/.vm-dd.err &&
            dd if="$bdev" of=/tmp/cxl-back bs=1M skip="$off" count="$mib" iflag=direct 2>>/tmp/.vm-dd.err ||
            { _vm_err "dd on $bdev at ${off} MiB: $(tail -n 1 /tmp/.vm-dd.err)"; rc=1; break; }
        if ! cmp -s /tmp/cxl-pattern /tmp/cxl-back; then
            _vm_err "CXL DATA CORRUPT: $mib MiB written to $bdev (region $1) at $off MiB read back different ($(cmp /tmp/cxl-pattern /tmp/cxl-back 2>&1 | head -n 1)); the emulated CXL routing is broken"
            rc=1
            break
        fi
    done
    rm -f /tmp/cxl-pattern /tmp/cxl-back
    _vm_do ndctl destroy-namespace -f -r "$1" all >/dev/null || rc=1
    return $rc
}

# _vm_cxl_order MEMDEV...: the memory devices in interleave position
# order for root decoder decoder0.0: where it interleaves over host
# bridges, position i must be under the host bridge of its target i mod
# ways (the kernel refuses other orders); else as given
_vm_cxl_order() {
    local ids id hb m got=1 out=
    ids=$(tr ',' ' ' < /sys/bus/cxl/devices/decoder0.0/target_list 2>/dev/null)
    if [ "$(echo $ids | wc -w)" -le 1 ]; then
        echo "$*"
        return
    fi
    # a round takes the next device under each host bridge in turn
    while [ "$got" = 1 ]; do
        got=0
        for id in $ids; do
            # the ACPI host bridge (ACPI0016:01); its PCI root, pci0000:0c
            hb=$(readlink -f "/sys/bus/cxl/devices/root0/dport$id/physical_node")
            for m in "$@"; do
                case " $out " in *" $m "*) continue ;; esac
                case "$(readlink -f "/sys/bus/cxl/devices/$m")" in
                "$hb"/*) out="$out $m"; got=1; break ;;
                esac
            done
        done
    done
    echo $out
}

# setup_cxl_region [MEMDEV...]: a pmem region interleaved over the memory
# devices (default: all of them, in name order, or by host bridge where
# the window interleaves over several: _vm_cxl_order), of granularity
# VM_CXL_GRANULARITY (default: the kernel's, the root decoder's 256
# bytes), in root decoder decoder0.0's window; its data path checked by
# writing and reading back (_vm_cxl_readback).  Prints the NVDIMM
# region, e.g. region0.  A CXL region over the same memory devices is
# reused (its namespaces stay).  On failure the last line on stderr says
# what failed, with the kernel's last CXL message where it has one.
setup_cxl_region() {
    local mems json hpa have
    _vm_wait /sys/bus/cxl/devices/decoder0.0 || return 1
    # shellcheck disable=SC2046
    mems=$(_vm_cxl_order ${*:-$(_vm_cxl_memdevs)})
    [ -n "$mems" ] || { _vm_err "no CXL memory devices (test/vm/run --cxl?)"; return 1; }
    have=$(cxl list -R -T 2>/dev/null | jq -r --arg m "$mems" '
        if type == "array" then .[] else . end |
        select(([.mappings[]? | .memdev] | sort | join(" ")) == ($m | split(" ") | sort | join(" "))) |
        .resource' 2>/dev/null | head -n 1)
    if [ -z "$have" ]; then
        # shellcheck disable=SC2086
        json=$(_vm_do cxl create-region -m -d decoder0.0 -t pmem \
            ${VM_CXL_GRANULARITY:+-g $VM_CXL_GRANULARITY} \
            -w "$(echo $mems | wc -w)" $mems) ||
            { _vm_err "kernel: $(dmesg | grep -i cxl | tail -n 1)"; return 1; }
        hpa=$(echo "$json" | jq -r '.resource // empty')
        [ -n "$hpa" ] || { _vm_err "cxl create-region: no region in: $json"; return 1; }
        json=$(_vm_cxl_nd_region "$hpa") || return 1
        _vm_cxl_readback "$json" || return 1
        echo "$json"
        return 0
    fi
    _vm_cxl_nd_region "$have"
}

# _vm_cxl_fresh REGION: destroy every namespace of REGION
_vm_cxl_fresh() {
    [ -z "$(ndctl list -r "$1" -N 2>/dev/null)" ] ||
        _vm_do ndctl destroy-namespace -f -r "$1" all >/dev/null
}

# setup_cxl_devdax [ALIGN]: all of the CXL region (setup_cxl_region) as one
# device DAX namespace, alignment ALIGN (default 2M), replacing what was
# there.  Prints the character device, e.g. /dev/dax0.0.
setup_cxl_devdax() {
    local r
    r=$(setup_cxl_region) && _vm_cxl_fresh "$r" || return 1
    _vm_create_namespace '.daxregion.devices[0].chardev' -r "$r" -m devdax -a "${1:-2M}"
}

# setup_cxl_fsdax_xfs MOUNTPOINT: all of the CXL region as an fsdax
# namespace, replacing what was there, xfs on it with a 2 MiB stripe unit,
# mounted with DAX, a file on it checked to be DAX.  mkfs.xfs wants 512 MiB
# or more with that stripe unit: on one 512 MiB device (a 502 MiB block
# device) only with two allocation groups.  Prints the block device.
setup_cxl_fsdax_xfs() {
    local r bdev
    r=$(setup_cxl_region) && _vm_cxl_fresh "$r" || return 1
    bdev=$(_vm_create_namespace '.blockdev' -r "$r" -m fsdax -a 2M) || return 1
    _vm_xfs_dax "$bdev" "$1" -d su=2m,sw=1,agcount=2 || return 1
    echo "$bdev"
}

# vm_cxl_backing MEMDEV: the file backing memory device MEMDEV on the
# host (test/vm/run puts the device on root port i in /host/.cxl/cxl$i.raw):
# its root port is the PCI parent of its device, and the port's CXL dport
# id is i.  Status 1 with the reason on stderr if it cannot be told.
vm_cxl_backing() {
    local path rp id
    path=$(readlink -f "/sys/bus/cxl/devices/$1") || { _vm_err "no $1"; return 1; }
    # .../0000:0c:01.0/0000:0e:00.0/mem0: the root port, the device, mem0
    rp=$(echo "$path" | awk -F/ '{ print $(NF - 2) }')
    id=$(cxl list -P -T 2>/dev/null | jq -r --arg rp "$rp" \
        '[.. | objects | select(.dport? == $rp) | .id] | first // empty')
    [ -n "$id" ] && [ -f "/host/.cxl/cxl$((id)).raw" ] ||
        { _vm_err "$1: root port '$rp' has no dport id or backing file (id '$id')"; return 1; }
    echo "/host/.cxl/cxl$((id)).raw"
}

# vm_cxl_u64 FILE OFFSET: the 8-byte little-endian number at OFFSET of FILE
vm_cxl_u64() {
    dd if="$1" bs=8 skip=$(($2 / 8)) count=1 2>/dev/null | od -An -tu8 | tr -d ' '
}

# vm_cxl_tags_land NAME PATH NDEV OFFSET...: for each OFFSET, where
# daxtool map --range OFFSET:8 says the byte is (memdev, dpa), the
# backing file of that memdev (vm_cxl_backing) holds the tag dtprobe -T
# wrote there (the offset itself); and NDEV devices are named across the
# offsets.  One PASS or FAIL line.
vm_cxl_tags_land() {
    local name=$1 path=$2 ndev=$3 off md dpa nmd why f got bad= seen=
    shift 3
    for off in "$@"; do
        daxtool map --json --range "$off:8" "$path" >/tmp/one.json 2>/tmp/.vm-tags.err ||
            { bad="$bad $off: map failed: $(tail -n 1 /tmp/.vm-tags.err);"; continue; }
        jq -r '.[0].extents[0] | "\(.cxl.memdev) \(.cxl.dpa) \(.cxl.memdevs | length) \(.cxl.why)"' \
            /tmp/one.json >/tmp/one.loc
        read -r md dpa nmd why </tmp/one.loc
        f=$(vm_cxl_backing "$md" 2>/tmp/.vm-tags.err) ||
            { bad="$bad $off: $md dpa $dpa (why: $why): $(tail -n 1 /tmp/.vm-tags.err);"; continue; }
        got=$(vm_cxl_u64 "$f" "$dpa")
        [ "$got" = "$off" ] && [ "$nmd" = 1 ] ||
            bad="$bad $off: daxtool says $md dpa $dpa ($nmd devices), $f holds $got there;"
        case " $seen " in *" $md "*) ;; *) seen="$seen $md" ;; esac
    done
    if [ -z "$bad" ] && [ "$(echo $seen | wc -w)" = "$ndev" ]; then
        pass "$name: $# tags are where daxtool says, on$seen"
    else
        fail "$name" "${bad:-only$seen named, not $ndev devices}"
    fi
}

# --- oracles: what the kernel did -------------------------------------------
# The probe (test/tools/dtprobe, passed to run as an extra file) maps a
# file and reads /proc/self/pagemap and the fault counts; the kernel's own
# verdict per PMD fault is the fs_dax:dax_pmd_fault_done event, on from
# boot (see run).  The event stays on and the trace is never reset:
# switching tracing patches kernel text, which can stall an emulated guest.
# A marker says where a probe's events start; marker and probe run on CPU 0
# and only CPU 0's buffer is read, as emulated CPUs' clocks disagree.
VM_PROBE=/host/dtprobe
VM_TRACE=/sys/kernel/tracing
vm_have_trace=no
_vm_nmark=0
_vm_oerr=/tmp/vm-oracle.err

# vm_trace_init: use the event if the kernel has it; vm_have_trace says.
# The user page faults and the mmap/munmap syscall events, on from boot
# for audit's instances, are filtered out of the top-level buffer (a
# filter patches no kernel text).
vm_trace_init() {
	mount -t tracefs nodev $VM_TRACE 2>/dev/null
	ev=$VM_TRACE/events/fs_dax/dax_pmd_fault_done
	[ -e $ev/enable ] && echo 1 >$ev/enable && vm_have_trace=yes
	for ev in exceptions/page_fault_user syscalls/sys_enter_mmap \
		syscalls/sys_exit_mmap syscalls/sys_exit_munmap; do
		[ -e $VM_TRACE/events/$ev/filter ] &&
			echo 'common_pid == 0' >$VM_TRACE/events/$ev/filter
	done
}

# vm_phys_at MAP_JSON OFFSET: the physical address daxtool's map gives
# for OFFSET, or "none"
vm_phys_at() {
	jq -r --argjson o "$2" '.[0].extents[] |
		select(.offset <= $o and $o < .offset + .length) |
		if .phys then .phys + ($o - .offset) else "none" end' "$1"
}

# vm_probe_phys NAME MAP_JSON PATH [-w] [-s SIZE] OFFSET...: the physical
# address of each offset, as the kernel mapped it, equals daxtool's.
# Not on a 1G device: reading pagemap over a 1 GiB (PUD) entry splits it,
# which for device DAX removes it, and pagemap says "not present" (PHYS 0)
vm_probe_phys() {
	_n=$1 _j=$2; shift 2
	"$VM_PROBE" "$@" >/tmp/vm-probe 2>$_vm_oerr ||
		{ fail "$_n" "dtprobe: $(tail -n 1 $_vm_oerr)"; return; }
	_bad=
	while read -r off phys f1 f2; do
		want=$(vm_phys_at "$_j" "$off")
		[ "$phys" = "$want" ] || _bad="$_bad offset $off: kernel $phys, daxtool $want;"
	done </tmp/vm-probe
	[ -z "$_bad" ] && pass "$_n ($(wc -l </tmp/vm-probe) offsets)" || fail "$_n" "$_bad"
}

# vm_check_agrees NAME FILE ACCESS: daxtool check's prediction against
# the probe's measurement (a second touch in a PMD-mapped window takes no
# fault), window by window, and against the kernel's own verdicts
vm_check_agrees() {
	_n=$1 _f=$2 _a=$3
	daxtool check --json --verbose --access "$_a" "$_f" >/tmp/check.json 2>$_vm_oerr
	_rc=$?
	jq -r '.[0].windows[] | "\(.offset) \(if .status == "pte" then "pte" else "pmd" end)"' \
		/tmp/check.json >/tmp/want
	if [ ! -s /tmp/want ]; then
		fail "$_n" "check predicted nothing: $(tail -n 1 $_vm_oerr)"; return
	fi
	_offs=$(cut -d' ' -f1 /tmp/want)
	_vm_nmark=$((_vm_nmark + 1)); _mark="daxtool-check-$_vm_nmark-"
	[ $vm_have_trace = yes ] && taskset 1 sh -c "echo $_mark >$VM_TRACE/trace_marker"
	_w=; [ "$_a" = write ] && _w=-w
	taskset 1 "$VM_PROBE" $_w "$_f" $_offs >/tmp/probe 2>$_vm_oerr ||
		{ fail "$_n" "probe: $(tail -n 1 $_vm_oerr)"; return; }
	[ $vm_have_trace = yes ] && sed -n "/$_mark/,\$p" $VM_TRACE/per_cpu/cpu0/trace >/tmp/trace
	awk '{ print $1, ($4 == 0 ? "pmd" : "pte") }' /tmp/probe >/tmp/got
	_npte=$(grep -c ' pte$' /tmp/want)
	_nwin=$(wc -l </tmp/want)
	if cmp -s /tmp/want /tmp/got; then
		pass "$_n: prediction = measurement on all $_nwin windows ($_npte fall back)"
	else
		fail "$_n" "$(diff /tmp/want /tmp/got | grep '^[-+][0-9]' | head -n 6 | tr '\n' ' ')"
	fi
	_want_rc=0; [ "$_npte" -gt 0 ] && _want_rc=1
	[ $_rc = $_want_rc ] && pass "$_n: exit $_rc" || fail "$_n: exit" "$_rc, want $_want_rc"
	[ $vm_have_trace = yes ] || return 0
	# the kernel's own verdict per window: NOPAGE is a PMD, FALLBACK is
	# not; a window it never tried a PMD on is not one either (at EOF)
	gawk '/dax_pmd_fault_done/ { match($0, /pgoff 0x([0-9a-f]+)/, m)
		print strtonum("0x" m[1]) * 4096, ($NF == "NOPAGE" ? "pmd" : "pte") }' \
		/tmp/trace | sort -u >/tmp/kernel
	_fb=$(grep -c ' pte$' /tmp/kernel)
	gawk 'NR == FNR { k[$1] = $2; next }
		{ print $1, ($1 in k ? k[$1] : "pte") }' /tmp/kernel /tmp/want >/tmp/kern.win
	_untried=$(gawk 'NR == FNR { k[$1]; next } !($1 in k)' /tmp/kernel /tmp/want | wc -l)
	if cmp -s /tmp/want /tmp/kern.win && [ $((_fb + _untried)) = "$_npte" ]; then
		pass "$_n: the kernel's fallbacks are check's ($_fb, $_untried not tried)"
	else
		fail "$_n: tracepoint" "kernel: $_fb fallbacks, $_untried untried; check: $_npte windows; $(diff /tmp/want /tmp/kern.win | grep '^[-+][0-9]' | head -n 4 | tr '\n' ' ')"
	fi
}
