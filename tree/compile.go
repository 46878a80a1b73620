package tree

import (
	"fmt"
	"iter"
	"math"
	"runtime"
	"slices"
	"strings"
	"sync"

	"github.com/kpitree/kpitree/internal/engine"
	"github.com/kpitree/kpitree/internal/formula"
	"github.com/kpitree/kpitree/internal/yamlfile"
	"github.com/kpitree/kpitree/metric"
)

// Dep is one input of a derived metric: metric Node, Lag periods earlier.
type Dep struct {
	Node int
	Lag  int
}

// Lag is a value some formula reads from an earlier period: metric Node,
// Lag (>= 1) periods back. Evaluators hold one slot per Lag.
type Lag struct {
	Node int
	Lag  int
}

// Compiled is a validated model with its evaluation plan. It is
// immutable and safe for concurrent use by any number of goroutines; each
// goroutine evaluates through its own Evaluator.
//
// Compile does not copy the Model's metrics: the Compiled refers to them
// for their metadata (targets, units, directions), so the Model must not
// be modified after it is compiled (clone it first if you must).
type Compiled struct {
	model  *Model
	ids    []string
	sorted []int32 // node indices sorted by id
	kind   []nodeKind
	// same-period and lagged dependencies, CSR: deps[depAt[i]:depAt[i+1]]
	depAt []int32
	deps  []Dep
	// reverse same-period edges, CSR
	useAt []int32
	users []int32
	order []int32 // derived nodes in evaluation order
	pos   []int32 // pos[i]: node i's position in order (-1 for inputs)
	lags  []Lag
	prog  *engine.Program
	// formulas kept as source; re-parsed on demand for diagnostics
	env   *modelEnv
	gofns map[int]*goFunc
	eng   Engine
	noJIT bool
	// minNative overrides the engine's size threshold for native code
	// (tests); 0 keeps the default.
	minNative int
	edgeIndex
	// whatIf is the model with drivers as inputs (nil without drivers);
	// measured, on that model, points back to the one it came from.
	whatIf, measured *Compiled
}

type nodeKind uint8

const (
	inputNode nodeKind = iota
	formulaNode
	goFuncNode
)

type goFunc struct {
	inputs []int
	fn     func([]float64) float64
}

// Option configures Compile.
type Option func(*config)

type config struct {
	engine    Engine
	funcs     []*formula.Func
	gofns     []goFuncSpec
	errs      []error
	serial    bool
	noJIT     bool
	minNative int
	whatIf    bool // compiling the what-if model: drivers are inputs there
}

type goFuncSpec struct {
	id     string
	inputs []string
	fn     func([]float64) float64
}

// WithEngine evaluates formulas with e instead of the built-in compiled
// engine (see ExprEngine).
func WithEngine(e Engine) Option { return func(c *config) { c.engine = e } }

// WithFunction registers a function that formulas can call by name. fn
// must be a func(float64) float64, func(float64, float64) float64,
// func(float64, float64, float64) float64 or func(...float64) float64; it
// must be pure (same arguments, same result) and safe for concurrent use.
// The name must be an identifier that is not a built-in function or a
// keyword. Problems are reported by Compile.
func WithFunction(name string, fn any) Option {
	return func(c *config) {
		f, err := formula.NewFunc(name, fn)
		if err != nil {
			c.errs = append(c.errs, &ModelError{Field: "WithFunction", Msg: err.Error(), kind: ErrOption})
			return
		}
		for _, g := range c.funcs {
			if g.Name == name {
				c.errs = append(c.errs, &ModelError{Field: "WithFunction", Msg: fmt.Sprintf("function %q registered twice", name), kind: ErrOption})
				return
			}
		}
		c.funcs = append(c.funcs, f)
	}
}

// WithGoFunc makes metric id a node computed by fn from the values of
// inputs (metric ids, same period), in that order. The metric must exist
// and have no formula. fn must be pure and safe for concurrent use; the
// slice it receives is only valid during the call.
func WithGoFunc(id string, inputs []string, fn func(in []float64) float64) Option {
	return func(c *config) {
		if fn == nil {
			c.errs = append(c.errs, &ModelError{Metric: id, Field: "WithGoFunc", Msg: "function is nil", kind: ErrOption})
			return
		}
		c.gofns = append(c.gofns, goFuncSpec{id: id, inputs: slices.Clone(inputs), fn: fn})
	}
}

// WithNativeCode(false) keeps evaluation in the interpreter instead of
// compiling the program to machine code. By default, on linux/amd64
// (without the purego build tag or the race detector) a model of at
// least a few hundred instructions is compiled to native code for
// Evaluator.Run and cone re-evaluation: formulas of + - * /,
// comparisons, && || !, ?:, min, max, abs, sqrt, floor and ceil as
// machine code, others in the interpreter between them. Results are
// identical either way. Turn it off to profile formula evaluation (CPU
// profiles cannot see inside machine code); see ReadNativeCodeStats.
func WithNativeCode(enabled bool) Option { return func(c *config) { c.noJIT = !enabled } }

// serialCompile disables parallel parsing (tests).
func serialCompile() Option { return func(c *config) { c.serial = true } }

// nativeThreshold compiles programs of at least n instructions to
// machine code (tests: small models run native).
func nativeThreshold(n int) Option { return func(c *config) { c.minNative = n } }

// modelEnv resolves names for formulas.
type modelEnv struct {
	ids    []string
	sorted []int32
	funcs  []*formula.Func
	// index speeds up lookups while compiling; it is dropped afterwards
	// so that a compiled model keeps only sorted (4 bytes per node).
	index map[string]int32
}

func (e *modelEnv) Lookup(name string) (int, bool) {
	if e.index != nil {
		i, ok := e.index[name]
		return int(i), ok
	}
	i, ok := slices.BinarySearchFunc(e.sorted, name, func(k int32, n string) int { return strings.Compare(e.ids[k], n) })
	if !ok {
		return -1, false
	}
	return int(e.sorted[i]), true
}

func (e *modelEnv) Names() iter.Seq[string] { return slices.Values(e.ids) }

func (e *modelEnv) Func(name string) *formula.Func {
	for _, f := range e.funcs {
		if f.Name == name {
			return f
		}
	}
	return nil
}

func (e *modelEnv) FuncNames() iter.Seq[string] {
	return func(yield func(string) bool) {
		for _, f := range e.funcs {
			if !yield(f.Name) {
				return
			}
		}
	}
}

// Compile validates m and builds its evaluation plan. All problems found
// are returned together (up to 50), in declaration order, joined with
// errors.Join; each matches ErrInvalidModel and a specific sentinel, and
// is a *FormulaError, *ModelError or *CycleError for errors.As.
//
// Validation covers: ids (present, identifiers, not keywords, unique);
// formulas (syntax, the allowed language, unknown names with a "did you
// mean", types, arity); references of links and decompositions; segment
// conditions against their dimensions (kind and values); targets;
// and same-period dependency cycles (a loop through prev() is allowed).
// Structural smells — a KPI with no path to a KGI, a KSF that drives
// nothing — are not errors; the checks report them.
func Compile(m *Model, opts ...Option) (*Compiled, error) {
	if m == nil {
		return nil, &ModelError{Msg: "nil model", kind: ErrInvalidValue}
	}
	var cfg config
	for _, o := range opts {
		o(&cfg)
	}
	var errs errorList
	for _, e := range cfg.errs {
		errs.add(e)
	}
	n := len(m.Metrics)
	c := &Compiled{model: m, ids: make([]string, n), kind: make([]nodeKind, n), eng: cfg.engine}
	for i := range m.Metrics {
		c.ids[i] = m.Metrics[i].ID
	}
	// ids
	c.sorted = make([]int32, n)
	for i := range c.sorted {
		c.sorted[i] = int32(i)
	}
	slices.SortStableFunc(c.sorted, func(a, b int32) int { return strings.Compare(c.ids[a], c.ids[b]) })
	for i := range m.Metrics {
		id := c.ids[i]
		switch {
		case id == "":
			errs.add(m.modelErr(i, "id", ErrInvalidID, "metric has no id", "give every metric an id such as revenue"))
		case len(id) > MaxIDLength:
			errs.add(m.modelErr(i, "id", ErrInvalidID, fmt.Sprintf("id %s is %d bytes long, more than %d", yamlfile.Quote(id), len(id), MaxIDLength), "use a shorter id"))
		case !formula.IsIdent(id):
			errs.add(m.modelErr(i, "id", ErrInvalidID, fmt.Sprintf("%q is not an identifier", id), "use letters, digits and '_', not starting with a digit, so formulas can name it"))
		case formula.Keyword(id):
			errs.add(m.modelErr(i, "id", ErrInvalidID, fmt.Sprintf("%q is a keyword of the formula language", id), "rename it"))
		}
	}
	for k := 1; k < n; k++ {
		a, b := c.sorted[k-1], c.sorted[k]
		if c.ids[a] == c.ids[b] && c.ids[a] != "" {
			first := min(a, b)
			errs.add(m.modelErr(int(max(a, b)), "id", ErrDuplicateID,
				fmt.Sprintf("duplicate id %q (first declared as metrics[%d])", c.ids[a], first), "ids must be unique"))
		}
	}
	env := &modelEnv{ids: c.ids, sorted: c.sorted, funcs: cfg.funcs, index: make(map[string]int32, n)}
	for i, id := range c.ids {
		if _, dup := env.index[id]; !dup {
			env.index[id] = int32(i)
		}
	}
	defer func() { env.index = nil }()
	c.env = env
	for _, f := range cfg.funcs {
		if _, ok := env.Lookup(f.Name); ok {
			errs.add(&ModelError{Field: "WithFunction", Msg: fmt.Sprintf("function %q has the same name as a metric", f.Name), kind: ErrOption})
		}
	}
	// targets and metadata
	for i := range m.Metrics {
		mt := &m.Metrics[i]
		for j, t := range mt.Targets {
			if err := t.Validate(mt.Direction); err != nil {
				errs.add(m.modelErr(i, fmt.Sprintf("targets[%d]", j), ErrInvalidValue, err.Error(), ""))
			}
			if t.Period.IsZero() {
				errs.add(m.modelErr(i, fmt.Sprintf("targets[%d].period", j), ErrInvalidValue, "target has no period", "every target needs a deadline: a period such as 2027 or 2026-Q3"))
			} else if _, err := periodText(m.Calendar, t.Period); err != nil {
				errs.add(m.modelErr(i, fmt.Sprintf("targets[%d].period", j), ErrInvalidValue, err.Error(), ""))
			}
			if !t.Start.IsZero() {
				if _, err := periodText(m.Calendar, t.Start); err != nil {
					errs.add(m.modelErr(i, fmt.Sprintf("targets[%d].start", j), ErrInvalidValue, err.Error(), ""))
				}
			}
		}
		if mt.Initial != nil && math.IsNaN(*mt.Initial) {
			errs.add(m.modelErr(i, "initial", ErrInvalidValue, "initial value is NaN", "leave it unset for a missing value"))
		}
	}
	// go funcs
	c.gofns = map[int]*goFunc{}
	for _, g := range cfg.gofns {
		i, ok := env.Lookup(g.id)
		if !ok {
			errs.add(&ModelError{Metric: g.id, Field: "WithGoFunc", Msg: "no such metric", Hint: suggestHint(env, g.id), kind: ErrUnknownRef})
			continue
		}
		if m.Metrics[i].Derived() {
			errs.add(m.modelErr(i, "WithGoFunc", ErrOption, "metric has a formula; a Go function node must have none", ""))
			continue
		}
		gf := &goFunc{fn: g.fn}
		bad := false
		for _, in := range g.inputs {
			j, ok := env.Lookup(in)
			if !ok {
				errs.add(&ModelError{Metric: g.id, Field: "WithGoFunc", Msg: fmt.Sprintf("unknown input %q", in), Hint: suggestHint(env, in), kind: ErrUnknownRef})
				bad = true
				continue
			}
			gf.inputs = append(gf.inputs, j)
		}
		if !bad {
			c.gofns[i] = gf
			c.kind[i] = goFuncNode
		}
	}
	m.checkMetricOptions(env, cfg.whatIf, &errs)
	// formulas, parsed in parallel
	exprs := c.parseAll(m, env, cfg.serial, &errs)
	var drivers []driverSpec
	if !cfg.whatIf {
		drivers = c.checkDrivers(m, exprs, &errs)
	}
	// links and decompositions
	m.checkRefs(env, &errs)
	if errs.err() != nil {
		return nil, errs.err()
	}
	// dependency graph
	c.buildDeps(exprs)
	if cyc := c.findCycle(); cyc != nil {
		return nil, cyc
	}
	c.pos = make([]int32, n)
	for i := range c.pos {
		c.pos[i] = -1
	}
	for k, i := range c.order {
		c.pos[i] = int32(k)
	}
	c.noJIT = cfg.noJIT
	c.minNative = cfg.minNative
	if err := c.plan(exprs); err != nil {
		return nil, err
	}
	if err := c.compileWhatIf(m, drivers, opts); err != nil {
		return nil, err
	}
	return c, nil
}

func suggestHint(env *modelEnv, name string) string {
	if s := formula.Suggest(name, env.Names()); s != "" {
		return fmt.Sprintf("did you mean %q?", s)
	}
	return ""
}

func (m *Model) modelErr(i int, field string, kind error, msg, hint string) *ModelError {
	e := &ModelError{Metric: m.Metrics[i].ID, Field: field, Msg: msg, Hint: hint, kind: kind}
	if e.Metric == "" {
		e.Field = fmt.Sprintf("metrics[%d].%s", i, field)
	}
	if file, line, col, ok := m.pathPosition(fmt.Sprintf("metrics[%d].%s", i, field)); ok {
		e.File, e.Line, e.Column = file, line, col
	} else if file, line, col, ok := m.position(m.Metrics[i].ID, false); ok {
		e.File, e.Line, e.Column = file, line, col
	}
	return e
}

func (c *Compiled) parseAll(m *Model, env *modelEnv, serial bool, errs *errorList) []*formula.Expr {
	n := len(m.Metrics)
	exprs := make([]*formula.Expr, n)
	perr := make([]error, n)
	work := func(lo, hi int) {
		for i := lo; i < hi; i++ {
			mt := &m.Metrics[i]
			if !mt.Derived() {
				continue
			}
			e, err := formula.Parse(mt.ID, mt.Formula, quietEnv{env})
			if err != nil {
				perr[i] = err
				continue
			}
			exprs[i] = e
		}
	}
	workers := runtime.GOMAXPROCS(0)
	if serial || n < 2048 || workers == 1 {
		work(0, n)
	} else {
		var wg sync.WaitGroup
		chunk := (n + workers - 1) / workers
		for lo := 0; lo < n; lo += chunk {
			wg.Add(1)
			go func(lo, hi int) {
				defer wg.Done()
				work(lo, hi)
			}(lo, min(lo+chunk, n))
		}
		wg.Wait()
	}
	for i, err := range perr {
		if err == nil {
			if exprs[i] != nil {
				c.kind[i] = formulaNode
			}
			continue
		}
		if fe, ok := err.(*formula.Error); ok {
			if errs.room() {
				addNameHint(fe, env)
			}
			errs.add(fromFormulaError(m, fe))
		} else {
			errs.add(m.modelErr(i, "formula", ErrFormula, err.Error(), ""))
		}
	}
	return exprs
}

func (m *Model) checkRefs(env *modelEnv, errs *errorList) {
	ref := func(field, id string) {
		if id == "" {
			errs.add(m.locate(&ModelError{Field: field, Msg: "missing metric id", kind: ErrUnknownRef}))
			return
		}
		if _, ok := env.Lookup(id); !ok {
			errs.add(m.locate(&ModelError{Field: field, Msg: fmt.Sprintf("unknown metric %q", id), Hint: errs.hint(env, id), kind: ErrUnknownRef}))
		}
	}
	for i, l := range m.Links {
		ref(fmt.Sprintf("links[%d].from", i), l.From)
		ref(fmt.Sprintf("links[%d].to", i), l.To)
		if l.From == l.To && l.From != "" {
			errs.add(m.locate(&ModelError{Metric: l.From, Field: fmt.Sprintf("links[%d]", i), Msg: "a metric cannot cause itself", kind: ErrSelfRef}))
		}
		if l.Lag < 0 {
			errs.add(m.locate(&ModelError{Field: fmt.Sprintf("links[%d].lag", i), Msg: fmt.Sprintf("negative lag %d", l.Lag), Hint: "a cause precedes its effect: lag is 0 or more periods", kind: ErrInvalidValue}))
		}
		if l.Confidence < 0 || l.Confidence > 1 || math.IsNaN(l.Confidence) {
			errs.add(m.locate(&ModelError{Field: fmt.Sprintf("links[%d].confidence", i), Msg: fmt.Sprintf("confidence %v is outside 0..1", l.Confidence), kind: ErrInvalidValue}))
		}
	}
	dims := map[string]*Dimension{}
	for i := range m.Dimensions {
		d := &m.Dimensions[i]
		if _, dup := dims[d.Name]; dup {
			errs.add(m.locate(&ModelError{Field: fmt.Sprintf("dimensions[%d].name", i), Msg: fmt.Sprintf("duplicate dimension %q", d.Name), kind: ErrDuplicateID}))
		}
		dims[d.Name] = d
	}
	for i, d := range m.Decompositions {
		ref(fmt.Sprintf("decompositions[%d].parent", i), d.Parent)
		for j, s := range d.Segments {
			field := fmt.Sprintf("decompositions[%d].segments[%d]", i, j)
			ref(field+".metric", s.Metric)
			if s.Metric == d.Parent && s.Metric != "" {
				errs.add(m.locate(&ModelError{Metric: s.Metric, Field: field, Msg: "a metric cannot be a segment of itself", kind: ErrSelfRef}))
			}
			for _, w := range s.Where {
				if len(m.Dimensions) > 0 {
					if _, ok := dims[w.Dimension]; !ok {
						hint := ""
						if sug := formula.Suggest(w.Dimension, func(yield func(string) bool) {
							for _, d := range m.Dimensions {
								if !yield(d.Name) {
									return
								}
							}
						}); sug != "" {
							hint = fmt.Sprintf("did you mean %q?", sug)
						}
						errs.add(m.locate(&ModelError{Field: fmt.Sprintf("%s.where.%s", field, w.Dimension), Msg: fmt.Sprintf("unknown dimension %q", w.Dimension), Hint: hint, kind: ErrUnknownRef}))
					} else {
						m.checkCondition(dims[w.Dimension], w, fmt.Sprintf("%s.where.%s", field, w.Dimension), errs)
					}
				}
				if w.Numeric && w.HasHi && !(w.Lo < w.Hi) {
					errs.add(m.locate(&ModelError{Field: fmt.Sprintf("%s.where.%s", field, w.Dimension), Msg: fmt.Sprintf("empty range [%g, %g)", w.Lo, w.Hi), kind: ErrInvalidValue}))
				}
			}
		}
	}
}

// checkCondition checks a segment's condition against its dimension: a
// list of values for a categorical dimension, each in its domain; a range
// for a numeric one. A mismatch would make the MECE checks read the
// condition as unrestricted.
func (m *Model) checkCondition(d *Dimension, w Condition, field string, errs *errorList) {
	switch {
	case d.Numeric && !w.Numeric:
		errs.add(m.locate(&ModelError{Field: field, Msg: fmt.Sprintf("dimension %q is numeric, but the condition lists values %q", d.Name, w.In), Hint: "write a range such as {lo: 0, hi: 50}", kind: ErrInvalidValue}))
	case !d.Numeric && w.Numeric:
		errs.add(m.locate(&ModelError{Field: field, Msg: fmt.Sprintf("dimension %q is categorical, but the condition is a numeric range", d.Name), Hint: fmt.Sprintf("list values among %q", d.Values), kind: ErrInvalidValue}))
	case !d.Numeric:
		for _, v := range w.In {
			if !slices.Contains(d.Values, v) {
				hint := fmt.Sprintf("dimension %q has values %q", d.Name, d.Values)
				if sug := formula.Suggest(v, slices.Values(d.Values)); sug != "" {
					hint = fmt.Sprintf("did you mean %q?", sug)
				}
				errs.add(m.locate(&ModelError{Field: field, Msg: fmt.Sprintf("%q is not a value of dimension %q", v, d.Name), Hint: hint, kind: ErrInvalidValue}))
			}
		}
	}
}

func (c *Compiled) buildDeps(exprs []*formula.Expr) {
	n := len(c.ids)
	c.depAt = make([]int32, n+1)
	total := 0
	for i := range n {
		switch c.kind[i] {
		case formulaNode:
			total += len(exprs[i].Inputs)
		case goFuncNode:
			total += len(c.gofns[i].inputs)
		}
	}
	c.deps = make([]Dep, 0, total)
	indeg := make([]int32, n+1)
	for i := range n {
		c.depAt[i] = int32(len(c.deps))
		switch c.kind[i] {
		case formulaNode:
			for _, in := range exprs[i].Inputs {
				c.deps = append(c.deps, Dep{Node: in.Index, Lag: in.Lag})
			}
		case goFuncNode:
			for _, j := range c.gofns[i].inputs {
				c.deps = append(c.deps, Dep{Node: j})
			}
		}
		for _, d := range c.deps[c.depAt[i]:] {
			if d.Lag == 0 {
				indeg[d.Node+1]++
			}
		}
	}
	c.depAt[n] = int32(len(c.deps))
	// reverse edges (same period only)
	for i := 1; i <= n; i++ {
		indeg[i] += indeg[i-1]
	}
	c.useAt = indeg
	c.users = make([]int32, indeg[n])
	fill := slices.Clone(indeg[:n])
	for i := range n {
		for _, d := range c.deps[c.depAt[i]:c.depAt[i+1]] {
			if d.Lag == 0 {
				c.users[fill[d.Node]] = int32(i)
				fill[d.Node]++
			}
		}
	}
}

// findCycle orders the derived nodes (depth first, in declaration and
// formula order: deterministic) and returns a *CycleError for the first
// same-period loop found.
func (c *Compiled) findCycle() error {
	n := len(c.ids)
	const (
		white = 0
		grey  = 1
		black = 2
	)
	color := make([]uint8, n)
	type frame struct {
		node int32
		next int32
	}
	var stack []frame
	c.order = make([]int32, 0, n)
	for root := range n {
		if color[root] != white {
			continue
		}
		stack = append(stack[:0], frame{node: int32(root), next: c.depAt[root]})
		color[root] = grey
		for len(stack) > 0 {
			top := &stack[len(stack)-1]
			end := c.depAt[top.node+1]
			pushed := false
			for top.next < end {
				d := c.deps[top.next]
				top.next++
				if d.Lag != 0 {
					continue
				}
				switch color[d.Node] {
				case white:
					color[d.Node] = grey
					stack = append(stack, frame{node: int32(d.Node), next: c.depAt[d.Node]})
					pushed = true
				case grey:
					// the loop is the stack from d.Node to the top
					var path []string
					for k := len(stack) - 1; k >= 0; k-- {
						path = append(path, c.ids[stack[k].node])
						if int(stack[k].node) == d.Node {
							break
						}
					}
					slices.Reverse(path)
					// path[0] is d.Node; present as "x uses y uses ... uses x"
					path = append(path, c.ids[d.Node])
					return &CycleError{Path: path}
				}
				if pushed {
					break
				}
			}
			if pushed {
				continue
			}
			color[top.node] = black
			if c.kind[top.node] != inputNode {
				c.order = append(c.order, top.node)
			}
			stack = stack[:len(stack)-1]
		}
	}
	return nil
}

func (c *Compiled) plan(exprs []*formula.Expr) error {
	n := len(c.ids)
	// lag slots, in order of first use along the evaluation order
	lagIndex := map[Lag]int{}
	for _, i := range c.order {
		for _, d := range c.deps[c.depAt[i]:c.depAt[i+1]] {
			if d.Lag > 0 {
				k := Lag(d)
				if _, ok := lagIndex[k]; !ok {
					lagIndex[k] = len(c.lags)
					c.lags = append(c.lags, k)
				}
			}
		}
	}
	slot := func(in formula.Input) int {
		if in.Lag == 0 {
			return in.Index
		}
		return n + lagIndex[Lag{Node: in.Index, Lag: in.Lag}]
	}
	b := engine.NewBuilder(n + len(c.lags))
	b.NoJIT = c.noJIT
	b.MinNative = c.minNative
	for _, i := range c.order {
		switch c.kind[i] {
		case formulaNode:
			if c.eng != nil {
				f := &Formula{metric: c.ids[i], expr: exprs[i], slot: slot}
				k, err := c.eng.Compile(f)
				if err != nil {
					return &ModelError{Metric: c.ids[i], Field: "formula", Msg: fmt.Sprintf("engine %s: %v", c.eng.Name(), err), kind: ErrFormula}
				}
				b.Kernel(int(i), k)
				continue
			}
			b.Formula(int(i), exprs[i], slot)
		case goFuncNode:
			g := c.gofns[int(i)]
			b.Kernel(int(i), &goKernel{in: g.inputs, fn: g.fn})
		}
	}
	p, err := b.Finish()
	if err != nil {
		return err
	}
	c.prog = p
	return nil
}

type goKernel struct {
	in []int
	fn func([]float64) float64
}

func (k *goKernel) Eval(s []float64) float64 {
	var buf [16]float64
	args := buf[:0]
	if len(k.in) > len(buf) {
		args = make([]float64, 0, len(k.in))
	}
	for _, i := range k.in {
		args = append(args, s[i])
	}
	return k.fn(args)
}

// NativeCodeBytes is the machine code held for the model (see
// WithNativeCode), outside the Go heap: the code for Run and, once a cone
// has run, the per-node code for RunCone; 0 when the model is
// interpreted. ReadNativeCodeStats reports the process's total.
func (c *Compiled) NativeCodeBytes() int { return c.prog.JITBytes() }

// Model returns the model c was compiled from. Do not modify it.
func (c *Compiled) Model() *Model { return c.model }

// Len is the number of metrics (nodes); they are indexed 0..Len()-1 in
// declaration order.
func (c *Compiled) Len() int { return len(c.ids) }

// ID returns the id of node i.
func (c *Compiled) ID(i int) string { return c.ids[i] }

// Index returns the node index of id.
func (c *Compiled) Index(id string) (int, bool) { return c.env.Lookup(id) }

// Metric returns node i's metric (read-only).
func (c *Compiled) Metric(i int) *metric.Metric { return &c.model.Metrics[i] }

// IsInput reports whether node i takes its values from data (no formula,
// no Go function).
func (c *Compiled) IsInput(i int) bool { return c.kind[i] == inputNode }

// Inputs returns the input nodes in declaration order.
func (c *Compiled) Inputs() iter.Seq[int] {
	return func(yield func(int) bool) {
		for i, k := range c.kind {
			if k == inputNode && !yield(i) {
				return
			}
		}
	}
}

// Order returns the derived nodes in evaluation order: every node comes
// after the nodes it uses in the same period. The order is deterministic.
func (c *Compiled) Order() iter.Seq[int] {
	return func(yield func(int) bool) {
		for _, i := range c.order {
			if !yield(int(i)) {
				return
			}
		}
	}
}

// Deps returns the direct inputs of node i (empty for inputs), each
// (node, lag) once, in the order the formula first uses them.
func (c *Compiled) Deps(i int) []Dep { return c.deps[c.depAt[i]:c.depAt[i+1]:c.depAt[i+1]] }

// Users returns the nodes that use node i in the same period, in
// declaration order.
func (c *Compiled) Users(i int) iter.Seq[int] {
	return func(yield func(int) bool) {
		for _, u := range c.users[c.useAt[i]:c.useAt[i+1]] {
			if !yield(int(u)) {
				return
			}
		}
	}
}

// Lags lists the earlier-period values formulas read (through prev),
// in a fixed order; Evaluator.Lagged holds one value per entry.
func (c *Compiled) Lags() []Lag { return c.lags[:len(c.lags):len(c.lags)] }

// MaxLag is the largest lag any formula uses (0 if none).
func (c *Compiled) MaxLag() int {
	m := 0
	for _, l := range c.lags {
		m = max(m, l.Lag)
	}
	return m
}

// Expr returns node i's parsed formula, or nil for a node without one.
// It re-parses the formula on each call (compiled models keep only the
// evaluation plan); use it for diagnostics, not in loops.
func (c *Compiled) expr(i int) *formula.Expr {
	if c.kind[i] != formulaNode {
		return nil
	}
	e, err := formula.Parse(c.ids[i], c.model.Metrics[i].Formula, c.env)
	if err != nil {
		return nil
	}
	return e
}

// Canonical returns node i's formula in canonical form — fully
// parenthesised, numbers as float literals, prev(x, k) for lagged
// inputs — so that formulas that differ only in spacing, redundant
// parentheses or number spelling compare equal. It is "" for a node
// without a formula. It re-parses the formula: use it for analysis, not
// in loops.
func (c *Compiled) Canonical(i int) string {
	e := c.expr(i)
	if e == nil {
		return ""
	}
	return formula.Print(e.Root, nil)
}

// Explain describes the numeric problems in node i's formula for the
// given values (current-period values by node, lagged values by Lags
// index): "division by zero: 120 / 0 at 1:8". Nil when the formula gives
// a finite result from finite inputs, or node i has no formula.
func (c *Compiled) Explain(i int, values, lagged []float64) []string {
	e := c.expr(i)
	if e == nil {
		return nil
	}
	lagAt := func(r *formula.Ref) float64 {
		k := slices.IndexFunc(c.lags, func(l Lag) bool { return l.Node == r.Index && l.Lag == r.Lag })
		if k < 0 || k >= len(lagged) {
			return math.NaN()
		}
		return lagged[k]
	}
	issues := formula.Diagnose(e.Root, e.Source, func(r *formula.Ref) float64 {
		if r.Lag == 0 {
			return values[r.Index]
		}
		return lagAt(r)
	})
	out := make([]string, 0, len(issues))
	for _, is := range issues {
		line, col := formula.LineCol(e.Source, is.At.From)
		out = append(out, fmt.Sprintf("%s at %d:%d", is.Msg, line, col))
	}
	return out
}
