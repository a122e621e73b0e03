//! Long load series written on the fly, checked against science.md's worked examples of the
//! PMC (§B.3) and the EWMA ACWR (§B.4).

use std::fmt::Write;

use crate::util::{assert_num, day, Workdir};

fn run_loads(loads: &[f64]) -> Vec<std::collections::HashMap<String, String>> {
    let wrk = Workdir::new();
    let mut csv = String::from("athlete,start,duration_min,load\n");
    let start = chrono::NaiveDate::from_ymd_opt(2025, 1, 1).unwrap();
    for (i, l) in loads.iter().enumerate() {
        let d = start + chrono::Duration::days(i as i64);
        writeln!(csv, "zoe,{d} 08:00,60,{l}").unwrap();
    }
    wrk.create("activities.csv", csv);
    wrk.analyze("activities.csv", "out").assert().success();
    wrk.read_csv("out/daily_risk.csv")
}

#[test]
fn pmc_of_28_days_at_50_then_14_at_100() {
    let mut loads = vec![50.0; 28];
    loads.extend([100.0; 14]);
    let rows = run_loads(&loads);
    // Seeded at the first 28 days' mean, 50, CTL and ATL stay at 50 through day 28 and the
    // TSB at 0: no false fatigue while the chart warms up.
    let d28 = day(&rows, "zoe", "2025-01-28");
    assert_num(d28, "ctl", 50.0, 1e-9);
    assert_num(d28, "tsb", 0.0, 1e-9);
    // GoldenCheetah form, n days at 100 after 50: x = 100 − 50·e^(−n/τ).
    // Day 42 (n = 14): CTL 100 − 50·e^(−1/3) = 64.1734, ATL 100 − 50·e^(−2) = 93.2332;
    // TSB = yesterday's (n = 13): (100 − 50·e^(−13/42)) − (100 − 50·e^(−13/7)) =
    // 63.3102 − 92.1941 = −28.8839.
    let d42 = day(&rows, "zoe", "2025-02-11");
    assert_num(d42, "ctl", 64.2, 0.05);
    assert_num(d42, "atl", 93.2, 0.05);
    assert_num(d42, "tsb", -28.9, 0.05);
}

#[test]
fn acwr_of_the_worked_example() {
    // 24 days at 300 then 4 at 600: on day 28 acute 505.08, chronic 374.58 → 1.348.
    let mut loads = vec![300.0; 24];
    loads.extend([600.0; 4]);
    let rows = run_loads(&loads);
    assert_eq!(
        day(&rows, "zoe", "2025-01-27")["acwr"],
        "",
        "day 27 is too early"
    );
    assert_num(day(&rows, "zoe", "2025-01-28"), "acwr", 1.35, 1e-9);
}
