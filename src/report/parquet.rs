//! The tables as Parquet (`--format parquet|both`): the same columns and values as the CSV
//! tables, typed — dates as Date, counts as Int64, measures as Float64 rounded to the CSV's
//! decimals, bands as an ordered category (polars Enum: low < moderate < high < very_high),
//! unknown as null (never 0) — and the hive layout of `--partition-by athlete`. Text is stored
//! as it is: the CSV's guard against spreadsheet formulas (a leading `'`) is for spreadsheets,
//! and Parquet is read by data tools, which take the cell as data.

use std::io::Write;

use polars::prelude::*;

use crate::ingest::Rejection;
use crate::model::Band;
use crate::schema::Format;

/// Columns holding a band's name: an ordered category in Parquet.
const BAND_COLUMNS: [&str; 2] = [crate::schema::RISK_BAND, "latest_band"];

/// The longest `athlete=VALUE` folder name (most file systems allow 255 bytes).
const MAX_PARTITION_BYTES: usize = 200;

/// A frame's `columns`, in order, typed for Parquet as `Format` says (the CSV's formats).
pub fn typed_table(df: &DataFrame, columns: &[(String, Format)]) -> anyhow::Result<DataFrame> {
    let typed: Vec<Column> = columns
        .iter()
        .map(|(name, format)| typed_column(df, name, *format))
        .collect::<anyhow::Result<_>>()?;
    Ok(DataFrame::new(df.height(), typed)?)
}

/// One column typed: text (a band's name as the band category), Date, Int64, or Float64
/// rounded as the CSV prints it.
fn typed_column(df: &DataFrame, name: &str, format: Format) -> anyhow::Result<Column> {
    let c = anyhow::Context::with_context(df.column(name), || {
        format!("column {name} missing from the results")
    })?;
    Ok(match format {
        Format::Text if BAND_COLUMNS.contains(&name) => c.cast(&band_type()?)?,
        Format::Text => c.cast(&DataType::String)?,
        Format::Date => c.cast(&DataType::Date)?,
        Format::Int => c.cast(&DataType::Int64)?,
        Format::Decimals(d) => {
            let values = c.cast(&DataType::Float64)?;
            let rounded: Float64Chunked = values
                .f64()?
                .iter()
                .map(|x| x.and_then(|x| as_printed(x, d)))
                .collect();
            rounded.with_name(name.into()).into_column()
        }
    })
}

/// The bands as an ordered category, in the model's order.
fn band_type() -> anyhow::Result<DataType> {
    let names = Band::ALL.map(Band::name);
    Ok(DataType::from_frozen_categories(FrozenCategories::new(
        names,
    )?))
}

/// `x` as daily_risk.csv prints it with `d` decimals, read back: the same number in both
/// tables. Not finite is unknown (the CSV cell is empty); `-0` is 0 (the CSV drops the sign).
/// `(x·10^d).round() / 10^d` is the double nearest the printed decimal (both operands are
/// exact, the division correctly rounded) except where `x·10^d` lies next to a half: there the
/// printed text decides, as Rust's formatting rounds the exact binary value.
pub fn as_printed(x: f64, d: usize) -> Option<f64> {
    if !x.is_finite() {
        return None;
    }
    let scale = 10f64.powi(d as i32);
    let t = x * scale;
    let y = if t.abs() < 2f64.powi(52) && ((t - t.floor()) - 0.5).abs() > 1e-6 {
        t.round() / scale
    } else {
        format!("{x:.d$}").parse::<f64>().ok()?
    };
    Some(if y == 0.0 { 0.0 } else { y })
}

/// `rejected_rows` as a frame: file, line (null for a whole file), reason.
pub fn rejections_frame(rejections: &[Rejection]) -> anyhow::Result<DataFrame> {
    let file: Vec<&str> = rejections.iter().map(|r| r.file.as_str()).collect();
    let line: Vec<Option<i64>> = rejections
        .iter()
        .map(|r| r.line.and_then(|l| i64::try_from(l).ok()))
        .collect();
    let reason: Vec<&str> = rejections.iter().map(|r| r.reason.as_str()).collect();
    Ok(df!("file" => file, "line" => line, "reason" => reason)?)
}

/// Writes a frame as one Parquet file (zstd-compressed, polars' default).
pub fn write<W: Write>(df: &DataFrame, out: W) -> anyhow::Result<()> {
    let mut df = df.clone();
    ParquetWriter::new(out).finish(&mut df)?;
    Ok(())
}

/// daily_risk as Parquet, written a pass at a time as `analyze`'s passes end, so the whole
/// table is never held (at 1,000 athletes it peaked at 1 GB, five times the input): one
/// `daily_risk.parquet` whose row groups are the passes' parts, or, under `--partition-by
/// athlete`, each athlete's file as soon as their part is done (a pass holds its athletes'
/// days whole, so each file is written once).
pub struct DailyStream {
    /// The run's staging folder (`outputs::Outputs::staging`): the files are the run's.
    staging: std::path::PathBuf,
    sink: Sink,
    /// The files written, relative to the output folder.
    written: Vec<String>,
}

/// Where `DailyStream` writes the parts.
enum Sink {
    /// Each athlete's file (`--partition-by athlete`).
    Partitions,
    /// `daily_risk.parquet`, opened before the first part; its writer is made with the first
    /// part's schema (every part's is the same: `typed_table`). Unbuffered: the writer writes
    /// whole pages, and a buffer's last bytes would be flushed only when dropped, their error
    /// lost.
    Opened(std::fs::File),
    Writing(Box<polars::io::parquet::write::BatchedWriter<std::fs::File>>),
}

impl DailyStream {
    pub fn new(staging: std::path::PathBuf, partitioned: bool) -> anyhow::Result<Self> {
        let sink = if partitioned {
            Sink::Partitions
        } else {
            let path = staging.join(crate::outputs::DAILY_RISK_PARQUET);
            let file = std::fs::File::create(&path)
                .map_err(|e| anyhow::anyhow!("creating {}: {e}", path.display()))?;
            Sink::Opened(file)
        };
        Ok(Self {
            staging,
            sink,
            written: Vec::new(),
        })
    }

    /// Writes one pass's part, typed (`typed_table`), in pass order.
    pub fn write(&mut self, mut typed: DataFrame) -> anyhow::Result<()> {
        if typed.height() == 0 {
            return Ok(());
        }
        // One row group per part: the writer wants the columns in aligned chunks.
        typed.rechunk_mut_par();
        // Taken and put back; an error stops the run, which keeps none of its files.
        self.sink = match std::mem::replace(&mut self.sink, Sink::Partitions) {
            Sink::Partitions => {
                for (name, part) in partitions(&typed, crate::outputs::DAILY_RISK_PARTS)? {
                    crate::outputs::write_staged_file(&self.staging, &name, |w| write(&part, w))?;
                    self.written.push(name);
                }
                Sink::Partitions
            }
            Sink::Opened(file) => {
                let mut writer = ParquetWriter::new(file).batched(typed.schema())?;
                writer.write_batch(&typed)?;
                Sink::Writing(Box::new(writer))
            }
            Sink::Writing(mut writer) => {
                writer.write_batch(&typed)?;
                Sink::Writing(writer)
            }
        };
        Ok(())
    }

    /// Writes the file's footer; returns the files written (relative to the output folder).
    /// With no row written the run has no day to report and stops before its files are kept.
    pub fn finish(mut self) -> anyhow::Result<Vec<String>> {
        if let Sink::Writing(writer) = self.sink {
            writer.finish()?;
            self.written
                .push(crate::outputs::DAILY_RISK_PARQUET.to_string());
        }
        Ok(self.written)
    }
}

/// The daily table split by athlete for the hive layout: (the file's path under the output
/// folder, its rows without the athlete column — the folder name holds it), athletes in the
/// table's order. The folder is `daily_risk/athlete=VALUE/part-0.parquet`, VALUE the name
/// hive-encoded (see `hive_value`), which every reader decodes back to the name.
pub fn partitions(typed: &DataFrame, folder: &str) -> anyhow::Result<Vec<(String, DataFrame)>> {
    let athlete = crate::schema::ATHLETE;
    let parts = typed.partition_by_stable([athlete], true)?;
    let mut out = Vec::with_capacity(parts.len());
    for part in parts {
        let name = part
            .column(athlete)?
            .str()?
            .get(0)
            .unwrap_or_default()
            .to_string();
        let value = hive_value(&name)?;
        out.push((
            format!("{folder}/{athlete}={value}/part-0.parquet"),
            part.drop(athlete)?,
        ));
    }
    Ok(out)
}

/// A partition value as a folder name: the bytes a path cannot hold or a reader would split on
/// (`/`, `\`, `=`, `%`, `:`, space, control characters, the characters Windows forbids, `.`)
/// written `%XX`, as Hive and Spark escape them and polars, DuckDB, DataFusion and Spark
/// decode them; letters of any script stay as they are (Spark decodes `%XX` byte by byte, so
/// encoding UTF-8 bytes would garble them there). A name is never a path: no separator, no
/// `..`, no empty segment survives. Hand-written: the `percent-encoding` crate is in the lock
/// file, but naming it here could change its features for polars and rebuild polars.
pub fn hive_value(name: &str) -> anyhow::Result<String> {
    let mut out = String::with_capacity(name.len());
    for c in name.chars() {
        let escape = c.is_control()
            || c.is_whitespace()
            || matches!(
                c,
                '"' | '#'
                    | '%'
                    | '\''
                    | '*'
                    | '/'
                    | ':'
                    | '<'
                    | '='
                    | '>'
                    | '?'
                    | '\\'
                    | '['
                    | ']'
                    | '^'
                    | '{'
                    | '|'
                    | '}'
                    | '.'
            );
        if escape {
            let mut buf = [0u8; 4];
            for b in c.encode_utf8(&mut buf).bytes() {
                out.push_str(&format!("%{b:02X}"));
            }
        } else {
            out.push(c);
        }
    }
    if out.is_empty() {
        anyhow::bail!("an athlete with an empty name cannot name a partition folder");
    }
    if out.len() + "athlete=".len() > MAX_PARTITION_BYTES {
        anyhow::bail!(
            "the athlete name {:?} is too long for a partition folder ({} bytes once encoded, at \
             most {}): shorten it in the inputs or athletes.toml, or use --pseudonymize",
            crate::safe_text::terminal(name),
            out.len(),
            MAX_PARTITION_BYTES - "athlete=".len()
        );
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_are_stored_as_the_csv_prints_them() {
        // 12.34 → "12.3" with one decimal; 0.125 is exactly 1/8, a tie: Rust prints "0.12"
        // (half to even on the exact value), so the stored number is 0.12, not 0.13.
        assert_eq!(as_printed(12.34, 1), Some(12.3));
        assert_eq!(as_printed(0.125, 2), Some(0.12));
        // 1.25 is exact too: "1.2".
        assert_eq!(as_printed(1.25, 1), Some(1.2));
        // 2.675 is 2.67499999999999982236431605997495353221893310546875 in binary: "2.67".
        assert_eq!(as_printed(2.675, 2), Some(2.67));
        // -0.04 with one decimal prints "0.0" (the sign dropped).
        let z = as_printed(-0.04, 1).unwrap();
        assert!(z == 0.0 && z.is_sign_positive());
        assert_eq!(as_printed(f64::NAN, 1), None);
        assert_eq!(as_printed(f64::INFINITY, 0), None);
        assert_eq!(as_printed(1234.5678, 0), Some(1235.0));
    }

    #[test]
    fn partition_values_are_one_safe_folder_name() {
        assert_eq!(hive_value("ana").unwrap(), "ana");
        assert_eq!(hive_value("Ana Lopez").unwrap(), "Ana%20Lopez");
        // '/' is 0x2F, '.' 0x2E: no separator and no ".." survive.
        assert_eq!(hive_value("../etc").unwrap(), "%2E%2E%2Fetc");
        assert_eq!(hive_value("a=b%").unwrap(), "a%3Db%25");
        assert_eq!(hive_value("Zoë").unwrap(), "Zoë");
        // ESC is 0x1B.
        assert_eq!(hive_value("x\u{1b}y").unwrap(), "x%1By");
        assert!(hive_value("").is_err());
        assert!(hive_value(&"a".repeat(300)).is_err());
    }
}
