package importer

import (
	"bytes"
	"fmt"
	"io"
	"sync"
	"testing"
)

// providerFile builds a file shaped like the DGEFP list of training
// providers: 150,000 rows of 30 columns, ';' with a trailing ';', accents,
// some quoted fields, about 60 MB.
var providerFile = sync.OnceValue(func() []byte {
	var b bytes.Buffer
	for c := range 30 {
		fmt.Fprintf(&b, "colonne_%02d;", c)
	}
	b.WriteString("\r\n")
	for i := range 150000 {
		fmt.Fprintf(&b, "%011d;%014d;\"Organisme de formation n°%d, Île-de-France\";", i, i*7, i)
		for c := 3; c < 30; c++ {
			switch c % 4 {
			case 0:
				fmt.Fprintf(&b, "Évry-Courcouronnes %03d;", c)
			case 1:
				fmt.Fprintf(&b, "%d;", i%1000)
			case 2:
				b.WriteString("2024-03-14;")
			default:
				fmt.Fprintf(&b, "prestataire %05d;", i%50000)
			}
		}
		b.WriteString("\r\n")
	}
	return b.Bytes()
})

// BenchmarkReader reads the 60 MB provider-shaped file, in UTF-8 and in
// Windows-1252 (where every line takes the decoding path); the target is
// well under 3 s per run on a 2-core machine.
func BenchmarkReader(b *testing.B) {
	utf8File := providerFile()
	cp1252File := utf8File
	for from, to := range map[string]byte{"É": 0xC9, "Î": 0xCE, "°": 0xB0} {
		cp1252File = bytes.ReplaceAll(cp1252File, []byte(from), []byte{to})
	}
	for _, c := range []struct {
		name string
		data []byte
	}{{"utf-8", utf8File}, {"windows-1252", cp1252File}} {
		b.Run(c.name, func(b *testing.B) { benchmarkReader(b, c.data) })
	}
}

func benchmarkReader(b *testing.B, data []byte) {
	b.SetBytes(int64(len(data)))
	b.ReportAllocs()
	for b.Loop() {
		rd, err := NewReader(bytes.NewReader(data), Options{Header: true})
		if err != nil {
			b.Fatal(err)
		}
		n := 0
		for {
			rec, err := rd.Read()
			if err == io.EOF {
				break
			}
			if err != nil {
				b.Fatal(err)
			}
			if len(rec.Fields) != 30 || n == 0 && (rec.Fields[2] != "Organisme de formation n°0, Île-de-France" || rec.Fields[4] != "Évry-Courcouronnes 004") {
				b.Fatalf("line %d: %q", rec.Line, rec.Fields)
			}
			n++
		}
		if n != 150000 {
			b.Fatalf("got %d records", n)
		}
	}
}
