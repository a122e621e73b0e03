//! The calendar of the generated period and its scripted events (heat waves, camps, races).

use super::*;

pub(super) struct Calendar {
    pub(super) seed: u64,
    pub(super) days: u32,
    pub(super) dates: Vec<NaiveDate>,
    pub(super) date_str: Vec<String>,
    /// Day-of-year of the first day (1-based), for the seasonal cycle.
    pub(super) doy0: u32,
    /// Day indices of the heat wave (both locations).
    pub(super) heat_wave: Option<Range<u32>>,
    /// Day indices of the training camp (one athlete).
    pub(super) camp: Option<Range<u32>>,
    /// First day index of the new sport (one athlete).
    pub(super) new_sport_from: u32,
}

impl Calendar {
    pub(super) fn new(opts: &GenerateOptions) -> Result<Self> {
        let mut dates = Vec::with_capacity(opts.days as usize);
        for d in 0..opts.days {
            let date = opts
                .start
                .checked_add_days(Days::new(u64::from(d)))
                .with_context(|| {
                    format!(
                        "--start {} plus {} days is past the last supported date",
                        opts.start, opts.days
                    )
                })?;
            dates.push(date);
        }
        let date_str = dates
            .iter()
            .map(|d| d.format("%Y-%m-%d").to_string())
            .collect();
        let days = opts.days;
        let heat_wave = if days >= 30 {
            Some(days / 2 - 5..days / 2 + 5)
        } else if days >= 3 {
            let len = days / 3;
            let first = (days - len) / 2;
            Some(first..first + len)
        } else {
            None
        };
        let camp = (days >= 28).then(|| {
            let first = days * 3 / 10;
            first..first + 7
        });
        Ok(Self {
            seed: opts.seed,
            days,
            dates,
            date_str,
            doy0: opts.start.ordinal(),
            heat_wave,
            camp,
            new_sport_from: days / 2,
        })
    }
}
