package main

func (in *ingest) readJSON(file string, buf []byte) error {
	return &dataError{File: file, Msg: "JSON data is not read yet"}
}
