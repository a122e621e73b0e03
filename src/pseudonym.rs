//! Pseudonymisation: stable codes (`P001`, `P002`, …) in place of athlete names in every
//! output, with the code-to-name key kept in one file. Codes are sequential, not derived from
//! the names, so a code cannot be reversed by trying names; they are stable because the key of
//! the previous run (if present) is read back and extended, never renumbered.

use std::collections::BTreeMap;
use std::io::Write;
use std::path::Path;

use anyhow::Context;
use polars::prelude::{Column, DataFrame, DataType};

/// The name → code table, and every spelling to scrub from free text.
pub struct Pseudonyms {
    codes: BTreeMap<String, String>,
    /// (lower-case spelling, code), longest first so `Ana Lopez` is replaced before `Ana`.
    spellings: Vec<(String, String)>,
}

impl Pseudonyms {
    /// Codes for `athletes`: those in the existing key (if any) keep theirs; new athletes get
    /// the next free numbers in name order. `spellings` maps every raw spelling met (files,
    /// aliases, folder names) to its athlete.
    pub fn assign(
        athletes: &[String],
        spellings: &BTreeMap<String, String>,
        existing: BTreeMap<String, String>,
    ) -> Pseudonyms {
        let mut codes = existing;
        let mut next = codes
            .values()
            .filter_map(|c| c.strip_prefix('P').and_then(|n| n.parse::<u32>().ok()))
            .max()
            .unwrap_or(0);
        let mut sorted: Vec<&String> = athletes.iter().collect();
        sorted.sort();
        for name in sorted {
            if !codes.contains_key(name) {
                next += 1;
                codes.insert(name.clone(), format!("P{next:03}"));
            }
        }
        let mut list: Vec<(String, String)> = Vec::new();
        for (name, code) in &codes {
            list.push((name.to_lowercase(), code.clone()));
        }
        for (raw, athlete) in spellings {
            if let Some(code) = codes.get(athlete) {
                let raw = raw.split_whitespace().collect::<Vec<_>>().join(" ");
                if !raw.is_empty() {
                    list.push((raw.to_lowercase(), code.clone()));
                }
            }
        }
        list.sort_by(|a, b| b.0.len().cmp(&a.0.len()).then(a.cmp(b)));
        list.dedup();
        Pseudonyms {
            codes,
            spellings: list,
        }
    }

    /// Reads the key of an earlier run: `code,athlete` rows.
    pub fn read_key(path: &Path) -> anyhow::Result<BTreeMap<String, String>> {
        let mut map = BTreeMap::new();
        if !path.exists() {
            return Ok(map);
        }
        let mut rdr = csv::Reader::from_path(path)
            .with_context(|| format!("reading the pseudonym key {}", path.display()))?;
        for (i, rec) in rdr.records().enumerate() {
            let rec =
                rec.with_context(|| format!("reading the pseudonym key {}", path.display()))?;
            match (rec.get(0), rec.get(1)) {
                (Some(code), Some(name)) if !code.is_empty() && !name.is_empty() => {
                    map.insert(name.to_string(), code.to_string());
                }
                _ => anyhow::bail!("{}:{}: expected `code,athlete`", path.display(), i + 2),
            }
        }
        Ok(map)
    }

    /// The code of an athlete (the name itself if it has none, which `assign` prevents).
    pub fn code<'a>(&'a self, name: &'a str) -> &'a str {
        self.codes.get(name).map(String::as_str).unwrap_or(name)
    }

    /// Free text with every known spelling of every athlete replaced by its code. Matches are
    /// case-insensitive and whole words (letters and digits around a match prevent it), so
    /// `ana` is replaced in `team/ana/runs.csv` but not in `banana`.
    pub fn scrub(&self, text: &str) -> String {
        let mut out = text.to_string();
        for (spelling, code) in &self.spellings {
            out = replace_word(&out, spelling, code);
        }
        out
    }

    /// Writes `code,athlete` rows, by code.
    pub fn write_key(&self, w: &mut dyn Write) -> anyhow::Result<()> {
        let mut rows: Vec<(&String, &String)> = self.codes.iter().map(|(n, c)| (c, n)).collect();
        rows.sort();
        let mut csv = csv::Writer::from_writer(w);
        csv.write_record(["code", "athlete"])?;
        for (code, name) in rows {
            csv.write_record([code.as_str(), crate::report::safe_cell(name).as_ref()])?;
        }
        csv.flush()?;
        Ok(())
    }
}

/// Replaces whole-word, case-insensitive occurrences of `needle` (lower case) in `hay`.
/// Compares character by character, so it never splits a character.
fn replace_word(hay: &str, needle: &str, with: &str) -> String {
    if needle.is_empty() {
        return hay.to_string();
    }
    let is_word = |c: Option<char>| c.is_some_and(char::is_alphanumeric);
    // The byte length in `hay` of a case-insensitive match of `needle` at `at`, if any.
    let match_at = |at: usize| -> Option<usize> {
        let mut hay_chars = hay[at..].char_indices();
        let mut want = needle.chars();
        let mut end = 0;
        loop {
            let Some(w) = want.next() else {
                return Some(end);
            };
            let (i, c) = hay_chars.next()?;
            // A character whose lower case is several characters is compared as a whole.
            let mut lower = c.to_lowercase();
            if lower.next() != Some(w) {
                return None;
            }
            for extra in lower {
                if want.next() != Some(extra) {
                    return None;
                }
            }
            end = i + c.len_utf8();
        }
    };
    let mut out = String::with_capacity(hay.len());
    let mut last = 0;
    let mut prev: Option<char> = None;
    for (i, c) in hay.char_indices() {
        if i >= last && !is_word(prev) {
            if let Some(len) = match_at(i) {
                if !is_word(hay[i + len..].chars().next()) {
                    out.push_str(&hay[last..i]);
                    out.push_str(with);
                    last = i + len;
                }
            }
        }
        prev = Some(c);
    }
    out.push_str(&hay[last..]);
    out
}

/// Replaces athlete names by their codes everywhere an output could show them: the daily and
/// athlete tables, the team summary, file paths, rejection reasons and warnings.
pub fn apply(
    analysis: &mut crate::compute::Analysis,
    team: &mut DataFrame,
    codes: &Pseudonyms,
) -> anyhow::Result<()> {
    let recode = |df: &mut DataFrame| -> anyhow::Result<()> {
        if df.height() == 0 {
            return Ok(());
        }
        let names = df.column(crate::schema::ATHLETE)?.str()?.clone();
        let coded: Vec<Option<String>> = names
            .iter()
            .map(|n| n.map(|n| codes.code(n).to_string()))
            .collect();
        df.with_column(Column::new(crate::schema::ATHLETE.into(), coded))?;
        // Free-text columns could quote a name (a location note, a reason).
        let texts: Vec<String> = df
            .columns()
            .iter()
            .filter(|c| {
                c.dtype() == &DataType::String && c.name().as_str() != crate::schema::ATHLETE
            })
            .map(|c| c.name().to_string())
            .collect();
        for name in texts {
            let scrubbed: Vec<Option<String>> = df
                .column(&name)?
                .str()?
                .iter()
                .map(|v| v.map(|v| codes.scrub(v)))
                .collect();
            df.with_column(Column::new(name.into(), scrubbed))?;
        }
        Ok(())
    };
    recode(&mut analysis.daily)?;
    recode(&mut analysis.athletes)?;
    recode(team)?;
    let ing = &mut analysis.ingested;
    for f in &mut ing.files {
        f.path = std::path::PathBuf::from(codes.scrub(&f.path.to_string_lossy()));
        f.skipped = f.skipped.as_ref().map(|s| codes.scrub(s));
    }
    if let Some(p) = &ing.profiles_path {
        ing.profiles_path = Some(std::path::PathBuf::from(codes.scrub(&p.to_string_lossy())));
    }
    for r in &mut ing.rejections {
        r.file = codes.scrub(&r.file);
        r.reason = codes.scrub(&r.reason);
    }
    for w in &mut ing.warnings {
        *w = codes.scrub(w);
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn spellings(pairs: &[(&str, &str)]) -> BTreeMap<String, String> {
        pairs
            .iter()
            .map(|(a, b)| (a.to_string(), b.to_string()))
            .collect()
    }

    #[test]
    fn codes_are_sequential_in_name_order_and_kept_across_runs() {
        let names = vec!["ben".to_string(), "ana".to_string()];
        let p = Pseudonyms::assign(&names, &BTreeMap::new(), BTreeMap::new());
        assert_eq!(p.code("ana"), "P001");
        assert_eq!(p.code("ben"), "P002");
        // Next run: a new athlete `aba` sorts first but gets the next free code.
        let existing = spellings(&[("ana", "P001"), ("ben", "P002")]);
        let names = vec!["aba".to_string(), "ana".to_string(), "ben".to_string()];
        let p = Pseudonyms::assign(&names, &BTreeMap::new(), existing);
        assert_eq!(p.code("aba"), "P003");
        assert_eq!(p.code("ana"), "P001");
    }

    #[test]
    fn scrubs_every_spelling_as_whole_words() {
        let names = vec!["ana".to_string()];
        let sp = spellings(&[("Ana Lopez", "ana"), ("ANA", "ana")]);
        let p = Pseudonyms::assign(&names, &sp, BTreeMap::new());
        assert_eq!(
            p.scrub("team/ana/runs.csv: Ana Lopez ran; banana; ANA."),
            "team/P001/runs.csv: P001 ran; banana; P001."
        );
        assert_eq!(p.scrub("analysis of anas"), "analysis of anas");
    }

    #[test]
    fn scrubs_non_ascii_names() {
        let names = vec!["Zoë Ørsted".to_string()];
        let p = Pseudonyms::assign(&names, &BTreeMap::new(), BTreeMap::new());
        assert_eq!(p.scrub("x/Zoë Ørsted/y"), "x/P001/y");
        assert_eq!(p.scrub("x/ZOË ØRSTED"), "x/P001");
        // Characters whose case forms differ in length never split or panic.
        assert_eq!(p.scrub("İzoë ørsted ẞ"), "İzoë ørsted ẞ");
    }

    #[test]
    fn scrub_never_panics_on_odd_text() {
        let names = vec!["ß".to_string(), "i̇".to_string()];
        let p = Pseudonyms::assign(&names, &BTreeMap::new(), BTreeMap::new());
        for text in ["ẞß", "İİ", "a ß b", "", "ß", "İ"] {
            let _ = p.scrub(text);
        }
    }
}
