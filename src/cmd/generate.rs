//! `cramprisk generate`: writes a deterministic demo team and says what it wrote — only into
//! a new or empty folder, or one it generated before (it never replaces a user's files); with
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
/// Marks a folder written by `generate`, so a later `generate` may write over it.
pub const GENERATED: &str = ".cramprisk-generated";

pub fn run(opts: &GenerateOptions, out: &Path, truth: Option<&Truth>) -> anyhow::Result<Outcome> {
    check_folder(out)?;
    let summary = generate::generate(opts, out)?;
    crate::outputs::write_atomically(&out.join(GENERATED), |w| {
        use std::io::Write;
        writeln!(w, "This folder was written by cramprisk generate.")?;
        Ok(())
    })?;
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
    outputs::write_text_atomically(&out.join(TRUTH_FILE), truth_toml)?;
    let mut n = 0;
    outputs::write_atomically(&out.join(CRAMPS_FILE), |w| {
        n = evaluate::truth::write_cramp_log(&analysis.daily, seed, w)?;
        Ok(())
    })?;
    Ok(n)
}

/// Refuses a folder that holds anything and was not written by `generate`, before any work.
fn check_folder(out: &Path) -> anyhow::Result<()> {
    let Ok(mut entries) = std::fs::read_dir(out) else {
        // Missing: generate creates it (an unusable path fails there, named).
        return Ok(());
    };
    if entries.next().is_some() && !out.join(GENERATED).is_file() {
        return Err(crate::config::UsageError(format!(
            "{} is not empty and was not written by cramprisk generate: choose a new or empty folder",
            out.display()
        ))
        .into());
    }
    Ok(())
}
