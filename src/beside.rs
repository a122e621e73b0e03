//! Two pieces of work at once: one on a thread of its own, one on the calling thread, a panic
//! on the other thread returned as an error naming the work instead of unwinding through the
//! caller. Ground floor: it knows polars' error type, nothing of the domain.

use polars::prelude::{polars_err, PolarsResult};

/// Runs `side` on a scoped thread while `here` runs on this one; returns both results, the
/// side's a `ComputeError` "`what` panicked" if its thread panicked.
pub fn beside<A: Send, B>(
    what: &str,
    side: impl FnOnce() -> PolarsResult<A> + Send,
    here: impl FnOnce() -> B,
) -> (PolarsResult<A>, B) {
    std::thread::scope(|scope| {
        let side = scope.spawn(side);
        let here = here();
        let side = side
            .join()
            .unwrap_or_else(|_| Err(polars_err!(ComputeError: "{} panicked", what)));
        (side, here)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn both_results_come_back_and_a_panic_is_an_error() {
        let (side, here) = beside("adding", || Ok(2 + 2), || "here");
        assert_eq!(side.unwrap(), 4);
        assert_eq!(here, "here");
        let (side, here) = beside("the side", || -> PolarsResult<i32> { panic!("boom") }, || 7);
        assert_eq!(here, 7);
        assert!(side.unwrap_err().to_string().contains("the side panicked"));
    }
}
