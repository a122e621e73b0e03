//! Cramp logs and `evaluate`: bad cramp rows are accounted for with clear reasons; the
//! evaluation of the demo team is reproduced from analyze's daily_risk.csv by a separate
//! computation (AUC as a Mann–Whitney pair count, Brier by its definition); the daily risk is
//! causal (data after a day does not move that day's risk).

use std::collections::{BTreeMap, BTreeSet};

use crate::util::Workdir;

/// The evaluation of samples/team, recomputed here from `analyze`'s daily_risk.csv and the
/// cramp log: the evaluated days are each athlete's days from the 29th on (the first 28 seed
/// the load model; docs/model.md), a cramp day is one with a logged cramp.
#[test]
fn evaluate_on_the_demo_team_is_reproduced_by_mann_whitney_and_brier_by_hand() {
    let wd = Workdir::new();
    wd.copy_from_repo("samples/team");
    wd.analyze("samples/team", "report")
        .arg("--charts")
        .arg("none")
        .assert()
        .success();
    wd.command("evaluate")
        .arg("samples/team")
        .arg("--out")
        .arg("eval")
        .assert()
        .success();
    let daily = wd.read_csv("report/daily_risk.csv");
    let cramps: BTreeSet<(String, String)> = wd
        .read_csv("samples/team/cramps.csv")
        .into_iter()
        .map(|r| (r["athlete"].clone(), r["date"].clone()))
        .collect();
    let mut first: BTreeMap<String, chrono::NaiveDate> = BTreeMap::new();
    for r in &daily {
        let d: chrono::NaiveDate = r["date"].parse().unwrap();
        let e = first.entry(r["athlete"].clone()).or_insert(d);
        *e = (*e).min(d);
    }
    let mut days: Vec<(f64, bool)> = Vec::new();
    for r in &daily {
        let d: chrono::NaiveDate = r["date"].parse().unwrap();
        if (d - first[&r["athlete"]]).num_days() < 28 {
            continue;
        }
        let p: f64 = r["risk_pct"].parse::<f64>().unwrap() / 100.0;
        days.push((
            p,
            cramps.contains(&(r["athlete"].clone(), r["date"].clone())),
        ));
    }
    let pos: Vec<f64> = days.iter().filter(|d| d.1).map(|d| d.0).collect();
    let neg: Vec<f64> = days.iter().filter(|d| !d.1).map(|d| d.0).collect();
    let mut pairs = 0.0;
    for &a in &pos {
        for &b in &neg {
            pairs += if a > b {
                1.0
            } else if a == b {
                0.5
            } else {
                0.0
            };
        }
    }
    let auc = pairs / (pos.len() * neg.len()) as f64;
    let brier = days
        .iter()
        .map(|&(p, c)| (p - if c { 1.0 } else { 0.0 }).powi(2))
        .sum::<f64>()
        / days.len() as f64;
    let eval = wd.read_csv("eval/evaluation.csv");
    let team = eval.iter().find(|r| r["group"] == "team").unwrap();
    assert_eq!(team["days"], days.len().to_string());
    assert_eq!(team["cramp_days"], pos.len().to_string());
    assert!(pos.len() >= 10, "{} cramp days", pos.len());
    crate::util::assert_num(team, "auc", auc, 0.0005);
    crate::util::assert_num(team, "brier", brier, 0.00005);
    let (lo, hi): (f64, f64) = (
        team["auc_low"].parse().unwrap(),
        team["auc_high"].parse().unwrap(),
    );
    assert!(lo < auc && auc < hi, "{lo} {auc} {hi}");
    // Athletes with fewer than 10 cramp days get no AUC, and say why.
    for r in &eval {
        let k: usize = r["cramp_days"].parse().unwrap();
        if k < 10 {
            assert_eq!(r["auc"], "");
            assert!(r["note"].contains("too few cramp days"), "{:?}", r);
        }
    }
}

#[test]
fn bad_cramp_rows_are_rejected_with_reasons() {
    let wd = Workdir::new();
    wd.create(
        "in/activities.csv",
        "athlete,start,sport,duration_min\nana,2025-06-01 08:00,run,40\nana,2025-06-03 08:00,run,50\n",
    );
    wd.create(
        "in/cramps.csv",
        "athlete,date,muscle,severity,when,note\n\
         ana,2025-06-02,calf,mild,night,\n\
         zed,2025-06-02,calf,mild,night,\n\
         ana,2099-01-01,calf,mild,night,\n\
         ana,2025-06-03,calf,5,during,\n\
         ana,2025-07-20,calf,severe,after,\n",
    );
    wd.command("evaluate")
        .arg("in")
        .arg("--out")
        .arg("eval")
        .assert()
        .success();
    let rej = wd.read_csv("eval/rejected_rows.csv");
    let reason = |line: &str| {
        rej.iter()
            .find(|r| r["line"] == line)
            .map(|r| r["reason"].clone())
            .unwrap_or_else(|| panic!("line {line} not rejected: {rej:?}"))
    };
    assert!(
        reason("3").contains("\"zed\", who has no activities"),
        "{}",
        reason("3")
    );
    assert!(reason("4").contains("is in the future"), "{}", reason("4"));
    assert_eq!(
        reason("5"),
        "severity \"5\" is not mild, moderate, severe or 1–3"
    );
    assert!(
        reason("6")
            .contains("a day with no data for ana (their data runs 2025-06-01 to 2025-06-03)"),
        "{}",
        reason("6")
    );
    assert_eq!(rej.len(), 4, "{rej:?}");
    // One cramp kept, in the first 28 days: nothing to conclude, and the summary says so.
    let out = wd
        .command("evaluate")
        .arg("in")
        .arg("--out")
        .arg("eval2")
        .output()
        .unwrap();
    let text = String::from_utf8_lossy(&out.stderr);
    assert!(
        text.contains("Too few cramps to conclude anything: 0 cramp day(s)"),
        "{text}"
    );
}

/// Changing the data after a day leaves that day's risk unchanged: the demo team's risk up
/// to 2025-07-15 is the same when every record after it is removed.
#[test]
fn the_daily_risk_is_causal() {
    let wd = Workdir::new();
    wd.copy_from_repo("samples/team");
    let cut = "2025-07-15";
    for f in ["activities.csv", "daily.csv", "fluids.csv"] {
        let text = wd.read(&format!("samples/team/{f}"));
        let mut lines = text.lines();
        let header = lines.next().unwrap();
        let col = header
            .split(',')
            .position(|c| c == "start" || c == "date" || c == "time")
            .unwrap();
        let kept: Vec<&str> = lines
            .filter(|l| {
                let cell = l.split(',').nth(col).unwrap();
                &cell[..10] <= cut
            })
            .collect();
        wd.create(
            &format!("cut/{f}"),
            format!("{header}\n{}\n", kept.join("\n")),
        );
    }
    for f in ["weather.csv", "athletes.toml"] {
        wd.create(&format!("cut/{f}"), wd.read(&format!("samples/team/{f}")));
    }
    for (input, out) in [("samples/team", "full"), ("cut", "cut_out")] {
        wd.analyze(input, out)
            .arg("--charts")
            .arg("none")
            .arg("--to")
            .arg("2025-08-28")
            .assert()
            .success();
    }
    let full = wd.read_csv("full/daily_risk.csv");
    let cut_rows = wd.read_csv("cut_out/daily_risk.csv");
    let mut compared = 0;
    for r in &cut_rows {
        // From the 29th day (the load seed's window) to the cut.
        if r["date"].as_str() < "2025-05-29" || r["date"].as_str() > cut {
            continue;
        }
        let f = crate::util::day(&full, &r["athlete"], &r["date"]);
        for c in ["risk_pct", "risk_low_pct", "risk_high_pct"] {
            assert_eq!(r[c], f[c], "{} {} {c}", r["athlete"], r["date"]);
        }
        compared += 1;
    }
    assert!(compared >= 6 * 40, "{compared}");
}

/// A ground truth: cramps drawn from the model's own probabilities (`generate --cramps`), on
/// 40 athletes × 200 days. The AUC the true probabilities should reach is computed here from
/// the probabilities alone (no outcomes): E[AUC] = Σ p_i (1 − p_j) K(s_i, s_j) / Σ p_i (1 − p_j)
/// over pairs of days i ≠ j, K = 1 when s_i > s_j, ½ on a tie. The AUC `evaluate` measures on
/// the drawn cramps must be within noise of it (its bootstrap interval, widened by 0.01 for the
/// interval's own noise), and the calibration slope near 1: with about 550 cramp days its
/// standard error is about 0.05, so 1 ± 0.2 is four of them.
#[test]
fn evaluate_recovers_the_ground_truth() {
    let wd = Workdir::new();
    wd.command("generate")
        .args([
            "--athletes",
            "40",
            "--days",
            "200",
            "--seed",
            "5",
            "--cramps",
        ])
        .args(["--out", "team"])
        .assert()
        .success();
    wd.command("evaluate")
        .args(["team", "--out", "eval"])
        .assert()
        .success();
    wd.analyze("team", "report")
        .args(["--charts", "none", "--model", "team/truth.toml"])
        .assert()
        .success();
    let daily = wd.read_csv("report/daily_risk.csv");
    let mut first: BTreeMap<String, chrono::NaiveDate> = BTreeMap::new();
    for r in &daily {
        let d: chrono::NaiveDate = r["date"].parse().unwrap();
        let e = first.entry(r["athlete"].clone()).or_insert(d);
        *e = (*e).min(d);
    }
    // Days by their risk (per mille, as written to 0.1 %): count and Σp.
    let mut by_risk: BTreeMap<i64, (f64, f64)> = BTreeMap::new();
    for r in &daily {
        let d: chrono::NaiveDate = r["date"].parse().unwrap();
        if (d - first[&r["athlete"]]).num_days() < 28 {
            continue;
        }
        let pct: f64 = r["risk_pct"].parse().unwrap();
        let e = by_risk
            .entry((pct * 10.0).round() as i64)
            .or_insert((0.0, 0.0));
        e.0 += 1.0;
        e.1 += pct / 100.0;
    }
    let groups: Vec<(i64, f64, f64)> = by_risk.iter().map(|(&k, &(n, sp))| (k, n, sp)).collect();
    let (mut num, mut den) = (0.0, 0.0);
    for &(ki, ni, spi) in &groups {
        for &(kj, nj, spj) in &groups {
            // Σ_i∈gi p_i · Σ_j∈gj (1 − p_j), less the pairs of a day with itself.
            let w = if ki == kj {
                spi * (nj - spj) - (spi - spi * spi / ni.max(1.0))
            } else {
                spi * (nj - spj)
            };
            let k = if ki > kj {
                1.0
            } else if ki == kj {
                0.5
            } else {
                0.0
            };
            num += w * k;
            den += w;
        }
    }
    let expected = num / den;
    let team = wd.read_csv("eval/evaluation.csv");
    let team = team.iter().find(|r| r["group"] == "team").unwrap();
    let (lo, hi): (f64, f64) = (
        team["auc_low"].parse().unwrap(),
        team["auc_high"].parse().unwrap(),
    );
    assert!(
        lo - 0.01 <= expected && expected <= hi + 0.01,
        "expected AUC {expected:.3}, measured {} ({lo}–{hi})",
        team["auc"]
    );
    let slope: f64 = team["calibration_slope"].parse().unwrap();
    assert!((slope - 1.0).abs() < 0.2, "slope {slope}");
    let k: f64 = team["cramp_days"].parse().unwrap();
    assert!(k > 300.0, "{k} cramp days");
}
