//! The bad-input suite (issue 7): whole-file problems, impossible values in every kind of row,
//! the text quirks of spreadsheets and truncated downloads, limits, overlapping sessions, exit
//! codes and determinism. Every case asserts the message, the line and the accounting (rows
//! read = used + rejected, one rejection line per rejected row), and that nothing panics.

use std::path::{Path, PathBuf};

use chrono::NaiveDate;
use cramprisk::ingest::{self, Ingested, ReadOptions};

use crate::util::{cramprisk, fixture};

/// The "today" of these tests (the future-date check), fixed so results never depend on the
/// machine clock.
fn today() -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 11, 21).unwrap()
}

fn opts() -> ReadOptions {
    ReadOptions {
        today: Some(today()),
        ..ReadOptions::default()
    }
}

/// Writes files (path relative to a fresh folder, bytes) and reads the folder.
fn load_files(files: &[(&str, &[u8])]) -> (tempfile::TempDir, Ingested) {
    let dir = tempfile::tempdir().unwrap();
    for (name, bytes) in files {
        let p = dir.path().join(name);
        std::fs::create_dir_all(p.parent().unwrap()).unwrap();
        std::fs::write(&p, bytes).unwrap();
    }
    let ing = load_dir(dir.path(), &opts());
    (dir, ing)
}

fn load_dir(dir: &Path, opts: &ReadOptions) -> Ingested {
    let (files, profiles) = ingest::discover(&[dir.to_path_buf()]).unwrap();
    let ing = ingest::load(&files, &profiles, opts).unwrap();
    assert_accounting(&ing);
    ing
}

/// rows read = used + rejected for every file, and every rejected row has its own line in
/// the rejections (a skipped file has one rejection without a line and no rows).
fn assert_accounting(ing: &Ingested) {
    for f in &ing.files {
        let name = f.path.display().to_string();
        assert_eq!(
            f.rows_read,
            f.rows_used + f.rows_rejected,
            "{name}: read {} used {} rejected {}",
            f.rows_read,
            f.rows_used,
            f.rows_rejected
        );
        let row_rejections = ing
            .rejections
            .iter()
            .filter(|r| r.file == name && r.line.is_some())
            .count();
        assert_eq!(
            row_rejections, f.rows_rejected,
            "{name}: {:?}",
            ing.rejections
        );
        if f.skipped.is_some() {
            assert_eq!(f.rows_read, 0, "{name}");
            assert!(ing
                .rejections
                .iter()
                .any(|r| r.file == name && r.line.is_none()));
        }
    }
}

fn report<'a>(ing: &'a Ingested, name: &str) -> &'a ingest::FileReport {
    ing.files
        .iter()
        .find(|f| f.path.ends_with(name))
        .unwrap_or_else(|| panic!("no report for {name}"))
}

fn skipped(ing: &Ingested, name: &str) -> String {
    report(ing, name)
        .skipped
        .clone()
        .unwrap_or_else(|| panic!("{name} was not skipped"))
}

/// The rejection reason of a file's line.
fn reason(ing: &Ingested, name: &str, line: u64) -> String {
    ing.rejections
        .iter()
        .find(|r| r.file.ends_with(name) && r.line == Some(line))
        .map(|r| r.reason.clone())
        .unwrap_or_else(|| panic!("no rejection of {name}:{line} in {:?}", ing.rejections))
}

fn assert_reason(ing: &Ingested, name: &str, line: u64, want: &str) {
    let got = reason(ing, name, line);
    assert!(got.contains(want), "{name}:{line}: {got:?} lacks {want:?}");
}

fn counts(ing: &Ingested, name: &str) -> (usize, usize, usize) {
    let r = report(ing, name);
    (r.rows_read, r.rows_used, r.rows_rejected)
}

const GOOD: &[u8] = b"athlete,start,sport,duration_min\nana,2025-06-01 08:00,run,60\n";

#[test]
fn whole_file_problems_are_named_and_the_other_files_still_read() {
    let png: &[u8] = b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR\0\0\x01\0\0\0\x01\0\x08\x06\0\0\0";
    let xlsx: &[u8] = b"PK\x03\x04\x14\0\x06\0\x08\0\0\0!\0[Content_Types].xml";
    let utf16: Vec<u8> = "\u{feff}athlete,start,duration_min\r\nana,2025-06-01 08:00,60\r\n"
        .encode_utf16()
        .flat_map(u16::to_le_bytes)
        .collect();
    let (dir, ing) = load_files(&[
        ("ana/good.csv", GOOD),
        ("ana/empty.csv", b""),
        ("ana/blank.csv", b"\n  \n\r\n"),
        ("ana/header_only.csv", b"athlete,start,duration_min\n"),
        (
            "ana/whoop_header_only.csv",
            b"Workout start time,Duration (min),Activity name\n",
        ),
        ("ana/picture.csv", png),
        ("ana/workbook.csv", xlsx),
        ("ana/unicode.csv", &utf16),
        ("ana/notes.csv", b"Dear coach,\nhere are my runs\n"),
        (
            "ana/missing.csv",
            b"athlete,start,distance_km\nana,2025-06-01 08:00,10\n",
        ),
        (
            "ana/twice.csv",
            b"athlete,start,duration_min,duration_min\nana,2025-06-01 08:00,60,50\n",
        ),
    ]);
    assert_eq!(counts(&ing, "good.csv"), (1, 1, 0));
    assert_eq!(ing.frames.activities.height(), 1);
    assert_eq!(skipped(&ing, "empty.csv"), "the file is empty (0 bytes)");
    assert_eq!(
        skipped(&ing, "blank.csv"),
        "the file is empty (only blank lines)"
    );
    assert_eq!(
        skipped(&ing, "header_only.csv"),
        "the file has a native activities header but no data rows"
    );
    assert!(skipped(&ing, "whoop_header_only.csv").contains("whoop header but no data rows"));
    assert_eq!(skipped(&ing, "picture.csv"), "binary content: a PNG image");
    assert!(skipped(&ing, "workbook.csv").contains("zip archive (an Excel .xlsx workbook"));
    assert!(skipped(&ing, "unicode.csv").contains("UTF-16"));
    let notes = skipped(&ing, "notes.csv");
    assert!(notes.starts_with("header not recognised"), "{notes}");
    // The closest known formats are named with the columns they lack.
    let missing = skipped(&ing, "missing.csv");
    assert!(
        missing.contains("activities (missing duration_min)"),
        "{missing}"
    );
    let twice = skipped(&ing, "twice.csv");
    assert!(
        twice.contains("\"duration_min\" appears twice") && twice.contains("columns 3 and 4"),
        "{twice}"
    );
    // Each skipped file is one rejection without a line, naming the file.
    let whole: Vec<_> = ing.rejections.iter().filter(|r| r.line.is_none()).collect();
    assert_eq!(whole.len(), 10, "{whole:?}");
    assert!(whole.iter().all(|r| r.reason.starts_with("file skipped: ")));
    drop(dir);
}

#[test]
fn unreadable_paths_folders_and_broken_links_are_named() {
    let dir = tempfile::tempdir().unwrap();
    let ana = dir.path().join("ana");
    std::fs::create_dir_all(&ana).unwrap();
    std::fs::write(ana.join("good.csv"), GOOD).unwrap();
    std::os::unix::fs::symlink(dir.path().join("gone.csv"), ana.join("link.csv")).unwrap();
    // A folder named like a CSV file, read as a file (as `--activities x.csv` would).
    let folder = dir.path().join("x.csv");
    std::fs::create_dir(&folder).unwrap();
    let ing = load_dir(&ana, &opts());
    assert_eq!(counts(&ing, "good.csv"), (1, 1, 0));
    let link = skipped(&ing, "link.csv");
    assert!(
        link.starts_with("cannot be opened: it is a link to") && link.contains("gone.csv"),
        "{link}"
    );
    let profiles = cramprisk::profiles::ProfilesFile::default();
    let mut names = ingest::Names::new(&profiles);
    let mut canonical = ingest::Canonical::default();
    let mut rejections = Vec::new();
    let r = ingest::read_file(
        &ingest::InputFile {
            path: folder.clone(),
            hint: None,
        },
        &opts(),
        &mut names,
        &mut canonical,
        &mut rejections,
    );
    assert_eq!(r.skipped.as_deref(), Some("is a folder, not a file"));
    assert_eq!(rejections.len(), 1);
    // A missing path named on the command line is a usage error naming it (exit 2, even
    // with --quiet), before any work: no output folder is made.
    let out = cramprisk()
        .args(["analyze", "--quiet", "--as-of", "2025-06-07"])
        .arg(&ana)
        .arg(dir.path().join("typo.csv"))
        .arg("--out")
        .arg(dir.path().join("out0"))
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2), "{out:?}");
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("typo.csv: no such file or folder"), "{err}");
    assert!(!dir.path().join("out0").exists());
    // Named with --activities, a folder is refused before reading (exit 1, naming it).
    let out = cramprisk()
        .args(["analyze", "--quiet", "--activities"])
        .arg(&folder)
        .arg("--out")
        .arg(dir.path().join("out"))
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("x.csv does not exist or is not a file"),
        "{err}"
    );
}

#[test]
fn impossible_activity_values_are_rejected_with_line_and_reason() {
    let csv = "athlete,start,sport,duration_min,avg_hr,max_hr,distance_km\n\
               ana,2025-06-01 08:00,run,60,150,170,10\n\
               ana,2025-06-02 08:00,run,60,400,,\n\
               ana,2025-06-03 08:00,run,60,160,150,\n\
               ana,2025-06-04 08:00,run,-5,,,\n\
               ana,2025-06-05 08:00,run,0,,,\n\
               ana,2025-06-06 08:00,run,1500,,,\n\
               ana,2031-05-01 08:00,run,60,,,\n\
               ana,1989-12-31 08:00,run,60,,,\n\
               ana,2025-06-09 08:00,run,sixty,,,\n\
               ana,2025-06-10 08:00,run,60,,,-3\n\
               ana,2025-06-11,run,60,,,\n\
               ana,2025-06-12 08:00,run,60,,,1e400\n";
    let (_dir, ing) = load_files(&[("ana/a.csv", csv.as_bytes())]);
    assert_eq!(counts(&ing, "a.csv"), (12, 1, 11));
    assert_reason(
        &ing,
        "a.csv",
        3,
        "avg_hr 400 is outside the plausible range 25–250",
    );
    assert_reason(&ing, "a.csv", 4, "avg_hr 160 is above max_hr 150");
    assert_reason(&ing, "a.csv", 5, "duration_min -5 min is negative");
    assert_reason(&ing, "a.csv", 6, "duration_min is 0 min");
    assert_reason(&ing, "a.csv", 7, "duration_min 1500 min is over 24 hours");
    assert_eq!(
        reason(&ing, "a.csv", 8),
        "start 2031-05-01 08:00 is in the future (today is 2026-11-21)"
    );
    assert_reason(&ing, "a.csv", 9, "is before 1990");
    assert_reason(&ing, "a.csv", 10, "duration_min \"sixty\" is not a number");
    assert_reason(
        &ing,
        "a.csv",
        11,
        "distance_km -3 is outside the plausible range",
    );
    assert_reason(&ing, "a.csv", 12, "has a date but no time of day");
    assert_reason(&ing, "a.csv", 13, "not a finite number");
}

#[test]
fn impossible_daily_weather_and_fluid_values_are_rejected() {
    let daily = "athlete,date,steps,resting_hr,sleep_min\n\
                 ana,2025-06-01,9000,52,420\n\
                 ana,2025-06-02,-1,,\n\
                 ana,2025-06-03,,10,\n\
                 ana,2025-06-04,,,2000\n\
                 ana,2027-01-01,5000,,\n";
    let hourly = "time,temp_c,rh_pct,wind_kmh\n\
                  2025-06-01 08:00,21.5,60,10\n\
                  2025-06-01 09:00,75,60,\n\
                  2025-06-01 10:00,22,120,\n\
                  2025-06-01 11:00,22,-5,\n\
                  1985-06-01 12:00,22,50,\n\
                  2030-06-01 12:00,22,50,\n";
    let daily_weather = "date,tmax_c,tmin_c,rh_pct\n\
                         2025-06-01,30,18,50\n\
                         2025-06-02,70,18,\n\
                         2025-06-03,20,25,\n\
                         2025-06-04,25,15,101\n";
    let fluids = "athlete,time,volume_ml,sodium_mg\n\
                  ana,2025-06-01 09:00,500,\n\
                  ana,2025-06-01 10:00,0,\n\
                  ana,2025-06-01 11:00,-100,\n\
                  ana,2025-06-01 12:00,6000,\n\
                  ana,2029-06-01,500,\n\
                  ana,2025-06-01 13:00,500,20000\n";
    let (_dir, ing) = load_files(&[
        ("ana/daily.csv", daily.as_bytes()),
        ("hourly.csv", hourly.as_bytes()),
        ("weather_daily.csv", daily_weather.as_bytes()),
        ("ana/fluids.csv", fluids.as_bytes()),
    ]);
    assert_eq!(counts(&ing, "daily.csv"), (5, 1, 4));
    assert_reason(
        &ing,
        "daily.csv",
        3,
        "steps -1 is outside the plausible range",
    );
    assert_reason(
        &ing,
        "daily.csv",
        4,
        "resting_hr 10 is outside the plausible range 25–150",
    );
    assert_reason(
        &ing,
        "daily.csv",
        5,
        "sleep_min 2000 is outside the plausible range 0–1440",
    );
    assert_eq!(
        reason(&ing, "daily.csv", 6),
        "date 2027-01-01 is in the future (today is 2026-11-21)"
    );
    // Weather is never "in the future": a forecast is a legitimate input.
    assert_eq!(counts(&ing, "hourly.csv"), (6, 2, 4));
    assert_reason(
        &ing,
        "hourly.csv",
        3,
        "temp_c 75 is outside the plausible range -60–60",
    );
    assert_reason(
        &ing,
        "hourly.csv",
        4,
        "rh_pct 120 is outside the plausible range 0–100",
    );
    assert_reason(&ing, "hourly.csv", 5, "rh_pct -5 is outside");
    assert_reason(&ing, "hourly.csv", 6, "before 1990");
    assert_eq!(counts(&ing, "weather_daily.csv"), (4, 1, 3));
    assert_reason(&ing, "weather_daily.csv", 3, "tmax_c 70 is outside");
    assert_reason(&ing, "weather_daily.csv", 4, "tmin_c is above tmax_c");
    assert_reason(&ing, "weather_daily.csv", 5, "rh_pct 101 is outside");
    assert_eq!(counts(&ing, "fluids.csv"), (6, 1, 5));
    assert_reason(&ing, "fluids.csv", 3, "volume_ml 0 ml must be above 0");
    assert_reason(&ing, "fluids.csv", 4, "volume_ml -100 ml must be above 0");
    assert_reason(
        &ing,
        "fluids.csv",
        5,
        "volume_ml (ml) 6000 is outside the plausible range 0–5000",
    );
    assert_eq!(
        reason(&ing, "fluids.csv", 6),
        "time 2029-06-01 is in the future (today is 2026-11-21)"
    );
    assert_reason(&ing, "fluids.csv", 7, "sodium_mg 20000 is outside");
}

#[test]
fn vendor_rows_meet_the_same_limits() {
    // A WHOOP export and a generic fluid log with impossible values: the shared checks apply.
    let whoop = "Workout start time,Duration (min),Activity name,Max HR (bpm),Average HR (bpm)\n\
                 2025-06-01 08:00:00,40,Running,180,150\n\
                 2031-06-01 08:00:00,40,Running,180,150\n\
                 2025-06-03 08:00:00,0,Running,180,150\n\
                 2025-06-04 08:00:00,40,Running,150,180\n\
                 2025-06-05 08:00:00,2000,Running,,\n";
    let log = "timestamp;amount;unit;drink\n\
               2025-07-01 08:00;0,5;l;water\n\
               2025-07-01 09:00;9;l;water\n\
               2030-07-01 09:00;0,5;l;water\n\
               2025-07-01 10:00;0;l;water\n";
    let (_dir, ing) = load_files(&[
        ("ana/workouts.csv", whoop.as_bytes()),
        ("ana/log.csv", log.as_bytes()),
    ]);
    assert_eq!(
        report(&ing, "workouts.csv").vendor.as_deref(),
        Some("whoop")
    );
    assert_eq!(counts(&ing, "workouts.csv"), (5, 1, 4));
    assert_reason(
        &ing,
        "workouts.csv",
        3,
        "is in the future (today is 2026-11-21)",
    );
    assert_reason(&ing, "workouts.csv", 4, "Duration (min) must be above 0");
    assert_reason(
        &ing,
        "workouts.csv",
        5,
        "average heart rate 180 is above the maximum heart rate 150",
    );
    assert_reason(
        &ing,
        "workouts.csv",
        6,
        "2000 is outside the plausible range 0–1440",
    );
    assert_eq!(counts(&ing, "log.csv"), (4, 1, 3));
    assert_reason(&ing, "log.csv", 3, "9000");
    assert_reason(&ing, "log.csv", 4, "2030-07-01 09:00 is in the future");
    assert_reason(
        &ing,
        "log.csv",
        5,
        "volume 0 ml is outside the plausible range",
    );
}

#[test]
fn without_a_today_nothing_is_in_the_future() {
    // A library caller that gives no today: no future check (the commands always give one).
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir(dir.path().join("ana")).unwrap();
    std::fs::write(
        dir.path().join("ana/a.csv"),
        "athlete,start,duration_min\nana,2031-05-01 08:00,60\n",
    )
    .unwrap();
    let ing = load_dir(dir.path(), &ReadOptions::default());
    assert_eq!(counts(&ing, "a.csv"), (1, 1, 0));
}

#[test]
fn overlapping_sessions_reject_the_later_one() {
    let a = "athlete,start,sport,duration_min\n\
             ana,2025-06-01 08:00,run,60\n\
             ana,2025-06-01 08:20,ride,30\n\
             ana,2025-06-01 08:56,run,30\n\
             ana,2025-06-01 10:00,run,30\n\
             ben,2025-06-01 08:20,run,30\n";
    // The same 08:00 session in a second export is a duplicate, not an overlap; a session in
    // it that starts inside the 10:00 one is an overlap across files.
    let b = "athlete,start,sport,duration_min\n\
             ana,2025-06-01 08:01,run,60\n\
             ana,2025-06-01 10:10,ride,45\n";
    let (_dir, ing) = load_files(&[("a.csv", a.as_bytes()), ("b.csv", b.as_bytes())]);
    assert_eq!(counts(&ing, "a.csv"), (5, 4, 1));
    let r = reason(&ing, "a.csv", 3);
    assert!(
        r.starts_with("overlaps the session at ") && r.contains("a.csv:2 (08:00–09:00)"),
        "{r}"
    );
    // 08:56–09:26 overlaps 08:00–09:00 by 4 minutes: within the tolerance, kept.
    assert_eq!(counts(&ing, "b.csv"), (2, 0, 2));
    assert_reason(&ing, "b.csv", 2, "duplicate of");
    assert_reason(&ing, "b.csv", 3, "a.csv:5 (10:00–10:30)");
    assert_eq!(ing.frames.activities.height(), 4);
}

#[test]
fn spreadsheet_and_download_quirks() {
    // Excel in a decimal-comma locale: BOM, semicolons, CRLF, decimal commas.
    let excel = "\u{feff}athlete;start;duration_min;distance_km\r\n\
                 ana;2025-06-01 08:00;60;10,5\r\n\
                 ana;2025-06-02 08:00;45,5;8\r\n";
    // Old Mac Excel: only `\r` line ends; line numbers still count lines.
    let mac = "athlete,start,duration_min\rana,2025-06-03 08:00,60\rana,2025-06-04 08:00,-60\r";
    // A header with trailing empty columns, rows with and without their empty cells.
    let trailing = "athlete,start,duration_min,,\n\
                    ana,2025-06-05 08:00,60,,\n\
                    ana,2025-06-06 08:00,60\n\
                    ana,2025-06-07 08:00,60,,,\n";
    // Extra and missing fields, a NUL byte, and a download cut inside the last row.
    let messy = "athlete,start,duration_min,sport\n\
                 ana,2025-06-08 08:00,60,run\n\
                 ana,2025-06-09 08:00,60,run,extra\n\
                 ana,2025-06-10 08:00,60\n\
                 ana,2025-06-11 08:00,6\x000,run\n\
                 ana,2025-06-12 08:00,6";
    let (_dir, ing) = load_files(&[
        ("ana/excel.csv", excel.as_bytes()),
        ("ana/mac.csv", mac.as_bytes()),
        ("ana/trailing.csv", trailing.as_bytes()),
        ("ana/messy.csv", messy.as_bytes()),
    ]);
    assert_eq!(counts(&ing, "excel.csv"), (2, 2, 0));
    assert!(report(&ing, "excel.csv")
        .notes
        .iter()
        .any(|n| n.contains("semicolon")));
    let acts = &ing.frames.activities;
    let km: Vec<Option<f64>> = acts
        .column("distance_km")
        .unwrap()
        .f64()
        .unwrap()
        .iter()
        .collect();
    assert_eq!(&km[..2], &[Some(10.5), Some(8.0)]);
    let minutes = acts.column("duration_min").unwrap().f64().unwrap().get(1);
    assert_eq!(minutes, Some(45.5));
    assert_eq!(counts(&ing, "mac.csv"), (2, 1, 1));
    assert_reason(&ing, "mac.csv", 3, "negative");
    assert_eq!(counts(&ing, "trailing.csv"), (3, 2, 1));
    assert_reason(&ing, "trailing.csv", 4, "has 6 fields, the header has 5");
    assert_eq!(counts(&ing, "messy.csv"), (5, 1, 4));
    assert_reason(&ing, "messy.csv", 3, "has 5 fields, the header has 4");
    assert_reason(&ing, "messy.csv", 4, "has 3 fields, the header has 4");
    assert_reason(&ing, "messy.csv", 5, "contains NUL bytes");
    assert_reason(&ing, "messy.csv", 6, "has 3 fields, the header has 4");
}

#[test]
fn vendor_files_with_nul_bytes_and_latin1_text_are_read_row_by_row() {
    let whoop = b"Workout start time,Duration (min),Activity name\n\
                  2025-06-01 08:00:00,40,L\xF8b\n\
                  2025-06-02 08:00:00,4\x000,Running\n\
                  \0\0\0\0\0\0\0\0\n";
    let (_dir, ing) = load_files(&[("ana/workouts.csv", whoop)]);
    assert_eq!(counts(&ing, "workouts.csv"), (3, 1, 2));
    assert_reason(&ing, "workouts.csv", 3, "contains NUL bytes");
    assert_reason(&ing, "workouts.csv", 4, "contains NUL bytes");
    assert!(report(&ing, "workouts.csv")
        .notes
        .iter()
        .any(|n| n.contains("Latin-1")));
}

#[test]
fn an_over_long_line_stops_reading_and_names_the_line() {
    let long = "x".repeat(2 * 1024 * 1024);
    let native = format!(
        "athlete,start,duration_min,title\nana,2025-06-01 08:00,60,ok\nana,2025-06-02 08:00,60,{long}\nana,2025-06-03 08:00,60,after\n"
    );
    let whoop = format!(
        "Workout start time,Duration (min),Activity name\n2025-06-01 08:00:00,40,Running\n2025-06-02 08:00:00,40,{long}\n2025-06-03 08:00:00,40,Running\n"
    );
    let (_dir, ing) = load_files(&[
        ("ana/native.csv", native.as_bytes()),
        ("ben/workouts.csv", whoop.as_bytes()),
    ]);
    assert_eq!(counts(&ing, "native.csv"), (2, 1, 1));
    assert_reason(
        &ing,
        "native.csv",
        3,
        "line 3 is longer than 1 MiB: reading stopped here",
    );
    assert_eq!(counts(&ing, "workouts.csv"), (2, 1, 1));
    assert_reason(
        &ing,
        "workouts.csv",
        3,
        "line 3 is longer than 1 MiB: reading stopped here",
    );
}

#[test]
fn an_oversized_vendor_file_is_refused_before_it_is_read() {
    // A sparse file: 300 MiB long, a few KiB on disk. Its first 64 KiB are a WHOOP export.
    let dir = tempfile::tempdir().unwrap();
    let ana = dir.path().join("ana");
    std::fs::create_dir(&ana).unwrap();
    let mut text = String::from("Workout start time,Duration (min),Activity name\n");
    while text.len() < 70 * 1024 {
        text.push_str("2025-06-01 08:00:00,40,Running\n");
    }
    let path = ana.join("workouts.csv");
    std::fs::write(&path, &text).unwrap();
    std::fs::OpenOptions::new()
        .write(true)
        .open(&path)
        .unwrap()
        .set_len(300 * 1024 * 1024)
        .unwrap();
    std::fs::write(ana.join("good.csv"), GOOD).unwrap();
    let ing = load_dir(dir.path(), &opts());
    let why = skipped(&ing, "workouts.csv");
    assert!(
        why.contains("is 300 MiB") && why.contains("the limit is 256 MiB"),
        "{why}"
    );
    assert_eq!(counts(&ing, "good.csv"), (1, 1, 0));
}

#[test]
fn a_large_native_file_is_streamed_and_fully_accounted() {
    // 100,000 drinks (the 2-million-row figure is in docs/formats.md "Limits").
    let mut csv = String::from("athlete,time,volume_ml\n");
    let start = NaiveDate::from_ymd_opt(1995, 1, 1).unwrap();
    for i in 0..100_000u32 {
        let day = start + chrono::Duration::days(i64::from(i / 20));
        csv.push_str(&format!("ana,{day} {:02}:00,{}\n", 4 + i % 20, 100 + i % 7));
    }
    // Every 1000th row impossible: 100 rejections.
    let csv = csv
        .lines()
        .enumerate()
        .map(|(i, l)| {
            if i > 0 && i % 1000 == 0 {
                l.replace(",10", ",-10")
            } else {
                l.to_string()
            }
        })
        .collect::<Vec<_>>()
        .join("\n");
    let (_dir, ing) = load_files(&[("ana/fluids.csv", csv.as_bytes())]);
    assert_eq!(counts(&ing, "fluids.csv"), (100_000, 99_900, 100));
    // Read as days' totals: 20 drinks a day on 5,000 days, each day keeping at least 19.
    let fluids = &ing.frames.fluids;
    assert_eq!(fluids.height(), 5_000);
    let drinks = fluids
        .column("drinks")
        .unwrap()
        .cast(&polars::prelude::DataType::Int64)
        .unwrap();
    let total: i64 = drinks.i64().unwrap().into_no_null_iter().sum();
    assert_eq!(total, 99_900);
    assert_reason(&ing, "fluids.csv", 1001, "must be above 0");
}

/// Every fixture cut at many points (a truncated download) reads without a panic, with the
/// accounting intact.
#[test]
fn truncated_copies_of_every_fixture_never_panic() {
    let mut sources: Vec<PathBuf> = Vec::new();
    fn walk(dir: &Path, out: &mut Vec<PathBuf>) {
        for e in std::fs::read_dir(dir).unwrap() {
            let p = e.unwrap().path();
            if p.is_dir() {
                walk(&p, out);
            } else {
                out.push(p);
            }
        }
    }
    walk(&fixture("vendors"), &mut sources);
    walk(&fixture("basic"), &mut sources);
    sources.sort();
    let dir = tempfile::tempdir().unwrap();
    let mut n = 0;
    for src in &sources {
        let bytes = std::fs::read(src).unwrap();
        let name = src.file_name().unwrap().to_string_lossy().to_string();
        if name.ends_with(".toml") {
            continue;
        }
        for cut in [
            1,
            7,
            bytes.len() / 3,
            bytes.len() / 2,
            bytes.len().saturating_sub(3),
        ] {
            let sub = dir.path().join(format!("{n}/ana"));
            std::fs::create_dir_all(&sub).unwrap();
            std::fs::write(sub.join(&name), &bytes[..cut.min(bytes.len())]).unwrap();
            n += 1;
        }
    }
    let ing = load_dir(dir.path(), &opts());
    assert_eq!(ing.files.len(), n);
}

#[test]
fn exit_codes_follow_the_documented_rules() {
    let dir = tempfile::tempdir().unwrap();
    let team = dir.path().join("team/ana");
    std::fs::create_dir_all(&team).unwrap();
    std::fs::write(
        team.join("a.csv"),
        "athlete,start,duration_min\nana,2025-06-01 08:00,60\nana,2025-06-02 08:00,-1\n",
    )
    .unwrap();
    let run = |extra: &[&str], out: &str| {
        cramprisk()
            .arg("analyze")
            .arg(dir.path().join("team"))
            .arg("--out")
            .arg(dir.path().join(out))
            .args(["--quiet", "--as-of", "2025-06-07"])
            .args(extra)
            .output()
            .unwrap()
    };
    // Rejected rows: still 0 (they are listed in rejected_rows.csv) …
    let out = run(&[], "o1");
    assert_eq!(out.status.code(), Some(0), "{out:?}");
    let rejected = std::fs::read_to_string(dir.path().join("o1/rejected_rows.csv")).unwrap();
    assert!(
        rejected.contains("a.csv,3,duration_min -1 min is negative"),
        "{rejected}"
    );
    // … and 1 with --strict, after writing the outputs.
    let out = run(&["--strict"], "o2");
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).contains("--strict"));
    assert!(dir.path().join("o2/daily_risk.csv").exists());
    // A skipped file alone fails --strict too.
    std::fs::write(
        team.join("a.csv"),
        "athlete,start,duration_min\nana,2025-06-01 08:00,60\n",
    )
    .unwrap();
    assert_eq!(run(&["--strict"], "o3").status.code(), Some(0));
    std::fs::write(team.join("b.csv"), b"\x89PNG\r\n\x1a\n").unwrap();
    assert_eq!(run(&[], "o4").status.code(), Some(0));
    assert_eq!(run(&["--strict"], "o5").status.code(), Some(1));
    // Usage errors are 2.
    assert_eq!(run(&["--no-such-flag"], "o6").status.code(), Some(2));
    // Nothing usable is an error (1), naming the skipped files.
    std::fs::remove_file(team.join("a.csv")).unwrap();
    let out = run(&[], "o7");
    assert_eq!(out.status.code(), Some(1));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("nothing to score: every input file was skipped (1 of 1: "),
        "{err}"
    );
}

/// The CSV outputs of a run, by name.
fn csv_outputs(out: &Path) -> Vec<(String, Vec<u8>)> {
    let mut files: Vec<(String, Vec<u8>)> = std::fs::read_dir(out)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "csv"))
        .map(|p| {
            (
                p.file_name().unwrap().to_string_lossy().to_string(),
                std::fs::read(&p).unwrap(),
            )
        })
        .collect();
    files.sort();
    files
}

fn analyze_twice(input: &Path) {
    let dir = tempfile::tempdir().unwrap();
    let mut runs = Vec::new();
    for out in ["one", "two"] {
        let out = dir.path().join(out);
        let status = cramprisk()
            .arg("analyze")
            .arg(input)
            .arg("--out")
            .arg(&out)
            .args(["--quiet", "--charts", "svg"])
            .output()
            .unwrap();
        assert!(status.status.code().is_some(), "{status:?}");
        runs.push(csv_outputs(&out));
    }
    assert!(!runs[0].is_empty(), "{}", input.display());
    assert_eq!(runs[0], runs[1], "{}", input.display());
}

#[test]
fn vendor_fixtures_give_byte_identical_csvs_twice() {
    analyze_twice(&fixture("vendors"));
}

#[test]
fn real_exports_give_byte_identical_csvs_twice() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/real-exports");
    if !dir.is_dir() {
        assert!(
            std::env::var("CI").map_or(true, |v| v != "true"),
            "CI=true and {} is missing",
            dir.display()
        );
        eprintln!("note: {} missing, test skipped", dir.display());
        return;
    }
    analyze_twice(&dir);
}

#[test]
fn apple_health_records_meet_the_limits_and_a_cut_export_stops_with_its_line() {
    let xml = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n\
<HealthData locale=\"en_GB\">\n \
<Record type=\"HKQuantityTypeIdentifierDietaryWater\" unit=\"mL\" startDate=\"2025-07-01 08:00:00 +0200\" value=\"500\"/>\n \
<Record type=\"HKQuantityTypeIdentifierDietaryWater\" unit=\"mL\" startDate=\"2030-07-01 08:00:00 +0200\" value=\"500\"/>\n \
<Record type=\"HKQuantityTypeIdentifierStepCount\" unit=\"count\" startDate=\"2031-07-01 09:00:00 +0200\" value=\"1200\"/>\n \
<Record type=\"HKQuantityTypeIdentifierDietaryWater\" unit=\"mL\" startDate=\"2025-07-01 09:00:00 +0200\" value=\"9000\"/>\n \
<Workout workoutActivityType=\"HKWorkoutActivityTypeRunning\" duration=\"0\" durationUnit=\"min\" startDate=\"2025-07-01 18:20:00 +0200\"/>\n \
<Record type=\"HKQuantityTypeIdentifierDietaryWater\" unit=\"mL\" startDate=\"2025-07-01 10:00:00 +0200\" val";
    let (_dir, ing) = load_files(&[("ana/export.xml", xml.as_bytes())]);
    assert_eq!(counts(&ing, "export.xml"), (6, 1, 5));
    assert_reason(
        &ing,
        "export.xml",
        4,
        "startDate 2030-07-01 08:00 is in the future",
    );
    assert_reason(
        &ing,
        "export.xml",
        5,
        "startDate 2031-07-01 09:00 is in the future",
    );
    assert_reason(
        &ing,
        "export.xml",
        6,
        "9000 is outside the plausible range 0–5000",
    );
    assert_reason(&ing, "export.xml", 7, "must be above 0");
    assert_reason(
        &ing,
        "export.xml",
        8,
        "unreadable XML, reading stopped here",
    );
    // An empty export.xml is a skipped file, not an export with no records.
    let (_dir, ing) = load_files(&[("ana/export.xml", b"")]);
    assert!(skipped(&ing, "export.xml").contains("not an Apple Health export"));
}

#[test]
fn a_named_pipe_is_skipped_not_waited_on() {
    let dir = tempfile::tempdir().unwrap();
    let ana = dir.path().join("ana");
    std::fs::create_dir(&ana).unwrap();
    std::fs::write(ana.join("good.csv"), GOOD).unwrap();
    let fifo = ana.join("pipe.csv");
    let made = std::process::Command::new("mkfifo")
        .arg(&fifo)
        .status()
        .unwrap();
    assert!(made.success());
    let ing = load_dir(dir.path(), &opts());
    assert_eq!(
        skipped(&ing, "pipe.csv"),
        "is not a regular file (a pipe, socket or device)"
    );
    assert_eq!(counts(&ing, "good.csv"), (1, 1, 0));
}

mod mutated_fixtures {
    //! A small structured fuzz in the test suite (the long cargo-fuzz runs are in fuzz/):
    //! every fixture, mutated with the bytes exports go wrong with (delimiters, quotes, line
    //! ends, NUL, signs, digits, Latin-1), is read without a panic and with every row
    //! accounted for.

    use super::*;
    use proptest::prelude::*;

    fn fixtures() -> Vec<(String, Vec<u8>)> {
        let mut out = Vec::new();
        fn walk(dir: &Path, out: &mut Vec<(String, Vec<u8>)>) {
            let mut entries: Vec<PathBuf> = std::fs::read_dir(dir)
                .unwrap()
                .map(|e| e.unwrap().path())
                .collect();
            entries.sort();
            for p in entries {
                if p.is_dir() {
                    walk(&p, out);
                } else if p.extension().is_some_and(|e| e != "toml") {
                    let name = p.file_name().unwrap().to_string_lossy().to_string();
                    out.push((name, std::fs::read(&p).unwrap()));
                }
            }
        }
        walk(&fixture("vendors"), &mut out);
        walk(&fixture("basic"), &mut out);
        out
    }

    const NASTY: &[u8] = b",;\t\"\n\r\0-:.0123456789e\xF8\xFF ";

    proptest! {
        #![proptest_config(ProptestConfig { cases: 96, ..ProptestConfig::default() })]
        #[test]
        fn mutated_fixtures_never_panic(
            pick in any::<prop::sample::Index>(),
            edits in prop::collection::vec((any::<prop::sample::Index>(), any::<prop::sample::Index>(), 0u8..3), 1..12),
        ) {
            let all = fixtures();
            let (name, mut bytes) = all[pick.index(all.len())].clone();
            for (at, what, op) in edits {
                let i = at.index(bytes.len().max(1)).min(bytes.len());
                let b = NASTY[what.index(NASTY.len())];
                match op {
                    0 if i < bytes.len() => bytes[i] = b,
                    1 => bytes.insert(i, b),
                    _ if i < bytes.len() => { bytes.remove(i); }
                    _ => bytes.push(b),
                }
            }
            let dir = tempfile::tempdir().unwrap();
            let sub = dir.path().join("ana");
            std::fs::create_dir(&sub).unwrap();
            std::fs::write(sub.join(&name), &bytes).unwrap();
            // load_dir asserts the accounting.
            let ing = load_dir(dir.path(), &opts());
            prop_assert_eq!(ing.files.len(), 1);
        }
    }
}

#[test]
fn an_unclosed_quote_is_named_not_swallowed_silently() {
    // A stray quote makes the following lines one cell: the row says so, with the lines.
    let native = "athlete,start,duration_min,title\n\
                  ana,2025-06-01 08:00,60,ok\n\
                  ana,2025-06-02 08:00,60,\"broken\n\
                  ana,2025-06-03 08:00,60,x\n\
                  ana,2025-06-04 08:00,60,y\n";
    let whoop = "Workout start time,Duration (min),Activity name\n\
                 2025-06-01 08:00:00,40,Running\n\
                 2025-06-02 08:00:00,40,\"Run\n\
                 2025-06-03 08:00:00,40,Running\n";
    // A quoted title with a line break in it is a legitimate multi-line cell.
    let multiline = "athlete,start,duration_min,title\n\
                     ben,2025-06-01 08:00,60,\"Easy one\n-- from COROS\"\n\
                     ben,2025-06-02 08:00,60,\"no, 4 x 1 km\"\n\
                     ben,2025-06-03 08:00,-60,\"bad\nrow\"\n";
    let (_dir, ing) = load_files(&[
        ("ana/native.csv", native.as_bytes()),
        ("cy/workouts.csv", whoop.as_bytes()),
        ("ben/multi.csv", multiline.as_bytes()),
    ]);
    assert_eq!(counts(&ing, "native.csv"), (2, 1, 1));
    assert_eq!(
        reason(&ing, "native.csv", 3),
        "a quote `\"` opened on line 3 is not closed until line 5: the lines between look like \
         rows and were read into one cell — close the quote (or remove it) and run again"
    );
    assert_eq!(counts(&ing, "workouts.csv"), (2, 1, 1));
    assert_reason(
        &ing,
        "workouts.csv",
        3,
        "opened on line 3 is not closed until line 4",
    );
    assert_eq!(counts(&ing, "multi.csv"), (3, 2, 1));
    // A rejected multi-line row names the lines it spans.
    assert_reason(&ing, "multi.csv", 5, "this row spans lines 5–6");
}
