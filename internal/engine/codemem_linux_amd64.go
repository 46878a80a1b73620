//go:build linux && amd64 && !purego && !race

package engine

import (
	"errors"
	"fmt"
	"sync"
	"syscall"
	"unsafe"
)

// Machine code lives in shared code areas, not one mapping per program:
// many programs share an area, and a program's bytes return to its
// area's free list when the program is garbage collected. Each area is a
// memfd mapped twice — once writable, once executable — so new code is
// written through the first view while code in the same pages runs
// through the second; no page is ever writable and executable at once,
// and protections never change (which would split the kernel's mappings
// and grow the process's map count). The number of mappings therefore
// follows the native memory in use, not the number of programs ever
// compiled: two per area, areas of codeAreaSize (or one per program
// larger than a quarter of that), and an area that becomes empty is
// unmapped, except one kept for reuse.

const (
	codeAreaSize = 1 << 20 // bytes per shared area
	codeAlign    = 64      // allocation granularity (a cache line)
	sysMemfd     = 319     // memfd_create on linux/amd64
	mfdCloexec   = 0x1
	mfdExec      = 0x10 // Linux 6.3+: executable memfd, where vm.memfd_noexec asks for it
)

// codeArea is one shared area: a writable and an executable view of the
// same memory.
type codeArea struct {
	rw, rx []byte
	free   []codeSpan // sorted by offset, coalesced
	used   int
}

type codeSpan struct{ off, size int }

// codeBlock is the part of an area one program holds.
type codeBlock struct {
	area      *codeArea
	off, size int
}

// codeMem is the process-wide allocator.
var codeMem struct {
	sync.Mutex
	areas    []*codeArea
	mapped   int64 // bytes mapped (each area counted once, not per view)
	inUse    int64 // bytes held by live programs
	programs int
	large    int   // blocks in mappings of their own
	unmapErr error // the last munmap failure, if any
	unmapN   int
	refused  error // set when the kernel refuses executable memory; no retry
}

// allocCode copies code into a shared area and returns the block and the
// address of its first byte in the executable view.
func allocCode(code []byte) (codeBlock, uintptr, error) {
	size := (len(code) + codeAlign - 1) &^ (codeAlign - 1)
	codeMem.Lock()
	defer codeMem.Unlock()
	if codeMem.refused != nil {
		return codeBlock{}, 0, codeMem.refused
	}
	var b codeBlock
	found := false
	if size <= codeAreaSize/4 {
		for _, a := range codeMem.areas {
			if off, ok := a.take(size); ok {
				b, found = codeBlock{area: a, off: off, size: size}, true
				break
			}
		}
	}
	if !found && size > codeAreaSize/4 {
		return allocLarge(code)
	}
	if !found {
		asize := codeAreaSize
		a, err := newCodeArea(asize)
		if err != nil {
			if !errors.Is(err, syscall.ENOMEM) {
				// The kernel (or a security policy) refuses executable
				// memory: remember it and interpret from now on, without
				// asking again on every compile.
				codeMem.refused = err
			}
			return codeBlock{}, 0, err
		}
		codeMem.areas = append(codeMem.areas, a)
		codeMem.mapped += int64(asize)
		off, _ := a.take(size)
		b = codeBlock{area: a, off: off, size: size}
	}
	copy(b.area.rw[b.off:b.off+len(code)], code)
	fillTrap(b.area.rw[b.off+len(code) : b.off+size])
	codeMem.inUse += int64(size)
	codeMem.programs++
	return b, uintptr(unsafe.Pointer(&b.area.rx[b.off])), nil
}

// allocLarge gives code larger than a quarter of an area a private
// mapping of its own: written, then made executable (never both), with
// huge pages requested so that a long straight run of instructions does
// not miss the instruction TLB on every 4 KiB page (shared memory, which
// the areas are, gets no transparent huge pages on most systems). Called
// with codeMem locked.
func allocLarge(code []byte) (codeBlock, uintptr, error) {
	pg := syscall.Getpagesize()
	size := (len(code) + pg - 1) &^ (pg - 1)
	mem, err := syscall.Mmap(-1, 0, size, syscall.PROT_READ|syscall.PROT_WRITE, syscall.MAP_PRIVATE|syscall.MAP_ANON)
	if err != nil {
		return codeBlock{}, 0, fmt.Errorf("mmap of %d bytes for machine code: %w", size, err)
	}
	if size >= 4<<20 {
		_ = syscall.Madvise(mem, 14) // MADV_HUGEPAGE; advisory, an error changes nothing
	}
	copy(mem, code)
	fillTrap(mem[len(code):])
	if err := syscall.Mprotect(mem, syscall.PROT_READ|syscall.PROT_EXEC); err != nil {
		err = fmt.Errorf("mprotect of machine code to executable: %w", err)
		if uerr := syscall.Munmap(mem); uerr != nil {
			err = errors.Join(err, fmt.Errorf("munmap: %w", uerr))
		}
		if !errors.Is(err, syscall.ENOMEM) {
			codeMem.refused = err
		}
		return codeBlock{}, 0, err
	}
	a := &codeArea{rx: mem, used: size}
	codeMem.mapped += int64(size)
	codeMem.large++
	codeMem.inUse += int64(size)
	codeMem.programs++
	return codeBlock{area: a, off: 0, size: size}, uintptr(unsafe.Pointer(&mem[0])), nil
}

// freeCode returns a block to its area (run by a cleanup once its
// program is unreachable).
func freeCode(b codeBlock) {
	codeMem.Lock()
	defer codeMem.Unlock()
	a := b.area
	if a.rw == nil { // a large block's own mapping
		codeMem.inUse -= int64(b.size)
		codeMem.programs--
		codeMem.mapped -= int64(len(a.rx))
		codeMem.large--
		if err := syscall.Munmap(a.rx); err != nil {
			codeMem.unmapErr = fmt.Errorf("munmap of %d bytes of machine code: %w", len(a.rx), err)
			codeMem.unmapN++
		}
		return
	}
	fillTrap(a.rw[b.off : b.off+b.size]) // a stray jump traps
	a.put(b.off, b.size)
	codeMem.inUse -= int64(b.size)
	codeMem.programs--
	if a.used > 0 {
		return
	}
	// Unmap an empty area unless it is the only empty one left.
	empty := 0
	for _, o := range codeMem.areas {
		if o.used == 0 {
			empty++
		}
	}
	if empty <= 1 {
		return
	}
	for i, o := range codeMem.areas {
		if o == a {
			codeMem.areas = append(codeMem.areas[:i], codeMem.areas[i+1:]...)
			break
		}
	}
	codeMem.mapped -= int64(len(a.rx))
	for _, m := range [][]byte{a.rx, a.rw} {
		if err := syscall.Munmap(m); err != nil {
			codeMem.unmapErr = fmt.Errorf("munmap of %d bytes of machine code: %w", len(m), err)
			codeMem.unmapN++
		}
	}
}

func fillTrap(b []byte) {
	for i := range b {
		b[i] = 0xCC // int3
	}
}

// newCodeArea maps size bytes twice: writable and executable.
func newCodeArea(size int) (*codeArea, error) {
	name := [...]byte{'k', 'p', 'i', 't', 'r', 'e', 'e', 0}
	fd, _, e := syscall.Syscall(sysMemfd, uintptr(unsafe.Pointer(&name[0])), mfdCloexec|mfdExec, 0)
	if e == syscall.EINVAL { // a kernel before MFD_EXEC
		fd, _, e = syscall.Syscall(sysMemfd, uintptr(unsafe.Pointer(&name[0])), mfdCloexec, 0)
	}
	if e != 0 {
		return nil, fmt.Errorf("memfd_create: %w", e)
	}
	defer syscall.Close(int(fd)) // the mappings keep the memory
	if err := syscall.Ftruncate(int(fd), int64(size)); err != nil {
		return nil, fmt.Errorf("ftruncate of the code area: %w", err)
	}
	rw, err := syscall.Mmap(int(fd), 0, size, syscall.PROT_READ|syscall.PROT_WRITE, syscall.MAP_SHARED)
	if err != nil {
		return nil, fmt.Errorf("mmap of the code area (writable view): %w", err)
	}
	rx, err := syscall.Mmap(int(fd), 0, size, syscall.PROT_READ|syscall.PROT_EXEC, syscall.MAP_SHARED)
	if err != nil {
		if uerr := syscall.Munmap(rw); uerr != nil {
			err = errors.Join(err, fmt.Errorf("munmap: %w", uerr))
		}
		return nil, fmt.Errorf("mmap of the code area (executable view): %w", err)
	}
	fillTrap(rw)
	return &codeArea{rw: rw, rx: rx, free: []codeSpan{{0, size}}}, nil
}

// take finds the first free span of at least size bytes.
func (a *codeArea) take(size int) (int, bool) {
	for i := range a.free {
		f := &a.free[i]
		if f.size < size {
			continue
		}
		off := f.off
		f.off += size
		f.size -= size
		if f.size == 0 {
			a.free = append(a.free[:i], a.free[i+1:]...)
		}
		a.used += size
		return off, true
	}
	return 0, false
}

// put returns a span, merging it with its free neighbours.
func (a *codeArea) put(off, size int) {
	a.used -= size
	i := 0
	for i < len(a.free) && a.free[i].off < off {
		i++
	}
	a.free = append(a.free, codeSpan{})
	copy(a.free[i+1:], a.free[i:])
	a.free[i] = codeSpan{off, size}
	if i+1 < len(a.free) && a.free[i].off+a.free[i].size == a.free[i+1].off {
		a.free[i].size += a.free[i+1].size
		a.free = append(a.free[:i+1], a.free[i+2:]...)
	}
	if i > 0 && a.free[i-1].off+a.free[i-1].size == a.free[i].off {
		a.free[i-1].size += a.free[i].size
		a.free = append(a.free[:i], a.free[i+1:]...)
	}
}

// nativeStats reads the allocator's counters.
func nativeStats() Stats {
	codeMem.Lock()
	defer codeMem.Unlock()
	s := Stats{
		Available:   codeMem.refused == nil,
		MappedBytes: codeMem.mapped,
		InUseBytes:  codeMem.inUse,
		Mappings:    2*len(codeMem.areas) + codeMem.large,
		Programs:    codeMem.programs,
		UnmapErr:    codeMem.unmapErr,
		UnmapErrors: codeMem.unmapN,
	}
	if codeMem.refused != nil {
		s.Reason = "the kernel refused executable memory: " + codeMem.refused.Error()
	}
	return s
}
