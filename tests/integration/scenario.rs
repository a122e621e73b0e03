//! Issue 3's scenario: a hot, long, under-drunk day for an athlete with a cramp history scores
//! `high` or above with those causes on top; the same day with ample fluid and sodium scores
//! lower.

use std::fmt::Write;

use crate::util::{day, Workdir};

/// 40 cool days with a 90-min run every other day (4 L of water drunk on each day), then a
/// 3-h run at 34 °C / 55 % on 2025-06-10 with `hot_day_drinks` (ml, drink) drunk that day.
fn run(hot_day_drinks: &[(u32, &str)]) -> std::collections::HashMap<String, String> {
    let wrk = Workdir::new();
    wrk.create(
        "in/athletes.toml",
        "[athletes.kai]\nsex = \"male\"\nhr_rest = 55\nhr_max = 190\nbody_mass_kg = 70\ncramp_history = \"frequent\"\n",
    );
    let start = chrono::NaiveDate::from_ymd_opt(2025, 5, 1).unwrap();
    let (mut acts, mut weather, mut fluids) = (
        String::from("athlete,start,sport,duration_min,avg_hr\n"),
        String::from("time,temp_c,rh_pct\n"),
        String::from("athlete,time,volume_ml,drink\n"),
    );
    for i in 0..41 {
        let d = start + chrono::Duration::days(i);
        let hot = i == 40;
        let minutes = if hot { 180 } else { 90 };
        if i % 2 == 0 {
            writeln!(acts, "kai,{d} 10:00,run,{minutes},140").unwrap();
        }
        for h in 0..24 {
            let (t, rh) = if hot { (34.0, 55) } else { (15.0, 60) };
            writeln!(weather, "{d} {h:02}:00,{t},{rh}").unwrap();
        }
        if hot {
            for (ml, drink) in hot_day_drinks {
                writeln!(fluids, "kai,{d} 14:00,{ml},{drink}").unwrap();
            }
        } else {
            writeln!(fluids, "kai,{d} 12:00,4000,water").unwrap();
        }
    }
    wrk.create("in/activities.csv", acts);
    wrk.create("in/weather.csv", weather);
    wrk.create("in/fluids.csv", fluids);
    wrk.analyze("in", "out").assert().success();
    let rows = wrk.read_csv("out/daily_risk.csv");
    day(&rows, "kai", "2025-06-10").clone()
}

#[test]
fn hot_long_underdrunk_day_with_cramp_history_is_high() {
    let dry = run(&[(1000, "water")]);
    let score: f64 = dry["risk_score"].parse().unwrap();
    assert!(
        matches!(dry["risk_band"].as_str(), "high" | "very_high"),
        "{score} {}",
        dry["risk_band"]
    );
    // On top: the cramp history, then the long effort (fatigue: a 180-min session, and TSB).
    let top = &dry["top_factors"];
    assert!(
        top.starts_with("predisposition: frequent cramps (20.0 pts); fatigue:"),
        "{top}"
    );
    assert!(top.contains("longest session 180 min"), "{top}");
    // Under-drunk: 1 L against 2 L + 5.76 L of sweat is a 9.7 % deficit → full points; sodium
    // 4752 mg lost against 10 mg drunk → full points.
    assert_eq!(dry["dehydration_pts"], "10.0");
    assert_eq!(dry["electrolytes_pts"], "10.0");
    // Heat index at 34 °C / 55 % is 40.18 °C: (40.18 − 27) / 14 = 0.942, 3 h of exposure, no
    // hot training days before.
    assert_eq!(dry["heat_score"], "0.942");

    // The same day with ample fluid and sodium: 8 L against a need of 2 L + 5.76 L of sweat,
    // with 4 L × 450 + 4 L × 1000 = 5800 mg sodium against 5.76 L × 825 = 4752 mg lost.
    let wet = run(&[(4000, "sports drink"), (4000, "electrolyte")]);
    let wet_score: f64 = wet["risk_score"].parse().unwrap();
    // Everything else equal, the 20 points of dehydration and electrolytes are gone.
    assert!(
        (score - wet_score - 20.0).abs() < 0.11,
        "{score} → {wet_score}"
    );
    assert_eq!(wet["dehydration_score"], "0.000");
    assert_eq!(wet["electrolytes_score"], "0.000");
    assert!(
        !wet["top_factors"].contains("dehydration"),
        "{}",
        wet["top_factors"]
    );
}
