package tree

import (
	"errors"
	"fmt"
	"iter"
	"strconv"
	"strings"

	"github.com/kpitree/kpitree/internal/formula"
	"github.com/kpitree/kpitree/internal/yamlfile"
)

// Limits of the model format and of Compile. Load reports a file beyond
// one of them as a *DecodeError at the line and column where the limit is
// crossed, and Compile a model built in Go as a *ModelError, so that the
// cost of loading and compiling is bounded by the size of the input.
const (
	// MaxFileSize is the largest model file Load reads, in bytes.
	MaxFileSize = yamlfile.MaxFileSize
	// MaxDepth is the deepest nesting of lists and mappings in a file.
	MaxDepth = yamlfile.MaxDepth
	// MaxValues is the most values (scalars, lists, mappings) in a file.
	MaxValues = yamlfile.MaxNodes
	// MaxIDLength is the longest metric id, in bytes.
	MaxIDLength = 256
)

// quietEnv is a modelEnv that offers no names for suggestions: Compile
// parses formulas with it and suggests names (addNameHint) only for the
// errors it reports, so that a file full of unknown names costs no more
// than the errors kept.
type quietEnv struct{ *modelEnv }

func (quietEnv) Names() iter.Seq[string] { return func(func(string) bool) {} }

// addNameHint gives an unknown-name error from a quietEnv parse its "did
// you mean".
func addNameHint(fe *formula.Error, env *modelEnv) {
	if !errors.Is(fe, formula.ErrUnknownName) || fe.Hint != "" {
		return
	}
	name, err := strconv.Unquote(strings.TrimPrefix(fe.Msg, "unknown name "))
	if err != nil {
		return
	}
	if s := formula.Suggest(name, env.Names()); s != "" {
		fe.Hint = fmt.Sprintf("did you mean %q?", s)
	}
}
