package tree

import (
	"fmt"
	"slices"

	"github.com/kpitree/kpitree/internal/formula"
	"github.com/kpitree/kpitree/metric"
)

// checkMetricOptions validates the fields that say how a metric behaves
// over time and in what-if analysis: weight, additive and driver.
// Drivers are checked against their parsed formulas in checkDrivers.
func (m *Model) checkMetricOptions(env *modelEnv, whatIf bool, errs *errorList) {
	for i := range m.Metrics {
		mt := &m.Metrics[i]
		if mt.Weight != "" {
			j, ok := env.Lookup(mt.Weight)
			switch {
			case !ok:
				e := m.modelErr(i, "weight", ErrUnknownRef, fmt.Sprintf("weight %q is not a metric of the model", mt.Weight), suggestHint(env, mt.Weight))
				errs.add(e)
			case j == i:
				errs.add(m.modelErr(i, "weight", ErrInvalidValue, "a metric cannot weight its own mean", "weight it by the quantity it is an average of: avg_order_value by orders"))
			case mt.Aggregation != metric.Mean:
				errs.add(m.modelErr(i, "weight", ErrInvalidValue, fmt.Sprintf("a weight needs aggregation mean, not %s", mt.AggregationOrDefault()), "add aggregation: mean, or remove the weight"))
			}
		}
		if mt.Additive && mt.Aggregation != 0 && mt.Aggregation != metric.Sum {
			errs.add(m.modelErr(i, "additive", ErrInvalidValue, fmt.Sprintf("an additive metric adds up over time; its aggregation is %s", mt.Aggregation), "remove additive, or use aggregation sum"))
		}
		if mt.Driver && !mt.Derived() && !whatIf {
			errs.add(m.modelErr(i, "driver", ErrInvalidValue, "a driver needs the formula that measures it", "write it as numerator / denominator, e.g. formula: orders / visitors"))
		}
	}
}

// driverSpec is a driver ratio: node = num / den.
type driverSpec struct {
	node, num int
	den       formula.Node
}

// checkDrivers checks that each driver's formula is numerator /
// denominator with an input numerator that no other driver claims and
// that the denominator does not use, and returns the drivers.
func (c *Compiled) checkDrivers(m *Model, exprs []*formula.Expr, errs *errorList) []driverSpec {
	var out []driverSpec
	claimed := map[int]int{}
	for i := range m.Metrics {
		mt := &m.Metrics[i]
		if !mt.Driver || exprs[i] == nil {
			continue
		}
		hint := fmt.Sprintf("write it as numerator / denominator with an input numerator, e.g. %s: orders / visitors", mt.ID)
		b, ok := exprs[i].Root.(*formula.Binary)
		if !ok || b.Op != formula.OpDiv {
			errs.add(m.modelErr(i, "driver", ErrInvalidValue, fmt.Sprintf("a driver's formula must be a ratio numerator / denominator, not %q", mt.Formula), hint))
			continue
		}
		r, ok := b.L.(*formula.Ref)
		if !ok || r.Lag != 0 {
			errs.add(m.modelErr(i, "driver", ErrInvalidValue, fmt.Sprintf("the numerator of a driver must be a metric of the same period, not %s", formula.Print(b.L, nil)), hint))
			continue
		}
		if m.Metrics[r.Index].Derived() || c.kind[r.Index] != inputNode {
			errs.add(m.modelErr(i, "driver", ErrInvalidValue, fmt.Sprintf("the numerator %s is computed, not an input: what-if analysis could not compute it from the driver", r.Name), hint))
			continue
		}
		if other, dup := claimed[r.Index]; dup {
			errs.add(m.modelErr(i, "driver", ErrInvalidValue, fmt.Sprintf("%s is already the numerator of driver %s", r.Name, m.Metrics[other].ID), "keep one driver per numerator"))
			continue
		}
		usesNum := false
		formula.Walk(b.R, func(n formula.Node) bool {
			if ref, ok := n.(*formula.Ref); ok && ref.Index == r.Index && ref.Lag == 0 {
				usesNum = true
			}
			return !usesNum
		})
		if usesNum {
			errs.add(m.modelErr(i, "driver", ErrInvalidValue, fmt.Sprintf("the denominator uses the numerator %s", r.Name), "a driver's numerator is computed from its denominator in what-if analysis; the denominator must not depend on it"))
			continue
		}
		claimed[r.Index] = i
		out = append(out, driverSpec{node: i, num: r.Index, den: b.R})
	}
	return out
}

// compileWhatIf compiles the model what-if analysis runs on: each driver
// an input, and its numerator computed as driver * (denominator).
func (c *Compiled) compileWhatIf(m *Model, drivers []driverSpec, opts []Option) error {
	if len(drivers) == 0 {
		return nil
	}
	w := *m
	w.Metrics = make([]metric.Metric, len(m.Metrics))
	copy(w.Metrics, m.Metrics)
	for _, d := range drivers {
		w.Metrics[d.node].Formula = ""
		num := &w.Metrics[d.num]
		num.Formula = m.Metrics[d.node].ID + " * " + formula.Print(d.den, nil)
		// An input summed over time is a flow; computed, it must still add up.
		num.Additive = num.Additive || num.AggregationOrDefault() == metric.Sum
	}
	wc, err := Compile(&w, append(slices.Clone(opts), func(cfg *config) { cfg.whatIf = true })...)
	if err != nil {
		return fmt.Errorf("%w: the what-if model (drivers as inputs, their numerators computed) is invalid: %w", ErrInvalidModel, err)
	}
	wc.measured = c
	c.whatIf = wc
	return nil
}

// WhatIf returns the model what-if analysis runs on. Without drivers it
// is c itself. With drivers (metric.Metric.Driver), each driver is an
// input there, held at its measured value unless a what-if changes it,
// and its numerator is computed as driver × (denominator): with
// conversion_rate = orders / visitors a driver, orders = conversion_rate
// × visitors, so that more visitors bring more orders (a numerator summed
// over time is additive there). Metric indices are the same in both
// models. On the what-if model itself WhatIf returns it.
func (c *Compiled) WhatIf() *Compiled {
	if c.whatIf != nil {
		return c.whatIf
	}
	return c
}

// Measured returns the model actuals are measured with: for the model
// WhatIf returns, the model it was derived from; otherwise c itself.
func (c *Compiled) Measured() *Compiled {
	if c.measured != nil {
		return c.measured
	}
	return c
}

// Drivers returns the indices of the driver metrics, in declaration order.
func (c *Compiled) Drivers() []int {
	var out []int
	for i := range c.model.Metrics {
		if c.model.Metrics[i].Driver {
			out = append(out, i)
		}
	}
	return out
}
