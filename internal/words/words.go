// Package words reads the word lists that the SMART and OKR linters ship
// (vague words, activity verbs), one list per language.
package words

import (
	"bufio"
	"io/fs"
	"strings"
	"unicode"
)

// Load reads the list named name from fsys: one word or phrase a line,
// lower-cased and trimmed, in file order; blank lines and lines starting
// with '#' are skipped. A missing file gives nil.
func Load(fsys fs.FS, name string) []string {
	f, err := fsys.Open(name)
	if err != nil {
		return nil
	}
	defer f.Close()
	var out []string
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		line := strings.TrimSpace(sc.Text())
		if line != "" && !strings.HasPrefix(line, "#") {
			out = append(out, Compose(strings.ToLower(line)))
		}
	}
	return out
}

// Tokens splits text into lower-case words, with Vietnamese letters
// composed (so "tăng" matches however it was typed); '-' and '\” stay
// inside words.
func Tokens(s string) []string {
	return strings.FieldsFunc(Compose(strings.ToLower(s)), func(r rune) bool {
		return !unicode.IsLetter(r) && !unicode.IsDigit(r) && !unicode.IsMark(r) && r != '-' && r != '\''
	})
}
