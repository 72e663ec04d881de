package demo

import (
	"context"
	"fmt"
	"math/rand/v2"
	"slices"
	"strconv"
	"strings"
	"time"

	"approdo/cases"
	"approdo/codicefiscale"
	"approdo/internal/casework"
	"approdo/internal/store"
)

// The persons of the demo cases. Every name is an invented combination of
// common given and family names of the country; some are also written in
// their original script (Arabic, Bengali, Ge'ez, Cyrillic, Urdu) beside
// their romanisation. Unaccompanied minors are mostly 15 to 17, many with a
// range from an age assessment; violence cases hold a woman with her
// children; a few deliberate sound-alike near-duplicates, within one
// organisation and across organisations, give the duplicate check something
// to show.

// spelled is a name part in Latin letters and, when it has one, in its
// original script.
type spelled struct{ latin, script string }

// people describes the names and circumstances of one nationality.
type people struct {
	country       string
	languages     []string
	male, female  []spelled
	family        []spelled
	religions     []string
	arrivals      []string
	scriptShare   int // in percent: how often the name is also kept in its script
	documentIssue string
}

func sp(pairs ...string) []spelled {
	out := make([]spelled, 0, len(pairs)/2)
	for i := 0; i+1 < len(pairs); i += 2 {
		out = append(out, spelled{pairs[i], pairs[i+1]})
	}
	return out
}

var (
	egypt = people{country: "EG", languages: []string{"ar", "arz"}, scriptShare: 40, documentIssue: "Consolato della Repubblica Araba d'Egitto a Milano",
		male: sp("Mohamed", "محمد", "Ahmed", "أحمد", "Mahmoud", "محمود", "Youssef", "يوسف", "Omar", "عمر", "Abdelrahman", "عبد الرحمن",
			"Mostafa", "مصطفى", "Karim", "كريم", "Islam", "إسلام", "Ziad", "زياد"),
		female: sp("Mariam", "مريم", "Nour", "نور", "Aya", "آية", "Fatma", "فاطمة"),
		family: sp("Mansour", "منصور", "Hassan", "حسن", "Ibrahim", "إبراهيم", "Soliman", "سليمان", "Abdelaziz", "عبد العزيز",
			"Ragab", "رجب", "Fathy", "فتحي", "El Sayed", "السيد", "Abdallah", "عبد الله", "Shehata", "شحاتة"),
		religions: []string{"Islam sunnita", "Islam sunnita", "Cristianesimo copto"}, arrivals: []string{"Lampedusa", "Pozzallo", "Augusta"}}
	tunisia = people{country: "TN", languages: []string{"ar", "aeb", "fr"}, scriptShare: 20, documentIssue: "Repubblica Tunisina",
		male: sp("Mohamed Amine", "محمد أمين", "Youssef", "يوسف", "Aziz", "عزيز", "Wassim", "وسيم", "Hamza", "حمزة", "Rayen", "ريان",
			"Seifeddine", "سيف الدين", "Achraf", "أشرف"),
		female: sp("Amira", "أميرة", "Yasmine", "ياسمين", "Rania", "رانيا"),
		family: sp("Ben Ali", "بن علي", "Trabelsi", "الطرابلسي", "Jlassi", "الجلاصي", "Gharbi", "الغربي", "Mejri", "الماجري",
			"Ayari", "العياري", "Hammami", "الحمامي"),
		religions: []string{"Islam sunnita"}, arrivals: []string{"Lampedusa", "Pantelleria", "Trapani"}}
	gambia = people{country: "GM", languages: []string{"en", "mnk", "wo"}, documentIssue: "Republic of The Gambia",
		male:      sp("Lamin", "", "Ebrima", "", "Modou", "", "Omar", "", "Alieu", "", "Bakary", "", "Musa", "", "Sainey", ""),
		female:    sp("Fatou", "", "Isatou", "", "Awa", "", "Mariama", ""),
		family:    sp("Jallow", "", "Ceesay", "", "Touray", "", "Bah", "", "Sanneh", "", "Darboe", "", "Jammeh", "", "Camara", ""),
		religions: []string{"Islam sunnita"}, arrivals: []string{"Lampedusa", "Pozzallo", "Reggio Calabria"}}
	guinea = people{country: "GN", languages: []string{"fr", "fuf", "sus"}, documentIssue: "République de Guinée",
		male:      sp("Mamadou", "", "Alpha", "", "Ibrahima", "", "Amadou", "", "Thierno", "", "Ousmane", "", "Sekou", "", "Abdoulaye", ""),
		female:    sp("Fatoumata", "", "Kadiatou", "", "Mariama", "", "Aissatou", ""),
		family:    sp("Diallo", "", "Barry", "", "Bah", "", "Sow", "", "Camara", "", "Condé", "", "Keita", "", "Sylla", ""),
		religions: []string{"Islam sunnita"}, arrivals: []string{"Lampedusa", "Augusta"}}
	bangladesh = people{country: "BD", languages: []string{"bn", "syl"}, scriptShare: 40, documentIssue: "People's Republic of Bangladesh",
		male:      sp("Md Rakib", "মোহাম্মদ রাকিব", "Sakib", "সাকিব", "Rahim", "রহিম", "Tanvir", "তানভীর", "Arif", "আরিফ", "Rifat", "রিফাত"),
		female:    sp("Sumaiya", "সুমাইয়া", "Nusrat", "নুসরাত"),
		family:    sp("Hossain", "হোসেন", "Rahman", "রহমান", "Islam", "ইসলাম", "Uddin", "উদ্দিন", "Ahmed", "আহমেদ", "Miah", "মিয়া"),
		religions: []string{"Islam sunnita"}, arrivals: []string{"Lampedusa", "Trieste"}}
	pakistan = people{country: "PK", languages: []string{"ur", "pa"}, scriptShare: 25, documentIssue: "Islamic Republic of Pakistan",
		male:      sp("Muhammad Ali", "محمد علی", "Hamza", "حمزہ", "Bilal", "بلال", "Usman", "عثمان", "Zain", "زین"),
		female:    sp("Ayesha", "عائشہ", "Sana", "ثنا"),
		family:    sp("Khan", "خان", "Malik", "ملک", "Qureshi", "قریشی", "Iqbal", "اقبال", "Butt", "بٹ"),
		religions: []string{"Islam sunnita"}, arrivals: []string{"Trieste", "Gorizia"}}
	albania = people{country: "AL", languages: []string{"sq"}, documentIssue: "Republika e Shqipërisë",
		male:      sp("Arben", "", "Kevin", "", "Ergi", "", "Klajdi", "", "Endri", "", "Ardit", "", "Besmir", ""),
		female:    sp("Elira", "", "Xhesika", "", "Ana", "", "Anisa", ""),
		family:    sp("Hoxha", "", "Shehu", "", "Dervishi", "", "Gjoka", "", "Kola", "", "Leka", "", "Marku", ""),
		religions: []string{"Islam", "Cattolica", ""}, arrivals: []string{"Bari", "Brindisi", "Ancona"}}
	ivoryCoast = people{country: "CI", languages: []string{"fr", "dyu"}, documentIssue: "République de Côte d'Ivoire",
		male:      sp("Yao", "", "Kouassi", "", "Konan", "", "Seydou", "", "Moussa", "", "Adama", ""),
		female:    sp("Aminata", "", "Awa", "", "Mariam", "", "Affoué", ""),
		family:    sp("Koné", "", "Traoré", "", "Kouamé", "", "Ouattara", "", "Coulibaly", "", "Bamba", ""),
		religions: []string{"Islam", "Cattolica", "Evangelica"}, arrivals: []string{"Lampedusa", "Pozzallo"}}
	ukraine = people{country: "UA", languages: []string{"uk", "ru"}, scriptShare: 60, documentIssue: "Україна",
		male:   sp("Oleksandr", "Олександр", "Mykola", "Микола", "Dmytro", "Дмитро", "Andrii", "Андрій", "Bohdan", "Богдан"),
		female: sp("Olena", "Олена", "Iryna", "Ірина", "Kateryna", "Катерина", "Anastasiia", "Анастасія", "Yuliia", "Юлія"),
		family: sp("Kovalenko", "Коваленко", "Shevchenko", "Шевченко", "Bondarenko", "Бондаренко", "Tkachenko", "Ткаченко",
			"Melnyk", "Мельник", "Kravchenko", "Кравченко"),
		religions: []string{"Cristianesimo ortodosso", ""}, arrivals: []string{"Roma Fiumicino", "Tarvisio"}}
	eritrea = people{country: "ER", languages: []string{"ti", "ar"}, scriptShare: 50, documentIssue: "State of Eritrea",
		male:      sp("Tesfay", "ተስፋይ", "Yonas", "ዮናስ", "Filmon", "ፊልሞን", "Merhawi", "መርሃዊ", "Biniam", "ቢንያም"),
		female:    sp("Senait", "ሰናይት", "Selam", "ሰላም", "Luwam", "ሉዋም", "Helen", "ሄለን"),
		family:    sp("Tekle", "ተክለ", "Haile", "ሃይለ", "Kidane", "ኪዳነ", "Berhane", "በርሀነ", "Gebremedhin", "ገብረመድህን"),
		religions: []string{"Cristianesimo ortodosso", "Cristianesimo ortodosso", "Islam"}, arrivals: []string{"Lampedusa", "Pozzallo"}}
	nigeria = people{country: "NG", languages: []string{"en", "pcm", "bin"}, documentIssue: "Federal Republic of Nigeria",
		male:      sp("Osaro", "", "Efosa", "", "Ikponmwosa", ""),
		female:    sp("Blessing", "", "Joy", "", "Precious", "", "Favour", "", "Gift", "", "Osas", ""),
		family:    sp("Osagie", "", "Igbinedion", "", "Okoro", "", "Eghosa", "", "Omoregie", "", "Uwadia", ""),
		religions: []string{"Pentecostale", "Cattolica", ""}, arrivals: []string{"Lampedusa", "Pozzallo"}}
	morocco = people{country: "MA", languages: []string{"ar", "ary", "zgh"}, scriptShare: 20, documentIssue: "Royaume du Maroc",
		male:      sp("Ayoub", "أيوب", "Anas", "أنس", "Hamza", "حمزة", "Yassine", "ياسين"),
		female:    sp("Fatima Zahra", "فاطمة الزهراء", "Salma", "سلمى", "Khadija", "خديجة", "Imane", "إيمان"),
		family:    sp("El Amrani", "العمراني", "Bennani", "بناني", "Tazi", "التازي", "Ouazzani", "الوزاني"),
		religions: []string{"Islam sunnita"}, arrivals: []string{"Genova", "Civitavecchia"}}
	romania = people{country: "RO", languages: []string{"ro"}, documentIssue: "România",
		male:      sp("Andrei", "", "Ionuț", "", "Mihai", ""),
		female:    sp("Ioana", "", "Elena", "", "Andreea", "", "Mădălina", ""),
		family:    sp("Popescu", "", "Ionescu", "", "Stan", "", "Dumitru", ""),
		religions: []string{"Cristianesimo ortodosso", ""}}
	italy = people{country: "IT", languages: []string{"it"}, documentIssue: "Comune di residenza",
		male:      sp("Matteo", "", "Lorenzo", "", "Gabriele", "", "Tommaso", ""),
		female:    sp("Giulia", "", "Francesca", "", "Sara", "", "Chiara", "", "Sofia", ""),
		family:    sp("Esposito", "", "Ferrari", "", "Rinaldi", "", "Greco", "", "Lombardi", ""),
		religions: []string{"", "Cattolica"}}
)

// origins lists who the persons of each kind of case are, in turn.
var origins = map[cases.Kind][]*people{
	cases.UnaccompaniedMinor: {&egypt, &tunisia, &gambia, &bangladesh, &guinea, &pakistan, &albania, &ivoryCoast, &eritrea,
		&egypt, &ukraine, &morocco, &bangladesh, &gambia},
	cases.MinorFamilyViolence: {&morocco, &albania, &italy, &nigeria, &romania, &egypt, &ukraine},
	cases.WomanViolence:       {&morocco, &nigeria, &albania, &romania, &ukraine, &italy, &egypt, &bangladesh},
	cases.TraffickingVictim:   {&nigeria, &ivoryCoast, &albania, &romania, &nigeria, &morocco},
	cases.FamilyInDistress:    {&italy, &morocco, &albania, &egypt, &romania, &pakistan},
}

// guardians are the invented volunteer guardians of the demo.
var guardians = []string{"Maria Grazia Bellini", "Paolo Ferretti", "Silvia Orlandi", "Roberto Galli", "Anna Lisa Martini",
	"Franco Bianchi", "Laura Santini", "Giovanni De Luca"}

// courts names the juvenile court of each area of the demo.
var courts = map[string]string{"RM": "Tribunale per i Minorenni di Roma", "BS-E": "Tribunale per i Minorenni di Brescia",
	"BS-O": "Tribunale per i Minorenni di Brescia"}

// planted are the persons written by hand: sound-alike near-duplicates
// across organisations (Prato and Rome) and within one (Prato), in Latin
// letters and in their script. They are keyed by owner organisation, kind
// and the case's rank among that organisation's cases of the kind.
var planted = map[string]func(opened time.Time) *cases.Person{
	"SDS-PRATO/unaccompanied_minor/0": func(opened time.Time) *cases.Person {
		return minor("EG", []string{"ar"}, cases.Range(day("2008-09-01"), day("2009-08-31")),
			cases.Name{Kind: cases.PrimaryName, Text: "محمد عبد الرحمن منصور"},
			cases.Name{Kind: cases.Transliteration, Text: "Mohamed Abdelrahman Mansour"})
	},
	"RM-MSNA/unaccompanied_minor/0": func(opened time.Time) *cases.Person {
		return minor("EG", []string{"ar", "arz"}, cases.NewBirthDate(cases.YearOnly, day("2009-01-01")),
			cases.Name{Kind: cases.PrimaryName, Text: "Muhammad Abd al-Rahman Mansur"})
	},
	"SDS-PRATO/unaccompanied_minor/1": func(opened time.Time) *cases.Person {
		return minor("TN", []string{"ar", "fr"}, cases.NewBirthDate(cases.ExactDate, day("2010-03-14")),
			cases.Name{Kind: cases.PrimaryName, Text: "Youssef Ben Ali"})
	},
	"SDS-PRATO/unaccompanied_minor/2": func(opened time.Time) *cases.Person {
		return minor("TN", []string{"ar"}, cases.NewBirthDate(cases.YearOnly, day("2010-01-01")),
			cases.Name{Kind: cases.PrimaryName, Text: "Yusuf Benali"})
	},
	"RM-MSNA/unaccompanied_minor/1": func(opened time.Time) *cases.Person {
		return minor("ER", []string{"ti"}, cases.Range(day("2009-01-01"), day("2010-06-30")),
			cases.Name{Kind: cases.PrimaryName, Text: "ተስፋይ ተክለ"}, cases.Name{Kind: cases.Transliteration, Text: "Tesfay Tekle"})
	},
	"SDS-PRATO/unaccompanied_minor/3": func(opened time.Time) *cases.Person {
		return minor("ER", []string{"ti", "ar"}, cases.NewBirthDate(cases.YearOnly, day("2009-01-01")),
			cases.Name{Kind: cases.PrimaryName, Text: "Tesfai Tekle"})
	},
	"RM-MSNA/unaccompanied_minor/2": func(opened time.Time) *cases.Person {
		return minor("BD", []string{"bn"}, cases.Range(day("2008-10-01"), day("2009-09-30")),
			cases.Name{Kind: cases.PrimaryName, Text: "মোহাম্মদ রাকিব হোসেন"}, cases.Name{Kind: cases.Transliteration, Text: "Mohammad Rakib Hossain"})
	},
	"SDS-PRATO/unaccompanied_minor/4": func(opened time.Time) *cases.Person {
		return minor("BD", []string{"bn", "en"}, cases.NewBirthDate(cases.MonthOnly, day("2009-05-01")),
			cases.Name{Kind: cases.PrimaryName, Text: "Md Rakib Hossen"})
	},
}

// demoToday is the day the demo's ages are counted from, so that the demo
// is the same whenever it is made.
var demoToday = time.Date(2026, 11, 2, 0, 0, 0, 0, time.UTC)

// countryOf returns the people of a country of the demo.
func countryOf(code string) *people {
	for _, list := range origins {
		for _, p := range list {
			if p.country == code {
				return p
			}
		}
	}
	return &italy
}

func minor(country string, langs []string, birth cases.BirthDate, names ...cases.Name) *cases.Person {
	return &cases.Person{Sex: cases.Male, Birth: birth, Nationality: country, Languages: langs, Unaccompanied: true,
		Identity: cases.Identity{Names: names}}
}

// seedPersons gives every demo case, whatever set it came from, its main
// person and, for cases of violence and families, the woman's or family's
// children and relatives. It writes nothing without a vault to seal them
// with, and leaves alone cases that have persons already.
func seedPersons(ctx context.Context, tx *store.Tx, opts []Option) error {
	var o options
	for _, opt := range opts {
		opt(&o)
	}
	if o.vault == nil {
		return nil
	}
	type demoCase struct {
		id             int64
		kind           cases.Kind
		org, area      string
		opened         time.Time
		alreadyPersons bool
	}
	rows, err := tx.Query(ctx, `SELECT c.id, c.kind, o.code, a.code, c.opened_at,
		EXISTS (SELECT 1 FROM case_persons p WHERE p.case_id = c.id)
		FROM cases c JOIN organisations o ON o.id = c.owner_org_id JOIN areas a ON a.id = c.area_id ORDER BY c.id`)
	if err != nil {
		return err
	}
	var all []demoCase
	for rows.Next() {
		var c demoCase
		var kind string
		if err := rows.Scan(&c.id, &kind, &c.org, &c.area, &c.opened, &c.alreadyPersons); err != nil {
			rows.Close()
			return err
		}
		c.kind = cases.Kind(kind)
		all = append(all, c)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return err
	}
	rank := map[string]int{}
	for i, c := range all {
		key := c.org + "/" + string(c.kind)
		n := rank[key]
		rank[key]++
		if c.alreadyPersons {
			continue
		}
		g := &personMaker{r: rand.New(rand.NewPCG(uint64(i)+1, 0x41707072)), opened: c.opened, area: c.area, n: i}
		var household []member
		if plant, ok := planted[key+"/"+strconv.Itoa(n)]; ok {
			p := plant(c.opened)
			p.ArrivedOn = c.opened.AddDate(0, -2, -g.r.IntN(20))
			g.complete(p, countryOf(p.Nationality))
			household = []member{{person: p, role: cases.MainPerson}}
		} else {
			household = g.household(c.kind)
		}
		for _, m := range household {
			relation := m.toMain
			if relation == "parent" {
				relation = "mother"
				if household[0].person.Sex == cases.Male {
					relation = "father"
				}
			}
			if relation != "" {
				m.person.Links = append(m.person.Links, cases.Link{Relation: relation, OtherPersonID: household[0].person.ID})
			}
			if err := casework.ImportPerson(ctx, tx, o.vault, c.id, m.role, m.person, c.opened.Add(time.Hour)); err != nil {
				return fmt.Errorf("demo: unable to add the persons of case %d: %w", c.id, err)
			}
		}
	}
	return nil
}

// member is a person of a demo household with their role in the case.
type member struct {
	person *cases.Person
	role   cases.CaseRole
	// toMain is what the case's main person, written first, is to this
	// person: "child", or "parent" for a mother or father.
	toMain string
}

// personMaker invents the persons of one case, deterministically.
type personMaker struct {
	r      *rand.Rand
	opened time.Time
	area   string
	n      int
}

func (g *personMaker) pick(list []spelled) spelled { return list[g.r.IntN(len(list))] }

func (g *personMaker) chance(percent int) bool { return g.r.IntN(100) < percent }

// household returns the persons of a case of kind k, the main one first.
func (g *personMaker) household(k cases.Kind) []member {
	list := origins[k]
	if len(list) == 0 {
		list = origins[cases.FamilyInDistress]
	}
	from := list[g.n%len(list)]
	switch k {
	case cases.UnaccompaniedMinor:
		sex := cases.Male
		if g.chance(12) {
			sex = cases.Female
		}
		p := g.person(from, sex, 15+g.r.IntN(3), true)
		return []member{{person: p, role: cases.MainPerson}}
	case cases.MinorFamilyViolence:
		sex := []cases.Sex{cases.Female, cases.Male}[g.r.IntN(2)]
		child := g.person(from, sex, 4+g.r.IntN(13), false)
		mother := g.person(from, cases.Female, 28+g.r.IntN(15), false)
		return []member{{person: child, role: cases.MainPerson}, {person: mother, role: cases.Relative, toMain: "child"}}
	case cases.WomanViolence, cases.TraffickingVictim, cases.FamilyInDistress:
		age := 24 + g.r.IntN(20)
		if k == cases.TraffickingVictim {
			age = 18 + g.r.IntN(10)
		}
		sex := cases.Female
		if k == cases.FamilyInDistress && g.chance(30) {
			sex = cases.Male
		}
		main := g.person(from, sex, age, false)
		if k == cases.TraffickingVictim && g.chance(60) {
			main.Identity.Names = append(main.Identity.Names, cases.Name{Kind: cases.Alias, Text: g.pick(from.female).latin})
			main.Permits = []cases.Permit{{Kind: "social_protection_art18", IssuedOn: g.opened.AddDate(0, 2, 0),
				ExpiresOn: g.opened.AddDate(0, 8, 0)}}
		}
		if k == cases.WomanViolence && from.country != "IT" && g.chance(50) {
			main.Permits = []cases.Permit{{Kind: "victim_violence_art18bis", IssuedOn: g.opened.AddDate(0, 3, 0),
				ExpiresOn: g.opened.AddDate(1, 3, 0)}}
		}
		out := []member{{person: main, role: cases.MainPerson}}
		children := 0
		switch k {
		case cases.WomanViolence, cases.FamilyInDistress:
			children = 1 + g.r.IntN(2)
		case cases.TraffickingVictim:
			if g.chance(30) {
				children = 1
			}
		}
		surname := lastWord(latinName(main), from)
		used := []string{strings.Fields(latinName(main))[0]}
		for c := 0; c < children; c++ {
			sex := []cases.Sex{cases.Female, cases.Male}[g.r.IntN(2)]
			child := g.person(from, sex, 1+g.r.IntN(min(14, age-17)), false)
			given := g.given(from, sex).latin
			for try := 0; try < 8 && slices.Contains(used, given); try++ {
				given = g.given(from, sex).latin
			}
			used = append(used, given)
			child.Identity.Names = []cases.Name{{Kind: cases.PrimaryName, Text: given + " " + surname}}
			child.Documents, child.Permits = nil, nil
			if from.country != "IT" {
				child.Permits = []cases.Permit{{Kind: "family", IssuedOn: g.opened.AddDate(0, 2, 0), ExpiresOn: g.opened.AddDate(2, 2, 0)}}
			}
			out = append(out, member{person: child, role: cases.ChildOf, toMain: "parent"})
		}
		return out
	}
	return []member{{person: g.person(from, cases.Female, 30, false), role: cases.MainPerson}}
}

// latinName returns the name of p in Latin letters: its transliteration
// when its primary name is in another script.
func latinName(p *cases.Person) string {
	for _, n := range p.Identity.Names {
		if n.Kind == cases.Transliteration {
			return n.Text
		}
	}
	return p.Identity.PrimaryName()
}

func (g *personMaker) given(from *people, sex cases.Sex) spelled {
	if sex == cases.Female {
		return g.pick(from.female)
	}
	return g.pick(from.male)
}

// lastWord returns the family name of a demo name: its last word, or the
// last two for compound family names.
func lastWord(name string, from *people) string {
	for _, f := range from.family {
		if strings.HasSuffix(name, " "+f.latin) {
			return f.latin
		}
	}
	words := strings.Fields(name)
	return words[len(words)-1]
}

// person invents a person of nationality from, of sex, aged age on the
// demo's day; an unaccompanied minor (assessed) often has an age known only
// from an assessment, and a guardian and a permit for minors.
func (g *personMaker) person(from *people, sex cases.Sex, age int, assessed bool) *cases.Person {
	given, family := g.given(from, sex), g.pick(from.family)
	p := &cases.Person{Sex: sex, Nationality: from.country, Languages: from.languages[:1+g.r.IntN(len(from.languages))],
		Unaccompanied: assessed}
	latin := given.latin + " " + family.latin
	if given.script != "" && family.script != "" && g.chance(from.scriptShare) {
		p.Identity.Names = []cases.Name{{Kind: cases.PrimaryName, Text: given.script + " " + family.script},
			{Kind: cases.Transliteration, Text: latin}}
	} else {
		p.Identity.Names = []cases.Name{{Kind: cases.PrimaryName, Text: latin}}
	}
	born := demoToday.AddDate(-age, -g.r.IntN(12), -g.r.IntN(28))
	switch roll := g.r.IntN(100); {
	case assessed && roll < 55:
		// An age assessment: born between one and two years apart.
		p.Birth = cases.Range(born.AddDate(-1, 0, 0), born.AddDate(0, 6+g.r.IntN(7), 0))
	case assessed && roll < 80 || roll < 15:
		p.Birth = cases.NewBirthDate(cases.YearOnly, born)
	default:
		p.Birth = cases.NewBirthDate(cases.ExactDate, born)
	}
	if from.country != "IT" {
		p.ArrivedOn = g.opened.AddDate(0, -g.r.IntN(14), -1-g.r.IntN(20))
		if p.Birth.Known() && p.ArrivedOn.Before(p.Birth.Min) {
			p.ArrivedOn = p.Birth.Min.AddDate(1, 0, 0)
		}
		if len(from.arrivals) > 0 {
			p.Identity.ArrivalPlace = from.arrivals[g.r.IntN(len(from.arrivals))]
		}
	}
	g.complete(p, from)
	if rel := from.religions[g.r.IntN(len(from.religions))]; rel != "" && g.chance(60) {
		p.Religion = rel
	}
	return p
}

// complete adds the identifiers, documents, permits and guardian an
// unaccompanied minor or a foreign adult would have.
func (g *personMaker) complete(p *cases.Person, from *people) {
	if p.Nationality == "IT" {
		return
	}
	if g.chance(70) {
		p.Identity.CUI = fmt.Sprintf("%c%06d", 'A'+rune(g.r.IntN(26)), g.r.IntN(1000000))
	}
	if g.chance(60) {
		digits := fmt.Sprintf("%010d", g.r.Int64N(9000000000)+1000000000)
		if check, err := codicefiscale.ProvisionalCheckDigit(digits); err == nil {
			p.Identity.CodiceFiscale = digits + string(check)
		}
	}
	if g.chance(45) {
		issued := g.opened.AddDate(-2, -g.r.IntN(12), 0)
		kind := []string{"passport", "consular_id", "birth_certificate"}[g.r.IntN(3)]
		issuer := from.documentIssue
		if issuer == "" {
			issuer = p.Nationality
		}
		d := cases.Document{Kind: kind, Number: fmt.Sprintf("%c%c%07d", 'A'+rune(g.r.IntN(26)), 'A'+rune(g.r.IntN(26)), g.r.IntN(10000000)),
			Issuer: issuer, IssuedOn: issued}
		if kind != "birth_certificate" {
			d.ExpiresOn = issued.AddDate(5, 0, 0)
		}
		p.Documents = append(p.Documents, d)
	}
	if !p.Unaccompanied {
		return
	}
	if g.chance(75) {
		p.Permits = append(p.Permits, cases.Permit{Kind: "minor_age", IssuedOn: g.opened.AddDate(0, 1, 0),
			ExpiresOn: p.Birth.LatestEighteenth()})
	}
	if g.chance(60) {
		court, ok := courts[g.area]
		if !ok {
			court = "Tribunale per i Minorenni di Firenze"
		}
		p.Guardian = cases.Guardian{Name: guardians[g.r.IntN(len(guardians))], Court: court,
			AppointedOn: g.opened.AddDate(0, 0, 10+g.r.IntN(50))}
		if p.Guardian.AppointedOn.After(demoToday) {
			p.Guardian.AppointedOn = time.Time{}
		}
	}
}
