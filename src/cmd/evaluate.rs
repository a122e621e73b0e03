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
    let outcomes = evaluate::outcomes(&analysis.daily, &analysis.ingested.cramps)?;
    anyhow::ensure!(
        !analysis.ingested.cramps.is_empty(),
        "no cramps in the inputs: give a cramp log (a CSV with date or time and muscle, \
         severity or when; or name it with --cramps FILE)"
    );
    let e = evaluate::evaluate(&outcomes.days);
    out.write(outputs::EVALUATION, |w| evaluate::write_evaluation(&e, w))?;
    out.write(outputs::CALIBRATION, |w| evaluate::write_calibration(&e, w))?;
    out.write(outputs::FACTOR_CHECK, |w| evaluate::write_factors(&e, w))?;
    let mut rejections = analysis.ingested.rejections.clone();
    rejections.extend(outcomes.rejections.iter().cloned());
    out.write(outputs::REJECTED_ROWS, |w| {
        report::write_rejections(&rejections, w)
    })?;
    // The set, written into the staging folder, replaces the previous one.
    out.commit()?;
    if !cfg.quiet {
        eprint!("{}", evaluate::summary(&e, &outcomes));
        eprintln!(
            "Wrote {}, {}, {} and {} ({} rejected).",
            out.path(outputs::EVALUATION).display(),
            out.path(outputs::CALIBRATION).display(),
            out.path(outputs::FACTOR_CHECK).display(),
            out.path(outputs::REJECTED_ROWS).display(),
            rejections.len()
        );
    }
    Ok(Outcome::Success)
}
