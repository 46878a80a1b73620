package words

import (
	"slices"
	"strings"
)

// vietCompositions lists, three runes each, a lower-case letter, a
// combining mark and the precomposed letter they make under Unicode
// canonical composition, for every Vietnamese vowel (generated from
// golang.org/x/text/unicode/norm).
const vietCompositions = "" +
	"a\u0300à" + "a\u0301á" + "a\u0302â" + "a\u0303ã" + "a\u0306ă" + "a\u0309ả" +
	"a\u0323ạ" + "e\u0300è" + "e\u0301é" + "e\u0302ê" + "e\u0303ẽ" + "e\u0306ĕ" +
	"e\u0309ẻ" + "e\u0323ẹ" + "i\u0300ì" + "i\u0301í" + "i\u0302î" + "i\u0303ĩ" +
	"i\u0306ĭ" + "i\u0309ỉ" + "i\u0323ị" + "o\u0300ò" + "o\u0301ó" + "o\u0302ô" +
	"o\u0303õ" + "o\u0306ŏ" + "o\u0309ỏ" + "o\u031Bơ" + "o\u0323ọ" + "u\u0300ù" +
	"u\u0301ú" + "u\u0302û" + "u\u0303ũ" + "u\u0306ŭ" + "u\u0309ủ" + "u\u031Bư" +
	"u\u0323ụ" + "y\u0300ỳ" + "y\u0301ý" + "y\u0302ŷ" + "y\u0303ỹ" + "y\u0309ỷ" +
	"y\u0323ỵ" + "â\u0300ầ" + "â\u0301ấ" + "â\u0303ẫ" + "â\u0309ẩ" + "ê\u0300ề" +
	"ê\u0301ế" + "ê\u0303ễ" + "ê\u0309ể" + "ô\u0300ồ" + "ô\u0301ố" + "ô\u0303ỗ" +
	"ô\u0309ổ" + "ă\u0300ằ" + "ă\u0301ắ" + "ă\u0303ẵ" + "ă\u0309ẳ" +
	"ơ\u0300ờ" + "ơ\u0301ớ" + "ơ\u0303ỡ" + "ơ\u0309ở" + "ơ\u0323ợ" +
	"ư\u0300ừ" + "ư\u0301ứ" + "ư\u0303ữ" + "ư\u0309ử" + "ư\u0323ự" + "ạ\u0302ậ" +
	"ạ\u0306ặ" + "ẹ\u0302ệ" + "ọ\u0302ộ"

type compPair struct{ base, mark rune }

var (
	composeTab   = map[compPair]rune{}
	decomposeTab = map[rune]compPair{}
)

func init() {
	r := []rune(vietCompositions)
	for k := 0; k+2 < len(r); k += 3 {
		p := compPair{r[k], r[k+1]}
		composeTab[p] = r[k+2]
		decomposeTab[r[k+2]] = p
	}
}

// markClass is the canonical combining class of the Vietnamese marks:
// horn 216, dot below 220, the others above the letter 230.
func markClass(m rune) int {
	switch m {
	case 0x031B:
		return 216
	case 0x0323:
		return 220
	}
	return 230
}

// Compose rewrites Vietnamese letters typed as a base letter and
// combining marks (in any order) into their precomposed form, as Unicode
// canonical composition would; other text is returned unchanged.
func Compose(s string) string {
	if !strings.ContainsFunc(s, func(r rune) bool { return r >= 0x0300 && r <= 0x036F }) {
		return s
	}
	var b strings.Builder
	rs := []rune(s)
	for i := 0; i < len(rs); {
		// A letter and the combining marks after it.
		j := i + 1
		for j < len(rs) && rs[j] >= 0x0300 && rs[j] <= 0x036F {
			j++
		}
		base, marks := rs[i], slices.Clone(rs[i+1:j])
		for {
			p, ok := decomposeTab[base]
			if !ok {
				break
			}
			base, marks = p.base, append([]rune{p.mark}, marks...)
		}
		slices.SortStableFunc(marks, func(a, b rune) int { return markClass(a) - markClass(b) })
		var rest []rune
		for _, m := range marks {
			blocked := len(rest) > 0 && markClass(rest[len(rest)-1]) >= markClass(m)
			if c, ok := composeTab[compPair{base, m}]; ok && !blocked {
				base = c
				continue
			}
			rest = append(rest, m)
		}
		b.WriteRune(base)
		for _, m := range rest {
			b.WriteRune(m)
		}
		i = j
	}
	return b.String()
}
