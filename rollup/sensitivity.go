package rollup

import (
	"cmp"
	"fmt"
	"iter"
	"math"
	"slices"
)

// ElasticityOptions configure Elasticities. The zero value uses a
// relative step of 1e-4 and an arc of ±10%, for every input the output
// depends on.
type ElasticityOptions struct {
	// Step is the relative step of the central difference (default 1e-4;
	// for an input at zero it is an absolute step).
	Step float64
	// ArcPct is the half-width of the arc, in percent (default 10: the
	// arc runs from 0.9x to 1.1x).
	ArcPct float64
	// Inputs restricts the inputs (default: every input the output
	// depends on in the same period, in declaration order).
	Inputs []string
}

// Elasticity is an output's sensitivity to one input at the session's
// values.
type Elasticity struct {
	Input string
	Value float64 // the input's value
	// Derivative is ∂output/∂input by a central difference.
	Derivative float64
	// Point is the point elasticity Derivative·x/y: the percentage change
	// of the output for a 1% change of the input (NaN when the output is 0).
	Point float64
	// Arc is the arc (midpoint) elasticity over [x(1−p), x(1+p)]:
	// (Δy/ȳ)/(Δx/x̄) with ȳ, x̄ the midpoints.
	Arc float64
}

// Elasticities returns the elasticity of output with respect to each
// input, point and arc. Each step recomputes only the input's cone.
func (s *Session) Elasticities(output string, opt ElasticityOptions) ([]Elasticity, error) {
	oi, err := s.index(output)
	if err != nil {
		return nil, err
	}
	step, arc := opt.Step, opt.ArcPct
	if step == 0 {
		step = 1e-4
	}
	if arc == 0 {
		arc = 10
	}
	if !(step > 0 && step < 1) || !(arc > 0 && arc < 100) {
		return nil, fmt.Errorf("%w: elasticity step %v, arc %v%%", ErrInvalidArgument, opt.Step, opt.ArcPct)
	}
	ins, err := s.inputsOf(oi, opt.Inputs)
	if err != nil {
		return nil, err
	}
	vals := s.e.Values()
	y := vals[oi]
	if !finite(y) {
		return nil, fmt.Errorf("%w: %s is %v", ErrNonFinite, output, y)
	}
	out := make([]Elasticity, 0, len(ins))
	for _, i := range ins {
		x := vals[i]
		k := s.coneOf(i)
		at := func(v float64) float64 {
			s.setTrial(k, i, v)
			return vals[oi]
		}
		h := step * math.Abs(x)
		if x == 0 {
			h = step
		}
		yp, ym := at(x+h), at(x-h)
		p := arc / 100
		xl, xh := x*(1-p), x*(1+p)
		yl, yh := at(xl), at(xh)
		s.setTrial(k, i, x)
		el := Elasticity{Input: s.c.ID(i), Value: x, Derivative: (yp - ym) / ((x + h) - (x - h))}
		el.Point = el.Derivative * x / y
		if y == 0 {
			el.Point = math.NaN()
		}
		el.Arc = ((yh - yl) / ((yh + yl) / 2)) / ((xh - xl) / ((xh + xl) / 2))
		if x == 0 {
			el.Arc = math.NaN()
		}
		out = append(out, el)
	}
	return out, nil
}

// inputsOf resolves ids (default: every same-period input under node oi).
func (s *Session) inputsOf(oi int, ids []string) ([]int, error) {
	if len(ids) == 0 {
		return upstreamInputs(s.c, oi), nil
	}
	var out []int
	for _, id := range ids {
		i, err := s.index(id)
		if err != nil {
			return nil, err
		}
		out = append(out, i)
	}
	return out, nil
}

// Range is a low–high range of one input, for Tornado.
type Range struct {
	Input     string
	Low, High float64
}

// TornadoOptions configure Tornado. The zero value moves every input the
// output depends on by ±10%.
type TornadoOptions struct {
	// Pct moves each input to x(1 − Pct/100) and x(1 + Pct/100)
	// (default 10); the lower of the two is the bar's Low, also for a
	// negative x.
	Pct float64
	// Ranges, when set, gives each input's low and high values instead
	// (only these inputs are used).
	Ranges []Range
}

// Bar is one input's bar in a tornado.
type Bar struct {
	Input          string
	Low, High      float64 // the input's low and high values
	AtLow, AtHigh  float64 // the output with the input at Low and High
	Swing          float64 // |AtHigh − AtLow|
	Min, Max       float64 // the output's smallest and largest change from the base
	Rank           int     // 1 for the largest swing
	DeclarationPos int     // the input's node index, which breaks exact ties
}

// Tornado is the output's sensitivity to each input moved alone, bars
// ranked by swing.
type Tornado struct {
	Output string
	Base   float64
	Bars   []Bar
}

// Tornado moves each input alone to its low and high values and ranks
// the inputs by the swing of output, largest first; exactly equal swings
// keep the inputs' declaration order. A NaN swing ranks last.
func (s *Session) Tornado(output string, opt TornadoOptions) (*Tornado, error) {
	oi, err := s.index(output)
	if err != nil {
		return nil, err
	}
	pct := opt.Pct
	if pct == 0 {
		pct = 10
	}
	if !(pct > 0) || math.IsInf(pct, 0) {
		return nil, fmt.Errorf("%w: tornado by ±%v%%", ErrInvalidArgument, opt.Pct)
	}
	vals := s.e.Values()
	t := &Tornado{Output: output, Base: vals[oi]}
	var rs []Range
	if len(opt.Ranges) > 0 {
		rs = opt.Ranges
	} else {
		for _, i := range upstreamInputs(s.c, oi) {
			x := vals[i]
			a, b := x*(1-pct/100), x*(1+pct/100)
			rs = append(rs, Range{Input: s.c.ID(i), Low: math.Min(a, b), High: math.Max(a, b)})
		}
	}
	for _, r := range rs {
		i, err := s.index(r.Input)
		if err != nil {
			return nil, err
		}
		if slices.ContainsFunc(t.Bars, func(b Bar) bool { return b.DeclarationPos == i }) {
			return nil, fmt.Errorf("%w: tornado range for %s given twice", ErrInvalidArgument, r.Input)
		}
		x := vals[i]
		k := s.coneOf(i)
		s.setTrial(k, i, r.Low)
		lo := vals[oi]
		s.setTrial(k, i, r.High)
		hi := vals[oi]
		s.setTrial(k, i, x)
		b := Bar{Input: r.Input, Low: r.Low, High: r.High, AtLow: lo, AtHigh: hi, Swing: math.Abs(hi - lo),
			Min: math.Min(lo, hi) - t.Base, Max: math.Max(lo, hi) - t.Base, DeclarationPos: i}
		t.Bars = append(t.Bars, b)
	}
	slices.SortStableFunc(t.Bars, func(a, b Bar) int {
		an, bn := math.IsNaN(a.Swing), math.IsNaN(b.Swing)
		switch {
		case an != bn:
			if an {
				return 1
			}
			return -1
		case !an && a.Swing != b.Swing:
			return cmp.Compare(b.Swing, a.Swing)
		}
		return cmp.Compare(a.DeclarationPos, b.DeclarationPos)
	})
	for j := range t.Bars {
		t.Bars[j].Rank = j + 1
	}
	return t, nil
}

// Sweep is one input of a data table and the values it takes.
type Sweep struct {
	Input  string
	Values []float64
}

// Table is a one- or two-way data table: outputs tabulated over the grid
// of one or two swept inputs.
type Table struct {
	Outputs []string
	Rows    Sweep
	Cols    Sweep // Input "" for a one-way table
	cells   []float64
}

// TableCell is one value of a Table.
type TableCell struct {
	Output   string
	Row, Col int     // indices into Rows.Values and Cols.Values (Col 0 in a one-way table)
	X, Y     float64 // the swept inputs' values (Y NaN in a one-way table)
	Value    float64
}

func (t *Table) ncols() int {
	if t.Cols.Input == "" {
		return 1
	}
	return len(t.Cols.Values)
}

// At returns output o (an index into Outputs) at row i and column j (0
// in a one-way table).
func (t *Table) At(o, i, j int) float64 {
	nc := t.ncols()
	return t.cells[(o*len(t.Rows.Values)+i)*nc+j]
}

// Cells yields every cell, output by output, row by row, column by column.
func (t *Table) Cells() iter.Seq[TableCell] {
	return func(yield func(TableCell) bool) {
		nc := t.ncols()
		for o, id := range t.Outputs {
			for i, x := range t.Rows.Values {
				for j := range nc {
					y := math.NaN()
					if t.Cols.Input != "" {
						y = t.Cols.Values[j]
					}
					if !yield(TableCell{Output: id, Row: i, Col: j, X: x, Y: y, Value: t.At(o, i, j)}) {
						return
					}
				}
			}
		}
	}
}

// DataTable sweeps one input (rows) or two (rows and cols) over their
// values and tabulates outputs, like a spreadsheet's data table. Each
// cell recomputes only the swept inputs' cone. The session is left as it
// was.
func (s *Session) DataTable(outputs []string, rows Sweep, cols ...Sweep) (*Table, error) {
	if len(cols) > 1 || len(outputs) == 0 || len(rows.Values) == 0 || len(cols) == 1 && len(cols[0].Values) == 0 {
		return nil, fmt.Errorf("%w: a data table needs outputs and one or two non-empty sweeps", ErrInvalidArgument)
	}
	t := &Table{Outputs: slices.Clone(outputs), Rows: rows}
	ri, err := s.index(rows.Input)
	if err != nil {
		return nil, err
	}
	ci := -1
	if len(cols) == 1 {
		t.Cols = cols[0]
		if ci, err = s.index(cols[0].Input); err != nil {
			return nil, err
		}
		if ci == ri {
			return nil, fmt.Errorf("%w: both sweeps vary %s", ErrInvalidArgument, rows.Input)
		}
	}
	outs := make([]int, len(outputs))
	for o, id := range outputs {
		if outs[o], err = s.index(id); err != nil {
			return nil, err
		}
	}
	vals := s.e.Values()
	changed := []int{ri}
	if ci >= 0 {
		changed = append(changed, ci)
	}
	k := s.coneOf(changed...)
	x0, y0 := vals[ri], 0.0
	if ci >= 0 {
		y0 = vals[ci]
	}
	nc := t.ncols()
	nr := len(rows.Values)
	t.cells = make([]float64, len(outputs)*nr*nc)
	for i, x := range rows.Values {
		vals[ri] = x
		for j := range nc {
			if ci >= 0 {
				vals[ci] = t.Cols.Values[j]
			}
			s.runConeOf(k)
			for o, oi := range outs {
				t.cells[(o*nr+i)*nc+j] = vals[oi]
			}
		}
	}
	vals[ri] = x0
	if ci >= 0 {
		vals[ci] = y0
	}
	s.runConeOf(k)
	return t, nil
}
