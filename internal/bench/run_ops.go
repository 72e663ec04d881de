package bench

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"sync/atomic"
	"time"
)

// The operations the harness measures, by name.
const (
	OpCasePage       = "case_page"
	OpCaseJSON       = "case_json"
	OpCaseList       = "case_list"
	OpNameSearch     = "name_search"
	OpDuplicateCheck = "duplicate_check"
	OpAddNote        = "add_note"
	OpDashboard      = "dashboard"
	// OpBare is the bare handler, measured at saturation only: the floor
	// of the reads.
	OpBare = "bare_handler"
)

// operation is one kind of request, with its share of the open loop's mix.
type operation struct {
	name   string
	route  string // the route, for the report
	weight int    // share of the open loop, in percent
	write  bool   // compared with the raw commit rate rather than the bare handler
	// do sends the n-th request of the operation and checks its answer.
	do  func(ctx context.Context, n uint64) error
	seq atomic.Uint64
}

// next sends the operation's next request.
func (op *operation) next(ctx context.Context) error { return op.do(ctx, op.seq.Add(1)-1) }

// harness drives a server: its operators' sessions over one pool of
// connections, and the operations.
type harness struct {
	base      string
	transport *http.Transport
	pop       *population
	bare      *http.Client // no cookies
	ops       []*operation // the open loop's operations, in the report's order
	bareOp    *operation
	mix       []*operation // one round of the open loop's mix
}

// newHarness prepares the operations against the server at base.
func newHarness(base string, connections int, pop *population) *harness {
	// The open loop opens a connection for each request under way, as
	// browsers would, up to a bound that keeps an overloaded server from
	// exhausting the harness's files; past it requests wait for a
	// connection, and the wait counts in their latency.
	tr := http.DefaultTransport.(*http.Transport).Clone()
	tr.MaxConnsPerHost = max(2*connections, 512)
	tr.MaxIdleConns = tr.MaxConnsPerHost
	tr.MaxIdleConnsPerHost = tr.MaxConnsPerHost
	h := &harness{base: base, transport: tr, pop: pop,
		bare: &http.Client{Transport: tr, CheckRedirect: noRedirect, Timeout: requestTimeout}}
	h.ops = []*operation{
		{name: OpCasePage, route: "GET /cases/{id}", weight: 25, do: h.casePage},
		{name: OpCaseJSON, route: "GET /api/v1/cases/{id}", weight: 15, do: h.caseJSON},
		{name: OpCaseList, route: "GET /api/v1/cases?stage=S&limit=50", weight: 15, do: h.caseList},
		{name: OpNameSearch, route: "GET /api/v1/search?q=NAME", weight: 15, do: h.nameSearch},
		{name: OpDuplicateCheck, route: "POST /api/v1/cases/{id}/persons/duplicates", weight: 5, do: h.duplicateCheck},
		{name: OpAddNote, route: "POST /api/v1/cases/{id}/notes", weight: 15, write: true, do: h.addNote},
		{name: OpDashboard, route: "GET / (lead coordinator)", weight: 10, do: h.dashboard},
	}
	h.bareOp = &operation{name: OpBare, route: "GET /bench/bare/{id}", do: h.bareRead}
	h.mix = spread(h.ops)
	return h
}

// close closes the idle connections.
func (h *harness) close() { h.transport.CloseIdleConnections() }

// spread returns one round of the mix, each operation as many times as its
// weight, interleaved by smooth weighted round robin so that any stretch of
// the schedule holds each operation in its share.
func spread(ops []*operation) []*operation {
	total := 0
	for _, op := range ops {
		total += op.weight
	}
	current := make([]int, len(ops))
	out := make([]*operation, 0, total)
	for range total {
		best := 0
		for i, op := range ops {
			current[i] += op.weight
			if current[i] > current[best] {
				best = i
			}
		}
		current[best] -= total
		out = append(out, ops[best])
	}
	return out
}

// worker returns the social worker of the n-th request, round robin, and
// one of their organisation's cases.
func (h *harness) worker(n uint64) (*operator, int64) {
	ws := h.pop.workers
	o := ws[n%uint64(len(ws))]
	return o, o.cases[(n/uint64(len(ws)))%uint64(len(o.cases))]
}

// expect checks a response's status and, when want is JSON, decodes its
// body into into.
func expect(route string, res *http.Response, body []byte, err error, status int, into any) error {
	if err != nil {
		return fmt.Errorf("%s: %w", route, err)
	}
	if res.StatusCode != status {
		return fmt.Errorf("%s: status %d, want %d%s", route, res.StatusCode, status, excerpt(body))
	}
	if into == nil {
		if ct := res.Header.Get("Content-Type"); !strings.HasPrefix(ct, "text/html") || len(body) == 0 {
			return fmt.Errorf("%s: %q, %d bytes instead of a page", route, ct, len(body))
		}
		return nil
	}
	if err := json.Unmarshal(body, into); err != nil {
		return fmt.Errorf("%s: the body is not the JSON expected: %v", route, err)
	}
	return nil
}

// casePage reads a case's page in the web interface as a social worker of
// its organisation.
func (h *harness) casePage(ctx context.Context, n uint64) error {
	o, id := h.worker(n)
	res, body, err := o.session.do(ctx, http.MethodGet, h.base+"/cases/"+strconv.FormatInt(id, 10), nil, "")
	return expect("GET /cases/{id}", res, body, err, http.StatusOK, nil)
}

// caseJSON reads a case through the API, which records the read in the
// audit log.
func (h *harness) caseJSON(ctx context.Context, n uint64) error {
	o, id := h.worker(n)
	res, body, err := o.session.do(ctx, http.MethodGet, h.base+"/api/v1/cases/"+strconv.FormatInt(id, 10), nil, "")
	var c struct {
		ID int64 `json:"id"`
	}
	if err := expect("GET /api/v1/cases/{id}", res, body, err, http.StatusOK, &c); err != nil {
		return err
	}
	if c.ID != id {
		return fmt.Errorf("GET /api/v1/cases/{id}: case %d instead of %d", c.ID, id)
	}
	return nil
}

// caseList asks the API for a page of 50 cases at the stage that holds most
// of the organisation's cases, with their total.
func (h *harness) caseList(ctx context.Context, n uint64) error {
	o, _ := h.worker(n)
	q := url.Values{"stage": {o.listStage}, "limit": {"50"}}
	res, body, err := o.session.do(ctx, http.MethodGet, h.base+"/api/v1/cases?"+q.Encode(), nil, "")
	var page struct {
		Items []json.RawMessage `json:"items"`
		Total *int              `json:"total"`
	}
	const route = "GET /api/v1/cases?stage=S&limit=50"
	if err := expect(route, res, body, err, http.StatusOK, &page); err != nil {
		return err
	}
	if page.Total == nil || *page.Total == 0 || len(page.Items) != min(50, *page.Total) {
		return fmt.Errorf("%s: %d rows of a total of %v instead of a page of 50 (or of all)", route, len(page.Items), page.Total)
	}
	return nil
}

// nameSearch searches the cases by a common name through the API.
func (h *harness) nameSearch(ctx context.Context, n uint64) error {
	o, _ := h.worker(n)
	name := h.pop.names[(n/uint64(len(h.pop.workers)))%uint64(len(h.pop.names))]
	res, body, err := o.session.do(ctx, http.MethodGet, h.base+"/api/v1/search?"+url.Values{"q": {name}}.Encode(), nil, "")
	var found struct {
		Items []json.RawMessage `json:"items"`
	}
	if err := expect("GET /api/v1/search?q=NAME", res, body, err, http.StatusOK, &found); err != nil {
		return err
	}
	if found.Items == nil {
		return fmt.Errorf("GET /api/v1/search?q=NAME: no list of results")
	}
	return nil
}

// nationalities of the persons the duplicate check looks for, in turn.
var duplicateNationalities = []string{"EG", "TN", "GN", "BD", "UA", "PK", "AL", "GM", "CI", "MA"}

// duplicateCheck looks a person up across the network, as the intake of a
// person does before adding them to a case: a name, a birth year and a
// nationality.
func (h *harness) duplicateCheck(ctx context.Context, n uint64) error {
	o, id := h.worker(n)
	k := n / uint64(len(h.pop.workers))
	probe := map[string]any{
		"names":           []map[string]string{{"kind": "primary", "text": h.pop.names[k%uint64(len(h.pop.names))]}},
		"birth_precision": "year",
		"birth_date":      strconv.Itoa(time.Now().Year() - 15 - int(k%4)),
		"nationality":     duplicateNationalities[k%uint64(len(duplicateNationalities))],
	}
	b, err := json.Marshal(probe)
	if err != nil {
		return err
	}
	res, body, err := o.session.do(ctx, http.MethodPost, h.base+"/api/v1/cases/"+strconv.FormatInt(id, 10)+"/persons/duplicates",
		bytes.NewReader(b), "application/json")
	var d map[string]json.RawMessage
	return expect("POST /api/v1/cases/{id}/persons/duplicates", res, body, err, http.StatusOK, &d)
}

// noteBody is what every note the harness writes says.
const noteBody = "Nota sintetica scritta dal banco di prova: colloquio telefonico di aggiornamento, nessuna novità."

// addNote writes a short synthetic note on a case through the API.
func (h *harness) addNote(ctx context.Context, n uint64) error {
	o, id := h.worker(n)
	b, err := json.Marshal(map[string]any{"kind": "note", "confidentiality": "team", "body": noteBody,
		"occurred_at": time.Now().Add(-time.Minute).UTC().Format(time.RFC3339)})
	if err != nil {
		return err
	}
	res, body, err := o.session.do(ctx, http.MethodPost, h.base+"/api/v1/cases/"+strconv.FormatInt(id, 10)+"/notes",
		bytes.NewReader(b), "application/json")
	var note struct {
		ID int64 `json:"id"`
	}
	if err := expect("POST /api/v1/cases/{id}/notes", res, body, err, http.StatusCreated, &note); err != nil {
		return err
	}
	if note.ID == 0 {
		return fmt.Errorf("POST /api/v1/cases/{id}/notes: no id in the note written")
	}
	return nil
}

// dashboard reads a lead coordinator's home page.
func (h *harness) dashboard(ctx context.Context, n uint64) error {
	cs := h.pop.coordinators
	o := cs[n%uint64(len(cs))]
	res, body, err := o.session.do(ctx, http.MethodGet, h.base+"/", nil, "")
	return expect("GET /", res, body, err, http.StatusOK, nil)
}

// bareRead reads one case through the bare handler, without cookies.
func (h *harness) bareRead(ctx context.Context, n uint64) error {
	id := h.pop.bareIDs[n%uint64(len(h.pop.bareIDs))]
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, h.base+"/bench/bare/"+strconv.FormatInt(id, 10), nil)
	if err != nil {
		return err
	}
	res, body, err := send(h.bare, req)
	var c struct {
		ID int64 `json:"id"`
	}
	if err := expect("GET /bench/bare/{id}", res, body, err, http.StatusOK, &c); err != nil {
		return err
	}
	if c.ID != id {
		return fmt.Errorf("GET /bench/bare/{id}: case %d instead of %d", c.ID, id)
	}
	return nil
}

// checkBare checks that the server serves the bare handler, which only a
// server started with --bench-endpoints does.
func (h *harness) checkBare(ctx context.Context) error {
	if err := h.bareRead(ctx, 0); err != nil {
		return fmt.Errorf("bench: the server at %s does not serve the bare handler; start it with approdo serve --bench-endpoints (%v)",
			h.base, err)
	}
	return nil
}
