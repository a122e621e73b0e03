//! Teams: per-athlete folders and a combined file merged through aliases, each athlete with
//! their own place's weather, the team summary, filters and pseudonymisation.

use std::collections::HashMap;
use std::path::Path;

use crate::util::{assert_num, day, fixture, read_csv, terminal_of, Workdir};

/// `analyze` of the team fixture into `out/` of a new workdir.
fn analyze(args: &[&str]) -> (Workdir, String) {
    let wrk = Workdir::new();
    let output = wrk
        .analyze(fixture("team"), "out")
        .args(args)
        .output()
        .unwrap();
    // Everything the terminal shows: the summary (stdout) and the warnings (stderr).
    let stderr = terminal_of(&output);
    assert!(output.status.success(), "{stderr}");
    (wrk, stderr)
}

#[test]
fn mixed_team_folder_resolves_names_places_and_defaults() {
    let (out, stderr) = analyze(&[]);
    let daily = read_csv(&out.path("out/daily_risk.csv"));
    let mut athletes: Vec<&str> = daily.iter().map(|r| r["athlete"].as_str()).collect();
    athletes.dedup();
    // `ana/` and `z. KOWALCZYK` are aliases of Zofia; `Ben/` of Bartholomew; `carla` matches
    // `Carla` by case; `Zofia Kowalczik` matches nothing and stays apart.
    assert_eq!(
        athletes,
        ["Bartholomew", "Carla", "Zofia Kowalczik", "Zofia Kowalczyk"]
    );
    // Zofia: the ana/ sessions on 07-01 and 07-03, the squad ride on 07-02, and her Strava
    // ride on 07-03 (3600 s moving time): 45 + 60 min in two sessions.
    assert_eq!(
        day(&daily, "Zofia Kowalczyk", "2025-07-02")["duration_min"],
        "30.0"
    );
    let z3 = day(&daily, "Zofia Kowalczyk", "2025-07-03");
    assert_eq!(
        (z3["sessions"].as_str(), z3["duration_min"].as_str()),
        ("2", "105.0")
    );
    assert_eq!(z3["distance_km"], "33.00");
    // Bartholomew: his Garmin export repeats the native 07-02 ride (counted once) and adds a
    // 30-minute run on 07-03.
    let b2 = day(&daily, "Bartholomew", "2025-07-02");
    assert_eq!(
        (b2["sessions"].as_str(), b2["duration_min"].as_str()),
        ("1", "90.0")
    );
    assert_eq!(
        day(&daily, "Bartholomew", "2025-07-03")["duration_min"],
        "30.0"
    );
    let rejected = read_csv(&out.path("out/rejected_rows.csv"));
    assert!(rejected
        .iter()
        .any(|r| r["file"].ends_with("Ben/garmin-Activities.csv")
            && r["line"] == "2"
            && r["reason"].starts_with("duplicate of ")
            && r["reason"].ends_with("Ben/activities.csv:3")));
    // Each place's own weather: the fixture's day curve peaks at base + 0.5 × 9 at 15:00,
    // 30 + 4.5 in Valencia and 14 + 4.5 in Oslo.
    assert_num(
        day(&daily, "Zofia Kowalczyk", "2025-07-01"),
        "temp_max_c",
        34.5,
        1e-9,
    );
    assert_num(
        day(&daily, "Bartholomew", "2025-07-01"),
        "temp_max_c",
        18.5,
        1e-9,
    );
    // No location (Carla), or not a profile (the misspelling): no one else's weather.
    assert_eq!(day(&daily, "Carla", "2025-07-01")["temp_max_c"], "");
    assert_eq!(day(&daily, "Carla", "2025-07-01")["heat_index_c"], "");
    assert_eq!(
        day(&daily, "Zofia Kowalczik", "2025-07-02")["temp_max_c"],
        ""
    );
    assert!(
        stderr.contains(
            "\"Zofia Kowalczik\" is not in athletes.toml and looks like \"Zofia Kowalczyk\""
        ),
        "{stderr}"
    );

    let team = read_csv(&out.path("out/team_summary.csv"));
    let row = |name: &str| team.iter().find(|r| r["athlete"] == name).unwrap();
    assert_eq!(row("Carla")["profile_defaulted"], "hr_rest hr_max");
    assert_eq!(row("Bartholomew")["profile_defaulted"], "hr_rest");
    assert!(row("Carla")["location_note"].contains("no location"));
    assert_eq!(row("Zofia Kowalczyk")["location_note"], "");
    assert_eq!(row("Zofia Kowalczyk")["share_days_weather"], "1.00");
    assert_eq!(row("Carla")["share_days_weather"], "0.00");
    assert_eq!(row("Zofia Kowalczyk")["days_analysed"], "3");
    // The report's team table carries the same notes and leading factors.
    let html = std::fs::read_to_string(out.path("out/report.html")).unwrap();
    assert!(html.contains(&format!(
        "<td data-label=\"Most often leading\" class=\"long\">{}</td>",
        row("Zofia Kowalczyk")["frequent_top_factors"]
    )));
    assert!(html.contains("no location in athletes.toml, and the weather names places"));
}

/// The team summary recomputed from daily_risk.csv of the same run, by other code.
#[test]
fn team_summary_agrees_with_the_daily_table_on_the_samples() {
    let out = Workdir::new();
    out.copy_from_repo("samples/team");
    out.analyze("samples/team", "out")
        .args(["--as-of", "2025-07-20", "--last", "4w"])
        .assert()
        .success();
    let daily = read_csv(&out.path("out/daily_risk.csv"));
    let team = read_csv(&out.path("out/team_summary.csv"));
    // --last 4w ending on --as-of: 2025-06-23..2025-07-20, 28 days for each of 6 athletes.
    assert_eq!(daily.len(), 6 * 28);
    assert_eq!(
        daily.iter().map(|r| &r["date"]).min().unwrap(),
        "2025-06-23"
    );
    assert_eq!(
        daily.iter().map(|r| &r["date"]).max().unwrap(),
        "2025-07-20"
    );
    assert_eq!(team.len(), 6);
    let mut by_athlete: HashMap<&str, Vec<&HashMap<String, String>>> = HashMap::new();
    for r in &daily {
        by_athlete.entry(&r["athlete"]).or_default().push(r);
    }
    for t in &team {
        let rows = &by_athlete[t["athlete"].as_str()];
        let high =
            |r: &&&HashMap<String, String>| matches!(r["risk_band"].as_str(), "high" | "very_high");
        let last7: Vec<_> = rows
            .iter()
            .filter(|r| r["date"].as_str() >= "2025-07-14")
            .collect();
        assert_eq!(t["days_analysed"], "28");
        assert_eq!(
            t["high_days_last_7"],
            last7.iter().filter(|r| high(r)).count().to_string()
        );
        assert_eq!(
            t["high_days_last_28"],
            rows.iter().filter(|r| high(r)).count().to_string()
        );
        let score = |r: &HashMap<String, String>| r["risk_pct"].parse::<f64>().unwrap();
        let mean7 = last7.iter().map(|r| score(r)).sum::<f64>() / 7.0;
        assert_num(t, "mean_risk_pct_last_7", mean7, 0.051);
        let max = rows.iter().map(|r| score(r)).fold(f64::MIN, f64::max);
        assert_num(t, "max_risk_pct", max, 1e-9);
        let latest = rows.iter().find(|r| r["date"] == "2025-07-20").unwrap();
        assert_eq!(t["latest_risk_pct"], latest["risk_pct"]);
        assert_eq!(t["latest_band"], latest["risk_band"]);
        let fluids = rows
            .iter()
            .filter(|r| !r["fluid_intake_ml"].is_empty())
            .count();
        assert_num(t, "share_days_fluids", fluids as f64 / 28.0, 0.0051);
    }
    // Ranked: the mean of the last 7 days never increases down the table.
    let means: Vec<f64> = team
        .iter()
        .map(|t| t["mean_risk_pct_last_7"].parse().unwrap())
        .collect();
    assert!(means.windows(2).all(|w| w[0] >= w[1]), "{means:?}");
    let ranks: Vec<&str> = team.iter().map(|t| t["rank"].as_str()).collect();
    assert_eq!(ranks, ["1", "2", "3", "4", "5", "6"]);
}

#[test]
fn athlete_filter_matches_aliases_and_rejects_unknown_names() {
    let (out, _) = analyze(&["--athlete", "ben", "--athlete", "Z. Kowalczyk"]);
    let daily = read_csv(&out.path("out/daily_risk.csv"));
    let mut athletes: Vec<&str> = daily.iter().map(|r| r["athlete"].as_str()).collect();
    athletes.dedup();
    assert_eq!(athletes, ["Bartholomew", "Zofia Kowalczyk"]);

    let out = Workdir::new();
    out.analyze(fixture("team"), "out")
        .args(["--athlete", "Bartholomeu"])
        .assert()
        .code(2)
        .stderr(predicates::str::contains(
            "--athlete \"Bartholomeu\": no such athlete in the inputs. Did you mean \"Bartholomew\"? (athletes: Bartholomew,",
        ));
}

#[test]
fn as_of_ends_the_period_and_to_after_it_is_refused() {
    let (out, _) = analyze(&["--as-of", "2025-07-02"]);
    let daily = read_csv(&out.path("out/daily_risk.csv"));
    assert!(daily.iter().all(|r| r["date"].as_str() <= "2025-07-02"));
    let team = read_csv(&out.path("out/team_summary.csv"));
    let zofia = team
        .iter()
        .find(|r| r["athlete"] == "Zofia Kowalczyk")
        .unwrap();
    assert_eq!(zofia["latest_day"], "2025-07-02");
    assert_eq!(zofia["days_analysed"], "2");
    // Carla's only record is 07-01; --as-of extends her days with rest up to 07-02.
    let carla = team.iter().find(|r| r["athlete"] == "Carla").unwrap();
    assert_eq!(carla["latest_day"], "2025-07-02");

    // Inconsistent dates are a usage error (exit 2), refused before anything is read.
    let out = Workdir::new();
    out.analyze(fixture("team"), "out")
        .args(["--as-of", "2025-07-02", "--to", "2025-07-03"])
        .assert()
        .code(2)
        .stderr(predicates::str::contains(
            "--to 2025-07-03 is after --as-of 2025-07-02",
        ));
    out.analyze(fixture("team"), "out")
        .args(["--last", "3x"])
        .assert()
        .code(2);
}

/// Every file under `dir`, recursively.
fn files(dir: &Path) -> Vec<std::path::PathBuf> {
    let mut out = Vec::new();
    for e in std::fs::read_dir(dir).unwrap() {
        let p = e.unwrap().path();
        if p.is_dir() {
            out.extend(files(&p));
        } else {
            out.push(p);
        }
    }
    out
}

#[test]
fn pseudonymize_leaves_no_name_in_any_output_and_keeps_codes() {
    let (out, stderr) = analyze(&["--pseudonymize", "--charts", "both"]);
    // Every spelling of every athlete, from profiles, aliases, folders and files.
    let long_names = ["zofia", "kowalczyk", "kowalczik", "bartholomew", "carla"];
    let short_names = ["ana", "ben"];
    let outputs: Vec<_> = files(&out.path("out"))
        .into_iter()
        .filter(|p| !p.ends_with("pseudonym_key.csv"))
        .collect();
    assert!(outputs.len() >= 3, "{outputs:?}");
    for path in &outputs {
        let name = path
            .strip_prefix(out.path("out"))
            .unwrap()
            .to_string_lossy()
            .to_lowercase();
        let text = String::from_utf8_lossy(&std::fs::read(path).unwrap()).to_lowercase();
        for n in long_names {
            assert!(!text.contains(n), "{n} in {}", path.display());
            assert!(!name.contains(n), "{n} in the file name {name}");
        }
        // Short names as whole words only (`ana` is in `days_analysed`). Not in PNGs: their
        // text is pixels, and compressed bytes can spell `ana` by chance (the SVG twins are
        // checked as text).
        let words: Vec<&str> = text.split(|c: char| !c.is_alphanumeric()).collect();
        for n in short_names {
            let png = path.extension().is_some_and(|e| e == "png");
            assert!(png || !words.contains(&n), "{n} in {}", path.display());
        }
    }
    for n in long_names {
        assert!(
            !stderr.to_lowercase().contains(n),
            "{n} in the terminal summary"
        );
    }
    let key = read_csv(&out.path("out/pseudonym_key.csv"));
    let pairs: Vec<(&str, &str)> = key
        .iter()
        .map(|r| (r["code"].as_str(), r["athlete"].as_str()))
        .collect();
    // Codes in name order on a first run.
    assert_eq!(
        pairs,
        [
            ("P001", "Bartholomew"),
            ("P002", "Carla"),
            ("P003", "Zofia Kowalczik"),
            ("P004", "Zofia Kowalczyk")
        ]
    );
    let daily = read_csv(&out.path("out/daily_risk.csv"));
    assert_num(day(&daily, "P004", "2025-07-01"), "temp_max_c", 34.5, 1e-9);
    let rejected = std::fs::read_to_string(out.path("out/rejected_rows.csv")).unwrap();
    assert!(rejected.contains("/P004/activities.csv,4,"), "{rejected}");
    assert!(rejected.contains("/P001/activities.csv,4,"), "{rejected}");

    // A second run into the same folder, with one athlete fewer, keeps everyone's code.
    out.analyze(fixture("team"), "out")
        .args(["--pseudonymize", "--athlete", "carla"])
        .assert()
        .success();
    let daily = read_csv(&out.path("out/daily_risk.csv"));
    assert!(daily.iter().all(|r| r["athlete"] == "P002"));
    let key2 = read_csv(&out.path("out/pseudonym_key.csv"));
    assert_eq!(key2, key);
}

/// mean_confidence_last_7, missing_most_often(_days) and the terminal's "add …" lines, each
/// recomputed here from daily_risk.csv: the 7 days ending on the last day of the data, the
/// confidence's mean, and the `; `-separated item of missing_inputs listed on most of those
/// days (ties: alphabetically first).
#[test]
fn what_is_missing_is_counted_from_the_daily_table() {
    let (out, terminal) = analyze(&[]);
    let daily = read_csv(&out.path("out/daily_risk.csv"));
    let team = read_csv(&out.path("out/team_summary.csv"));
    let as_of = daily.iter().map(|r| r["date"].clone()).max().unwrap();
    let as_of = chrono::NaiveDate::parse_from_str(&as_of, "%Y-%m-%d").unwrap();
    let first = (as_of - chrono::Duration::days(6)).to_string();
    let last = as_of.to_string();
    let mut marked = 0;
    for row in &team {
        let name = &row["athlete"];
        let week: Vec<_> = daily
            .iter()
            .filter(|r| &r["athlete"] == name)
            .filter(|r| r["date"] >= first && r["date"] <= last)
            .collect();
        let conf: Vec<f64> = week
            .iter()
            .filter_map(|r| r["confidence"].parse::<f64>().ok())
            .collect();
        if conf.is_empty() {
            assert_eq!(row["mean_confidence_last_7"], "", "{name}");
        } else {
            // daily_risk.csv rounds each confidence to 2 decimals (mean off by up to 0.005) and the
            // summary rounds its mean to 2 (another 0.005).
            assert_num(
                row,
                "mean_confidence_last_7",
                conf.iter().sum::<f64>() / conf.len() as f64,
                0.0101,
            );
        }
        let mut counts: HashMap<&str, i64> = HashMap::new();
        for r in &week {
            for item in r["missing_inputs"].split("; ").filter(|m| !m.is_empty()) {
                *counts.entry(item).or_default() += 1;
            }
        }
        let best = counts
            .iter()
            .max_by(|a, b| a.1.cmp(b.1).then(b.0.cmp(a.0)))
            .map(|(i, n)| (i.to_string(), *n));
        let (item, n) = best.unwrap_or_default();
        assert_eq!(row["missing_most_often"], item, "{name}");
        assert_eq!(row["missing_most_often_days"], n.to_string(), "{name}");
        if n > 0 {
            marked += 1;
            let line = format!("  {name}: add {item} (missing on {n} of the last 7 days; ");
            assert!(terminal.contains(&line), "{line}\n{terminal}");
        }
    }
    // The fixture lacks some input on its last days, so the check above ran at least once.
    assert!(marked > 0, "{terminal}");
}
