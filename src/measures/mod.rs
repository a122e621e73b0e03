//! Measures: pure builders for training load, heat and hydration — polars expressions — and the
//! per-athlete series (PMC, windows over earlier days) computed on each athlete's slice of the
//! daily grid. No I/O, no clock.

pub mod heat;
pub mod history;
pub mod hydration;
pub mod load;

use polars::prelude::*;

/// A linear ramp from 0 at `lo` to 1 at `hi`, clamped to [0, 1]; null stays null.
pub fn ramp(x: Expr, lo: f64, hi: f64) -> Expr {
    ((x - lit(lo)) / lit(hi - lo)).clip(lit(0.0), lit(1.0))
}

/// The value of `key` in `table` (first match wins), `other` for a key not in it.
pub fn lookup(key: Expr, table: &[(&str, f64)], other: f64) -> Expr {
    table.iter().rev().fold(lit(other), |acc, &(name, v)| {
        when(key.clone().eq(lit(name))).then(lit(v)).otherwise(acc)
    })
}

/// The rows of each athlete in a table of each athlete's consecutive days (the daily grid):
/// `(start, end)` of each run of one name.
pub fn athlete_runs(names: &StringChunked) -> Vec<(usize, usize)> {
    let mut runs = Vec::new();
    let mut start = 0;
    let mut previous: Option<Option<&str>> = None;
    for (i, name) in names.iter().enumerate() {
        if previous.is_some_and(|p| p != name) {
            runs.push((start, i));
            start = i;
        }
        previous = Some(name);
    }
    if previous.is_some() {
        runs.push((start, names.len()));
    }
    runs
}

/// A column's floats, one entry a row (for the loops over the daily grid and the sessions).
pub fn float_values(df: &DataFrame, name: &str) -> PolarsResult<Vec<Option<f64>>> {
    Ok(df.column(name)?.f64()?.iter().collect())
}

/// Unknown when either is unknown and neither is false: polars' `and` (Kleene logic).
pub fn kleene_and(a: Option<bool>, b: Option<bool>) -> Option<bool> {
    match (a, b) {
        (Some(false), _) | (_, Some(false)) => Some(false),
        (Some(true), Some(true)) => Some(true),
        _ => None,
    }
}

/// Each day's distance in days from the first day of the slice (an athlete's days in the
/// grid): `day − min(day)`, as the window expressions computed it.
pub fn days_since_first(days: &[Option<i32>]) -> Vec<Option<i32>> {
    let first = days.iter().flatten().min().copied();
    days.iter()
        .map(|d| d.zip(first).map(|(d, f)| d - f))
        .collect()
}

/// A sum as polars' group sum makes it: a group of one value is that value (0 when unknown);
/// of more, the compensated sum (`KahanSum`) of the known values in order (0 when none is).
#[derive(Default, Clone)]
pub struct GroupSum {
    len: u32,
    first: Option<f64>,
    sum: polars_utils::kahan_sum::KahanSum<f64>,
}

impl GroupSum {
    pub fn add(&mut self, x: Option<f64>) {
        if self.len == 0 {
            self.first = x;
        }
        self.len += 1;
        if let Some(x) = x {
            self.sum += x;
        }
    }

    pub fn value(&self) -> f64 {
        if self.len == 1 {
            self.first.unwrap_or(0.0)
        } else {
            self.sum.sum()
        }
    }

    /// The mean as polars' group mean makes it (the sum above over the count); unknown for no
    /// value. For known values only.
    pub fn mean(&self) -> Option<f64> {
        (self.len > 0).then(|| self.value() / f64::from(self.len))
    }
}

#[cfg(test)]
pub(crate) mod testing {
    use polars::prelude::*;

    /// Evaluates `expr` over a one-column-per-input frame and returns the floats.
    pub fn eval(df: DataFrame, expr: Expr) -> Vec<Option<f64>> {
        let out = df
            .lazy()
            .select([expr.cast(DataType::Float64).alias("out")])
            .collect()
            .unwrap();
        out.column("out").unwrap().f64().unwrap().iter().collect()
    }

    /// `got` is `expected` in name, type and every value; floats bit for bit (a sum's rounding
    /// and the sign of a zero included).
    pub fn assert_same_column(got: &Column, expected: &Column) {
        assert_eq!(got.name(), expected.name());
        let name = expected.name();
        assert_eq!(got.dtype(), expected.dtype(), "{name}");
        let (g, e) = (
            got.as_materialized_series(),
            expected.as_materialized_series(),
        );
        if let (Ok(g), Ok(e)) = (g.f64(), e.f64()) {
            let differs = g
                .iter()
                .zip(e.iter())
                .position(|(a, b)| a.map(f64::to_bits) != b.map(f64::to_bits));
            assert_eq!(differs, None, "{name}: first differing row");
        } else {
            assert!(g.equals_missing(e), "{name}");
        }
    }

    pub fn close(got: Option<f64>, want: f64, tol: f64) {
        let g = got.expect("a value, not null");
        assert!((g - want).abs() <= tol, "got {g}, want {want} ± {tol}");
    }
}
