#!/bin/sh
# /init of the test VM (busybox sh, runs as PID 1).
#
# Loads the NVDIMM, DAX, filesystem and 9p modules, mounts the host's share
# at /host, runs the guest test script from it and powers off.  The kernel
# hands unknown "name=value" boot parameters to init as environment
# variables; test/vm/run sets:
#   vm_script   file name of the guest script inside the share
#   vm_watchdog seconds after which the guest powers itself off regardless
#
# Results go to /host/.result/{stdout,stderr,status}.  Stdout lines are also
# copied to the serial console as "daxtool-vm-out: LINE" and the exit status
# as "daxtool-vm-exit: N", which run falls back to if the share lost them.

export PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin
export HOME=/root TMPDIR=/tmp

mount -t devtmpfs dev /dev
# The initramfs has no /dev/console node, so only now can we talk.
exec </dev/null >/dev/console 2>&1
mount -t proc proc /proc
mount -t sysfs sys /sys
mount -t tmpfs tmp /tmp
mount -t tmpfs run /run

say() { echo "daxtool-vm: $*"; }

# If PID 1 ever exits the kernel panics, and with panic=-1 and QEMU's
# -no-reboot that also ends the VM; poweroff is just the tidy way.
off() {
    poweroff -f
    sleep 10
    exit 1
}

# Whatever happens below (a hung mkfs, a script waiting forever), the VM ends.
(
    sleep "${vm_watchdog:-60}"
    say "watchdog: still running after ${vm_watchdog:-60}s, powering off"
    off
) &

while read -r mod; do
    insmod "$mod" || say "insmod $mod failed"
done < /etc/vm-modules

# The virtio and NVDIMM devices are probed while the modules load, but give
# the share a few tries in case probing lags behind.
mkdir -p /host
i=0
until mount -t 9p -o trans=virtio,version=9p2000.L,msize=262144 host0 /host 2>/dev/null; do
    i=$((i + 1))
    if [ $i -ge 20 ]; then
        say "cannot mount the 9p share"
        off
    fi
    sleep 0.25
done

script=/host/${vm_script:?}
say "running $vm_script"
cd /host || off
mkdir -p /host/.result
# Stderr goes to the share and live to the console; stdout to the share and
# to the console with a prefix the host can find in the serial log.
mkfifo /tmp/stderr.fifo
tee /host/.result/stderr < /tmp/stderr.fifo &
{
    sh "$script" 2> /tmp/stderr.fifo
    echo $? > /tmp/status
} | tee /host/.result/stdout | sed 's/^/daxtool-vm-out: /'
wait $!
status=$(cat /tmp/status 2>/dev/null)
[ -n "$status" ] || status=1
echo "$status" > /host/.result/status
echo "daxtool-vm-exit: $status"
cd /
umount /host
off
