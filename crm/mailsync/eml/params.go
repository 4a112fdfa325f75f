package eml

import (
	"fmt"
	"sort"
	"strconv"
	"strings"
)

// parseParams parses a Content-Type or Content-Disposition value: the
// lower-cased main value and its parameters (names lower-cased). It is
// lenient where mime.ParseMediaType is strict: unquoted values with blanks,
// unclosed quotes, duplicate parameters (first wins) and RFC 2231 values in
// any charset, not only UTF-8 and ASCII. RFC 2231 values are assembled
// from their continuations and decoded to UTF-8.
func (p *parser) parseParams(s, what string) (string, map[string]string) {
	s = p.rawHeader(s, what)
	value, rest, _ := strings.Cut(s, ";")
	if f := strings.Fields(value); len(f) > 0 {
		value = strings.ToLower(f[0])
	} else {
		value = ""
	}
	params := map[string]string{}
	type segment struct {
		n        int
		extended bool
		val      string
	}
	segments := map[string][]segment{}
	for _, kv := range splitParams(rest) {
		name, val := kv[0], kv[1]
		base, cont, isRFC2231 := strings.Cut(name, "*")
		if !isRFC2231 {
			if _, dup := params[name]; !dup {
				params[name] = val
			}
			continue
		}
		seg := segment{extended: strings.HasSuffix(cont, "*") || cont == "", val: val}
		if num := strings.TrimSuffix(cont, "*"); num != "" {
			n, err := strconv.Atoi(num)
			if err != nil || n < 0 || n > 999 {
				continue
			}
			seg.n = n
		}
		if len(segments[base]) < 100 {
			segments[base] = append(segments[base], seg)
		}
	}
	for base, segs := range segments {
		sort.SliceStable(segs, func(i, j int) bool { return segs[i].n < segs[j].n })
		var raw []byte
		cs := ""
		for i, seg := range segs {
			if i > 0 && seg.n == segs[i-1].n {
				continue // duplicate section number: keep the first
			}
			v := seg.val
			if seg.extended {
				if i == 0 {
					// charset'language'value (RFC 2231 §4)
					if parts := strings.SplitN(v, "'", 3); len(parts) == 3 {
						cs, v = parts[0], parts[2]
					}
				}
				raw = append(raw, percentDecode(v)...)
			} else {
				raw = append(raw, v...)
			}
		}
		// RFC 2231 §4: the extended form takes precedence over the plain one.
		params[base] = p.decodeText(raw, cs, what)
	}
	return value, params
}

// splitParams splits "; a=b; c="d;e"" into name/value pairs, unquoting
// quoted values. A name without "=" is dropped.
func splitParams(s string) [][2]string {
	var out [][2]string
	i := 0
	for i < len(s) && len(out) < 200 {
		for i < len(s) && (s[i] == ';' || s[i] == ' ' || s[i] == '\t') {
			i++
		}
		start := i
		for i < len(s) && s[i] != '=' && s[i] != ';' {
			i++
		}
		name := strings.ToLower(strings.TrimSpace(s[start:i]))
		if i >= len(s) || s[i] == ';' {
			continue
		}
		i++ // "="
		for i < len(s) && (s[i] == ' ' || s[i] == '\t') {
			i++
		}
		var val strings.Builder
		if i < len(s) && s[i] == '"' {
			i++
			for i < len(s) && s[i] != '"' {
				// Only \" and \\ are unescaped: Windows paths come with
				// bare backslashes.
				if s[i] == '\\' && i+1 < len(s) && (s[i+1] == '"' || s[i+1] == '\\') {
					i++
				}
				val.WriteByte(s[i])
				i++
			}
			for i < len(s) && s[i] != ';' {
				i++
			}
		} else {
			start := i
			for i < len(s) && s[i] != ';' {
				i++
			}
			val.WriteString(strings.TrimSpace(s[start:i]))
		}
		if name != "" {
			out = append(out, [2]string{name, val.String()})
		}
	}
	return out
}

// percentDecode decodes %XX escapes; an invalid escape is kept as written.
func percentDecode(s string) []byte {
	out := make([]byte, 0, len(s))
	for i := 0; i < len(s); i++ {
		if s[i] == '%' && i+2 < len(s) && isHex(s[i+1]) && isHex(s[i+2]) {
			out = append(out, unhex(s[i+1])<<4|unhex(s[i+2]))
			i += 2
			continue
		}
		out = append(out, s[i])
	}
	return out
}

// contentType returns the media type and parameters of a part, defaulting
// to text/plain as RFC 2045 §5.2 says for a missing or invalid value.
func (p *parser) contentType(h header) (string, map[string]string) {
	raw := h.get("Content-Type")
	if strings.TrimSpace(raw) == "" {
		return "text/plain", map[string]string{}
	}
	ct, params := p.parseParams(raw, "header Content-Type")
	if typ, sub, ok := strings.Cut(ct, "/"); !ok || typ == "" || sub == "" {
		p.problem(fmt.Sprintf("content type %q invalid, read as text/plain", ct))
		return "text/plain", params
	}
	return ct, params
}
