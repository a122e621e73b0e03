//! `cramprisk model`: prints the built-in risk model (TOML).

use super::Outcome;

pub fn run() -> anyhow::Result<Outcome> {
    super::print_result(crate::model::DEFAULT_MODEL_TOML)?;
    Ok(Outcome::Success)
}
