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

/// mimalloc's option `purge_delay` (`mi_option_purge_delay` in mimalloc.h, the same place in
/// v2 and v3), its default in v3 (v2's was 10 ms) and the delay used here.
const MI_OPTION_PURGE_DELAY: std::ffi::c_int = 15;
const MI_V3_PURGE_DELAY_MS: std::ffi::c_long = 1000;
const PURGE_DELAY_MS: std::ffi::c_long = 150;

unsafe extern "C" {
    fn mi_option_get(option: std::ffi::c_int) -> std::ffi::c_long;
    fn mi_option_set(option: std::ffi::c_int, value: std::ffi::c_long);
}

/// Memory freed for 150 ms is given back to the system, not after mimalloc v3's default of a
/// second. A run frees the memory of each pass as the next one starts; kept a second, it
/// stayed resident beside the next passes' and raised the peak of a 1,000-athlete run by about
/// 80 MiB (479 → 396 MiB, in the same time: five pairs run in turn; 10 ms saved more but took
/// a fifth longer). 150 ms rather than 100: a pass takes about a tenth of a second, so at 100
/// ms much of what one pass freed was given back just before the next took it again, and
/// taken again page by page (page faults were about 8 % of the samples of a profile); at 150
/// ms a run took 0.94 of the time (eleven pairs, median) for a median peak 20 MiB higher, and
/// 200 ms was no faster than 150 with a peak up to 404 MiB (docs/performance.md). Left alone
/// when the user sets MIMALLOC_PURGE_DELAY, and when the option does not read as v3's default
/// (a mimalloc whose options differ).
fn purge_freed_memory_sooner() {
    if std::env::var_os("MIMALLOC_PURGE_DELAY").is_some() {
        return;
    }
    // SAFETY: mimalloc's documented option calls on the allocator linked in (`ALLOCATOR`);
    // they take and return integers only.
    unsafe {
        if mi_option_get(MI_OPTION_PURGE_DELAY) == MI_V3_PURGE_DELAY_MS {
            mi_option_set(MI_OPTION_PURGE_DELAY, PURGE_DELAY_MS);
        }
    }
}

fn main() -> ExitCode {
    no_huge_pages();
    purge_freed_memory_sooner();
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
