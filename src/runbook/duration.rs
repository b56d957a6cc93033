//! Durations in human units (`500ms`, `10s`, `1.5s`, `2m`) as runbooks and
//! the command line write them.

use std::time::Duration;

/// Parses a human duration; the error says what forms are accepted.
pub fn parse(text: &str) -> Result<Duration, String> {
    let text = text.trim();
    let split = text
        .find(|c: char| !(c.is_ascii_digit() || c == '.'))
        .unwrap_or(text.len());
    let (number, unit) = text.split_at(split);
    let value: f64 = number
        .parse()
        .map_err(|_| format!("`{text}` is not a duration; write it like `500ms`, `10s` or `2m`"))?;
    let seconds = match unit.trim() {
        "ms" => value / 1000.0,
        "s" => value,
        "m" | "min" => value * 60.0,
        "" => return Err(format!("`{text}` needs a unit: `{text}s` or `{text}ms`")),
        other => {
            return Err(format!(
                "unknown unit `{other}` in `{text}`; use `ms`, `s` or `m`"
            ));
        }
    };
    // A day is far beyond any wait a step should make; the cap also keeps
    // absurd values from overflowing.
    if seconds > 86_400.0 {
        return Err(format!(
            "`{text}` is longer than a day; write a shorter wait"
        ));
    }
    Ok(Duration::from_secs_f64(seconds))
}

/// Formats a duration the way the terminal and reports show it.
pub fn human(duration: Duration) -> String {
    let ms = duration.as_millis();
    if ms < 1000 {
        format!("{ms}ms")
    } else if ms < 60_000 {
        format!("{:.1}s", duration.as_secs_f64())
    } else {
        format!("{}m{:02}s", ms / 60_000, (ms % 60_000) / 1000)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_units() {
        assert_eq!(parse("500ms").unwrap(), Duration::from_millis(500));
        assert_eq!(parse("1.5s").unwrap(), Duration::from_millis(1500));
        assert_eq!(parse("2m").unwrap(), Duration::from_secs(120));
        assert!(parse("10").unwrap_err().contains("needs a unit"));
        assert!(parse("3h").unwrap_err().contains("unknown unit"));
        assert!(
            parse("99999999999999999999s")
                .unwrap_err()
                .contains("longer than a day")
        );
    }
}
