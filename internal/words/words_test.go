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

func TestTokensComposeVietnamese(t *testing.T) {
	got := Tokens("To\u0302\u0309 CHƯ\u0301C hội-thảo, 5 lần!")
	want := []string{"tổ", "chức", "hội-thảo", "5", "lần"}
	if !slices.Equal(got, want) {
		t.Errorf("Tokens = %q, want %q", got, want)
	}
}
