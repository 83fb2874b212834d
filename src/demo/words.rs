//! Word lists the demo generator draws from.

/// Men's first names; most of a clinic's clients are women
/// ([`FEMALE_FIRST`], at the end).
pub const MALE_FIRST: &[&str] = &[
    "Amir", "Ben", "Carlos", "David", "Emeka", "Felix", "Jonas", "Kwame", "Luca", "Mateo", "Noah",
    "Omar", "Rafael", "Sven", "Đorđe", "Quinn",
];
pub const LAST: &[&str] = &[
    "Souza",
    "Müller",
    "Okafor",
    "Nakamura",
    "Kowalski",
    "O'Brien",
    "García",
    "Rossi",
    "Haddad",
    "Novak",
    "Andersson",
    "Yılmaz",
    "Dubois",
    "Chen",
    "Patel",
    "Ivanova",
    "Mensah",
    "Jensen",
    "Fernández",
    "Kim",
    "Ødegård",
    "Papadopoulos",
    "Lindqvist",
    "Van der Berg",
    "Moreau",
    "Schmidt",
    "Costa",
    "Hughes",
    "Santos",
    "Nowak",
    "Silva",
    "Ahmed",
    "Bianchi",
    "Lefèvre",
    "Eriksen",
    "Horvat",
    "Lan",
    "Tanaka",
    "MacLeod",
    "Abebe",
];
pub const DERMAROLLER: &str = "Dermaroller";
pub const DEVICES: &[&str] = &[
    "Dr. Pen A6",
    "Dr. Pen M8",
    "SkinPen Precision",
    "Dermapen 4",
    "Dermaroller",
];
/// Cartridges for superficial work (up to 0.5 mm) and for deeper work.
pub const CARTRIDGES_FINE: &[&str] = &["nano", "36-pin"];
pub const CARTRIDGES_DEEP: &[&str] = &["12-pin", "16-pin", "36-pin"];
pub const SERUMS: &[&str] = &[
    "hyaluronic acid",
    "growth-factor serum",
    "PRP",
    "peptide serum",
    "polynucleotide serum",
];
/// Numbing products; compounded BLT is kept off large body areas.
pub const NUMBING: &[&str] = &[
    "lidocaine 4% cream",
    "lidocaine 4% cream",
    "lidocaine/prilocaine cream",
    "BLT cream",
    "tetracaine 4% gel",
];
pub const BLT: &str = "BLT cream";
/// Allergies on file (a few name a numbing product or serum ingredient).
pub const ALLERGIES: &[&str] = &[
    "latex",
    "lidocaine (hives, 2019)",
    "tree nuts",
    "penicillin",
    "benzocaine",
    "vitamin C (stinging)",
    "sticking plaster",
];
pub const ENDPOINTS: &[&str] = &[
    "even erythema",
    "pinpoint bleeding",
    "mild pinpoint bleeding",
];
pub const NOTES: &[&str] = &[
    "",
    "",
    "",
    "Tolerated well.",
    "Client asked for less numbing time next visit.",
    "Reviewed aftercare and sunscreen use.",
    "Skin a little sensitive at first; settled within minutes.",
    "Reduced pressure over the bony areas.",
    "Client reports good home care.",
];
/// Women's first names (pregnancy screening goes only to them).
pub const FEMALE_FIRST: &[&str] = &[
    "Ana",
    "Beatriz",
    "Chloé",
    "Dana",
    "Elif",
    "Fatima",
    "Grace",
    "Hana",
    "Ingrid",
    "Jasmine",
    "Keiko",
    "Lena",
    "Maya",
    "Nadia",
    "Olivia",
    "Priya",
    "Rosa",
    "Sofia",
    "Tamar",
    "Uma",
    "Valentina",
    "Wen",
    "Ximena",
    "Yara",
    "Zoë",
    "Thandi",
    "Aoife",
    "Siobhán",
    "Małgorzata",
    "Ayşe",
    "Nguyễn Thị",
    "Léa",
];
