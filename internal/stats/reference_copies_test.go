package stats

import (
	"bytes"
	"encoding/json"
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
		// A clone of the repository alone: the copies are the references.
		// Check that they are there and are the generated reference files.
		t.Log("no ../shared/reference beside the module; checking the copies in testdata only:", err)
		checkCopiesPresent(t, root)
		return
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

// checkCopiesPresent checks that the testdata directories hold the
// reference files the tests read, each a JSON document naming the script
// that generated it.
func checkCopiesPresent(t *testing.T, root string) {
	t.Helper()
	for _, path := range []string{
		"internal/stats/testdata/granger.json", "internal/stats/testdata/lagselect.json",
		"internal/stats/testdata/correlation.json", "internal/stats/testdata/stationarity.json",
		"check/testdata/granger.json", "check/testdata/correlation.json", "check/testdata/mece.json",
		"check/testdata/lagselect.json",
	} {
		b, err := os.ReadFile(filepath.Join(root, filepath.FromSlash(path)))
		if err != nil {
			t.Errorf("reference copy missing: %v", err)
			continue
		}
		var doc struct {
			Generator string `json:"generator"`
		}
		if err := json.Unmarshal(b, &doc); err != nil || doc.Generator == "" {
			t.Errorf("%s is not a generated reference file (generator %q, %v)", path, doc.Generator, err)
		}
	}
}
