//! Helpers: run the binary, read its CSV outputs by column name.

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use assert_cmd::Command;

pub fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures")
        .join(name)
}

pub fn cramprisk() -> Command {
    assert_cmd::cargo::cargo_bin_cmd!("cramprisk")
}

/// A CSV file as rows of column → cell.
pub fn read_csv(path: &Path) -> Vec<HashMap<String, String>> {
    let mut rdr =
        csv::Reader::from_path(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let headers = rdr.headers().unwrap().clone();
    rdr.records()
        .map(|r| {
            let r = r.unwrap();
            headers
                .iter()
                .zip(r.iter())
                .map(|(h, v)| (h.to_string(), v.to_string()))
                .collect()
        })
        .collect()
}

/// The row of an athlete and date.
pub fn day<'a>(
    rows: &'a [HashMap<String, String>],
    athlete: &str,
    date: &str,
) -> &'a HashMap<String, String> {
    rows.iter()
        .find(|r| r["athlete"] == athlete && r["date"] == date)
        .unwrap_or_else(|| panic!("no row for {athlete} {date}"))
}

/// A numeric cell, asserted within `tol` of `want`.
pub fn assert_num(row: &HashMap<String, String>, column: &str, want: f64, tol: f64) {
    let cell = &row[column];
    let got: f64 = cell
        .parse()
        .unwrap_or_else(|_| panic!("{column} = {cell:?} is not a number"));
    assert!(
        (got - want).abs() <= tol,
        "{column}: got {got}, want {want} ± {tol}"
    );
}
