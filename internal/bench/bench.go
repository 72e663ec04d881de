// Package bench measures Approdo at the scale of a region: it generates a
// synthetic region (Generate) and drives the real server with a load harness
// (Run), reporting each operation beside the limits of the same machine and
// database measured in the same run.
//
// Everything it writes is synthetic: the names are drawn from lists per
// nationality, the notes from a few fixed sentences, and every operator of
// a generated region signs in with the same password and second factor,
// which are constants of this package so that the harness can sign in.
package bench

// Password is the password of every operator of a generated region.
const Password = "regione-sintetica-2026"

// TOTPSecret is the base32 secret of every generated operator's second
// factor, so that the harness can answer the second-factor step.
const TOTPSecret = "KRSXG5CTMVRXEZLUKRSXG5CTMVRXEZLU"

// Operators of a generated region are named after their role and a number,
// and the harness finds them by these prefixes:
//   - "sw.NNNN": social workers of a municipal social service (owner of cases);
//   - "po.NNNN": partner operators (reception communities, schools), on case teams;
//   - "lc.NNNN": lead coordinators of a programme's lead entity;
//   - "hp.NNNN": health professionals, on case teams.
const (
	SocialWorkerPrefix    = "sw."
	PartnerOperatorPrefix = "po."
	LeadCoordinatorPrefix = "lc."
	HealthPrefix          = "hp."
)
