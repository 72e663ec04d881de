package cases_test

import (
	"strings"
	"testing"
	"time"

	"approdo"
	"approdo/cases"
)

func TestNoteValidate(t *testing.T) {
	day := time.Date(2026, 11, 22, 12, 0, 0, 0, time.UTC)
	valid := func() cases.Note {
		return cases.Note{Kind: cases.Interview, Confidentiality: cases.TeamNote, OccurredAt: day.Add(-time.Hour),
			Body: "Colloquio", Language: "ti", FieldGroup: "health"}
	}
	n := valid()
	if err := n.Validate(day); err != nil {
		t.Fatalf("a valid note: %v", err)
	}
	for _, tc := range []struct {
		field  string
		change func(*cases.Note)
	}{
		{"kind", func(n *cases.Note) { n.Kind = "gossip" }},
		{"confidentiality", func(n *cases.Note) { n.Confidentiality = "" }},
		{"field_group", func(n *cases.Note) { n.FieldGroup = "shelter_location" }},
		{"language", func(n *cases.Note) { n.Language = "xx" }},
		{"body", func(n *cases.Note) { n.Body = " \n " }},
		{"body", func(n *cases.Note) { n.Body = strings.Repeat("è", cases.MaxNoteLength+1) }},
		{"participants", func(n *cases.Note) { n.Participants = strings.Repeat("p", cases.MaxParticipantsLength+1) }},
		{"occurred_at", func(n *cases.Note) { n.OccurredAt = time.Time{} }},
		{"occurred_at", func(n *cases.Note) { n.OccurredAt = day.Add(time.Hour) }},
	} {
		n := valid()
		tc.change(&n)
		fields := approdo.ErrorFields(n.Validate(day))
		if len(fields) != 1 || fields[0].Field != tc.field {
			t.Errorf("want a problem with %s, got %+v", tc.field, fields)
		}
	}
}

func TestAttachmentType(t *testing.T) {
	zip := []byte("PK\x03\x04rest of the archive")
	ole := []byte("\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1rest")
	docx := "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
	for _, tc := range []struct {
		name, declared, file string
		content              []byte
		want                 string
		ok                   bool
	}{
		{"pdf", "application/pdf", "a.pdf", []byte("%PDF-1.7\n..."), "application/pdf", true},
		{"pdf declared generic", "application/octet-stream", "a.bin", []byte("%PDF-1.4"), "application/pdf", true},
		{"jpeg", "", "photo", []byte("\xFF\xD8\xFF\xE0JFIF"), "image/jpeg", true},
		{"png", "image/png", "a.png", []byte("\x89PNG\r\n\x1a\n...."), "image/png", true},
		{"webp", "image/webp", "a.webp", []byte("RIFF\x00\x00\x00\x00WEBPVP8 "), "image/webp", true},
		{"heic", "", "IMG_0001.HEIC", []byte("\x00\x00\x00\x18ftypheic\x00\x00\x00\x00"), "image/heic", true},
		{"docx", docx, "a.docx", zip, docx, true},
		{"docx by extension", "", "Piano.DOCX", zip, docx, true},
		{"odt", "application/vnd.oasis.opendocument.text", "a.odt", zip, "application/vnd.oasis.opendocument.text", true},
		{"zip archive", "application/zip", "a.zip", zip, "", false},
		{"xls", "application/vnd.ms-excel", "a.xls", ole, "application/vnd.ms-excel", true},
		{"ole declared docx", docx, "a.docx", ole, docx, false},
		{"zip declared doc", "application/msword", "a.doc", zip, "application/msword", false},
		{"text", "text/plain; charset=utf-8", "a.txt", []byte("Ciao, è tutto a posto.\n"), "text/plain", true},
		{"text not declared", "", "a.csv", []byte("a;b\n1;2\n"), "", false},
		{"html as text", "text/plain", "a.txt", []byte("<!DOCTYPE html><p>x"), "", false},
		{"latin-1 text", "text/plain", "a.txt", []byte("caff\xe8 lungo"), "", false},
		{"program", "application/pdf", "a.pdf", []byte("MZ\x90\x00\x03\x00"), "", false},
		{"svg", "image/svg+xml", "a.svg", []byte("<svg xmlns='http://www.w3.org/2000/svg'></svg>"), "", false},
	} {
		got, ok := cases.AttachmentType(tc.content, tc.declared, tc.file)
		if ok != tc.ok || (tc.want != "" && got != tc.want) {
			t.Errorf("%s: got %q %v, want %q %v", tc.name, got, ok, tc.want, tc.ok)
		}
	}
}

func TestCleanAttachmentName(t *testing.T) {
	long := strings.Repeat("à", 300) + ".pdf"
	for in, want := range map[string]string{
		`C:\Users\op\Desktop\relazione.pdf`: "relazione.pdf",
		"../../etc/passwd":                  "passwd",
		" referto\x00\n.pdf ":               "referto.pdf",
		"":                                  "",
		"/":                                 "",
		long:                                strings.Repeat("à", cases.MaxAttachmentNameLength-4) + ".pdf",
	} {
		if got := cases.CleanAttachmentName(in); got != want {
			t.Errorf("CleanAttachmentName(%q) = %q, want %q", in, got, want)
		}
	}
}
