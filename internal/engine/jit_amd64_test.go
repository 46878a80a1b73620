//go:build linux && amd64 && !purego && !race

package engine

import (
	"math/rand/v2"
	"runtime"
	"testing"
)

// TestSmallProgramsInterpreted: with the default threshold, a program too
// small to gain stays interpreted.
func TestSmallProgramsInterpreted(t *testing.T) {
	code := make([]Instr, 200)
	for i := range code {
		code[i] = Instr{Op: opAdd, Dst: 3, A: 1, B: 2}
	}
	if planSegments(code, minNativeInstrs) != nil {
		t.Error("a program of 200 instructions was planned as machine code")
	}
	code = append(code, code...)
	if planSegments(code, minNativeInstrs) == nil {
		t.Error("a program of 400 instructions was not planned as machine code")
	}
}

// TestJITRefusesFarSlots: an instruction whose slot's byte offset does
// not fit the 32-bit displacement stays interpreted.
func TestJITRefusesFarSlots(t *testing.T) {
	code := make([]Instr, 40)
	for i := range code {
		code[i] = Instr{Op: opAdd, Dst: 3, A: 1, B: 2}
	}
	code[20].Dst = 1 << 28
	segs := planSegments(code, minNativeInstrs)
	for _, g := range segs {
		if g.off >= 0 && g.lo <= 20 && 20 < g.hi {
			t.Fatalf("instruction writing slot 2^28 planned as machine code: %+v", segs)
		}
	}
}

// TestJITRefusesHugeCode: code beyond the reach of a 32-bit RIP-relative
// displacement is refused (the limit is lowered for the test), and the
// program runs interpreted.
func TestJITRefusesHugeCode(t *testing.T) {
	defer func(n int) { maxCodeBytes = n }(maxCodeBytes)
	maxCodeBytes = 256
	code := make([]Instr, 100)
	for i := range code {
		code[i] = Instr{Op: opAdd, Dst: 3, A: 1, B: 2}
	}
	if j, _, ok := jitCompile(code, 16); ok || j != nil {
		t.Fatal("compiled code larger than maxCodeBytes")
	}
}

// TestChunks: machine code runs in chunks of at most chunkInstrs
// instructions, with interpreted stretches between them.
func TestChunks(t *testing.T) {
	code := make([]Instr, 3*chunkInstrs+10)
	for i := range code {
		code[i] = Instr{Op: opAdd, Dst: 3, A: 1, B: 2}
	}
	code[chunkInstrs+5].Op = opLog
	segs := planSegments(code, minNativeInstrs)
	next := int32(0)
	for _, g := range segs {
		if g.lo != next || g.hi <= g.lo {
			t.Fatalf("segments do not tile the program: %+v", segs)
		}
		next = g.hi
		if g.off >= 0 && g.hi-g.lo > chunkInstrs {
			t.Errorf("native segment of %d instructions", g.hi-g.lo)
		}
		if (g.off < 0) != (g.lo <= int32(chunkInstrs+5) && int32(chunkInstrs+5) < g.hi) {
			t.Errorf("segment %+v: interpreted is wrong", g)
		}
	}
	if next != int32(len(code)) {
		t.Fatalf("segments end at %d of %d", next, len(code))
	}
}

// TestCodeAreas: blocks share areas, freed space is reused, and the
// number of mappings follows the memory in use, not the number of blocks
// ever allocated.
func TestCodeAreas(t *testing.T) {
	runtime.GC()
	before := NativeStats()
	r := rand.New(rand.NewPCG(5, 6))
	type held struct{ b codeBlock }
	var live []held
	for round := range 20 {
		for range 2000 {
			code := make([]byte, 64+r.IntN(2000))
			b, _, err := allocCode(code)
			if err != nil {
				t.Fatal(err)
			}
			live = append(live, held{b})
		}
		// drop half, at random
		r.Shuffle(len(live), func(i, j int) { live[i], live[j] = live[j], live[i] })
		for _, h := range live[len(live)/2:] {
			freeCode(h.b)
		}
		live = live[:len(live)/2]
		s := NativeStats()
		// live bytes are at most 2000 blocks of 2 KiB: a few MiB
		if s.Mappings-before.Mappings > 2*16 {
			t.Fatalf("round %d: %d mappings for %d live blocks", round, s.Mappings-before.Mappings, len(live))
		}
	}
	for _, h := range live {
		freeCode(h.b)
	}
	s := NativeStats()
	if s.InUseBytes != before.InUseBytes || s.Programs != before.Programs {
		t.Errorf("after freeing everything: %d bytes in %d blocks in use, want %d in %d", s.InUseBytes, s.Programs, before.InUseBytes, before.Programs)
	}
	if s.Mappings > before.Mappings+2 {
		t.Errorf("after freeing everything: %d mappings, before %d", s.Mappings, before.Mappings)
	}
	if s.UnmapErrors != 0 {
		t.Errorf("munmap failed: %v", s.UnmapErr)
	}
}

func TestCPUOff(t *testing.T) {
	for _, tc := range []struct {
		godebug, feature string
		off              bool
	}{
		{"", "avx2", false},
		{"cpu.avx2=off", "avx2", true},
		{"cpu.avx2=on", "avx2", false},
		{"madvdontneed=1,cpu.sse41=off", "sse41", true},
		{"madvdontneed=1,cpu.sse41=off", "avx2", false},
		{"cpu.all=off", "sse41", true},
		{"cpu.avx2=off,cpu.avx2=on", "avx2", false},
	} {
		if got := cpuOff(tc.godebug, tc.feature); got != tc.off {
			t.Errorf("cpuOff(%q, %q) = %v, want %v", tc.godebug, tc.feature, got, tc.off)
		}
	}
}
