//! Heat stress from air temperature and humidity: the NWS heat index (Rothfusz regression with
//! both adjustments, Steadman's simple formula below 80 °F), the Australian BoM WBGT estimate
//! and apparent temperature. Formulas and test values: ../shared/reference/science.md §C.

use polars::prelude::*;

/// °C → °F.
pub fn c_to_f(c: Expr) -> Expr {
    c * lit(9.0 / 5.0) + lit(32.0)
}

/// °F → °C.
pub fn f_to_c(f: Expr) -> Expr {
    (f - lit(32.0)) * lit(5.0 / 9.0)
}

/// NWS heat index in °F from air temperature `t` (°F) and relative humidity `rh` (%).
///
/// The simple formula 0.5·(T + 61 + 1.2·(T − 68) + 0.094·RH) is already the average with T
/// that the NWS page describes, so it is compared with 80 directly (as meteocalc does).
pub fn heat_index_f(t: Expr, rh: Expr) -> Expr {
    let simple = lit(0.5)
        * (t.clone() + lit(61.0) + (t.clone() - lit(68.0)) * lit(1.2) + rh.clone() * lit(0.094));
    let tt = t.clone() * t.clone();
    let rr = rh.clone() * rh.clone();
    let regression = lit(-42.379) + lit(2.049_015_23) * t.clone() + lit(10.143_331_27) * rh.clone()
        - lit(0.224_755_41) * t.clone() * rh.clone()
        - lit(0.006_837_83) * tt.clone()
        - lit(0.054_817_17) * rr.clone()
        + lit(0.001_228_74) * tt.clone() * rh.clone()
        + lit(0.000_852_82) * t.clone() * rr.clone()
        - lit(0.000_001_99) * tt * rr;
    let in_range = |lo: f64, hi: f64| t.clone().gt_eq(lit(lo)).and(t.clone().lt_eq(lit(hi)));
    let dry = rh.clone().lt(lit(13.0)).and(in_range(80.0, 112.0));
    let humid = rh.clone().gt(lit(85.0)).and(in_range(80.0, 87.0));
    // Only evaluated where 80 ≤ T ≤ 112, so the square root's argument is ≥ 0 there.
    let dry_adjustment = (lit(13.0) - rh.clone()) / lit(4.0)
        * ((lit(17.0) - (t.clone() - lit(95.0)).abs()) / lit(17.0)).sqrt();
    let humid_adjustment = (rh - lit(85.0)) / lit(10.0) * ((lit(87.0) - t) / lit(5.0));
    let adjusted = when(dry)
        .then(regression.clone() - dry_adjustment)
        .when(humid)
        .then(regression.clone() + humid_adjustment)
        .otherwise(regression);
    when(simple.clone().gt_eq(lit(80.0)))
        .then(adjusted)
        .otherwise(simple)
}

/// NWS heat index in °C from air temperature (°C) and relative humidity (%): computed in °F.
pub fn heat_index_c(temp_c: Expr, rh: Expr) -> Expr {
    f_to_c(heat_index_f(c_to_f(temp_c), rh))
}

/// Water-vapour pressure in hPa: e = RH/100 · 6.105 · exp(17.27·T / (237.7 + T)).
pub fn vapour_pressure_hpa(temp_c: Expr, rh: Expr) -> Expr {
    rh / lit(100.0) * lit(6.105) * (lit(17.27) * temp_c.clone() / (lit(237.7) + temp_c)).exp()
}

/// BoM WBGT estimate (°C): 0.567·Ta + 0.393·e + 3.94, for moderately high radiation and light
/// wind (no sun or wind terms).
pub fn wbgt_bom(temp_c: Expr, rh: Expr) -> Expr {
    lit(0.567) * temp_c.clone() + lit(0.393) * vapour_pressure_hpa(temp_c, rh) + lit(3.94)
}

/// BoM apparent temperature (°C): Ta + 0.33·e − 0.70·ws − 4.00, wind speed in m/s.
pub fn apparent_temperature(temp_c: Expr, rh: Expr, wind_ms: Expr) -> Expr {
    temp_c.clone() + lit(0.33) * vapour_pressure_hpa(temp_c, rh) - lit(0.70) * wind_ms - lit(4.0)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::measures::testing::{close, eval};

    fn hi_f(t: f64, rh: f64) -> Option<f64> {
        let df = df!("t" => [t], "rh" => [rh]).unwrap();
        eval(df, heat_index_f(col("t"), col("rh")))[0]
    }

    /// NWS chart cells outside the high-humidity region (science.md §C.1 "safe" cells), rounded
    /// to the integer the chart prints.
    #[test]
    fn heat_index_matches_nws_chart_cells() {
        let cells = [
            (80.0, 40.0, 80.0),
            (88.0, 40.0, 88.0),
            (90.0, 40.0, 91.0),
            (96.0, 40.0, 101.0),
            (98.0, 40.0, 105.0),
            (106.0, 40.0, 124.0),
            (110.0, 40.0, 136.0),
            (88.0, 60.0, 95.0),
            (90.0, 70.0, 106.0),
            (96.0, 65.0, 121.0),
            (100.0, 65.0, 136.0),
            (84.0, 65.0, 89.0),
            (86.0, 100.0, 112.0),
            (90.0, 100.0, 132.0),
        ];
        for (t, rh, chart) in cells {
            let got = hi_f(t, rh).unwrap();
            assert_eq!(got.round(), chart, "T {t} °F RH {rh} %: {got}");
        }
    }

    /// Algorithm-only values from science.md §C.1, covering each branch.
    #[test]
    fn heat_index_branches() {
        close(hi_f(70.0, 50.0), 69.05, 0.01); // simple
        close(hi_f(79.0, 90.0), 82.98, 0.01); // simple ≥ 80 → regression
        close(hi_f(80.0, 100.0), 89.288, 0.01); // high-humidity adjustment
        close(hi_f(85.0, 90.0), 101.781, 0.01);
        close(hi_f(95.0, 5.0), 88.177, 0.01); // low-humidity adjustment
        close(hi_f(110.0, 12.0), 105.793, 0.01);
        close(hi_f(105.0, 30.0), 111.617, 0.01);
    }

    #[test]
    fn heat_index_in_celsius() {
        let df = df!("t" => [30.0, 35.0], "rh" => [50.0, 50.0]).unwrap();
        let got = eval(df, heat_index_c(col("t"), col("rh")));
        close(got[0], 31.05, 0.01);
        close(got[1], 40.68, 0.01);
    }

    #[test]
    fn wbgt_matches_bom_table() {
        let df = df!("t" => [20.0, 30.0, 35.0, 28.0], "rh" => [50.0, 50.0, 60.0, 80.0]).unwrap();
        let e = eval(df.clone(), vapour_pressure_hpa(col("t"), col("rh")));
        close(e[1], 21.144, 0.001);
        let w = eval(df, wbgt_bom(col("t"), col("rh")));
        close(w[0], 19.86, 0.01);
        close(w[1], 29.26, 0.01);
        close(w[2], 36.99, 0.01);
        close(w[3], 31.66, 0.01);
    }

    #[test]
    fn apparent_temperature_matches_bom_check() {
        let df = df!("t" => [7.17, 30.0], "rh" => [32.0, 50.0], "ws" => [0.0, 0.0]).unwrap();
        let at = eval(df, apparent_temperature(col("t"), col("rh"), col("ws")));
        close(at[0], 4.24, 0.01);
        close(at[1], 32.98, 0.01);
    }

    #[test]
    fn missing_humidity_gives_no_heat_index() {
        let df = df!("t" => [Some(30.0)], "rh" => [None::<f64>]).unwrap();
        assert_eq!(eval(df, heat_index_c(col("t"), col("rh"))), vec![None]);
    }
}
