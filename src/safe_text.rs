//! Text from input files made safe where it is shown: spreadsheet cells that cannot run as
//! formulas, terminal text without control sequences, HTML text without bidi overrides, and the
//! name key (Unicode-normalised) under which two spellings are one athlete.

use std::borrow::Cow;

use unicode_normalization::UnicodeNormalization;

/// Characters a spreadsheet starts a formula with: the ASCII signs and their full-width and
/// small forms, which East-Asian spreadsheets fold to ASCII (`＝SUM(…)` runs as `=SUM(…)`).
const fn is_formula_sign(c: char) -> bool {
    matches!(
        c,
        '=' | '+'
            | '-'
            | '@'
            | '\u{FF1D}' // ＝
            | '\u{FF0B}' // ＋
            | '\u{FF0D}' // －
            | '\u{FF20}' // ＠
            | '\u{FE66}' // ﹦
            | '\u{FE62}' // ﹢
            | '\u{FE63}' // ﹣
            | '\u{FE6B}' // ﹫
            | '\u{2212}' // − minus sign
    )
}

/// Characters that can stand before a formula sign without being seen: every Unicode space
/// (tab, NBSP, ideographic space, …) and the invisible format characters.
fn is_blank(c: char) -> bool {
    c.is_whitespace() || is_invisible(c)
}

/// Zero-width and other invisible format characters that do not change how a name reads.
fn is_invisible(c: char) -> bool {
    matches!(
        c,
        '\u{00AD}' // soft hyphen
            | '\u{180E}'
            | '\u{200B}'..='\u{200F}'
            | '\u{202A}'..='\u{202E}'
            | '\u{2060}'..='\u{2064}'
            | '\u{2066}'..='\u{2069}'
            | '\u{FEFF}'
    )
}

/// Where a spreadsheet may start a new cell inside our cell: a comma-separated file opened
/// with `;` (the European list separator) or tab as separator splits there, and a quote in
/// the middle of its field does not protect what follows.
fn is_cell_break(c: char) -> bool {
    matches!(c, ',' | ';' | '\t' | '\r' | '\n')
}

/// Whether a piece of a cell (from its start or just after a cell break) would be read as a
/// formula: after any blanks, a formula sign.
fn starts_formula(piece: &str) -> bool {
    piece
        .chars()
        .find(|&c| !is_blank(c))
        .is_some_and(is_formula_sign)
}

/// Whether a piece of a cell needs the apostrophe: it would be a formula, or (at the cell's
/// start) it starts with a tab or carriage return. Apostrophes already in front are looked
/// through, so a cell that starts with `'=` gets one more and [`from_csv_cell`] can undo it.
fn needs_mark(piece: &str, at_start: bool) -> bool {
    let rest = piece.trim_start_matches('\'');
    starts_formula(rest) || (at_start && rest.starts_with(['\t', '\r']))
}

/// Neutralises a CSV cell a spreadsheet could run as a formula, however it splits the line:
/// the cell, and every piece after a `,` `;` tab or line break in it, that starts (after any
/// spaces, NBSP or invisible characters) with `=` `+` `-` `@` or their full-width forms gets
/// an apostrophe in front — the spreadsheets' own "this is text" mark (OWASP's advice). A cell
/// starting with a tab or carriage return is marked too. Other text is returned unchanged.
pub fn csv_cell(text: &str) -> Cow<'_, str> {
    let marks = mark_positions(text, false);
    if marks.is_empty() {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len() + marks.len());
    let mut last = 0;
    for at in marks {
        out.push_str(&text[last..at]);
        out.push('\'');
        last = at;
    }
    out.push_str(&text[last..]);
    Cow::Owned(out)
}

/// The text [`csv_cell`] was given, from what it wrote (read back from a file the tool wrote,
/// as the pseudonym key): the marks it added are removed, nothing else.
pub fn from_csv_cell(cell: &str) -> String {
    let marks = mark_positions(cell, true);
    let mut out = String::with_capacity(cell.len());
    let mut last = 0;
    for at in marks {
        out.push_str(&cell[last..at]);
        last = at + 1;
    }
    out.push_str(&cell[last..]);
    out
}

/// Byte offsets of the pieces (cell start, after each break) that need a mark; with `marked`,
/// those of the pieces that carry one (they start with an apostrophe).
fn mark_positions(text: &str, marked: bool) -> Vec<usize> {
    let needs = |at: usize| {
        let piece = &text[at..];
        needs_mark(piece, at == 0) && (!marked || piece.starts_with('\''))
    };
    // The cell's start may also need a mark for a tab or carriage return.
    let mut marks = Vec::new();
    if needs(0) {
        marks.push(0);
    }
    // Any other piece that needs a mark starts a run of apostrophes and blanks that ends at a
    // formula sign: found from the signs, not from the breaks (the explanation texts of a
    // squad's table are hundreds of megabytes, full of `;` and `,`, and nearly every sign in
    // them sits after a letter). A sign is an ASCII byte, or a character whose UTF-8 starts
    // with one of `FORMULA_SIGN_LEADS` (the full-width and small forms, the minus sign); the
    // breaks are ASCII, and an ASCII byte in UTF-8 is always that character.
    let bytes = text.as_bytes();
    let is_break = |b: u8| b.is_ascii() && is_cell_break(char::from(b));
    for j in SignBytes::new(bytes) {
        if !text[j..].chars().next().is_some_and(is_formula_sign) {
            continue;
        }
        // The blanks before the sign (from `blanks`), and the apostrophes before them.
        let mut blanks = j;
        for (i, c) in text[..j].char_indices().rev() {
            if !is_blank(c) {
                break;
            }
            blanks = i;
        }
        let mut run = blanks;
        while run > 0 && bytes[run - 1] == b'\'' {
            run -= 1;
        }
        // The pieces that reach the sign: one starting the run, and one after each break among
        // the blanks (tab, carriage return and line feed are blanks too), in order.
        let starts = (run > 0 && is_break(bytes[run - 1]))
            .then_some(run)
            .into_iter()
            .chain((blanks..j).filter(|&k| is_break(bytes[k])).map(|k| k + 1));
        marks.extend(starts.filter(|&at| !marked || text[at..].starts_with('\'')));
    }
    marks
}

/// The first bytes of the UTF-8 of the formula signs that are not ASCII (`is_formula_sign`):
/// U+2212 starts with 0xE2, the small and full-width forms (U+FExx, U+FFxx) with 0xEF.
const FORMULA_SIGN_LEADS: [u8; 2] = [0xE2, 0xEF];

/// The bytes a formula sign starts with: `is_formula_sign`'s ASCII signs and
/// `FORMULA_SIGN_LEADS` (a test checks the list against `is_formula_sign`).
const SIGN_BYTES: [u8; 6] = [
    b'=',
    b'+',
    b'-',
    b'@',
    FORMULA_SIGN_LEADS[0],
    FORMULA_SIGN_LEADS[1],
];

/// The positions of `SIGN_BYTES` in a text, in order: memchr's vector search for each half of
/// the list (three bytes at a time), the two merged. A table look per byte was the costliest
/// part of writing the explanation texts (a fiftieth of a run's instructions).
struct SignBytes<'a> {
    halves: [std::iter::Peekable<memchr::Memchr3<'a>>; 2],
}

impl<'a> SignBytes<'a> {
    fn new(bytes: &'a [u8]) -> SignBytes<'a> {
        let half = |k: usize| {
            let [a, b, c] = [0, 1, 2].map(|i| SIGN_BYTES[3 * k + i]);
            memchr::memchr3_iter(a, b, c, bytes).peekable()
        };
        SignBytes {
            halves: [half(0), half(1)],
        }
    }
}

impl Iterator for SignBytes<'_> {
    type Item = usize;

    fn next(&mut self) -> Option<usize> {
        let [first, second] = &mut self.halves;
        match (first.peek(), second.peek()) {
            (Some(a), Some(b)) if b < a => second.next(),
            (Some(_), _) => first.next(),
            (None, _) => second.next(),
        }
    }
}

/// Whether a character would act on a terminal or reorder text instead of showing: control
/// characters (C0 but newline, DEL, C1), the bidi embeddings, overrides and isolates, and the
/// line and paragraph separators.
fn is_unsafe_to_show(c: char) -> bool {
    (c.is_control() && c != '\n')
        || matches!(
            c,
            '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}' | '\u{200E}' | '\u{200F}'
                | '\u{061C}' | '\u{2028}' | '\u{2029}'
        )
}

/// Text for the terminal: every control character but the newline (ESC, BEL, CR, tab, …) and
/// every bidi control shown escaped as `\u{1b}`, so a name cannot clear the screen, set the
/// window title, ring the bell, overwrite a line or reverse the text after it.
pub fn terminal(text: &str) -> Cow<'_, str> {
    escape_unsafe(text)
}

/// Text for an HTML page (before HTML escaping): bidi controls and control characters shown
/// escaped, so a name cannot reverse the text that follows it on the page.
pub fn html_text(text: &str) -> Cow<'_, str> {
    escape_unsafe(text)
}

fn escape_unsafe(text: &str) -> Cow<'_, str> {
    if !text.chars().any(is_unsafe_to_show) {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len() + 8);
    for c in text.chars() {
        if is_unsafe_to_show(c) {
            out.push_str(&format!("\\u{{{:x}}}", c as u32));
        } else {
            out.push(c);
        }
    }
    Cow::Owned(out)
}

/// A name as shown: Unicode NFC (so `José` typed with a combining accent is the same text as
/// the precomposed one), invisible characters removed, every run of spaces (NBSP, tab, line
/// breaks included) one space, trimmed. Empty for a blank-looking name.
pub fn display_name(raw: &str) -> String {
    let cleaned: String = raw.nfc().filter(|&c| !is_invisible(c)).collect();
    cleaned.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// The key under which two spellings of a name are one athlete: the shown form folded with
/// NFKC and lower-cased. NFKC (compatibility folding) makes full-width `Ａｎａ`, ligatures and
/// similar look-alike forms equal to their plain letters: in a name they are typing accidents
/// (an IME left in full-width mode), not different people, and a merge is reported. It is used
/// only to compare; the name shown keeps the athlete's spelling.
pub fn name_key(raw: &str) -> String {
    let shown = display_name(raw);
    let folded: String = shown.nfkc().filter(|&c| !is_invisible(c)).collect();
    folded
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .to_lowercase()
}

/// The key of the earlier, plain comparison (case and ASCII-visible spacing only): two
/// spellings with equal plain keys are obviously one name; when only [`name_key`] makes them
/// equal, the merge is worth a warning.
pub fn plain_key(raw: &str) -> String {
    raw.split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .to_lowercase()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// `mark_positions`' quick test for a formula sign sees every one: each sign that is not
    /// ASCII starts with one of `FORMULA_SIGN_LEADS`, checked over all of Unicode.
    #[test]
    fn every_formula_sign_has_a_lead_byte_the_quick_test_knows() {
        let mut signs = 0;
        for c in ('\u{80}'..=char::MAX).filter(|&c| is_formula_sign(c)) {
            let mut utf8 = [0; 4];
            let lead = c.encode_utf8(&mut utf8).as_bytes()[0];
            assert!(
                FORMULA_SIGN_LEADS.contains(&lead),
                "{c:?} starts with {lead:#x}"
            );
            signs += 1;
        }
        assert_eq!(
            signs, 9,
            "the nine signs of is_formula_sign that are not ASCII"
        );
        // The ASCII signs are the ASCII bytes of `SIGN_BYTES`, no more, no fewer.
        for b in 0u8..128 {
            assert_eq!(
                SIGN_BYTES.contains(&b),
                is_formula_sign(char::from(b)),
                "{b:#x}"
            );
        }
        // A cell with no sign at all: only its start can need a mark.
        assert_eq!(mark_positions("a, b; c\td", false), Vec::<usize>::new());
        assert_eq!(mark_positions("\tx, y", false), vec![0]);
        assert_eq!(mark_positions("x, \u{2212}1 kg", false), vec![2]);
        assert_eq!(mark_positions("x;\u{FF1D}SUM(A1)", false), vec![2]);
    }

    #[test]
    fn formula_cells_neutralised_for_any_separator() {
        assert_eq!(csv_cell("=HYPERLINK(\"x\")"), "'=HYPERLINK(\"x\")");
        assert_eq!(csv_cell("-2+3"), "'-2+3");
        assert_eq!(csv_cell("ana"), "ana");
        // Split on `;` (European list separator): the piece after it would be a cell.
        assert_eq!(csv_cell("x;=HYPERLINK(1)"), "x;'=HYPERLINK(1)");
        assert_eq!(csv_cell("x, +1; @SUM(A1)"), "x,' +1;' @SUM(A1)");
        // Leading blanks before the sign: space, NBSP, tab, zero-width space.
        assert_eq!(csv_cell(" =1"), "' =1");
        assert_eq!(csv_cell("\u{a0}=1"), "'\u{a0}=1");
        // A tab is also a break: split on tabs, `=1` would be a cell of its own.
        assert_eq!(csv_cell("\t=1"), "'\t'=1");
        assert_eq!(csv_cell("\u{200b}@x"), "'\u{200b}@x");
        // Full-width and small forms.
        assert_eq!(csv_cell("＝SUM(A1)"), "'＝SUM(A1)");
        assert_eq!(csv_cell("a;﹦1"), "a;'﹦1");
        // Signs inside a piece are text.
        assert_eq!(csv_cell("a = b, c"), "a = b, c");
        assert_eq!(csv_cell("Ana-Lopez"), "Ana-Lopez");
        // A cell that already starts with the mark gets one more, so it reads back exactly.
        assert_eq!(csv_cell("'=x"), "''=x");
        assert_eq!(csv_cell("'x"), "'x");
        for text in [
            "=Eve", "-Max", "@Zed", "'=x", "''-1", "x;=1, +2", "\t=1", "\tx", "ana", "'a;'@b",
            " ＝1", "", ";", "'",
        ] {
            assert_eq!(from_csv_cell(&csv_cell(text)), text, "{text:?}");
        }
    }

    #[test]
    fn terminal_text_shows_controls_escaped() {
        assert_eq!(terminal("a\u{1b}[2Jb"), "a\\u{1b}[2Jb");
        assert_eq!(terminal("bell\u{7}"), "bell\\u{7}");
        assert_eq!(terminal("x\rfake line"), "x\\u{d}fake line");
        assert_eq!(terminal("rtl\u{202e}cba"), "rtl\\u{202e}cba");
        assert_eq!(terminal("two\nlines"), "two\nlines");
        assert_eq!(terminal("Zoë"), "Zoë");
        assert_eq!(html_text("a\u{2066}b"), "a\\u{2066}b");
    }

    #[test]
    fn names_compare_after_normalisation() {
        // NFD "José" (e + U+0301) and NFC "José" are one name, shown in NFC.
        assert_eq!(display_name("Jose\u{301}"), "Jos\u{e9}");
        assert_eq!(name_key("Jose\u{301}"), name_key("Jos\u{e9}"));
        // NBSP, zero-width space, BOM and full-width letters.
        assert_eq!(name_key("Ana\u{a0}Lopez"), "ana lopez");
        assert_eq!(name_key("A\u{200b}na"), "ana");
        assert_eq!(name_key("\u{feff}Ana"), "ana");
        assert_eq!(name_key("Ａｎａ"), "ana");
        // Blank-looking names are empty.
        for blank in [
            "\u{200b}",
            "\u{feff}",
            "\u{a0}",
            " \u{2060} ",
            "\u{3000}",
            "",
        ] {
            assert_eq!(display_name(blank), "", "{blank:?}");
        }
        // The plain key does not fold them: the merge is reported.
        assert_ne!(plain_key("Ａｎａ"), plain_key("Ana"));
    }

    proptest::proptest! {
        /// The breaks found byte by byte are those found character by character (the
        /// definition: `match_indices` with `is_cell_break`), in any text, non-ASCII included.
        #[test]
        fn breaks_by_byte_are_the_breaks_by_character(text in "(\\PC|[,;\t\r\n=+'@ ×–])*") {
            let by_char: Vec<usize> = std::iter::once(0)
                .chain(text.match_indices(is_cell_break).map(|(i, _)| i + 1))
                .filter(|&at| needs_mark(&text[at..], at == 0))
                .collect();
            proptest::prop_assert_eq!(mark_positions(&text, false), by_char);
        }

        /// The two vector searches hand out every byte of `SIGN_BYTES`, in order, once.
        #[test]
        fn sign_bytes_are_found_in_order(text in "[=+@a\u{2212}\u{ff1d}×-]{0,40}") {
            let by_byte: Vec<usize> = text
                .bytes()
                .enumerate()
                .filter(|(_, b)| SIGN_BYTES.contains(b))
                .map(|(k, _)| k)
                .collect();
            proptest::prop_assert_eq!(SignBytes::new(text.as_bytes()).collect::<Vec<_>>(), by_byte);
        }

        /// The same from the definition in texts made only of what decides it — breaks,
        /// apostrophes, blanks of one and several bytes, ASCII and wide signs — both for marks
        /// to add and for marks carried (`marked`).
        #[test]
        fn marks_are_the_definitions_in_dense_texts(
            text in "[,;\t\r\n'=+@ a\u{a0}\u{200b}\u{3000}\u{2212}\u{ff1d}\u{fe62}×-]{0,24}"
        ) {
            for marked in [false, true] {
                let by_definition: Vec<usize> = std::iter::once(0)
                    .chain(text.match_indices(is_cell_break).map(|(i, _)| i + 1))
                    .filter(|&at| {
                        needs_mark(&text[at..], at == 0) && (!marked || text[at..].starts_with('\''))
                    })
                    .collect();
                proptest::prop_assert_eq!(mark_positions(&text, marked), by_definition);
            }
        }
    }
}
