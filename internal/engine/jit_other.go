//go:build !(linux && amd64) || purego

package engine

type jitCode struct{}

func jitCompile([]Instr) (*jitCode, bool) { return nil, false }

func (p *Program) runJIT([]float64) bool { return false }

// JITBytes is the size of the machine code (0 when interpreted).
func (p *Program) JITBytes() int { return 0 }

func (p *Program) runNodesJIT([]float64, []int32) bool { return false }
