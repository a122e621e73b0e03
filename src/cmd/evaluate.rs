//! `cramprisk evaluate`: computes the daily table as `analyze` does, matches the logged
//! cramps to its days, and writes how well `risk_pct` tracked them (evaluation.csv,
//! calibration.csv, factor_check.csv, rejected_rows.csv) with a terminal summary.

use super::Outcome;
use crate::config::EvaluateConfig;
use crate::outputs;
use crate::{compute, evaluate, report};

pub fn run(cfg: &EvaluateConfig) -> anyhow::Result<Outcome> {
    let inputs = compute::gather(&cfg.inputs)?;
    let mut out = cfg.outputs.clone();
    out.prepare(&inputs.paths())?;
    let keep = evaluate::columns();
    let keep: Vec<&str> = keep.iter().map(String::as_str).collect();
    let analysis = compute::compute(&inputs, None, Some(&keep))?;
    let cramps = analysis.ingested.cramps_used(cfg.cramps_from_titles);
    let outcomes = evaluate::outcomes(&analysis.daily, &cramps)?;
    anyhow::ensure!(
        !cramps.is_empty(),
        "no cramps in the inputs: give a cramp log (a CSV with date or time and muscle, \
         severity or when; or name it with --cramps FILE){}",
        super::mentions_hint(&analysis.ingested, cfg.cramps_from_titles)
    );
    let e = evaluate::evaluate(&outcomes.days);
    out.write(outputs::EVALUATION, |w| evaluate::write_evaluation(&e, w))?;
    out.write(outputs::CALIBRATION, |w| evaluate::write_calibration(&e, w))?;
    out.write(outputs::FACTOR_CHECK, |w| evaluate::write_factors(&e, w))?;
    let charts = write_charts(&e, &outcomes.days, &out)?;
    let mut rejections = analysis.ingested.rejections.clone();
    rejections.extend(outcomes.rejections.iter().cloned());
    out.write(outputs::REJECTED_ROWS, |w| {
        report::write_rejections(&rejections, w)
    })?;
    // The set, written into the staging folder, replaces the previous one.
    out.commit()?;
    if !cfg.quiet {
        // The summary is the command's result (stdout); the files it wrote are named in it.
        let text = format!(
            "{}Wrote {}, {}, {} and {} ({} rejected){}.\n",
            evaluate::summary(&e, &outcomes),
            out.path(outputs::EVALUATION).display(),
            out.path(outputs::CALIBRATION).display(),
            out.path(outputs::FACTOR_CHECK).display(),
            out.path(outputs::REJECTED_ROWS).display(),
            rejections.len(),
            charts
        );
        super::print_result(&text)?;
    }
    Ok(Outcome::Success)
}

/// The team's reliability diagram and ROC curve as PNGs under `DIR/charts/`, written into the
/// staging folder with the tables (so they are listed as the run's files and replace the
/// previous set with them); the words the summary adds about them ("" when there are too few
/// cramps to draw them), naming where they will be.
fn write_charts(
    e: &evaluate::Evaluation,
    days: &[evaluate::Day],
    out: &outputs::Outputs,
) -> anyhow::Result<String> {
    use crate::charts::evaluation::{ReliabilityChart, RocChart};
    let Some(team) = e.groups.first() else {
        return Ok(String::new());
    };
    if team.auc.is_none() {
        return Ok(String::new());
    }
    let p: Vec<f64> = days.iter().map(|d| d.p).collect();
    let y: Vec<bool> = days.iter().map(|d| d.cramp).collect();
    let reliability = ReliabilityChart {
        title: format!(
            "Reliability: {} days, {} with cramps (deciles)",
            team.days, team.cramp_days
        ),
        points: team
            .reliability
            .iter()
            .map(|b| (100.0 * b.mean_predicted, 100.0 * b.observed_rate))
            .collect(),
    };
    let roc = RocChart {
        title: format!(
            "ROC: AUC {:.2} (95 % CI {})",
            team.auc.unwrap_or(f64::NAN),
            team.auc_ci
                .map_or("–".to_string(), |(lo, hi)| format!("{lo:.2}–{hi:.2}"))
        ),
        points: evaluate::metrics::roc(&p, &y),
    };
    crate::charts::theme::register_font()?;
    let folder = out.staging().join(outputs::CHARTS);
    std::fs::create_dir_all(&folder)?;
    let mut names = Vec::new();
    for (name, chart) in [
        (
            "evaluation-reliability.png",
            &reliability as &dyn crate::charts::Chart,
        ),
        ("evaluation-roc.png", &roc),
    ] {
        let bytes = crate::charts::to_png(chart)?;
        outputs::write_staged(&folder.join(name), &bytes)?;
        names.push(out.path(outputs::CHARTS).join(name).display().to_string());
    }
    Ok(format!("; charts {}", names.join(" and ")))
}
