"""The pandas peer of bench/run.sh: the daily measures of docs/model.md written the way a
data scientist would in pandas, as a benchmark baseline (not a product, not checked against
cramprisk's numbers, no factors, no model, no explanations, no row checks or rejections).

Usage: python3 pandas_peer.py FOLDER OUT.csv

Reads the generated team's native CSVs (activities, fluids, daily, weather) and athletes.toml,
builds one row per athlete and calendar day, and computes: sessions, duration, distance, load
(given load, else Banister TRIMP from heart rate, else session RPE, else minutes × a per-sport
intensity), ATL/CTL (seeded EWMAs, tau 7 and 42), TSB (yesterday's CTL − ATL), ACWR (EWMA 7/28
from day 28), the hottest hour's temperature, heat index (Rothfusz/Steadman) and WBGT (BoM)
over the hours the sessions cover (the day's hottest hour on rest days), sweat loss (weighing,
else profile rate, else sport default), fluid intake, need and balance, sodium loss and drinks'
sodium; then writes the table as CSV.
"""
import math
import pathlib
import sys
import tomllib

import numpy as np
import pandas as pd

folder = pathlib.Path(sys.argv[1])
out = pathlib.Path(sys.argv[2])

SPORT_X = {"run": 0.70, "ride": 0.65, "swim": 0.65, "soccer": 0.70, "basketball": 0.70,
           "strength": 0.55, "walk": 0.40, "yoga": 0.30, "stretching": 0.25, "mobility": 0.25}
SWEAT_L_H = {"run": 1.28, "ride": 1.28, "triathlon": 1.28, "rowing": 1.28, "soccer": 0.94,
             "basketball": 0.95, "swim": 0.48, "yoga": 0.5, "stretching": 0.5, "mobility": 0.5,
             "walk": 0.5}
INDOOR = {"swim", "strength", "yoga", "stretching", "mobility", "pilates", "basketball", "other"}
DRINK_NA = {"ors": 1725, "electrolyte": 1000, "sports drink": 450, "isotonic": 450, "milk": 430,
            "soda": 100, "sparkling water": 50, "beer": 40, "water": 10, "juice": 10,
            "coffee": 5, "tea": 5}

# Profiles: athletes.toml, [defaults] then [athletes.NAME].
toml = tomllib.loads((folder / "athletes.toml").read_text())
defaults = toml.get("defaults", {})
prof = pd.DataFrame([
    {"athlete": name, "female": p.get("sex") == "female",
     "hr_rest": p.get("hr_rest", defaults.get("hr_rest", 60)),
     "hr_max": p.get("hr_max", defaults.get("hr_max", 190)),
     "sweat_rate": p.get("sweat_rate_l_per_h", np.nan),
     "sweat_na": p.get("sweat_sodium_mg_per_l", 825.0),
     "location": p.get("location", "")}
    for name, p in toml.get("athletes", {}).items()
])

acts = pd.read_csv(folder / "activities.csv", parse_dates=["start"])
fluids = pd.read_csv(folder / "fluids.csv", parse_dates=["time"])
daily = pd.read_csv(folder / "daily.csv", parse_dates=["date"])
weather = pd.read_csv(folder / "weather.csv", parse_dates=["time"])

# Session load.
acts = acts.merge(prof, on="athlete", how="left")
acts["date"] = acts["start"].dt.normalize()
a = np.where(acts["female"], 0.86, 0.64)
b = np.where(acts["female"], 1.67, 1.92)


def trimp(x):
    x = np.clip(x, 0.0, 1.0)
    return acts["duration_min"] * x * a * np.exp(b * x)


x_hr = (acts["avg_hr"] - acts["hr_rest"]) / (acts["hr_max"] - acts["hr_rest"])
sport = acts["sport"].astype(str).str.lower()
acts["load_calc"] = acts["load"]
acts["load_calc"] = acts["load_calc"].fillna(trimp(x_hr))
acts["load_calc"] = acts["load_calc"].fillna(trimp(acts["rpe"] / 10.0))
acts["load_calc"] = acts["load_calc"].fillna(trimp(sport.map(SPORT_X).fillna(0.60)))

# Heat over the hours each session covers (start hour to the hour of its last minute).
weather["hi_c"] = 0.0
t_f = weather["temp_c"] * 9 / 5 + 32
rh = weather["rh_pct"]
simple = 0.5 * (t_f + 61.0 + (t_f - 68.0) * 1.2 + rh * 0.094)
roth = (-42.379 + 2.04901523 * t_f + 10.14333127 * rh - 0.22475541 * t_f * rh
        - 6.83783e-3 * t_f ** 2 - 5.481717e-2 * rh ** 2 + 1.22874e-3 * t_f ** 2 * rh
        + 8.5282e-4 * t_f * rh ** 2 - 1.99e-6 * t_f ** 2 * rh ** 2)
low = (rh < 13) & (t_f >= 80) & (t_f <= 112)
roth = roth - np.where(low, (13 - rh) / 4 * np.sqrt(np.clip(17 - (t_f - 95).abs(), 0, None) / 17), 0)
high = (rh > 85) & (t_f >= 80) & (t_f <= 87)
roth = roth + np.where(high, (rh - 85) / 10 * (87 - t_f) / 5, 0)
hi_f = np.where((simple + t_f) / 2 < 80, simple, roth)
weather["hi_c"] = (hi_f - 32) * 5 / 9
e = rh / 100 * 6.105 * np.exp(17.27 * weather["temp_c"] / (237.7 + weather["temp_c"]))
weather["wbgt_c"] = 0.567 * weather["temp_c"] + 0.393 * e + 3.94
weather["hour"] = weather["time"].dt.floor("h")

acts["end"] = acts["start"] + pd.to_timedelta(acts["duration_min"].clip(lower=1) - 1, unit="m")
acts["h0"] = acts["start"].dt.floor("h")
acts["n_hours"] = ((acts["end"].dt.floor("h") - acts["h0"]) / pd.Timedelta(hours=1)).astype(int) + 1
hours = acts.loc[acts.index.repeat(acts["n_hours"]), ["athlete", "location", "date", "h0"]].copy()
hours["hour"] = hours["h0"] + pd.to_timedelta(hours.groupby(level=0).cumcount(), unit="h")
hours = hours.merge(weather[["location", "hour", "temp_c", "hi_c", "wbgt_c"]],
                    on=["location", "hour"], how="inner")
session_heat = hours.sort_values("hi_c").groupby(["athlete", "date"]).last()[["hi_c", "wbgt_c"]]

# Sweat per session: weighing, else profile rate, else sport default raised in heat outdoors.
weighed = ((acts["body_mass_before_kg"] - acts["body_mass_after_kg"])
           + acts["fluid_during_ml"].fillna(0) / 1000) / (acts["duration_min"] / 60)
default_rate = sport.map(SWEAT_L_H).fillna(1.21)
acts_heat = acts.merge(session_heat, left_on=["athlete", "date"], right_index=True, how="left")
raise_ = np.where(sport.isin(INDOOR).to_numpy(), 1.0,
                  1 + np.clip((acts_heat["hi_c"].to_numpy() - 25) * 0.05, 0, 0.5))
raise_ = np.nan_to_num(raise_, nan=1.0)
rate = weighed.where(weighed > 0).fillna(acts["sweat_rate"]).fillna(default_rate * raise_)
acts["sweat_ml"] = rate * acts["duration_min"] / 60 * 1000

per_day = acts.groupby(["athlete", "date"]).agg(
    sessions=("sport", "size"), duration_min=("duration_min", "sum"),
    distance_km=("distance_km", "sum"), load=("load_calc", "sum"), sweat_loss_ml=("sweat_ml", "sum"))

# Fluids: intake and drinks' sodium (unknown if any drink of the day has unknown sodium).
fluids["date"] = fluids["time"].dt.normalize()
per_l = fluids["drink"].astype(str).str.lower().map(DRINK_NA)
fluids["na"] = fluids["sodium_mg"].fillna(per_l * fluids["volume_ml"] / 1000)
fluids["na_unknown"] = fluids["na"].isna()
fl = fluids.groupby(["athlete", "date"]).agg(
    fluid_intake_ml=("volume_ml", "sum"), sodium_intake_mg=("na", "sum"), na_unknown=("na_unknown", "any"))
fl.loc[fl["na_unknown"], "sodium_intake_mg"] = np.nan
fl = fl.drop(columns="na_unknown")

# The grid: every athlete's days from first to last record.
firsts = pd.concat([acts[["athlete", "date"]], fluids[["athlete", "date"]], daily[["athlete", "date"]]])
span = firsts.groupby("athlete")["date"].agg(["min", "max"])
grid = pd.concat([pd.DataFrame({"athlete": n, "date": pd.date_range(r["min"], r["max"], freq="D")})
                  for n, r in span.iterrows()], ignore_index=True)
g = grid.merge(per_day, left_on=["athlete", "date"], right_index=True, how="left")
g["sessions"] = g["sessions"].fillna(0).astype(int)
g["load"] = g["load"].fillna(0.0)
g["sweat_loss_ml"] = g["sweat_loss_ml"].fillna(0.0)
g = g.merge(fl, left_on=["athlete", "date"], right_index=True, how="left")
g = g.merge(daily[["athlete", "date", "steps", "sedentary_min"]], on=["athlete", "date"], how="left")
g = g.merge(prof, on="athlete", how="left")


def ewm_seeded(load, tau):
    # x_t = x_(t-1) + k·(load_t − x_(t-1)) from the mean of the first 28 days: pandas' ewm
    # (adjust=False) over the load with that seed put in front, the seed's row then dropped.
    k = 1 - math.exp(-1 / tau)
    seeded = np.concatenate([[load[:28].mean()], load])
    return pd.Series(seeded).ewm(alpha=k, adjust=False).mean().to_numpy()[1:]


def per_athlete(d):
    load = d["load"].to_numpy()
    atl = ewm_seeded(load, 7)
    ctl = ewm_seeded(load, 42)
    tsb = np.concatenate([[0.0], (ctl - atl)[:-1]])
    s = pd.Series(load)
    acute = s.ewm(span=7, adjust=False).mean().to_numpy()
    chronic = s.ewm(span=28, adjust=False).mean().to_numpy()
    acwr = np.where((np.arange(len(load)) >= 27) & (chronic > 0), acute / np.where(chronic > 0, chronic, 1), np.nan)
    return pd.DataFrame({"atl": atl, "ctl": ctl, "tsb": tsb, "acwr": acwr}, index=d.index)


g = g.sort_values(["athlete", "date"])
g = g.join(g.groupby("athlete", group_keys=False)[["load"]].apply(per_athlete))

# Rest days: the day's hottest hour; training days: the hottest hour the sessions cover.
weather["date"] = weather["time"].dt.normalize()
day_w = weather.sort_values("hi_c").groupby(["location", "date"]).agg(
    temp_max_c=("temp_c", "max"), hi_day=("hi_c", "last"), wbgt_day=("wbgt_c", "last"))
g = g.merge(day_w, left_on=["location", "date"], right_index=True, how="left")
g = g.merge(session_heat, left_on=["athlete", "date"], right_index=True, how="left")
g["heat_index_c"] = g["hi_c"].fillna(g["hi_day"])
g["wbgt_c"] = g["wbgt_c"].fillna(g["wbgt_day"])

g["fluid_need_ml"] = np.where(g["female"], 1600.0, 2000.0) + g["sweat_loss_ml"]
g["fluid_balance_ml"] = g["fluid_intake_ml"] - g["fluid_need_ml"]
g["sodium_loss_mg"] = g["sweat_loss_ml"] / 1000 * g["sweat_na"]

cols = ["athlete", "date", "sessions", "duration_min", "distance_km", "load", "atl", "ctl", "tsb",
        "acwr", "temp_max_c", "heat_index_c", "wbgt_c", "fluid_intake_ml", "sweat_loss_ml",
        "fluid_need_ml", "fluid_balance_ml", "sodium_loss_mg", "sodium_intake_mg", "steps",
        "sedentary_min"]
# Rounded first and written with pandas' own float printing: `float_format="%.2f"` formats
# every cell in Python and was 47 of this script's 50 s at 1,000 athletes; the peer should be
# the fast way a pandas user would write it.
table = g[cols].copy()
numbers = table.select_dtypes("number").columns
table[numbers] = table[numbers].round(2)
table.to_csv(out, index=False, date_format="%Y-%m-%d")
print(len(g))
