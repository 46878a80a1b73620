package rollup

import (
	"errors"
	"fmt"
	"io"
	"slices"

	"github.com/kpitree/kpitree/internal/yamlfile"
	"github.com/kpitree/kpitree/metric"
	"github.com/kpitree/kpitree/tree"
	"go.yaml.in/yaml/v3"
)

// The keys of each object of the scenario file format, in the order
// SaveScenarios writes them. scenarios.schema.json lists the same keys (a
// test checks).
var (
	scenarioFileKeys = []string{"kpiscenarios", "scenarios"}
	scenarioKeys     = []string{"name", "parent", "overrides"}
	overrideKeys     = []string{"metric", "set", "scale", "add", "period", "from", "to"}
	overrideOps      = []string{"set", "scale", "add"}
)

// LoadScenarios decodes a scenario file (YAML, or JSON if the first
// non-space byte is '{'):
//
//	kpiscenarios: "1"
//	scenarios:
//	  - name: growth
//	    overrides:
//	      - {metric: visitors, scale: 10}                    # +10% in every period
//	      - {metric: conversion_rate, set: 0.09, period: 2027-03}
//	  - name: lean
//	    parent: growth                                       # growth's overrides first
//	    overrides:
//	      - {metric: fixed_cost, add: -5000, from: 2027-01, to: 2027-06}
//
// Each override names a metric (an input or a derived metric) and exactly
// one of set (the value), scale (a percentage: 10 is +10%) or add (a
// delta), for one period, a span from..to (either end may be left open)
// or, with neither, every period. A scenario with a parent applies the
// parent's overrides first; parents may be listed in any order.
//
// name is used in error messages. c, if not nil, binds the file to a
// model: metric ids must be the model's (an unknown one gets a
// did-you-mean) and fiscal periods read in the model's calendar.
//
// Decoding is strict, like the model format: unknown keys, values of the
// wrong type, duplicate keys and scenario names, a parent that is not in
// the file or a cycle of parents, non-finite numbers, invalid periods,
// anchors and aliases are errors. Every problem (up to 20) is reported,
// joined; each is a *DecodeError with line and column that matches
// ErrDecode. The scenarios are returned in file order.
func LoadScenarios(r io.Reader, name string, c *tree.Compiled) ([]*Scenario, error) {
	var out []*Scenario
	err := decodeFile(r, name, c, "scenario", "kpiscenarios", func(d *fileDecoder, root *yaml.Node) {
		out = d.scenarioFile(root)
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

type scenarioDecl struct {
	s          *Scenario
	node       *yaml.Node // the scenario's mapping
	parent     string
	parentNode *yaml.Node
}

func (d *fileDecoder) scenarioFile(root *yaml.Node) []*Scenario {
	obj, ok := d.Object(root, "", scenarioFileKeys)
	if !ok {
		return nil
	}
	d.versionOf(obj, root)
	if !d.Require(obj, root, "", "scenarios") {
		return nil
	}
	items, ok := d.Seq(obj["scenarios"], "scenarios")
	if !ok {
		return nil
	}
	var decls []*scenarioDecl
	byName := map[string]*scenarioDecl{}
	for i, it := range items {
		p := yamlfile.Index("scenarios", i)
		sd := d.scenario(it, p)
		if sd == nil {
			continue
		}
		if first, dup := byName[sd.s.name]; dup {
			d.Errorf(sd.node, p, "", "duplicate scenario name %q (first at %s)", sd.s.name, yamlfile.At(first.node, sd.node))
			continue
		}
		byName[sd.s.name] = sd
		decls = append(decls, sd)
	}
	if d.Failed() {
		return nil
	}
	names := make([]string, len(decls))
	for i, sd := range decls {
		names[i] = sd.s.name
	}
	for i, sd := range decls {
		if sd.parent == "" {
			continue
		}
		p, ok := byName[sd.parent]
		if !ok {
			hint := yamlfile.Suggest(sd.parent, names, yamlfile.MaxTypo(sd.parent))
			if hint == "" {
				hint = "a parent is another scenario of the file: " + yamlfile.OrList(names)
			}
			d.Errorf(sd.parentNode, yamlfile.Key(yamlfile.Index("scenarios", i), "parent"), hint, "unknown scenario %q", sd.parent)
			continue
		}
		sd.s.parent = p.s
	}
	if d.Failed() {
		return nil
	}
	for i, sd := range decls {
		// a cycle of parents: follow them from sd
		seen := []string{sd.s.name}
		for q := sd.s.parent; q != nil; q = q.parent {
			if q == sd.s {
				d.Errorf(sd.parentNode, yamlfile.Key(yamlfile.Index("scenarios", i), "parent"), "a scenario cannot build on itself",
					"cycle of parents: %s", cyclePath(append(seen, sd.s.name)))
				break
			}
			if slices.Contains(seen, q.name) {
				break // a cycle not through sd: reported at its own members
			}
			seen = append(seen, q.name)
		}
	}
	if d.Failed() {
		return nil
	}
	out := make([]*Scenario, len(decls))
	for i, sd := range decls {
		out[i] = sd.s
	}
	return out
}

func cyclePath(names []string) string {
	s := ""
	for i, n := range names {
		if i > 0 {
			s += " -> "
		}
		s += n
	}
	return s
}

func (d *fileDecoder) scenario(n *yaml.Node, path string) *scenarioDecl {
	obj, ok := d.Object(n, path, scenarioKeys)
	if !ok {
		return nil
	}
	sd := &scenarioDecl{s: &Scenario{}, node: n}
	good := true
	if d.Require(obj, n, path, "name") {
		v := obj["name"]
		p := yamlfile.Key(path, "name")
		s, ok := d.Str(v, p)
		switch {
		case !ok:
			good = false
		case s == "":
			d.Errorf(v, p, "", "empty scenario name")
			good = false
		case s == "base":
			d.Errorf(v, p, "the base is the data without overrides; choose another name", "scenario name %q is reserved", s)
			good = false
		default:
			sd.s.name = s
		}
	} else {
		good = false
	}
	if v, ok := obj["parent"]; ok {
		p := yamlfile.Key(path, "parent")
		if s, ok := d.Str(v, p); ok {
			if s == "base" {
				d.Errorf(v, p, "leave parent out to build on the base", "parent %q is the base itself", s)
			}
			sd.parent, sd.parentNode = s, v
		}
	}
	if v, ok := obj["overrides"]; ok {
		p := yamlfile.Key(path, "overrides")
		if items, ok := d.Seq(v, p); ok {
			for i, it := range items {
				if o, ok := d.override(it, yamlfile.Index(p, i)); ok {
					sd.s.ops = append(sd.s.ops, o)
				}
			}
		}
	}
	if !good {
		return nil
	}
	return sd
}

func (d *fileDecoder) override(n *yaml.Node, path string) (Override, bool) {
	obj, ok := d.Object(n, path, overrideKeys)
	if !ok {
		return Override{}, false
	}
	var o Override
	good := true
	if d.Require(obj, n, path, "metric") {
		o.Metric, _, good = d.metricID(obj["metric"], yamlfile.Key(path, "metric"))
	} else {
		good = false
	}
	ops := keysOf(obj, overrideOps)
	switch len(ops) {
	case 0:
		d.Errorf(n, path, "add set: VALUE, scale: PERCENT or add: DELTA", "an override needs one of set, scale or add")
		good = false
	case 1:
		v := obj[ops[0]]
		x, ok := d.Number(v, yamlfile.Key(path, ops[0]))
		good = good && ok
		o.Value = x
		o.Kind = OverrideKind(slices.Index(overrideOps, ops[0]) + 1)
		if ops[0] == "scale" && ok && x < -100 {
			d.Errorf(v, yamlfile.Key(path, "scale"), "scale is a percentage: -10 lowers the value by 10%, -100 makes it zero", "scale %g%% would flip the value's sign", x)
			good = false
		}
	default:
		d.Errorf(obj[ops[1]], yamlfile.Key(path, ops[1]), "split it into two overrides, applied in order", "an override has one of set, scale or add, found %s", yamlfile.OrList(ops))
		good = false
	}
	if v, ok := obj["period"]; ok {
		if _, from := obj["from"]; from {
			d.Errorf(obj["from"], yamlfile.Key(path, "from"), "give period for one period, or from and to for a span", "period and from cannot both be given")
			good = false
		} else if _, to := obj["to"]; to {
			d.Errorf(obj["to"], yamlfile.Key(path, "to"), "give period for one period, or from and to for a span", "period and to cannot both be given")
			good = false
		}
		p, ok := d.period(v, yamlfile.Key(path, "period"))
		good = good && ok
		o.When = During(p)
	}
	if v, ok := obj["from"]; ok {
		p, ok := d.period(v, yamlfile.Key(path, "from"))
		good = good && ok
		o.When.From = p
	}
	if v, ok := obj["to"]; ok {
		p, ok := d.period(v, yamlfile.Key(path, "to"))
		good = good && ok
		o.When.To = p
		if ok && !o.When.From.IsZero() && o.When.To.Before(o.When.From) {
			d.Errorf(v, yamlfile.Key(path, "to"), "", "span %s..%s ends before it starts", o.When.From, o.When.To)
			good = false
		}
	}
	return o, good
}

// SaveScenarios writes scenarios as a scenario file in format f (YAML or
// JSON). A parent that is not in the list is written too, before the
// first scenario built on it; every scenario is written once. Keys come
// in a fixed order ("kpiscenarios" first) and numbers are written so that
// they read back exactly: LoadScenarios of the output gives the same
// scenarios. SaveScenarios fails for a nil scenario, an empty or
// reserved ("base") name, two different scenarios of the same name, a
// non-finite value or an unknown override kind.
func SaveScenarios(w io.Writer, scenarios []*Scenario, f tree.Format) error {
	root, err := scenariosNode(scenarios)
	if err != nil {
		return err
	}
	return writeFile(w, root, f)
}

func scenariosNode(scenarios []*Scenario) (*yaml.Node, error) {
	var order []*Scenario
	var add func(s *Scenario, depth int) error
	add = func(s *Scenario, depth int) error {
		if slices.Contains(order, s) {
			return nil
		}
		if depth > 10000 {
			return fmt.Errorf("%w: save scenarios: cycle of parents at %q", ErrInvalidArgument, s.name)
		}
		if s.parent != nil {
			if err := add(s.parent, depth+1); err != nil {
				return err
			}
		}
		order = append(order, s)
		return nil
	}
	for i, s := range scenarios {
		if s == nil {
			return nil, fmt.Errorf("%w: save scenarios: scenario %d is nil", ErrInvalidArgument, i)
		}
		if err := add(s, 0); err != nil {
			return nil, err
		}
	}
	var errs []error
	seen := map[string]bool{}
	var items []*yaml.Node
	for _, s := range order {
		switch {
		case s.name == "" || s.name == "base":
			errs = append(errs, fmt.Errorf("%w: save scenarios: scenario name %q is empty or reserved", ErrInvalidArgument, s.name))
			continue
		case seen[s.name]:
			errs = append(errs, fmt.Errorf("%w: save scenarios: two different scenarios are named %q", ErrInvalidArgument, s.name))
			continue
		}
		seen[s.name] = true
		m := yamlfile.NewMap(false)
		m.Str("name", s.name)
		if s.parent != nil {
			m.Str("parent", s.parent.name)
		}
		var ovs []*yaml.Node
		for k, o := range s.ops {
			on, err := overrideNode(o)
			if err != nil {
				errs = append(errs, fmt.Errorf("%w: save scenarios: scenario %q: override %d: %v", ErrInvalidArgument, s.name, k, err))
				continue
			}
			ovs = append(ovs, on)
		}
		if len(ovs) > 0 {
			m.Add("overrides", yamlfile.Seq(ovs))
		}
		items = append(items, m.Node)
	}
	if len(errs) > 0 {
		return nil, errors.Join(errs...)
	}
	root := yamlfile.NewMap(false)
	root.Add("kpiscenarios", yamlfile.StrNode(FileFormatVersion))
	seq := yamlfile.Seq(items)
	if len(items) == 0 {
		seq.Style = yaml.FlowStyle
	}
	root.Add("scenarios", seq)
	return root.Node, nil
}

func overrideNode(o Override) (*yaml.Node, error) {
	m := yamlfile.NewMap(true)
	if o.Metric == "" {
		return nil, errors.New("no metric")
	}
	m.Str("metric", o.Metric)
	if o.Kind < SetValue || o.Kind > AddTo {
		return nil, fmt.Errorf("%s: unknown override kind %d", o.Metric, o.Kind)
	}
	v, err := yamlfile.NumberNode(o.Metric, o.Value)
	if err != nil {
		return nil, err
	}
	m.Add(overrideOps[o.Kind-1], v)
	switch w := o.When; {
	case w.From.IsZero() && w.To.IsZero():
	case w.From == w.To:
		m.Add("period", periodNode(w.From))
	default:
		if !w.From.IsZero() {
			m.Add("from", periodNode(w.From))
		}
		if !w.To.IsZero() {
			m.Add("to", periodNode(w.To))
		}
	}
	return m.Node, nil
}

// Scenario returns a scenario named name, on the base, that sets the
// input to the value found in period p: the seek's answer as a scenario
// for Compare or SaveScenarios.
func (r Seek) Scenario(name string, p metric.Period) *Scenario {
	return NewScenario(name, nil).Set(r.Input, r.Value, During(p))
}

// Scenario returns a scenario named name, on the base, that sets every
// lever to the value found in period p.
func (r SeekMany) Scenario(name string, p metric.Period) *Scenario {
	s := NewScenario(name, nil)
	for _, l := range r.Levers {
		s.Set(l.Input, l.Value, During(p))
	}
	return s
}
