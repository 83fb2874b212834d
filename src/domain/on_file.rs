//! Checks that read what is on file: the client's allergies against the
//! session's numbing product and serum, the medications text against
//! the drugs that change whether or how to needle, and the serum against
//! the practice's caution list. Matching is by whole
//! word, ignoring case and accents: "LIDOCAINE" and "lidocaïne" match
//! "lidocaine", "lidocainefree" does not.

use super::rules::Rules;
use super::warning::{AllergySource, MedicationClass, Warning};

/// Names (folded) and the class each belongs to: generic names, brands,
/// and the class words people write.
const MEDICATIONS: &[(&str, MedicationClass)] = {
    use MedicationClass::*;
    &[
        ("isotretinoin", Isotretinoin),
        ("roaccutane", Isotretinoin),
        ("accutane", Isotretinoin),
        ("absorica", Isotretinoin),
        ("claravis", Isotretinoin),
        ("amnesteem", Isotretinoin),
        ("myorisan", Isotretinoin),
        ("zenatane", Isotretinoin),
        ("oratane", Isotretinoin),
        ("isotrex", Isotretinoin),
        ("tretinoin", Retinoid),
        ("adapalene", Retinoid),
        ("tazarotene", Retinoid),
        ("retinol", Retinoid),
        ("retinal", Retinoid),
        ("retinaldehyde", Retinoid),
        ("trifarotene", Retinoid),
        ("retinoid", Retinoid),
        ("retinoids", Retinoid),
        ("differin", Retinoid),
        ("epiduo", Retinoid),
        ("tazorac", Retinoid),
        ("aklief", Retinoid),
        ("glycolic", HydroxyAcid),
        ("lactic", HydroxyAcid),
        ("mandelic", HydroxyAcid),
        ("salicylic", HydroxyAcid),
        ("aha", HydroxyAcid),
        ("ahas", HydroxyAcid),
        ("bha", HydroxyAcid),
        ("bhas", HydroxyAcid),
        ("hydroquinone", Hydroquinone),
        ("warfarin", Anticoagulant),
        ("coumadin", Anticoagulant),
        ("apixaban", Anticoagulant),
        ("eliquis", Anticoagulant),
        ("rivaroxaban", Anticoagulant),
        ("xarelto", Anticoagulant),
        ("dabigatran", Anticoagulant),
        ("pradaxa", Anticoagulant),
        ("edoxaban", Anticoagulant),
        ("lixiana", Anticoagulant),
        ("savaysa", Anticoagulant),
        ("heparin", Anticoagulant),
        ("clopidogrel", Anticoagulant),
        ("plavix", Anticoagulant),
        ("ticagrelor", Anticoagulant),
        ("prasugrel", Anticoagulant),
        ("aspirin", Anticoagulant),
        ("anticoagulant", Anticoagulant),
        ("anticoagulants", Anticoagulant),
        ("antiplatelet", Anticoagulant),
        ("antiplatelets", Anticoagulant),
    ]
};

/// Local anaesthetics by name (folded): other names and brand mixes give
/// the generic names they contain.
const ANAESTHETICS: &[(&str, &[&str])] = &[
    ("lidocaine", &["lidocaine"]),
    ("lignocaine", &["lidocaine"]),
    ("xylocaine", &["lidocaine"]),
    ("prilocaine", &["prilocaine"]),
    ("tetracaine", &["tetracaine"]),
    ("amethocaine", &["tetracaine"]),
    ("ametop", &["tetracaine"]),
    ("benzocaine", &["benzocaine"]),
    ("procaine", &["procaine"]),
    ("novocaine", &["procaine"]),
    ("emla", &["lidocaine", "prilocaine"]),
    ("blt", &["benzocaine", "lidocaine", "tetracaine"]),
];

/// Words in an allergy that mean "metal", so the needles themselves.
const METALS: &[&str] = &["nickel", "metal", "metals", "chromium", "cobalt", "steel"];

/// Words of `text` as written, each with its folded form.
fn words(text: &str) -> Vec<(&str, String)> {
    text.split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(|w| (w, super::text::name_key(w)))
        .collect()
}

/// The generic anaesthetics a folded word names: itself for an unknown
/// "-caine", the mix for a brand.
fn anaesthetic(folded: &str) -> Vec<String> {
    if let Some((_, generic)) = ANAESTHETICS.iter().find(|(n, _)| *n == folded) {
        return generic.iter().map(|g| (*g).to_string()).collect();
    }
    if folded.len() > "caine".len() && folded.ends_with("caine") {
        return vec![folded.to_string()];
    }
    Vec::new()
}

/// Whether the allergy words name the whole family: "caines", "-caine",
/// "local anaesthetic(s)".
fn family(words: &[(&str, String)]) -> bool {
    let anaesthetic = |w: &str| {
        matches!(
            w,
            "anaesthetic" | "anaesthetics" | "anesthetic" | "anesthetics"
        )
    };
    words.iter().any(|(_, w)| w == "caine" || w == "caines")
        || words
            .windows(2)
            .any(|p| p[0].1 == "local" && anaesthetic(&p[1].1))
}

/// Words that say what an allergy entry is, not what it is to; and the
/// entries that say there is none.
const FILLER: &[&str] = &[
    "allergy",
    "allergies",
    "allergic",
    "to",
    "reaction",
    "intolerance",
    "intolerant",
    "sensitivity",
    "sensitive",
    "no",
    "none",
    "nil",
    "nkda",
    "nka",
    "known",
];

/// The allergy entries on file, each as written with its folded words
/// (filler left out), named from its first word that is not filler: split at `,` `;` `/` and line ends, parenthesised
/// remarks ("(hives, 2019)") left out.
fn entries(allergies: &str) -> Vec<(&str, Vec<String>)> {
    let mut depth = 0_usize;
    allergies
        .split(|c: char| {
            match c {
                '(' | '[' => depth += 1,
                ')' | ']' => depth = depth.saturating_sub(1),
                _ => {}
            }
            depth == 0 && matches!(c, ',' | ';' | '/' | '\n')
        })
        .filter_map(|entry| {
            let plain = entry.split(['(', '[']).next().unwrap_or(entry).trim();
            let kept: Vec<(&str, String)> = words(plain)
                .into_iter()
                .filter(|(_, w)| !FILLER.contains(&w.as_str()))
                .collect();
            // Named from its first word that is not filler ("allergic to
            // latex" is "latex").
            let start = kept
                .first()
                .map(|(w, _)| w.as_ptr() as usize - plain.as_ptr() as usize)?;
            let folded: Vec<String> = kept.into_iter().map(|(_, w)| w).collect();
            (folded.concat().chars().count() >= 3).then_some((&plain[start..], folded))
        })
        .collect()
}

/// What in `product` matches an allergy on file: an anaesthetic by name,
/// brand or family, else an allergy entry whose words the product's
/// contain in order. The allergy as written and the ingredient.
fn allergen_in(
    product: &str,
    allergy_words: &[(&str, String)],
    whole_family: bool,
    entries: &[(&str, Vec<String>)],
) -> Option<(String, String)> {
    let product_words: Vec<String> = words(product).into_iter().map(|(_, w)| w).collect();
    let contains: Vec<String> = product_words.iter().flat_map(|w| anaesthetic(w)).collect();
    let named = allergy_words.iter().find_map(|(as_written, w)| {
        let generic = anaesthetic(w);
        contains
            .iter()
            .find(|c| generic.contains(c))
            .map(|c| ((*as_written).to_string(), c.clone()))
    });
    named
        .or_else(|| {
            let first = contains.first().filter(|_| whole_family)?;
            Some(("local anaesthetics (-caine)".to_string(), first.clone()))
        })
        .or_else(|| {
            entries.iter().find_map(|(as_written, folded)| {
                product_words
                    .windows(folded.len())
                    .any(|w| w == folded.as_slice())
                    .then(|| ((*as_written).to_string(), (*as_written).to_string()))
            })
        })
}

/// Allergy warnings for a session using `numbing` and `serum`.
pub fn allergy_warnings(allergies: &str, numbing: &str, serum: &str) -> Vec<Warning> {
    let allergy_words = words(allergies);
    let whole_family = family(&allergy_words);
    let entries = entries(allergies);
    let mut out = Vec::new();
    for (source, product) in [
        (AllergySource::Numbing, numbing),
        (AllergySource::Serum, serum),
    ] {
        let product = product.trim();
        if let Some((allergy, ingredient)) =
            allergen_in(product, &allergy_words, whole_family, &entries)
        {
            out.push(Warning::Allergy {
                allergy,
                source,
                product: product.to_string(),
                ingredient,
            });
        }
    }
    if let Some((metal, _)) = allergy_words
        .iter()
        .find(|(_, w)| METALS.contains(&w.as_str()))
    {
        out.push(Warning::Allergy {
            allergy: (*metal).to_string(),
            source: AllergySource::Needles,
            product: String::new(),
            ingredient: String::new(),
        });
    }
    out
}

/// One warning per class of medication named in `medications`, naming the
/// first of that class as written.
pub fn medication_warnings(medications: &str, rules: &Rules) -> Vec<Warning> {
    let mut found: Vec<(MedicationClass, &str)> = Vec::new();
    for (as_written, w) in words(medications) {
        let Some((_, class)) = MEDICATIONS.iter().find(|(n, _)| *n == w) else {
            continue;
        };
        if !found.iter().any(|(c, _)| c == class) {
            found.push((*class, as_written));
        }
    }
    found.sort_by_key(|(c, _)| *c);
    found
        .into_iter()
        .map(|(class, name)| Warning::Medication {
            class,
            name: name.to_string(),
            pause_days: class.paused().then_some(rules.pause_days),
            window_months: (class == MedicationClass::Isotretinoin)
                .then_some(rules.isotretinoin_months),
        })
        .collect()
}

/// The caution for a serum containing what the practice's caution list
/// names: each entry's words, whole and in order ("vitamin c" is in
/// "Vitamin C 20% serum", not in "vitamin ce").
pub fn serum_caution(serum: &str, cautions: &[String]) -> Option<Warning> {
    let serum = serum.trim();
    let product: Vec<String> = words(serum).into_iter().map(|(_, w)| w).collect();
    let found: Vec<String> = cautions
        .iter()
        .filter(|entry| {
            let wanted: Vec<String> = words(entry).into_iter().map(|(_, w)| w).collect();
            !wanted.is_empty() && product.windows(wanted.len()).any(|w| w == wanted)
        })
        .map(|entry| entry.trim().to_string())
        .collect();
    (!found.is_empty()).then(|| Warning::SerumCaution {
        serum: serum.to_string(),
        found,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn serum(text: &str) -> Option<Vec<String>> {
        match serum_caution(text, &Rules::default().serum_cautions)? {
            Warning::SerumCaution { found, .. } => Some(found),
            w => panic!("{w:?}"),
        }
    }

    #[test]
    fn a_serum_on_the_caution_list_names_what_matched() {
        let w = serum_caution("Vitamin C 20% serum", &Rules::default().serum_cautions).unwrap();
        assert_eq!(
            w.to_string(),
            "serum 'Vitamin C 20% serum' contains vitamin c, on the practice's caution list: granulomas have been reported after needling with topical products not made sterile for needling — use a sterile product made for microneedling instead"
        );
        assert_eq!(w.weight(), crate::domain::Weight::Caution);
        assert_eq!(serum("L-ASCORBIC ACID 15%").unwrap(), ["ascorbic acid"]);
        assert_eq!(
            serum("rose essential oil, parfum").unwrap(),
            ["parfum", "essential oil"]
        );
        assert_eq!(serum("  sodium ascorbyl phosphate").unwrap(), ["ascorbyl"]);
        assert_eq!(
            serum("Fragrancé-free HA").unwrap(),
            ["fragrance"],
            "accents"
        );
    }

    #[test]
    fn a_caution_word_inside_another_word_does_not_match() {
        assert_eq!(serum("vitamin ce ferulic"), None);
        assert_eq!(serum("ascorbic"), None, "the whole phrase");
        assert_eq!(serum("acid ascorbic"), None, "in order");
        assert_eq!(serum("perfumed-looking"), None);
        assert_eq!(serum("hyaluronic acid 1%"), None);
        assert_eq!(serum(""), None);
        // The practice's own list, with entries that hold no word.
        let own = vec!["peptide".to_string(), " - ".to_string()];
        assert!(serum_caution("copper peptide serum", &own).is_some());
        assert!(serum_caution("vitamin c", &own).is_none());
        assert!(serum_caution("anything", &[]).is_none());
    }

    fn allergy(allergies: &str, numbing: &str) -> Vec<String> {
        allergy_warnings(allergies, numbing, "")
            .iter()
            .map(ToString::to_string)
            .collect()
    }

    #[test]
    fn an_anaesthetic_allergy_names_the_product() {
        assert_eq!(
            allergy("Lidocaine (rash)", "lidocaine 5% cream"),
            [
                "allergy on file: Lidocaine — the numbing product 'lidocaine 5% cream' contains it: do not use it; choose a product without it or do not needle today"
            ]
        );
        assert!(allergy("lidocaine", "").is_empty(), "no numbing, nothing");
        assert!(allergy("penicillin", "lidocaine 5%").is_empty());
        assert!(allergy("none", "EMLA").is_empty());
    }

    #[test]
    fn other_names_brands_and_accents_match() {
        let w = allergy("LIGNOCAÏNE", "EMLA");
        assert_eq!(w.len(), 1);
        assert!(
            w[0].contains(
                "allergy on file: LIGNOCAÏNE — the numbing product 'EMLA' contains lidocaine"
            ),
            "{w:?}"
        );
        assert_eq!(allergy("amethocaine", "BLT cream").len(), 1);
        assert_eq!(allergy("benzocaine", "BLT").len(), 1);
        assert!(allergy("prilocaine", "BLT").is_empty(), "BLT has none");
        assert_eq!(allergy("prilocaine", "emla 5%").len(), 1);
        assert_eq!(allergy("novocaine", "procaine").len(), 1);
        // A word, not a piece of one.
        assert!(allergy("caine", "").is_empty());
        assert!(allergy("lidocaine", "lidocainefree gel").is_empty());
    }

    #[test]
    fn the_whole_family_matches_any_caine() {
        for a in ["local anaesthetics", "Local anesthetic", "all caines"] {
            let w = allergy(a, "articaine gel");
            assert_eq!(w.len(), 1, "{a}");
            assert!(w[0].contains("contains articaine"), "{w:?}");
        }
        assert!(allergy("general anaesthetic", "lidocaine").is_empty());
    }

    #[test]
    fn the_serum_is_checked_too() {
        let w = allergy_warnings("tetracaine", "", "HA serum with tetracaine");
        assert!(matches!(
            &w[..],
            [Warning::Allergy {
                source: AllergySource::Serum,
                ..
            }]
        ));
    }

    #[test]
    fn any_other_allergy_on_file_is_looked_for_in_the_products() {
        let w = allergy_warnings(
            "Allergic to hyaluronic acid (swelling, 2021); latex",
            "",
            "Hyaluronic acid 1% serum",
        );
        assert_eq!(
            w[0].to_string(),
            "allergy on file: hyaluronic acid — the serum 'Hyaluronic acid 1% serum' contains it: do not use it; choose a product without it or do not needle today"
        );
        if let Warning::Allergy { ingredient, .. } = &w[0] {
            assert_eq!(ingredient, "hyaluronic acid");
        }
        assert_eq!(
            allergy_warnings("menthol", "numbing gel, menthol", "").len(),
            1
        );
        // The words in order, whole; remarks in brackets and "none" are not allergies.
        assert!(allergy_warnings("hyaluronic acid", "", "acid hyaluronic").is_empty());
        assert!(allergy_warnings("latex (swelling)", "", "swelling serum").is_empty());
        assert!(allergy_warnings("None known; n/a", "", "vitamin A serum").is_empty());
        assert!(allergy_warnings("NKDA", "", "nkda").is_empty());
    }

    #[test]
    fn a_metal_allergy_warns_on_any_session() {
        let w = allergy_warnings("Nickel (earrings)", "", "");
        assert_eq!(
            w[0].to_string(),
            "allergy on file: Nickel — needles may contain it: confirm they are nickel-free (e.g. titanium or gold-plated) before needling, or do not needle today"
        );
        assert!(allergy_warnings("metal jewellery", "", "").len() == 1);
        assert!(allergy_warnings("nickelodeon", "", "").is_empty());
    }

    fn meds(text: &str) -> Vec<Warning> {
        medication_warnings(text, &Rules::default())
    }

    #[test]
    fn one_warning_per_class_naming_the_medication() {
        let w = meds("Topical adapalene at night, tretinoin; Xarelto 20 mg; aspirin");
        assert_eq!(w.len(), 2, "{w:?}");
        assert_eq!(
            w[0].to_string(),
            "medication on file: adapalene (a topical retinoid) — pause it 7 days before needling; ask when it was last used"
        );
        assert_eq!(
            w[1].to_string(),
            "medication on file: Xarelto (an anticoagulant/antiplatelet) — bleeding and bruising risk: consider the session with the prescriber; never stop it without them"
        );
    }

    #[test]
    fn every_class_is_recognised() {
        let class = |t: &str| match &meds(t)[..] {
            [Warning::Medication { class, .. }] => Some(*class),
            _ => None,
        };
        assert_eq!(
            class("Roaccutane 20mg"),
            Some(MedicationClass::Isotretinoin)
        );
        assert_eq!(class("absorica"), Some(MedicationClass::Isotretinoin));
        assert_eq!(class("trifarotene"), Some(MedicationClass::Retinoid));
        assert_eq!(
            class("glycolic acid toner"),
            Some(MedicationClass::HydroxyAcid)
        );
        assert_eq!(class("Salicylic wash"), Some(MedicationClass::HydroxyAcid));
        assert_eq!(
            class("hydroquinone 4%"),
            Some(MedicationClass::Hydroquinone)
        );
        assert_eq!(class("clopidogrel"), Some(MedicationClass::Anticoagulant));
        assert_eq!(class("dabigatran"), Some(MedicationClass::Anticoagulant));
        assert_eq!(class("isotretinoin"), Some(MedicationClass::Isotretinoin));
        assert_eq!(class("levothyroxine"), None);
        assert_eq!(class("retinolike"), None, "whole words only");
    }

    #[test]
    fn the_pause_and_the_window_are_the_practice_s() {
        let rules = Rules {
            pause_days: 3,
            isotretinoin_months: 12,
            ..Rules::default()
        };
        let w = medication_warnings("hydroquinone, Accutane", &rules);
        assert_eq!(
            w[0].to_string(),
            "medication on file: Accutane (isotretinoin) — defer needling until 12 months after the last dose; record the date under screening"
        );
        assert!(w[1].to_string().contains("pause it 3 days before needling"));
        let w = medication_warnings(
            "retinol",
            &Rules {
                pause_days: 1,
                ..rules.clone()
            },
        );
        assert!(w[0].to_string().contains("pause it 1 day before"), "{w:?}");
        let w = medication_warnings(
            "retinol",
            &Rules {
                pause_days: 0,
                ..rules
            },
        );
        assert!(w[0].to_string().contains("no pause"), "{w:?}");
    }
}
