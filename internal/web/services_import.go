package web

import (
	"bytes"
	"errors"
	"io"
	"net/http"
	"path"
	"strings"

	"approdo"
	"approdo/internal/auth"
	servicedir "approdo/internal/directory"
)

// servicesImportPage is what the import page shows: the problems of a file
// refused, or what an import did.
type servicesImportPage struct {
	formState
	Result *servicedir.ImportResult
}

// showServicesImport shows the form to import services from an HSDS JSON
// or CSV file.
func (h *Handler) showServicesImport(w http.ResponseWriter, r *http.Request) {
	h.render(w, r, http.StatusOK, "services_import", h.newPage(r, "services.import", servicesImportPage{}))
}

// importServices reads the uploaded file, JSON or CSV as its name or its
// first character says, and imports it: everything or, if one row is bad,
// nothing, listing every problem by row and field.
func (h *Handler) importServices(w http.ResponseWriter, r *http.Request) {
	actor := auth.ActorFrom(r.Context())
	if !servicedir.CanExchange(actor) {
		h.fail(w, r, approdo.Errorf(approdo.ENOTFOUND, "error.not_found"))
		return
	}
	content, name, err := readImportFile(r)
	if err == nil {
		var list []servicedir.HSDSService
		if list, err = readServices(content, name); err == nil {
			var res *servicedir.ImportResult
			if res, err = h.serviceDirectory().Import(r.Context(), actor, list); err == nil {
				h.render(w, r, http.StatusOK, "services_import", h.newPage(r, "services.import", servicesImportPage{Result: res}))
				return
			}
		}
	}
	if c := approdo.ErrorCode(err); c != approdo.EINVALID {
		h.fail(w, r, err)
		return
	}
	page := servicesImportPage{}
	page.Errors = h.formErrors(r, err)
	for i := range page.Errors {
		page.Errors[i].Field = "import_file" // the rows are in the file, not on the page
	}
	h.render(w, r, http.StatusUnprocessableEntity, "services_import", h.newPage(r, "services.import", page))
}

// readImportFile returns the content and name of the file sent as "import_file".
func readImportFile(r *http.Request) ([]byte, string, error) {
	noFile := approdo.Invalid(approdo.FieldError{Field: "import_file", Message: "error.field.required"})
	if !strings.HasPrefix(r.Header.Get("Content-Type"), "multipart/") {
		return nil, "", noFile
	}
	err := r.ParseMultipartForm(1 << 20)
	var tooBig *http.MaxBytesError
	if errors.As(err, &tooBig) {
		return nil, "", approdo.Invalid(approdo.FieldError{Field: "import_file", Message: "error.field.too_large"})
	} else if err != nil {
		return nil, "", noFile
	}
	f, fh, err := r.FormFile("import_file")
	if err != nil {
		return nil, "", noFile
	}
	defer f.Close()
	content, err := io.ReadAll(f)
	return content, fh.Filename, err
}

// readServices reads HSDS services from content: CSV when the file's name
// ends in .csv or it does not start like JSON, JSON otherwise.
func readServices(content []byte, name string) ([]servicedir.HSDSService, error) {
	trimmed := bytes.TrimLeft(bytes.TrimPrefix(content, []byte("\ufeff")), " \t\r\n")
	if strings.EqualFold(path.Ext(name), ".csv") || len(trimmed) > 0 && trimmed[0] != '[' && trimmed[0] != '{' {
		return servicedir.ReadCSV(bytes.NewReader(content))
	}
	return servicedir.ReadJSON(bytes.NewReader(trimmed))
}
