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
fn pmc_of_42_days_at_100() {
    let rows = run_loads(&[100.0; 42]);
    // GoldenCheetah form: day 42 CTL 63.2121, ATL 99.7521, TSB −36.5401.
    let d42 = day(&rows, "zoe", "2025-02-11");
    assert_num(d42, "ctl", 63.2, 0.05);
    assert_num(d42, "atl", 99.8, 0.05);
    assert_num(d42, "tsb", -36.5, 0.05);
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
