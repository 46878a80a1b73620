package rollup

import (
	"errors"
	"fmt"
	"io"
	"math"
	"slices"
	"strings"

	"github.com/kpitree/kpitree/internal/sample"
	"github.com/kpitree/kpitree/internal/yamlfile"
	"github.com/kpitree/kpitree/tree"
	"go.yaml.in/yaml/v3"
)

// Distributions is the content of a distribution file: the uncertain
// inputs of a Simulation and the correlations between them. Copy them
// into a Simulation to run it:
//
//	sim := rollup.Simulation{Inputs: ds.Inputs, Correlations: ds.Correlations, Draws: 10000, Seed: 1}
type Distributions struct {
	Inputs       []Uncertain
	Correlations []Correlation
}

// The keys of the distribution file format, in the order Save writes
// them. distributions.schema.json lists the same keys (a test checks).
var (
	distFileKeys    = []string{"kpidistributions", "inputs", "correlations"}
	inputKeys       = []string{"metric", "dist", "mean", "sd", "mu", "sigma", "lo", "mode", "hi", "alpha", "beta", "values"}
	correlationKeys = []string{"a", "b", "rho"}
	distFamilies    = []string{"normal", "lognormal", "uniform", "triangular", "pert", "beta", "empirical"}
)

// distParams are the parameter sets of each family; lognormal has two.
var distParams = map[string][][]string{
	"normal":     {{"mean", "sd"}},
	"lognormal":  {{"mu", "sigma"}, {"mean", "sd"}},
	"uniform":    {{"lo", "hi"}},
	"triangular": {{"lo", "mode", "hi"}},
	"pert":       {{"lo", "mode", "hi"}},
	"beta":       {{"alpha", "beta"}},
	"empirical":  {{"values"}},
}

// LoadDistributions decodes a distribution file (YAML, or JSON if the
// first non-space byte is '{'):
//
//	kpidistributions: "1"
//	inputs:
//	  - {metric: visitors, dist: normal, mean: 300000, sd: 30000}
//	  - {metric: conversion_rate, dist: beta, alpha: 80, beta: 920}
//	  - {metric: avg_order_value, dist: pert, lo: 1500, mode: 1650, hi: 1900}
//	  - {metric: returns, dist: lognormal, mean: 1200, sd: 300}   # or mu and sigma
//	  - {metric: discount, dist: uniform, lo: 0.05, hi: 0.1}
//	  - {metric: cpc, dist: triangular, lo: 0.4, mode: 0.5, hi: 0.8}
//	  - {metric: churn, dist: empirical, values: [0.021, 0.019, 0.025]}
//	correlations:
//	  - {a: visitors, b: conversion_rate, rho: -0.3}
//
// Each input names a metric and a distribution family with exactly the
// family's parameters (normal: mean, sd; lognormal: mu, sigma or mean,
// sd; uniform: lo, hi; triangular and pert: lo, mode, hi; beta: alpha,
// beta; empirical: values); the parameters are checked as the
// constructors (Normal, ...) check them. A correlation (Gaussian copula,
// rho in [-1, 1]) joins two distinct inputs of the file.
//
// name is used in error messages. c, if not nil, binds the file to a
// model: metric ids must be the model's (an unknown one gets a
// did-you-mean) and inputs, not derived metrics.
//
// Decoding is strict: unknown keys, a parameter of another family,
// missing parameters, values of the wrong type, duplicate keys, inputs or
// correlation pairs, non-finite numbers, anchors and aliases are errors.
// Every problem (up to 20) is reported, joined; each is a *DecodeError
// with line and column that matches ErrDecode.
func LoadDistributions(r io.Reader, name string, c *tree.Compiled) (*Distributions, error) {
	var out *Distributions
	err := decodeFile(r, name, c, "distribution", "kpidistributions", func(d *fileDecoder, root *yaml.Node) {
		out = d.distFile(root)
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

func (d *fileDecoder) distFile(root *yaml.Node) *Distributions {
	obj, ok := d.Object(root, "", distFileKeys)
	if !ok {
		return nil
	}
	d.versionOf(obj, root)
	if !d.Require(obj, root, "", "inputs") {
		return nil
	}
	ds := &Distributions{}
	first := map[string]*yaml.Node{}
	if items, ok := d.Seq(obj["inputs"], "inputs"); ok {
		if len(items) == 0 {
			d.Errorf(obj["inputs"], "inputs", "give at least one uncertain input", "empty list")
		}
		for i, it := range items {
			p := yamlfile.Index("inputs", i)
			u, mn, ok := d.uncertain(it, p)
			if !ok {
				continue
			}
			if f, dup := first[u.Metric]; dup {
				d.Errorf(mn, yamlfile.Key(p, "metric"), "give each input one distribution", "duplicate input %q (first at %s)", u.Metric, yamlfile.At(f, mn))
				continue
			}
			first[u.Metric] = mn
			ds.Inputs = append(ds.Inputs, u)
		}
	}
	if v, ok := obj["correlations"]; ok {
		if items, ok := d.Seq(v, "correlations"); ok {
			type pair struct{ a, b string }
			seen := map[pair]*yaml.Node{}
			for i, it := range items {
				p := yamlfile.Index("correlations", i)
				cr, ok := d.correlation(it, p, first)
				if !ok {
					continue
				}
				k := pair{min(cr.A, cr.B), max(cr.A, cr.B)}
				if f, dup := seen[k]; dup {
					d.Errorf(it, p, "", "duplicate correlation of %q and %q (first at %s)", cr.A, cr.B, yamlfile.At(f, it))
					continue
				}
				seen[k] = it
				ds.Correlations = append(ds.Correlations, cr)
			}
		}
	}
	if d.Failed() {
		return nil
	}
	return ds
}

func (d *fileDecoder) uncertain(n *yaml.Node, path string) (Uncertain, *yaml.Node, bool) {
	obj, ok := d.Object(n, path, inputKeys)
	if !ok {
		return Uncertain{}, nil, false
	}
	var u Uncertain
	good := true
	mn := obj["metric"]
	if d.Require(obj, n, path, "metric") {
		var i int
		u.Metric, i, good = d.metricID(mn, yamlfile.Key(path, "metric"))
		// Simulations run on the what-if model, where a driver is an
		// input and its numerator is derived (same indices).
		if good && i >= 0 && !d.c.WhatIf().IsInput(i) {
			d.Errorf(mn, yamlfile.Key(path, "metric"), "give a distribution to the inputs it is computed from",
				"%q is derived from its formula (%s) in what-if; only inputs can be uncertain", u.Metric, d.c.WhatIf().Metric(i).Formula)
			good = false
		}
	} else {
		good = false
	}
	if !d.Require(obj, n, path, "dist") {
		return u, mn, false
	}
	fi, ok := d.Enum(obj["dist"], yamlfile.Key(path, "dist"), "distribution", distFamilies)
	if !ok {
		return u, mn, false
	}
	family := distFamilies[fi]
	given := keysOf(obj, inputKeys[2:])
	sets := distParams[family]
	set := sets[0]
	for _, s := range sets {
		if slices.Contains(given, s[0]) {
			set = s
		}
	}
	for _, k := range given {
		if !slices.Contains(set, k) {
			d.Errorf(obj[k], yamlfile.Key(path, k), "a "+family+" distribution takes "+paramSets(sets),
				"%q is not a parameter of a %s distribution", k, family)
			good = false
		}
	}
	for _, k := range set {
		if _, ok := obj[k]; !ok {
			d.Errorf(n, path, "a "+family+" distribution takes "+paramSets(sets), "missing parameter %q", k)
			good = false
		}
	}
	if !good {
		return u, mn, false
	}
	var vals []float64
	if family == "empirical" {
		v := obj["values"]
		items, ok := d.Seq(v, yamlfile.Key(path, "values"))
		if !ok {
			return u, mn, false
		}
		if len(items) == 0 {
			d.Errorf(v, yamlfile.Key(path, "values"), "list the metric's past values", "empty list")
			return u, mn, false
		}
		for i, it := range items {
			x, ok := d.Number(it, yamlfile.Index(yamlfile.Key(path, "values"), i))
			good = good && ok
			vals = append(vals, x)
		}
	} else {
		for _, k := range set {
			x, ok := d.Number(obj[k], yamlfile.Key(path, k))
			good = good && ok
			vals = append(vals, x)
		}
	}
	if !good {
		return u, mn, false
	}
	dist, err := newDist(family, set, vals)
	if err != nil {
		msg := err.Error()
		if errors.Is(err, sample.ErrInvalidParameter) {
			msg = strings.TrimPrefix(strings.TrimPrefix(msg, sample.ErrInvalidParameter.Error()), ": ")
		}
		d.Errorf(obj["dist"], yamlfile.Key(path, "dist"), "", "invalid %s distribution: %s", family, msg)
		return u, mn, false
	}
	u.Dist = dist
	return u, mn, true
}

func paramSets(sets [][]string) string {
	var s []string
	for _, set := range sets {
		s = append(s, strings.Join(set, ", "))
	}
	return strings.Join(s, " or ")
}

// newDist builds a distribution of family from its parameters.
func newDist(family string, keys []string, v []float64) (Distribution, error) {
	switch family {
	case "normal":
		return Normal(v[0], v[1])
	case "lognormal":
		if keys[0] == "mean" {
			return LogNormalMeanSD(v[0], v[1])
		}
		return LogNormal(v[0], v[1])
	case "uniform":
		return Uniform(v[0], v[1])
	case "triangular":
		return Triangular(v[0], v[1], v[2])
	case "pert":
		return PERT(v[0], v[1], v[2])
	case "beta":
		return Beta(v[0], v[1])
	case "empirical":
		return Empirical(v)
	}
	return Distribution{}, fmt.Errorf("%w: unknown distribution %q", ErrInvalidArgument, family)
}

func (d *fileDecoder) correlation(n *yaml.Node, path string, inputs map[string]*yaml.Node) (Correlation, bool) {
	obj, ok := d.Object(n, path, correlationKeys)
	if !ok {
		return Correlation{}, false
	}
	var cr Correlation
	good := true
	names := make([]string, 0, len(inputs))
	for k := range inputs {
		names = append(names, k)
	}
	slices.Sort(names)
	for _, k := range []string{"a", "b"} {
		if !d.Require(obj, n, path, k) {
			good = false
			continue
		}
		v := obj[k]
		id, _, ok := d.metricID(v, yamlfile.Key(path, k))
		if !ok {
			good = false
			continue
		}
		if _, ok := inputs[id]; !ok {
			hint := yamlfile.Suggest(id, names, yamlfile.MaxTypo(id))
			if hint == "" {
				hint = "correlate two of the inputs listed under inputs"
			}
			d.Errorf(v, yamlfile.Key(path, k), hint, "%q is not an uncertain input of the file", id)
			good = false
			continue
		}
		if k == "a" {
			cr.A = id
		} else {
			cr.B = id
		}
	}
	if good && cr.A == cr.B {
		d.Errorf(obj["b"], yamlfile.Key(path, "b"), "", "a correlation joins two different inputs, found %q twice", cr.A)
		good = false
	}
	if d.Require(obj, n, path, "rho") {
		v := obj["rho"]
		x, ok := d.Number(v, yamlfile.Key(path, "rho"))
		if ok && (x < -1 || x > 1) {
			d.Errorf(v, yamlfile.Key(path, "rho"), "a correlation lies in -1..1", "rho %g out of range", x)
			ok = false
		}
		good = good && ok
		cr.Rho = x
	} else {
		good = false
	}
	return cr, good
}

// Save writes ds as a distribution file in format f (YAML or JSON), in
// the order of its inputs and correlations, numbers written so that they
// read back exactly: LoadDistributions of the output gives the same
// distributions. Save fails for an input without a distribution (the
// zero Distribution), a non-finite parameter or correlation.
func (ds *Distributions) Save(w io.Writer, f tree.Format) error {
	root, err := ds.node()
	if err != nil {
		return err
	}
	return writeFile(w, root, f)
}

func (ds *Distributions) node() (*yaml.Node, error) {
	root := yamlfile.NewMap(false)
	root.Add("kpidistributions", yamlfile.StrNode(FileFormatVersion))
	var errs []error
	if len(ds.Inputs) == 0 {
		errs = append(errs, fmt.Errorf("%w: save distributions: no inputs", ErrInvalidArgument))
	}
	inputs := yamlfile.Seq(nil)
	for k, u := range ds.Inputs {
		sp := u.Dist.spec
		if sp == nil || u.Metric == "" {
			errs = append(errs, fmt.Errorf("%w: save distributions: input %d (%q) has no distribution or no metric", ErrInvalidArgument, k, u.Metric))
			continue
		}
		m := yamlfile.NewMap(true)
		m.Str("metric", u.Metric)
		m.Str("dist", sp.family)
		if sp.family == "empirical" {
			vs := yamlfile.Seq(nil)
			vs.Style = yaml.FlowStyle
			for _, v := range sp.vals {
				n, err := yamlfile.NumberNode(u.Metric, v)
				if err != nil {
					errs = append(errs, err)
					continue
				}
				vs.Content = append(vs.Content, n)
			}
			m.Add("values", vs)
		} else {
			for i, key := range sp.keys {
				n, err := yamlfile.NumberNode(u.Metric+"."+key, sp.vals[i])
				if err != nil {
					errs = append(errs, err)
					continue
				}
				m.Add(key, n)
			}
		}
		inputs.Content = append(inputs.Content, m.Node)
	}
	root.Add("inputs", inputs)
	if len(ds.Correlations) > 0 {
		cs := yamlfile.Seq(nil)
		for _, cr := range ds.Correlations {
			m := yamlfile.NewMap(true)
			m.Str("a", cr.A)
			m.Str("b", cr.B)
			if math.IsNaN(cr.Rho) || cr.Rho < -1 || cr.Rho > 1 {
				errs = append(errs, fmt.Errorf("%w: save distributions: correlation %s~%s = %v", ErrInvalidArgument, cr.A, cr.B, cr.Rho))
				continue
			}
			n, _ := yamlfile.NumberNode("rho", cr.Rho)
			m.Add("rho", n)
			cs.Content = append(cs.Content, m.Node)
		}
		root.Add("correlations", cs)
	}
	if len(errs) > 0 {
		return nil, errors.Join(errs...)
	}
	return root.Node, nil
}
