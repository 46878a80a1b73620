package tree

import "github.com/kpitree/kpitree/internal/engine"

// NativeCodeStats describes the machine code of all compiled models in
// the process (see WithNativeCode).
type NativeCodeStats struct {
	// Available reports whether models are compiled to machine code in
	// this process. When it is false, Reason says why: a platform other
	// than linux/amd64, the purego build tag, a build with the race
	// detector, or the kernel refusing executable memory (asked once;
	// later compiles do not ask again).
	Available bool
	Reason    string
	// MappedBytes is the executable memory mapped for machine code,
	// outside the Go heap (GOMEMLIMIT does not see it); InUseBytes is the
	// part held by live models. The rest is free space of shared code
	// areas, reused by later compiles.
	MappedBytes, InUseBytes int64
	// Mappings is the number of memory mappings the code areas take
	// (each area is mapped twice: writable and executable). It follows
	// MappedBytes, not the number of models ever compiled.
	Mappings int
	// Blocks is the number of live blocks of machine code (one per
	// natively compiled model, plus one per model whose per-node code
	// for cones has been compiled).
	Blocks int
	// UnmapErrors counts failed munmap calls (the memory stays mapped);
	// UnmapErr is the last one.
	UnmapErrors int
	UnmapErr    error
}

// ReadNativeCodeStats reports the process's machine code: whether native
// code is in use (and why not) and the memory it takes.
func ReadNativeCodeStats() NativeCodeStats {
	s := engine.NativeStats()
	return NativeCodeStats{
		Available:   s.Available,
		Reason:      s.Reason,
		MappedBytes: s.MappedBytes,
		InUseBytes:  s.InUseBytes,
		Mappings:    s.Mappings,
		Blocks:      s.Programs,
		UnmapErrors: s.UnmapErrors,
		UnmapErr:    s.UnmapErr,
	}
}
