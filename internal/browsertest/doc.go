// Package browsertest drives Approdo end to end in a real browser. Its test
// builds the approdo command, starts the demo network on a free local port
// and walks through it in headless Chromium as a person would: it signs in as
// demo users, switches the interface language, browses the network's
// organisations and programmes, filters a list, opens the administration
// pages and signs out.
//
// On every page it reaches, the test runs the axe-core accessibility engine
// (vendored in testdata) against WCAG 2.1 levels A and AA, fails on serious
// and critical violations, fails on any JavaScript exception, console error
// or browser error such as a Content-Security-Policy violation, and saves a
// full-page screenshot in a folder that outlives the test, so that a
// developer can look at what a user would see.
//
// The test needs Chromium at /usr/bin/chromium, or at the path in
// APPRODO_CHROMIUM. Without it the test is skipped, unless
// APPRODO_TEST_REQUIRE contains "chromium", in which case it fails.
package browsertest
