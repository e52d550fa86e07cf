# bash completion for daxtool. The commands and options come from the
# binary itself (--list-cmds, CMD --list-opts, the choices CMD -h shows),
# so they never drift; and the binary asked is the one being completed:
# ./daxtool in a build tree is asked, not the one on PATH.

# _daxtool_argh DAXTOOL CMD... -- OPT: the argument OPT takes, as CMD -h
# names it ("auto|fiemap|seek", "FILE.json", "SIZE"); empty if none
_daxtool_argh()
{
	local -a cmdv=()
	while [[ $1 != -- ]]; do cmdv+=("$1"); shift; done
	"${cmdv[@]}" -h 2>/dev/null |
		sed -n "s/^ *\(-., \)\{0,1\}$2 \([^ ]*\).*$/\2/p" | head -n 1
}

_daxtool()
{
	local dt=${COMP_WORDS[0]} cur=${COMP_WORDS[COMP_CWORD]}
	local cword=$COMP_CWORD opt= pre= argh cmd w i split=
	local -a cmdv words

	# the binary being completed: ./daxtool, ~/bin/daxtool, daxtool
	[[ $dt == \~/* ]] && dt=$HOME/${dt#\~/}
	command -v -- "$dt" >/dev/null 2>&1 || return 0

	# --opt=VALUE: bash breaks words at '=' (COMP_WORDBREAKS), so the
	# value is a word of its own after "=", or the '=' is the word itself
	# when the value is still empty; where '=' does not break words, the
	# value is in the word, and what is offered keeps the "--opt=" before it
	if [[ $cur == = && ${COMP_WORDS[cword-1]} == --* ]]; then
		opt=${COMP_WORDS[cword-1]} cur= split=1
	elif [[ ${COMP_WORDS[cword-1]} == = && ${COMP_WORDS[cword-2]} == --* ]]; then
		opt=${COMP_WORDS[cword-2]} split=1
	elif [[ $cur == --*=* ]]; then
		opt=${cur%%=*} pre=${cur%%=*}= cur=${cur#*=}
	fi

	# the words before this one, "--opt = value" joined back into one
	words=()
	for ((i = 1; i < cword; i++)); do
		w=${COMP_WORDS[i]}
		if [[ $w == = && ${#words[@]} -gt 0 ]]; then
			words[${#words[@]}-1]+==
			[[ $i -lt $((cword - 1)) ]] && { i=$((i + 1)); words[${#words[@]}-1]+=${COMP_WORDS[i]}; }
			continue
		fi
		words+=("$w")
	done
	[[ -n $split ]] && unset 'words[${#words[@]}-1]'

	# the command, and for bench the benchmark: its place among the words
	cmd=${words[0]}
	cmdv=("$dt" "$cmd")
	if [[ ${#words[@]} -eq 0 ]]; then
		mapfile -t COMPREPLY < <(compgen -W "$("$dt" --list-cmds 2>/dev/null) \
			$("$dt" --list-opts 2>/dev/null)" -- "$cur")
		return 0
	fi
	case $cmd in
	help)
		if [[ ${#words[@]} -eq 1 ]]; then
			mapfile -t COMPREPLY < <(compgen -W "$("$dt" --list-cmds 2>/dev/null)" -- "$cur")
		elif [[ ${#words[@]} -eq 2 && ${words[1]} == bench ]]; then
			mapfile -t COMPREPLY < <(compgen -W "$("$dt" bench --list-cmds 2>/dev/null)" -- "$cur")
		fi
		return 0 ;;
	bench)
		if [[ ${#words[@]} -eq 1 ]]; then
			mapfile -t COMPREPLY < <(compgen -W "$("$dt" bench --list-cmds 2>/dev/null)" -- "$cur")
			return 0
		fi
		cmdv+=("${words[1]}") ;;
	esac

	# an option's value: after "--opt=" or after "--opt" that takes one
	if [[ -z $opt && $cur != -* ]]; then
		w=${words[${#words[@]}-1]}
		# -p: its long name, from -h ("-p, --page-size ...")
		[[ $w == -[a-zA-Z] ]] && w=$("${cmdv[@]}" -h 2>/dev/null |
			sed -n "s/^ *$w, \(--[a-z0-9-]*\).*/\1/p" | head -n 1)
		if [[ $w == --* && $w != *=* ]] &&
		   "${cmdv[@]}" --list-opts 2>/dev/null | grep -qx -- "$w="; then
			opt=$w
		fi
	fi
	if [[ -n $opt ]]; then
		argh=$(_daxtool_argh "${cmdv[@]}" -- "$opt")
		# choices: "a|b|c", or one alone in lower case ("regression");
		# an argument to type is named in capitals (SIZE, PCT)
		if [[ $argh == *'|'* || $argh =~ ^[a-z][a-z0-9_-]*$ ]]; then
			mapfile -t COMPREPLY < <(compgen -P "$pre" -W "${argh//|/ }" -- "$cur")
		elif [[ $argh == *FILE* ]]; then
			compopt -o filenames 2>/dev/null
			mapfile -t COMPREPLY < <(compgen -P "$pre" -f -- "$cur")
		fi
		return 0
	fi

	if [[ $cur == -* ]]; then
		mapfile -t COMPREPLY < <(compgen -W "$("${cmdv[@]}" --list-opts 2>/dev/null)" -- "$cur")
		[[ ${#COMPREPLY[@]} -eq 1 && ${COMPREPLY[0]} == *= ]] &&
			compopt -o nospace 2>/dev/null
		return 0
	fi
	# what the command takes: files; a benchmark also memory and devices
	case $cmd in
	list|version) return 0 ;;
	esac
	compopt -o filenames 2>/dev/null
	if [[ $cmd == compare ]]; then
		# bench results: JSON files, and directories to find them in
		mapfile -t COMPREPLY < <(compgen -d -- "$cur"; compgen -f -X '!*.json' -- "$cur")
		return 0
	fi
	mapfile -t COMPREPLY < <(compgen -f -- "$cur")
	if [[ $cmd == bench ]]; then
		COMPREPLY+=($(compgen -W "emulated anon hugetlb" -- "$cur"))
		[[ -z $cur ]] && COMPREPLY+=($(compgen -G "/dev/dax*" 2>/dev/null))
	fi
	return 0
}
complete -F _daxtool daxtool
