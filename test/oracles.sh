# Extent oracles, shared by the host tests (test/lib.sh) and the guest
# tests in the virtual machine: the same file's layout as daxtool sees it
# and as filefrag and xfs_io see it, as comparable lines.
# Needs $DAXTOOL, jq and gawk.

# The extents of FILE as "offset length type [addr]" lines, bytes, from:
#   dt_extents FILE [OPTS]     daxtool map --json
#   filefrag_extents FILE      filefrag -v (data only; no holes)
#   xfsio_extents FILE         xfs_io -c 'fiemap -v' (data and holes)
# All clipped to the file size, as daxtool clips them.
dt_extents() {
	local f=$1; shift
	"$DAXTOOL" map --json "$@" "$f" |
	jq -r '.[0].extents[] | "\(.offset) \(.length) \(.type)" +
		(if .addr then " \(.addr)" else "" end)'
}

filefrag_extents() {
	local size; size=$(stat -c %s "$1")
	filefrag -v "$1" | gawk -v size="$size" '
	/^File size of/ { bs = $(NF - 1) + 0 }
	/^ *[0-9]+:/ {
		gsub(/\.\./, " "); gsub(/:/, " ")
		off = $2 * bs; end = ($3 + 1) * bs; addr = $4 * bs
		if (off >= size) next
		if (end > size) end = size
		type = ($0 ~ /unwritten/) ? "unwritten" : ($0 ~ /delalloc/) ? "delalloc" : "mapped"
		printf "%d %d %s %d\n", off, end - off, type, addr
	}'
}

xfsio_extents() {
	local size; size=$(stat -c %s "$1")
	xfs_io -r -c 'fiemap -v' "$1" | gawk -v size="$size" '
	/^ *[0-9]+:/ {
		line = $0
		gsub(/[\[\]:]/, " "); gsub(/\.\./, " ")
		off = $2 * 512; end = ($3 + 1) * 512
		if (off >= size) next
		if (end > size) end = size
		if ($4 == "hole") { printf "%d %d hole\n", off, end - off; next }
		flags = strtonum($NF)
		type = and(flags, 2048) ? "unwritten" : and(flags, 4) ? "delalloc" : "mapped"
		printf "%d %d %s %d\n", off, end - off, type, $4 * 512
	}'
}

# phys_at MAP_JSON OFFSET: the physical address daxtool's map gives for
# OFFSET, or "none"
phys_at() {
	jq -r --argjson o "$2" '.[0].extents[] |
		select(.offset <= $o and $o < .offset + .length) |
		if .phys then .phys + ($o - .offset) else "none" end' "$1"
}
