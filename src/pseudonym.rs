//! Pseudonymisation: stable codes (`P001`, `P002`, …) in place of athlete names in every
//! output, with the code-to-name key kept in one file. Codes are sequential, not derived from
//! the names, so a code cannot be reversed by trying names; they are stable because the key of
//! the previous run (if present) is read back and extended, never renumbered.

use std::collections::{BTreeMap, HashMap};
use std::io::Write;
use std::path::Path;

use anyhow::Context;
use polars::prelude::{Column, DataFrame, DataType};

/// The name → code table, and every spelling to scrub from free text.
pub struct Pseudonyms {
    codes: BTreeMap<String, String>,
    /// (lower-case spelling, code), longest first so `Ana Lopez` is replaced before `Ana`.
    spellings: Vec<(String, String)>,
    /// Name key (`safe_text::name_key`: Unicode-normalised, case- and space-insensitive) of
    /// every spelling → code: a whole path component or quoted text equal to a name.
    keys: HashMap<String, String>,
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
        let mut keys = HashMap::new();
        let all = codes.iter().map(|(name, code)| (name, Some(code))).chain(
            spellings
                .iter()
                .map(|(raw, athlete)| (raw, codes.get(athlete))),
        );
        for (raw, code) in all {
            let Some(code) = code else { continue };
            // Compared in NFC, as the text they are looked for in.
            let shown = nfc(&raw.split_whitespace().collect::<Vec<_>>().join(" "));
            if !shown.is_empty() {
                list.push((shown.to_lowercase(), code.clone()));
            }
            let key = crate::safe_text::name_key(raw);
            if !key.is_empty() {
                keys.insert(key, code.clone());
            }
        }
        list.sort_by(|a, b| b.0.len().cmp(&a.0.len()).then(a.cmp(b)));
        list.dedup();
        Pseudonyms {
            codes,
            spellings: list,
            keys,
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
                    // The key was written with formula marks (`'=Eve`): read back the name.
                    map.insert(crate::safe_text::from_csv_cell(name), code.to_string());
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

    /// The athlete a code stands for (`--athlete P001` under `--pseudonymize`).
    pub fn athlete_of(&self, code: &str) -> Option<&str> {
        self.codes
            .iter()
            .find(|(_, c)| c.eq_ignore_ascii_case(code.trim()))
            .map(|(n, _)| n.as_str())
    }

    /// The codes, in order (named in errors instead of the names).
    pub fn all_codes(&self) -> Vec<&str> {
        let mut codes: Vec<&str> = self.codes.values().map(String::as_str).collect();
        codes.sort();
        codes
    }

    /// Free text with every known spelling of every athlete replaced by its code. Matches are
    /// case-insensitive and whole words (letters and digits around a match prevent it), so
    /// `ana` is replaced in `team/ana/runs.csv` but not in `banana`. The text is compared in
    /// NFC, so a name typed with combining accents is found too.
    pub fn scrub(&self, text: &str) -> String {
        let mut out = nfc(text);
        for (spelling, code) in &self.spellings {
            out = replace_word(&out, spelling, code);
        }
        out
    }

    /// A path with every component that is a name (the whole component, or its stem, after
    /// Unicode normalisation) replaced by its code, and names inside other components as
    /// whole words (`team/Jose\u{301}/a.csv` → `team/P005/a.csv`).
    pub fn scrub_path(&self, path: &str) -> String {
        let mut out = String::with_capacity(path.len());
        let mut last = 0;
        for (i, c) in path.char_indices() {
            if c == '/' || c == '\\' {
                out.push_str(&self.scrub_component(&path[last..i]));
                out.push(c);
                last = i + 1;
            }
        }
        out.push_str(&self.scrub_component(&path[last..]));
        out
    }

    fn scrub_component(&self, part: &str) -> String {
        if let Some(code) = self.keys.get(&crate::safe_text::name_key(part)) {
            return code.clone();
        }
        if let Some((stem, ext)) = part.rsplit_once('.') {
            if let Some(code) = self.keys.get(&crate::safe_text::name_key(stem)) {
                return format!("{code}.{ext}");
            }
        }
        self.scrub(part)
    }

    /// A message or note with names replaced where names can be: text in double quotes (a
    /// name as the messages quote it, escapes included) and paths (words with a `/` or `\`).
    /// Other words are left alone, so `heat` and `low` in a message stay words.
    pub fn scrub_text(&self, text: &str) -> String {
        let mut out = String::with_capacity(text.len());
        let mut rest = text;
        while let Some(open) = rest.find('"') {
            self.scrub_words(&rest[..open], &mut out);
            let after = &rest[open + 1..];
            let close = quoted_end(after);
            match close {
                Some(close) => {
                    out.push('"');
                    out.push_str(&self.scrub_quoted(&after[..close]));
                    out.push('"');
                    rest = &after[close + 1..];
                }
                None => {
                    out.push('"');
                    self.scrub_words(after, &mut out);
                    rest = "";
                }
            }
        }
        self.scrub_words(rest, &mut out);
        out
    }

    fn scrub_quoted(&self, quoted: &str) -> String {
        let plain = unescape_debug(quoted);
        if let Some(code) = self.keys.get(&crate::safe_text::name_key(&plain)) {
            return code.clone();
        }
        if quoted.contains(['/', '\\']) {
            return self.scrub_path(quoted);
        }
        self.scrub(quoted)
    }

    /// Words of unquoted text: paths scrubbed, other words kept.
    fn scrub_words(&self, text: &str, out: &mut String) {
        let mut last = 0;
        for (i, c) in text.char_indices() {
            if c.is_whitespace() {
                self.scrub_word(&text[last..i], out);
                out.push(c);
                last = i + c.len_utf8();
            }
        }
        self.scrub_word(&text[last..], out);
    }

    fn scrub_word(&self, word: &str, out: &mut String) {
        if word.contains(['/', '\\']) {
            out.push_str(&self.scrub_path(word));
        } else {
            out.push_str(word);
        }
    }

    /// Writes `code,athlete` rows, by code.
    pub fn write_key(&self, w: &mut dyn Write) -> anyhow::Result<()> {
        let mut rows: Vec<(&String, &String)> = self.codes.iter().map(|(n, c)| (c, n)).collect();
        rows.sort();
        let mut csv = csv::Writer::from_writer(w);
        csv.write_record(["code", "athlete"])?;
        for (code, name) in rows {
            csv.write_record([code.as_str(), crate::safe_text::csv_cell(name).as_ref()])?;
        }
        csv.flush()?;
        Ok(())
    }
}

fn nfc(text: &str) -> String {
    use unicode_normalization::UnicodeNormalization;
    text.nfc().collect()
}

/// Where quoted text that starts just after an opening `"` ends (the closing `"` not escaped
/// with a backslash, as `{:?}` writes it).
fn quoted_end(after: &str) -> Option<usize> {
    let mut escaped = false;
    for (i, c) in after.char_indices() {
        match c {
            '\\' if !escaped => escaped = true,
            '"' if !escaped => return Some(i),
            _ => escaped = false,
        }
    }
    None
}

/// Undoes the escapes of `{:?}` and of `safe_text` (`\u{301}`, `\"`, `\\`, `\n`) so a quoted
/// name is compared as written.
fn unescape_debug(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        if c != '\\' {
            out.push(c);
            continue;
        }
        match chars.next() {
            Some('u') if chars.peek() == Some(&'{') => {
                chars.next();
                let hex: String = chars.by_ref().take_while(|&h| h != '}').collect();
                if let Some(ch) = u32::from_str_radix(&hex, 16).ok().and_then(char::from_u32) {
                    out.push(ch);
                }
            }
            Some('n') => out.push('\n'),
            Some('t') => out.push('\t'),
            Some('r') => out.push('\r'),
            Some(other) => out.push(other),
            None => out.push('\\'),
        }
    }
    out
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

/// Replaces the athlete names of a table (the `athlete` column, and names quoted in its text
/// columns) by their codes.
pub fn recode(df: &mut DataFrame, codes: &Pseudonyms) -> anyhow::Result<()> {
    if df.height() == 0 {
        return Ok(());
    }
    let names = df.column(crate::schema::ATHLETE)?.str()?.clone();
    let coded: Vec<Option<String>> = names
        .iter()
        .map(|n| n.map(|n| codes.code(n).to_string()))
        .collect();
    df.with_column(Column::new(crate::schema::ATHLETE.into(), coded))?;
    // Free-text columns could quote a name (a location note, a reason): quoted text and
    // paths only, so band and factor words stay.
    let texts: Vec<String> = df
        .columns()
        .iter()
        .filter(|c| c.dtype() == &DataType::String && c.name().as_str() != crate::schema::ATHLETE)
        .map(|c| c.name().to_string())
        .collect();
    for name in texts {
        let scrubbed: Vec<Option<String>> = df
            .column(&name)?
            .str()?
            .iter()
            .map(|v| v.map(|v| codes.scrub_text(v)))
            .collect();
        df.with_column(Column::new(name.into(), scrubbed))?;
    }
    Ok(())
}

/// Replaces athlete names by their codes everywhere an output could show them: the daily and
/// athlete tables, the team summary, file paths, rejection reasons and warnings.
pub fn apply(
    analysis: &mut crate::compute::Analysis,
    team: &mut DataFrame,
    codes: &Pseudonyms,
) -> anyhow::Result<()> {
    let recode = |df: &mut DataFrame| recode(df, codes);
    recode(&mut analysis.daily)?;
    recode(&mut analysis.athletes)?;
    recode(team)?;
    let ing = &mut analysis.ingested;
    for f in &mut ing.files {
        f.path = std::path::PathBuf::from(codes.scrub_path(&f.path.to_string_lossy()));
        f.skipped = f.skipped.as_ref().map(|s| codes.scrub_text(s));
        for n in &mut f.notes {
            *n = codes.scrub_text(n);
        }
    }
    if let Some(p) = &ing.profiles_path {
        ing.profiles_path = Some(std::path::PathBuf::from(
            codes.scrub_path(&p.to_string_lossy()),
        ));
    }
    for r in &mut ing.rejections {
        r.file = codes.scrub_path(&r.file);
        r.reason = codes.scrub_text(&r.reason);
    }
    for w in &mut ing.warnings {
        *w = codes.scrub_text(w);
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
