package facturx

import (
	"bytes"
	_ "embed"
	"encoding/xml"
	"errors"
	"fmt"
	"strings"
	"sync"
	"time"

	"github.com/pdfcpu/pdfcpu/pkg/api"
	"github.com/pdfcpu/pdfcpu/pkg/pdfcpu/model"
	"github.com/pdfcpu/pdfcpu/pkg/pdfcpu/types"
)

// FileName is the name of the embedded invoice, fixed by Factur-X.
const FileName = "factur-x.xml"

// srgbICC is the OutputIntent profile (icc/LICENSE: ICC v2.3, mntr, RGB, zlib licence).
//
//go:embed icc/sRGB.icc
var srgbICC []byte

// Options are the document-level settings of Embed.
type Options struct {
	// Relationship is the /AFRelationship of factur-x.xml: "Alternative"
	// (default, what EN 16931 receivers expect), "Data" or "Source".
	Relationship string
	// Title, Author and Subject go to the Info dictionary and to the XMP
	// (dc:title, dc:creator, dc:description), identical in both.
	Title, Author, Subject string
	// Created is the /ModDate of the embedded XML; zero means now.
	Created time.Time
}

// ErrNotPDFA is returned when the input PDF cannot become PDF/A-3 as is.
var ErrNotPDFA = errors.New("facturx: PDF cannot be made PDF/A-3")

// pdfcpu reads a config.yml from the user's config folder (creating it)
// unless told not to; a server must not write into $HOME, so turn it off once.
var disableConfig sync.Once

func pdfConf() *model.Configuration {
	disableConfig.Do(api.DisableConfigDir)
	conf := model.NewDefaultConfiguration()
	conf.ValidationMode = model.ValidationRelaxed
	return conf
}

// The XMP dates are not known before pdfcpu writes the file: it stamps the
// Info dictionary with the write time. They are written as placeholders of
// the final width and patched in place afterwards (the XMP stream is
// uncompressed and the length does not change, so the xref stays right).
const datePlaceholder = "0000-00-00T00:00:00+00:00"

// Embed turns a PDF rendered by gofpdf (embedded TrueType fonts only, no link
// annotations) into a PDF/A-3B Factur-X invoice carrying xml as factur-x.xml.
func Embed(pdf, invoiceXML []byte, opt Options) ([]byte, error) {
	rel := opt.Relationship
	if rel == "" {
		rel = "Alternative"
	}
	if rel != "Alternative" && rel != "Data" && rel != "Source" {
		return nil, fmt.Errorf("facturx: AFRelationship %q: want Alternative, Data or Source", rel)
	}
	created := opt.Created
	if created.IsZero() {
		created = time.Now()
	}

	ctx, err := readPDF(pdf)
	if err != nil {
		return nil, err
	}
	if ctx.Encrypt != nil {
		return nil, fmt.Errorf("%w: it is encrypted", ErrNotPDFA)
	}
	if err := checkFontsAndAnnots(ctx); err != nil {
		return nil, err
	}
	xt := ctx.XRefTable
	cat, err := xt.Catalog()
	if err != nil {
		return nil, fmt.Errorf("facturx: catalog: %w", err)
	}
	if _, ok := cat.Find("AF"); ok {
		return nil, fmt.Errorf("facturx: the PDF already has associated files (/AF)")
	}

	// Embedded file stream: MIME type and /Params /ModDate /Size (PDF/A-3 6.8).
	efRef, err := xt.NewEmbeddedStreamDict(bytes.NewReader(invoiceXML), created)
	if err != nil {
		return nil, fmt.Errorf("facturx: embed XML: %w", err)
	}
	ef, _, err := xt.DereferenceStreamDict(*efRef)
	if err != nil || ef == nil {
		return nil, fmt.Errorf("facturx: embedded stream: %v", err)
	}
	ef.InsertName("Subtype", "text/xml")
	if p := ef.DictEntry("Params"); p != nil {
		p.Insert("CreationDate", types.StringLiteral(types.DateString(created)))
	}

	// File spec written by hand: plain /F and /UF strings (pdfcpu's helper
	// would write UTF-16 and add an empty /CI).
	fs := types.NewDict()
	fs.InsertName("Type", "Filespec")
	fs.Insert("F", types.StringLiteral(FileName))
	fs.Insert("UF", types.StringLiteral(FileName))
	fs.Insert("Desc", types.StringLiteral("Factur-X invoice"))
	fs.InsertName("AFRelationship", rel)
	efd := types.NewDict()
	efd.Insert("F", *efRef)
	efd.Insert("UF", *efRef)
	fs.Insert("EF", efd)
	fsRef, err := xt.IndRefForNewObject(fs)
	if err != nil {
		return nil, fmt.Errorf("facturx: file spec: %w", err)
	}
	if err := xt.LocateNameTree("EmbeddedFiles", true); err != nil {
		return nil, fmt.Errorf("facturx: EmbeddedFiles: %w", err)
	}
	dup := false
	_ = xt.Names["EmbeddedFiles"].Process(xt, func(_ *model.XRefTable, k string, _ *types.Object) error {
		dup = dup || k == FileName
		return nil
	})
	if dup {
		return nil, fmt.Errorf("facturx: the PDF already embeds a %s", FileName)
	}
	if err := xt.Names["EmbeddedFiles"].Add(xt, FileName, *fsRef, nil, []string{"F", "UF"}); err != nil {
		return nil, fmt.Errorf("facturx: EmbeddedFiles: add %s: %w", FileName, err)
	}
	cat.Insert("AF", types.Array{*fsRef})
	cat.InsertName("PageMode", "UseAttachments")

	// OutputIntent with the sRGB profile: gofpdf paints in DeviceRGB/Gray (6.2.3).
	icc, err := xt.NewStreamDictForBuf(srgbICC)
	if err != nil {
		return nil, err
	}
	icc.InsertInt("N", 3)
	if err := icc.Encode(); err != nil {
		return nil, fmt.Errorf("facturx: ICC profile: %w", err)
	}
	iccRef, err := xt.IndRefForNewObject(*icc)
	if err != nil {
		return nil, err
	}
	oi := types.NewDict()
	oi.InsertName("Type", "OutputIntent")
	oi.InsertName("S", "GTS_PDFA1")
	oi.Insert("OutputConditionIdentifier", types.StringLiteral("sRGB"))
	oi.Insert("Info", types.StringLiteral("sRGB IEC61966-2.1"))
	oi.Insert("DestOutputProfile", *iccRef)
	oiRef, err := xt.IndRefForNewObject(oi)
	if err != nil {
		return nil, err
	}
	cat.Update("OutputIntents", types.Array{*oiRef})

	// Info: ours only (gofpdf's Creator/Producer would differ from the XMP).
	info, err := infoDict(ctx)
	if err != nil {
		return nil, err
	}
	for _, k := range []string{"Title", "Author", "Subject", "Keywords", "Creator"} {
		info.Delete(k)
	}
	for k, v := range map[string]string{"Title": opt.Title, "Author": opt.Author, "Subject": opt.Subject} {
		if v != "" {
			s, err := pdfText(v)
			if err != nil {
				return nil, fmt.Errorf("facturx: %s: %w", k, err)
			}
			info.Insert(k, s)
		}
	}

	// XMP, uncompressed so that its dates can be patched after the write.
	meta := types.NewStreamDict(types.NewDict(), 0, nil, nil, nil)
	meta.InsertName("Type", "Metadata")
	meta.InsertName("Subtype", "XML")
	meta.Content = xmp(opt, "pdfcpu "+model.VersionStr)
	if err := meta.Encode(); err != nil {
		return nil, err
	}
	metaRef, err := xt.IndRefForNewObject(meta)
	if err != nil {
		return nil, err
	}
	cat.Update("Metadata", *metaRef)

	var out bytes.Buffer
	if err := api.WriteContext(ctx, &out); err != nil {
		return nil, fmt.Errorf("facturx: write PDF: %w", err)
	}
	return patchXMPDates(ctx, out.Bytes())
}

// readPDF reads and validates (relaxed) a PDF: validation is what loads the
// page tree and the name trees into the context, which both Embed (pages,
// existing attachments) and Extract rely on.
func readPDF(pdf []byte) (*model.Context, error) {
	ctx, err := api.ReadContext(bytes.NewReader(pdf), pdfConf())
	if err != nil {
		return nil, fmt.Errorf("facturx: read PDF: %w", err)
	}
	if err := api.ValidateContext(ctx); err != nil {
		return nil, fmt.Errorf("facturx: invalid PDF: %w", err)
	}
	return ctx, nil
}

// infoDict returns the Info dictionary, creating it when the PDF has none.
func infoDict(ctx *model.Context) (types.Dict, error) {
	if ctx.Info == nil {
		ref, err := ctx.IndRefForNewObject(types.NewDict())
		if err != nil {
			return nil, err
		}
		ctx.Info = ref
	}
	d, err := ctx.DereferenceDict(*ctx.Info)
	if err != nil || d == nil {
		return nil, fmt.Errorf("facturx: Info dictionary: %v", err)
	}
	return d, nil
}

// pdfText encodes a text string: PDFDocEncoding-safe ASCII as is, else UTF-16BE.
func pdfText(s string) (types.Object, error) {
	ascii := true
	for _, r := range s {
		ascii = ascii && r >= 0x20 && r < 0x7f
	}
	if ascii {
		e, err := types.Escape(s)
		if err != nil {
			return nil, err
		}
		return types.StringLiteral(*e), nil
	}
	e, err := types.EscapedUTF16String(s)
	if err != nil {
		return nil, err
	}
	return types.StringLiteral(*e), nil
}

// patchXMPDates replaces the XMP date placeholders with the Info dates
// pdfcpu has just written, keeping Info and XMP equal (PDF/A 6.7.3 in spirit).
func patchXMPDates(ctx *model.Context, out []byte) ([]byte, error) {
	info, err := ctx.DereferenceDict(*ctx.Info)
	if err != nil || info == nil {
		return nil, fmt.Errorf("facturx: Info after write: %v", err)
	}
	for _, p := range []struct{ key, tag string }{
		{"CreationDate", "xmp:CreateDate"},
		{"ModDate", "xmp:ModifyDate"},
		{"ModDate", "xmp:MetadataDate"},
	} {
		s, ok := info[p.key].(types.StringLiteral)
		if !ok {
			return nil, fmt.Errorf("facturx: Info /%s missing after write", p.key)
		}
		t, ok := types.DateTime(s.Value(), true)
		if !ok {
			return nil, fmt.Errorf("facturx: Info /%s %q is not a date", p.key, s.Value())
		}
		old := []byte("<" + p.tag + ">" + datePlaceholder + "</" + p.tag + ">")
		val := []byte("<" + p.tag + ">" + t.Format("2006-01-02T15:04:05-07:00") + "</" + p.tag + ">")
		if len(val) != len(old) || bytes.Count(out, old) != 1 {
			return nil, fmt.Errorf("facturx: cannot patch %s in the written PDF", p.tag)
		}
		i := bytes.Index(out, old)
		copy(out[i:], val)
	}
	return out, nil
}

// checkFontsAndAnnots refuses what PDF/A-3 forbids and post-processing cannot
// fix: a font without its program (6.2.11.4.1) and an annotation that is not
// printable (6.3.2), such as gofpdf's links.
func checkFontsAndAnnots(ctx *model.Context) error {
	xt := ctx.XRefTable
	var errs []error
	for nr, e := range xt.Table {
		if e == nil || e.Free || e.Object == nil {
			continue
		}
		d, ok := e.Object.(types.Dict)
		if !ok || d.Type() == nil || *d.Type() != "Font" {
			continue
		}
		sub := d.Subtype()
		if sub == nil || *sub == "Type0" || *sub == "Type3" {
			continue // Type0 is checked through its descendant; Type3 glyphs are content streams
		}
		name := "?"
		if b := d.NameEntry("BaseFont"); b != nil {
			name = *b
		}
		fd, err := xt.DereferenceDict(d["FontDescriptor"])
		embedded := false
		if err == nil && fd != nil {
			for _, k := range []string{"FontFile", "FontFile2", "FontFile3"} {
				if _, ok := fd.Find(k); ok {
					embedded = true
				}
			}
		}
		if !embedded {
			errs = append(errs, fmt.Errorf("%w: font %s (object %d) is not embedded: use AddUTF8FontFromBytes, not the core fonts", ErrNotPDFA, name, nr))
		}
	}
	for p := 1; p <= xt.PageCount; p++ {
		pd, _, _, err := xt.PageDict(p, false)
		if err != nil || pd == nil {
			return fmt.Errorf("facturx: page %d: %v", p, err)
		}
		annots, err := xt.DereferenceArray(pd["Annots"])
		if err != nil {
			return fmt.Errorf("facturx: page %d annotations: %w", p, err)
		}
		for _, a := range annots {
			ad, err := xt.DereferenceDict(a)
			if err != nil || ad == nil {
				continue
			}
			sub := "?"
			if s := ad.Subtype(); s != nil {
				sub = *s
			}
			if sub == "Popup" {
				continue
			}
			f := ad.IntEntry("F")
			if f == nil || *f&4 == 0 {
				errs = append(errs, fmt.Errorf("%w: page %d has a %s annotation without the Print flag (/F 4): gofpdf links are not allowed on invoices", ErrNotPDFA, p, sub))
			}
		}
	}
	return errors.Join(errs...)
}

// Extract returns the bytes of factur-x.xml embedded in pdf.
func Extract(pdf []byte) ([]byte, error) {
	ctx, err := readPDF(pdf)
	if err != nil {
		return nil, err
	}
	if ctx.Names["EmbeddedFiles"] == nil {
		return nil, fmt.Errorf("facturx: the PDF has no embedded files")
	}
	aa, err := ctx.ExtractAttachments([]string{FileName})
	if err != nil {
		return nil, fmt.Errorf("facturx: extract %s: %w", FileName, err)
	}
	for _, a := range aa {
		if a.FileName == FileName || a.ID == FileName {
			var buf bytes.Buffer
			if _, err := buf.ReadFrom(a); err != nil {
				return nil, err
			}
			return buf.Bytes(), nil
		}
	}
	return nil, fmt.Errorf("facturx: the PDF has no %s", FileName)
}

// xmp builds the XMP packet: PDF/A identification, Dublin Core and Info
// mirrors, the Factur-X properties and the extension schema declaring them
// (PDF/A-3 6.6.2.3.1 rejects undeclared properties).
func xmp(opt Options, producer string) []byte {
	var b strings.Builder
	esc := func(s string) string {
		var w strings.Builder
		_ = xml.EscapeText(&w, []byte(s))
		return w.String()
	}
	b.WriteString("<?xpacket begin=\"\ufeff\" id=\"W5M0MpCehiHzreSzNTczkc9d\"?>\n")
	b.WriteString(`<x:xmpmeta xmlns:x="adobe:ns:meta/">
 <rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">
  <rdf:Description rdf:about="" xmlns:pdfaid="http://www.aiim.org/pdfa/ns/id/">
   <pdfaid:part>3</pdfaid:part>
   <pdfaid:conformance>B</pdfaid:conformance>
  </rdf:Description>
  <rdf:Description rdf:about="" xmlns:dc="http://purl.org/dc/elements/1.1/">
   <dc:format>application/pdf</dc:format>
`)
	if opt.Title != "" {
		b.WriteString(`   <dc:title><rdf:Alt><rdf:li xml:lang="x-default">` + esc(opt.Title) + "</rdf:li></rdf:Alt></dc:title>\n")
	}
	if opt.Author != "" {
		b.WriteString(`   <dc:creator><rdf:Seq><rdf:li>` + esc(opt.Author) + "</rdf:li></rdf:Seq></dc:creator>\n")
	}
	if opt.Subject != "" {
		b.WriteString(`   <dc:description><rdf:Alt><rdf:li xml:lang="x-default">` + esc(opt.Subject) + "</rdf:li></rdf:Alt></dc:description>\n")
	}
	b.WriteString(`  </rdf:Description>
  <rdf:Description rdf:about="" xmlns:pdf="http://ns.adobe.com/pdf/1.3/">
   <pdf:Producer>` + esc(producer) + `</pdf:Producer>
  </rdf:Description>
  <rdf:Description rdf:about="" xmlns:xmp="http://ns.adobe.com/xap/1.0/">
   <xmp:CreateDate>` + datePlaceholder + `</xmp:CreateDate>
   <xmp:ModifyDate>` + datePlaceholder + `</xmp:ModifyDate>
   <xmp:MetadataDate>` + datePlaceholder + `</xmp:MetadataDate>
  </rdf:Description>
  <rdf:Description rdf:about=""
    xmlns:pdfaExtension="http://www.aiim.org/pdfa/ns/extension/"
    xmlns:pdfaSchema="http://www.aiim.org/pdfa/ns/schema#"
    xmlns:pdfaProperty="http://www.aiim.org/pdfa/ns/property#">
   <pdfaExtension:schemas>
    <rdf:Bag>
     <rdf:li rdf:parseType="Resource">
      <pdfaSchema:schema>Factur-X PDFA Extension Schema</pdfaSchema:schema>
      <pdfaSchema:namespaceURI>urn:factur-x:pdfa:CrossIndustryDocument:invoice:1p0#</pdfaSchema:namespaceURI>
      <pdfaSchema:prefix>fx</pdfaSchema:prefix>
      <pdfaSchema:property>
       <rdf:Seq>
`)
	for _, p := range [][2]string{
		{"DocumentFileName", "The name of the embedded XML document"},
		{"DocumentType", "The type of the hybrid document in capital letters, e.g. INVOICE or ORDER"},
		{"Version", "The actual version of the standard applying to the embedded XML document"},
		{"ConformanceLevel", "The conformance level of the embedded XML document"},
	} {
		b.WriteString(`        <rdf:li rdf:parseType="Resource">
         <pdfaProperty:name>` + p[0] + `</pdfaProperty:name>
         <pdfaProperty:valueType>Text</pdfaProperty:valueType>
         <pdfaProperty:category>external</pdfaProperty:category>
         <pdfaProperty:description>` + p[1] + `</pdfaProperty:description>
        </rdf:li>
`)
	}
	b.WriteString(`       </rdf:Seq>
      </pdfaSchema:property>
     </rdf:li>
    </rdf:Bag>
   </pdfaExtension:schemas>
  </rdf:Description>
  <rdf:Description rdf:about="" xmlns:fx="urn:factur-x:pdfa:CrossIndustryDocument:invoice:1p0#">
   <fx:DocumentType>INVOICE</fx:DocumentType>
   <fx:DocumentFileName>factur-x.xml</fx:DocumentFileName>
   <fx:Version>1.0</fx:Version>
   <fx:ConformanceLevel>EN 16931</fx:ConformanceLevel>
  </rdf:Description>
 </rdf:RDF>
</x:xmpmeta>
<?xpacket end="w"?>`)
	return []byte(b.String())
}
