//! The `cramprisk` binary: parse the command line, run, print any error once, exit with its code.

use std::process::ExitCode;

use clap::Parser;

/// mimalloc, not the system allocator: a run allocates and frees millions of small buffers,
/// and glibc's free (consolidating its chunk lists) was about a fifth of the CPU of a large
/// run (docs/performance.md).
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> ExitCode {
    let cli = cramprisk::cli::Cli::parse();
    match cramprisk::run(cli) {
        Ok(code) => code.into(),
        // A closed standard output is a quiet end (exit 0), not an error to print.
        Err(err) if err.is::<cramprisk::cmd::ClosedPipe>() => ExitCode::SUCCESS,
        Err(err) => {
            cramprisk::cmd::print_message(&format!("error: {err:#}\n"));
            cramprisk::Outcome::of_error(&err).into()
        }
    }
}
