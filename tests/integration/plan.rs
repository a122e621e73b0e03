//! `cramprisk plan` end to end: the README's example on the demo team's 7-day plan and
//! forecast, and a plan whose sessions are all refused.

use crate::util::{stderr_of, Workdir};

#[test]
fn the_readme_plan_runs_on_the_samples() {
    let wrk = Workdir::new();
    wrk.copy_from_repo("samples/team");
    wrk.copy_from_repo("samples/plan");
    let out = wrk
        .command("plan")
        .args([
            "samples/team",
            "samples/plan/weather-valencia.csv",
            "samples/plan/weather-oslo.csv",
            "--plan",
            "samples/plan/plan.csv",
            "--out",
            "plan",
        ])
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", stderr_of(&out));
    let rows = wrk.read_csv("plan/plan.csv");
    // samples/plan/plan.csv has 32 sessions, all valid.
    assert_eq!(rows.len(), 32);
    assert_eq!(wrk.read_csv("plan/rejected_rows.csv").len(), 0);
    let num = |r: &std::collections::HashMap<String, String>, c: &str| -> f64 {
        r[c].parse().unwrap_or_else(|_| panic!("{c} = {:?}", r[c]))
    };
    for r in &rows {
        let (risk, lo, hi) = (
            num(r, "risk_pct"),
            num(r, "risk_low_pct"),
            num(r, "risk_high_pct"),
        );
        assert!(lo <= risk && risk <= hi, "{r:?}");
        // Never more to drink per hour than the predicted sweat loss per hour.
        assert!(
            num(r, "drink_during_ml_per_h") <= num(r, "sweat_ml_per_h"),
            "{r:?}"
        );
        // The best start is never worse than the start as planned when the planned start is
        // a whole hour in the window (it is then one of the starts tried).
        if r["start"].ends_with(":00") && !r["best_start"].is_empty() {
            assert!(num(r, "best_start_risk_pct") <= risk + 1e-9, "{r:?}");
        }
    }
    // 3 of the 6 athletes have a sweat test (ana, dev, femi); emma has none, and it is said.
    let emma = rows.iter().find(|r| r["athlete"] == "emma").unwrap();
    assert!(emma["sodium_source"].starts_with("default 825 mg/L"));
    let html = wrk.read("plan/plan.html");
    assert!(html.contains("Squad: athletes × days"));
    assert!(html.contains("Not medical advice."));
    for f in [
        "ana-plan-hours.png",
        "femi-plan-hours.png",
        "squad-plan.png",
    ] {
        assert!(wrk.path("plan/charts").join(f).is_file(), "{f}");
    }
    assert!(String::from_utf8_lossy(&out.stdout).contains("Planned 32 session(s), 0 refused"));
}

#[test]
fn a_plan_with_nothing_usable_fails_with_the_reasons() {
    let wrk = Workdir::new();
    wrk.copy_from_repo("samples/team");
    let out = wrk
        .command("plan")
        .args([
            "samples/team",
            "--athlete",
            "zed",
            "--session",
            "2025-08-24 17:00 soccer 90min rpe6",
            "--out",
            "o",
        ])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let err = stderr_of(&out);
    assert!(err.contains("--session: unknown athlete \"zed\""), "{err}");
    assert!(err.contains("nothing planned"), "{err}");
    let rejected = wrk.read_csv("o/rejected_rows.csv");
    assert_eq!(rejected.len(), 1);
}
