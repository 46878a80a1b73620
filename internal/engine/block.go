package engine

import (
	"math"

	"github.com/kpitree/kpitree/internal/formula"
)

// InitBlock writes the constants into every lane of a block laid out as
// RunBlock expects.
func (p *Program) InitBlock(s []float64, w int) {
	for i, v := range p.consts {
		d := s[(p.base+i)*w : (p.base+i+1)*w]
		for j := range d {
			d[j] = v
		}
	}
}

// HasKernels reports whether the program calls kernels (nodes of another
// engine or Go functions), which RunBlock evaluates lane by lane.
func (p *Program) HasKernels() bool { return len(p.kernels) > 0 }

// RunBlock executes the whole program over w independent lanes at once:
// slot k of lane j is s[k*w+j]. Each instruction sweeps all lanes, so the
// operands of one operation stay in cache and the loops are tight.
// scratch (len NumSlots) is only used for kernel instructions, which
// gather one lane at a time; lane (len w) holds intermediate results.
func (p *Program) RunBlock(s []float64, w int, scratch, lane []float64) {
	for i := range p.code {
		in := &p.code[i]
		d := s[int(in.Dst)*w : int(in.Dst)*w+w]
		switch in.Op {
		case opKernel:
			p.kernelBlock(in, s, w, scratch)
			continue
		case opCall:
			var buf [8]float64
			args := buf[:0]
			if int(in.B) > len(buf) {
				args = make([]float64, 0, in.B)
			}
			for j := range d {
				args = args[:0]
				for k := int32(0); k < in.B; k++ {
					args = append(args, s[int(in.A+k)*w+j])
				}
				d[j] = p.funcs[in.C].Call(args)
			}
			continue
		}
		a := s[int(in.A)*w : int(in.A)*w+w]
		a = a[:len(d)]
		switch in.Op {
		case opMov:
			copy(d, a)
		case opNeg:
			for j := range d {
				d[j] = -a[j]
			}
		case opNot:
			for j := range d {
				d[j] = b2f(a[j] == 0)
			}
		case opAbs:
			for j := range d {
				d[j] = math.Abs(a[j])
			}
		case opSqrt:
			vsqrt(d, a)
		case opLog:
			for j := range d {
				d[j] = math.Log(a[j])
			}
		case opLog10:
			for j := range d {
				d[j] = math.Log10(a[j])
			}
		case opExp:
			for j := range d {
				d[j] = math.Exp(a[j])
			}
		case opRound:
			for j := range d {
				d[j] = math.Round(a[j])
			}
		case opFloor:
			for j := range d {
				d[j] = math.Floor(a[j])
			}
		case opCeil:
			for j := range d {
				d[j] = math.Ceil(a[j])
			}
		default:
			b := s[int(in.B)*w : int(in.B)*w+w]
			b = b[:len(d)]
			if isCombo(in.Op) {
				comboBlock(in.Op, d, a, b, s[int(in.C)*w:int(in.C)*w+w], lane[:len(d)])
				continue
			}
			p.binaryBlock(in, d, a, b, s, w)
		}
	}
}

func (p *Program) binaryBlock(in *Instr, d, a, b, s []float64, w int) {
	switch in.Op {
	case opAdd:
		vadd(d, a, b)
	case opSub:
		vsub(d, a, b)
	case opMul:
		vmul(d, a, b)
	case opDiv:
		vdiv(d, a, b)
	case opPow:
		for j := range d {
			d[j] = math.Pow(a[j], b[j])
		}
	case opLt:
		for j := range d {
			d[j] = b2f(a[j] < b[j])
		}
	case opLe:
		for j := range d {
			d[j] = b2f(a[j] <= b[j])
		}
	case opGt:
		for j := range d {
			d[j] = b2f(a[j] > b[j])
		}
	case opGe:
		for j := range d {
			d[j] = b2f(a[j] >= b[j])
		}
	case opEq:
		for j := range d {
			d[j] = b2f(a[j] == b[j])
		}
	case opNe:
		for j := range d {
			d[j] = b2f(a[j] != b[j])
		}
	case opAnd:
		for j := range d {
			d[j] = b2f(a[j] != 0 && b[j] != 0)
		}
	case opOr:
		for j := range d {
			d[j] = b2f(a[j] != 0 || b[j] != 0)
		}
	case opMin:
		vmin(d, a, b)
	case opMax:
		vmax(d, a, b)
	case opRoundTo:
		for j := range d {
			d[j] = formula.RoundTo(a[j], b[j])
		}
	case opSelect:
		c := s[int(in.C)*w : int(in.C)*w+w]
		c = c[:len(d)]
		for j := range d {
			if c[j] != 0 {
				d[j] = a[j]
			} else {
				d[j] = b[j]
			}
		}
	case opClamp:
		c := s[int(in.C)*w : int(in.C)*w+w]
		c = c[:len(d)]
		for j := range d {
			d[j] = formula.Clamp(a[j], b[j], c[j])
		}
	}
}

// kernelBlock evaluates a kernel lane by lane, gathering each lane's
// slots into scratch. It is the slow path, for models mixing engines.
func (p *Program) kernelBlock(in *Instr, s []float64, w int, scratch []float64) {
	n := p.nslots
	for j := 0; j < w; j++ {
		for k := 0; k < n; k++ {
			scratch[k] = s[k*w+j]
		}
		s[int(in.Dst)*w+j] = p.kernels[in.C].Eval(scratch)
	}
}
