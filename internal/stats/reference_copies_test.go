package stats

import (
	"bytes"
	"io/fs"
	"os"
	"path/filepath"
	"testing"
)

// TestReferenceCopiesMatchShared checks that every copy of a reference
// file in a testdata directory of the module is identical to the file in
// ../shared/reference, when that directory is present, so the tests can
// never drift from the published references.
func TestReferenceCopiesMatchShared(t *testing.T) {
	root := filepath.Join("..", "..")
	shared := filepath.Join(root, "..", "shared", "reference")
	refs, err := os.ReadDir(shared)
	if err != nil {
		t.Skip("no ../shared/reference beside the module:", err)
	}
	want := map[string][]byte{}
	for _, e := range refs {
		if filepath.Ext(e.Name()) == ".json" {
			b, err := os.ReadFile(filepath.Join(shared, e.Name()))
			if err != nil {
				t.Fatal(err)
			}
			want[e.Name()] = b
		}
	}
	copies := 0
	err = filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() || filepath.Base(filepath.Dir(path)) != "testdata" {
			return nil
		}
		ref, ok := want[d.Name()]
		if !ok {
			return nil
		}
		got, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		copies++
		if !bytes.Equal(got, ref) {
			t.Errorf("%s differs from ../shared/reference/%s", path, d.Name())
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if copies == 0 {
		t.Error("no reference copies found under testdata directories")
	}
	t.Logf("%d reference copies checked", copies)
}
