//! The text layer under every vendor reader: bytes → text (BOM stripped, UTF-8 or a reported
//! Latin-1 fallback), the field delimiter sniffed per file, CSV records with their line
//! numbers, and the number, duration and placeholder conventions of vendor exports.

use std::io::Read;
use std::path::Path;

/// The longest physical line read (bytes): no export has lines near this, so a longer one is
/// a file that is not CSV text (or is damaged); reading stops there, naming the line, instead
/// of growing a buffer without bound.
pub const MAX_LINE_BYTES: usize = 1024 * 1024;
/// The largest vendor CSV or JSON file read into memory (bytes). Native CSVs and Apple's
/// `export.xml` are streamed and have no size limit.
pub const MAX_IN_MEMORY_BYTES: u64 = 256 * 1024 * 1024;
/// How much of a file is read to detect its content and header before reading it whole.
pub const HEAD_BYTES: usize = 64 * 1024;

/// The first [`HEAD_BYTES`] of a file.
pub fn read_head(path: &Path) -> std::io::Result<Vec<u8>> {
    let mut head = Vec::with_capacity(HEAD_BYTES);
    std::fs::File::open(path)?
        .take(HEAD_BYTES as u64)
        .read_to_end(&mut head)?;
    Ok(head)
}

/// A whole file read into memory, refused (with the reason) above [`MAX_IN_MEMORY_BYTES`].
pub fn read_limited(path: &Path) -> Result<Vec<u8>, String> {
    let size = std::fs::metadata(path)
        .map_err(|e| format!("cannot be opened: {e}"))?
        .len();
    if size > MAX_IN_MEMORY_BYTES {
        return Err(format!(
            "is {} MiB; files in this format are read into memory and the limit is {} MiB — \
             export a shorter period or split the file",
            size / (1024 * 1024),
            MAX_IN_MEMORY_BYTES / (1024 * 1024)
        ));
    }
    std::fs::read(path).map_err(|e| format!("cannot be opened: {e}"))
}

/// What a file's first bytes say it is when it is not text: a known binary signature, UTF-16
/// text, or mostly control bytes. `None` for text (which may still hold a stray NUL: those
/// rows are rejected one by one).
pub fn binary_content(head: &[u8]) -> Option<String> {
    const SIGNATURES: [(&[u8], &str); 9] = [
        (b"\x89PNG", "a PNG image"),
        (b"\xFF\xD8\xFF", "a JPEG image"),
        (b"GIF8", "a GIF image"),
        (b"%PDF", "a PDF document"),
        (
            b"PK\x03\x04",
            "a zip archive (an Excel .xlsx workbook is one: save it as CSV)",
        ),
        (b"\x1F\x8B", "a gzip archive (unpack it first)"),
        (
            b"\xD0\xCF\x11\xE0",
            "an old Excel .xls workbook (save it as CSV)",
        ),
        (b"SQLite format 3", "an SQLite database"),
        (b"7z\xBC\xAF", "a 7-zip archive (unpack it first)"),
    ];
    if let Some((_, what)) = SIGNATURES.iter().find(|(sig, _)| head.starts_with(sig)) {
        return Some(format!("binary content: {what}"));
    }
    let utf16_bom = head.starts_with(b"\xFF\xFE") || head.starts_with(b"\xFE\xFF");
    let sample = &head[..head.len().min(4096)];
    let nul = sample.iter().filter(|&&b| b == 0).count();
    // UTF-16 text of ASCII letters has a NUL in every other byte.
    if utf16_bom || (sample.len() >= 8 && nul * 3 >= sample.len()) {
        return Some(
            "UTF-16 text (Excel's \"Unicode Text\"): save it as \"CSV UTF-8\" and run again"
                .to_string(),
        );
    }
    let control = sample
        .iter()
        .filter(|&&b| (b < 0x20 && !matches!(b, b'\t' | b'\n' | b'\r' | 0x0C)) || b == 0x7F)
        .count();
    if !sample.is_empty() && control * 10 > sample.len() {
        return Some(format!(
            "binary content ({control} of the first {} bytes are control bytes), not CSV text",
            sample.len()
        ));
    }
    None
}

/// The first line longer than `limit` bytes: its (1-based) number and where it starts.
pub fn first_long_line(bytes: &[u8], limit: usize) -> Option<(u64, usize)> {
    let mut start = 0;
    for (n, line) in bytes.split(|&b| b == b'\n').enumerate() {
        if line.len() > limit {
            return Some((n as u64 + 1, start));
        }
        start += line.len() + 1;
    }
    None
}

/// What a rejected row that spans several lines adds to its reason: a quote left open (a
/// truncated or hand-edited file) makes every line up to the next quote one cell.
pub fn span_note(line: u64, end_line: u64) -> String {
    if end_line > line {
        format!(
            " (this row spans lines {line}–{end_line}: a quoted cell holds line breaks — if that \
             is not intended, a quote `\"` opened on line {line} is not closed)"
        )
    } else {
        String::new()
    }
}

/// Whether a record's cells swallowed whole rows: a cell holding a line break followed by a
/// line with as many delimiters as a row has (a quote opened and never closed — a truncated
/// download or a hand edit — makes the lines up to the next quote one cell). Multi-line
/// descriptions do not look like that.
pub fn swallowed_rows<'a>(
    cells: impl IntoIterator<Item = &'a str>,
    delimiter: u8,
    fields: usize,
) -> bool {
    let delimiter = char::from(delimiter);
    fields >= 2
        && cells.into_iter().any(|c| {
            c.lines()
                .skip(1)
                .any(|l| l.matches(delimiter).count() + 1 >= fields)
        })
}

/// The reason of a record that swallowed rows.
pub fn swallowed_reason(line: u64, end_line: u64) -> String {
    format!(
        "a quote `\"` opened on line {line} is not closed until line {end_line}: the lines between \
         look like rows and were read into one cell — close the quote (or remove it) and run again"
    )
}

/// The reason a file's reading stops at an over-long line.
pub fn long_line_reason(line: u64) -> String {
    format!(
        "line {line} is longer than {} MiB: reading stopped here (not CSV text, or a damaged file)",
        MAX_LINE_BYTES / (1024 * 1024)
    )
}

/// Line ends made `\n`: `\r\n` (Windows) and a lone `\r` (old Mac Excel "CSV (Macintosh)")
/// both become `\n`, so every reader counts lines the same way.
pub fn normalize_line_ends(bytes: Vec<u8>) -> Vec<u8> {
    if !bytes.contains(&b'\r') {
        return bytes;
    }
    let mut out = Vec::with_capacity(bytes.len());
    let mut after_cr = false;
    for b in bytes {
        if b == b'\n' && after_cr {
            after_cr = false;
            continue;
        }
        after_cr = b == b'\r';
        out.push(if after_cr { b'\n' } else { b });
    }
    out
}

/// A streaming reader that makes line ends `\n` (as [`normalize_line_ends`]) and fails with
/// [`long_line_reason`] as soon as one line exceeds [`MAX_LINE_BYTES`], so a streamed file
/// never makes a parser buffer grow without bound.
pub struct LineLimit<R> {
    inner: R,
    line: u64,
    in_line: usize,
    limit: usize,
    after_cr: bool,
    /// Bytes handed out so far.
    out_pos: u64,
    /// Where the blank lines handed out (and not yet asked about) start, in the bytes handed
    /// out: a CSV parser skips them, and `blank_lines_at` tells how many it skipped.
    blanks: std::collections::VecDeque<u64>,
}

impl<R> LineLimit<R> {
    pub fn new(inner: R) -> Self {
        LineLimit::with_limit(inner, MAX_LINE_BYTES)
    }
    pub fn with_limit(inner: R, limit: usize) -> Self {
        LineLimit {
            inner,
            line: 1,
            in_line: 0,
            limit,
            after_cr: false,
            out_pos: 0,
            blanks: std::collections::VecDeque::new(),
        }
    }

    /// Counts the lines of `chunk` (which has no `\r` and is handed out as it is): the blank
    /// lines' places and the over-long line, exactly as the byte loop of `read` does.
    fn scan_lines(&mut self, chunk: &[u8]) -> std::io::Result<()> {
        let mut start = 0;
        for end in memchr::memchr_iter(b'\n', chunk) {
            let len = self.in_line + (end - start);
            if len > self.limit {
                return Err(self.too_long());
            }
            if len == 0 {
                // Nothing since the last line end: a blank line starts here.
                self.blanks.push_back(self.out_pos + end as u64);
            }
            self.line += 1;
            self.in_line = 0;
            start = end + 1;
        }
        self.in_line += chunk.len() - start;
        if self.in_line > self.limit {
            return Err(self.too_long());
        }
        Ok(())
    }

    fn too_long(&self) -> std::io::Error {
        std::io::Error::new(std::io::ErrorKind::InvalidData, long_line_reason(self.line))
    }

    /// How many blank lines start at byte `at` of the bytes handed out, one after the other:
    /// the lines a CSV parser skipped before a record it places at `at`. Forgets the blank
    /// lines before `at` (records are asked about in order, so what is kept stays small).
    pub fn blank_lines_at(&mut self, at: u64) -> u64 {
        while self.blanks.front().is_some_and(|&b| b < at) {
            self.blanks.pop_front();
        }
        let mut n = 0;
        while self.blanks.front() == Some(&(at + n)) {
            self.blanks.pop_front();
            n += 1;
        }
        n
    }
}

impl<R: Read> Read for LineLimit<R> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        loop {
            let n = self.inner.read(buf)?;
            if n > 0 && !self.after_cr && memchr::memchr(b'\r', &buf[..n]).is_none() {
                // Nothing to rewrite (no `\r`): only the line lengths and the blank lines
                // matter, found line end by line end instead of byte by byte.
                self.scan_lines(&buf[..n])?;
                self.out_pos += n as u64;
                return Ok(n);
            }
            let mut kept = 0;
            for i in 0..n {
                let mut b = buf[i];
                if b == b'\n' && self.after_cr {
                    // The `\n` of a `\r\n`: the `\r` already ended the line.
                    self.after_cr = false;
                    continue;
                }
                self.after_cr = b == b'\r';
                if self.after_cr {
                    b = b'\n';
                }
                buf[kept] = b;
                kept += 1;
                if b == b'\n' {
                    if self.in_line == 0 {
                        // Nothing since the last line end: a blank line starts here.
                        self.blanks.push_back(self.out_pos + (kept - 1) as u64);
                    }
                    self.line += 1;
                    self.in_line = 0;
                } else {
                    self.in_line += 1;
                    if self.in_line > self.limit {
                        return Err(self.too_long());
                    }
                }
            }
            self.out_pos += kept as u64;
            // Returning 0 would mean the end: read on when only a dropped `\n` came.
            if kept > 0 || n == 0 {
                return Ok(kept);
            }
        }
    }
}

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
    /// The line the record ends on (after `line` when a quoted cell holds line breaks).
    pub end_line: u64,
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
                // The record's last line: the one holding the byte before the next record.
                let next = rdr.position().byte() as usize;
                let end_line = newlines.partition_point(|&n| n < next.saturating_sub(1)) as u64 + 1;
                out.push(Record {
                    line,
                    end_line: end_line.max(line),
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
    // A separator that is not the file's decimal one is a thousands separator only where it
    // groups three digits (`9,012`); `2,81` in a decimal-point file (one cell re-saved by a
    // spreadsheet in another locale) can only be a decimal, and is read as one — removing
    // the comma would make 2.81 km into 281 km.
    let cleaned: String = match (dec, foreign_decimal(t, dec)) {
        (Decimal::Point, false) | (Decimal::Comma, true) => t.replace(',', ""),
        (Decimal::Comma, false) | (Decimal::Point, true) => t.replace('.', "").replace(',', "."),
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

/// Whether a number cell uses the other convention's decimal separator: one `,` (in a
/// decimal-point file) or one `.` (in a decimal-comma file) that does not group exactly
/// three digits, with no separator of the file's own kind (`2,81`, `1.5`). Such a cell is
/// unambiguous: a thousands separator always groups three digits.
pub fn foreign_decimal(t: &str, dec: Decimal) -> bool {
    let (foreign, own) = match dec {
        Decimal::Point => (',', '.'),
        Decimal::Comma => ('.', ','),
    };
    let t = t.trim().trim_start_matches(['-', '+']);
    if t.contains(own) || t.matches(foreign).count() != 1 {
        return false;
    }
    let Some((int, frac)) = t.split_once(foreign) else {
        return false;
    };
    !int.is_empty()
        && int.chars().all(|c| c.is_ascii_digit())
        && !frac.is_empty()
        && frac.chars().all(|c| c.is_ascii_digit())
        && frac.len() != 3
}

/// A note naming the cells written with the other convention's decimal separator (read as
/// decimals, see [`foreign_decimal`]), so a re-saved cell is never read silently. Time-like
/// cells (`00:01:39,6`) are not numbers and not counted.
pub fn foreign_decimal_note(data: &[Record], dec: Decimal) -> Option<String> {
    let mut hits = data.iter().flat_map(|r| {
        r.cells
            .iter()
            .filter(|c| !c.contains(':') && foreign_decimal(c, dec))
            .map(move |c| (r.line, c))
    });
    let (line, first) = hits.next()?;
    let more = hits.count();
    let other = match dec {
        Decimal::Point => "decimal comma",
        Decimal::Comma => "decimal point",
    };
    Some(format!(
        "{} cell(s) written with a {other} in a {} file (first: {first:?} on line {line}) read as decimals",
        more + 1,
        dec.describe()
    ))
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
    fn a_decimal_of_the_other_convention_is_not_a_thousands_separator() {
        // Issue 16: "2,81" (a re-saved cell) in a decimal-point Garmin file was read as 281.
        // A comma that groups two digits cannot be a thousands separator: 2.81.
        assert_eq!(number("2,81", Decimal::Point), Ok(Some(2.81)));
        assert_eq!(number("-0,5", Decimal::Point), Ok(Some(-0.5)));
        // Three digits after the comma stay thousands (Garmin's "9,012" steps).
        assert_eq!(number("9,012", Decimal::Point), Ok(Some(9012.0)));
        assert_eq!(number("1,234,567", Decimal::Point), Ok(Some(1_234_567.0)));
        // The mirror case in a decimal-comma file: "1.5" is 1.5, "1.195" is 1195.
        assert_eq!(number("1.5", Decimal::Comma), Ok(Some(1.5)));
        assert_eq!(number("1.195", Decimal::Comma), Ok(Some(1195.0)));
        assert_eq!(number("1.195,5", Decimal::Comma), Ok(Some(1195.5)));
        assert!(foreign_decimal("2,81", Decimal::Point));
        assert!(!foreign_decimal("2.81", Decimal::Point));
        assert!(!foreign_decimal("9,012", Decimal::Point));
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
    fn rows_swallowed_by_an_open_quote_are_seen() {
        let (recs, _) = records("a,b,c\n1,2,\"x\n3,4,5\n6,7,8\n", b',');
        assert_eq!(recs.len(), 2);
        let cells = recs[1].cells.iter().map(String::as_str);
        assert!(swallowed_rows(cells, b',', 3));
        // A description with line breaks is not a swallowed row.
        let (recs, _) = records("a,b,c\n1,2,\"Easy one\n-- from COROS\"\n", b',');
        let cells = recs[1].cells.iter().map(String::as_str);
        assert!(!swallowed_rows(cells, b',', 3));
    }

    #[test]
    fn binary_files_are_named() {
        let png = b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR";
        assert!(binary_content(png).unwrap().contains("PNG image"));
        assert!(binary_content(b"PK\x03\x04\x14\0")
            .unwrap()
            .contains("xlsx"));
        let utf16: Vec<u8> = "\u{feff}date,steps\r\n"
            .encode_utf16()
            .flat_map(u16::to_le_bytes)
            .collect();
        assert!(binary_content(&utf16).unwrap().contains("UTF-16"));
        let noise: Vec<u8> = (0u8..=255).cycle().take(1000).collect();
        assert!(binary_content(&noise).is_some());
        // Text with one stray NUL is text: the row holding it is rejected on its own.
        assert_eq!(binary_content(b"date,steps\n2025-01-01,1\0\n"), None);
        assert_eq!(binary_content("a;b\nø;1\n".as_bytes()), None);
    }

    #[test]
    fn long_lines_stop_reading_with_their_number() {
        let text = b"a,b\n1,2\n3456789\n";
        assert_eq!(first_long_line(text, 5), Some((3, 8)));
        assert_eq!(first_long_line(text, 7), None);
        let mut out = Vec::new();
        let err = LineLimit::with_limit(&text[..], 5)
            .read_to_end(&mut out)
            .unwrap_err();
        assert!(err.to_string().starts_with("line 3 is longer"), "{err}");
        let mut out = Vec::new();
        assert!(LineLimit::with_limit(&text[..], 7)
            .read_to_end(&mut out)
            .is_ok());
        // Every line end becomes `\n`, in one pass or byte by byte.
        let mixed = b"a\r\nb\rc\n\r\nd".to_vec();
        assert_eq!(normalize_line_ends(mixed.clone()), b"a\nb\nc\n\nd");
        let mut out = Vec::new();
        let mut one_byte = [0u8; 1];
        let mut r = LineLimit::new(&mixed[..]);
        while let Ok(1) = r.read(&mut one_byte) {
            out.push(one_byte[0]);
        }
        assert_eq!(out, b"a\nb\nc\n\nd");
    }

    #[test]
    fn blank_lines_are_found_where_a_parser_skips_them() {
        // Bytes handed out: "h\n" 0–1, blank 2, blank 3 (a `\r\n`), "a\n" 4–5, blank 6,
        // "b" 7 — read byte by byte so the positions span many reads.
        let text = b"h\n\n\r\na\n\nb";
        let mut r = LineLimit::new(&text[..]);
        let mut one_byte = [0u8; 1];
        while let Ok(1) = r.read(&mut one_byte) {}
        assert_eq!(r.blank_lines_at(0), 0);
        // A record placed at byte 2 (after "h\n") starts two blank lines later.
        assert_eq!(r.blank_lines_at(2), 2);
        assert_eq!(r.blank_lines_at(4), 0);
        assert_eq!(r.blank_lines_at(6), 1);
        // Asked again: forgotten (each blank line is counted once).
        assert_eq!(r.blank_lines_at(6), 0);
    }

    #[test]
    fn records_carry_their_first_line() {
        let (recs, stop) = records("h1,h2\r\na,\"multi\r\nline\"\r\n\r\nb,c\r\n", b',');
        assert!(stop.is_none());
        let lines: Vec<u64> = recs.iter().map(|r| r.line).collect();
        assert_eq!(lines, vec![1, 2, 5]);
        let ends: Vec<u64> = recs.iter().map(|r| r.end_line).collect();
        assert_eq!(ends, vec![1, 3, 5]);
        // Without a final line end too.
        let (recs, _) = records("h\n\"a\nb\"", b',');
        assert_eq!((recs[1].line, recs[1].end_line), (2, 3));
    }
}

#[cfg(test)]
mod properties {
    use super::*;
    use proptest::prelude::*;

    /// `x` written with thousands groups of three digits separated by `sep`.
    fn grouped(n: u64, sep: char) -> String {
        let digits = n.to_string();
        let mut out = String::new();
        for (i, d) in digits.chars().enumerate() {
            if i > 0 && (digits.len() - i).is_multiple_of(3) {
                out.push(sep);
            }
            out.push(d);
        }
        out
    }

    proptest! {
        /// Read in chunks of any size, the line counting (the fast scan of chunks without
        /// `\r`, the byte loop of the others) finds the first over-long line, and the blank
        /// lines, where a count over the normalised text does.
        #[test]
        fn line_limit_counts_lines_in_any_chunking(
            bytes in prop::collection::vec(prop::sample::select(vec![b'a', b'\n', b'\r']), 0..60),
            limit in 0usize..6,
            chunk in 1usize..9,
        ) {
            let whole = normalize_line_ends(bytes.clone());
            let mut r = LineLimit::with_limit(&bytes[..], limit);
            let mut streamed = Vec::new();
            let mut buf = vec![0u8; chunk];
            let outcome = loop {
                match r.read(&mut buf) {
                    Ok(0) => break Ok(()),
                    Ok(n) => streamed.extend_from_slice(&buf[..n]),
                    Err(e) => break Err(e.to_string()),
                }
            };
            match first_long_line(&whole, limit) {
                Some((line, _)) => {
                    let err = outcome.expect_err("an over-long line must stop the reading");
                    prop_assert!(err.starts_with(&format!("line {line} is longer")), "{}", err);
                }
                None => {
                    prop_assert!(outcome.is_ok());
                    prop_assert_eq!(&streamed, &whole);
                    let blanks: Vec<u64> = (0..whole.len())
                        .filter(|&p| whole[p] == b'\n' && (p == 0 || whole[p - 1] == b'\n'))
                        .map(|p| p as u64)
                        .collect();
                    prop_assert_eq!(r.blanks.iter().copied().collect::<Vec<_>>(), blanks);
                }
            }
        }

        /// No text makes a parser panic; whatever a number parser accepts is finite, and a
        /// duration is never negative.
        #[test]
        fn parsers_never_panic(t in any::<String>()) {
            for dec in [Decimal::Point, Decimal::Comma] {
                if let Ok(Some(x)) = number(&t, dec) {
                    prop_assert!(x.is_finite());
                }
                if let Ok(Some(m)) = duration_min(&t, dec) {
                    prop_assert!(m.is_finite() && m >= 0.0);
                }
            }
            let _ = is_blank(&t);
            let _ = header_key(&t);
            let _ = sniff_delimiter(&t);
            let _ = detect_decimal(t.split(',').chain(t.split(';')));
            for d in [b',', b';', b'\t'] {
                let (recs, _) = records(&t, d);
                let lines = t.matches('\n').count() as u64 + 1;
                prop_assert!(recs.windows(2).all(|w| w[0].line <= w[1].line));
                prop_assert!(recs.iter().all(|r| r.line >= 1 && r.line <= lines));
            }
        }

        /// Any bytes: decoding, binary sniffing and line handling never panic; valid UTF-8
        /// without a BOM decodes to itself; streamed and whole-file line-end normalising agree
        /// whatever the read sizes.
        #[test]
        fn byte_layers_never_panic(bytes in proptest::collection::vec(any::<u8>(), 0..600),
                                   chunk in 1usize..17) {
            let d = decode(&bytes);
            if let Ok(s) = std::str::from_utf8(&bytes) {
                if !s.starts_with('\u{feff}') {
                    prop_assert_eq!(&d.text, s);
                }
            }
            let _ = binary_content(&bytes);
            let _ = first_long_line(&bytes, 10);
            let whole = normalize_line_ends(bytes.clone());
            prop_assert!(!whole.contains(&b'\r'));
            let mut streamed = Vec::new();
            let mut r = LineLimit::with_limit(&bytes[..], usize::MAX);
            let mut buf = vec![0u8; chunk];
            loop {
                let n = r.read(&mut buf).unwrap();
                if n == 0 { break; }
                streamed.extend_from_slice(&buf[..n]);
            }
            prop_assert_eq!(streamed, whole);
        }

        /// A decimal number reads back as itself, with a decimal point or a decimal comma.
        #[test]
        fn decimals_round_trip(x in -1.0e6f64..1.0e6) {
            let x = (x * 1000.0).round() / 1000.0;
            let point = format!("{x}");
            prop_assert_eq!(number(&point, Decimal::Point), Ok(Some(x)));
            prop_assert_eq!(number(&point.replace('.', ","), Decimal::Comma), Ok(Some(x)));
            prop_assert_eq!(number(&format!("  {point} "), Decimal::Point), Ok(Some(x)));
        }

        /// Thousands separators (`,` with a decimal point, `.` with a decimal comma, a space
        /// or an apostrophe with either) are dropped.
        #[test]
        fn thousands_separators_are_dropped(n in 0u64..10_000_000_000) {
            let want = Ok(Some(n as f64));
            prop_assert_eq!(number(&grouped(n, ','), Decimal::Point), want.clone());
            prop_assert_eq!(number(&grouped(n, '.'), Decimal::Comma), want.clone());
            prop_assert_eq!(number(&grouped(n, '\''), Decimal::Point), want.clone());
            prop_assert_eq!(number(&grouped(n, '\u{a0}'), Decimal::Comma), want);
        }

        /// Vendor placeholders are unknown, never 0, in every case and padding.
        #[test]
        fn placeholders_are_unknown(
            p in prop::sample::select(vec!["", "--", "--:--:--", "--.-", "NaN", "nan", "null", "NULL", "N/A", "n/a"]),
            pad in prop::sample::select(vec!["", " ", "  ", "\t"]),
        ) {
            let t = format!("{pad}{p}{pad}");
            prop_assert_eq!(number(&t, Decimal::Point), Ok(None));
            prop_assert_eq!(number(&t, Decimal::Comma), Ok(None));
            prop_assert_eq!(duration_min(&t, Decimal::Point), Ok(None));
        }

        /// Every duration form gives the same minutes: `H:MM:SS`, `HH:MM:SS.f`, `HH:MM:SS,f`
        /// (decimal comma), `MM:SS.f` and plain seconds.
        #[test]
        fn durations_in_every_form(h in 0u32..30, m in 0u32..60, s in 0u32..60, tenth in 0u32..10) {
            let want = f64::from(h * 60 + m) + (f64::from(s) + f64::from(tenth) / 10.0) / 60.0;
            let close = |text: String, dec: Decimal| {
                duration_min(&text, dec).ok().flatten().is_some_and(|g| (g - want).abs() < 1e-9)
            };
            let hms_point = format!("{h}:{m:02}:{s:02}.{tenth}");
            let hms_comma = format!("{h:02}:{m:02}:{s:02},{tenth}");
            let seconds = f64::from(h * 3600 + m * 60 + s) + f64::from(tenth) / 10.0;
            let plain = format!("{seconds}");
            let ms = format!("{m:02}:{s:02}.{tenth}");
            prop_assert!(close(hms_point, Decimal::Point));
            prop_assert!(close(hms_comma, Decimal::Comma));
            prop_assert!(close(plain, Decimal::Point));
            if h == 0 {
                prop_assert!(close(ms, Decimal::Point));
            }
            // A negative part is not a duration.
            if h > 0 {
                let negative = format!("-{h}:{m:02}:{s:02}");
                prop_assert!(duration_min(&negative, Decimal::Point).is_err());
            }
        }
    }
}
