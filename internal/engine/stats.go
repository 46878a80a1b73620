package engine

import "errors"

// Stats describes the machine code of all programs in the process.
type Stats struct {
	// Available reports whether programs are compiled to machine code in
	// this process; Reason says why not.
	Available bool
	Reason    string
	// MappedBytes is the executable memory mapped (shared code areas),
	// InUseBytes the part live programs hold.
	MappedBytes, InUseBytes int64
	// Mappings is the number of memory mappings the code areas use.
	Mappings int
	// Programs is the number of live machine-code blocks (a program's
	// code for Run, and its per-node code once compiled).
	Programs int
	// UnmapErrors counts failed munmap calls; UnmapErr is the last one.
	UnmapErrors int
	UnmapErr    error
}

// NativeStats reports the process's machine code.
func NativeStats() Stats { return nativeStats() }

// ErrStep reports a RunNodes step that is not a node of the program (a
// cone found for another program).
var ErrStep = errors.New("not a node of this program")
