//! Randomness: one independent, seeded stream per (stream, index) pair, and the few distributions
//! the generator draws from.

use super::*;

pub(super) const STREAM_PROFILE: u64 = 1;
pub(super) const STREAM_ACTIVITIES: u64 = 2;
pub(super) const STREAM_DAILY: u64 = 3;
pub(super) const STREAM_FLUIDS: u64 = 4;
pub(super) const STREAM_WEATHER: u64 = 5;

/// splitmix64 finaliser: a well-mixed 64-bit hash.
pub(super) fn mix(mut z: u64) -> u64 {
    z = z.wrapping_add(0x9E37_79B9_7F4A_7C15);
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}

/// An independent RNG for one (stream, index) pair, derived from the seed only.
pub(super) fn sub_rng(seed: u64, stream: u64, index: u64) -> Rng {
    Rng::with_seed(mix(mix(seed ^ mix(stream)) ^ index))
}

pub(super) fn uniform(rng: &mut Rng, lo: f64, hi: f64) -> f64 {
    lo + (hi - lo) * rng.f64()
}

/// Approximately standard normal (Irwin–Hall with 4 terms): plain arithmetic, so portable.
pub(super) fn normal(rng: &mut Rng) -> f64 {
    (rng.f64() + rng.f64() + rng.f64() + rng.f64() - 2.0) * 1.732_050_8
}

pub(super) fn chance(rng: &mut Rng, p: f64) -> bool {
    rng.f64() < p
}

pub(super) fn pick<'a, T>(rng: &mut Rng, items: &'a [T]) -> &'a T {
    // Callers pass non-empty slices; u32 keeps the draw the same on 32- and 64-bit targets.
    &items[rng.u32(..items.len() as u32) as usize]
}
