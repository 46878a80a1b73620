package main

import (
	"bytes"
	"unicode/utf8"
)

// csvScanner splits delimited text into records. It is written for speed
// on large files (no allocation per field) and for precise errors: every
// field carries its line and byte offset. It accepts RFC 4180 quoting
// ("a,b" and "" inside quotes) and rejects what would silently change
// values: mixed line endings, a bare quote inside a field, a quote left
// open.
type csvScanner struct {
	buf   []byte
	off   int  // next byte to read
	line  int  // line of the next byte, 1-based
	sep   byte // field separator
	crlf  bool // lines end in \r\n (decided by the first line)
	ended bool // the line ending was decided

	fields  []field
	scratch []byte
}

// field is one field of a record.
type field struct {
	text   []byte
	line   int // line where the field starts
	off    int // byte offset of the field's first byte in buf
	quoted bool
}

// scanError is a problem at a byte offset of the input.
type scanError struct {
	off  int
	line int
	msg  string
	hint string
}

// charColumn is the 1-based column, in characters, of byte offset off.
func charColumn(buf []byte, off int) int {
	start := bytes.LastIndexByte(buf[:off], '\n') + 1
	return utf8.RuneCount(buf[start:off]) + 1
}

// next reads the next non-blank record. It returns false at the end of the
// input or on an error (err non-nil).
func (s *csvScanner) next() (ok bool, err *scanError) {
	for {
		if s.off >= len(s.buf) {
			return false, nil
		}
		// Blank line: no values on it; skip it (after checking its ending).
		if c := s.buf[s.off]; c == '\n' || c == '\r' {
			if err := s.lineEnd(); err != nil {
				return false, err
			}
			continue
		}
		break
	}
	s.fields = s.fields[:0]
	s.scratch = s.scratch[:0]
	for {
		f := field{line: s.line, off: s.off}
		if s.off < len(s.buf) && s.buf[s.off] == '"' {
			if err := s.quoted(&f); err != nil {
				return false, err
			}
		} else {
			start := s.off
			i := start
			for i < len(s.buf) {
				c := s.buf[i]
				if c == s.sep || c == '\n' || c == '\r' {
					break
				}
				if c == '"' {
					return false, &scanError{off: i, line: s.line, msg: "a quote inside an unquoted field", hint: `quote the whole field: "a ""b"" c"`}
				}
				i++
			}
			f.text = s.buf[start:i]
			s.off = i
		}
		s.fields = append(s.fields, f)
		if s.off >= len(s.buf) {
			return true, nil
		}
		c := s.buf[s.off]
		if c == s.sep {
			s.off++
			continue
		}
		if c == '\n' || c == '\r' {
			if err := s.lineEnd(); err != nil {
				return false, err
			}
			return true, nil
		}
		return false, &scanError{off: s.off, line: s.line, msg: "text after a closing quote", hint: "a quoted field ends at its closing quote; put the separator right after it"}
	}
}

// lineEnd consumes one line ending at s.off, checking that every line ends
// the same way.
func (s *csvScanner) lineEnd() *scanError {
	crlf := false
	switch {
	case s.buf[s.off] == '\r' && s.off+1 < len(s.buf) && s.buf[s.off+1] == '\n':
		crlf = true
	case s.buf[s.off] == '\r':
		return &scanError{off: s.off, line: s.line, msg: "a carriage return (\\r) alone ends the line", hint: "save the file with LF (\\n) or CRLF (\\r\\n) line endings"}
	}
	if !s.ended {
		s.crlf, s.ended = crlf, true
	} else if crlf != s.crlf {
		first, this := "LF", "CRLF"
		if s.crlf {
			first, this = this, first
		}
		return &scanError{off: s.off, line: s.line, msg: "mixed line endings: this line ends in " + this + ", the first line in " + first, hint: "save the file with one kind of line ending"}
	}
	if crlf {
		s.off += 2
	} else {
		s.off++
	}
	s.line++
	return nil
}

// quoted reads a quoted field starting at s.off.
func (s *csvScanner) quoted(f *field) *scanError {
	startLine, startOff := s.line, s.off
	f.quoted = true
	i := s.off + 1
	begin := i
	unescaped := false
	mark := len(s.scratch)
	for {
		j := bytes.IndexByte(s.buf[i:], '"')
		if j < 0 {
			return &scanError{off: startOff, line: startLine, msg: "a quoted field is never closed", hint: `close it with a quote; write a quote inside it as ""`}
		}
		// Count lines inside the quotes for positions after it.
		s.line += bytes.Count(s.buf[i:i+j], []byte{'\n'})
		i += j
		if i+1 < len(s.buf) && s.buf[i+1] == '"' {
			s.scratch = append(s.scratch, s.buf[begin:i+1]...)
			i += 2
			begin = i
			unescaped = true
			continue
		}
		if unescaped {
			s.scratch = append(s.scratch, s.buf[begin:i]...)
			f.text = s.scratch[mark:]
		} else {
			f.text = s.buf[begin:i]
		}
		s.off = i + 1
		return nil
	}
}
