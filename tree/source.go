package tree

// sourceMap records where the parts of a model were declared in the file
// it was loaded from, so that later stages (Compile, the checks) can point
// at a line and column.
type sourceMap struct {
	file    string
	metric  map[string]pos // metric id -> position of the metric's entry
	formula map[string]pos // metric id -> position of the first character of its formula
	paths   map[string]pos // path ("links[0].from") -> position of its value
}

// pos is a 1-based line and column.
type pos struct{ line, col int }

// position returns where the metric with the given id (formula false) or
// its formula (formula true) was declared, if m was loaded from a file.
// For a formula the column is that of its first character (after an
// opening quote; for a block scalar, the first character of its content).
func (m *Model) position(id string, formula bool) (file string, line, col int, ok bool) {
	if m == nil || m.src == nil {
		return "", 0, 0, false
	}
	tbl := m.src.metric
	if formula {
		tbl = m.src.formula
	}
	p, ok := tbl[id]
	if !ok {
		return "", 0, 0, false
	}
	return m.src.file, p.line, p.col, true
}

// pathPosition returns where the value at path (as in "links[2].to" or
// "metrics[3].targets[0]") was written, if m was loaded from a file.
func (m *Model) pathPosition(path string) (file string, line, col int, ok bool) {
	if m == nil || m.src == nil || m.src.paths == nil {
		return "", 0, 0, false
	}
	p, ok := m.src.paths[path]
	if !ok {
		return "", 0, 0, false
	}
	return m.src.file, p.line, p.col, true
}

// locate sets e's file position from its Field path, when the model came
// from a file and e has no position yet.
func (m *Model) locate(e *ModelError) *ModelError {
	if e.File == "" {
		if file, line, col, ok := m.pathPosition(e.Field); ok {
			e.File, e.Line, e.Column = file, line, col
		}
	}
	return e
}
