//! The text layer under every vendor reader: bytes → text (BOM stripped, UTF-8 or a reported
//! Latin-1 fallback), the field delimiter sniffed per file, CSV records with their line
//! numbers, and the number, duration and placeholder conventions of vendor exports.

/// A file's text and what had to be done to read it.
#[derive(Debug, Clone)]
pub struct Decoded {
    pub text: String,
    /// Decoding facts a user should know (BOM stripped, Latin-1 fallback).
    pub notes: Vec<String>,
}

/// Strips a UTF-8 byte-order mark and decodes UTF-8; text that is not valid UTF-8 is read as
/// Latin-1 (every byte is a character there), and that fallback is reported.
pub fn decode(bytes: &[u8]) -> Decoded {
    let mut notes = Vec::new();
    let body = match bytes.strip_prefix(b"\xEF\xBB\xBF") {
        Some(rest) => {
            notes.push("UTF-8 byte-order mark stripped".to_string());
            rest
        }
        None => bytes,
    };
    let text = match std::str::from_utf8(body) {
        Ok(t) => t.to_string(),
        Err(e) => {
            notes.push(format!(
                "not valid UTF-8 (first bad byte at offset {}): read as Latin-1",
                e.valid_up_to()
            ));
            body.iter().map(|&b| char::from(b)).collect()
        }
    };
    Decoded { text, notes }
}

/// The field delimiter of a header line: the most frequent of `,` `;` and tab outside quotes
/// (a comma wins ties, as in every vendor export seen).
pub fn sniff_delimiter(header_line: &str) -> u8 {
    let mut counts = [0usize; 3];
    let mut quoted = false;
    for ch in header_line.chars() {
        match ch {
            '"' => quoted = !quoted,
            ',' if !quoted => counts[0] += 1,
            ';' if !quoted => counts[1] += 1,
            '\t' if !quoted => counts[2] += 1,
            _ => {}
        }
    }
    let delims = [b',', b';', b'\t'];
    let mut best = 0;
    for i in 1..3 {
        if counts[i] > counts[best] {
            best = i;
        }
    }
    delims[best]
}

/// Human name of a delimiter, for reports.
pub fn delimiter_name(d: u8) -> &'static str {
    match d {
        b';' => "semicolon",
        b'\t' => "tab",
        _ => "comma",
    }
}

/// One CSV record and the (1-based) line it starts on.
#[derive(Debug, Clone)]
pub struct Record {
    pub line: u64,
    pub cells: Vec<String>,
}

/// All records of a text (blank lines skipped), plus a reason when reading had to stop.
pub fn records(text: &str, delimiter: u8) -> (Vec<Record>, Option<(u64, String)>) {
    read_records(text, delimiter, usize::MAX)
}

/// The first record `records` would give, reading no further: enough to recognise a file's
/// header without holding every cell of a large file as text.
pub fn first_record(text: &str, delimiter: u8) -> Option<Record> {
    read_records(text, delimiter, 1).0.into_iter().next()
}

/// `records`, stopping after `limit` records.
fn read_records(text: &str, delimiter: u8, limit: usize) -> (Vec<Record>, Option<(u64, String)>) {
    let mut rdr = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .delimiter(delimiter)
        .from_reader(text.as_bytes());
    // The csv crate's own line counter lags by one record when there is no header row, so
    // lines come from the byte offset where each record starts (skipping the terminator
    // left of it).
    // (Indexed for a whole file; counted directly when only the first records are wanted.)
    let newlines: Vec<usize> = if limit == usize::MAX {
        text.bytes()
            .enumerate()
            .filter(|(_, b)| *b == b'\n')
            .map(|(i, _)| i)
            .collect()
    } else {
        Vec::new()
    };
    let bytes = text.as_bytes();
    let line_at = |byte: u64| -> u64 {
        let mut b = byte as usize;
        while b < bytes.len() && (bytes[b] == b'\r' || bytes[b] == b'\n') {
            b += 1;
        }
        let before = if limit == usize::MAX {
            newlines.partition_point(|&n| n < b)
        } else {
            bytes[..b].iter().filter(|&&c| c == b'\n').count()
        };
        before as u64 + 1
    };
    let mut out = Vec::new();
    let mut rec = csv::StringRecord::new();
    loop {
        let line = line_at(rdr.position().byte());
        match rdr.read_record(&mut rec) {
            Ok(false) => return (out, None),
            Ok(true) => {
                let line = rec.position().map_or(line, |p| line_at(p.byte()));
                if rec.iter().all(|c| c.trim().is_empty()) {
                    continue;
                }
                out.push(Record {
                    line,
                    cells: rec.iter().map(|c| c.trim().to_string()).collect(),
                });
                if out.len() >= limit {
                    return (out, None);
                }
            }
            Err(e) => {
                let line = e.position().map_or(line, |p| p.line());
                return (
                    out,
                    Some((line, format!("unreadable, reading stopped here: {e}"))),
                );
            }
        }
    }
}

/// A header cell as compared with the known names: trimmed, lowercase, HTML tags removed
/// (Strava writes `<span class="translation_missing">Type</span>` when a translation is
/// missing), `Â®` (UTF-8 `®` read as Latin-1) repaired.
pub fn header_key(cell: &str) -> String {
    let mut out = String::new();
    let mut in_tag = false;
    for ch in cell.replace("Â®", "®").replace("Â°", "°").chars() {
        match ch {
            '<' => in_tag = true,
            '>' => in_tag = false,
            '\u{feff}' => {}
            c if !in_tag => out.extend(c.to_lowercase()),
            _ => {}
        }
    }
    out.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// The decimal separator of a file's numbers.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Decimal {
    #[default]
    Point,
    Comma,
}

impl Decimal {
    pub fn describe(self) -> &'static str {
        match self {
            Decimal::Point => "decimal point",
            Decimal::Comma => "decimal comma",
        }
    }
}

/// Detects the decimal separator from a file's cells: `3,40` or `00:01:39,6` (a comma followed
/// by other than three digits) can only be a decimal comma, `6.24` only a decimal point;
/// `1,234` and `1.195` are ambiguous (thousands) and not counted. Returns the separator and
/// how many unambiguous cells of each kind were seen.
pub fn detect_decimal<'a>(cells: impl Iterator<Item = &'a str>) -> (Decimal, usize, usize) {
    let (mut point, mut comma) = (0usize, 0usize);
    for c in cells {
        let c = c.trim();
        let Some(tail) = c.rsplit(':').next() else {
            continue;
        };
        let numeric = tail.trim_start_matches('-');
        for (sep, count) in [('.', &mut point), (',', &mut comma)] {
            if let Some((int, frac)) = numeric.split_once(sep) {
                if !int.is_empty()
                    && int.chars().all(|d| d.is_ascii_digit())
                    && !frac.is_empty()
                    && frac.chars().all(|d| d.is_ascii_digit())
                    && (frac.len() != 3 || c.contains(':'))
                {
                    *count += 1;
                }
            }
        }
    }
    let dec = if comma > point {
        Decimal::Comma
    } else {
        Decimal::Point
    };
    (dec, point, comma)
}

/// Whether a cell is a vendor's "no value" mark: empty, `--`, `--:--:--` (Garmin), `NaN`,
/// `null`, `N/A`.
pub fn is_blank(t: &str) -> bool {
    let t = t.trim();
    t.is_empty()
        || (t.starts_with("--") && t.chars().all(|c| matches!(c, '-' | ':' | '.' | ',')))
        || t.eq_ignore_ascii_case("nan")
        || t.eq_ignore_ascii_case("null")
        || t.eq_ignore_ascii_case("n/a")
}

/// A number in the file's convention: thousands separators removed (`9,012` with a decimal
/// point, `2.932` with a decimal comma), blanks (`--`, `NaN`, empty) unknown.
pub fn number(t: &str, dec: Decimal) -> Result<Option<f64>, String> {
    let t = t.trim();
    if is_blank(t) {
        return Ok(None);
    }
    let cleaned: String = match dec {
        Decimal::Point => t.replace(',', ""),
        Decimal::Comma => t.replace('.', "").replace(',', "."),
    };
    let cleaned = cleaned.replace(['\u{a0}', ' ', '\''], "");
    let x: f64 = cleaned
        .parse()
        .map_err(|_| format!("{t:?} is not a number"))?;
    if !x.is_finite() {
        return Err(format!("{t:?} is not a finite number"));
    }
    Ok(Some(x))
}

/// A duration in minutes from `HH:MM:SS`, `H:MM:SS.s`, `HH:MM:SS,s`, `MM:SS`, `MM:SS.hh` or
/// plain seconds (`3631`, `3631.0`) when `bare_unit_s` says a bare number is seconds.
/// Blanks are unknown.
pub fn duration_min(t: &str, dec: Decimal) -> Result<Option<f64>, String> {
    let t = t.trim();
    if is_blank(t) {
        return Ok(None);
    }
    let parts: Vec<&str> = t.split(':').collect();
    let num = |p: &str| -> Result<f64, String> {
        let p = if dec == Decimal::Comma {
            p.replace(',', ".")
        } else {
            p.to_string()
        };
        p.trim()
            .parse::<f64>()
            .ok()
            .filter(|x| x.is_finite() && *x >= 0.0)
            .ok_or_else(|| format!("{t:?} is not a duration (HH:MM:SS)"))
    };
    let seconds = match parts.as_slice() {
        [s] => num(s)?,
        [m, s] => num(m)? * 60.0 + num(s)?,
        [h, m, s] => num(h)? * 3600.0 + num(m)? * 60.0 + num(s)?,
        _ => return Err(format!("{t:?} is not a duration (HH:MM:SS)")),
    };
    Ok(Some(seconds / 60.0))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bom_is_stripped_and_latin1_reported() {
        let d = decode(b"\xEF\xBB\xBFa;b\n");
        assert_eq!(d.text, "a;b\n");
        assert_eq!(d.notes.len(), 1);
        // "Løb" in Latin-1: ø is the single byte 0xF8.
        let d = decode(b"L\xF8b");
        assert_eq!(d.text, "Løb");
        assert!(d.notes[0].contains("Latin-1"), "{:?}", d.notes);
        assert!(decode("Løb".as_bytes()).notes.is_empty());
    }

    #[test]
    fn delimiter_is_sniffed_outside_quotes() {
        assert_eq!(sniff_delimiter("a,b,c"), b',');
        assert_eq!(sniff_delimiter("\"a,x\";b;c"), b';');
        assert_eq!(sniff_delimiter("a\tb\tc"), b'\t');
    }

    #[test]
    fn decimal_comma_is_told_from_thousands() {
        let cells = ["3,40", "1.195", "2,9", "00:01:39,6", "255"];
        assert_eq!(detect_decimal(cells.into_iter()).0, Decimal::Comma);
        let cells = ["6.24", "9,012", "2,552", "5.0"];
        assert_eq!(detect_decimal(cells.into_iter()).0, Decimal::Point);
    }

    #[test]
    fn numbers_follow_the_file_convention() {
        assert_eq!(number("9,012", Decimal::Point), Ok(Some(9012.0)));
        assert_eq!(number("2.932", Decimal::Comma), Ok(Some(2932.0)));
        assert_eq!(number("3,40", Decimal::Comma), Ok(Some(3.4)));
        assert_eq!(number("-14", Decimal::Point), Ok(Some(-14.0)));
        assert_eq!(number("--", Decimal::Point), Ok(None));
        assert_eq!(number("NaN", Decimal::Point), Ok(None));
        assert!(number("abc", Decimal::Point).is_err());
    }

    #[test]
    fn every_duration_form() {
        let close = |t: &str, d: Decimal, want: f64| {
            let got = duration_min(t, d).unwrap().unwrap();
            assert!((got - want).abs() < 1e-9, "{t}: {got} vs {want}");
        };
        close("00:54:43", Decimal::Point, 54.0 + 43.0 / 60.0);
        close("10:43:47", Decimal::Point, 643.0 + 47.0 / 60.0);
        close("00:07:38.6", Decimal::Point, 7.0 + 38.6 / 60.0);
        close("00:01:39,6", Decimal::Comma, 1.0 + 39.6 / 60.0);
        close("01:46.70", Decimal::Point, 1.0 + 46.7 / 60.0);
        close("27:50.65", Decimal::Point, 27.0 + 50.65 / 60.0);
        close("3631", Decimal::Point, 3631.0 / 60.0);
        assert_eq!(duration_min("--", Decimal::Point), Ok(None));
        assert_eq!(duration_min("--:--:--", Decimal::Point), Ok(None));
        assert!(duration_min("1:2:3:4", Decimal::Point).is_err());
    }

    #[test]
    fn header_keys_ignore_case_html_and_mojibake() {
        assert_eq!(
            header_key("<span class=\"translation_missing\" title=\"x\">Type</span>"),
            "type"
        );
        assert_eq!(
            header_key("Training Stress ScoreÂ®"),
            header_key("Training Stress Score®")
        );
        assert_eq!(header_key(" Step Count (count) "), "step count (count)");
    }
}

#[cfg(test)]
mod line_tests {
    use super::*;

    #[test]
    fn records_carry_their_first_line() {
        let (recs, stop) = records("h1,h2\r\na,\"multi\r\nline\"\r\n\r\nb,c\r\n", b',');
        assert!(stop.is_none());
        let lines: Vec<u64> = recs.iter().map(|r| r.line).collect();
        assert_eq!(lines, vec![1, 2, 5]);
    }
}
