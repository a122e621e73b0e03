//! Names found in files: the athletes they stand for (through profiles and aliases, compared
//! after Unicode normalisation, with spellings that merge only after it reported; likely
//! misspellings reported, never merged — blocked so the check stays fast for 10,000 IDs) and
//! the weather place a file's name gives.

use std::collections::{BTreeMap, HashMap, HashSet};
use std::path::Path;

use crate::profiles::{name_key, ProfilesFile};
use crate::safe_text::{display_name, plain_key};

/// Maps the names found in files to one athlete each: profile names and their aliases first,
/// then, for names without a profile, the first spelling seen (compared case- and
/// space-insensitively after Unicode normalisation). A new name that is close to a known one
/// (a likely misspelling, as `Ana Lopes` for `Ana Lopez`) is kept apart — guessing could merge
/// two people — and reported.
pub struct Names {
    known: HashMap<String, String>,
    /// The known keys by block (see [`block_of`]), for the misspelling check.
    blocks: HashMap<Block, Vec<String>>,
    /// Plain keys (case and spacing only) of every spelling read as each athlete: a spelling
    /// whose plain key is new but whose normalised key is known merged through normalisation.
    plain: HashSet<(String, String)>,
    /// Every spelling met in the files, with the athlete it was read as.
    pub(super) spellings: BTreeMap<String, String>,
    pub(super) warnings: Vec<String>,
    /// Misspelling and merge warnings beyond the first few, counted, not listed.
    near_unlisted: usize,
    near_listed: usize,
    merged_unlisted: usize,
    merged_listed: usize,
    /// Pairs of names compared by the misspelling check (the work done, for the tests).
    pub(super) compared: usize,
    /// The file being read, named in warnings.
    current_file: String,
    /// Spellings already resolved, exactly as written.
    resolved: polars::prelude::PlHashMap<String, Result<String, String>>,
    /// The last spelling looked up and its result: rows of one athlete follow each other, so
    /// most lookups are this one, found without hashing.
    last: Option<(String, Result<String, String>)>,
}

/// How alike two name keys must be (Jaro–Winkler, 0–1) to be reported as a likely misspelling.
const NEAR_NAME_SIMILARITY: f64 = 0.9;

/// How many misspelling (and, separately, merge) warnings are listed; the rest are counted.
const LISTED_WARNINGS: usize = 5;

/// The block of a name key in the misspelling check: its first character, its digits and
/// its length. Names are compared only within their block and the blocks of lengths up to
/// [`NEAR_LENGTH`] away. Digits: `Player 07` and `Player 08` are numbered IDs, different
/// people by design, never a misspelling of each other. First character: Jaro–Winkler weighs
/// the start, and a typo there is rarer than later on. Length: a misspelling adds, drops or
/// swaps a letter or two. The check misses typos in the first letter and spellings more than
/// two letters longer, and in return stays near-linear: 10,000 numbered IDs are 10,000
/// blocks of one, not 50 million comparisons.
type Block = (char, String, usize);

fn block_of(key: &str) -> Block {
    let first = key.chars().next().unwrap_or(' ');
    let digits = key.chars().filter(char::is_ascii_digit).collect();
    (first, digits, key.chars().count())
}

/// How many letters longer or shorter a name may be and still be compared as a misspelling.
const NEAR_LENGTH: usize = 2;

impl Names {
    pub fn new(profiles: &ProfilesFile) -> Self {
        let mut names = Names {
            known: HashMap::new(),
            blocks: HashMap::new(),
            plain: HashSet::new(),
            spellings: BTreeMap::new(),
            warnings: Vec::new(),
            near_unlisted: 0,
            near_listed: 0,
            merged_unlisted: 0,
            merged_listed: 0,
            compared: 0,
            current_file: String::new(),
            resolved: polars::prelude::PlHashMap::default(),
            last: None,
        };
        for (name, athlete) in profiles.spellings() {
            names.plain.insert((plain_key(&name), athlete.clone()));
            names.insert_known(name_key(&name), athlete);
        }
        names
    }

    fn insert_known(&mut self, key: String, athlete: String) {
        if !self.known.contains_key(&key) {
            self.blocks
                .entry(block_of(&key))
                .or_default()
                .push(key.clone());
        }
        self.known.insert(key, athlete);
    }

    /// The athlete a name in a file stands for; an error for a blank-looking name (spaces,
    /// zero-width characters or a byte-order mark only), which is no athlete.
    pub fn resolve(&mut self, raw: &str) -> Result<String, String> {
        self.resolve_str(raw).map(str::to_string)
    }

    /// `resolve`, borrowing the name: a file's millions of rows need no copy of it each.
    pub fn resolve_str(&mut self, raw: &str) -> Result<&str, String> {
        // A file repeats the same few spellings on every row; each is resolved once.
        if self.last.as_ref().is_none_or(|(last, _)| last != raw) {
            let result = match self.resolved.get(raw) {
                Some(known) => known.clone(),
                None => {
                    let name = self.resolve_new(raw);
                    self.resolved.insert(raw.to_string(), name.clone());
                    name
                }
            };
            self.last = Some((raw.to_string(), result));
        }
        match &self.last {
            Some((_, Ok(name))) => Ok(name.as_str()),
            Some((_, Err(why))) => Err(why.clone()),
            None => Err(format!("the athlete name {raw:?} could not be resolved")),
        }
    }

    fn resolve_new(&mut self, raw: &str) -> Result<String, String> {
        let name = display_name(raw);
        if name.is_empty() {
            return Err(format!(
                "the athlete name {:?} is blank (only spaces or invisible characters)",
                crate::safe_text::terminal(raw)
            ));
        }
        let key = name_key(raw);
        if let Some(found) = self.known.get(&key) {
            let found = found.clone();
            if self.plain.insert((plain_key(raw), found.clone())) {
                self.merged(raw, &found);
            }
            self.spellings
                .entry(raw.to_string())
                .or_insert_with(|| found.clone());
            return Ok(found);
        }
        self.check_near(&name, &key);
        self.plain.insert((plain_key(raw), name.clone()));
        self.insert_known(key, name.clone());
        self.spellings.insert(raw.to_string(), name.clone());
        Ok(name)
    }

    /// Reports a spelling read as a known athlete although it differs from every spelling of
    /// that athlete seen so far in more than case and spacing (Unicode form, invisible
    /// characters, NBSP, full-width letters): the two print alike but are other bytes.
    fn merged(&mut self, raw: &str, athlete: &str) {
        if self.merged_listed >= LISTED_WARNINGS {
            self.merged_unlisted += 1;
            return;
        }
        self.merged_listed += 1;
        let shown = shown_codes(raw);
        self.warnings.push(format!(
            "{}: the spelling \"{shown}\" is read as athlete {athlete:?} (they differ only in \
             Unicode form, invisible characters or full-width letters)",
            self.current_file
        ));
    }

    fn check_near(&mut self, name: &str, key: &str) {
        let mut near: Vec<&String> = Vec::new();
        let (first, digits, len) = block_of(key);
        for len in len.saturating_sub(NEAR_LENGTH)..=len + NEAR_LENGTH {
            let Some(block) = self.blocks.get(&(first, digits.clone(), len)) else {
                continue;
            };
            for k in block {
                self.compared += 1;
                if strsim::jaro_winkler(k, key) >= NEAR_NAME_SIMILARITY {
                    if let Some(athlete) = self.known.get(k) {
                        near.push(athlete);
                    }
                }
            }
        }
        if near.is_empty() {
            return;
        }
        if self.near_listed >= LISTED_WARNINGS {
            self.near_unlisted += 1;
            return;
        }
        self.near_listed += 1;
        near.sort();
        near.dedup();
        let near: Vec<String> = near.iter().map(|n| format!("{n:?}")).collect();
        let warning = format!(
            "{}: athlete {name:?} is not in athletes.toml and looks like {}; it is kept as a \
             separate athlete — if it is the same person, add it to that athlete's aliases",
            self.current_file,
            near.join(" or ")
        );
        self.warnings.push(warning);
    }

    /// The warnings, with a count of those not listed.
    pub(super) fn take_warnings(&mut self) -> Vec<String> {
        let mut out = std::mem::take(&mut self.warnings);
        if self.near_unlisted > 0 {
            out.push(format!(
                "{} more names look like misspellings of others (not listed; they are kept as \
                 separate athletes)",
                self.near_unlisted
            ));
        }
        if self.merged_unlisted > 0 {
            out.push(format!(
                "{} more spellings were read as an athlete they differ from only in Unicode form \
                 or invisible characters (not listed)",
                self.merged_unlisted
            ));
        }
        out
    }

    /// Names the file the next names come from.
    pub fn set_file(&mut self, file: &Path) {
        self.current_file = file.display().to_string();
    }
}

/// A spelling with every character that reads like another shown as its code: combining
/// marks, invisible and format characters, non-ASCII spaces and compatibility forms
/// (full-width letters), so a warning shows how two alike-looking spellings differ.
fn shown_codes(raw: &str) -> String {
    use unicode_normalization::char::is_combining_mark;
    use unicode_normalization::UnicodeNormalization;
    let mut out = String::new();
    for c in raw.chars() {
        let plain = c == ' '
            || (!c.is_control()
                && !c.is_whitespace()
                && !is_combining_mark(c)
                && crate::safe_text::display_name(&c.to_string()) == c.to_string()
                && std::iter::once(c).nfkc().eq(std::iter::once(c)));
        if plain {
            out.push(c);
        } else {
            out.push_str(&format!("\\u{{{:x}}}", c as u32));
        }
    }
    out
}

/// The place a weather file stands for, from its name: `weather-oslo.csv`, `weather_oslo.csv`
/// or `weather.oslo.csv` → `oslo`. Used for rows that name no `location` themselves.
pub fn location_from_file_name(path: &Path) -> Option<String> {
    let stem = path.file_stem()?.to_str()?;
    let lower = stem.to_ascii_lowercase();
    let rest = lower.strip_prefix("weather")?;
    let place = rest.strip_prefix(['-', '_', '.'])?;
    let place = stem[stem.len() - place.len()..].trim();
    (!place.is_empty()).then(|| place.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn weather_places_from_file_names() {
        let place = |p: &str| location_from_file_name(Path::new(p));
        assert_eq!(place("team/weather-oslo.csv").as_deref(), Some("oslo"));
        assert_eq!(
            place("Weather_Sierra Nevada.csv").as_deref(),
            Some("Sierra Nevada")
        );
        assert_eq!(place("weather.valencia.csv").as_deref(), Some("valencia"));
        assert_eq!(place("weather.csv"), None);
        assert_eq!(place("weather-.csv"), None);
        assert_eq!(place("weathering.csv"), None);
        assert_eq!(place("oslo-weather.csv"), None);
    }

    #[test]
    fn near_names_are_reported_not_merged() {
        let profiles = ProfilesFile::parse(
            "[athletes.\"Ana Lopez\"]\naliases = [\"Ana L\"]\n[athletes.ben]\n",
        )
        .unwrap();
        let mut names = Names::new(&profiles);
        names.set_file(Path::new("x.csv"));
        assert_eq!(names.resolve("ana  LOPEZ").unwrap(), "Ana Lopez");
        assert_eq!(names.resolve("ana l").unwrap(), "Ana Lopez");
        assert!(names.warnings.is_empty());
        assert_eq!(names.resolve("Ana Lopes").unwrap(), "Ana Lopes");
        assert_eq!(names.warnings.len(), 1, "{:?}", names.warnings);
        assert!(names.warnings[0].contains("\"Ana Lopez\""));
        assert!(names.warnings[0].starts_with("x.csv: "));
        // A clearly different name is no warning.
        assert_eq!(names.resolve("Carla").unwrap(), "Carla");
        assert_eq!(names.warnings.len(), 1);
    }

    #[test]
    fn numbered_ids_are_not_misspellings() {
        let mut names = Names::new(&ProfilesFile::default());
        for i in 1..=40 {
            names.resolve(&format!("Player {i:02}")).unwrap();
        }
        // Before: 39 warnings (`Player 02` looks like `Player 01`, …).
        assert!(names.take_warnings().is_empty());
    }

    #[test]
    fn misspelling_check_is_blocked_and_capped() {
        // 10,000 numbered IDs: each is a block of its own, nothing is compared.
        let mut names = Names::new(&ProfilesFile::default());
        for i in 0..10_000 {
            names.resolve(&format!("Player {i:05}")).unwrap();
        }
        assert_eq!(names.compared, 0);
        // 10,000 random names (first letter of 26, 5–12 letters): compared only within a
        // first letter and ±2 letters of length. Expected ≈ n²/2 · 5/(26·8) ≈ 1.2 million
        // pairs against 50 million for all pairs; bounded at a twentieth of all pairs.
        let mut rng = fastrand::Rng::with_seed(19);
        let mut names = Names::new(&ProfilesFile::default());
        let n = 10_000usize;
        for _ in 0..n {
            let len = rng.usize(5..=12);
            let name: String = (0..len).map(|_| rng.alphabetic()).collect();
            names.resolve(&name).unwrap();
        }
        assert!(names.compared < n * n / 2 / 20, "{} pairs", names.compared);
        // Near names among them are listed 5 at most, the rest counted in one line.
        let warnings = names.take_warnings();
        assert!(warnings.len() <= LISTED_WARNINGS + 1, "{warnings:?}");
        if names.near_unlisted > 0 {
            let last = warnings.last().unwrap();
            assert!(last.starts_with(&format!("{} more names", names.near_unlisted)));
        }
    }

    #[test]
    fn many_near_names_print_five_and_a_count() {
        let mut names = Names::new(&ProfilesFile::default());
        // `Ana Lopez` then 8 one-letter variants, each near it (Jaro–Winkler > 0.95).
        names.resolve("Ana Lopez").unwrap();
        for v in [
            "Ana Lopes",
            "Ana Lopea",
            "Ana Lopeb",
            "Ana Lopec",
            "Ana Loped",
            "Ana Lopef",
            "Ana Lopeg",
            "Ana Lopeh",
        ] {
            names.resolve(v).unwrap();
        }
        let warnings = names.take_warnings();
        assert_eq!(warnings.len(), 6, "{warnings:?}");
        assert_eq!(
            warnings[5],
            "3 more names look like misspellings of others (not listed; they are kept as \
             separate athletes)"
        );
    }
}
