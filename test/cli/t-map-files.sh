#!/bin/sh
# daxtool map on real files, on each filesystem this machine can give us,
# checked against filefrag -v and xfs_io's fiemap as oracles.
. "$(dirname "$0")/../lib.sh"

M=1048576

# write FILE OFF LEN: non-zero data at OFF
write() { xfs_io -f -c "pwrite -q -S 0x5a $2 $3" -c fsync "$1" >/dev/null; }

# oracles FS NAME FILE: daxtool against filefrag and xfs_io, extent by extent
oracles() {
	dt_extents "$3" >"$T/dt.all" || { fail "$1 $2 map" "daxtool map failed"; return; }
	grep -v ' hole$' "$T/dt.all" >"$T/dt.data"
	filefrag_extents "$3" >"$T/ff"
	xfsio_extents "$3" >"$T/xi"
	same "$1 $2: data extents equal filefrag -v" "$T/ff" "$T/dt.data"
	same "$1 $2: extents and holes equal xfs_io fiemap" "$T/xi" "$T/dt.all"
}

# rows FILE: "offset length type" of every extent daxtool reports
rows() { dt_extents "$@" | cut -d' ' -f1-3; }

test_fs() {
	fs=$1
	fs_dir "$fs" >"$T/why" 2>&1 || { skip "map on $fs" "$(cat "$T/why")"; return; }
	srcs=fiemap
	if [ "$fs" = tmpfs ]; then srcs=seek; fi
	kind=$(stat -f -c %T "$DIR")
	echo "# $fs: $DIR ($kind)"

	# Leading, interior and trailing holes, each reported in full.
	f=$DIR/sparse
	truncate -s 10M "$f"; write "$f" 1M 64k; write "$f" 5M 128k
	rows "$f" >"$T/got"
	printf '%s\n' "0 $M hole" "$M 65536 mapped" \
		"$((M + 65536)) $((4 * M - 65536)) hole" "$((5 * M)) 131072 mapped" \
		"$((5 * M + 131072)) $((5 * M - 131072)) hole" >"$T/want"
	# contiguous data may come as several extents: merge runs of a type
	awk '{ if (n && $3 == t && $1 == o + l) { l += $2; next }
	       if (n) print o, l, t; o = $1; l = $2; t = $3; n = 1 }
	     END { if (n) print o, l, t }' "$T/got" >"$T/got.merged"
	same "$fs sparse: every hole reported whole, leading, interior and trailing" \
		"$T/want" "$T/got.merged"
	"$DAXTOOL" map --json "$f" | jq -e --arg s "$srcs" '.[0].source == $s' >/dev/null &&
		pass "$fs sparse: source is $srcs" || fail "$fs sparse: source" "not $srcs"

	if [ $srcs = seek ]; then
		"$DAXTOOL" map --json "$f" | jq -e '.[0].caveats | length == 1 and
			(.[0] | test("unwritten"))' >/dev/null &&
			"$DAXTOOL" map "$f" | grep -q '^  note: .*unwritten' &&
			pass "$fs: the seek source says it cannot tell unwritten from holes" ||
			fail "$fs: seek caveat" "not said in JSON and text"
		expect "$fs: --source fiemap is refused where FIEMAP is missing" 1 \
			"does not support FIEMAP" "$DAXTOOL" map --source fiemap "$f"
		many=$DIR/many; "$MKFRAG" "$many" 3000
		[ "$(rows "$many" | grep -c mapped)" = 3000 ] &&
			[ "$(rows "$many" | grep -c hole)" = 2999 ] &&
			pass "$fs many: 3000 data ranges and 2999 holes" ||
			fail "$fs many" "$(rows "$many" | grep -c mapped) data ranges"
		return
	fi

	oracles "$fs" sparse "$f"

	# Seek source on the same file: the same data and holes.
	rows "$f" --source seek | cut -d' ' -f1-3 >"$T/seek"
	sed 's/ mapped$/ mapped/' "$T/got.merged" >"$T/want.seek"
	same "$fs sparse: --source seek finds the same data and holes" \
		"$T/want.seek" "$T/seek"

	# Fallocated: unwritten around written data.
	f=$DIR/falloc
	xfs_io -f -c 'falloc 0 4m' -c 'pwrite -q -S 0x5a 1m 64k' -c fsync "$f"
	oracles "$fs" fallocated "$f"
	rows "$f" | awk '{ print $3 }' | uniq | tr '\n' ' ' >"$T/types"
	[ "$(cat "$T/types")" = "unwritten mapped unwritten " ] &&
		pass "$fs fallocated: unwritten, mapped, unwritten" ||
		fail "$fs fallocated: types" "got $(cat "$T/types")"
	rows "$f" --source seek | awk '{ print $3 }' | tr '\n' ' ' >"$T/types"
	[ "$(cat "$T/types")" = "hole mapped hole " ] &&
		pass "$fs fallocated: the seek source shows unwritten as holes, as it says" ||
		fail "$fs fallocated: seek types" "got $(cat "$T/types")"

	# Many extents: more than one FIEMAP batch.
	f=$DIR/many
	"$MKFRAG" "$f" 3000
	oracles "$fs" "3000 extents" "$f"
	# xfs may preallocate into the gaps: they are holes or unwritten
	n=$(rows "$f" | grep -c ' mapped$')
	h=$(rows "$f" | grep -c -v ' mapped$')
	[ "$n" = 3000 ] && [ "$h" = 2999 ] &&
		pass "$fs many: 3000 data extents and 2999 gaps" ||
		fail "$fs many" "$n data extents, $h gaps"
	nonhole=$(rows "$f" | grep -c -v ' hole$')
	max=$(( (nonhole + 1023) / 1024 + 2 ))
	if command -v strace >/dev/null; then
		# LeakSanitizer cannot run under ptrace: off for this one run
		ASAN_OPTIONS="${ASAN_OPTIONS:-}:detect_leaks=0" strace -f -e trace=ioctl -o "$T/strace" \
			"$DAXTOOL" map --json "$f" >/dev/null
		calls=$(grep -c FS_IOC_FIEMAP "$T/strace")
		[ "$calls" -ge 1 ] && [ "$calls" -le $max ] &&
			pass "$fs many: FIEMAP batched ($calls ioctls for $nonhole extents)" ||
			fail "$fs many: batching" "$calls FIEMAP ioctls for $nonhole extents"
	else
		skip "$fs many: batching" "strace not installed"
	fi

	# Extents past EOF: fallocated beyond the size (KEEP_SIZE).
	f=$DIR/pasteof
	xfs_io -f -c 'falloc -k 0 8m' -c 'pwrite -q -S 0x5a 0 1m' -c fsync "$f"
	oracles "$fs" "falloc past EOF" "$f"
	[ "$(rows "$f" | tail -n 1 | cut -d' ' -f1,2)" = "0 $M" ] ||
	[ "$(rows "$f" | awk '{ s += $2 } END { print s }')" = "$M" ] &&
		pass "$fs past EOF: the map stops at EOF" ||
		fail "$fs past EOF" "$(rows "$f" | tr '\n' '|')"
	f=$DIR/straddle
	xfs_io -f -c 'falloc -k 0 8m' -c 'truncate 3m' "$f"
	"$DAXTOOL" map --json "$f" | jq -e '.[0].extents | length == 1 and
		.[0].length == 3145728 and .[0].type == "unwritten" and
		(.[0].flags | index("past_eof"))' >/dev/null &&
		pass "$fs past EOF: an extent straddling EOF is clipped and flagged past_eof" ||
		fail "$fs straddle" "$("$DAXTOOL" map --json "$f" | jq -c '.[0].extents')"

	# xfs speculative preallocation past EOF, while the file is open.
	if [ "$fs" = xfs ]; then
		f=$DIR/prealloc
		: >"$f"
		exec 3>>"$f"
		i=0; while [ $i -lt 64 ]; do
			head -c 65536 /dev/zero | tr '\0' 'x' >&3; i=$((i + 1)); done
		if xfs_io -r -c 'fiemap -v' "$f" | gawk -v s="$(stat -c %s "$f")" \
			'/^ *[0-9]+:/ { gsub(/[\[\]:]/, " "); gsub(/\.\./, " ");
			  if (($3 + 1) * 512 > s && $4 != "hole") found = 1 }
			 END { exit !found }'; then
			oracles "$fs" "speculative preallocation" "$f"
			want=$(xfs_io -r -c 'fiemap -v' "$f" | gawk -v s="$(stat -c %s "$f")" \
				'/^ *[0-9]+:/ { gsub(/[\[\]:]/, " "); gsub(/\.\./, " ");
				  if ($4 == "hole") next; a = $2 * 512; e = ($3 + 1) * 512
				  if (a < s) a = s; if (e > a) n += e - a }
				 END { print n + 0 }')
			got=$("$DAXTOOL" map --json "$f" | jq '.[0].summary.past_eof_bytes')
			[ "$got" = "$want" ] &&
				pass "$fs preallocation: $got bytes allocated past EOF, as xfs_io shows" ||
				fail "$fs preallocation" "past_eof_bytes $got, xfs_io says $want"
		else
			skip "$fs speculative preallocation" "xfs did not preallocate past EOF here"
		fi
		exec 3>&-
	fi
}

for fs in worktree xfs ext4 tmpfs; do
	test_fs $fs
done
