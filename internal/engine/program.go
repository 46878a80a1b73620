package engine

import (
	"fmt"
	"math"
	"sync"
	"sync/atomic"

	"github.com/kpitree/kpitree/internal/formula"
)

// Opcodes.
const (
	opNop uint8 = iota
	opMov
	opAdd
	opSub
	opMul
	opDiv
	opPow
	opNeg
	opLt
	opLe
	opGt
	opGe
	opEq
	opNe
	opAnd
	opOr
	opNot
	opSelect
	opMin
	opMax
	opAbs
	opSqrt
	opLog
	opLog10
	opExp
	opRound
	opRoundTo
	opFloor
	opCeil
	opClamp
	opCall   // dst = funcs[C].Call(s[A : A+B])
	opKernel // dst = kernels[C].Eval(s)
)

// Instr is one instruction: Dst = A op B (C is a third operand or an index).
type Instr struct {
	Op        uint8
	Dst, A, B int32
	C         int32
}

// Kernel computes one node's value from the slots; it is how nodes of
// another engine or Go functions join a program.
type Kernel interface {
	Eval(slots []float64) float64
}

// Program is a compiled, immutable evaluation plan. Safe for concurrent
// use: all mutable state is in the slots each caller passes.
type Program struct {
	code []Instr
	jit  *jitCode  // machine code for Run, where the platform allows
	segs []segment // Run's plan: machine code chunks and interpreted stretches
	// per-node machine code for RunNodes, compiled on first use
	nodeOnce  sync.Once
	nodeJIT   *jitCode
	nodeOffs  []int32 // entry of each node's function, -1 if interpreted
	nodeBytes atomic.Int64
	consts    []float64 // value of slot constBase+i
	base      int       // first constant slot
	nslots    int
	funcs     []*formula.Func
	kernels   []Kernel
	// span[i] is the code range of the i-th emitted node, in emission order.
	spans []int32
}

// NumSlots is the length of the slot slice Run needs.
func (p *Program) NumSlots() int { return p.nslots }

// Init writes the constants into slots; call it once per slot slice.
func (p *Program) Init(s []float64) {
	copy(s[p.base:p.base+len(p.consts)], p.consts)
}

// Run executes the whole program.
func (p *Program) Run(s []float64) {
	if p.runJIT(s) {
		return
	}
	p.run(s, p.code)
}

// RunNode executes the code of the k-th emitted node only.
func (p *Program) RunNode(s []float64, k int) {
	p.run(s, p.code[p.spans[k]:p.spans[k+1]])
}

// NumNodes is the number of emitted nodes.
func (p *Program) NumNodes() int { return len(p.spans) - 1 }

// RunNodes executes the code of the emitted nodes at the given positions,
// in that order (an incremental re-evaluation: the positions of a cone).
// Every position is checked before it runs: one that is not a node of
// the program stops the run with an error matching ErrStep (the nodes
// before it have run).
func (p *Program) RunNodes(s []float64, steps []int32) error {
	if ok, err := p.runNodesJIT(s, steps); ok {
		return err
	}
	n := p.NumNodes()
	for i, k := range steps {
		if uint(k) >= uint(n) {
			return stepError(i, k, n)
		}
		p.run(s, p.code[p.spans[k]:p.spans[k+1]])
	}
	return nil
}

// stepError describes a step that is not a node of the program.
func stepError(i int, k int32, n int) error {
	return fmt.Errorf("%w: step %d is node position %d, the program has %d nodes", ErrStep, i, k, n)
}

func (p *Program) run(s []float64, code []Instr) {
	for i := range code {
		in := &code[i]
		switch in.Op {
		case opMov:
			s[in.Dst] = s[in.A]
		case opAdd:
			s[in.Dst] = s[in.A] + s[in.B]
		case opSub:
			s[in.Dst] = s[in.A] - s[in.B]
		case opMul:
			s[in.Dst] = s[in.A] * s[in.B]
		case opDiv:
			s[in.Dst] = s[in.A] / s[in.B]
		case opAddAddL:
			s[in.Dst] = float64(s[in.A]+s[in.B]) + s[in.C]
		case opAddAddR:
			s[in.Dst] = s[in.C] + float64(s[in.A]+s[in.B])
		case opAddSubL:
			s[in.Dst] = float64(s[in.A]+s[in.B]) - s[in.C]
		case opAddSubR:
			s[in.Dst] = s[in.C] - float64(s[in.A]+s[in.B])
		case opAddMulL:
			s[in.Dst] = float64(s[in.A]+s[in.B]) * s[in.C]
		case opAddMulR:
			s[in.Dst] = s[in.C] * float64(s[in.A]+s[in.B])
		case opAddDivL:
			s[in.Dst] = float64(s[in.A]+s[in.B]) / s[in.C]
		case opAddDivR:
			s[in.Dst] = s[in.C] / float64(s[in.A]+s[in.B])
		case opSubAddL:
			s[in.Dst] = float64(s[in.A]-s[in.B]) + s[in.C]
		case opSubAddR:
			s[in.Dst] = s[in.C] + float64(s[in.A]-s[in.B])
		case opSubSubL:
			s[in.Dst] = float64(s[in.A]-s[in.B]) - s[in.C]
		case opSubSubR:
			s[in.Dst] = s[in.C] - float64(s[in.A]-s[in.B])
		case opSubMulL:
			s[in.Dst] = float64(s[in.A]-s[in.B]) * s[in.C]
		case opSubMulR:
			s[in.Dst] = s[in.C] * float64(s[in.A]-s[in.B])
		case opSubDivL:
			s[in.Dst] = float64(s[in.A]-s[in.B]) / s[in.C]
		case opSubDivR:
			s[in.Dst] = s[in.C] / float64(s[in.A]-s[in.B])
		case opMulAddL:
			s[in.Dst] = float64(s[in.A]*s[in.B]) + s[in.C]
		case opMulAddR:
			s[in.Dst] = s[in.C] + float64(s[in.A]*s[in.B])
		case opMulSubL:
			s[in.Dst] = float64(s[in.A]*s[in.B]) - s[in.C]
		case opMulSubR:
			s[in.Dst] = s[in.C] - float64(s[in.A]*s[in.B])
		case opMulMulL:
			s[in.Dst] = float64(s[in.A]*s[in.B]) * s[in.C]
		case opMulMulR:
			s[in.Dst] = s[in.C] * float64(s[in.A]*s[in.B])
		case opMulDivL:
			s[in.Dst] = float64(s[in.A]*s[in.B]) / s[in.C]
		case opMulDivR:
			s[in.Dst] = s[in.C] / float64(s[in.A]*s[in.B])
		case opDivAddL:
			s[in.Dst] = float64(s[in.A]/s[in.B]) + s[in.C]
		case opDivAddR:
			s[in.Dst] = s[in.C] + float64(s[in.A]/s[in.B])
		case opDivSubL:
			s[in.Dst] = float64(s[in.A]/s[in.B]) - s[in.C]
		case opDivSubR:
			s[in.Dst] = s[in.C] - float64(s[in.A]/s[in.B])
		case opDivMulL:
			s[in.Dst] = float64(s[in.A]/s[in.B]) * s[in.C]
		case opDivMulR:
			s[in.Dst] = s[in.C] * float64(s[in.A]/s[in.B])
		case opDivDivL:
			s[in.Dst] = float64(s[in.A]/s[in.B]) / s[in.C]
		case opDivDivR:
			s[in.Dst] = s[in.C] / float64(s[in.A]/s[in.B])
		case opNeg:
			s[in.Dst] = -s[in.A]
		case opLt:
			s[in.Dst] = b2f(s[in.A] < s[in.B])
		case opLe:
			s[in.Dst] = b2f(s[in.A] <= s[in.B])
		case opGt:
			s[in.Dst] = b2f(s[in.A] > s[in.B])
		case opGe:
			s[in.Dst] = b2f(s[in.A] >= s[in.B])
		case opEq:
			s[in.Dst] = b2f(s[in.A] == s[in.B])
		case opNe:
			s[in.Dst] = b2f(s[in.A] != s[in.B])
		case opAnd:
			s[in.Dst] = b2f(s[in.A] != 0 && s[in.B] != 0)
		case opOr:
			s[in.Dst] = b2f(s[in.A] != 0 || s[in.B] != 0)
		case opNot:
			s[in.Dst] = b2f(s[in.A] == 0)
		case opSelect:
			if s[in.C] != 0 {
				s[in.Dst] = s[in.A]
			} else {
				s[in.Dst] = s[in.B]
			}
		case opMin:
			s[in.Dst] = formula.Min(s[in.A], s[in.B])
		case opMax:
			s[in.Dst] = formula.Max(s[in.A], s[in.B])
		case opAbs:
			s[in.Dst] = math.Abs(s[in.A])
		case opSqrt:
			s[in.Dst] = math.Sqrt(s[in.A])
		case opRound:
			s[in.Dst] = math.Round(s[in.A])
		case opFloor:
			s[in.Dst] = math.Floor(s[in.A])
		case opCeil:
			s[in.Dst] = math.Ceil(s[in.A])
		default:
			p.slow(in, s)
		}
	}
}

// slow executes the instructions that call functions. Keeping them out of
// run's switch leaves run's hot loop free of calls, so its state stays in
// registers.
//
//go:noinline
func (p *Program) slow(in *Instr, s []float64) {
	switch in.Op {
	case opPow:
		s[in.Dst] = math.Pow(s[in.A], s[in.B])
	case opLog:
		s[in.Dst] = math.Log(s[in.A])
	case opLog10:
		s[in.Dst] = math.Log10(s[in.A])
	case opExp:
		s[in.Dst] = math.Exp(s[in.A])
	case opRoundTo:
		s[in.Dst] = formula.RoundTo(s[in.A], s[in.B])
	case opClamp:
		s[in.Dst] = formula.Clamp(s[in.A], s[in.B], s[in.C])
	case opCall:
		s[in.Dst] = p.funcs[in.C].Call(s[in.A : in.A+in.B])
	case opKernel:
		s[in.Dst] = p.kernels[in.C].Eval(s)
	}
}

func b2f(b bool) float64 {
	if b {
		return 1
	}
	return 0
}
