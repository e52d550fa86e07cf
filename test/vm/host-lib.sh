# Shared settings for test/vm/prepare and test/vm/run (sourced, not run).
#
# Everything the VM harness downloads or builds lives in one cache folder,
# so a fresh checkout only has to run `test/vm/prepare` once, and deleting
# that folder is a complete reset.

VM_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
REPO_ROOT=$(cd "$VM_DIR/../.." && pwd)
VM_CACHE=${DAXTOOL_VM_CACHE:-$REPO_ROOT/.cache/vm}

# Debian packages the harness uses on the host.  kmod gives modprobe/depmod
# (to work out module load order), xz-utils unpacks compressed modules.
VM_PACKAGES="qemu-system-x86 busybox-static ndctl daxctl xfsprogs e2fsprogs dmsetup cpio jq gawk kmod xz-utils"

# Kernel modules the guest loads.  Debian's kernel builds all of them as
# modules; their dependencies are added by prepare.  crc32c has to be named
# explicitly: xfs and ext4 ask the crypto API for it at run time, which is not
# a symbol dependency that depmod can see.  dm_mod is device-mapper, with the
# linear and striped targets built in (Debian: CONFIG_BLK_DEV_DM=m).
# cxl_acpi, cxl_pci, cxl_mem and cxl_pmem drive the CXL machine (run --cxl):
# the CXL root from ACPI, the type-3 memory devices, and the bridge that
# makes a CXL pmem region an NVDIMM region; on the NVDIMM machine they
# find nothing and stay idle.
VM_MODULES="virtio_pci 9pnet_virtio 9p libnvdimm nfit nd_pmem dax_pmem device_dax kmem crc32c_intel crc32c_generic xfs ext4 dm_mod cxl_acpi cxl_pci cxl_mem cxl_pmem"

# The kernel version prepare settled on, or nothing if it has not run.
vm_kver() {
    local k
    [ -r "$VM_CACHE/current" ] || return 1
    k=$(cat "$VM_CACHE/current")
    [ -n "$k" ] && [ -f "$VM_CACHE/$k/stamp" ] && [ -f "$VM_CACHE/$k/vmlinuz" ] || return 1
    echo "$k"
}

# What the cached module set was built from; prepare rebuilds when it changes.
vm_stamp() {
    echo "modules: $VM_MODULES"
}

vm_missing_packages() {
    local p missing=
    for p in $VM_PACKAGES; do
        dpkg-query -W -f='${Status}\n' "$p" 2>/dev/null | grep -q '^install ok installed$' ||
            missing="$missing $p"
    done
    echo "${missing# }"
}

# vm_size_mib SIZE: an NVDIMM region size (a number with M or G, a
# multiple of 16M, the region alignment; 16M to 64G) in MiB.
vm_size_mib() {
    local n u mib
    case "$1" in
    *[0-9][Mm]) u=1 ;;
    *[0-9][Gg]) u=1024 ;;
    *) return 1 ;;
    esac
    n=${1%?}
    case "$n" in ''|*[!0-9]*) return 1 ;; esac
    [ ${#n} -le 6 ] || return 1
    mib=$((10#$n * u))
    [ $((mib % 16)) = 0 ] && [ "$mib" -ge 16 ] && [ "$mib" -le 65536 ] || return 1
    echo "$mib"
}
