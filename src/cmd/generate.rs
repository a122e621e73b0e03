//! `cramprisk generate`: writes a deterministic demo team and says what it wrote; with
//! `--cramps`, also a cramp log drawn from a ground-truth model and that model (truth.toml).

use std::path::Path;

use super::Outcome;
use crate::config::Truth;
use crate::generate::{self, GenerateOptions};
use crate::{compute, evaluate, ingest, model, outputs};

/// The ground truth's file, written beside the data.
pub const TRUTH_FILE: &str = "truth.toml";
/// The simulated cramp log's file.
pub const CRAMPS_FILE: &str = "cramps.csv";

pub fn run(opts: &GenerateOptions, out: &Path, truth: Option<&Truth>) -> anyhow::Result<Outcome> {
    let summary = generate::generate(opts, out)?;
    // What was written is the command's result.
    super::print_result(&format!("{summary}\n"))?;
    if let Some(truth) = truth {
        let text = match &truth.model {
            Some(p) => std::fs::read_to_string(p)
                .map_err(|e| anyhow::anyhow!("reading {}: {e}", p.display()))?,
            None => model::DEFAULT_MODEL_TOML.to_string(),
        };
        let n = write_cramps(out, &text, opts.seed)?;
        super::print_result(&format!(
            "drew {n} cramp(s) from the ground-truth model into {} (model: {})\n",
            out.join(CRAMPS_FILE).display(),
            out.join(TRUTH_FILE).display()
        ))?;
    }
    Ok(Outcome::Success)
}

/// Scores the generated data with the truth model and draws the cramps (seeded).
pub fn write_cramps(out: &Path, truth_toml: &str, seed: u64) -> anyhow::Result<usize> {
    let truth = model::Model::parse(truth_toml)?;
    let (files, profiles) = ingest::discover(&[out.to_path_buf()])?;
    // An earlier cramp log in the folder is not an input of the truth.
    let files = files
        .into_iter()
        .filter(|f| f.path.file_name() != Some(std::ffi::OsStr::new(CRAMPS_FILE)))
        .collect();
    let inputs = compute::Inputs {
        files,
        profiles,
        read: ingest::ReadOptions::default(),
        model: truth,
    };
    let analysis = compute::compute(&inputs, None, Some(&evaluate::truth::COLUMNS))?;
    outputs::write_atomically(&out.join(TRUTH_FILE), |w| {
        use std::io::Write;
        w.write_all(truth_toml.as_bytes())?;
        Ok(())
    })?;
    let mut n = 0;
    outputs::write_atomically(&out.join(CRAMPS_FILE), |w| {
        n = evaluate::truth::write_cramp_log(&analysis.daily, seed, w)?;
        Ok(())
    })?;
    Ok(n)
}
