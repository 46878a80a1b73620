package tree

// sourceMap records where the parts of a model were declared in the file
// it was loaded from, so that later stages (Compile, the checks) can point
// at a line and column.
type sourceMap struct {
	file    string
	metric  map[string]pos // metric id -> position of the metric's entry
	formula map[string]pos // metric id -> position of the first character of its formula
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
