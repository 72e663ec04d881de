package bench

import (
	"math/rand/v2"
	"time"

	"approdo/cases"
)

// nationality is how the persons of one country are drawn: its share of the
// region's persons, of its minors who are girls, and the names given there.
// Each name is a list of its spellings: the first is the usual Latin one,
// the others transliteration variants and the original script, which the
// same person may be recorded under by another office.
type nationality struct {
	code      string
	weight    int      // share of the unaccompanied minors, in thousandths
	girls     float64  // share of girls among its minors
	languages []string // ISO 639 codes
	boys      [][]string
	women     [][]string
	surnames  [][]string
}

// nationalities are shaped like the national statistics of unaccompanied
// minors in Italy: Egypt, Ukraine, Tunisia, Gambia, Guinea, Bangladesh,
// Albania, Pakistan and Côte d'Ivoire first, most of them boys aged 15 to 17.
var nationalities = []nationality{
	{"EG", 190, 0.02, []string{"ar"},
		[][]string{{"Mohamed", "Mohammed", "Muhammad", "محمد"}, {"Ahmed", "Ahmad", "أحمد"}, {"Mahmoud", "Mahmud", "محمود"},
			{"Youssef", "Yousef", "Yusuf", "يوسف"}, {"Mostafa", "Mustafa", "مصطفى"}, {"Omar", "Umar", "عمر"},
			{"Abdelrahman", "Abd El Rahman", "Abdulrahman"}, {"Karim", "Kareem", "كريم"}, {"Hassan", "Hasan", "حسن"}},
		[][]string{{"Mariam", "Maryam", "مريم"}, {"Fatma", "Fatima", "فاطمة"}, {"Nour", "Noor", "نور"}},
		[][]string{{"Elsayed", "El Sayed", "السيد"}, {"Ibrahim", "Ebrahim", "إبراهيم"}, {"Abdallah", "Abdullah", "عبدالله"},
			{"Mansour", "Mansur", "منصور"}, {"Gamal", "Jamal", "جمال"}, {"Fathy", "Fathi", "فتحي"}, {"Salem", "Saleem", "سالم"},
			{"Hassan", "Hasan", "حسن"}, {"Mahmoud", "Mahmud", "محمود"}, {"Abdelaziz", "Abd El Aziz", "Abdulaziz"}}},
	{"UA", 120, 0.45, []string{"uk", "ru"},
		[][]string{{"Oleksandr", "Aleksandr", "Олександр"}, {"Dmytro", "Dmitro", "Дмитро"}, {"Andrii", "Andriy", "Андрій"},
			{"Maksym", "Maksim", "Максим"}, {"Ivan", "Іван"}, {"Artem", "Артем"}},
		[][]string{{"Yuliia", "Yulia", "Юлія"}, {"Anastasiia", "Anastasia", "Анастасія"}, {"Sofiia", "Sofia", "Софія"},
			{"Daryna", "Darina", "Дарина"}, {"Olena", "Elena", "Олена"}},
		[][]string{{"Shevchenko", "Ševčenko", "Шевченко"}, {"Kovalenko", "Коваленко"}, {"Bondarenko", "Бондаренко"},
			{"Tkachenko", "Tkatchenko", "Ткаченко"}, {"Kravchenko", "Kravtchenko", "Кравченко"}, {"Melnyk", "Melnik", "Мельник"},
			{"Boiko", "Boyko", "Бойко"}, {"Kovalchuk", "Kovaltchuk", "Ковальчук"}}},
	{"TN", 100, 0.03, []string{"ar", "fr"},
		[][]string{{"Mohamed", "Mohammed", "محمد"}, {"Amine", "Amin", "أمين"}, {"Aymen", "Aimen", "أيمن"},
			{"Wassim", "Wasim", "وسيم"}, {"Bilel", "Bilal", "بلال"}, {"Hamza", "حمزة"}, {"Yassine", "Yasin", "ياسين"}},
		[][]string{{"Eya", "Aya", "آية"}, {"Rahma", "رحمة"}},
		[][]string{{"Ben Ali", "Benali", "بن علي"}, {"Trabelsi", "Trabelssi", "الطرابلسي"}, {"Jlassi", "Jelassi", "الجلاصي"},
			{"Gharbi", "Garbi", "الغربي"}, {"Hammami", "Hamami", "الحمامي"}, {"Ben Salah", "Bensalah"}, {"Mejri", "Majri"},
			{"Ayari", "Ayyari", "العياري"}}},
	{"GN", 80, 0.04, []string{"fr", "ff"},
		[][]string{{"Mamadou", "Mamadu"}, {"Alpha", "Alfa"}, {"Ibrahima", "Ibrahim"}, {"Abdoulaye", "Abdulai", "Abdoulay"},
			{"Ousmane", "Usman", "Ousman"}, {"Thierno", "Tierno"}},
		[][]string{{"Fatoumata", "Fatumata"}, {"Mariama", "Mariame"}, {"Aissatou", "Aishatu"}},
		[][]string{{"Diallo", "Jallo", "Djallo"}, {"Barry", "Bari"}, {"Bah", "Ba"}, {"Sow", "Sou"}, {"Camara", "Kamara"},
			{"Condé", "Conde", "Konde"}, {"Keita", "Keïta", "Kaita"}, {"Balde", "Baldé"}}},
	{"GM", 70, 0.02, []string{"en", "wo"},
		[][]string{{"Lamin", "Lamine"}, {"Modou", "Modu"}, {"Ebrima", "Ibrahima"}, {"Ousman", "Usman"}, {"Alieu", "Aliou"},
			{"Bakary", "Bakari"}},
		[][]string{{"Isatou", "Isatu"}, {"Fatou", "Fatu"}},
		[][]string{{"Jallow", "Diallo", "Jalo"}, {"Ceesay", "Sisay", "Sise"}, {"Touray", "Toure", "Turay"}, {"Bah", "Ba"},
			{"Sanneh", "Sane", "Sanne"}, {"Jammeh", "Jame"}, {"Camara", "Kamara"}, {"Darboe", "Darbo"}}},
	{"BD", 60, 0.01, []string{"bn"},
		[][]string{{"Md Rakib", "Mohammad Rakib", "মোঃ রাকিব"}, {"Sabbir", "Shabbir", "সাব্বির"}, {"Shakil", "Sakil", "শাকিল"},
			{"Arif", "Aarif", "আরিফ"}, {"Tanvir", "Tanveer", "তানভীর"}, {"Imran", "ইমরান"}},
		[][]string{{"Akhi", "Aakhi"}},
		[][]string{{"Hossain", "Hussain", "Hosen", "হোসেন"}, {"Rahman", "Rehman", "রহমান"}, {"Islam", "ইসলাম"},
			{"Uddin", "Udin", "উদ্দিন"}, {"Miah", "Mia", "মিয়া"}, {"Ahmed", "Ahmad", "আহমেদ"}}},
	{"AL", 50, 0.10, []string{"sq"},
		[][]string{{"Erion", "Erjon"}, {"Arben"}, {"Kledi", "Kledi"}, {"Ardit"}, {"Elion", "Eljon"}, {"Endri"}},
		[][]string{{"Ana"}, {"Klea", "Kleа"}, {"Elisa", "Eliza"}},
		[][]string{{"Hoxha", "Hoxa", "Hodja"}, {"Shehu", "Sheu"}, {"Gjoka", "Gioka"}, {"Leka"}, {"Krasniqi", "Krasniqui"},
			{"Berisha", "Berischa"}, {"Dervishi", "Dervisci"}}},
	{"PK", 50, 0.01, []string{"ur", "pa"},
		[][]string{{"Muhammad", "Mohammad", "محمد"}, {"Bilal", "Bilaal", "بلال"}, {"Usman", "Osman", "عثمان"},
			{"Hamza", "حمزہ"}, {"Zain", "Zayn"}, {"Ali Raza", "Ali Rizza"}},
		[][]string{{"Ayesha", "Aisha"}},
		[][]string{{"Khan", "خان"}, {"Ahmed", "Ahmad"}, {"Hussain", "Husain", "حسین"}, {"Iqbal", "Ikbal"}, {"Butt", "But"},
			{"Chaudhry", "Chaudhary", "Choudhury"}}},
	{"CI", 50, 0.15, []string{"fr", "dyu"},
		[][]string{{"Moussa", "Musa"}, {"Souleymane", "Suleiman", "Sulaiman"}, {"Yacouba", "Yakuba"}, {"Adama"},
			{"Seydou", "Seidu"}, {"Issa", "Isa"}},
		[][]string{{"Awa", "Aoua"}, {"Mariam", "Mariame"}, {"Salimata", "Salimatou"}},
		[][]string{{"Koné", "Kone", "Konneh"}, {"Traoré", "Traore"}, {"Ouattara", "Watara", "Wattara"},
			{"Coulibaly", "Kulibali", "Koulibaly"}, {"Diabaté", "Diabate"}, {"Bamba"}}},
	{"ML", 30, 0.03, []string{"bm", "fr"},
		[][]string{{"Boubacar", "Bubakar"}, {"Sekou", "Sékou", "Seku"}, {"Drissa", "Idrissa"}},
		[][]string{{"Kadiatou", "Kadiatu"}},
		[][]string{{"Traoré", "Traore"}, {"Keita", "Keïta"}, {"Diarra", "Jarra"}, {"Sissoko", "Sisoko"}}},
	{"SN", 25, 0.03, []string{"wo", "fr"},
		[][]string{{"Cheikh", "Sheikh", "Cheik"}, {"Babacar", "Babakar"}, {"Pape", "Papa"}},
		[][]string{{"Aminata", "Aminatou"}},
		[][]string{{"Ndiaye", "N'Diaye", "Njie"}, {"Diop", "Jobe"}, {"Fall", "Fal"}, {"Sarr", "Sar"}}},
	{"ER", 20, 0.15, []string{"ti"},
		[][]string{{"Yonas", "Yohannes", "ዮናስ"}, {"Filmon", "Filemon"}, {"Samuel", "Semere"}},
		[][]string{{"Senait", "Senayt"}, {"Helen", "Hellen"}},
		[][]string{{"Tesfay", "Tesfaye", "ተስፋይ"}, {"Ghebremedhin", "Gebremedhin"}, {"Tekle", "Teklay"},
			{"Kidane", "Kidan"}}},
	{"SO", 20, 0.10, []string{"so"},
		[][]string{{"Abdirahman", "Abdurahman"}, {"Abdullahi", "Abdulahi"}, {"Mohamed", "Maxamed"}},
		[][]string{{"Hodan", "Hodon"}, {"Amina", "Aamina"}},
		[][]string{{"Farah", "Faarah"}, {"Warsame", "Warsme"}, {"Abdi", "Cabdi"}, {"Ali", "Cali"}}},
	{"AF", 25, 0.02, []string{"ps", "fa"},
		[][]string{{"Ahmad", "Ahmed", "احمد"}, {"Farid", "Fareed"}, {"Mohammad", "Mohamad"}, {"Javid", "Jawid"}},
		[][]string{{"Zahra", "Zahraa"}},
		[][]string{{"Ahmadi", "Ahmady"}, {"Rahimi", "Rahimy"}, {"Karimi", "Karimy"}, {"Hakimi", "Hakimy"}}},
	{"MA", 30, 0.05, []string{"ar"},
		[][]string{{"Youssef", "Yousef", "يوسف"}, {"Ayoub", "Ayub", "أيوب"}, {"Anas", "أنس"}, {"Hamza", "حمزة"}},
		[][]string{{"Salma", "Selma"}, {"Khadija", "Khadidja"}},
		[][]string{{"El Amrani", "Amrani"}, {"El Idrissi", "Idrissi"}, {"Bouzid", "Bouzide"}, {"Benali", "Ben Ali"}}},
	{"NG", 30, 0.30, []string{"en", "bin"},
		[][]string{{"Osas", "Osaz"}, {"Emeka", "Emeca"}, {"Chinedu", "Chinedou"}},
		[][]string{{"Blessing", "Blessin"}, {"Joy"}, {"Favour", "Favor"}, {"Precious"}, {"Gift"}, {"Peace"}},
		[][]string{{"Osagie", "Osaghie"}, {"Okafor", "Okafo"}, {"Eze"}, {"Obi"}, {"Igbinedion", "Igbinedio"},
			{"Adeyemi", "Adeyemy"}}},
}

// Nationalities of the persons of cases other than unaccompanied minors:
// families and women living in Italy, Italian or not.
var residents = []nationality{
	{"IT", 600, 0.5, []string{"it"},
		[][]string{{"Luca"}, {"Marco"}, {"Matteo"}, {"Lorenzo"}, {"Francesco"}, {"Alessandro"}},
		[][]string{{"Giulia"}, {"Sofia"}, {"Chiara"}, {"Martina"}, {"Francesca"}, {"Elena"}},
		[][]string{{"Rossi"}, {"Bianchi"}, {"Esposito"}, {"Ricci"}, {"Marino"}, {"Greco"}, {"Bruno"}, {"Gallo"},
			{"Conti"}, {"De Luca", "Deluca"}, {"Mancini"}, {"Lombardi"}}},
	{"RO", 150, 0.5, []string{"ro"},
		[][]string{{"Andrei"}, {"Ionuț", "Ionut"}, {"Mihai"}},
		[][]string{{"Ioana"}, {"Elena"}, {"Andreea", "Andreia"}},
		[][]string{{"Popescu"}, {"Ionescu"}, {"Popa"}, {"Stan"}, {"Dumitru", "Dumitrou"}}},
}

// pick returns one of weighted items by their weights.
func pick[T any](r *rand.Rand, items []T, weight func(T) int) T {
	total := 0
	for _, it := range items {
		total += weight(it)
	}
	n := r.IntN(total)
	for _, it := range items {
		if n -= weight(it); n < 0 {
			return it
		}
	}
	return items[len(items)-1]
}

// minorAge returns the age of an unaccompanied minor when found: most are
// 15 to 17, a few younger.
func minorAge(r *rand.Rand) int {
	switch x := r.IntN(100); {
	case x < 45:
		return 17
	case x < 70:
		return 16
	case x < 83:
		return 15
	case x < 98:
		return 7 + r.IntN(8)
	default:
		return r.IntN(7)
	}
}

// spelling returns the usual spelling of a name, or with chance variant one
// of its other spellings.
func spelling(r *rand.Rand, forms []string, variant float64) string {
	if len(forms) > 1 && r.Float64() < variant {
		return forms[1+r.IntN(len(forms)-1)]
	}
	return forms[0]
}

// drawnPerson is a person about to be written, and what a later
// registration of the same person under another spelling needs.
type drawnPerson struct {
	person  cases.Person
	nat     *nationality
	first   []string
	surname []string
	girl    bool
}

// drawPerson draws a person of nationality n, aged age on the day seen.
func drawPerson(r *rand.Rand, n *nationality, girl bool, age int, seen time.Time) drawnPerson {
	var first []string
	if girl {
		first = n.women[r.IntN(len(n.women))]
	} else {
		first = n.boys[r.IntN(len(n.boys))]
	}
	surname := n.surnames[r.IntN(len(n.surnames))]
	d := drawnPerson{nat: n, first: first, surname: surname, girl: girl}
	d.person = personOf(r, d, age, seen, 0.15)
	return d
}

// personOf returns the person d records, aged age on the day seen, with the
// chance variant of a name spelled otherwise.
func personOf(r *rand.Rand, d drawnPerson, age int, seen time.Time, variant float64) cases.Person {
	p := cases.Person{Sex: cases.Male, Nationality: d.nat.code, Languages: []string{d.nat.languages[0]}}
	if d.girl {
		p.Sex = cases.Female
	}
	p.Identity.Names = []cases.Name{{Kind: cases.PrimaryName,
		Text: spelling(r, d.first, variant) + " " + spelling(r, d.surname, variant)}}
	// An uncertain birth date, as a minor's often is, is a year or the
	// range of an age assessment; a known one is a day.
	born := seen.AddDate(-age, 0, -r.IntN(365))
	switch r.IntN(4) {
	case 0:
		p.Birth = cases.NewBirthDate(cases.ExactDate, born)
	case 1:
		p.Birth = cases.Range(born.AddDate(-1, 0, 0), born.AddDate(1, 0, 0))
	default:
		p.Birth = cases.NewBirthDate(cases.YearOnly, born)
	}
	return p
}

// SearchNames returns names that occur in every generated region, as an
// operator types them: a surname alone, or a first name and a surname, in
// their usual spelling or another, of the most frequent nationalities.
func SearchNames() []string {
	var out []string
	for _, n := range nationalities[:9] {
		out = append(out, n.surnames[1][0], n.boys[0][0]+" "+n.surnames[0][0], n.boys[2][len(n.boys[2])-1]+" "+n.surnames[2][0])
	}
	return out
}
