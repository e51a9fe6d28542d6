//! Dates and counts in each language, from CLDR through ICU4X (`icu_datetime`,
//! `icu_plurals`, with their compiled data for every locale).
//!
//! We take month names and plural rules from ICU4X and put dates together from the theme's
//! own patterns (`date.day: "{day} {month} {year}"`), rather than using ICU4X's ready-made
//! "long date": CLDR's Russian long date ends in "г." and its English one is American
//! ("October 20, 2025"), while an archive wants `20 октября 2025` and `20 October 2025`, and a
//! theme must be able to say how its dates read. The month names are CLDR's format form, the
//! one used inside a date (the genitive in Russian: "октября").

use icu_calendar::Gregorian;
use icu_datetime::input::{Date, DateTime, Time};
use icu_datetime::pattern::{DateTimePattern, FixedCalendarDateTimeNames, MonthNameLength};
use icu_locale_core::Locale;
use icu_plurals::{PluralCategory, PluralRules};

/// One language's month names and plural rules.
pub struct Calendar {
    /// In a date: "October", "oktyabr", "октября".
    pub months: [String; 12],
    plurals: PluralRules,
}

impl std::fmt::Debug for Calendar {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Calendar")
            .field("months", &self.months)
            .finish_non_exhaustive()
    }
}

impl Calendar {
    /// CLDR's data for `code`; a language CLDR does not know gets the root locale's (month
    /// numbers, "other" for every count) rather than failing the build.
    pub fn new(code: &str) -> Calendar {
        let locale: Locale = code.parse().unwrap_or(Locale::UNKNOWN);
        let plurals = PluralRules::try_new_cardinal((&locale).into())
            .or_else(|_| PluralRules::try_new_cardinal(Default::default()))
            .expect("ICU4X's compiled data has the root locale's plural rules");
        Calendar {
            months: month_names(&locale, "MMMM", MonthNameLength::Wide),
            plurals,
        }
    }

    /// The CLDR plural category of `n`: `one`, `few`, `many`, `other`...
    pub fn plural(&self, n: u64) -> &'static str {
        match self.plurals.category_for(n) {
            PluralCategory::Zero => "zero",
            PluralCategory::One => "one",
            PluralCategory::Two => "two",
            PluralCategory::Few => "few",
            PluralCategory::Many => "many",
            PluralCategory::Other => "other",
        }
    }
}

fn month_names(locale: &Locale, pattern: &str, length: MonthNameLength) -> [String; 12] {
    let fallback = |m: usize| format!("{m:02}");
    let names = FixedCalendarDateTimeNames::<Gregorian>::try_new(locale.into())
        .ok()
        .and_then(|mut n| {
            n.include_month_names(length).ok()?;
            Some(n)
        });
    let pattern: Option<DateTimePattern> = pattern.parse().ok();
    std::array::from_fn(|i| {
        let (Some(names), Some(pattern)) = (&names, &pattern) else {
            return fallback(i + 1);
        };
        let Ok(date) = Date::try_new_gregorian(2025, i as u8 + 1, 1) else {
            return fallback(i + 1);
        };
        let moment = DateTime {
            date,
            time: Time::start_of_day(),
        };
        use writeable::TryWriteable;
        names
            .with_pattern_unchecked(pattern)
            .format(&moment)
            .try_write_to_string()
            .map(|s| s.into_owned())
            .unwrap_or_else(|_| fallback(i + 1))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn month_names_come_from_cldr_in_the_form_for_a_date() {
        let ru = Calendar::new("ru");
        assert_eq!(ru.months[9], "октября");
        let az = Calendar::new("az");
        assert_eq!(az.months[9], "oktyabr");
        assert_eq!(Calendar::new("en").months[9], "October");
    }

    #[test]
    fn plural_categories_follow_cldr() {
        let ru = Calendar::new("ru");
        let got: Vec<&str> = [1, 2, 5, 21, 11, 22, 0]
            .iter()
            .map(|&n| ru.plural(n))
            .collect();
        assert_eq!(got, ["one", "few", "many", "one", "many", "few", "many"]);
        let en = Calendar::new("en");
        assert_eq!((en.plural(1), en.plural(2)), ("one", "other"));
        let az = Calendar::new("az");
        assert_eq!((az.plural(1), az.plural(5)), ("one", "other"));
    }
}
