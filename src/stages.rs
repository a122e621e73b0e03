//! Stage timings for profiling: with the environment variable `CRAMPRISK_STAGE_TIMES` set,
//! each stage of a run prints its wall time, and the process's peak memory so far, to stderr
//! (used by bench/run.sh and docs/performance.md). Off by default, so normal output never
//! changes.

use std::sync::OnceLock;
use std::time::Instant;

/// When the first clock of the process started: totals count from there.
static FIRST: OnceLock<Instant> = OnceLock::new();

/// The clock of one run; `mark` prints the time since the previous mark.
pub struct Stages {
    on: bool,
    start: Instant,
    last: Instant,
}

impl Stages {
    /// Reads `CRAMPRISK_STAGE_TIMES` once.
    pub fn from_env() -> Stages {
        let now = Instant::now();
        Stages {
            on: std::env::var_os("CRAMPRISK_STAGE_TIMES").is_some(),
            start: *FIRST.get_or_init(|| now),
            last: now,
        }
    }

    /// Prints "stage NAME: S s (total T s, peak M MB)" when enabled.
    pub fn mark(&mut self, name: &str) {
        let now = Instant::now();
        if self.on {
            let peak = peak_mb().map_or(String::new(), |mb| format!(", peak {mb} MB"));
            eprintln!(
                "stage {name}: {:.3} s (total {:.3} s{peak})",
                (now - self.last).as_secs_f64(),
                (now - self.start).as_secs_f64()
            );
        }
        self.last = now;
    }
}

/// The process's peak resident memory so far (`VmHWM`, Linux only), in MB.
fn peak_mb() -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    let kb: u64 = line.split_whitespace().nth(1)?.parse().ok()?;
    Some(kb / 1024)
}
