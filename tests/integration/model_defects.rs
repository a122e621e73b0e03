//! Issue 12's smaller defects, end to end: indoor sessions get no outdoor heat, swimming's
//! sweat rate, a weighed session beats the profile's sweat rate, stretching is not a training
//! day, an unknown warm-up is unknown, and one lengthened session moves the risk only through
//! its documented paths (no factor caps hit at once).

use std::collections::HashMap;
use std::fmt::Write;

use crate::util::{assert_num, day, Workdir};

const PROFILE: &str =
    "[defaults]\nsex = \"female\"\nbirth_year = 1990\nhr_rest = 50\nhr_max = 190\n\
body_mass_kg = 70\ncramp_history = \"none\"\nmedications = []\nconditions = []\n\
family_history = false\ntight_hamstrings = false\n";

/// 35 days from 2025-05-01 of `usual` sessions every other day, then the `last` sessions on
/// 2025-06-05 (`extra` CSV lines of activities, `start,sport,duration_min,avg_hr,warmup_min,
/// body_mass_before_kg,body_mass_after_kg,fluid_during_ml` after the athlete), at 15 °C, and
/// 35 °C / 50 % on the last day; `profile` appended to the defaults.
fn run(athlete: &str, usual: &str, last: &[&str], profile: &str) -> Vec<HashMap<String, String>> {
    let wrk = Workdir::new();
    wrk.create("in/athletes.toml", format!("{PROFILE}{profile}"));
    let start = chrono::NaiveDate::from_ymd_opt(2025, 5, 1).unwrap();
    let mut acts = String::from(
        "athlete,start,sport,duration_min,avg_hr,warmup_min,body_mass_before_kg,body_mass_after_kg,fluid_during_ml\n",
    );
    let mut weather = String::from("time,temp_c,rh_pct\n");
    for i in 0..36 {
        let d = start + chrono::Duration::days(i);
        let hot = i == 35;
        for h in 0..24 {
            let (t, rh) = if hot { (35, 50) } else { (15, 60) };
            writeln!(weather, "{d} {h:02}:00,{t},{rh}").unwrap();
        }
        if hot {
            for line in last {
                writeln!(acts, "{athlete},{d} {line}").unwrap();
            }
        } else if i % 2 == 1 && !usual.is_empty() {
            writeln!(acts, "{athlete},{d} {usual}").unwrap();
        }
    }
    wrk.create("in/activities.csv", acts);
    wrk.create("in/weather.csv", weather);
    wrk.analyze("in", "out").assert().success();
    wrk.read_csv("out/daily_risk.csv")
}

const LAST: &str = "2025-06-05";

#[test]
fn indoor_sessions_get_no_outdoor_heat_and_swimming_sweats_less() {
    let usual = "07:00,run,60,140,15,,,";
    // 35 °C / 50 %: heat index 40.68 °C, WBGT 34.79 °C (science.md §C) outdoors.
    let outdoor = run("ola", usual, &["07:00,run,60,140,15,,,"], "");
    let treadmill = run("ola", usual, &["07:00,treadmill run,60,140,15,,,"], "");
    let swim = run("ola", usual, &["07:00,swim,60,140,15,,,"], "");
    let o = day(&outdoor, "ola", LAST);
    // Outdoors: x = (34.79 − 18)/10 = 1.679 × 60/60, not acclimatised → 1.3^1.679 = 1.554.
    assert_num(o, "heat_or", 1.554, 0.002);
    // Run default 1.28 L/h raised by the heat rule (+5 %/°C of heat index above 25, at most
    // +50 %): 1.28 × 1.5 = 1.92 L.
    assert_num(o, "sweat_loss_ml", 1920.0, 0.6);
    for (rows, sweat) in [(&treadmill, 1280.0), (&swim, 480.0)] {
        let r = day(rows, "ola", LAST);
        assert_eq!(r["heat_or"], "1.000", "indoors: no outdoor heat");
        assert_eq!(r["cold_or"], "1.000");
        // No heat rule indoors: treadmill 1.28 L/h; swimming 0.48 L/h (Cox 2002, 0.40–0.55).
        assert_num(r, "sweat_loss_ml", sweat, 0.6);
    }
    // The treadmill run is still a run: same load as the outdoor one, and not a new sport.
    assert_eq!(day(&treadmill, "ola", LAST)["load"], o["load"]);
    assert_eq!(day(&treadmill, "ola", LAST)["new_activity_or"], "1.000");
}

#[test]
fn a_weighed_session_beats_the_profile_sweat_rate() {
    // Profile 2.0 L/h; weighed 70.0 → 69.0 kg with 500 ml drunk over 60 min: 1.5 L/h.
    let rows = run(
        "ola",
        "07:00,run,60,140,15,,,",
        &["07:00,run,60,140,15,70.0,69.0,500"],
        "sweat_rate_l_per_h = 2.0\n",
    );
    assert_num(day(&rows, "ola", LAST), "sweat_loss_ml", 1500.0, 1e-9);
    // Unweighed days keep the profile's rate: 60 min × 2.0 L/h.
    assert_num(
        day(&rows, "ola", "2025-06-03"),
        "sweat_loss_ml",
        2000.0,
        1e-9,
    );
}

#[test]
fn stretching_is_not_a_training_day() {
    // Daily runs, except a 30-min yoga session on 06-04: the streak on 06-05 starts again.
    let daily_runs = |yoga_before: bool| {
        let wrk = Workdir::new();
        wrk.create("in/athletes.toml", PROFILE);
        let start = chrono::NaiveDate::from_ymd_opt(2025, 5, 1).unwrap();
        let mut acts = String::from("athlete,start,sport,duration_min,avg_hr,warmup_min\n");
        for i in 0..36 {
            let d = start + chrono::Duration::days(i);
            if i == 34 && yoga_before {
                writeln!(acts, "ola,{d} 07:00,yoga,30,90,").unwrap();
            } else {
                writeln!(acts, "ola,{d} 07:00,run,60,140,15").unwrap();
            }
        }
        wrk.create("in/activities.csv", acts);
        wrk.analyze("in", "out").assert().success();
        wrk.read_csv("out/daily_risk.csv")
    };
    let with_yoga = daily_runs(true);
    let yoga_day = day(&with_yoga, "ola", "2025-06-04");
    // The yoga day is a rest day for the model: the exercise factors do not apply.
    for factor in ["exertion", "fatigue", "dehydration", "sex"] {
        assert_eq!(yoga_day[&format!("{factor}_or")], "1.000", "{factor}");
    }
    assert!(
        !day(&with_yoga, "ola", LAST)["top_factors"].contains("training days in a row"),
        "{}",
        day(&with_yoga, "ola", LAST)["top_factors"]
    );
    let without = daily_runs(false);
    assert!(
        day(&without, "ola", LAST)["top_factors"].contains("36 training days in a row"),
        "{}",
        day(&without, "ola", LAST)["top_factors"]
    );
}

#[test]
fn an_unknown_warm_up_is_unknown_not_fifteen_minutes() {
    // A hard session (HR 170: (170 − 50)/140 = 0.857 ≥ 0.7) without warmup_min.
    let usual = "07:00,run,60,140,15,,,";
    let unknown = run("ola", usual, &["07:00,run,60,170,,,,"], "");
    let r = day(&unknown, "ola", LAST);
    assert_eq!(r["warmup_or"], "", "unknown, imputed");
    assert!(
        r["missing_inputs"].contains("warmup: warmup_min of the hard session"),
        "{}",
        r["missing_inputs"]
    );
    // Known: a 5-min warm-up → 1.2, and no stretching, yoga or mobility in the previous 7
    // days → 1.1: 1.2 × 1.1 = 1.32; a 15-min warm-up → 1.1 alone.
    let short = run("ola", usual, &["07:00,run,60,170,5,,,"], "");
    assert_num(day(&short, "ola", LAST), "warmup_or", 1.32, 1e-9);
    let long = run("ola", usual, &["07:00,run,60,170,15,,,"], "");
    assert_num(day(&long, "ola", LAST), "warmup_or", 1.1, 1e-9);
}

#[test]
fn one_lengthened_session_moves_the_risk_only_through_its_documented_paths() {
    // Cool day instead of hot: the same athlete and history, a 30- or 240-min run at the usual
    // heart rate on 06-05, no fluid or food log.
    // A frequent cramper, so both probabilities are large enough that the CSV's one decimal
    // does not blur the comparison.
    let cool = |minutes: u32| {
        let wrk = Workdir::new();
        wrk.create(
            "in/athletes.toml",
            format!("{PROFILE}[athletes.ola]\ncramp_history = \"frequent\"\n"),
        );
        let start = chrono::NaiveDate::from_ymd_opt(2025, 5, 1).unwrap();
        let mut acts = String::from("athlete,start,sport,duration_min,avg_hr,warmup_min\n");
        let mut weather = String::from("time,temp_c,rh_pct\n");
        for i in 0..36 {
            let d = start + chrono::Duration::days(i);
            for h in 0..24 {
                writeln!(weather, "{d} {h:02}:00,15,60").unwrap();
            }
            if i == 35 {
                writeln!(acts, "ola,{d} 07:00,run,{minutes},140,15").unwrap();
            } else if i % 2 == 1 {
                writeln!(acts, "ola,{d} 07:00,run,30,140,15").unwrap();
            }
        }
        wrk.create("in/activities.csv", acts);
        wrk.create("in/weather.csv", weather);
        wrk.analyze("in", "out").assert().success();
        day(&wrk.read_csv("out/daily_risk.csv"), "ola", LAST).clone()
    };
    let (short, long) = (cool(30), cool(240));
    let logit = |r: &HashMap<String, String>| {
        let p: f64 = r["risk_pct"].parse::<f64>().unwrap() / 100.0;
        (p / (1.0 - p)).ln()
    };
    // By hand (docs/model.md), 30 → 240 min, 1.28 L/h (no heat raise at 15 °C):
    // duration: ln 1.8 × (log2(240/60) − log2(30/60)) = 0.58779 × 3 = 1.76336
    // dehydration (imputed: 15 % of the need not drunk): need 2640 → 7120 ml; deficit
    //   0.5657 % → 1.5257 %; x = 2d/(d + 2): 0.44097 → 0.86548; × ln 1.63 → +0.20741
    // electrolytes (imputed: 30 % of sweat sodium): 158.4 → 1267.2 mg; x = log2(1 + n/2000):
    //   0.10997 → 0.70807; × ln 1.3 → +0.15692
    // heat: WBGT 16.5 °C < 18 → 0 on both. Total +2.12769 (odds × 8.40).
    let moved = logit(&long) - logit(&short);
    assert!((moved - 2.1277).abs() < 0.03, "logit moved {moved}");
    assert_num(&long, "fatigue_or", 3.24, 1e-9);
    assert_num(&short, "fatigue_or", 0.556, 1e-9);
    // No factor is capped: the dehydration and electrolyte paths add 1.23× and 1.17×, far from
    // their bounds, and the day is still explained by the long effort first.
    assert!(
        long["top_factors"].starts_with("fatigue ×3.24"),
        "{}",
        long["top_factors"]
    );
    assert_eq!(long["heat_or"], "1.000");
}
