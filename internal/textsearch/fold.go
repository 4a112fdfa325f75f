package textsearch

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// latinFold maps U+00C0–U+017F to lower-case ASCII: '*' marks ligatures
// expanded in foldRune, ' ' marks the × and ÷ signs, treated as separators.
const latinFold = "aaaaaa*ceeeeiiiidnooooo ouuuuy**" +
	"aaaaaa*ceeeeiiiidnooooo ouuuuy*y" +
	"aaaaaaccccccccddddeeeeeeeeeegggg" +
	"gggghhhhiiiiiiiiii**jjkkklllllll" +
	"lllnnnnnnnnnoooooo**rrrrrrssssss" +
	"ssttttttuuuuuuuuuuuuwwyyyzzzzzzs"

// Fold normalises s for search and comparison: lower case, accents and
// ligatures removed (é→e, œ→oe, ß→ss), and hyphens, apostrophes and any other
// punctuation or white space turned into single spaces, trimmed at both ends.
// "L'Haÿ-les-Roses" and "l hay  LES roses" both fold to "l hay les roses".
func Fold(s string) string {
	var b strings.Builder
	b.Grow(len(s))
	space := false
	for _, r := range s {
		var repl string
		switch {
		case r >= 'a' && r <= 'z' || r >= '0' && r <= '9':
		case r >= 'A' && r <= 'Z':
			r += 'a' - 'A'
		case r < utf8.RuneSelf:
			r = ' '
		case unicode.Is(unicode.Mn, r):
			// A combining accent from decomposed (NFD) input: drop it.
			continue
		case r >= 0xC0 && r <= 0x17F:
			repl = foldRune(r)
			if repl == " " {
				r = ' '
			}
		case unicode.IsLetter(r) && !unicode.Is(unicode.Lm, r) || unicode.IsDigit(r):
			// Lm covers ʼ and ʻ, which are apostrophes, not letters.
			r = unicode.ToLower(r)
		default:
			r = ' '
		}
		if r == ' ' {
			space = b.Len() > 0
			continue
		}
		if space {
			b.WriteByte(' ')
			space = false
		}
		if repl != "" {
			b.WriteString(repl)
		} else {
			b.WriteRune(r)
		}
	}
	return b.String()
}

func foldRune(r rune) string {
	switch r {
	case 'Æ', 'æ':
		return "ae"
	case 'Œ', 'œ':
		return "oe"
	case 'ß':
		return "ss"
	case 'Þ', 'þ':
		return "th"
	case 'Ĳ', 'ĳ':
		return "ij"
	}
	return latinFold[r-0xC0 : r-0xC0+1]
}
