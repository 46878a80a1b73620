package tree

import (
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strconv"
	"strings"

	"github.com/kpitree/kpitree/internal/yamlfile"
)

// Format is a model file format.
type Format uint8

// The model file formats. Both hold the same document; see Schema.
const (
	YAML Format = iota
	JSON
)

// String returns "YAML" or "JSON".
func (f Format) String() string {
	switch f {
	case YAML:
		return "YAML"
	case JSON:
		return "JSON"
	}
	return "Format(" + strconv.Itoa(int(f)) + ")"
}

// ErrDecode is the sentinel every *DecodeError matches with errors.Is.
var ErrDecode = errors.New("tree: invalid model file")

// maxDecodeErrors is the number of problems Load reports at most.
const maxDecodeErrors = yamlfile.MaxErrors

// DecodeError is a problem in a model file, with its position.
type DecodeError struct {
	File   string // file name given to Load ("" if none)
	Line   int    // 1-based line
	Column int    // 1-based column, in characters
	Path   string // where in the document, e.g. metrics[3].targets[0].value ("" for the whole file)
	Msg    string // what is wrong
	Hint   string // how to fix it, e.g. `did you mean "unit"?` ("" if none)
}

// Error returns a message such as
//
//	webshop.yaml:12:7: metrics[3]: unknown key "unti" (did you mean "unit"?)
func (e *DecodeError) Error() string { return (*yamlfile.Error)(e).Error() }

// Is reports whether target is ErrDecode.
func (e *DecodeError) Is(target error) bool { return target == ErrDecode }

// Load decodes a model from YAML or JSON. name is used in error messages
// (a file name, or ""). The format is detected: input whose first
// non-space byte is '{' is JSON, anything else YAML.
//
// Decoding is strict: unknown keys, values of the wrong type, duplicate
// keys and metric ids, unknown enumeration values, invalid periods,
// missing required keys, non-finite numbers, YAML anchors and aliases and
// syntax errors are all errors. Load reports every problem it finds, up to
// 20, joined with errors.Join; each is a *DecodeError with the line and
// column of the problem, and matches ErrDecode with errors.Is. Errors
// reading r are returned as they are.
//
// Load checks the file, not the model: that metric references resolve and
// formulas parse is checked by Compile, which reports the positions of the
// loaded file too.
func Load(r io.Reader, name string) (*Model, error) {
	data, err := yamlfile.ReadAll(r)
	if err != nil {
		if name != "" {
			return nil, fmt.Errorf("tree: read %s: %w", name, err)
		}
		return nil, fmt.Errorf("tree: read model: %w", err)
	}
	return decode(data, name)
}

// LoadFile reads and decodes the model file at path (see Load); path is
// the file name in error messages.
func LoadFile(path string) (*Model, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("tree: %w", err)
	}
	defer f.Close()
	data, err := yamlfile.ReadAll(f)
	if err != nil {
		return nil, fmt.Errorf("tree: %w", err)
	}
	return decode(data, path)
}

// Save writes m in format f (YAML or JSON). The output lists keys in a
// fixed order ("kpitree" first), omits optional fields that are empty or
// zero, and writes numbers so that they read back exactly: Load of the
// output gives a model equal to m. Save fails if a number is not finite
// or a value has no text form (an invalid Kind, say).
func (m *Model) Save(w io.Writer, f Format) error {
	b, err := m.encode(f)
	if err != nil {
		return err
	}
	_, err = w.Write(b)
	return err
}

// SaveFile writes m to path, as JSON if the name ends in ".json" and as
// YAML if it ends in ".yaml" or ".yml"; other extensions are an error.
func (m *Model) SaveFile(path string) error {
	var f Format
	switch strings.ToLower(filepath.Ext(path)) {
	case ".yaml", ".yml":
		f = YAML
	case ".json":
		f = JSON
	default:
		return fmt.Errorf("tree: save %s: unknown extension %q: want .yaml, .yml or .json", path, filepath.Ext(path))
	}
	b, err := m.encode(f)
	if err != nil {
		return err
	}
	return os.WriteFile(path, b, 0o644)
}

// isJSON reports whether data's first non-space byte is '{'.
func isJSON(data []byte) bool { return yamlfile.IsJSON(data) }
