package main

import (
	"errors"
	"strings"
	"testing"

	"github.com/kpitree/kpitree/tree"
)

const shopModel = `kpitree: "1"
name: Web shop
metrics:
  - id: revenue
    kind: KGI
    unit: USD
    formula: visitors * conversion_rate * avg_order_value
  - {id: visitors, kind: KPI, unit: visits}
  - {id: conversion_rate, kind: KPI, unit: ratio, aggregation: mean, formula: orders / visitors}
  - {id: orders, kind: KPI, unit: count}
  - {id: avg_order_value, kind: KPI, unit: USD, aggregation: mean}
`

// loadString compiles a model and reads one data file from memory.
func loadString(t testing.TB, model, name, data string) (*loaded, error) {
	t.Helper()
	m, err := tree.Load(strings.NewReader(model), "model.yaml")
	if err != nil {
		t.Fatal(err)
	}
	c, err := tree.Compile(m)
	if err != nil {
		t.Fatal(err)
	}
	l := &loaded{path: "model.yaml", model: m, compiled: c}
	in := newIngest(c)
	if err := in.readData(name, name, []byte(data)); err != nil {
		return l, err
	}
	l.data = in.ds
	return l, nil
}

func TestAtPeriod(t *testing.T) {
	l, err := loadString(t, shopModel, "d.csv", "metric,period,value\nvisitors,2027-01,1\nvisitors,2027-03,2\n")
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		flag, want, err string
	}{
		{"", "2027-03", ""},
		{"2027-02", "2027-02", ""},
		{"2027-Q1", "", "is a quarter; the model is evaluated by month"},
		{"2027-13", "", "--period 2027-13"},
	}
	for _, tt := range tests {
		e := newEnv(trackCmd, system{})
		e.period = tt.flag
		p, err := e.at(l)
		if tt.err != "" {
			var u *usageError
			if err == nil || !strings.Contains(err.Error(), tt.err) || !errors.As(err, &u) {
				t.Errorf("at(%q) error = %v, want a usage error containing %q", tt.flag, err, tt.err)
			}
			continue
		}
		if err != nil || p.String() != tt.want {
			t.Errorf("at(%q) = %v, %v; want %s", tt.flag, p, err, tt.want)
		}
	}
}
