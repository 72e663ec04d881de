-- Reports of concern and the cases opened from them: find a case's report,
-- a report's case, and the reports about a person once identified.
CREATE INDEX reports_case ON reports (case_id);
CREATE INDEX reports_subject ON reports (subject_person_id);
CREATE INDEX cases_report ON cases (report_id);
