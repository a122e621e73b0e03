//! Writers: take finished data and write it. `daily_risk.csv` with a fixed column order and
//! precision, `rejected_rows.csv`, cells a spreadsheet cannot run as formulas. Where the bytes
//! go (atomically, under which name) is `outputs.rs`'s business.

pub mod cramps_html;
pub mod html;
pub mod markup;
pub mod parquet;
pub mod plan_html;

use std::io::Write;

use polars::prelude::*;

use crate::columns::one_array;
use crate::dates;
use crate::ingest::Rejection;
use crate::model::FactorId;
use crate::safe_text::csv_cell as safe_cell;
use crate::schema as s;

pub use crate::schema::Format;

/// The columns of daily_risk.csv, in order, with their format.
pub fn daily_columns() -> Vec<(String, Format)> {
    use Format::*;
    let fixed: [(&str, Format); 29] = [
        (s::ATHLETE, Text),
        (s::DATE, Date),
        (s::SESSIONS, Int),
        (s::DURATION_MIN, Decimals(1)),
        (s::DISTANCE_KM, Decimals(2)),
        (s::LOAD, Decimals(1)),
        (s::ATL, Decimals(1)),
        (s::CTL, Decimals(1)),
        (s::TSB, Decimals(1)),
        (s::ACWR, Decimals(2)),
        (s::TEMP_MAX_C, Decimals(1)),
        (s::HEAT_INDEX_C, Decimals(1)),
        (s::WBGT_C, Decimals(1)),
        (s::FLUID_INTAKE_ML, Decimals(0)),
        (s::SWEAT_LOSS_ML, Decimals(0)),
        (s::FLUID_NEED_ML, Decimals(0)),
        (s::FLUID_BALANCE_ML, Decimals(0)),
        (s::SODIUM_LOSS_MG, Decimals(0)),
        (s::SODIUM_INTAKE_MG, Decimals(0)),
        (s::FOOD_SODIUM_MG, Decimals(0)),
        (s::POTASSIUM_INTAKE_MG, Decimals(0)),
        (s::STEPS, Decimals(0)),
        (s::SEDENTARY_MIN, Decimals(0)),
        // Shown, not scored: the model has no term for them (docs/model.md).
        (s::RESTING_HR, Decimals(0)),
        (s::SLEEP_MIN, Decimals(0)),
        (s::RISK_PCT, Decimals(1)),
        (s::RISK_LOW_PCT, Decimals(1)),
        (s::RISK_HIGH_PCT, Decimals(1)),
        (s::RISK_BAND, Text),
    ];
    let mut out: Vec<(String, Format)> = fixed.iter().map(|(n, f)| (n.to_string(), *f)).collect();
    out.push(("confidence".to_string(), Decimals(2)));
    for name in ["missing_inputs", "top_factors", "recommendation"] {
        out.push((name.to_string(), Text));
    }
    for id in FactorId::ALL {
        out.push((id.or_col(), Decimals(3)));
    }
    out
}

/// `daily_risk.csv`'s columns as `analyze` writes them: the computed ones, then
/// `cramp_logged` (added after the computation, from the cramps read: `evaluate::logged`).
pub fn daily_columns_with_cramps() -> Vec<(String, Format)> {
    let mut out = daily_columns();
    out.push((
        crate::evaluate::logged::CRAMP_LOGGED.to_string(),
        Format::Text,
    ));
    out
}

/// One column's values in a block of rows, taken out of the frame as one arrow array each
/// (shared with the frame, not copied, unless the block spans two chunks): a cell is read by
/// its index straight from the array, without the chunk lookup of `ChunkedArray::get` for
/// each of the table's millions of cells.
enum Cells {
    Text(Option<<StringType as PolarsDataType>::Array>),
    Num(Option<<Float64Type as PolarsDataType>::Array>, usize),
    Int(Option<<Int64Type as PolarsDataType>::Array>),
    Date(Option<<Int32Type as PolarsDataType>::Array>),
}

impl Cells {
    fn of(df: &DataFrame, name: &str, format: Format) -> anyhow::Result<Cells> {
        let c = anyhow::Context::with_context(df.column(name), || {
            format!("column {name} missing from the results")
        })?;
        Ok(match format {
            Format::Text => Cells::Text(one_array(c.str()?)),
            Format::Decimals(d) => Cells::Num(one_array(c.cast(&DataType::Float64)?.f64()?), d),
            Format::Int => Cells::Int(one_array(c.cast(&DataType::Int64)?.i64()?)),
            Format::Date => Cells::Date(one_array(c.cast(&DataType::Int32)?.i32()?)),
        })
    }

    /// Brings the cells of `rows` into the cache a column at a time (`columns::warm_values`):
    /// a row's cells lie in some fifty arrays, and read row by row nearly every eighth number
    /// of every column waited for memory (`perf annotate`: 44 % of `format_block`'s own time
    /// on the load of the number).
    fn warm(&self, rows: std::ops::Range<usize>) -> u64 {
        use crate::columns::{warm_array, warm_validity, warm_values};
        use polars_arrow::array::Array as _;
        match self {
            Cells::Text(Some(v)) => {
                warm_values(v.views(), rows.clone(), |w| w.as_u128() as u64)
                    ^ warm_validity(v.validity(), rows)
            }
            Cells::Num(Some(v), _) => warm_array(v, rows, f64::to_bits),
            Cells::Int(Some(v)) => warm_array(v, rows, |x| x as u64),
            Cells::Date(Some(v)) => warm_array(v, rows, |x| x as u64),
            _ => 0,
        }
    }

    /// Appends row `i`'s cell to `buf` as a CSV field; an unknown is left empty. `cache` holds
    /// the column's text cells written lately.
    fn cell_into(&self, i: usize, buf: &mut Vec<u8>, cache: &mut TextCache) {
        match self {
            Cells::Text(v) => {
                let Some((v, t)) = v.as_ref().and_then(|v| Some((v, v.get(i)?))) else {
                    return;
                };
                // A short text's view holds the text itself (length and bytes), a longer
                // one's names where its bytes lie: either way, the same view is the same text.
                // The short ones (the athlete, the band) were checked anew on every row, a
                // fortieth of a run's CPU (perf, 1,000 athletes).
                let key = v.views()[i].as_u128();
                let slot = cache.slot(key);
                if slot.0 != Some(key) {
                    slot.1.clear();
                    csv_field(&safe_cell(t), &mut slot.1);
                    slot.0 = Some(key);
                }
                buf.extend_from_slice(&slot.1);
            }
            // NaN/inf never reach here as numbers: they are printed empty, like unknowns.
            Cells::Num(v, d) => {
                if let Some(x) = v.as_ref().and_then(|v| v.get(i)).filter(|x| x.is_finite()) {
                    crate::decimals::push_fixed_bytes(x, *d, buf);
                }
            }
            Cells::Int(v) => {
                if let Some(x) = v.as_ref().and_then(|v| v.get(i)) {
                    buf.extend_from_slice(itoa::Buffer::new().format(x).as_bytes());
                }
            }
            Cells::Date(v) => {
                if let Some(d) = v.as_ref().and_then(|v| v.get(i)) {
                    write_date(dates::from_days(d), buf);
                }
            }
        }
    }
}

/// A text column's cells as last written, by the cell's view: a short text's view holds the
/// text itself, a longer one's its length, first bytes and place in the column's buffers.
/// Why: the advice and the missing inputs are shared texts (`columns::SharedTexts`: a day's
/// cell points at the bytes of the first day with the same text), a few hundred bytes full of
/// `,` and `;`, and checking each for formulas and quotes again on every row was about a
/// twentieth of the run's CPU in the profile; a cell seen lately is copied as it was written.
/// Only within one block's array, whose long texts' views name its own buffers.
struct TextCache {
    slots: Vec<(Option<u128>, Vec<u8>)>,
}

impl TextCache {
    /// Slots by the top bits of the view's hash.
    const BITS: u32 = 8;
    const SLOTS: usize = 1 << Self::BITS;

    fn new() -> TextCache {
        TextCache { slots: Vec::new() }
    }

    /// The slot of a view: the last cell written there (`None`: none yet) and its text.
    fn slot(&mut self, view: u128) -> &mut (Option<u128>, Vec<u8>) {
        if self.slots.is_empty() {
            self.slots.resize(Self::SLOTS, (None, Vec::new()));
        }
        let mixed = (view as u64 ^ (view >> 64) as u64).wrapping_mul(0x9E37_79B9_7F4A_7C15);
        &mut self.slots[(mixed >> (64 - Self::BITS)) as usize]
    }
}

/// Appends `text` as one CSV field, quoted as the `csv` crate's writer quotes with its
/// defaults: in double quotes, with each quote doubled, when it holds a comma, a quote, a line
/// feed or a carriage return; as it is otherwise.
///
/// Why not the `csv` writer itself: a squad's table has tens of millions of cells, and the
/// writer's per-field state machine was a fifth of the time spent writing it, though numbers
/// and dates (most cells) never need quotes. A property test checks every text against the
/// `csv` writer.
fn csv_field(text: &str, buf: &mut Vec<u8>) {
    // The four bytes looked for with memchr's vector search: a byte-by-byte test of each was
    // a sixtieth of a run's instructions (the explanation texts are most of the table's bytes).
    let bytes = text.as_bytes();
    if memchr::memchr3(b',', b'"', b'\n', bytes).is_none() && memchr::memchr(b'\r', bytes).is_none()
    {
        buf.extend_from_slice(bytes);
        return;
    }
    buf.push(b'"');
    for (k, piece) in bytes.split(|&b| b == b'"').enumerate() {
        if k > 0 {
            buf.extend_from_slice(b"\"\"");
        }
        buf.extend_from_slice(piece);
    }
    buf.push(b'"');
}

/// A date as `YYYY-MM-DD`, as chrono's `Display` prints years 0 to 9999 (others through it).
fn write_date(date: chrono::NaiveDate, buf: &mut Vec<u8>) {
    use chrono::Datelike;
    let y = date.year();
    if (0..=9999).contains(&y) {
        let mut b = *b"0000-00-00";
        let digits = |v: u32, out: &mut [u8]| {
            let mut v = v;
            for c in out.iter_mut().rev() {
                *c = b'0' + (v % 10) as u8;
                v /= 10;
            }
        };
        digits(y as u32, &mut b[0..4]);
        digits(date.month(), &mut b[5..7]);
        digits(date.day(), &mut b[8..10]);
        buf.extend_from_slice(&b);
    } else {
        buf.extend_from_slice(date.to_string().as_bytes());
    }
}

/// Rows formatted per block: blocks are formatted in parallel, then written in order.
const ROWS_PER_BLOCK: usize = 16_384;
/// The rows `table_rows` formats first to size its buffer.
const SAMPLE_ROWS: usize = 256;

/// Writes a frame's `columns` as CSV to `out`. Blocks of rows are formatted on all cores (each
/// cell straight into the block's text, no String per cell) and written in row order, so the
/// bytes are those of a row-by-row writer.
pub fn write_table<W: Write>(
    df: &DataFrame,
    columns: &[(String, Format)],
    out: W,
) -> anyhow::Result<()> {
    use rayon::prelude::*;
    // A column missing or of the wrong type stops the writer before anything is written.
    check_columns(df, columns)?;
    let mut out = out;
    write_header(columns, &mut out)?;
    let height = df.height();
    let starts: Vec<usize> = (0..height).step_by(ROWS_PER_BLOCK).collect();
    // A few blocks at a time: parallel, without holding the whole file as bytes.
    for group in starts.chunks(rayon::current_num_threads().max(1) * 2) {
        let blocks: Vec<Vec<u8>> = group
            .par_iter()
            .map(|&s| {
                let mut block = Vec::new();
                format_block(df, columns, s, ROWS_PER_BLOCK, &mut block).map(|()| block)
            })
            .collect::<anyhow::Result<_>>()?;
        for b in blocks {
            out.write_all(&b)?;
        }
    }
    out.flush()?;
    Ok(())
}

/// Checks that `df` has `columns` with types the writer can print.
fn check_columns(df: &DataFrame, columns: &[(String, Format)]) -> anyhow::Result<()> {
    cells_of(&df.slice(0, 0), columns).map(|_| ())
}

/// The header line of a table of `columns`.
pub fn write_header<W: Write>(columns: &[(String, Format)], out: &mut W) -> anyhow::Result<()> {
    let mut w = csv::Writer::from_writer(out);
    w.write_record(columns.iter().map(|(n, _)| n.as_str()))?;
    w.flush()?;
    Ok(())
}

/// The rows of `df` as the lines `write_table` writes after the header, appended to `rows`
/// block after block on the calling thread: for a table written in parts (`analyze` writes
/// each pass's rows as the pass ends) by threads that already keep the cores busy. `rows` is
/// sized once for the whole frame from the width of its first rows. Why: a pass's lines are
/// some 15 MB, and grown by doubling (a block at a time, then copied into the pass's buffer)
/// they were copied three times into pages the kernel had to zero first, a twentieth of the
/// run's CPU in the profile; a buffer reused from pass to pass (`analyze`) is written into in
/// place.
pub fn table_rows(
    df: &DataFrame,
    columns: &[(String, Format)],
    rows: &mut Vec<u8>,
) -> anyhow::Result<()> {
    let height = df.height();
    // A first few rows measure the width; then room for the others, and a little more.
    let first = SAMPLE_ROWS.min(height);
    let before = rows.len();
    format_block(df, columns, 0, first, rows)?;
    if let Some(per_row) = (rows.len() - before).checked_div(first) {
        rows.reserve((height - first) * per_row / 32 * 33);
    }
    for start in (first..height).step_by(ROWS_PER_BLOCK) {
        format_block(df, columns, start, ROWS_PER_BLOCK, rows)?;
    }
    Ok(())
}

/// Each column's cells of a block of rows, taken from the block's rows: a table in chunks (the
/// daily table keeps one per pass) is read where it lies, only a block across two chunks is
/// copied.
fn cells_of(rows: &DataFrame, columns: &[(String, Format)]) -> anyhow::Result<Vec<Cells>> {
    columns
        .iter()
        .map(|(n, f)| Cells::of(rows, n, *f))
        .collect()
}

/// The CSV lines of `len` rows (or fewer, at the end) from `start`, appended to `block`.
fn format_block(
    df: &DataFrame,
    columns: &[(String, Format)],
    start: usize,
    len: usize,
    block: &mut Vec<u8>,
) -> anyhow::Result<()> {
    let rows = len.min(df.height() - start);
    let cells = cells_of(&df.slice(start as i64, rows), columns)?;
    let mut caches: Vec<TextCache> = cells.iter().map(|_| TextCache::new()).collect();
    for i in 0..rows {
        if let Some(tile) = crate::columns::tile_at(i, 0..rows) {
            std::hint::black_box(cells.iter().fold(0, |acc, c| acc ^ c.warm(tile.clone())));
        }
        let row_start = block.len();
        for (k, (c, cache)) in cells.iter().zip(&mut caches).enumerate() {
            if k > 0 {
                block.push(b',');
            }
            c.cell_into(i, block, cache);
        }
        // A row with nothing in it would read as no row: the `csv` writer writes `""`.
        if block.len() == row_start {
            block.extend_from_slice(b"\"\"");
        }
        block.push(b'\n');
    }
    Ok(())
}

/// Writes `rejected_rows.csv`: file, line, reason.
pub fn write_rejections<W: Write>(rejections: &[Rejection], out: W) -> anyhow::Result<()> {
    let mut w = csv::Writer::from_writer(out);
    w.write_record(["file", "line", "reason"])?;
    for r in rejections {
        let line = r.line.map(|l| l.to_string()).unwrap_or_default();
        w.write_record([
            safe_cell(&r.file).as_ref(),
            &line,
            safe_cell(&r.reason).as_ref(),
        ])?;
    }
    w.flush()?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formula_cells_are_neutralised() {
        assert_eq!(safe_cell("=HYPERLINK(\"x\")"), "'=HYPERLINK(\"x\")");
        assert_eq!(safe_cell("-2+3"), "'-2+3");
        assert_eq!(safe_cell("ana"), "ana");
    }

    proptest::proptest! {
        /// Text cells (with commas, quotes, line breaks, formula starts, empty and unknown
        /// ones) in tables of one to three columns come out as the `csv` writer writes the
        /// same (marked) cells, the row of one empty field included.
        #[test]
        fn text_cells_are_written_as_the_csv_writer_writes_them(
            rows in proptest::collection::vec(
                proptest::collection::vec(
                    proptest::option::of("[a,\"\n\r=+ -;é]{0,6}"),
                    3,
                ),
                0..6,
            ),
            width in 1usize..=3,
        ) {
            let names = ["a", "b", "c"];
            let columns: Vec<Column> = (0..width)
                .map(|k| {
                    let cells: Vec<Option<String>> = rows.iter().map(|r| r[k].clone()).collect();
                    Column::new(names[k].into(), cells)
                })
                .collect();
            let df = DataFrame::new_infer_height(columns).unwrap();
            let formats: Vec<(String, Format)> =
                names[..width].iter().map(|n| (n.to_string(), Format::Text)).collect();
            let mut ours = Vec::new();
            write_table(&df, &formats, &mut ours).unwrap();
            let mut theirs = csv::Writer::from_writer(Vec::new());
            theirs.write_record(&names[..width]).unwrap();
            for r in &rows {
                let marked: Vec<String> = r[..width]
                    .iter()
                    .map(|c| c.as_deref().map(|t| safe_cell(t).into_owned()).unwrap_or_default())
                    .collect();
                theirs.write_record(&marked).unwrap();
            }
            let theirs = theirs.into_inner().unwrap();
            proptest::prop_assert_eq!(String::from_utf8(ours).unwrap(), String::from_utf8(theirs).unwrap());
        }

        #[test]
        fn dates_print_as_chrono(days in -800_000i32..3_000_000) {
            let date = dates::from_days(days);
            let mut b = Vec::new();
            write_date(date, &mut b);
            proptest::prop_assert_eq!(String::from_utf8(b).unwrap(), date.to_string());
        }
    }

    /// Repeated texts that share their bytes (`SharedTexts`, as the advice is built) are
    /// written as the `csv` writer writes each, quoted and marked.
    #[test]
    fn repeated_shared_texts_are_written_as_the_csv_writer_writes_them() {
        let quoted = "Drink \"about\" 500 ml more, spread over the day";
        let formula = "=fluids: no fluids log; -none for this place";
        let cells = [quoted, quoted, formula, formula, quoted, "", "", quoted];
        let mut texts = crate::columns::SharedTexts::with_capacity(cells.len());
        for c in cells {
            texts.push(c);
        }
        let df = DataFrame::new_infer_height(vec![
            texts.finish().with_name("advice".into()).into_column(),
            Column::new("n".into(), (0..cells.len() as i64).collect::<Vec<_>>()),
        ])
        .unwrap();
        let cols = [
            ("advice".to_string(), Format::Text),
            ("n".to_string(), Format::Int),
        ];
        let mut ours = Vec::new();
        write_table(&df, &cols, &mut ours).unwrap();
        let mut theirs = csv::Writer::from_writer(Vec::new());
        theirs.write_record(["advice", "n"]).unwrap();
        for (k, c) in cells.iter().enumerate() {
            theirs
                .write_record([safe_cell(c).as_ref(), &k.to_string()])
                .unwrap();
        }
        let ours = String::from_utf8(ours).unwrap();
        assert_eq!(
            ours,
            String::from_utf8(theirs.into_inner().unwrap()).unwrap()
        );
        // By hand: the quotes doubled; the formula start marked, and the piece after `;` that
        // starts (after a space) with a minus marked at the break.
        assert!(ours.contains("\"Drink \"\"about\"\" 500 ml more, spread over the day\",1\n"));
        assert!(ours.contains("'=fluids: no fluids log;' -none for this place,3\n"));
    }

    /// `table_rows` on more rows than it samples and than a block holds, with more distinct
    /// shared texts than `TextCache` has slots (so cells are evicted and come back), appended
    /// to what the buffer held: the lines the `csv` writer writes, row for row.
    #[test]
    fn table_rows_append_the_csv_writers_lines_whatever_the_cache_holds() {
        let texts: Vec<String> = (0..TextCache::SLOTS * 2 + 1)
            .map(|k| format!("advice number {k}, \"quoted\"; -{k} then more words"))
            .collect();
        // Short texts are held in their views: cached by their bytes, not their place.
        let short: Vec<String> = (0..40).map(|k| format!("s,{k}")).collect();
        let rows = ROWS_PER_BLOCK + 3 * SAMPLE_ROWS + 5;
        // Runs of a text, then others in a scrambled order, some unknown, some short.
        let cell = |i: usize| -> Option<&str> {
            match i % 11 {
                0 => None,
                1 => Some("short"),
                2 => Some(short[(i / 3 * 7919) % short.len()].as_str()),
                _ => Some(texts[(i / 3 * 7919) % texts.len()].as_str()),
            }
        };
        let mut shared = crate::columns::SharedTexts::with_capacity(rows);
        for i in 0..rows {
            shared.push_opt(cell(i));
        }
        let advice = shared.finish();
        let df = DataFrame::new_infer_height(vec![
            advice.with_name("advice".into()).into_column(),
            Column::new("n".into(), (0..rows as i64).collect::<Vec<_>>()),
        ])
        .unwrap();
        let cols = [
            ("advice".to_string(), Format::Text),
            ("n".to_string(), Format::Int),
        ];
        let mut ours = b"already here\n".to_vec();
        table_rows(&df, &cols, &mut ours).unwrap();
        let ours = String::from_utf8(ours).unwrap();
        let mut theirs = csv::Writer::from_writer(Vec::new());
        for i in 0..rows {
            theirs
                .write_record([
                    cell(i).map(safe_cell).unwrap_or_default().as_ref(),
                    &i.to_string(),
                ])
                .unwrap();
        }
        let theirs = String::from_utf8(theirs.into_inner().unwrap()).unwrap();
        assert_eq!(ours, format!("already here\n{theirs}"));
    }

    #[test]
    fn numbers_print_fixed_and_unknowns_empty() {
        let df = df!(
            "x" => [Some(1.25), None, Some(-0.04), Some(f64::NAN)],
            "n" => [Some(1), None, Some(2), Some(3)],
            "y" => [Some(-0.5), Some(-2.5), Some(-0.4), None],
        )
        .unwrap();
        let cols = [
            ("x".to_string(), Format::Decimals(1)),
            ("n".to_string(), Format::Int),
            ("y".to_string(), Format::Decimals(0)),
        ];
        let mut out = Vec::new();
        write_table(&df, &cols, &mut out).unwrap();
        // 1.25 is 1.25000000000000000 in binary → rounds half to even on the printed digit.
        // -0.5 and -2.5 are exact halves (the formatter's path) → "-0" → "0" and "-2"; the sign
        // dropped is the cell's, not the row's.
        assert_eq!(
            String::from_utf8(out).unwrap(),
            "x,n,y\n1.2,1,0\n,,-2\n0.0,2,0\n,3,\n"
        );
    }

    /// A table in chunks (the daily table keeps one per pass) is written as its rows read:
    /// blocks that lie in one chunk, one that spans two (rows 10,000 to 10,001 in the first
    /// block), and a last short block. The expected text is built row by row here.
    #[test]
    fn a_table_in_chunks_is_written_row_by_row() {
        let part = |from: usize, to: usize| {
            let n: Vec<i64> = (from..to).map(|i| i as i64).collect();
            // Every seventh row unknown; tenths that print exactly with one decimal.
            let x: Vec<Option<f64>> = (from..to)
                .map(|i| (i % 7 != 0).then_some(i as f64 / 10.0))
                .collect();
            let t: Vec<String> = (from..to).map(|i| format!("r{i}, b")).collect();
            df!("n" => n, "x" => x, "t" => t).unwrap()
        };
        let mut df = part(0, 10_000);
        df.vstack_mut_owned(part(10_000, 20_000)).unwrap();
        df.vstack_mut_owned(part(20_000, 20_500)).unwrap();
        assert!(df.columns().iter().all(|c| c.n_chunks() == 3));
        let cols = [
            ("n".to_string(), Format::Int),
            ("x".to_string(), Format::Decimals(1)),
            ("t".to_string(), Format::Text),
        ];
        let mut out = Vec::new();
        write_table(&df, &cols, &mut out).unwrap();
        let mut want = String::from("n,x,t\n");
        for i in 0..20_500 {
            let x = if i % 7 == 0 {
                String::new()
            } else {
                format!("{}.{}", i / 10, i % 10)
            };
            want.push_str(&format!("{i},{x},\"r{i}, b\"\n"));
        }
        assert_eq!(String::from_utf8(out).unwrap(), want);
    }
}
