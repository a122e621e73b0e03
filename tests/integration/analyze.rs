//! `cramprisk analyze` on the `basic` fixture: two athletes (one named by its folder), hourly
//! weather, a fluid log with an unlogged day, and bad rows. Expected values were computed by
//! hand from the formulas in science.md (the arithmetic is in the comments).

use crate::util::{assert_num, cramprisk, day, fixture, Workdir};

fn run_basic() -> (Workdir, Vec<std::collections::HashMap<String, String>>) {
    let wrk = Workdir::new();
    wrk.analyze(fixture("basic"), "out").assert().success();
    let rows = wrk.read_csv("out/daily_risk.csv");
    (wrk, rows)
}

#[test]
fn grid_has_every_day_with_rest_days_as_zero_load() {
    let (_wrk, rows) = run_basic();
    let keys: Vec<(String, String)> = rows
        .iter()
        .map(|r| (r["athlete"].clone(), r["date"].clone()))
        .collect();
    // ana: first record 07-01, last 07-03; ben: only 07-02. Sorted by athlete then date.
    assert_eq!(
        keys,
        vec![
            ("ana".into(), "2025-07-01".into()),
            ("ana".into(), "2025-07-02".into()),
            ("ana".into(), "2025-07-03".into()),
            ("ben".into(), "2025-07-02".into()),
        ]
    );
    let rest = day(&rows, "ana", "2025-07-02");
    assert_eq!(rest["sessions"], "0");
    assert_eq!(rest["load"], "0.0");
    assert_eq!(rest["duration_min"], "0.0");
}

#[test]
fn an_unlogged_day_has_unknown_fluids_not_zero() {
    let (_wrk, rows) = run_basic();
    let rest = day(&rows, "ana", "2025-07-02");
    assert_eq!(rest["fluid_intake_ml"], "");
    assert_eq!(rest["fluid_balance_ml"], "");
    assert_eq!(rest["sodium_intake_mg"], "");
    // ben never logs fluids
    assert_eq!(day(&rows, "ben", "2025-07-02")["fluid_intake_ml"], "");
}

#[test]
fn loads_trimp_and_pmc_match_hand_values() {
    let (_wrk, rows) = run_basic();
    // Day 1: 60 min at HR 150, rest 60, max 190, male: x = 0.6923, TRIMP = 100.44.
    let d1 = day(&rows, "ana", "2025-07-01");
    assert_num(d1, "load", 100.4, 0.05);
    // PMC seeded with the mean daily load of the first days up to the last session:
    // (100.4403 + 0 + 120)/3 = 73.4801. CTL = 73.4801 + 0.023528·(100.4403 − 73.4801) =
    // 74.1144; ATL = 73.4801 + 0.133122·(100.4403 − 73.4801) = 77.0691. TSB is yesterday's
    // CTL − ATL (GoldenCheetah): the seeds, 0.
    assert_num(d1, "ctl", 74.1, 0.05);
    assert_num(d1, "atl", 77.1, 0.05);
    assert_num(d1, "tsb", 0.0, 0.05);
    // Day 3 (given load 120, the row named "ANA  LOPEZ" is an alias of ana): day 2 (rest)
    // CTL 74.1144·0.976472 = 72.3706, ATL 77.0691·0.866878 = 66.8095; day 3 CTL
    // 72.3706 + 0.023528·(120 − 72.3706) = 73.4913, ATL 66.8095 + 0.133122·(120 − 66.8095) =
    // 73.8903; TSB = 72.3706 − 66.8095 = 5.5611.
    let d3 = day(&rows, "ana", "2025-07-03");
    assert_num(d3, "load", 120.0, 1e-9);
    assert_num(d3, "ctl", 73.5, 0.05);
    assert_num(d3, "atl", 73.9, 0.05);
    assert_num(d3, "tsb", 5.6, 0.05);
    assert_eq!(d3["acwr"], "", "ACWR is empty before the 28th day");
    // ben has no profile (no HR reserve): RPE 6 → x 0.6, 45·0.6·0.64·e^(1.152) = 54.68.
    assert_num(day(&rows, "ben", "2025-07-02"), "load", 54.7, 0.05);
}

#[test]
fn heat_index_is_taken_at_the_hours_trained() {
    let (_wrk, rows) = run_basic();
    // Day 1: the run covers 07:00 only (30 °C, 50 %) → HI 31.05 °C, WBGT 29.26 °C, although
    // 15:00 was hotter (35 °C): heat at rest is not heat while training.
    let d1 = day(&rows, "ana", "2025-07-01");
    assert_num(d1, "heat_index_c", 31.0, 0.051);
    assert_num(d1, "wbgt_c", 29.3, 0.051);
    assert_num(d1, "temp_max_c", 35.0, 1e-9);
    // Rest day: the hottest hour (35 °C, 50 %) → HI 40.68 °C, WBGT 34.79 °C.
    let d2 = day(&rows, "ana", "2025-07-02");
    assert_num(d2, "heat_index_c", 40.7, 0.051);
    assert_num(d2, "wbgt_c", 34.8, 0.051);
    // Day 3: ride 07:30–09:00 covers the 07:00 and 08:00 hours, not 09:00 (35 °C).
    assert_num(day(&rows, "ana", "2025-07-03"), "heat_index_c", 31.0, 0.051);
}

#[test]
fn fluids_sweat_and_sodium_match_hand_values() {
    let (_wrk, rows) = run_basic();
    let d1 = day(&rows, "ana", "2025-07-01");
    // Sweat: run default 1.28 L/h × heat rule (1 + 0.05·(31.049 − 25)) = 1.6671 L/h, 1 h.
    assert_num(d1, "sweat_loss_ml", 1667.0, 0.6);
    // Need: EFSA men 2000 ml + 1667.1 = 3667.1; intake 500 + 500 = 1000.
    assert_num(d1, "fluid_need_ml", 3667.0, 0.6);
    assert_num(d1, "fluid_intake_ml", 1000.0, 1e-9);
    assert_num(d1, "fluid_balance_ml", -2667.0, 0.6);
    // Sodium: 1.6671 L × 825 mg/L = 1375.4; drinks 0.5 L water × 10 + 0.5 L sports drink × 450.
    assert_num(d1, "sodium_loss_mg", 1375.0, 0.6);
    assert_num(d1, "sodium_intake_mg", 230.0, 1e-9);
    // Day 3: the given sodium (0 mg) wins over the water default.
    let d3 = day(&rows, "ana", "2025-07-03");
    assert_num(d3, "sodium_intake_mg", 0.0, 1e-9);
    assert_num(d3, "sweat_loss_ml", 2501.0, 0.6);
}

#[test]
fn risk_adds_up_from_its_factors() {
    let (_wrk, rows) = run_basic();
    let d1 = day(&rows, "ana", "2025-07-01");
    // logit p = b0 + Σ b·x (docs/model.md), by hand:
    // b0 (training day) = ln(0.01/0.99) = −4.5951
    // dehydration: deficit 2667.1 ml / 700 = 3.8102 % → x = 2·3.8102/5.8102 = 1.3116,
    //   b = ln 1.63 = 0.4886 → +0.6408 (×1.898)
    // heat: WBGT 29.259 °C at 07:00 outdoors, 60 min, not acclimatised → x = 1.1259,
    //   b = ln 1.3 = 0.2624 → +0.2954 (×1.344)
    // predisposition: frequent cramps x = 1, b = ln 10.85 = 2.3842; sex: male, ln 1.45 = 0.3716
    // fatigue, warm-up (HRR 0.69 < 0.7: not hard), cold: known 0
    // imputed (prior): electrolytes (no food log) share 0.3 of 1375.4 mg → x = log2(1.2063)
    //   = 0.2706 → +0.0710; conditioning 0.25·ln 1.2 = 0.0456; new activity 0.1·ln 1.5 =
    //   0.0405; static posture 0.25·ln 1.2 = 0.0456; medication 0.05·ln 2.42 = 0.0442;
    //   nerve/circulation 0.05·ln 1.3 = 0.0131; family 0.2·ln 1.3 = 0.0525; tight hamstrings
    //   0.3·ln 1.2 = 0.0547; age 0.4·ln 1.3 = 0.1049; exertion (no usual yet) 0
    // sum = −0.4311 → p = 1/(1 + e^0.4311) = 39.39 %
    assert_num(d1, "risk_pct", 39.4, 1e-9);
    assert_eq!(d1["risk_band"], "high");
    // Range: every unknown at its low (0) → logit −0.9032 → 28.84 %; at its high (share 0.8,
    // every profile flag 1, intensity 0.2 above usual) → 92.82 %.
    assert_num(d1, "risk_low_pct", 28.8, 1e-9);
    assert_num(d1, "risk_high_pct", 92.8, 1e-9);
    // confidence = 1/(1 + (logit_high − logit_low)/2) = 1/(1 + 3.4623/2) = 0.3662
    assert_num(d1, "confidence", 0.37, 1e-9);
    assert_num(d1, "dehydration_or", 1.898, 0.0011);
    assert_num(d1, "heat_or", 1.344, 0.0011);
    assert_num(d1, "sex_or", 1.45, 1e-9);
    assert_num(d1, "fatigue_or", 1.0, 1e-9);
    for unknown in [
        "exertion",
        "electrolytes",
        "conditioning",
        "new_activity",
        "static_posture",
        "predisposition",
    ] {
        assert_eq!(d1[&format!("{unknown}_or")], "", "{unknown}");
    }
    assert!(d1["missing_inputs"].contains("static_posture: daily summaries"));
    assert!(d1["missing_inputs"].contains("predisposition: birth_year in athletes.toml"));
    // Ranked by effect, day-to-day factors only (predisposition and sex are the athlete's).
    assert!(
        d1["top_factors"].starts_with(
            "dehydration ×1.90 (fluid deficit 2667 ml = 3.8 % of body mass); heat ×1.34 (WBGT 29.3 °C over 60 min outdoors); electrolytes ×1.07"
        ),
        "{}",
        d1["top_factors"]
    );
    assert!(
        d1["recommendation"].contains("Drink about 2650 ml more today"),
        "{}",
        d1["recommendation"]
    );
}

#[test]
fn every_row_is_used_or_rejected_with_file_and_line() {
    let (wrk, _rows) = run_basic();
    let rejected = wrk.read_csv("out/rejected_rows.csv");
    let lines: Vec<(String, String, String)> = rejected
        .iter()
        .map(|r| {
            (
                r["file"].rsplit(['/', '\\']).next().unwrap().to_string(),
                r["line"].clone(),
                r["reason"].clone(),
            )
        })
        .collect();
    assert!(
        lines.contains(&(
            "activities.csv".into(),
            "4".into(),
            "duration_min \"abc\" is not a number".into()
        )),
        "{lines:?}"
    );
    assert!(lines
        .iter()
        .any(|(f, l, r)| f == "activities.csv" && l == "5" && r.contains("avg_hr 300")));
    assert!(lines
        .iter()
        .any(|(f, l, r)| f == "fluids.csv" && l == "5" && r.contains("volume_ml")));
    assert_eq!(lines.len(), 3, "{lines:?}");
}

#[test]
fn summary_reports_rows_read_used_and_rejected() {
    let wrk = Workdir::new();
    let assert = wrk.analyze(fixture("basic"), "out").assert().success();
    // The summary is the run's result: on standard output.
    let stderr = String::from_utf8_lossy(&assert.get_output().stdout).to_string();
    assert!(
        stderr.contains("activities: 4 rows read, 2 used, 2 rejected"),
        "{stderr}"
    );
    assert!(
        stderr.contains("fluids: 4 rows read, 3 used, 1 rejected"),
        "{stderr}"
    );
    assert!(
        stderr.contains("weather (hourly): 10 rows read, 10 used, 0 rejected"),
        "{stderr}"
    );
    assert!(stderr.contains("not a diagnosis"), "{stderr}");
}

#[test]
fn strict_turns_rejections_into_failure() {
    let wrk = Workdir::new();
    let out = wrk
        .analyze(fixture("basic"), "out")
        .arg("--strict")
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("(see rejected_rows.csv)"), "{stderr}");
    assert!(wrk.path("out/rejected_rows.csv").is_file());
    // Under --format parquet no rejected_rows.csv is written: the message names the file that is.
    let out = wrk
        .analyze(fixture("basic"), "pq")
        .args(["--strict", "--format", "parquet"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("(see rejected_rows.parquet)"), "{stderr}");
    assert!(wrk.path("pq/rejected_rows.parquet").is_file());
    assert!(!wrk.path("pq/rejected_rows.csv").exists());
}

#[test]
fn from_and_to_limit_the_days_but_not_the_history() {
    let wrk = Workdir::new();
    wrk.analyze(fixture("basic"), "out")
        .args(["--from", "2025-07-03", "--to", "2025-07-05"])
        .assert()
        .success();
    let rows = wrk.read_csv("out/daily_risk.csv");
    let ana: Vec<&str> = rows
        .iter()
        .filter(|r| r["athlete"] == "ana")
        .map(|r| r["date"].as_str())
        .collect();
    assert_eq!(ana, ["2025-07-03", "2025-07-04", "2025-07-05"]);
    // CTL still counts the loads before --from (73.4913, see loads_trimp_and_pmc…), and the
    // rest days --to adds do not change the seed.
    assert_num(day(&rows, "ana", "2025-07-03"), "ctl", 73.5, 0.05);
    let d5 = day(&rows, "ana", "2025-07-05");
    assert_eq!(d5["sessions"], "0");
    // 07-05: two rest days after 73.4913 → 73.4913 · 0.976472² = 70.0737.
    assert_num(d5, "ctl", 70.1, 0.05);
}

#[test]
fn bad_dates_are_usage_errors() {
    let wrk = Workdir::new();
    wrk.analyze(fixture("basic"), "out")
        .args(["--from", "July"])
        .assert()
        .code(2)
        .stderr(predicates::str::contains(
            "invalid value 'July' for '--from <DATE>'",
        ));
}

#[test]
fn unrecognised_files_are_skipped_by_name_and_nothing_usable_is_an_error() {
    let wrk = Workdir::new();
    wrk.create(
        "in/garmin.csv",
        "Activity Type,Date,Distance,Time\nRunning,2025-07-01 07:00:00,10.0,00:50:00\n",
    );
    wrk.create("in/empty.csv", "");
    let assert = wrk.analyze("in", "out").assert().code(1);
    let stderr = crate::util::terminal_of(assert.get_output());
    assert!(
        stderr.contains("garmin.csv  SKIPPED: header not recognised"),
        "{stderr}"
    );
    assert!(
        stderr.contains("activities (missing start, duration_min)"),
        "{stderr}"
    );
    assert!(
        stderr.contains("empty.csv  SKIPPED: the file is empty"),
        "{stderr}"
    );
    assert!(
        stderr.contains("error: nothing to score: every input file was skipped (2 of 2: "),
        "{stderr}"
    );
    // A run that fails writes no table (the summary above named the skipped files).
    assert!(!wrk.path("out/rejected_rows.csv").exists());
}

#[test]
fn explain_prints_every_factor_of_the_day() {
    let assert = cramprisk()
        .args(["explain", "--athlete", "Ana Lopez", "--date", "2025-07-01"])
        .arg(fixture("basic"))
        .assert()
        .success();
    let stdout = String::from_utf8_lossy(&assert.get_output().stdout).to_string();
    assert!(
        stdout.starts_with(
            "ana on 2025-07-01: risk 39.4 % (high), range 28.8–92.8 %, confidence 0.37"
        ),
        "{stdout}"
    );
    for factor in [
        "exertion",
        "fatigue",
        "dehydration",
        "electrolytes",
        "heat",
        "conditioning",
        "new_activity",
        "warmup",
        "static_posture",
        "cold",
        "predisposition",
        "sex",
    ] {
        assert!(
            stdout.contains(&format!("\n{factor} ")),
            "{factor}: {stdout}"
        );
    }
    // Each term with exposure, coefficient, odds multiplier and source: dehydration
    // x 1.312, b = ln 1.63 = 0.489, × 1.898, Kona.
    assert!(
        stdout.contains("dehydration     deficit                1.312   0.489    1.898"),
        "{stdout}"
    );
    assert!(stdout.contains("Kona Ironman medical records"), "{stdout}");
    // An unknown exposure is marked imputed: conditioning's prior 0.25.
    assert!(stdout.contains("infrequent            0.250*"), "{stdout}");
    assert!(
        stdout.contains("conditioning: 28 days of training history"),
        "{stdout}"
    );
    assert!(stdout.contains("not a diagnosis"), "{stdout}");
    // The range and what widens it: the same day's range and missing_inputs in daily_risk.csv
    // (read from the analyze run, not from explain's output).
    let (_wrk, daily) = run_basic();
    let d = day(&daily, "ana", "2025-07-01");
    assert!(!d["missing_inputs"].is_empty(), "{d:?}");
    let want = format!(
        "The range {}–{} % is what the unknown inputs leave open (each imputed between its plausible low and high); to narrow it, add: {}.",
        d["risk_low_pct"], d["risk_high_pct"], d["missing_inputs"]
    );
    assert!(stdout.contains(&want), "{want}\n{stdout}");
}

#[test]
fn model_prints_a_model_that_analyze_accepts() {
    let wrk = Workdir::new();
    let assert = wrk.command("model").assert().success();
    // Dehydration switched off (odds ratio 1: no effect).
    let text = String::from_utf8_lossy(&assert.get_output().stdout)
        .replace("odds_ratio = 1.63", "odds_ratio = 1.0");
    wrk.create("model.toml", text);
    wrk.analyze(fixture("basic"), "out")
        .args(["--model", "model.toml"])
        .assert()
        .success();
    // Without the deficit term (+0.6408 in the logit of −0.4311): −1.0719 → 25.50 %.
    let rows = wrk.read_csv("out/daily_risk.csv");
    assert_num(day(&rows, "ana", "2025-07-01"), "risk_pct", 25.5, 1e-9);
}

#[test]
fn the_same_inputs_give_byte_identical_tables() {
    // Regression: values taken "at the hottest hour" once depended on the order polars
    // delivered a group's rows in, when two hours tied.
    let samples = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("samples/team");
    let tables: Vec<Vec<u8>> = (0..3)
        .map(|_| {
            let wrk = Workdir::new();
            wrk.analyze(&samples, "out").assert().success();
            ["daily_risk.csv", "team_summary.csv", "rejected_rows.csv"]
                .iter()
                .flat_map(|f| std::fs::read(wrk.path("out").join(f)).unwrap())
                .collect()
        })
        .collect();
    assert!(tables[0] == tables[1] && tables[1] == tables[2]);
}
