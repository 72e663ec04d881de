package server_test

import (
	"fmt"
	"net/http"
	"testing"

	"approdo/internal/store"
)

// TestAssignmentsAndMeetingFormsRecordTheirReads checks two reads that
// show case data in passing: the page that assigns a mediator, which opens
// the booking's logistics, and the form of a new meeting, which lists the
// organiser's cases.
func TestAssignmentsAndMeetingFormsRecordTheirReads(t *testing.T) {
	eachEnv(t, func(t *testing.T, e *env, db *store.DB) {
		id, _ := mediationCase(t, db)
		sw := e.client()
		sw.login("assistente.sociale")
		b := apiRequest(t, sw, id, map[string]any{"date": dayAhead(20), "start_time": "09:30"})
		reads := func() int {
			return count(t, db, `SELECT COUNT(*) FROM audit_log WHERE action = 'read' AND record_type = 'mediation_booking' AND record_id = ?`,
				fmt.Sprint(b.ID))
		}
		before := reads()
		if r := sw.get(fmt.Sprintf("/api/v1/mediation/bookings/%d/candidates", b.ID)); r.status != http.StatusOK {
			t.Fatalf("the candidates: %d %s", r.status, r.body)
		}
		if reads() != before+1 {
			t.Error("reading the booking to assign it is not audited")
		}
		lists := func() int {
			return count(t, db, `SELECT COUNT(*) FROM audit_log WHERE action = 'read' AND record_type = 'case_list'`)
		}
		before = lists()
		if r := sw.get("/meetings/new"); r.status != http.StatusOK {
			t.Fatalf("the form of a meeting: %d", r.status)
		}
		if lists() != before+1 {
			t.Error("the cases the meeting form lists are not audited as a read")
		}
	})
}
