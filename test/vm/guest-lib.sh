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
# Prints the character device, e.g. /dev/dax0.0.
setup_devdax() {
    _vm_wait /sys/bus/nd/devices/region0 || return 1
    _vm_create_namespace '.daxregion.devices[0].chardev' \
        -f -e namespace0.0 -m devdax -a "$1"
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

# _vm_mount_dax FSTYPE DEV MOUNTPOINT: mount with -o dax and make sure DAX
# is really on: a filesystem that cannot do DAX (e.g. on a raw namespace)
# may mount anyway and silently fall back to the page cache.
_vm_mount_dax() {
    local line
    mkdir -p "$3" || return 1
    _vm_do mount -t "$1" -o dax "$2" "$3" || return 1
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
