package eml

import (
	"strings"
	"testing"
)

func TestSanitizeHTML(t *testing.T) {
	tests := []struct {
		name, in  string
		contains  []string
		forbidden []string
	}{
		{"script", `<p>a</p><script>alert(1)</script>`, []string{"<p>a</p>"}, []string{"script", "alert"}},
		{"event handlers", `<p onclick="x()" onmouseover="y()">a</p>`, []string{"<p>a</p>"}, []string{"onclick", "onmouseover"}},
		{"style", `<style>p{color:red}</style><p style="color:red">a</p>`, []string{"<p>a</p>"}, []string{"style", "color"}},
		{"form", `<form action="https://x"><input name="p"><button>ok</button></form>`, nil, []string{"<form", "<input", "<button"}},
		{"iframe", `<iframe src="https://x"></iframe>`, nil, []string{"iframe"}},
		{"javascript link", `<a href="javascript:alert(1)">x</a>`, nil, []string{"javascript"}},
		{"link", `<a href="https://formaplus.fr/programme" target="_self" rel="opener">programme</a>`,
			[]string{`<a href="https://formaplus.fr/programme" rel="noopener noreferrer nofollow" target="_blank">programme</a>`}, []string{"_self", `"opener"`}},
		{"mailto link", `<a href="mailto:marie.durand@acme-industrie.fr">Marie</a>`, []string{`href="mailto:marie.durand@acme-industrie.fr"`, `target="_blank"`}, nil},
		{"anchor without href", `<a name="top">haut</a>`, []string{"haut"}, []string{"target"}},
		{"remote image", `<img src="https://pixel.example/o.gif" width="1" height="1">`, nil, []string{"pixel.example", "<img"}},
		{"remote image upper-case", `<IMG SRC="HTTP://pixel.example/o.gif">`, nil, []string{"pixel.example"}},
		{"protocol-relative image", `<img src="//pixel.example/o.gif">`, nil, []string{"pixel.example"}},
		{"data image", `<img src="data:image/png;base64,AAAA">`, nil, []string{"data:"}},
		{"cid image", `<img src="cid:logo@formaplus.fr" alt="logo">`, []string{`<img src="cid:logo@formaplus.fr" alt="logo">`}, nil},
		{"table kept", `<table><tr><td>a</td></tr></table>`, []string{"<td>a</td>"}, nil},
		{"document parts dropped", `<html><head><title>T</title><meta http-equiv="refresh" content="0;url=https://x"></head><body>b</body></html>`, []string{"b"}, []string{"<title", "refresh", "<body"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := sanitizeHTML(tt.in)
			for _, s := range tt.contains {
				if !strings.Contains(got, s) {
					t.Errorf("sanitizeHTML(%q) = %q, lacks %q", tt.in, got, s)
				}
			}
			for _, s := range tt.forbidden {
				if strings.Contains(strings.ToLower(got), strings.ToLower(s)) {
					t.Errorf("sanitizeHTML(%q) = %q, contains %q", tt.in, got, s)
				}
			}
		})
	}
}

func TestHTMLToText(t *testing.T) {
	tests := []struct{ name, in, want string }{
		{"paragraphs", "<p>Un</p><p>Deux</p>", "Un\n\nDeux"},
		{"line breaks", "a<br>b<br/><br>c", "a\nb\n\nc"},
		{"inline elements", "Un <b>mot</b> <i>en</i>gras", "Un mot engras"},
		{"blanks collapse", "  beaucoup \n\t d'espaces  ", "beaucoup d'espaces"},
		{"entities", "&eacute;t&eacute; &amp; &lt;hiver&gt; &#8364;&nbsp;5", "été & <hiver> € 5"},
		{"list", "<ul><li>un</li><li>deux</li></ul><p>fin</p>", "- un\n- deux\n\nfin"},
		{"nested divs no blank piles", "<div><div><div>a</div></div></div><div>b</div>", "a\nb"},
		{"table", "<table><tr><td>Nom</td><td>Prix</td></tr><tr><td>SST</td><td>900 €</td></tr></table>", "Nom Prix\nSST 900 €"},
		{"pre keeps layout", "<pre>  a\n    b</pre>", "a\n    b"},
		{"headings", "<h1>Titre</h1>texte", "Titre\n\ntexte"},
		{"empty", "", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := htmlToText(tt.in); got != tt.want {
				t.Errorf("htmlToText(%q) = %q, want %q", tt.in, got, tt.want)
			}
		})
	}
}
