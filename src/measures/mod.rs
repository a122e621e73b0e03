//! Measures: pure polars expression builders for training load, heat and hydration. No I/O,
//! no clock, no collect: they take column expressions and return expressions.

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

    pub fn close(got: Option<f64>, want: f64, tol: f64) {
        let g = got.expect("a value, not null");
        assert!((g - want).abs() <= tol, "got {g}, want {want} ± {tol}");
    }
}
