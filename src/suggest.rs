//! Closest-match suggestions for "did you mean" hints, shared by the runbook
//! loader (misspelt keys and variables) and the engine (texts on the page
//! that resemble a target that was not found).

// Edit distances are counted in characters with plain Levenshtein (a swapped
// pair of letters costs two): the thresholds below were set for that.
use strsim::levenshtein;

/// The candidate closest to `wanted`, if it is close enough to be a likely typo.
pub fn did_you_mean<'a>(
    wanted: &str,
    candidates: impl IntoIterator<Item = &'a str>,
) -> Option<&'a str> {
    let limit = (wanted.chars().count() / 3).max(2);
    candidates
        .into_iter()
        .map(|c| (levenshtein(&wanted.to_lowercase(), &c.to_lowercase()), c))
        .filter(|(d, _)| *d <= limit)
        .min_by_key(|(d, _)| *d)
        .map(|(_, c)| c)
}

/// Ranks page texts by resemblance to `wanted`: texts that contain it (or are
/// contained in it, ignoring case) first, then by edit distance. Used to tell
/// the user what the page had instead of the text they asked for.
pub fn closest<'a>(wanted: &str, candidates: &'a [String], count: usize) -> Vec<&'a str> {
    let wanted_lower = wanted.to_lowercase();
    let mut scored: Vec<(usize, &str)> = candidates
        .iter()
        .map(|c| {
            let lower = c.to_lowercase();
            let score = if lower == wanted_lower {
                0
            } else if lower.contains(&wanted_lower) || wanted_lower.contains(&lower) {
                1 + lower.len().abs_diff(wanted_lower.len()) / 8
            } else {
                4 + levenshtein(&wanted_lower, &lower)
            };
            (score, c.as_str())
        })
        .filter(|(score, c)| *score < 4 + wanted.chars().count().max(c.chars().count()) / 2)
        .collect();
    scored.sort_by_key(|(score, _)| *score);
    scored.dedup_by(|a, b| a.1 == b.1);
    scored.into_iter().take(count).map(|(_, c)| c).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn suggests_typos_only() {
        assert_eq!(
            did_you_mean("clik", ["click", "fill", "goto"]),
            Some("click")
        );
        assert_eq!(did_you_mean("zzzzzz", ["click", "fill"]), None);
    }

    #[test]
    fn distances_count_characters_not_bytes() {
        // Two accents are two edits, within the limit of 2 for six letters.
        assert_eq!(did_you_mean("résumé", ["resume"]), Some("resume"));
    }

    #[test]
    fn closest_prefers_containing_texts() {
        let page = vec![
            "Operation successfully!".to_string(),
            "Cancel".into(),
            "Logout".into(),
        ];
        assert_eq!(
            closest("Operation successful", &page, 2),
            vec!["Operation successfully!"]
        );
    }
}
