//! Cramps mentioned in session titles and descriptions (native `title`, Garmin `Title`,
//! Strava `Activity Name`/`Activity Description`): listed by `inspect`, kept apart from logged
//! cramps, counted only with `--cramps-from-titles`, and shown in daily_risk.csv's
//! `cramp_logged` column (log beats mention; no log → unknown, an empty cell).

use std::collections::BTreeMap;

use crate::util::{stderr_of, stdout_of, Workdir};

/// 40 days of one run a day from 2025-06-01; `title(i)` gives day i's title.
fn days(i: u64) -> chrono::NaiveDate {
    chrono::NaiveDate::from_ymd_opt(2025, 6, 1).unwrap() + chrono::Days::new(i)
}

/// Three athletes in three formats, each with cramp mentions and negations in July (after
/// their first 28 days, so every mention is on an evaluated day).
fn team(wd: &Workdir) {
    // ana, native: 2025-07-01 (day 30, line 32) and 07-05 (day 34, line 36) mention a cramp;
    // 07-03 says there was none.
    let mut native = String::from("athlete,start,sport,duration_min,title\n");
    for i in 0..40 {
        let title = match i {
            30 => "Long run, calf cramp at km 30",
            32 => "No cramps today",
            34 => "Wadenkrampf beim Intervall",
            _ => "Easy run",
        };
        native += &format!("ana,{} 07:00,run,45,\"{title}\"\n", days(i));
    }
    wd.create("in/ana/activities.csv", native);
    // ben, Garmin (the folder names him): 07-02 "Kramp in de kuit"; 07-04 "Ingen krampe".
    let mut garmin =
        String::from("Activity Type,Date,Favorite,Title,Distance,Calories,Time,Avg HR,Max HR\n");
    for i in 0..40 {
        let title = match i {
            31 => "Kramp in de kuit",
            33 => "Ingen krampe",
            _ => "Run",
        };
        garmin += &format!(
            "Running,{} 07:00:00,false,\"{title}\",\"8.00\",\"600\",\"00:45:00\",\"148\",\"165\"\n",
            days(i)
        );
    }
    wd.create("in/ben/Activities.csv", garmin);
    // cleo, Strava (2019 layout): 07-06's description "Crampe au mollet"; 07-07's name
    // "Lungo senza crampi".
    let mut strava = String::from(
        "Activity ID,Activity Date,Activity Name,Activity Type,Activity Description,Elapsed Time,Distance,Commute,Activity Gear,Filename\n",
    );
    for i in 0..40u64 {
        let (name, desc) = match i {
            35 => ("Long run", "Crampe au mollet"),
            36 => ("Lungo senza crampi", ""),
            _ => ("Run", ""),
        };
        strava += &format!(
            "{},\"{}, 7:15:00 AM\",{name},Run,{desc},2700,7.5,false,,\n",
            3000 + i,
            days(i).format("%b %-d, %Y")
        );
    }
    wd.create("in/cleo/activities.csv", strava);
}

fn cramp_column(wd: &Workdir, out: &str) -> BTreeMap<(String, String), String> {
    wd.read_csv(&format!("{out}/daily_risk.csv"))
        .into_iter()
        .map(|r| {
            (
                (r["athlete"].clone(), r["date"].clone()),
                r["cramp_logged"].clone(),
            )
        })
        .collect()
}

#[test]
fn mentions_are_listed_kept_apart_and_counted_only_when_asked() {
    let wd = Workdir::new();
    team(&wd);
    // inspect lists a file's mentions with their lines.
    let out = wd
        .command("inspect")
        .arg("in/ana/activities.csv")
        .output()
        .unwrap();
    let text = stdout_of(&out);
    assert!(
        text.contains("cramps      2 mentioned in session titles"),
        "{text}"
    );
    assert!(
        text.contains("line 32: ana 2025-07-01: \"Long run, calf cramp at km 30\""),
        "{text}"
    );
    assert!(
        text.contains("line 36: ana 2025-07-05: \"Wadenkrampf beim Intervall\""),
        "{text}"
    );
    assert!(!text.contains("No cramps today"), "{text}");
    let out = wd
        .command("inspect")
        .arg("in/cleo/activities.csv")
        .output()
        .unwrap();
    assert!(
        stdout_of(&out).contains("cramps      1 mentioned in session titles"),
        "{}",
        stdout_of(&out)
    );

    // Without --cramps-from-titles, evaluate finds no cramps and says how to count them.
    let out = wd
        .command("evaluate")
        .args(["in", "--out", "eval"])
        .output()
        .unwrap();
    assert!(!out.status.success());
    assert!(
        stderr_of(&out)
            .contains("4 session title(s) mention a cramp: add --cramps-from-titles to count them"),
        "{}",
        stderr_of(&out)
    );
    // With it: 4 cramp days (ana 07-01 and 07-05, ben 07-02, cleo 07-06) among each
    // athlete's days from their 29th (06-29) to the last (07-10): 3 × 12 = 36 days.
    wd.command("evaluate")
        .args(["in", "--out", "eval", "--cramps-from-titles"])
        .assert()
        .success();
    let eval = wd.read_csv("eval/evaluation.csv");
    let team = eval.iter().find(|r| r["group"] == "team").unwrap();
    assert_eq!(team["cramp_days"], "4");
    assert_eq!(team["days"], "36");

    // analyze without the flag: every cramp_logged cell empty (no log: unknown), and a warning.
    let out = wd
        .analyze("in", "plain")
        .args(["--charts", "none"])
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", stderr_of(&out));
    assert!(
        stderr_of(&out).contains("4 session title(s) mention a cramp"),
        "{}",
        stderr_of(&out)
    );
    let plain = cramp_column(&wd, "plain");
    assert_eq!(plain.len(), 120);
    assert!(plain.values().all(|v| v.is_empty()), "{plain:?}");

    // With the flag and a cramp log for ana that has 07-01: log beats mention there; ana's
    // other days are "none" (her log covers her); ben's and cleo's non-mention days unknown.
    wd.create(
        "in/ana/cramps.csv",
        "date,muscle,severity\n2025-07-01,calf,2\n",
    );
    wd.analyze("in", "flag")
        .args(["--charts", "none", "--cramps-from-titles"])
        .assert()
        .success();
    let col = cramp_column(&wd, "flag");
    let at = |a: &str, d: &str| col[&(a.to_string(), d.to_string())].as_str();
    assert_eq!(at("ana", "2025-07-01"), "log");
    assert_eq!(at("ana", "2025-07-05"), "mention");
    assert_eq!(at("ana", "2025-07-03"), "none");
    assert_eq!(at("ana", "2025-06-01"), "none");
    assert_eq!(at("ben", "2025-07-02"), "mention");
    assert_eq!(at("ben", "2025-07-04"), "");
    assert_eq!(at("cleo", "2025-07-06"), "mention");
    assert_eq!(at("cleo", "2025-07-07"), "");
    let count = |v: &str| col.values().filter(|x| x.as_str() == v).count();
    // 1 log; 3 mentions (ana 07-05, ben 07-02, cleo 07-06); ana's other 38 days none.
    assert_eq!((count("log"), count("mention"), count("none")), (1, 3, 38));
    assert_eq!(count(""), 120 - 42);
    // The report lists ana's cramps, the logged one with its muscle and severity.
    let html = wd.read("flag/report.html");
    assert!(html.contains("Cramps of ana (2)"), "no cramp list");
    assert!(html
        .contains("<td data-label=\"Muscle\">calf</td><td data-label=\"Severity\">moderate</td>"));
    assert!(html.contains("<td data-label=\"Source\">session title</td>"));
}
