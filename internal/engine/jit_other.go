//go:build !(linux && amd64) || purego || race

package engine

import "runtime"

type jitCode struct{}

type segment struct{}

func jitCompile([]Instr, int) (*jitCode, []segment, bool) { return nil, nil, false }

func (p *Program) runJIT([]float64) bool { return false }

// JITBytes is the size of the machine code (0 when interpreted).
func (p *Program) JITBytes() int { return 0 }

func (p *Program) runNodesJIT([]float64, []int32) (bool, error) { return false, nil }

func nativeStats() Stats {
	why := "native code is generated on linux/amd64 only"
	if runtime.GOOS == "linux" && runtime.GOARCH == "amd64" {
		why = "built with the purego tag"
		if raceEnabled {
			why = "built with the race detector, which cannot see the slot accesses of machine code"
		}
	}
	return Stats{Reason: why}
}

func hasNativeFloor() bool { return false }
