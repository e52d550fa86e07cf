# bash completion for daxtool. The commands and options come from the
# binary itself (--list-cmds, CMD --list-opts), so they never drift.

_daxtool()
{
	local cur=${COMP_WORDS[COMP_CWORD]} prev=${COMP_WORDS[COMP_CWORD-1]}
	local cmd=${COMP_WORDS[1]} opts

	if [ "$COMP_CWORD" -eq 1 ]; then
		COMPREPLY=($(compgen -W "$(daxtool --list-cmds 2>/dev/null) --help --version" -- "$cur"))
		return
	fi
	# option values: "--opt a|b|c" in CMD -h gives the choices
	if [[ $prev == --* ]]; then
		local choices
		choices=$(daxtool "$cmd" -h 2>/dev/null |
			sed -n "s/^ *\(-., \)\?$prev \([a-z0-9-]*|[a-z0-9|-]*\) .*/\2/p" | tr '|' ' ')
		if [ -n "$choices" ]; then
			COMPREPLY=($(compgen -W "$choices" -- "$cur"))
			return
		fi
	fi
	case $cur in
	-*)
		opts=$(daxtool "$cmd" --list-opts 2>/dev/null)
		COMPREPLY=($(compgen -W "$opts" -- "$cur"))
		[[ ${COMPREPLY[0]} == *= ]] && compopt -o nospace 2>/dev/null
		;;
	*)
		COMPREPLY=($(compgen -f -- "$cur"))
		;;
	esac
}
complete -F _daxtool daxtool
