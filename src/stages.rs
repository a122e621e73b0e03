//! Stage timings for profiling: with the environment variable `CRAMPRISK_STAGE_TIMES` set,
//! each stage of a run prints its wall time, the CPU time it took (all threads) and the
//! process's peak memory so far, to stderr
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
    /// The process's CPU seconds at the previous mark.
    last_cpu: f64,
}

impl Stages {
    /// Reads `CRAMPRISK_STAGE_TIMES` once.
    pub fn from_env() -> Stages {
        let now = Instant::now();
        let on = std::env::var_os("CRAMPRISK_STAGE_TIMES").is_some();
        Stages {
            on,
            start: *FIRST.get_or_init(|| now),
            last: now,
            last_cpu: if on {
                cpu_seconds().unwrap_or(0.0)
            } else {
                0.0
            },
        }
    }

    /// Prints "stage NAME: S s (cpu C s; total T s, peak M MB)" when enabled.
    pub fn mark(&mut self, name: &str) {
        let now = Instant::now();
        if self.on {
            let peak = peak_mb().map_or(String::new(), |mb| format!(", peak {mb} MB"));
            let cpu = cpu_seconds().unwrap_or(self.last_cpu);
            eprintln!(
                "stage {name}: {:.3} s (cpu {:.2} s; total {:.3} s{peak})",
                (now - self.last).as_secs_f64(),
                cpu - self.last_cpu,
                (now - self.start).as_secs_f64()
            );
            self.last_cpu = cpu;
        }
        self.last = now;
    }
}

/// The CPU time of the process so far, user and system, all threads (Linux only), in
/// seconds: fields 14 and 15 of `/proc/self/stat`, in clock ticks of 1/100 s (the kernel's
/// `USER_HZ`, 100 on every Linux architecture that matters here).
fn cpu_seconds() -> Option<f64> {
    let stat = std::fs::read_to_string("/proc/self/stat").ok()?;
    // The command name (field 2) is in parentheses and may hold spaces: count after it.
    let rest = stat.get(stat.rfind(')')? + 1..)?;
    let mut fields = rest.split_whitespace().skip(11);
    let user: f64 = fields.next()?.parse().ok()?;
    let system: f64 = fields.next()?.parse().ok()?;
    Some((user + system) / 100.0)
}

/// The process's peak resident memory so far (`VmHWM`, Linux only), in MB.
fn peak_mb() -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    let kb: u64 = line.split_whitespace().nth(1)?.parse().ok()?;
    Some(kb / 1024)
}
