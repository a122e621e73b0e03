//! A simulated ground truth for the evaluation: cramps drawn day by day from a model's
//! probabilities (the built-in model, or the coefficients of a `--truth` model file), seeded,
//! so that `evaluate` and `calibrate` can be tested against known coefficients.

use std::io::Write;

use polars::prelude::*;

use crate::schema as s;

/// The daily-table columns the draw reads.
pub const COLUMNS: [&str; 4] = [s::ATHLETE, s::DATE, "logit", "exercise_sessions"];

const MUSCLES: [&str; 4] = ["calf", "hamstring", "quadriceps", "foot"];
const SEVERITIES: [&str; 3] = ["mild", "moderate", "severe"];

/// Draws a cramp on each day with probability 1/(1 + e^−logit) (the unrounded risk) and
/// writes them as a native cramp log; returns the number of cramps. A training day's cramp
/// comes during or after the session, a rest day's at night.
pub fn write_cramp_log<W: Write>(daily: &DataFrame, seed: u64, out: W) -> anyhow::Result<usize> {
    let athlete = daily.column(s::ATHLETE)?.str()?.clone();
    let date = daily.column(s::DATE)?.date()?.physical().clone();
    let logit = daily.column("logit")?.f64()?.clone();
    let trained = daily.column("exercise_sessions")?.cast(&DataType::Int64)?;
    let trained = trained.i64()?;
    let mut rng = fastrand::Rng::with_seed(seed ^ 0x0c4a_3b5d);
    let mut w = csv::Writer::from_writer(out);
    w.write_record(s::NATIVE_CRAMPS)?;
    let mut n = 0;
    for i in 0..daily.height() {
        let (Some(a), Some(d), Some(l)) = (athlete.get(i), date.get(i), logit.get(i)) else {
            continue;
        };
        let p = 1.0 / (1.0 + (-l).exp());
        // One uniform per day whatever happens, so a change on one day moves no other draw.
        let u = rng.f64();
        let (m, sev, when) = (rng.usize(0..4), rng.usize(0..3), rng.bool());
        if u >= p {
            continue;
        }
        let when = match (trained.get(i).unwrap_or(0) > 0, when) {
            (true, true) => "during",
            (true, false) => "after",
            (false, _) => "night",
        };
        w.write_record([
            a,
            &crate::dates::from_days(d).to_string(),
            MUSCLES[m],
            SEVERITIES[sev],
            when,
            "simulated",
        ])?;
        n += 1;
    }
    w.flush()?;
    Ok(n)
}
