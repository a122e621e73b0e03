//! Cramp logs and `evaluate`: bad cramp rows are accounted for with clear reasons; the
//! evaluation of the demo team is reproduced from analyze's daily_risk.csv by a separate
//! computation (AUC as a Mann–Whitney pair count, Brier by its definition); the daily risk is
//! causal (data after a day does not move that day's risk).

use std::collections::{BTreeMap, BTreeSet};

use crate::util::Workdir;

/// Runs `evaluate` on the copy of samples/team in `wd`, into `out`.
fn evaluate_team(wd: &Workdir, out: &str) {
    wd.command("evaluate")
        .arg("samples/team")
        .arg("--out")
        .arg(out)
        .assert()
        .success();
}

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
    evaluate_team(&wd, "eval");
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
    // The team's reliability diagram and ROC curve are written as PNGs.
    for name in ["evaluation-reliability.png", "evaluation-roc.png"] {
        let bytes = std::fs::read(wd.path(&format!("eval/charts/{name}"))).unwrap();
        assert_eq!(&bytes[1..4], b"PNG", "{name}");
    }
    // Athletes with fewer than 10 cramp days get no AUC, and say why.
    for r in &eval {
        let k: usize = r["cramp_days"].parse().unwrap();
        if k < 10 {
            assert_eq!(r["auc"], "");
            assert!(r["note"].contains("too few cramp days"), "{:?}", r);
        }
    }
    // analyze uses the same cramps: report.html's evaluation section gives the team's AUC
    // (the Mann–Whitney value above, to 2 decimals) with the interval evaluate wrote, and the
    // number of cramp days.
    let html = wd.read("report/report.html");
    assert!(
        html.contains("The risk against the logged cramps"),
        "no section"
    );
    let auc_cell = format!("{auc:.2} ({lo:.2}–{hi:.2})");
    assert!(html.contains(&auc_cell), "no {auc_cell} in the report");
    assert!(html.contains(&format!(
        "<td data-label=\"Cramp days\" class=\"num\">{}</td>",
        pos.len()
    )));
    // daily_risk.csv's cramp_logged: "log" on each athlete-day of the cramp log, "none" on the
    // other days of athletes the log names, empty (unknown) for anyone it does not name.
    let named: BTreeSet<&String> = cramps.iter().map(|(a, _)| a).collect();
    for r in &daily {
        let key = (r["athlete"].clone(), r["date"].clone());
        let want = if cramps.contains(&key) {
            "log"
        } else if named.contains(&r["athlete"]) {
            "none"
        } else {
            ""
        };
        assert_eq!(r["cramp_logged"], want, "{key:?}");
    }
    let logged = daily.iter().filter(|r| r["cramp_logged"] == "log").count();
    assert_eq!(
        logged,
        cramps.len(),
        "every logged cramp day is a day of the table"
    );
    // Each athlete's section lists their cramps beside the day's risk.
    let ana = wd
        .read_csv("samples/team/cramps.csv")
        .iter()
        .filter(|r| r["athlete"] == "ana")
        .count();
    assert!(
        html.contains(&format!("Cramps of ana ({ana})")),
        "ana's cramps"
    );
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
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(
        text.contains("Too few cramps to conclude anything: 0 cramp day(s)"),
        "{text}"
    );
}

/// `analyze` rejects the same bad cramp rows as `evaluate`, each in rejected_rows.csv with its
/// reason, and the file's count says so: 5 rows read, 1 used (ana on 2025-06-02, a rest day
/// between her two runs), 4 rejected — 2 at reading (a future date, severity 5) and 2 against
/// the days with data (an unknown athlete, a day outside ana's data). The kept cramp marks its
/// day `log`; ana's other days are `none`.
#[test]
fn analyze_rejects_and_accounts_bad_cramp_rows() {
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
    let out = wd
        .analyze("in", "out")
        .args(["--charts", "none"])
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", crate::util::stderr_of(&out));
    let text = crate::util::stdout_of(&out);
    assert!(
        text.contains("in/cramps.csv  cramps: 5 rows read, 1 used, 4 rejected"),
        "{text}"
    );
    let rej = wd.read_csv("out/rejected_rows.csv");
    let lines: BTreeSet<&str> = rej.iter().map(|r| r["line"].as_str()).collect();
    assert_eq!(lines, BTreeSet::from(["3", "4", "5", "6"]), "{rej:?}");
    let reason = |line: &str| rej.iter().find(|r| r["line"] == line).unwrap()["reason"].clone();
    assert!(reason("3").contains("\"zed\", who has no activities"));
    assert!(reason("4").contains("is in the future"));
    assert!(reason("5").contains("severity \"5\""));
    assert!(reason("6").contains("a day with no data for ana"));
    let daily = wd.read_csv("out/daily_risk.csv");
    let col: Vec<(&str, &str)> = daily
        .iter()
        .map(|r| (r["date"].as_str(), r["cramp_logged"].as_str()))
        .collect();
    assert_eq!(
        col,
        [
            ("2025-06-01", "none"),
            ("2025-06-02", "log"),
            ("2025-06-03", "none")
        ]
    );
    // --strict turns the rejected rows into a failure.
    wd.analyze("in", "strict")
        .args(["--charts", "none", "--strict"])
        .assert()
        .failure();
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

/// `calibrate` recovers a ground truth that differs from the model: cramps drawn from a truth
/// with heat (WBGT) at OR 4.0 instead of 1.3, intensity at 1.0 instead of 1.4 and form at 2.5
/// instead of 1.3, on 40 athletes × 200 days (about 640 cramp days). The tolerance comes from
/// the fit itself: its standard error (printed as a 95 % interval, se = width / 3.92) shrinks
/// as 1/√n with the sample; the prior pulls each estimate toward the model, so we ask that each
/// changed term moves toward the truth and ends within 4 standard errors of it, and that every
/// term is within 4 of the truth. The fitted file round-trips through `--model`, and the fit on
/// the earlier two thirds keeps its AUC on the later third.
#[test]
fn calibrate_recovers_a_ground_truth_and_its_file_round_trips() {
    let wd = Workdir::new();
    let mut truth = cramprisk::model::DEFAULT_MODEL_TOML.to_string();
    let set = |t: &mut String, term: &str, or: &str| {
        let i = t.find(&format!("[terms.{term}]")).unwrap();
        let j = i + t[i..].find("odds_ratio = ").unwrap();
        let k = j + t[j..].find('\n').unwrap();
        t.replace_range(j..k, &format!("odds_ratio = {or}"));
    };
    set(&mut truth, "wbgt", "4.0");
    set(&mut truth, "intensity", "1.0");
    set(&mut truth, "form", "2.5");
    wd.create("truth.toml", &truth);
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
        .args(["--truth", "truth.toml", "--out", "team"])
        .assert()
        .success();
    let out = wd
        .command("calibrate")
        .args(["team", "--out", "fitted.toml"])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let text = String::from_utf8_lossy(&out.stdout).to_string();
    let fitted = cramprisk::model::Model::load(&wd.path("fitted.toml")).unwrap();
    let model = cramprisk::model::Model::default();
    let truth_m = cramprisk::model::Model::parse(&truth).unwrap();
    for t in cramprisk::evaluate::calibrate::fitted_terms() {
        // "  wbgt             2.66  (2.05–3.43; model 1.30)"
        let line = text
            .lines()
            .find(|l| l.trim_start().starts_with(&format!("{} ", t.name())))
            .unwrap_or_else(|| panic!("no line for {}: {text}", t.name()));
        let inside = &line[line.find('(').unwrap() + 1..line.find(';').unwrap()];
        let (lo, hi) = inside.split_once('–').unwrap();
        let se = (hi.parse::<f64>().unwrap().ln() - lo.parse::<f64>().unwrap().ln()) / 3.92;
        let b = fitted.term(t).odds_ratio.ln();
        let b_true = truth_m.term(t).odds_ratio.ln();
        let b_model = model.term(t).odds_ratio.ln();
        assert!(
            (b - b_true).abs() <= 4.0 * se + 0.01,
            "{}: fitted {:.3}, truth {:.3}, se {:.3}\n{text}",
            t.name(),
            b,
            b_true,
            se
        );
        if (b_true - b_model).abs() > 1e-9 {
            assert!(
                (b - b_true).abs() < (b_model - b_true).abs(),
                "{} did not move toward the truth\n{text}",
                t.name()
            );
        }
    }
    // Fitted on the earlier days, checked on the later ones: it keeps a useful AUC.
    let fitted_line = text
        .lines()
        .find(|l| l.trim_start().starts_with("fitted "))
        .unwrap();
    let auc: f64 = fitted_line
        .split_whitespace()
        .nth(2)
        .unwrap()
        .parse()
        .unwrap();
    assert!(auc > 0.75, "{fitted_line}");
    // The file is one --model takes.
    wd.analyze("team", "report")
        .args(["--charts", "none", "--model", "fitted.toml"])
        .assert()
        .success();
}

/// `calibrate` fits the model's own terms: on every evaluated day of the demo team, the
/// intercept of the day's kind plus Σ b_t·u_t over the exposures it reads is the `logit` the
/// risk comes from, to rounding error.
#[test]
fn the_fitted_design_reproduces_the_models_logit() {
    use cramprisk::{compute, evaluate, model};
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("samples/team");
    let inputs = compute::Inputs::of_folder(&dir).unwrap();
    let keep = evaluate::columns();
    let keep: Vec<&str> = keep.iter().map(String::as_str).collect();
    let a = compute::compute(&inputs, None, Some(&keep)).unwrap();
    let o = evaluate::outcomes(&a.daily, &a.ingested.cramps).unwrap();
    let m = model::Model::default();
    let (bt, br) = m.intercepts();
    assert!(o.days.len() > 500);
    for d in &o.days {
        let b0 = if d.trained { bt } else { br };
        let l: f64 = b0
            + model::TermId::ALL
                .iter()
                .zip(&d.u)
                .map(|(t, u)| m.term(*t).coef() * u)
                .sum::<f64>();
        assert!(
            (l - d.logit).abs() < 1e-9,
            "{} {}: {l} vs {}",
            d.athlete,
            d.date,
            d.logit
        );
    }
}

/// `calibrate --per-athlete` writes an `[athletes.NAME]` section for each athlete with at
/// least 10 cramp days and says plainly why the others have none; `--model` takes the file
/// back and applies each athlete's own coefficients to that athlete's days only. Checked by
/// reading the file as plain TOML here and recomputing every evaluated day's log-odds by hand
/// from it: b0 (the athlete's own, else the team's, of the day's kind) + Σ b_t·u_t with the
/// athlete's own b_t where the section has one, else the team's.
#[test]
fn calibrate_per_athlete_round_trips_through_model() {
    use cramprisk::{compute, evaluate, model};
    let wd = Workdir::new();
    wd.command("generate")
        .args([
            "--athletes",
            "8",
            "--days",
            "240",
            "--seed",
            "3",
            "--cramps",
        ])
        .args(["--out", "team"])
        .assert()
        .success();
    let out = wd
        .command("calibrate")
        .args(["team", "--out", "fitted.toml", "--per-athlete"])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let text = String::from_utf8_lossy(&out.stdout).to_string();
    let file: toml::Table = toml::from_str(&wd.read("fitted.toml")).unwrap();
    let athletes = file["athletes"].as_table().expect("[athletes] sections");
    // Every athlete has a line; those without a section say why.
    let evaluation_days = {
        wd.command("evaluate")
            .args(["team", "--out", "eval"])
            .assert()
            .success();
        wd.read_csv("eval/evaluation.csv")
    };
    let mut own = 0;
    for r in evaluation_days.iter().filter(|r| r["group"] != "team") {
        let name = &r["group"];
        let k: usize = r["cramp_days"].parse().unwrap();
        let line = text
            .lines()
            .find(|l| l.trim_start().starts_with(&format!("{name} ")))
            .unwrap_or_else(|| panic!("no line for {name}: {text}"));
        assert!(line.contains(&format!("{k} cramp days")), "{line}");
        if k >= 10 {
            assert!(athletes.contains_key(name), "{name} has {k} cramp days");
            own += 1;
        } else {
            assert!(!athletes.contains_key(name));
            assert!(line.contains("too few for an own fit"), "{line}");
        }
    }
    assert!(own >= 2, "{own} athletes with an own fit\n{text}");
    let ln_or = |t: &toml::Value| t.as_float().unwrap().ln();
    let logit = |pct: f64| (pct / (100.0 - pct)).ln();
    let team_terms = file["terms"].as_table().unwrap();
    let team_b0 = |trained: bool| {
        let i = file["intercept"].as_table().unwrap();
        logit(
            i[if trained {
                "training_day_pct"
            } else {
                "rest_day_pct"
            }]
            .as_float()
            .unwrap(),
        )
    };
    let dir = wd.path("team");
    let inputs = compute::Inputs {
        model: model::Model::load(&wd.path("fitted.toml")).unwrap(),
        ..compute::Inputs::of_folder(&dir).unwrap()
    };
    let keep = evaluate::columns();
    let keep: Vec<&str> = keep.iter().map(String::as_str).collect();
    let a = compute::compute(&inputs, None, Some(&keep)).unwrap();
    let o = evaluate::outcomes(&a.daily, &a.ingested.cramps).unwrap();
    let mut checked_own = 0;
    for d in &o.days {
        let section = athletes.get(&d.athlete).and_then(|v| v.as_table());
        let b0 = match section {
            Some(s) => logit(
                s[if d.trained {
                    "training_day_pct"
                } else {
                    "rest_day_pct"
                }]
                .as_float()
                .unwrap(),
            ),
            None => team_b0(d.trained),
        };
        let mut l = b0;
        for (t, u) in model::TermId::ALL.iter().zip(&d.u) {
            let own_or = section
                .and_then(|s| s["odds_ratios"].as_table())
                .and_then(|o| o.get(t.name()));
            let b = match own_or {
                Some(v) => ln_or(v),
                None => ln_or(&team_terms[t.name()]["odds_ratio"]),
            };
            l += b * u;
        }
        assert!(
            (l - d.logit).abs() < 1e-9,
            "{} {}: {l} vs {}",
            d.athlete,
            d.date,
            d.logit
        );
        checked_own += usize::from(section.is_some());
    }
    assert!(checked_own > 100, "{checked_own}");
    // analyze and explain take it.
    wd.analyze("team", "report")
        .args(["--charts", "none", "--model", "fitted.toml"])
        .assert()
        .success();
}

/// `evaluate`'s two charts belong to its set of files: written with the tables and listed in
/// the folder's marker, as every file the tool writes is (a chart written straight into the
/// folder, outside the set, was not listed, and would have stood beside another run's
/// tables had the run failed after it).
#[test]
fn evaluate_charts_are_listed_with_its_tables() {
    let wd = Workdir::new();
    wd.copy_from_repo("samples/team");
    evaluate_team(&wd, "eval");
    let listed: BTreeSet<String> = wd
        .read("eval/.cramprisk-output")
        .lines()
        .skip(1)
        .map(str::to_string)
        .collect();
    for name in [
        "evaluation.csv",
        "charts/evaluation-reliability.png",
        "charts/evaluation-roc.png",
    ] {
        assert!(listed.contains(name), "{name} not listed: {listed:?}");
        assert!(wd.path(&format!("eval/{name}")).is_file(), "{name} missing");
    }
}
