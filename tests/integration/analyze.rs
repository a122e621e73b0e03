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
    // CTL = 100.44·(1 − e^(−1/42)) = 2.3632; ATL = 100.44·(1 − e^(−1/7)) = 13.3708.
    assert_num(d1, "ctl", 2.4, 0.05);
    assert_num(d1, "atl", 13.4, 0.05);
    assert_num(d1, "tsb", -11.0, 0.05);
    // Day 3 (given load 120, the row named "ANA  LOPEZ" is an alias of ana):
    // CTL 5.0767, ATL 26.0225, TSB −20.9458.
    let d3 = day(&rows, "ana", "2025-07-03");
    assert_num(d3, "load", 120.0, 1e-9);
    assert_num(d3, "ctl", 5.1, 0.05);
    assert_num(d3, "atl", 26.0, 0.05);
    assert_num(d3, "tsb", -20.9, 0.05);
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
fn score_adds_up_from_its_factors() {
    let (_wrk, rows) = run_basic();
    let d1 = day(&rows, "ana", "2025-07-01");
    // fatigue: TSB −11.0076 on the ramp −10 → −40 = 0.0336; streak 1 and a 60-min session add
    //   nothing → 0.0336 × 15 = 0.5 pts
    // dehydration: 2667.1 ml / (10 × 70 kg) = 3.81 % ≥ 3 % → 1 × 10 = 10 pts
    // electrolytes: 1375.4 − 230 = 1145.4 mg on 500 → 3000 = 0.2582 → 2.6 pts (plain-water
    //   share 0.5 × sweat 1667 ml on 1500 → 4000 = 0.028 is lower)
    // heat: HI 31.049 on 27 → 41 = 0.2892 × 60/60 min × (no acclimatisation) → 2.9 pts
    // cold: apparent temperature 32.98 °C → 0; warm-up: HRR 0.69 is not a hard session → 0
    // predisposition: frequent cramps → 1 × 20 = 20 pts
    // unknown: exertion, conditioning, new activity (1 day of history), static posture
    assert_num(d1, "fatigue_pts", 0.5, 0.051);
    assert_num(d1, "dehydration_pts", 10.0, 1e-9);
    assert_num(d1, "electrolytes_pts", 2.6, 0.051);
    assert_num(d1, "heat_pts", 2.9, 0.051);
    assert_num(d1, "cold_pts", 0.0, 1e-9);
    assert_num(d1, "warmup_pts", 0.0, 1e-9);
    assert_num(d1, "predisposition_pts", 20.0, 1e-9);
    for unknown in ["exertion", "conditioning", "new_activity", "static_posture"] {
        assert_eq!(d1[&format!("{unknown}_score")], "", "{unknown}");
    }
    // 0.504 + 10 + 2.582 + 2.892 + 20 = 35.98
    assert_num(d1, "risk_score", 36.0, 1e-9);
    assert_eq!(d1["risk_band"], "moderate");
    // known weight: 100 − 12 − 8 − 5 − 3 = 72
    assert_num(d1, "confidence", 0.72, 1e-9);
    assert!(d1["missing_inputs"].contains("static_posture: daily summaries"));
    assert!(
        d1["top_factors"].starts_with("predisposition: frequent cramps (20.0 pts); dehydration: fluid deficit 2667 ml = 3.8 % of body mass (10.0 pts)"),
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
    let stderr = String::from_utf8_lossy(&assert.get_output().stderr).to_string();
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
    wrk.analyze(fixture("basic"), "out")
        .arg("--strict")
        .assert()
        .code(1);
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
    // CTL still counts the loads before --from.
    assert_num(day(&rows, "ana", "2025-07-03"), "ctl", 5.1, 0.05);
    let d5 = day(&rows, "ana", "2025-07-05");
    assert_eq!(d5["sessions"], "0");
    // 07-05: two rest days after 5.0767 → 5.0767 · 0.976472² = 4.8406.
    assert_num(d5, "ctl", 4.8, 0.05);
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
    let stderr = String::from_utf8_lossy(&assert.get_output().stderr).to_string();
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
    assert!(stderr.contains("error: nothing to score"), "{stderr}");
    let rejected = wrk.read_csv("out/rejected_rows.csv");
    assert_eq!(rejected.len(), 2);
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
        stdout.starts_with("ana on 2025-07-01: risk 36.0 of 100 (moderate), confidence 0.72"),
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
    ] {
        assert!(
            stdout.contains(&format!("\n{factor} ")),
            "{factor}: {stdout}"
        );
    }
    assert!(
        stdout.contains("needs 28 days of training history"),
        "{stdout}"
    );
    assert!(stdout.contains("not a diagnosis"), "{stdout}");
}

#[test]
fn model_prints_a_model_that_analyze_accepts() {
    let wrk = Workdir::new();
    let assert = wrk.command("model").assert().success();
    let text = String::from_utf8_lossy(&assert.get_output().stdout)
        .replace("weight = 20.0", "weight = 0.0");
    wrk.create("model.toml", text);
    wrk.analyze(fixture("basic"), "out")
        .args(["--model", "model.toml"])
        .assert()
        .success();
    // Predisposition (weight 20) switched off: 35.98 − 20 = 15.98.
    let rows = wrk.read_csv("out/daily_risk.csv");
    assert_num(day(&rows, "ana", "2025-07-01"), "risk_score", 16.0, 1e-9);
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
