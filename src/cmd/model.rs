//! `cramprisk model`: prints the built-in risk model (TOML).

use super::Outcome;

pub fn run() -> anyhow::Result<Outcome> {
    print!("{}", crate::scoring::DEFAULT_MODEL_TOML);
    Ok(Outcome::Success)
}
