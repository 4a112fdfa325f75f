package documents

import (
	"archive/zip"
	"bytes"
	"io"
	"net/http"
	"path"
	"strings"
)

// MIME types the store recognises beyond net/http's sniffer.
const (
	MimePDF  = "application/pdf"
	MimeDOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
	MimeXLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
	MimePPTX = "application/vnd.openxmlformats-officedocument.presentationml.presentation"
	MimeZip  = "application/zip"
	MimeBin  = "application/octet-stream"
)

// oleMagic starts the compound files of the old Office formats (.doc, .xls, .ppt).
var oleMagic = []byte{0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1}

// SniffMIME tells a content's type from its bytes; the file name only
// refines a type within the family the bytes prove (a text file named .csv
// is text/csv), so an executable renamed .pdf stays application/octet-stream.
// The type a browser sent with the upload is never used.
func SniffMIME(content []byte, fileName string) string {
	ext := strings.ToLower(path.Ext(strings.ReplaceAll(fileName, `\`, "/")))
	// A PDF header may follow some junk within the first 1024 bytes (ISO 32000-1, annex H).
	if pdfHeader(content) {
		return MimePDF
	}
	if bytes.HasPrefix(content, oleMagic) {
		switch ext {
		case ".doc":
			return "application/msword"
		case ".xls":
			return "application/vnd.ms-excel"
		case ".ppt":
			return "application/vnd.ms-powerpoint"
		}
		return "application/x-ole-storage"
	}
	detected := http.DetectContentType(content)
	essence, params, _ := strings.Cut(detected, ";")
	switch {
	case essence == MimeZip:
		return sniffZip(content)
	case essence == "text/plain":
		switch ext {
		case ".csv":
			essence = "text/csv"
		case ".md", ".markdown":
			essence = "text/markdown"
		case ".htm", ".html":
			essence = "text/html"
		case ".tsv":
			essence = "text/tab-separated-values"
		}
		return essence + withParams(params)
	}
	return detected
}

// pdfHeader finds "%PDF-1." or "%PDF-2." in the first 1024 bytes, where
// ISO 32000 lets a reader look for it.
func pdfHeader(content []byte) bool {
	head := content[:min(len(content), 1024)]
	for {
		i := bytes.Index(head, []byte("%PDF-"))
		if i < 0 || len(head) < i+7 {
			return false
		}
		if (head[i+5] == '1' || head[i+5] == '2') && head[i+6] == '.' {
			return true
		}
		head = head[i+5:]
	}
}

func withParams(params string) string {
	if params = strings.TrimSpace(params); params == "" {
		return ""
	}
	return "; " + params
}

// sniffZip tells Office Open XML ([Content_Types].xml and a main part) and
// OpenDocument (a first "mimetype" entry) files from other zip archives.
func sniffZip(content []byte) string {
	zr, err := zip.NewReader(bytes.NewReader(content), int64(len(content)))
	if err != nil {
		return MimeZip
	}
	names := map[string]bool{}
	for _, f := range zr.File {
		names[f.Name] = true
	}
	if len(zr.File) > 0 && zr.File[0].Name == "mimetype" {
		if rc, err := zr.File[0].Open(); err == nil {
			b, _ := io.ReadAll(io.LimitReader(rc, 100))
			rc.Close()
			if t := strings.TrimSpace(string(b)); strings.HasPrefix(t, "application/vnd.oasis.opendocument.") && !strings.ContainsAny(t, " ;\r\n") {
				return t
			}
		}
	}
	if names["[Content_Types].xml"] {
		switch {
		case names["word/document.xml"]:
			return MimeDOCX
		case names["xl/workbook.xml"]:
			return MimeXLSX
		case names["ppt/presentation.xml"]:
			return MimePPTX
		}
	}
	return MimeZip
}

// isText reports whether a MIME type is one the store reads as plain text.
func isText(mime string) bool {
	essence, _, _ := strings.Cut(mime, ";")
	switch essence {
	case "text/plain", "text/csv", "text/markdown", "text/tab-separated-values":
		return true
	}
	return false
}

func essenceOf(mime string) string {
	e, _, _ := strings.Cut(mime, ";")
	return strings.TrimSpace(e)
}
