//! Food logs (MyFitnessPal "Nutrition Summary") on fixtures of our own
//! (tests/fixtures/vendors/myfitnesspal*): row accounting, thousands separators and decimal
//! commas, per-day sodium and potassium totals, and the day's sodium intake and electrolytes
//! factor end to end through the binary, with and without the food log. Expected values are
//! worked out by hand in the comments from the fixture's cells.

use std::collections::HashMap;
use std::path::PathBuf;

use cramprisk::ingest::{self, InputFile, Kind, KindHint, ReadOptions};
use polars::prelude::*;

use crate::util::{assert_num, cramprisk, day, fixture, Workdir};

fn food_fixture(name: &str) -> PathBuf {
    fixture("vendors").join(name)
}

fn load(name: &str) -> ingest::Ingested {
    let (files, _) = ingest::discover(&[food_fixture(name)]).unwrap();
    ingest::load(&files, &[], &ReadOptions::default()).unwrap()
}

fn f64s(df: &DataFrame, col: &str) -> Vec<Option<f64>> {
    df.column(col).unwrap().f64().unwrap().iter().collect()
}

type Rows = Vec<HashMap<String, String>>;

/// `cramprisk analyze` on the given inputs; the daily table and the rejected rows.
fn analyze(inputs: &[PathBuf]) -> (Rows, Rows) {
    let wrk = Workdir::new();
    wrk.command("analyze")
        .args(inputs)
        .args(["--out", "out"])
        .assert()
        .success();
    (
        wrk.read_csv("out/daily_risk.csv"),
        wrk.read_csv("out/rejected_rows.csv"),
    )
}

/// The `basic` fixture (ana: a run on 07-01, a ride on 07-03, drinks on both) with and
/// without ana's MyFitnessPal export.
fn basic_with_food() -> Vec<PathBuf> {
    vec![fixture("basic"), food_fixture("myfitnesspal/ana")]
}

#[test]
fn nutrition_summary_is_detected_and_every_row_accounted_for() {
    let ing = load("myfitnesspal");
    let r = &ing.files[0];
    assert_eq!(r.vendor.as_deref(), Some("myfitnesspal"));
    assert_eq!(r.kind, Some(Kind::Food));
    // 12 data rows: lines 2–8 and 13 used; 9 (a repeat of line 3, as overlapping export
    // ranges give), 10 (US date), 11 (negative sodium), 12 (no meal) rejected.
    assert_eq!((r.rows_read, r.rows_used, r.rows_rejected), (12, 8, 4));
    let reasons: Vec<(Option<u64>, &str)> = ing
        .rejections
        .iter()
        .map(|x| (x.line, x.reason.as_str()))
        .collect();
    assert_eq!(reasons.len(), 4, "{reasons:?}");
    assert_eq!(reasons[0].0, Some(9));
    assert!(
        reasons[0].1.starts_with("duplicate of ") && reasons[0].1.ends_with(".csv:3"),
        "{reasons:?}"
    );
    assert_eq!(reasons[1].0, Some(10));
    assert!(reasons[1].1.contains("\"07/04/2025\" is not YYYY-MM-DD"));
    assert_eq!(reasons[2].0, Some(11));
    assert!(reasons[2]
        .1
        .contains("Sodium (mg) -20 is outside the plausible range"));
    assert_eq!(reasons[3].0, Some(12));
    assert!(reasons[3].1.contains("Meal is empty"));
    // "1,050" and "1,480" are thousands commas; the empty Snacks sodium stays unknown.
    let food = &ing.frames.food;
    assert_eq!(
        f64s(food, "sodium_mg"),
        vec![
            Some(1050.0),
            Some(880.0),
            Some(1480.0),
            Some(300.0),
            None,
            Some(600.0),
            Some(1200.0),
            Some(900.0)
        ]
    );
    assert_eq!(
        f64s(food, "potassium_mg"),
        vec![
            Some(420.0),
            Some(1210.0),
            Some(950.0),
            Some(400.0),
            Some(380.0),
            Some(700.0),
            Some(900.0),
            Some(1100.0)
        ]
    );
    // The athlete is the folder's name.
    let athletes = food.column("athlete").unwrap().unique().unwrap();
    assert_eq!(athletes.str().unwrap().get(0), Some("ana"));
    // Nothing is read as fluids: the export has no water column.
    assert_eq!(ing.frames.fluids.height(), 0);
    // Named with `--fluids`, the file is still read as the food log it is.
    let path = food_fixture("myfitnesspal/ana/Nutrition-Summary-2025-07-01-to-2025-07-05.csv");
    let hinted = ingest::load(
        &[InputFile {
            path,
            hint: Some(KindHint::Fluids),
        }],
        &[],
        &ReadOptions::default(),
    )
    .unwrap();
    assert_eq!(hinted.files[0].kind, Some(Kind::Food));
    assert_eq!(hinted.frames.food.height(), 8);
}

#[test]
fn excel_resaved_export_with_semicolons_and_decimal_commas() {
    let ing = load("myfitnesspal-semicolon");
    let r = &ing.files[0];
    assert_eq!(r.vendor.as_deref(), Some("myfitnesspal"));
    assert_eq!((r.rows_read, r.rows_used, r.rows_rejected), (2, 2, 0));
    for note in ["byte-order mark", "semicolon", "decimal comma"] {
        assert!(
            r.notes.iter().any(|n| n.contains(note)),
            "{note}: {:?}",
            r.notes
        );
    }
    // "1.050" is a thousands dot; "1.480,5" is 1480.5.
    assert_eq!(
        f64s(&ing.frames.food, "sodium_mg"),
        vec![Some(1050.0), Some(1480.5)]
    );
    assert_eq!(
        f64s(&ing.frames.food, "potassium_mg"),
        vec![Some(420.0), Some(950.0)]
    );
}

#[test]
fn vendor_flag_names_myfitnesspal() {
    let assert = cramprisk()
        .args(["inspect", "--vendor", "myfitnesspal"])
        .arg(food_fixture("myfitnesspal/ana"))
        .assert()
        .success();
    let stdout = String::from_utf8_lossy(&assert.get_output().stdout).to_string();
    assert!(stdout.contains("myfitnesspal"), "{stdout}");
    assert!(stdout.contains("Sodium (mg)"), "{stdout}");
    // A file that is not a nutrition summary is not forced into one.
    let assert = cramprisk()
        .args(["inspect", "--vendor", "myfitnesspal"])
        .arg(fixture("basic").join("fluids.csv"))
        .assert();
    let out = assert.get_output();
    let text = format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(text.contains("the header lacks Date"), "{text}");
}

#[test]
fn daily_sodium_intake_adds_food_to_drinks_end_to_end() {
    let (rows, rejected) = analyze(&basic_with_food());
    // 07-01: drinks 0.5 L water × 10 + 0.5 L sports drink × 450 = 230 mg; food
    // 1050 + 880 + 1480 = 3410 mg → 3640 mg. Potassium 420 + 1210 + 950 = 2580 mg.
    let d1 = day(&rows, "ana", "2025-07-01");
    assert_num(d1, "food_sodium_mg", 3410.0, 1e-9);
    assert_num(d1, "sodium_intake_mg", 3640.0, 1e-9);
    assert_num(d1, "potassium_intake_mg", 2580.0, 1e-9);
    // 07-02: no drinks logged; the Snacks sodium is empty, so the day's food sodium and
    // intake are unknown (not 300); potassium 400 + 380 = 780 is known.
    let d2 = day(&rows, "ana", "2025-07-02");
    assert_eq!(d2["food_sodium_mg"], "");
    assert_eq!(d2["sodium_intake_mg"], "");
    assert_num(d2, "potassium_intake_mg", 780.0, 1e-9);
    // A rest day: the exercise factors do not apply, whatever was logged.
    assert_eq!(d2["electrolytes_or"], "1.000");
    // 07-03: drinks 0 mg (given) + food 600 + 1200 = 1800 mg; potassium 700 + 900.
    let d3 = day(&rows, "ana", "2025-07-03");
    assert_num(d3, "sodium_intake_mg", 1800.0, 1e-9);
    assert_num(d3, "potassium_intake_mg", 1600.0, 1e-9);
    // 07-04: nothing logged at all → unknown, not 0; 07-05 (a food-only day that extends
    // ana's days): 900 mg from food with no sweat → electrolytes 0.
    let d4 = day(&rows, "ana", "2025-07-04");
    assert_eq!(d4["sodium_intake_mg"], "");
    assert_eq!(d4["potassium_intake_mg"], "");
    let d5 = day(&rows, "ana", "2025-07-05");
    assert_num(d5, "sodium_intake_mg", 900.0, 1e-9);
    assert_num(d5, "potassium_intake_mg", 1100.0, 1e-9);
    assert_num(d5, "electrolytes_or", 1.0, 1e-9);
    // ben logs no food: his columns stay empty.
    let ben = day(&rows, "ben", "2025-07-02");
    assert_eq!(ben["food_sodium_mg"], "");
    assert_eq!(ben["potassium_intake_mg"], "");
    // The four rejected rows of the export are in rejected_rows.csv with their lines.
    let mut lines: Vec<&str> = rejected
        .iter()
        .filter(|r| r["file"].ends_with("Nutrition-Summary-2025-07-01-to-2025-07-05.csv"))
        .map(|r| r["line"].as_str())
        .collect();
    lines.sort();
    assert_eq!(lines, vec!["10", "11", "12", "9"]);
}

#[test]
fn electrolytes_factor_with_food_sodium_and_without() {
    let (without, _) = analyze(&[fixture("basic")]);
    let (with, _) = analyze(&basic_with_food());
    // The exposure is log2(1 + net sodium loss / 2000 mg), OR 1.3 per unit; the intake is
    // known only with a food log (drinks alone are not a day's sodium).
    // 07-01: sweat 1.28 L/h × (1 + 0.05 × (31.049 − 25)) × 1 h = 1.66714 L; sodium loss
    // × 825 mg/L = 1375.39 mg. Without food: unknown, imputed (30 % not replaced).
    // With food: net 1375.39 − 3640 < 0 → x = 0 → 1.000.
    let w1 = day(&without, "ana", "2025-07-01");
    assert_eq!(w1["electrolytes_or"], "");
    assert!(
        w1["missing_inputs"].contains("electrolytes: food log with sodium"),
        "{}",
        w1["missing_inputs"]
    );
    assert_num(
        day(&with, "ana", "2025-07-01"),
        "electrolytes_or",
        1.0,
        1e-9,
    );
    // 07-03: sweat 2501 ml → sodium loss 2063.3 mg. With food: net 2063.3 − 1800 = 263.3 →
    // x = log2(1.13165) = 0.17844 → 1.3^0.17844 = 1.0479.
    assert_eq!(day(&without, "ana", "2025-07-03")["electrolytes_or"], "");
    assert_num(
        day(&with, "ana", "2025-07-03"),
        "electrolytes_or",
        1.048,
        6e-4,
    );
    // 07-02 is a rest day: the factor does not apply (1, known) with or without logs.
    assert_eq!(
        day(&without, "ana", "2025-07-02")["electrolytes_or"],
        "1.000"
    );
    // Without a food log, the factor's text says food sodium is unknown; with one, it
    // splits drinks and food.
    let explain = |inputs: Vec<PathBuf>| {
        let assert = cramprisk()
            .args(["explain", "--athlete", "ana", "--date", "2025-07-01"])
            .args(inputs)
            .assert()
            .success();
        String::from_utf8_lossy(&assert.get_output().stdout).to_string()
    };
    let stdout = explain(vec![fixture("basic")]);
    assert!(
        stdout.contains("vs 230 mg in drinks (no food log: food sodium unknown)"),
        "{stdout}"
    );
    let stdout = explain(basic_with_food());
    assert!(
        stdout.contains("vs 3640 mg taken in (230 in drinks, 3410 in food)"),
        "{stdout}"
    );
}
