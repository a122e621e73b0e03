//! The `cramprisk` binary: parse the command line, run, print any error once, exit with its code.

use std::process::ExitCode;

use clap::Parser;

fn main() -> ExitCode {
    let cli = cramprisk::cli::Cli::parse();
    match cramprisk::run(cli) {
        Ok(code) => code.into(),
        Err(err) => {
            eprintln!("error: {err:#}");
            cramprisk::Outcome::of_error(&err).into()
        }
    }
}
