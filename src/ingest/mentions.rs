//! Cramps mentioned in session titles and descriptions (Strava `Activity Name` and `Activity
//! Description`, Garmin `Title`, the native `title`): which words name a cramp in English,
//! German, French, Spanish, Italian, Dutch and Danish, which negations ("no cramps", "ohne
//! Krämpfe", "cramp-free") cancel one, and the mentioned cramps of the sessions read. Mentions
//! are kept apart from logged cramps (`cramp_source` = `mention`) and used only with
//! `--cramps-from-titles`.
//!
//! Hand-written rather than with the `regex` crate: the rules are word stems and a look-back
//! over at most three words of the same clause, plain to read as code, and a direct `regex`
//! dependency could change the features polars' own copy is built with (a full rebuild).

use super::canonical::Canonical;
use super::cramplog::{Cramp, CrampSource};

/// Words before a cramp word (within `NEGATION_REACH` words of the same clause) that say it
/// did not happen: "no cramps", "ohne Krämpfe", "sans crampe", "sin calambres", "senza
/// crampi", "geen kramp", "ingen krampe", and near misses ("almost cramped": not a cramp).
const NEGATIONS: &[&str] = &[
    // English
    "no", "not", "without", "never", "zero", "didn", "didnt", "don", "dont", "almost", "nearly",
    "avoided", // German
    "ohne", "kein", "keine", "keinen", "keiner", "nicht", "beinahe", // French
    "sans", "pas", "aucun", "aucune", "jamais", "presque", // Spanish (and Italian "non")
    "sin", "ningún", "ningun", "ninguna", "nada", "casi", // Italian
    "senza", "nessun", "nessuno", "nessuna", "niente", "non", "quasi", // Dutch
    "geen", "zonder", "niet", "bijna", // Danish
    "ingen", "uden", "ikke", "intet", "næsten",
];

/// Words right after a cramp word that make it "free of cramps": "cramp-free", "krampf frei",
/// "kramp vrij", "krampe fri".
const FREE: &[&str] = &[
    "free", "frei", "fri", "frit", "vrij", "vrije", "libre", "libres",
];

/// How far back (in words of the same clause) a negation reaches: "no calf cramps", "pas de
/// crampes", "keine schlimmen Krämpfe".
const NEGATION_REACH: usize = 3;

/// Whether one lower-case word names a cramp, and whether it is itself a "cramp-free"
/// compound (German, Dutch and Danish write them as one word).
fn cramp_word(w: &str) -> Option<bool> {
    let free_compound = |stem_end: &str| FREE.iter().any(|f| stem_end.ends_with(f));
    // German: Krampf, Krämpfe, Wadenkrampf, Muskelkrämpfe; not Krampfader (varicose vein),
    // krampfhaft (desperately) or krampflösend (antispasmodic).
    if let Some(i) = w.find("krampf").or_else(|| w.find("krämpf")) {
        let rest = &w[i..];
        if ["krampfader", "krampfhaft", "krampflös", "krampfloes"]
            .iter()
            .any(|x| rest.starts_with(x))
        {
            return None;
        }
        return Some(free_compound(rest));
    }
    // Dutch kramp, krampen, kuitkramp, krampje; Danish krampe, kramper, lægkrampe, krampede;
    // "krampvrij", "krampefri" are the free compounds.
    if let Some(i) = w.find("kramp") {
        let rest = &w[i + "kramp".len()..];
        const ENDS: &[&str] = &[
            "", "e", "en", "er", "erne", "je", "jes", "ede", "et", "vrij", "efri", "efrit", "fri",
        ];
        if ENDS.contains(&rest) {
            return Some(free_compound(rest));
        }
        return None;
    }
    // English cramp(s|ed|ing|y), French crampe(s), Italian crampo/crampi; not crampon.
    if let Some(rest) = w.strip_prefix("cramp") {
        const ENDS: &[&str] = &["", "s", "ed", "ing", "y", "e", "es", "o", "i", "free"];
        if ENDS.contains(&rest) {
            return Some(rest == "free");
        }
        return None;
    }
    // Spanish calambre(s), and the verb acalambrarse ("me acalambré").
    if w.starts_with("calambre") || w.starts_with("acalambr") {
        return Some(false);
    }
    None
}

/// Substrings one of which every cramp word holds (`mentions_cramp`'s quick rule-out).
const CRAMP_MARKS: [&str; 3] = ["ramp", "rämpf", "calamb"];

/// Whether a text mentions a cramp that happened: a cramp word not cancelled by a negation
/// in the three words before it (same clause) or by "free" right after it.
pub fn mentions_cramp(text: &str) -> bool {
    let lower = text.to_lowercase();
    // Every word `cramp_word` accepts contains one of these (cramp…, kramp…, krampf…: "ramp";
    // krämpf…: "rämpf"; calambre, acalambr…: "calamb"): a title with none of them, nearly all
    // of a squad's, is ruled out with three fast scans instead of a search per word.
    if !CRAMP_MARKS.iter().any(|m| lower.contains(m)) {
        return false;
    }
    // Clauses end at punctuation: "no gels, cramped at km 30" is a cramp.
    lower
        .split([',', '.', ';', ':', '!', '?', '\n', '(', ')'])
        .any(|clause| {
            let words: Vec<&str> = clause
                .split(|c: char| !c.is_alphanumeric())
                .filter(|w| !w.is_empty())
                .collect();
            words.iter().enumerate().any(|(i, w)| {
                let Some(free) = cramp_word(w) else {
                    return false;
                };
                let negated = words[i.saturating_sub(NEGATION_REACH)..i]
                    .iter()
                    .any(|n| NEGATIONS.contains(n));
                let free_after = words.get(i + 1).is_some_and(|n| FREE.contains(n));
                !(free || negated || free_after)
            })
        })
}

/// The longest part of a title kept as the mention's note.
const NOTE_MAX_CHARS: usize = 120;

/// The cramps mentioned in the sessions read so far (after duplicates were removed): one per
/// session whose title or description mentions one, dated on the session's day, with the
/// session's file and line.
pub fn from_sessions(c: &Canonical) -> Vec<Cramp> {
    let a = &c.activities;
    let mut out = Vec::new();
    // A squad's titles repeat ("Recovery jog" hundreds of times): each distinct text is read
    // once, not lower-cased and searched again for every session.
    let mut read: polars::prelude::PlHashMap<&str, bool> = Default::default();
    for (i, &athlete) in a.athlete.iter().enumerate() {
        let texts = [a.title.get(i), a.description.get(i)];
        let Some(text) = texts
            .into_iter()
            .flatten()
            .find(|&t| *read.entry(t).or_insert_with(|| mentions_cramp(t)))
        else {
            continue;
        };
        let origin = c.activity_origin.get(i).cloned().unwrap_or_default();
        out.push(Cramp {
            athlete: c.athlete_ids.get(athlete).to_string(),
            date: crate::dates::from_days(a.date[i]),
            muscle: None,
            severity: None,
            when: None,
            note: Some(text.chars().take(NOTE_MAX_CHARS).collect()),
            source: CrampSource::Mention,
            file: origin.file.to_string(),
            line: origin.line,
        });
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cramps_in_each_language() {
        for t in [
            // English
            "Long run, cramped at km 30",
            "Calf cramp on the last climb",
            "cramps in both hamstrings",
            "Cramping late in the race",
            // German
            "Krampf in der Wade",
            "Lauf mit Krämpfen ab km 25",
            "Wadenkrampf beim Schwimmen",
            // French
            "Sortie longue, crampe au mollet",
            "Des crampes à la fin",
            // Spanish
            "Tirada larga con calambres",
            "Calambre en el gemelo",
            "me acalambré en la subida",
            // Italian
            "Lungo con crampo al polpaccio",
            "Crampi finali",
            // Dutch
            "Duurloop, kramp in de kuit",
            "Krampen na 30 km",
            "kuitkramp",
            // Danish
            "Langtur med krampe i læggen",
            "Kramper til sidst",
            "lægkrampe",
        ] {
            assert!(mentions_cramp(t), "{t:?} is a cramp");
        }
    }

    #[test]
    fn negations_in_each_language_are_not_cramps() {
        for t in [
            "no cramps today",
            "No cramp!",
            "cramp-free marathon",
            "Cramp free at last",
            "didn't cramp",
            "almost cramped",
            "ohne Krämpfe",
            "Keine Krämpfe mehr",
            "krampffrei",
            "sans crampe",
            "pas de crampes",
            "sin calambres",
            "senza crampi",
            "non ho avuto crampi",
            "geen kramp",
            "krampvrij",
            "ingen krampe",
            "uden kramper",
            "krampefri",
        ] {
            assert!(!mentions_cramp(t), "{t:?} is not a cramp");
        }
    }

    #[test]
    fn look_alikes_are_not_cramps_and_a_negation_stays_in_its_clause() {
        for t in [
            "Crampons on the glacier",
            "Krampfadern OP Nachsorge",
            "Easy run",
            "Cramprisk test",
            "",
        ] {
            assert!(!mentions_cramp(t), "{t:?} is not a cramp");
        }
        // The negation belongs to the gels, not the cramp.
        assert!(mentions_cramp("no gels, cramped at km 30"));
        // Too far back: "no" is four words before the cramp.
        assert!(mentions_cramp("no wind but bad calf cramps"));
        // One mention among several clauses is enough.
        assert!(mentions_cramp(
            "No cramps at first. Then a calf cramp at km 38"
        ));
    }
}
