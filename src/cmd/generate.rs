//! `cramprisk generate`: writes a deterministic demo team and says what it wrote.

use std::path::Path;

use super::Outcome;
use crate::generate::{self, GenerateOptions};

pub fn run(opts: &GenerateOptions, out: &Path) -> anyhow::Result<Outcome> {
    let summary = generate::generate(opts, out)?;
    // What was written is the command's result.
    super::print_result(&format!("{summary}\n"))?;
    Ok(Outcome::Success)
}
