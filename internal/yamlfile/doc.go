// Package yamlfile is the machinery shared by the strict YAML/JSON file
// formats of the module (the model format of package tree, the OKR-set
// format of package okr): positioned decode errors, syntax checks, readers
// of go.yaml.in/yaml/v3 node trees, and writers of node trees as YAML or
// JSON.
//
// # Overview
//
// A format decodes a file in two steps: Decoder.Parse, which checks the
// size, the encoding and the syntax and returns one node tree (JSON read
// by encoding/json's tokenizer into the same kind of tree yaml.v3 gives
// for YAML, positions kept), rejecting anchors, aliases, explicit tags
// and nesting or counts beyond MaxDepth and MaxNodes; then a walk of the
// tree that fills the format's own types with the readers of Decoder
// (Object, Require, Str, Number, NumberIn, Integer, Enum, Seq, StrList). A reader
// reports every problem it finds at the node's line and column with the
// path of the value (built with Key and Index) and returns ok == false;
// decoding goes on, so that one pass reports many problems.
//
// A format encodes by building a node tree (NewMap, StrNode, NumberNode,
// Seq, ...) in its key order and writing it with WriteYAML or WriteJSON.
// NumberNode writes a float64 in the shortest form that reads back to
// exactly the same value.
//
// # Errors
//
// Every problem is an *Error, passed through the wrap function given to
// NewDecoder so that each format returns its own exported error type
// (which has the same fields and converts to and from *Error). At most
// MaxErrors problems are recorded; the one that reaches the limit ends
// the function given to Decoder.Run. Decoder.Run and Decoder.Err return
// the recorded problems joined with errors.Join, or nil.
//
// # Numerics
//
// Numbers are read by YAML 1.2's rules (ParseNumber): 010 is ten, 0o10
// eight; YAML 1.1 forms are errors. Number rejects NaN and infinities
// (.nan, .inf) and numbers out of the range of float64; Integer accepts
// a number with an integral value (2.0) within given bounds, and
// NumberIn and Integer compare with their bounds on the text as written
// (Compare), as JSON Schema does.
package yamlfile
