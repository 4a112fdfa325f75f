package documents

import (
	"encoding/hex"
	"io"
	"strings"
	"unicode/utf16"

	"github.com/ledongthuc/pdf"
)

// toUnicode is a font's ToUnicode CMap (PDF 32000-1, 9.10.3): code space
// ranges by code length, single codes (bfchar) and code ranges (bfrange).
type toUnicode struct {
	spaces [5][][2]uint32
	chars  map[string][]rune
	ranges []uniRange
}

type uniRange struct {
	n      int
	lo, hi uint32
	base   []rune   // the text of lo; later codes add their offset to its last character
	each   [][]rune // or one text per code
}

// maxCMap bounds the CMap text read, against a hostile stream.
const maxCMap = 4 << 20

// readToUnicode parses a ToUnicode stream with a small tokenizer of its own:
// CMaps are a PostScript subset, and only the mapping operators matter.
// It returns nil when the stream holds no mapping.
func readToUnicode(strm pdf.Value) *toUnicode {
	rc := strm.Reader()
	data, _ := io.ReadAll(io.LimitReader(rc, maxCMap))
	rc.Close()
	m := &toUnicode{chars: map[string][]rune{}}
	var operands []cmapToken
	for _, t := range tokenizeCMap(string(data)) {
		if t.kind != tokOperator {
			operands = append(operands, t)
			continue
		}
		switch t.text {
		case "endcodespacerange":
			for i := 0; i+1 < len(operands); i += 2 {
				lo, hi := operands[i].text, operands[i+1].text
				if n := len(lo); n >= 1 && n <= 4 && len(hi) == n {
					m.spaces[n] = append(m.spaces[n], [2]uint32{codeOf(lo), codeOf(hi)})
				}
			}
		case "endbfchar":
			for i := 0; i+1 < len(operands); i += 2 {
				m.chars[operands[i].text] = utf16Runes(operands[i+1].text)
			}
		case "endbfrange":
			for i := 0; i+2 < len(operands); {
				lo, hi := operands[i].text, operands[i+1].text
				r := uniRange{n: len(lo), lo: codeOf(lo), hi: codeOf(hi)}
				i += 2
				if operands[i].kind == tokArrayStart {
					for i++; i < len(operands) && operands[i].kind != tokArrayEnd; i++ {
						r.each = append(r.each, utf16Runes(operands[i].text))
					}
				} else {
					r.base = utf16Runes(operands[i].text)
				}
				i++
				if r.n >= 1 && r.n <= 4 && r.lo <= r.hi {
					m.ranges = append(m.ranges, r)
				}
			}
		}
		operands = operands[:0]
	}
	if len(m.chars) == 0 && len(m.ranges) == 0 {
		return nil
	}
	return m
}

func (m *toUnicode) decode(raw string) string {
	var b strings.Builder
	for len(raw) > 0 {
		n := m.codeLen(raw)
		code := raw[:n]
		raw = raw[n:]
		if r, ok := m.chars[code]; ok {
			b.WriteString(string(r))
			continue
		}
		c := codeOf(code)
		for _, rg := range m.ranges {
			if rg.n != n || c < rg.lo || c > rg.hi {
				continue
			}
			off := c - rg.lo
			switch {
			case rg.each != nil && int(off) < len(rg.each):
				b.WriteString(string(rg.each[off]))
			case len(rg.base) > 0:
				text := append([]rune(nil), rg.base...)
				text[len(text)-1] += rune(off)
				b.WriteString(string(text))
			}
			break
		}
	}
	return b.String()
}

// codeLen is the length of the code starting raw: the shortest whose code
// space range holds it; two bytes when the CMap declares no space at all.
func (m *toUnicode) codeLen(raw string) int {
	declared := false
	for n := 1; n <= 4 && n <= len(raw); n++ {
		c := codeOf(raw[:n])
		for _, sp := range m.spaces[n] {
			declared = true
			if c >= sp[0] && c <= sp[1] {
				return n
			}
		}
	}
	if !declared && len(raw) >= 2 {
		return 2
	}
	return 1
}

func codeOf(s string) uint32 {
	var c uint32
	for i := 0; i < len(s); i++ {
		c = c<<8 | uint32(s[i])
	}
	return c
}

func utf16Runes(s string) []rune {
	units := make([]uint16, len(s)/2)
	for i := range units {
		units[i] = uint16(s[2*i])<<8 | uint16(s[2*i+1])
	}
	return utf16.Decode(units)
}

type tokKind int

const (
	tokString tokKind = iota // <hex> or (literal), as raw bytes
	tokOperator
	tokArrayStart
	tokArrayEnd
	tokOther // names, numbers, dictionaries: operands nobody reads here
)

type cmapToken struct {
	kind tokKind
	text string
}

// tokenizeCMap splits a CMap into the tokens the mapping operators need.
func tokenizeCMap(s string) []cmapToken {
	var out []cmapToken
	for i := 0; i < len(s); {
		c := s[i]
		switch {
		case c == '%':
			for i < len(s) && s[i] != '\n' && s[i] != '\r' {
				i++
			}
		case c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == '\f' || c == 0:
			i++
		case strings.HasPrefix(s[i:], "<<") || strings.HasPrefix(s[i:], ">>"):
			out = append(out, cmapToken{kind: tokOther})
			i += 2
		case c == '<':
			end := strings.IndexByte(s[i:], '>')
			if end < 0 {
				return out
			}
			digits := strings.Map(func(r rune) rune {
				if strings.ContainsRune(" \t\r\n\f", r) {
					return -1
				}
				return r
			}, s[i+1:i+end])
			if len(digits)%2 == 1 {
				digits += "0"
			}
			b, _ := hex.DecodeString(digits)
			out = append(out, cmapToken{kind: tokString, text: string(b)})
			i += end + 1
		case c == '(':
			text, n := literalString(s[i:])
			out = append(out, cmapToken{kind: tokString, text: text})
			i += n
		case c == '[':
			out = append(out, cmapToken{kind: tokArrayStart})
			i++
		case c == ']':
			out = append(out, cmapToken{kind: tokArrayEnd})
			i++
		default:
			j := i + 1
			for j < len(s) && !strings.ContainsRune(" \t\r\n\f\x00%<>()[]/{}", rune(s[j])) {
				j++
			}
			word := s[i:j]
			kind := tokOther
			if c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' {
				kind = tokOperator
			}
			out = append(out, cmapToken{kind: kind, text: word})
			i = j
		}
	}
	return out
}

// literalString reads a (…) string with its escapes; it returns the bytes and the length consumed.
func literalString(s string) (string, int) {
	var b strings.Builder
	depth := 0
	for i := 0; i < len(s); i++ {
		switch c := s[i]; {
		case c == '\\' && i+1 < len(s):
			i++
			switch e := s[i]; e {
			case 'n':
				b.WriteByte('\n')
			case 'r':
				b.WriteByte('\r')
			case 't':
				b.WriteByte('\t')
			case 'b':
				b.WriteByte('\b')
			case 'f':
				b.WriteByte('\f')
			default:
				if e >= '0' && e <= '7' {
					v, k := 0, 0
					for ; k < 3 && i+k < len(s) && s[i+k] >= '0' && s[i+k] <= '7'; k++ {
						v = v*8 + int(s[i+k]-'0')
					}
					b.WriteByte(byte(v))
					i += k - 1
				} else {
					b.WriteByte(e)
				}
			}
		case c == '(':
			if depth > 0 {
				b.WriteByte(c)
			}
			depth++
		case c == ')':
			depth--
			if depth == 0 {
				return b.String(), i + 1
			}
			b.WriteByte(c)
		default:
			b.WriteByte(c)
		}
	}
	return b.String(), len(s)
}
