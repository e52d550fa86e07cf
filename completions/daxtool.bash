# bash completion for daxtool. The commands and options come from the
# binary itself (--list-cmds, CMD --list-opts), so they never drift.

_daxtool()
{
	local cur=${COMP_WORDS[COMP_CWORD]} prev=${COMP_WORDS[COMP_CWORD-1]}
	local cmd=${COMP_WORDS[1]} opts
	local -a cmdv=("$cmd")

	if [ "$COMP_CWORD" -eq 1 ]; then
		COMPREPLY=($(compgen -W "$(daxtool --list-cmds 2>/dev/null) --help --version" -- "$cur"))
		return
	fi
	# bench has two levels: the benchmark is part of the command
	if [ "$cmd" = bench ]; then
		if [ "$COMP_CWORD" -eq 2 ]; then
			COMPREPLY=($(compgen -W "$(daxtool bench --list-cmds 2>/dev/null)" -- "$cur"))
			return
		fi
		cmdv=(bench "${COMP_WORDS[2]}")
	fi
	# option values: "--opt a|b|c" in CMD -h gives the choices
	if [[ $prev == --* ]]; then
		local choices
		choices=$(daxtool "${cmdv[@]}" -h 2>/dev/null |
			sed -n "s/^ *\(-., \)\?$prev \([a-z0-9-]*|[a-z0-9|-]*\)\( .*\)\?$/\2/p" | tr '|' ' ')
		if [ -n "$choices" ]; then
			COMPREPLY=($(compgen -W "$choices" -- "$cur"))
			return
		fi
	fi
	case $cur in
	-*)
		opts=$(daxtool "${cmdv[@]}" --list-opts 2>/dev/null)
		COMPREPLY=($(compgen -W "$opts" -- "$cur"))
		[[ ${COMPREPLY[0]} == *= ]] && compopt -o nospace 2>/dev/null
		;;
	*)
		COMPREPLY=($(compgen -f -- "$cur"))
		;;
	esac
}
complete -F _daxtool daxtool
