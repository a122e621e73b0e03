//! The `cramprisk` binary: parse the command line, run, print any error once, exit with its code.

use std::process::ExitCode;

use clap::Parser;

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
