package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"strings"
)

var completionCmd = &command{
	name:    "completion",
	summary: "print a shell completion script (bash, zsh or fish)",
	usage:   "completion bash|zsh|fish",
	help: `Prints a completion script for the shell: subcommands, their flags and the
values of --format, --grain and --fail-on are completed; file arguments
complete as files.`,
	example: `$ kpitree completion bash > /etc/bash_completion.d/kpitree     # bash
$ kpitree completion zsh > "${fpath[1]}/_kpitree"               # zsh
$ kpitree completion fish > ~/.config/fish/completions/kpitree.fish`,
	args: [2]int{1, 1},
	flags: func(fs *flag.FlagSet) runFunc {
		return func(ctx context.Context, e *env, args []string) error {
			switch args[0] {
			case "bash":
				writeBash(e.stdout)
			case "zsh":
				writeZsh(e.stdout)
			case "fish":
				writeFish(e.stdout)
			default:
				return oneOf("shell", args[0], []string{"bash", "zsh", "fish"})
			}
			return nil
		}
	},
}

// flagValues are the completions of a flag's value, when they are a
// fixed list.
func flagValues(c *command, name string) []string {
	switch name {
	case "format":
		return c.formats
	case "color":
		return []string{"auto", "always", "never"}
	case "grain":
		return []string{"quarter", "year", "fy"}
	case "policy":
		return []string{"propagate", "fail", "zero"}
	case "fail-on":
		return []string{"error", "warning", "info", "never"}
	}
	return nil
}

func writeBash(w io.Writer) {
	fmt.Fprint(w, `# bash completion for kpitree
_kpitree() {
    local cur prev cmd
    cur="${COMP_WORDS[COMP_CWORD]}"
    prev="${COMP_WORDS[COMP_CWORD-1]}"
    cmd="${COMP_WORDS[1]}"
    if [ "$COMP_CWORD" -eq 1 ]; then
        COMPREPLY=($(compgen -W "`+strings.Join(commandNames(), " ")+` help --help --version" -- "$cur"))
        return
    fi
    case "$cmd" in
`)
	for _, c := range commands {
		var flags []string
		fmt.Fprintf(w, "    %s)\n        case \"$prev\" in\n", c.name)
		for _, f := range flagNames(c) {
			flags = append(flags, "--"+f.Name)
			if vals := flagValues(c, f.Name); len(vals) > 0 {
				fmt.Fprintf(w, "            --%s) COMPREPLY=($(compgen -W %q -- \"$cur\")); return;;\n", f.Name, strings.Join(vals, " "))
			}
		}
		fmt.Fprintf(w, "        esac\n        if [[ \"$cur\" == -* ]]; then COMPREPLY=($(compgen -W %q -- \"$cur\")); return; fi\n", strings.Join(flags, " "))
		if c.name == "completion" {
			fmt.Fprint(w, "        COMPREPLY=($(compgen -W \"bash zsh fish\" -- \"$cur\")); return;;\n")
			continue
		}
		fmt.Fprint(w, "        COMPREPLY=($(compgen -f -- \"$cur\")); return;;\n")
	}
	fmt.Fprint(w, `    esac
}
complete -o filenames -F _kpitree kpitree
`)
}

func zshQuote(s string) string {
	return strings.NewReplacer("'", "'\\''", "[", "\\[", "]", "\\]", ":", "\\:").Replace(s)
}

func writeZsh(w io.Writer) {
	fmt.Fprint(w, "#compdef kpitree\n# zsh completion for kpitree\n_kpitree() {\n  local -a cmds\n  cmds=(\n")
	for _, c := range commands {
		fmt.Fprintf(w, "    '%s:%s'\n", c.name, zshQuote(c.summary))
	}
	fmt.Fprint(w, "  )\n  if (( CURRENT == 2 )); then\n    _describe 'command' cmds\n    return\n  fi\n  case $words[2] in\n")
	for _, c := range commands {
		fmt.Fprintf(w, "    %s)\n      _arguments \\\n", c.name)
		for _, f := range flagNames(c) {
			action := ":value:"
			if vals := flagValues(c, f.Name); len(vals) > 0 {
				action = ":value:(" + strings.Join(vals, " ") + ")"
			} else if bf, ok := f.Value.(interface{ IsBoolFlag() bool }); ok && bf.IsBoolFlag() {
				action = ""
			} else if f.Name == "data" || f.Name == "dist" || f.Name == "scenario" {
				action = ":file:_files"
			}
			fmt.Fprintf(w, "        '--%s[%s]%s' \\\n", f.Name, zshQuote(firstLine(f.Usage)), action)
		}
		if c.name == "completion" {
			fmt.Fprint(w, "        '1:shell:(bash zsh fish)'\n      ;;\n")
		} else {
			fmt.Fprint(w, "        '*:file:_files'\n      ;;\n")
		}
	}
	fmt.Fprint(w, "  esac\n}\ncompdef _kpitree kpitree\n")
}

func firstLine(s string) string {
	s, _, _ = strings.Cut(s, "\n")
	s = strings.ReplaceAll(s, "`", "")
	return s
}

func writeFish(w io.Writer) {
	fmt.Fprint(w, "# fish completion for kpitree\ncomplete -c kpitree -f\n")
	for _, c := range commands {
		fmt.Fprintf(w, "complete -c kpitree -n __fish_use_subcommand -a %s -d %s\n", c.name, fishQuote(c.summary))
	}
	for _, c := range commands {
		cond := fmt.Sprintf("__fish_seen_subcommand_from %s", c.name)
		for _, f := range flagNames(c) {
			line := fmt.Sprintf("complete -c kpitree -n %q -l %s -d %s", cond, f.Name, fishQuote(firstLine(f.Usage)))
			if vals := flagValues(c, f.Name); len(vals) > 0 {
				line += " -x -a " + fishQuote(strings.Join(vals, " "))
			} else if bf, ok := f.Value.(interface{ IsBoolFlag() bool }); !ok || !bf.IsBoolFlag() {
				line += " -r -F"
			}
			fmt.Fprintln(w, line)
		}
		if c.name == "completion" {
			fmt.Fprintf(w, "complete -c kpitree -n %q -a 'bash zsh fish'\n", cond)
		} else {
			fmt.Fprintf(w, "complete -c kpitree -n %q -F\n", cond)
		}
	}
}

func fishQuote(s string) string {
	return "'" + strings.ReplaceAll(strings.ReplaceAll(s, `\`, `\\`), "'", `\'`) + "'"
}
