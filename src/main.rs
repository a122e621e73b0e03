//! The `cramprisk` binary: parse the command line, run, print any error once, exit with its code.

use std::process::ExitCode;

use clap::Parser;

fn main() -> ExitCode {
    let cli = cramprisk::cli::Cli::parse();
    match cramprisk::run(cli) {
        Ok(code) => code.into(),
        Err(err) => {
            // An error can quote a name or a cell: control characters shown escaped.
            let text = format!("error: {err:#}");
            eprintln!("{}", cramprisk::safe_text::terminal(&text));
            cramprisk::Outcome::of_error(&err).into()
        }
    }
}
