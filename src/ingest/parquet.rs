//! The native formats as Parquet (issue 17): a `.parquet` file whose column names are a native
//! CSV's header. Its kind is told from those names by the native detection, and each row goes
//! through the native reader's checks as the text a CSV cell would hold, so a Parquet file and
//! the same data as CSV give the same rows, the same rejections and the same reasons; a
//! rejection's "line" is the row number (1 = the first row).

use polars::prelude::*;

use super::format::{Ctx, Format, Recognise, Table};

/// Native inputs as Parquet, known by the `.parquet` file name; the columns decide the kind.
pub static FORMAT: Format = Format {
    name: "native-parquet",
    kind: None,
    recognise: Recognise::FileName(is_parquet_name),
    read,
    locate_header: None,
    checks_own_rows: true,
};

fn is_parquet_name(lower_name: &str) -> bool {
    lower_name.ends_with(".parquet")
}

/// Reads a Parquet file whole (polars decodes it column by column), turns each column into
/// the text of a native cell, and hands the rows to the native reader.
fn read(ctx: &mut Ctx, _: &Table) {
    let df = match read_frame(ctx.path) {
        Ok(df) => df,
        Err(why) => return ctx.skip(why),
    };
    let header: Vec<String> = df
        .get_column_names()
        .iter()
        .map(|n| n.trim().to_string())
        .collect();
    let cells: Vec<StringChunked> = match df
        .columns()
        .iter()
        .map(cell_text)
        .collect::<Result<_, String>>()
    {
        Ok(c) => c,
        Err(why) => return ctx.skip(why),
    };
    ctx.report.notes.push(format!(
        "Parquet: {} rows; a rejection's line is the row number (1 = the first row)",
        df.height()
    ));
    let rows = (0..df.height()).map(|i| {
        let mut record = csv::StringRecord::with_capacity(64, cells.len());
        for c in &cells {
            record.push_field(c.get(i).unwrap_or(""));
        }
        (i as u64 + 1, record)
    });
    super::native::read_rows(ctx, header, rows);
}

/// The file as one frame; `Err` is why it is skipped. A damaged file makes polars fail (or,
/// for some damage, panic inside the decoder): both are a skipped file, never a crash.
fn read_frame(path: &std::path::Path) -> Result<DataFrame, String> {
    let mut file = std::fs::File::open(path).map_err(|e| format!("cannot be opened: {e}"))?;
    // Both inside the guard: polars' footer parser panics on some damaged footers too. The
    // panic is this file's reason, not a message for the terminal: the hook that prints it is
    // set aside while the file is read (files are read one at a time).
    let hook = std::panic::take_hook();
    std::panic::set_hook(Box::new(|_| {}));
    let read = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
        // A page header's negative value count is no panic inside polars but an allocation
        // of 2^61 bytes, which aborts the process (found by the fuzz target,
        // docs/fuzzing.md): the headers are checked first. The footer read for that is
        // handed to the reader, not parsed a second time.
        let meta = page_headers(&mut file)?;
        let mut reader = ParquetReader::new(file);
        reader.set_metadata(std::sync::Arc::new(meta));
        reader
            .finish()
            .map_err(|e| format!("cannot be read as Parquet: {e}"))
    }));
    std::panic::set_hook(hook);
    match read {
        Ok(frame) => frame,
        Err(_) => Err("cannot be read as Parquet: the file is damaged".to_string()),
    }
}

/// Checks every data page header of a Parquet file before polars decodes it: each page's
/// value, null and row counts must be non-negative. polars 0.55 turns a negative count into a huge
/// size (`as usize`) and allocates for it, which aborts the process instead of failing.
/// Returns the file's footer, parsed on the way.
fn page_headers(
    file: &mut std::fs::File,
) -> Result<polars_parquet::parquet::metadata::FileMetadata, String> {
    use polars_parquet::parquet::page::{CompressedPage, DataPageHeader};
    use polars_parquet::parquet::read::{read_metadata, PageReader};
    use std::io::{Read, Seek, SeekFrom};
    let unreadable = |e: &dyn std::fmt::Display| format!("cannot be read as Parquet: {e}");
    let meta = read_metadata(file).map_err(|e| unreadable(&e))?;
    let file_len = file.metadata().map_err(|e| unreadable(&e))?.len();
    for group in &meta.row_groups {
        for column in group.parquet_columns() {
            let range = column.byte_range();
            if range.start > range.end || range.end > file_len {
                return Err(unreadable(&"a column chunk lies outside the file"));
            }
            let mut bytes = vec![0u8; (range.end - range.start) as usize];
            file.seek(SeekFrom::Start(range.start))
                .and_then(|_| file.read_exact(&mut bytes))
                .map_err(|e| unreadable(&e))?;
            let cursor = std::io::Cursor::new(polars_buffer::Buffer::from(bytes));
            for page in PageReader::new(cursor, column, Vec::new(), 1 << 30) {
                let page = page.map_err(|e| unreadable(&e))?;
                let counts: Vec<i32> = match &page {
                    CompressedPage::Data(p) => match p.header() {
                        DataPageHeader::V1(h) => vec![h.num_values],
                        DataPageHeader::V2(h) => vec![h.num_values, h.num_nulls, h.num_rows],
                    },
                    // polars keeps a dictionary page's count private: not checked here.
                    CompressedPage::Dict(_) => Vec::new(),
                };
                if counts.iter().any(|&n| n < 0) {
                    return Err(unreadable(&format!(
                        "the file is damaged (a page declares a negative count: {counts:?})"
                    )));
                }
            }
        }
    }
    file.seek(SeekFrom::Start(0)).map_err(|e| unreadable(&e))?;
    Ok(meta)
}

/// A column's cells as the text a native CSV would hold: dates as YYYY-MM-DD, date-times as
/// YYYY-MM-DD HH:MM:SS (a zoned time in its own zone's clock), numbers as polars prints them,
/// unknown (null) as an empty cell — so a null is unknown, never 0. A column of lists, structs
/// or bytes is no table cell: the file is skipped naming it.
fn cell_text(c: &Column) -> Result<StringChunked, String> {
    let name = c.name();
    let fail = |e: PolarsError| format!("column {name}: {e}");
    let text = match c.dtype() {
        DataType::String => c.str().map_err(fail)?.clone(),
        DataType::Datetime(_, _) => c
            .datetime()
            .map_err(fail)?
            .to_string("%Y-%m-%d %H:%M:%S")
            .map_err(fail)?,
        DataType::Date => c
            .date()
            .map_err(fail)?
            .to_string("%Y-%m-%d")
            .map_err(fail)?,
        // As a person writes them: 400, not 400.0 (the reasons quote the cell).
        DataType::Float32 | DataType::Float64 => c
            .cast(&DataType::Float64)
            .map_err(fail)?
            .f64()
            .map_err(fail)?
            .iter()
            .map(|x| x.map(float_text))
            .collect(),
        dt if dt.is_primitive_numeric()
            || dt.is_bool()
            || matches!(dt, DataType::Categorical(_, _) | DataType::Enum(_, _)) =>
        {
            c.cast(&DataType::String)
                .map_err(fail)?
                .str()
                .map_err(fail)?
                .clone()
        }
        other => {
            return Err(format!(
                "column {name} holds {other} values, not single cells: the native columns are \
                 text, numbers, dates or date-times"
            ))
        }
    };
    Ok(text.rechunk().into_owned())
}

/// A float as the shortest text that reads back as it (Rust's `Display`: no exponent), a whole
/// number without `.0`; NaN and infinities as `NaN`/`inf`, which the checks reject as not finite.
fn float_text(x: f64) -> String {
    if x.is_finite() && x.fract() == 0.0 && x.abs() < 1e15 {
        format!("{}", x as i64)
    } else {
        format!("{x}")
    }
}
