// Package names matches personal names across spellings, scripts and word
// orders, for duplicate detection at intake and for search.
//
// Names are stored encrypted, so the database cannot compare them. Instead
// the application stores keyed hashes (blind indexes) of a few keys derived
// from each name by Keys, looks candidates up by the keys of a query
// (QueryKeys, QueryTerms, or Keys of a new intake), decrypts the candidates
// and ranks them in memory with Similarity against the thresholds
// LikelySame and Possible.
//
// The keys are built to miss no spelling variant of the names Approdo sees,
// mostly of unaccompanied minors from Egypt, the Maghreb, West Africa, the
// Horn of Africa, South Asia, Afghanistan, Albania and Ukraine, at the price
// of some false candidates, which cost a decryption each:
//
//   - Fold brings Arabic, Persian, Urdu, Pashto, Cyrillic, Greek, Ethiopic
//     and Bengali script to Latin letters, and Latin letters to plain
//     lowercase a-z;
//   - Tokens splits a name into tokens, joining Arabic compounds
//     (Abd al-Rahman, Nour al-Din) and particles (El, Ben, Abu) into one
//     canonical spelling;
//   - Skeleton reduces a token to a sound key that transliteration variants
//     share (Mohamed, Muhammad and محمد are all "mhmd").
//
// The package is pure: no I/O, no state, safe for concurrent use.
package names
