//! Stage timings for profiling: with the environment variable `CRAMPRISK_STAGE_TIMES` set,
//! each stage of a run prints its wall time to stderr (used by bench/run.sh and
//! docs/performance.md). Off by default, so normal output never changes.

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

    /// Prints "stage NAME: S s (total T s)" when enabled.
    pub fn mark(&mut self, name: &str) {
        let now = Instant::now();
        if self.on {
            eprintln!(
                "stage {name}: {:.3} s (total {:.3} s)",
                (now - self.last).as_secs_f64(),
                (now - self.start).as_secs_f64()
            );
        }
        self.last = now;
    }
}
