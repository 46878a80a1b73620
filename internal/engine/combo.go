package engine

// Two-operation instructions: L forms compute (A op1 B) op2 C and R forms
// C op2 (A op1 B), for op1 and op2 among + - * /. The inner result is
// rounded to float64 before the outer operation (no fused multiply-add),
// so the result equals the two separate operations bit for bit. One
// dispatch instead of two is most of their worth: an interpreter's cost
// is mostly its indirect jumps.

import "github.com/kpitree/kpitree/internal/formula"

const (
	opComboFirst uint8 = iota + 100
	opAddAddL          = opComboFirst + iota - 1
	opAddAddR
	opAddSubL
	opAddSubR
	opAddMulL
	opAddMulR
	opAddDivL
	opAddDivR
	opSubAddL
	opSubAddR
	opSubSubL
	opSubSubR
	opSubMulL
	opSubMulR
	opSubDivL
	opSubDivR
	opMulAddL
	opMulAddR
	opMulSubL
	opMulSubR
	opMulMulL
	opMulMulR
	opMulDivL
	opMulDivR
	opDivAddL
	opDivAddR
	opDivSubL
	opDivSubR
	opDivMulL
	opDivMulR
	opDivDivL
	opDivDivR
	opComboEnd
)

// comboOps maps (inner op, outer op, nesting: 0 left, 1 right) to its
// two-operation opcode.
var comboOps = map[[3]uint8]uint8{
	{uint8(formula.OpAdd), uint8(formula.OpAdd), 0}: opAddAddL,
	{uint8(formula.OpAdd), uint8(formula.OpAdd), 1}: opAddAddR,
	{uint8(formula.OpAdd), uint8(formula.OpSub), 0}: opAddSubL,
	{uint8(formula.OpAdd), uint8(formula.OpSub), 1}: opAddSubR,
	{uint8(formula.OpAdd), uint8(formula.OpMul), 0}: opAddMulL,
	{uint8(formula.OpAdd), uint8(formula.OpMul), 1}: opAddMulR,
	{uint8(formula.OpAdd), uint8(formula.OpDiv), 0}: opAddDivL,
	{uint8(formula.OpAdd), uint8(formula.OpDiv), 1}: opAddDivR,
	{uint8(formula.OpSub), uint8(formula.OpAdd), 0}: opSubAddL,
	{uint8(formula.OpSub), uint8(formula.OpAdd), 1}: opSubAddR,
	{uint8(formula.OpSub), uint8(formula.OpSub), 0}: opSubSubL,
	{uint8(formula.OpSub), uint8(formula.OpSub), 1}: opSubSubR,
	{uint8(formula.OpSub), uint8(formula.OpMul), 0}: opSubMulL,
	{uint8(formula.OpSub), uint8(formula.OpMul), 1}: opSubMulR,
	{uint8(formula.OpSub), uint8(formula.OpDiv), 0}: opSubDivL,
	{uint8(formula.OpSub), uint8(formula.OpDiv), 1}: opSubDivR,
	{uint8(formula.OpMul), uint8(formula.OpAdd), 0}: opMulAddL,
	{uint8(formula.OpMul), uint8(formula.OpAdd), 1}: opMulAddR,
	{uint8(formula.OpMul), uint8(formula.OpSub), 0}: opMulSubL,
	{uint8(formula.OpMul), uint8(formula.OpSub), 1}: opMulSubR,
	{uint8(formula.OpMul), uint8(formula.OpMul), 0}: opMulMulL,
	{uint8(formula.OpMul), uint8(formula.OpMul), 1}: opMulMulR,
	{uint8(formula.OpMul), uint8(formula.OpDiv), 0}: opMulDivL,
	{uint8(formula.OpMul), uint8(formula.OpDiv), 1}: opMulDivR,
	{uint8(formula.OpDiv), uint8(formula.OpAdd), 0}: opDivAddL,
	{uint8(formula.OpDiv), uint8(formula.OpAdd), 1}: opDivAddR,
	{uint8(formula.OpDiv), uint8(formula.OpSub), 0}: opDivSubL,
	{uint8(formula.OpDiv), uint8(formula.OpSub), 1}: opDivSubR,
	{uint8(formula.OpDiv), uint8(formula.OpMul), 0}: opDivMulL,
	{uint8(formula.OpDiv), uint8(formula.OpMul), 1}: opDivMulR,
	{uint8(formula.OpDiv), uint8(formula.OpDiv), 0}: opDivDivL,
	{uint8(formula.OpDiv), uint8(formula.OpDiv), 1}: opDivDivR,
}

func isCombo(op uint8) bool { return op >= opComboFirst && op < opComboEnd }

// comboBlock executes a two-operation instruction over lanes, through the
// lane buffer t.
func comboBlock(op uint8, d, a, b, c, t []float64) {
	switch op {
	case opMulAddL, opMulAddR:
		vmulAdd(d, a, b, c)
		return
	case opMulMulL, opMulMulR:
		vmulMul(d, a, b, c)
		return
	}
	switch op {
	case opAddAddL:
		vadd(t, a, b)
		vadd(d, t, c)
	case opAddAddR:
		vadd(t, a, b)
		vadd(d, c, t)
	case opAddSubL:
		vadd(t, a, b)
		vsub(d, t, c)
	case opAddSubR:
		vadd(t, a, b)
		vsub(d, c, t)
	case opAddMulL:
		vadd(t, a, b)
		vmul(d, t, c)
	case opAddMulR:
		vadd(t, a, b)
		vmul(d, c, t)
	case opAddDivL:
		vadd(t, a, b)
		vdiv(d, t, c)
	case opAddDivR:
		vadd(t, a, b)
		vdiv(d, c, t)
	case opSubAddL:
		vsub(t, a, b)
		vadd(d, t, c)
	case opSubAddR:
		vsub(t, a, b)
		vadd(d, c, t)
	case opSubSubL:
		vsub(t, a, b)
		vsub(d, t, c)
	case opSubSubR:
		vsub(t, a, b)
		vsub(d, c, t)
	case opSubMulL:
		vsub(t, a, b)
		vmul(d, t, c)
	case opSubMulR:
		vsub(t, a, b)
		vmul(d, c, t)
	case opSubDivL:
		vsub(t, a, b)
		vdiv(d, t, c)
	case opSubDivR:
		vsub(t, a, b)
		vdiv(d, c, t)
	case opMulAddL:
		vmul(t, a, b)
		vadd(d, t, c)
	case opMulAddR:
		vmul(t, a, b)
		vadd(d, c, t)
	case opMulSubL:
		vmul(t, a, b)
		vsub(d, t, c)
	case opMulSubR:
		vmul(t, a, b)
		vsub(d, c, t)
	case opMulMulL:
		vmul(t, a, b)
		vmul(d, t, c)
	case opMulMulR:
		vmul(t, a, b)
		vmul(d, c, t)
	case opMulDivL:
		vmul(t, a, b)
		vdiv(d, t, c)
	case opMulDivR:
		vmul(t, a, b)
		vdiv(d, c, t)
	case opDivAddL:
		vdiv(t, a, b)
		vadd(d, t, c)
	case opDivAddR:
		vdiv(t, a, b)
		vadd(d, c, t)
	case opDivSubL:
		vdiv(t, a, b)
		vsub(d, t, c)
	case opDivSubR:
		vdiv(t, a, b)
		vsub(d, c, t)
	case opDivMulL:
		vdiv(t, a, b)
		vmul(d, t, c)
	case opDivMulR:
		vdiv(t, a, b)
		vmul(d, c, t)
	case opDivDivL:
		vdiv(t, a, b)
		vdiv(d, t, c)
	case opDivDivR:
		vdiv(t, a, b)
		vdiv(d, c, t)
	}
}
