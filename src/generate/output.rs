//! The generator's output plumbing: buffered CSV files with their headers (taken from `schema`, the
//! one home of the native column names) and number formatting.

use super::*;

// The headers are the native formats' columns, spelled once in `schema`.
pub(super) const ACTIVITY_HEADER: [&str; 15] = crate::schema::NATIVE_ACTIVITIES;
pub(super) const DAILY_HEADER: [&str; 6] = crate::schema::NATIVE_DAILY;
pub(super) const WEATHER_HEADER: [&str; 5] = crate::schema::NATIVE_WEATHER_HOURLY;
pub(super) const FLUIDS_HEADER: [&str; 5] = crate::schema::NATIVE_FLUIDS;

/// A buffered CSV file that counts its rows.
pub(super) struct CsvOut {
    pub(super) name: &'static str,
    pub(super) path: PathBuf,
    pub(super) wtr: csv::Writer<BufWriter<File>>,
    pub(super) rows: u64,
}

impl CsvOut {
    pub(super) fn create(dir: &Path, name: &'static str, header: &[&str]) -> Result<Self> {
        let path = dir.join(name);
        let file = File::create(&path).with_context(|| format!("creating {}", path.display()))?;
        let mut wtr = csv::Writer::from_writer(BufWriter::with_capacity(1 << 16, file));
        wtr.write_record(header)
            .with_context(|| format!("writing {}", path.display()))?;
        Ok(Self {
            name,
            path,
            wtr,
            rows: 0,
        })
    }

    pub(super) fn row<I, T>(&mut self, fields: I) -> Result<()>
    where
        I: IntoIterator<Item = T>,
        T: AsRef<[u8]>,
    {
        self.wtr
            .write_record(fields)
            .with_context(|| format!("writing {}", self.path.display()))?;
        self.rows += 1;
        Ok(())
    }

    pub(super) fn finish(mut self) -> Result<FileSummary> {
        self.wtr
            .flush()
            .with_context(|| format!("writing {}", self.path.display()))?;
        drop(self.wtr);
        let bytes = fs::metadata(&self.path)
            .with_context(|| format!("reading size of {}", self.path.display()))?
            .len();
        Ok(FileSummary {
            name: self.name,
            rows: self.rows,
            bytes,
        })
    }
}

/// Rounds to one decimal and formats it, never as `-0.0`.
pub(super) fn f1(x: f64) -> String {
    format!("{:.1}", round1(x) + 0.0)
}

/// Rounds to two decimals and formats it.
pub(super) fn f2(x: f64) -> String {
    format!("{:.2}", (x * 100.0).round() / 100.0 + 0.0)
}

pub(super) fn round1(x: f64) -> f64 {
    (x * 10.0).round() / 10.0
}

pub(super) fn opt<T: fmt::Display>(v: Option<T>) -> String {
    v.map(|v| v.to_string()).unwrap_or_default()
}

/// `YYYY-MM-DD HH:MM` from a date string and a minute of the day.
pub(super) fn stamp(date: &str, minute: u32) -> String {
    format!("{date} {:02}:{:02}", minute / 60, minute % 60)
}
