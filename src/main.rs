//! The `cramprisk` binary: parse the command line, run, print any error once, exit with its code.

use std::process::ExitCode;

use clap::Parser;

/// mimalloc, not the system allocator: a run allocates and frees millions of small buffers,
/// and glibc's free (consolidating its chunk lists) was about a fifth of the CPU of a large
/// run (docs/performance.md).
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// Transparent huge pages off for this process. mimalloc asks the kernel for huge pages on its
/// large regions; a 2 MB page is resident as soon as one byte of it is touched, and zeroed
/// whole on its first touch. Without them the peak of a 1,000-athlete run was about 60 MB
/// lower and a 100-athlete run's a quarter lower, at the same time (docs/performance.md).
/// Called before any large allocation; a kernel that refuses leaves the pages as they were.
fn no_huge_pages() {
    #[cfg(target_os = "linux")]
    // SAFETY: PR_SET_THP_DISABLE takes one integer argument and touches no memory of ours.
    unsafe {
        libc::prctl(libc::PR_SET_THP_DISABLE, 1, 0, 0, 0);
    }
}

fn main() -> ExitCode {
    no_huge_pages();
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
