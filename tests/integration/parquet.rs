//! Parquet out and in (issue 17): the Parquet tables read back with polars equal the CSV tables
//! cell by cell; the hive layout of `--partition-by athlete` read back as one table equals the
//! CSV; the native inputs as Parquet give the same daily table as the same data as CSV.
//!
//! How a Parquet cell is compared with its CSV cell (the types are those docs/performance.md
//! documents): a null is an empty CSV cell and an empty CSV cell is a null (unknown is never 0);
//! Date is the CSV's YYYY-MM-DD; Int64 is the CSV's integer; Float64 is exactly the double the
//! CSV's text parses to (the Parquet value is stored as the CSV prints it); the band columns
//! are an ordered category whose text is the CSV's; text is the CSV's text (the samples hold no
//! cell the CSV's formula guard changes, checked below).

use std::collections::HashMap;
use std::path::Path;

use polars::prelude::*;

use crate::util::{read_csv, stdout_of, Workdir};

fn read_parquet(path: &Path) -> DataFrame {
    let file = std::fs::File::open(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    ParquetReader::new(file).finish().unwrap()
}

/// A CSV as its header and rows of cells, in file order.
fn csv_table(path: &Path) -> (Vec<String>, Vec<Vec<String>>) {
    let mut rdr = csv::Reader::from_path(path).unwrap();
    let header = rdr.headers().unwrap().iter().map(str::to_string).collect();
    let rows = rdr
        .records()
        .map(|r| r.unwrap().iter().map(str::to_string).collect())
        .collect();
    (header, rows)
}

/// Asserts that a Parquet frame holds the CSV's table: same columns in the same order, same
/// rows in the same order, each cell equal under the rules at the top of this file.
fn assert_same_table(pq: &DataFrame, csv_path: &Path) {
    let (header, rows) = csv_table(csv_path);
    let names: Vec<String> = pq
        .get_column_names()
        .iter()
        .map(|n| n.to_string())
        .collect();
    assert_eq!(names, header, "{}: columns", csv_path.display());
    assert_eq!(pq.height(), rows.len(), "{}: rows", csv_path.display());
    for (j, name) in header.iter().enumerate() {
        let col = pq.column(name).unwrap();
        let cells: Vec<&str> = rows.iter().map(|r| r[j].as_str()).collect();
        assert_same_column(col, &cells, &format!("{}:{name}", csv_path.display()));
    }
}

fn assert_same_column(col: &Column, cells: &[&str], what: &str) {
    let nulls = cells.iter().filter(|c| c.is_empty()).count();
    match col.dtype() {
        DataType::Float64 => {
            let v = col.f64().unwrap();
            for (i, cell) in cells.iter().enumerate() {
                let want = (!cell.is_empty()).then(|| cell.parse::<f64>().unwrap());
                assert_eq!(v.get(i), want, "{what} row {i}: {cell:?}");
            }
        }
        DataType::Int64 => {
            let v = col.i64().unwrap();
            for (i, cell) in cells.iter().enumerate() {
                let want = (!cell.is_empty()).then(|| cell.parse::<i64>().unwrap());
                assert_eq!(v.get(i), want, "{what} row {i}");
            }
        }
        DataType::Date => {
            let text = col.date().unwrap().to_string("%Y-%m-%d").unwrap();
            for (i, cell) in cells.iter().enumerate() {
                assert_eq!(text.get(i).unwrap_or(""), *cell, "{what} row {i}");
            }
            assert_eq!(col.null_count(), nulls, "{what}: nulls");
        }
        DataType::String | DataType::Enum(_, _) => {
            let text = col.cast(&DataType::String).unwrap();
            let text = text.str().unwrap();
            for (i, cell) in cells.iter().enumerate() {
                let got = text.get(i).unwrap_or("");
                // The CSV's formula guard would show as a leading apostrophe: none in these tables.
                assert!(!cell.starts_with('\''), "{what} row {i}: {cell:?}");
                assert_eq!(got, *cell, "{what} row {i}");
            }
        }
        other => panic!("{what}: unexpected type {other}"),
    }
}

#[test]
fn parquet_tables_equal_the_csv_cell_by_cell() {
    let wrk = Workdir::new();
    wrk.copy_from_repo("samples/team");
    let out = wrk
        .analyze("samples/team", "out")
        .args(["--format", "both", "--charts", "none"])
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", crate::util::terminal_of(&out));
    let summary = stdout_of(&out);
    assert!(
        summary.contains("out/daily_risk.parquet"),
        "the summary names the Parquet files: {summary}"
    );
    let daily = read_parquet(&wrk.path("out/daily_risk.parquet"));
    assert_same_table(&daily, &wrk.path("out/daily_risk.csv"));
    // Typed as documented: dates, counts, measures, the band an ordered category.
    let dtype = |n: &str| daily.column(n).unwrap().dtype().clone();
    assert_eq!(dtype("date"), DataType::Date);
    assert_eq!(dtype("sessions"), DataType::Int64);
    assert_eq!(dtype("risk_pct"), DataType::Float64);
    assert!(matches!(dtype("risk_band"), DataType::Enum(_, _)));
    // Unknown is null: the sample has days without a fluid log (empty cells in the CSV).
    let csv = read_csv(&wrk.path("out/daily_risk.csv"));
    let empty = csv
        .iter()
        .filter(|r| r["fluid_intake_ml"].is_empty())
        .count();
    assert!(empty > 0, "the sample has unlogged days");
    assert_eq!(daily.column("fluid_intake_ml").unwrap().null_count(), empty);
    let team = read_parquet(&wrk.path("out/team_summary.parquet"));
    assert_same_table(&team, &wrk.path("out/team_summary.csv"));
    assert!(matches!(
        team.column("latest_band").unwrap().dtype(),
        DataType::Enum(_, _)
    ));
    let rejected = read_parquet(&wrk.path("out/rejected_rows.parquet"));
    assert_same_table(&rejected, &wrk.path("out/rejected_rows.csv"));
    // The marker lists the Parquet files: a rerun replaces them, and reading the folder as
    // input skips them.
    let marker = wrk.read("out/.cramprisk-output");
    for name in [
        "daily_risk.parquet",
        "team_summary.parquet",
        "rejected_rows.parquet",
    ] {
        assert!(marker.lines().any(|l| l == name), "{name} in {marker}");
    }
}

/// daily_risk.parquet is written a pass at a time (one row group per pass, so the whole
/// table is never held): a squad of more than one pass (20 athletes × 700 days; a pass holds
/// 11,680 athlete-days) reads back as the CSV, rows in the same order.
#[test]
fn a_parquet_table_written_pass_by_pass_equals_the_csv() {
    let wrk = Workdir::new();
    wrk.command("generate")
        .args(["--athletes", "20", "--days", "700", "--start", "2023-01-01"])
        .args(["--out", "team"])
        .assert()
        .success();
    let out = wrk
        .analyze("team", "out")
        .args(["--format", "both", "--charts", "none", "--quiet"])
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", crate::util::terminal_of(&out));
    let path = wrk.path("out/daily_risk.parquet");
    let groups = ParquetReader::new(std::fs::File::open(&path).unwrap())
        .get_metadata()
        .unwrap()
        .row_groups
        .len();
    assert!(groups >= 2, "one row group per pass: {groups}");
    let daily = read_parquet(&path);
    assert_same_table(&daily, &wrk.path("out/daily_risk.csv"));
}

/// The hive layout read back by polars as one table (the athlete from the folder names).
fn scan_partitions(root: &Path) -> DataFrame {
    let hive_schema = Schema::from_iter([Field::new("athlete".into(), DataType::String)]);
    let args = ScanArgsParquet {
        hive_options: HiveOptions {
            enabled: Some(true),
            hive_start_idx: 0,
            schema: Some(Arc::new(hive_schema)),
            try_parse_dates: false,
        },
        ..Default::default()
    };
    let path = PlRefPath::new(root.to_str().unwrap());
    LazyFrame::scan_parquet(path, args)
        .unwrap()
        .sort(["athlete", "date"], Default::default())
        .collect()
        .unwrap()
}

#[test]
fn the_partitioned_table_read_as_one_equals_the_csv() {
    let wrk = Workdir::new();
    wrk.copy_from_repo("samples/team");
    wrk.analyze("samples/team", "csv")
        .args(["--charts", "none"])
        .assert()
        .success();
    wrk.analyze("samples/team", "lake")
        .args(["--format", "parquet", "--partition-by", "athlete"])
        .args(["--charts", "none"])
        .assert()
        .success();
    // Only Parquet: no CSV table in this folder.
    assert!(!wrk.path("lake/daily_risk.csv").exists());
    let mut folders: Vec<String> = std::fs::read_dir(wrk.path("lake/daily_risk"))
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    folders.sort();
    // The sample team's six athletes (samples/team/athletes.toml), one folder each.
    let csv = read_csv(&wrk.path("csv/daily_risk.csv"));
    let mut athletes: Vec<String> = csv.iter().map(|r| r["athlete"].clone()).collect();
    athletes.dedup();
    assert_eq!(athletes.len(), 6);
    let want: Vec<String> = athletes.iter().map(|a| format!("athlete={a}")).collect();
    assert_eq!(folders, want);
    for f in &folders {
        assert!(wrk
            .path(&format!("lake/daily_risk/{f}/part-0.parquet"))
            .is_file());
    }
    // Read as one table, in the CSV's column order (the athlete column comes from the paths).
    let table = scan_partitions(&wrk.path("lake/daily_risk"));
    let (header, _) = csv_table(&wrk.path("csv/daily_risk.csv"));
    let table = table.select(header.iter().map(String::as_str)).unwrap();
    assert_same_table(&table, &wrk.path("csv/daily_risk.csv"));
}

#[test]
fn partitions_inside_the_input_folder_are_never_read_as_input_and_are_replaced() {
    let wrk = Workdir::new();
    wrk.copy_from_repo("samples/team");
    let lake = [
        "--format",
        "parquet",
        "--partition-by",
        "athlete",
        "--charts",
        "none",
    ];
    wrk.analyze("samples/team", "samples/team/lake")
        .args(lake)
        .assert()
        .success();
    // Again, the earlier partitions now inside the folder read: they are the tool's (listed by
    // the marker), so no file of theirs is read (or rejected) as input.
    wrk.analyze("samples/team", "samples/team/lake")
        .args(lake)
        .assert()
        .success();
    let rejected = read_parquet(&wrk.path("samples/team/lake/rejected_rows.parquet"));
    let files = rejected.column("file").unwrap().str().unwrap().clone();
    assert!(
        files.iter().all(|f| !f.unwrap_or("").contains("lake")),
        "{rejected}"
    );
    // A run writing the daily table as CSV only replaces the partitions: no stale copy of the
    // table is left beside the new one.
    wrk.analyze("samples/team", "samples/team/lake")
        .args(["--charts", "none"])
        .assert()
        .success();
    assert!(wrk.path("samples/team/lake/daily_risk.csv").is_file());
    assert!(!wrk.path("samples/team/lake/daily_risk").exists());
    assert!(!wrk.path("samples/team/lake/daily_risk.parquet").exists());
    assert!(!wrk.path("samples/team/lake/rejected_rows.parquet").exists());
    let marker = wrk.read("samples/team/lake/.cramprisk-output");
    assert!(!marker.contains("parquet"), "{marker}");
}

#[test]
fn partition_folders_carry_codes_not_names_under_pseudonymize() {
    let wrk = Workdir::new();
    wrk.copy_from_repo("samples/team");
    wrk.analyze("samples/team", "shared")
        .args([
            "--format",
            "parquet",
            "--partition-by",
            "athlete",
            "--pseudonymize",
        ])
        .args(["--charts", "none"])
        .assert()
        .success();
    let names: Vec<String> = read_csv(&wrk.path("shared/pseudonym_key.csv"))
        .iter()
        .map(|r| r.values().cloned().collect::<Vec<_>>().join(" "))
        .collect();
    let mut paths = Vec::new();
    for e in walkdir::WalkDir::new(wrk.path("shared/daily_risk")) {
        paths.push(e.unwrap().path().display().to_string().to_lowercase());
    }
    assert_eq!(
        paths.len(),
        1 + 6 * 2,
        "the folder, 6 athlete folders, 6 files"
    );
    for p in &paths {
        assert!(
            !["ana", "ben", "chloe"].iter().any(|n| p.contains(n)),
            "a name in {p} (key: {names:?})"
        );
    }
    assert!(paths.iter().any(|p| p.ends_with("athlete=p001")));
}

#[test]
fn partition_by_needs_parquet() {
    let wrk = Workdir::new();
    wrk.copy_from_repo("samples/team");
    let out = wrk
        .analyze("samples/team", "out")
        .args(["--partition-by", "athlete"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(crate::util::stderr_of(&out).contains("--format parquet"));
}

/// Writes a native CSV as Parquet with polars' CSV reader (types inferred, dates and times
/// parsed): the Parquet file holds typed columns, as a platform's would.
fn csv_to_parquet(csv_path: &Path, parquet_path: &Path) {
    let mut df = CsvReadOptions::default()
        .with_has_header(true)
        .with_infer_schema_length(None)
        .map_parse_options(|o| o.with_try_parse_dates(true))
        .try_into_reader_with_file_path(Some(csv_path.to_path_buf()))
        .unwrap()
        .finish()
        .unwrap();
    let file = std::fs::File::create(parquet_path).unwrap();
    ParquetWriter::new(file).finish(&mut df).unwrap();
}

#[test]
fn native_inputs_as_parquet_give_the_same_daily_table() {
    let wrk = Workdir::new();
    let team = wrk.copy_from_repo("samples/team");
    std::fs::create_dir_all(wrk.path("pq")).unwrap();
    std::fs::copy(team.join("athletes.toml"), wrk.path("pq/athletes.toml")).unwrap();
    let mut types = HashMap::new();
    for name in ["activities", "daily", "fluids", "weather", "cramps"] {
        let to = wrk.path(&format!("pq/{name}.parquet"));
        csv_to_parquet(&team.join(format!("{name}.csv")), &to);
        let df = read_parquet(&to);
        for (n, t) in df.schema().iter() {
            types.insert(format!("{name}.{n}"), t.clone());
        }
    }
    // The Parquet inputs are typed, not text in disguise.
    assert!(matches!(
        types["activities.start"],
        DataType::Datetime(_, _)
    ));
    assert_eq!(types["daily.date"], DataType::Date);
    assert!(types["activities.duration_min"].is_primitive_numeric());
    wrk.analyze("samples/team", "from_csv")
        .args(["--charts", "none"])
        .assert()
        .success();
    wrk.analyze("pq", "from_parquet")
        .args(["--charts", "none"])
        .assert()
        .success();
    assert_eq!(
        wrk.read("from_parquet/daily_risk.csv"),
        wrk.read("from_csv/daily_risk.csv")
    );
    assert_eq!(
        wrk.read("from_parquet/team_summary.csv"),
        wrk.read("from_csv/team_summary.csv")
    );
}

#[test]
fn a_parquet_row_is_checked_like_a_csv_row_and_named_by_its_row_number() {
    let wrk = Workdir::new();
    // Row 1 is fine; row 2 has an implausible heart rate; row 3 an empty duration (unknown
    // is not 0: the row is rejected, as in a CSV); row 4's duration is 1500 min, over 24 h.
    let mut df = df!(
        "athlete" => ["ana", "ana", "ana", "ana"],
        "start" => ["2025-07-01 07:00", "2025-07-02 07:00", "2025-07-03 07:00", "2025-07-04 07:00"],
        "sport" => ["run", "run", "run", "run"],
        "duration_min" => [Some(60.0), Some(45.0), None, Some(1500.0)],
        "avg_hr" => [Some(150.0), Some(400.0), Some(140.0), Some(120.0)],
    )
    .unwrap();
    let file = std::fs::File::create(wrk.path("activities.parquet")).unwrap();
    ParquetWriter::new(file).finish(&mut df).unwrap();
    wrk.create(
        "activities.csv.txt",
        "athlete,start,sport,duration_min,avg_hr\n\
         ana,2025-07-01 07:00,run,60,150\n\
         ana,2025-07-02 07:00,run,45,400\n\
         ana,2025-07-03 07:00,run,,140\n\
         ana,2025-07-04 07:00,run,1500,120\n",
    );
    std::fs::create_dir_all(wrk.path("c")).unwrap();
    std::fs::rename(wrk.path("activities.csv.txt"), wrk.path("c/activities.csv")).unwrap();
    wrk.analyze("activities.parquet", "p")
        .args(["--charts", "none"])
        .assert()
        .success();
    wrk.analyze("c/activities.csv", "q")
        .args(["--charts", "none"])
        .assert()
        .success();
    let from_parquet = read_csv(&wrk.path("p/rejected_rows.csv"));
    let from_csv = read_csv(&wrk.path("q/rejected_rows.csv"));
    assert_eq!(from_parquet.len(), 3);
    let lines: Vec<&str> = from_parquet.iter().map(|r| r["line"].as_str()).collect();
    assert_eq!(
        lines,
        ["2", "3", "4"],
        "the row numbers (1 = the first row)"
    );
    for (p, c) in from_parquet.iter().zip(&from_csv) {
        assert_eq!(p["file"], "activities.parquet");
        // The CSV's line is the row number + 1 (its header is line 1); the reason is the same.
        assert_eq!(
            p["line"].parse::<u64>().unwrap() + 1,
            c["line"].parse::<u64>().unwrap()
        );
        assert_eq!(p["reason"], c["reason"]);
    }
}

#[test]
fn a_damaged_parquet_file_is_skipped_with_its_reason() {
    let wrk = Workdir::new();
    wrk.copy_from_repo("samples/team");
    // Parquet's magic bytes, then nothing a reader can use.
    wrk.create(
        "samples/team/broken.parquet",
        b"PAR1 not really parquet PAR1",
    );
    wrk.analyze("samples/team", "out")
        .args(["--charts", "none"])
        .assert()
        .success();
    let rejected = read_csv(&wrk.path("out/rejected_rows.csv"));
    let row = rejected
        .iter()
        .find(|r| r["file"].ends_with("broken.parquet"))
        .expect("the damaged file is listed");
    assert!(
        row["reason"].starts_with("file skipped: cannot be read as Parquet"),
        "{}",
        row["reason"]
    );
}

/// Runs analyze on the samples with a damaged Parquet file among them; the run succeeds, the
/// file is listed as skipped, and its reason is returned with what the run printed.
fn analyze_with_damaged_parquet(fixture: &str) -> (String, String) {
    let wrk = Workdir::new();
    wrk.copy_from_repo("samples/team");
    let damaged = std::fs::read(crate::util::fixture(fixture)).unwrap();
    wrk.create("samples/team/damaged.parquet", &damaged);
    let out = wrk
        .analyze("samples/team", "out")
        .args(["--charts", "none"])
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr).to_string();
    assert_eq!(out.status.code(), Some(0), "{stderr}");
    let rejected = read_csv(&wrk.path("out/rejected_rows.csv"));
    let row = rejected
        .iter()
        .find(|r| r["file"].ends_with("damaged.parquet"))
        .expect("the damaged file is listed");
    (row["reason"].clone(), stderr)
}

/// Found by the fuzz target (docs/fuzzing.md): an activities table written by polars whose
/// page header was damaged to declare -30 values. polars 0.55 reads that count as a size of
/// 2^64 − 30 and allocates for it, and the process aborted (exit 134, "memory allocation of
/// 2305843009213693952 bytes failed"). The page headers are now checked first: the file is
/// skipped with its reason and the other inputs are analysed.
#[test]
fn a_parquet_page_with_a_negative_count_is_skipped_not_an_abort() {
    let (reason, _) = analyze_with_damaged_parquet("parquet/negative-page-count.parquet");
    assert!(
        reason.contains("a page declares a negative count"),
        "{reason}"
    );
}

/// Found by the fuzz target the same day: a file whose Parquet footer is damaged makes polars'
/// footer parser panic ("thrift bool field"). The panic is caught and is the file's reason; it
/// is not printed on the terminal.
#[test]
fn a_parquet_footer_that_panics_polars_is_a_skipped_file_and_prints_no_panic() {
    let (reason, stderr) = analyze_with_damaged_parquet("parquet/damaged-footer.parquet");
    assert!(!stderr.contains("panicked"), "{stderr}");
    assert!(
        reason.starts_with("file skipped: cannot be read as Parquet"),
        "{reason}"
    );
}
