//! Coarse dates: every date tipline keeps is a day (UTC), never a time.

/// Today's date in UTC as `YYYY-MM-DD`: fine enough for figures and retention,
/// too coarse to line a report up with network logs.
pub fn today() -> String {
    format_day(time::OffsetDateTime::now_utc().date())
}

/// Today at 00:00 UTC, in seconds since the Unix epoch: the only time tipline
/// puts on a file.
pub fn midnight_unix() -> i64 {
    time::OffsetDateTime::now_utc()
        .replace_time(time::Time::MIDNIGHT)
        .unix_timestamp()
}

/// Formats a date as `YYYY-MM-DD`.
pub fn format_day(date: time::Date) -> String {
    format!(
        "{:04}-{:02}-{:02}",
        date.year(),
        u8::from(date.month()),
        date.day()
    )
}

/// Parses `YYYY-MM-DD`.
pub fn parse_day(s: &str) -> Option<time::Date> {
    let format = time::macros::format_description!("[year]-[month]-[day]");
    time::Date::parse(s, &format).ok()
}

/// Whole days from `day` to today (0 if `day` is unreadable or in the future).
pub fn days_since(day: &str) -> i64 {
    parse_day(day)
        .map(|d| {
            (time::OffsetDateTime::now_utc().date() - d)
                .whole_days()
                .max(0)
        })
        .unwrap_or(0)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn today_is_a_day_and_nothing_finer() {
        let t = today();
        assert_eq!(t.len(), 10);
        assert!(parse_day(&t).is_some());
        assert_eq!(days_since(&t), 0);
        assert!(days_since("2000-01-01") > 9000);
        assert_eq!(midnight_unix() % 86_400, 0);
    }
}
