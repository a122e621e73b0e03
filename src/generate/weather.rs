//! Weather per location: a seasonal climate with heat waves, hourly readings, and `weather.csv`.

use super::*;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Loc {
    Oslo,
    Valencia,
}

/// Seasonal climate of a location: `value = mean + amp * s`, `s` = 1 at the end of July.
pub(super) struct Climate {
    pub(super) tmin_mean: f64,
    pub(super) tmin_amp: f64,
    pub(super) tmax_mean: f64,
    pub(super) tmax_amp: f64,
    pub(super) rh_hi: f64,
    pub(super) rh_lo: f64,
    pub(super) wind: f64,
    pub(super) breeze: f64,
    /// Heat-wave peak (daily maximum) and day-night range.
    pub(super) hw_peak: f64,
    pub(super) hw_range: f64,
    pub(super) hw_rh_hi: f64,
    pub(super) hw_rh_lo: f64,
    /// A day at or above this maximum counts as hot for behaviour (drinking, timing).
    pub(super) hot: f64,
}

impl Loc {
    pub(super) fn as_str(self) -> &'static str {
        match self {
            Loc::Oslo => "oslo",
            Loc::Valencia => "valencia",
        }
    }

    pub(super) fn idx(self) -> usize {
        match self {
            Loc::Oslo => 0,
            Loc::Valencia => 1,
        }
    }

    pub(super) fn climate(self) -> Climate {
        match self {
            // Summer: nights ~24 °C, afternoons ~31 °C; winter 8/17 °C.
            Loc::Valencia => Climate {
                tmin_mean: 16.0,
                tmin_amp: 8.0,
                tmax_mean: 24.0,
                tmax_amp: 7.0,
                rh_hi: 84.0,
                rh_lo: 50.0,
                wind: 8.0,
                breeze: 9.0,
                hw_peak: 39.0,
                hw_range: 12.0,
                hw_rh_hi: 62.0,
                hw_rh_lo: 28.0,
                hot: 32.0,
            },
            // Summer: nights ~12 °C, afternoons ~21 °C; winter around freezing.
            Loc::Oslo => Climate {
                tmin_mean: 4.0,
                tmin_amp: 8.5,
                tmax_mean: 10.0,
                tmax_amp: 11.0,
                rh_hi: 88.0,
                rh_lo: 52.0,
                wind: 10.0,
                breeze: 4.0,
                hw_peak: 31.0,
                hw_range: 12.0,
                hw_rh_hi: 76.0,
                hw_rh_lo: 35.0,
                hot: 25.0,
            },
        }
    }
}

#[derive(Debug, Clone, Copy)]
pub(super) struct DayWeather {
    pub(super) tmin: f64,
    pub(super) tmax: f64,
    pub(super) rh_hi: f64,
    pub(super) rh_lo: f64,
    pub(super) wind: f64,
}

#[derive(Debug, Clone, Copy)]
pub(super) struct HourWeather {
    pub(super) temp: f64,
    pub(super) rh: u32,
    pub(super) wind: f64,
}

pub(super) struct Weather {
    pub(super) loc: Loc,
    pub(super) hot: f64,
    /// Index 0 is the day before the period, `days + 1` the day after.
    pub(super) daily: Vec<DayWeather>,
    /// `days * 24` hours, temperatures already rounded to 0.1 °C.
    pub(super) hourly: Vec<HourWeather>,
}

/// Heat-wave weight of day `k` of `len`: ramps up over two days, plateaus, ramps down.
pub(super) fn heat_shape(k: u32, len: u32) -> f64 {
    if len <= 2 {
        return 1.0;
    }
    let x = (f64::from(k) + 0.5) / f64::from(len);
    (1.6 * (std::f64::consts::PI * x).sin()).min(1.0)
}

impl Weather {
    pub(super) fn build(loc: Loc, cal: &Calendar) -> Self {
        let c = loc.climate();
        let mut rng = sub_rng(cal.seed, STREAM_WEATHER, loc.idx() as u64);
        let n = cal.days;
        let mut daily = Vec::with_capacity(n as usize + 2);
        let mut anom = normal(&mut rng) * 1.2;
        for i in 0..n + 2 {
            // Day index relative to the first day (-1 = the day before).
            let rel = f64::from(i) - 1.0;
            let phase = (f64::from(cal.doy0) + rel - 205.0) / 365.25;
            let s = (2.0 * std::f64::consts::PI * phase).cos();
            anom = (0.75 * anom + normal(&mut rng)).clamp(-3.5, 3.5);
            let mut tmax = c.tmax_mean + c.tmax_amp * s + anom;
            let mut tmin = c.tmin_mean + c.tmin_amp * s + 0.6 * anom + 0.5 * normal(&mut rng);
            if tmax - tmin < 3.0 {
                tmin = tmax - 3.0;
            }
            // Cooler-than-usual days are cloudier and more humid.
            let mut rh_hi = (c.rh_hi - 1.5 * anom + 3.0 * normal(&mut rng)).clamp(55.0, 97.0);
            let mut rh_lo =
                (c.rh_lo - 3.0 * anom + 4.0 * normal(&mut rng)).clamp(20.0, rh_hi - 15.0);
            let wind = (c.wind + 3.0 * normal(&mut rng)).max(1.0);
            let peak = c.hw_peak + uniform(&mut rng, -0.4, 0.4);
            if (1..=n).contains(&i) {
                if let Some(hw) = cal.heat_wave.as_ref().filter(|r| r.contains(&(i - 1))) {
                    let w = heat_shape(i - 1 - hw.start, hw.end - hw.start);
                    tmax = (1.0 - w) * tmax + w * peak;
                    tmin = (1.0 - w) * tmin + w * (peak - c.hw_range);
                    rh_hi = (1.0 - w) * rh_hi + w * c.hw_rh_hi;
                    rh_lo = (1.0 - w) * rh_lo + w * c.hw_rh_lo;
                }
            }
            daily.push(DayWeather {
                tmin,
                tmax,
                rh_hi,
                rh_lo,
                wind,
            });
        }

        let mut hourly = Vec::with_capacity(n as usize * 24);
        for i in 1..=n as usize {
            let (prev, today, next) = (daily[i - 1], daily[i], daily[i + 1]);
            for h in 0..24u32 {
                let hf = f64::from(h);
                // Cosine ramps: minimum at 05:00, maximum at 15:00.
                // `p` is how far between tonight's minimum (0) and the maximum (1) we are.
                let (lo, hi, p) = if h < 5 {
                    let x = (hf + 24.0 - 15.0) / 14.0;
                    (
                        today.tmin,
                        prev.tmax,
                        (1.0 + (std::f64::consts::PI * x).cos()) / 2.0,
                    )
                } else if h <= 15 {
                    let x = (hf - 5.0) / 10.0;
                    (
                        today.tmin,
                        today.tmax,
                        (1.0 - (std::f64::consts::PI * x).cos()) / 2.0,
                    )
                } else {
                    let x = (hf - 15.0) / 14.0;
                    (
                        next.tmin,
                        today.tmax,
                        (1.0 + (std::f64::consts::PI * x).cos()) / 2.0,
                    )
                };
                // No jitter at the extremes, so the minimum stays at 05:00 and the maximum at 15:00.
                let jitter = uniform(&mut rng, -0.2, 0.2) * 4.0 * p * (1.0 - p);
                let temp = round1(lo + (hi - lo) * p + jitter);
                let rh = (today.rh_hi - (today.rh_hi - today.rh_lo) * p + 1.5 * normal(&mut rng))
                    .round()
                    .clamp(10.0, 100.0) as u32;
                let bump = if (10..=19).contains(&h) {
                    (std::f64::consts::PI * (hf - 10.0) / 9.0).sin().max(0.0)
                } else {
                    0.0
                };
                let wind = round1((today.wind + c.breeze * bump + 1.5 * normal(&mut rng)).max(0.0));
                hourly.push(HourWeather { temp, rh, wind });
            }
        }
        Self {
            loc,
            hot: c.hot,
            daily,
            hourly,
        }
    }

    pub(super) fn day(&self, d: u32) -> &DayWeather {
        &self.daily[d as usize + 1]
    }

    pub(super) fn is_hot(&self, d: u32) -> bool {
        self.day(d).tmax >= self.hot
    }

    /// Mean hourly temperature over a session starting at `minute` on day `d`.
    pub(super) fn session_temp(&self, d: u32, minute: u32, duration_min: f64) -> f64 {
        let first = minute / 60;
        let last = ((f64::from(minute) + duration_min) / 60.0).floor() as u32;
        let last = last.clamp(first, 23);
        let base = d as usize * 24;
        let hours = &self.hourly[base + first as usize..=base + last as usize];
        hours.iter().map(|h| h.temp).sum::<f64>() / hours.len() as f64
    }
}

pub(super) fn write_weather(
    out: &Path,
    cal: &Calendar,
    weather: &[Weather],
) -> Result<FileSummary> {
    let mut w = CsvOut::create(out, "weather.csv", &WEATHER_HEADER)?;
    for wx in weather {
        for (d, date) in cal.date_str.iter().enumerate() {
            for (h, hour) in wx.hourly[d * 24..d * 24 + 24].iter().enumerate() {
                w.row([
                    wx.loc.as_str().to_string(),
                    stamp(date, h as u32 * 60),
                    f1(hour.temp),
                    hour.rh.to_string(),
                    f1(hour.wind),
                ])?;
            }
        }
    }
    w.finish()
}
