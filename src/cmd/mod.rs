//! One module per command: each takes its checked configuration (`config.rs`), runs the
//! shared computation (`compute.rs`) where it needs it, and hands finished data to the
//! writers. Nothing here parses flags or reads files itself. Results go to standard output
//! and messages to standard error through `print_result` and `print_message` (the one place a
//! closed pipe is handled).

pub mod analyze;
pub mod calibrate;
pub mod evaluate;
pub mod explain;
pub mod generate;
pub mod inspect;
pub mod model;
pub mod plan;

use std::io::Write;
use std::process::ExitCode;

use crate::config::UsageError;

/// How a run ended; mapped to the documented exit codes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outcome {
    /// Finished; rejected rows, if any, are listed in rejected_rows.csv.
    Success,
    /// A runtime or data error, or (with `--strict`) a rejected row or file.
    Error,
    /// A usage error: flags that cannot be run together (clap reports its own the same way).
    Usage,
}

impl From<Outcome> for ExitCode {
    fn from(o: Outcome) -> Self {
        match o {
            Outcome::Success => ExitCode::SUCCESS,
            Outcome::Error => ExitCode::from(1),
            Outcome::Usage => ExitCode::from(2),
        }
    }
}

impl Outcome {
    /// The outcome of a run that failed with `err`: a usage error, or an error.
    pub fn of_error(err: &anyhow::Error) -> Outcome {
        if err.is::<ClosedPipe>() {
            Outcome::Success
        } else if err.is::<UsageError>() {
            Outcome::Usage
        } else {
            Outcome::Error
        }
    }
}

/// Standard output was closed by its reader (`cramprisk … | head -1`): the reader has what it
/// wanted, so the run ends quietly with exit 0, as ripgrep's does, never with a panic.
#[derive(Debug)]
pub struct ClosedPipe;

impl std::fmt::Display for ClosedPipe {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("standard output was closed")
    }
}

impl std::error::Error for ClosedPipe {}

/// Prints a command's result on standard output (ripgrep's and fd's convention: results to
/// stdout, everything else to stderr). A closed pipe is `ClosedPipe`; `print!` would panic on it.
pub fn print_result(text: &str) -> anyhow::Result<()> {
    // Names from the inputs reach the terminal: control characters shown escaped.
    let text = crate::safe_text::terminal(text);
    let mut out = std::io::stdout().lock();
    match out.write_all(text.as_bytes()).and_then(|()| out.flush()) {
        Ok(()) => Ok(()),
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => Err(ClosedPipe.into()),
        Err(e) => Err(anyhow::Error::new(e).context("writing to standard output")),
    }
}

/// Prints a message (an error, a warning, progress) on standard error. A failure to write
/// there is ignored: there is nowhere left to report it, and `eprint!` would panic on it.
pub fn print_message(text: &str) {
    // An error or warning can quote a name or a cell: control characters shown escaped.
    let text = crate::safe_text::terminal(text);
    let mut err = std::io::stderr().lock();
    let _ = err.write_all(text.as_bytes()).and_then(|()| err.flush());
}

/// What a "no cramps" or "too few cramps" message adds when session titles mention cramps
/// that were not counted (no `--cramps-from-titles`); "" otherwise.
pub fn mentions_hint(ingested: &crate::ingest::Ingested, from_titles: bool) -> String {
    match ingested.mentions.len() {
        0 => String::new(),
        _ if from_titles => String::new(),
        n => format!(
            "; {n} session title(s) mention a cramp: add --cramps-from-titles to count them \
             (`cramprisk inspect` lists them)"
        ),
    }
}

/// Cramp rows that match no day with data, added to the run's rejections: each moves its
/// file's count from used to rejected, so every file still reads = used + rejected.
pub fn account_cramp_rejections(
    ingested: &mut crate::ingest::Ingested,
    rejections: &[crate::ingest::Rejection],
) {
    for r in rejections {
        if let Some(f) = ingested
            .files
            .iter_mut()
            .find(|f| f.path.display().to_string() == r.file && f.rows_used > 0)
        {
            f.rows_used -= 1;
            f.rows_rejected += 1;
        }
        ingested.rejections.push(r.clone());
    }
}
