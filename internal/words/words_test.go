package words

import (
	"slices"
	"testing"
	"testing/fstest"
)

func TestLoad(t *testing.T) {
	fsys := fstest.MapFS{"w/en.txt": {Data: []byte("# comment\n  Improve \n\nTĂNG doanh số\nbetter\n")}}
	if got := Load(fsys, "w/en.txt"); !slices.Equal(got, []string{"improve", "tăng doanh số", "better"}) {
		t.Errorf("Load = %q", got)
	}
	if got := Load(fsys, "w/xx.txt"); got != nil {
		t.Errorf("missing file: %q", got)
	}
}
