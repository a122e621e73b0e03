//! Issue 19's last items, each a case that failed before its fix: folder walks through link
//! loops, native headers in another case, a repeated column the tool never reads, line numbers
//! after blank lines and multi-line cells, one bad entry in a Garmin hydration log, duplicates
//! judged on UTC instants the night clocks fall back, the output set finished by the next run
//! after a crash half-way through its swap, and `--model` weights out of range.

use std::path::Path;
use std::sync::mpsc;
use std::time::Duration;

use cramprisk::ingest::{self, Ingested, ReadOptions};

use crate::util::{stderr_of, Workdir};

const ACTIVITIES: &str = "athlete,start,sport,duration_min,avg_hr,title\n\
                          ana,2025-05-01 07:00,run,45,150,easy\n\
                          ana,2025-05-02 07:00,run,30,140,short\n";

fn opts() -> ReadOptions {
    ReadOptions {
        today: chrono::NaiveDate::from_ymd_opt(2026, 11, 21),
        ..ReadOptions::default()
    }
}

/// Discovers and reads `dir` with `opts`, on a thread given 20 s: a walk that never ends
/// fails the test instead of hanging it.
fn load_within_time(dir: &Path, opts: ReadOptions) -> (Vec<ingest::InputFile>, Ingested) {
    let dir = dir.to_path_buf();
    let (tx, rx) = mpsc::channel();
    std::thread::spawn(move || {
        let (files, profiles) = ingest::discover(&[dir]).unwrap();
        let ing = ingest::load(&files, &profiles, &opts).unwrap();
        let _ = tx.send((files, ing));
    });
    rx.recv_timeout(Duration::from_secs(20))
        .expect("discovering and reading the folder took over 20 s (a walk through link loops?)")
}

fn report<'a>(ing: &'a Ingested, name: &str) -> &'a ingest::FileReport {
    ing.files
        .iter()
        .find(|f| f.path.ends_with(name))
        .unwrap_or_else(|| panic!("no report for {name}"))
}

/// (rows read, used, rejected) of a file, after checking it was not skipped.
fn counts(ing: &Ingested, name: &str) -> (usize, usize, usize) {
    let r = report(ing, name);
    assert_eq!(r.skipped, None, "{name} skipped");
    (r.rows_read, r.rows_used, r.rows_rejected)
}

/// The (line, reason) of every rejected row of a file.
fn rejected(ing: &Ingested, name: &str) -> Vec<(Option<u64>, String)> {
    ing.rejections
        .iter()
        .filter(|r| r.file.ends_with(name))
        .map(|r| (r.line, r.reason.clone()))
        .collect()
}

#[test]
fn link_loops_are_walked_once_and_each_file_read_once() {
    let wd = Workdir::new();
    wd.create("in/ana/activities.csv", ACTIVITIES);
    // Two sibling loops (each back to a folder being walked) made the old walk exponential:
    // 2 branches per level, down to the path-length limit.
    std::os::unix::fs::symlink("..", wd.path("in/ana/up")).unwrap();
    std::os::unix::fs::symlink(".", wd.path("in/ana/here")).unwrap();
    std::os::unix::fs::symlink("../ana", wd.path("in/ana/again")).unwrap();
    // A loop through the folder above the walk (walked once around before the walker sees
    // it), named to sort before the file: `ana/a-out/in/ana/activities.csv` must not be the
    // path kept.
    std::os::unix::fs::symlink("../..", wd.path("in/ana/a-out")).unwrap();
    // A link to a sibling folder: the same file by a second path.
    std::os::unix::fs::symlink("ana", wd.path("in/ana-link")).unwrap();
    let (files, ing) = load_within_time(&wd.path("in"), opts());
    let names: Vec<String> = files
        .iter()
        .map(|f| {
            f.path
                .strip_prefix(wd.path("in"))
                .unwrap()
                .display()
                .to_string()
        })
        .collect();
    // Read once, by its shortest path, then the first in order ("ana/…" before "ana-link/…").
    assert_eq!(names, ["ana/activities.csv"]);
    assert_eq!(counts(&ing, "ana/activities.csv"), (2, 2, 0));
    assert!(ing.rejections.is_empty(), "{:?}", ing.rejections);
    // The binary too: both sessions used, nothing rejected as a duplicate of itself.
    let out = wd
        .analyze("in", "out")
        .args(["--as-of", "2025-05-02"])
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", stderr_of(&out));
    assert!(wd.read_csv("out/rejected_rows.csv").is_empty());
}

#[test]
fn a_native_header_in_another_case_is_read_and_vendor_detection_stays_exact() {
    let wd = Workdir::new();
    wd.create(
        "in/ana/activities.csv",
        "Athlete,Start,Sport,DURATION_MIN,Avg_HR,Title\n\
         ana,2025-05-01 07:00,run,45,150,easy\n\
         ana,2025-05-02 07:00,run,30,140,short\n",
    );
    let (_, ing) = load_within_time(&wd.path("in"), opts());
    // Before: skipped, "header not recognised".
    assert_eq!(counts(&ing, "activities.csv"), (2, 2, 0));
    let r = report(&ing, "activities.csv");
    assert_eq!(r.kind, Some(ingest::Kind::Activities));
    assert!(
        r.notes
            .iter()
            .any(|n| n.contains("ignoring upper/lower case")),
        "{:?}",
        r.notes
    );
    // 45 + 30 minutes read (the columns found by their folded names).
    let d = &ing.frames.activities;
    let total: f64 = d
        .column("duration_min")
        .unwrap()
        .f64()
        .unwrap()
        .into_no_null_iter()
        .sum();
    assert_eq!(total, 75.0);
}

#[test]
fn a_repeated_column_the_tool_never_reads_is_ignored_with_a_note() {
    let wd = Workdir::new();
    wd.create(
        "in/ana/activities.csv",
        "athlete,start,sport,duration_min,notes,notes\n\
         ana,2025-05-01 07:00,run,45,legs ok,\n\
         ana,2025-05-02 07:00,run,30,,tired\n",
    );
    // A repeated column the tool reads is still ambiguous: the file is skipped, naming both.
    wd.create(
        "in/ben/activities.csv",
        "athlete,start,sport,duration_min,duration_min\n\
         ben,2025-05-01 07:00,run,45,50\n",
    );
    let (_, ing) = load_within_time(&wd.path("in"), opts());
    // Before: skipped ("column \"notes\" appears twice").
    assert_eq!(counts(&ing, "ana/activities.csv"), (2, 2, 0));
    let note = "column \"notes\" appears twice in the header (columns 5 and 6); cramprisk does \
                not read it, so both are ignored";
    assert!(
        report(&ing, "ana/activities.csv")
            .notes
            .iter()
            .any(|n| n == note),
        "{:?}",
        report(&ing, "ana/activities.csv").notes
    );
    let ben = report(&ing, "ben/activities.csv");
    assert!(
        ben.skipped
            .as_deref()
            .is_some_and(|s| s.starts_with("column \"duration_min\" appears twice")
                && s.contains("columns 4 and 5")),
        "{:?}",
        ben.skipped
    );
    // The note is in the terminal summary and in `inspect`.
    let out = wd
        .analyze("in/ana", "out")
        .args(["--as-of", "2025-05-02"])
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", stderr_of(&out));
    assert!(String::from_utf8_lossy(&out.stdout).contains(note));
    let out = wd.command("inspect").arg("in/ana").output().unwrap();
    assert!(out.status.success(), "{}", stderr_of(&out));
    assert!(String::from_utf8_lossy(&out.stdout).contains(note));
}

#[test]
fn line_numbers_are_exact_after_blank_lines_and_multi_line_cells() {
    let wd = Workdir::new();
    // Physical lines: 1 header, 2 good, 3 blank, 4 blank, 5 bad duration, 6–7 a title over
    // two lines, 8 bad heart rate, 9 blank, 10 bad start.
    wd.create(
        "in/ana/activities.csv",
        "athlete,start,sport,duration_min,avg_hr,title\n\
         ana,2025-05-01 07:00,run,45,150,easy\n\
         \n\
         \n\
         ana,2025-05-02 07:00,run,-5,150,bad duration\n\
         ana,2025-05-03 07:00,run,40,150,\"two\n\
         lines\"\n\
         ana,2025-05-04 07:00,run,40,999,bad hr\n\
         \n\
         ana,not a date,run,40,150,bad start\n",
    );
    let (_, ing) = load_within_time(&wd.path("in"), opts());
    assert_eq!(counts(&ing, "activities.csv"), (5, 2, 3));
    let lines: Vec<Option<u64>> = rejected(&ing, "activities.csv")
        .into_iter()
        .map(|(l, _)| l)
        .collect();
    assert_eq!(lines, [Some(5), Some(8), Some(10)]);
}

#[test]
fn one_malformed_hydration_entry_rejects_that_entry_not_the_file() {
    let wd = Workdir::new();
    wd.create(
        "in/ana/HydrationLogFile_1.json",
        r#"[
 {"calendarDate": "2025-05-01", "timestampLocal": "2025-05-01T08:00:00.0", "valueInML": 500.0},
 {"calendarDate": "2025-05-01", "timestampLocal": "2025-05-01T09:00:00.0", "valueInML": "lots"},
 {"calendarDate": "2025-05-01", "timestampLocal": "2025-05-01T10:00:00.0", "valueInML": 250.0},
 7
]"#,
    );
    let (_, ing) = load_within_time(&wd.path("in"), opts());
    // Before: the whole file skipped ("not a Garmin hydration log: invalid type …").
    assert_eq!(counts(&ing, "HydrationLogFile_1.json"), (4, 2, 2));
    let rej = rejected(&ing, "HydrationLogFile_1.json");
    assert_eq!(rej.len(), 2);
    assert_eq!(rej[0].0, Some(2));
    assert!(
        rej[0]
            .1
            .starts_with("entry 2 is not a hydration entry: invalid type: string \"lots\""),
        "{}",
        rej[0].1
    );
    assert_eq!(rej[1].0, Some(4));
    // 500 + 250 ml drunk (the fluids are read as days' totals).
    let total: f64 = ing
        .frames
        .fluids
        .column("fluid_intake_ml")
        .unwrap()
        .f64()
        .unwrap()
        .into_no_null_iter()
        .sum();
    assert_eq!(total, 750.0);
}

#[test]
fn duplicates_are_judged_on_utc_instants_the_night_clocks_fall_back() {
    let wd = Workdir::new();
    // Oslo leaves summer time at 01:00 UTC on Sunday 26 October 2025 (last Sunday of
    // October): 00:30 UTC is 02:30 CEST (+2), 01:30 UTC is 02:30 CET (+1) — one local time,
    // two instants an hour apart. Two 30-minute runs: neither a duplicate nor overlapping.
    wd.create(
        "in/ana/activities.csv",
        "Activity ID,Activity Date,Activity Name,Activity Type,Elapsed Time,Moving Time,Distance\n\
         1,\"Oct 26, 2025, 12:30:00 AM\",Night run,Run,1800,1800,5.00\n\
         2,\"Oct 26, 2025, 1:30:00 AM\",Night run 2,Run,1800,1800,5.00\n\
         3,\"Oct 26, 2025, 1:30:00 AM\",Night run 2,Run,1800,1800,5.00\n",
    );
    // Meteostat hourly, UTC: 00:00 and 01:00 UTC are both 02:00 in Oslo that night.
    wd.create(
        "in/weather/hourly.csv",
        "time,temp,dwpt,rhum,prcp,snow,wdir,wspd,wpgt,pres,tsun,coco\n\
         2025-10-26 00:00:00,20.0,10.0,50,0.0,,250,10.0,,1015.0,0,1\n\
         2025-10-26 01:00:00,30.0,10.0,50,0.0,,250,10.0,,1015.0,0,1\n",
    );
    let opts = ReadOptions {
        tz: Some(chrono_tz::Europe::Oslo),
        ..opts()
    };
    let (_, ing) = load_within_time(&wd.path("in"), opts);
    // Before: the second run rejected as "duplicate of …:2", the 30 °C hour likewise. The
    // third row is the same instant as the second: a true duplicate.
    assert_eq!(counts(&ing, "ana/activities.csv"), (3, 2, 1));
    let rej = rejected(&ing, "ana/activities.csv");
    assert_eq!(rej[0].0, Some(4));
    assert!(rej[0].1.starts_with("duplicate of "), "{}", rej[0].1);
    assert!(rej[0].1.ends_with("activities.csv:3"), "{}", rej[0].1);
    assert_eq!(counts(&ing, "weather/hourly.csv"), (2, 2, 0));
    let temps: Vec<f64> = ing
        .frames
        .weather_hourly
        .column("temp_c")
        .unwrap()
        .f64()
        .unwrap()
        .into_no_null_iter()
        .collect();
    assert_eq!(temps, [20.0, 30.0]);
}

/// The CSV tables of an output folder, by name.
fn tables(dir: &Path) -> Vec<(String, Vec<u8>)> {
    ["daily_risk.csv", "team_summary.csv", "rejected_rows.csv"]
        .iter()
        .map(|n| {
            (
                n.to_string(),
                std::fs::read(dir.join(n)).unwrap_or_default(),
            )
        })
        .collect()
}

/// Every path under `dir`, relative.
fn all_paths(dir: &Path) -> Vec<String> {
    let mut out: Vec<String> = walkdir::WalkDir::new(dir)
        .min_depth(1)
        .into_iter()
        .map(|e| {
            e.unwrap()
                .path()
                .strip_prefix(dir)
                .unwrap()
                .display()
                .to_string()
        })
        .collect();
    out.sort();
    out
}

#[test]
fn a_crash_half_way_through_the_swap_is_finished_by_the_next_run() {
    let wd = Workdir::new();
    wd.create("old/ana/activities.csv", ACTIVITIES);
    let mut newer = ACTIVITIES.to_string();
    newer.push_str("ana,2025-05-03 07:00,run,90,160,long\n");
    newer.push_str("ben,2025-05-03 07:00,ride,60,130,spin\n");
    wd.create("new/ana/activities.csv", newer);
    // Nothing usable: a run that stops with "nothing to score", after preparing the folder.
    wd.create("none/x.csv", "nothing,here\n1,2\n");
    let as_of = ["--as-of", "2025-05-03"];
    // The reference: the new set written in one go.
    let ok = wd.analyze("new", "ref").args(as_of).output().unwrap();
    assert!(ok.status.success(), "{}", stderr_of(&ok));
    let old = wd.analyze("old", "out").args(as_of).output().unwrap();
    assert!(old.status.success(), "{}", stderr_of(&old));
    assert_ne!(tables(&wd.path("ref")), tables(&wd.path("out")));
    // The new run dies after moving 2 of its files into place (charts come first in the
    // set's order, then the tables).
    let crashed = wd
        .analyze("new", "out")
        .args(as_of)
        .env("CRAMPRISK_CRASH_AFTER_MOVES", "2")
        .output()
        .unwrap();
    assert!(!crashed.status.success());
    assert!(wd.path("out/.cramprisk-staging").exists());
    // Half-done: the tables are still the old run's.
    assert_ne!(tables(&wd.path("ref")), tables(&wd.path("out")));
    // The next start — here a run that itself writes nothing — finishes the swap first.
    let next = wd.analyze("none", "out").args(as_of).output().unwrap();
    assert_eq!(next.status.code(), Some(1), "{}", stderr_of(&next));
    assert!(stderr_of(&next).contains("nothing to score"));
    assert_eq!(tables(&wd.path("ref")), tables(&wd.path("out")));
    // No staging folder or temporary file is left, and the files are the reference's.
    let want = all_paths(&wd.path("ref"));
    let have = all_paths(&wd.path("out"));
    assert_eq!(have, want);
    assert!(!have.iter().any(|p| p.ends_with(".tmp")), "{have:?}");
}

#[test]
fn model_weights_out_of_range_are_refused() {
    let wd = Workdir::new();
    wd.create("in/ana/activities.csv", ACTIVITIES);
    let text =
        std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("assets/model.toml"))
            .unwrap();
    // The first term's ratio (1.4), at the start of a line (the comments mention the key too).
    let at = text.find("\nodds_ratio = ").unwrap() + 1;
    let end = at + text[at..].find('\n').unwrap();
    for (weight, shown) in [("1e308", "1000000000"), ("163.0", "163")] {
        let mut model = text.clone();
        model.replace_range(at..end, &format!("odds_ratio = {weight}"));
        wd.create("model.toml", &model);
        let out = wd
            .analyze("in", "out")
            .args(["--as-of", "2025-05-02", "--model", "model.toml"])
            .output()
            .unwrap();
        // Before the bound: exit 0 with every score empty (1e308), or scores of 560 %.
        assert!(!out.status.success(), "{weight}");
        let err = stderr_of(&out);
        assert!(
            err.contains(&format!(
                "odds_ratio must be within 1–20 (a harmful exposure), got {shown}"
            )),
            "{err}"
        );
        assert!(!wd.path("out/daily_risk.csv").exists());
    }
}
