//go:build amd64 && !purego && !race

package engine

import (
	"os"
	"strings"
)

// CPU features, detected with CPUID and honouring GODEBUG's cpu.* settings
// (cpu.avx2=off, cpu.sse41=off, cpu.all=off) as the Go runtime does.

// useAVX2 reports whether the CPU and the operating system support AVX2
// (the block kernels).
var useAVX2 = !cpuOff(os.Getenv("GODEBUG"), "avx2") && func() bool {
	maxID, _, _, _ := cpuid(0, 0)
	if maxID < 7 {
		return false
	}
	_, _, ecx1, _ := cpuid(1, 0)
	const osxsave, avx = 1 << 27, 1 << 28
	if ecx1&osxsave == 0 || ecx1&avx == 0 {
		return false
	}
	if eax, _ := xgetbv(); eax&6 != 6 { // XMM and YMM state enabled by the OS
		return false
	}
	_, ebx7, _, _ := cpuid(7, 0)
	return ebx7&(1<<5) != 0
}()

// hasSSE41 reports ROUNDSD (native floor and ceil).
var hasSSE41 = !cpuOff(os.Getenv("GODEBUG"), "sse41") && func() bool {
	_, _, ecx, _ := cpuid(1, 0)
	return ecx&(1<<19) != 0
}()

// cpuOff reports whether the GODEBUG value godebug turns the feature off:
// cpu.<feature>=off or cpu.all=off; the last setting wins.
func cpuOff(godebug, feature string) bool {
	off := false
	for _, kv := range strings.Split(godebug, ",") {
		k, v, ok := strings.Cut(strings.TrimSpace(kv), "=")
		if !ok || (k != "cpu."+feature && k != "cpu.all") {
			continue
		}
		off = v == "off"
	}
	return off
}

func cpuid(eaxArg, ecxArg uint32) (eax, ebx, ecx, edx uint32)
func xgetbv() (eax, edx uint32)
