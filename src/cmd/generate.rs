//! `cramprisk generate`: writes a deterministic demo team and says what it wrote — only into
//! a new or empty folder, or one it generated before (it never replaces a user's files).

use std::path::Path;

use crate::generate::{self, GenerateOptions};
use crate::Outcome;

/// Marks a folder written by `generate`, so a later `generate` may write over it.
pub const GENERATED: &str = ".cramprisk-generated";

pub fn run(opts: &GenerateOptions, out: &Path) -> anyhow::Result<Outcome> {
    check_folder(out)?;
    let summary = generate::generate(opts, out)?;
    crate::outputs::write_atomically(&out.join(GENERATED), |w| {
        use std::io::Write;
        writeln!(w, "This folder was written by cramprisk generate.")?;
        Ok(())
    })?;
    // What was written is the command's result.
    super::print_result(&format!("{summary}\n"))?;
    Ok(Outcome::Success)
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
