//! A figure in `report.html`, under the step that took it: the picture,
//! linked to its file, and its caption. A figure compared with its
//! baseline gets a small mark of its verdict (`matches baseline`, `new
//! baseline`); one that differs is shown beside its baseline and the diff
//! image, below a viewer that flips between the three in place.
//!
//! The viewer is three radio buttons and a stack of the three images, one
//! shown at a time by CSS (`:checked ~`), so the page still runs no script,
//! opens from disk and prints (in print only the side-by-side row shows).

use super::{esc, href};
use crate::engine::compared::{Comparison, Verdict, percent};
use crate::report::record::ScreenshotRecord;
use std::fmt::Write;

/// A figure under its step, numbered in run order like the guide's, with a
/// link to the full-size file; a compared one with its verdict, and one
/// that differs from its baseline with both sides and the diff image.
pub(super) fn figure(shot: &ScreenshotRecord, number: usize) -> String {
    let caption = shot.caption.as_deref().unwrap_or(&shot.name);
    let mut sub = format!("<a href=\"{}\">{}</a>", href(&shot.file), esc(&shot.file));
    if !shot.highlight.is_empty() {
        let _ = write!(sub, " · highlighted: {}", esc(&shot.highlight.join(", ")));
    }
    let mark = shot.visual.as_ref().map(mark).unwrap_or_default();
    let caption = format!(
        "<figcaption><strong>Figure {number}</strong> {caption} \
         <span class=\"sub\">({sub})</span>{mark}</figcaption>",
        caption = esc(caption),
    );
    if let Some(sides) = (shot.visual.as_ref()).and_then(|v| sides(shot, v, number)) {
        return format!("<figure class=\"shot compared\">{sides}{caption}</figure>");
    }
    format!(
        "<figure class=\"shot\"><a href=\"{src}\"><img src=\"{src}\" alt=\"{alt}\" \
         loading=\"lazy\"></a>{caption}</figure>",
        src = href(&shot.file),
        alt = esc(shot.caption.as_deref().unwrap_or(&shot.name)),
    )
}

/// The mark of a comparison's verdict, for the figure's caption:
/// `matches baseline`, `differs from baseline: 1234 pixels changed (0.12%)
/// in 2 regions`, and the limits on hover.
fn mark(visual: &Comparison) -> String {
    let class = match visual.outcome {
        Verdict::Matched => "matched",
        Verdict::NewBaseline | Verdict::BaselineUpdated => "written",
        Verdict::Missing | Verdict::Differs | Verdict::SizeDiffers => "differs",
    };
    let sign = if visual.outcome.fails() { "✗" } else { "✓" };
    let mut words = visual.outcome.words().to_string();
    if let (Some(changed), Some(ratio)) = (visual.changed_pixels, visual.changed_ratio)
        && changed > 0
    {
        let _ = write!(
            words,
            ": {changed} pixel{} changed ({}%)",
            plural(changed as usize),
            percent(ratio)
        );
        if !visual.regions.is_empty() {
            let n = visual.regions.len();
            let _ = write!(words, " in {n} region{}", plural(n));
        }
    }
    format!(
        " <span class=\"vmark {class}\" title=\"{title}\">{sign} {words}</span>",
        title = esc(&format!(
            "{} · baseline {}",
            visual.limits,
            visual.baseline.display()
        )),
        words = esc(&words),
    )
}

/// A figure that differs from its baseline, with both sides and the diff
/// image: the viewer flips between them in place; the row below shows
/// them side by side, each a link to its file. `None` when the run's
/// folder lacks the baseline's copy (the comparison could not write it),
/// so the plain figure is shown instead.
fn sides(shot: &ScreenshotRecord, visual: &Comparison, number: usize) -> Option<String> {
    if visual.outcome != Verdict::Differs {
        return None;
    }
    let baseline = path_text(visual.baseline_copy.as_deref()?);
    let diff = visual.diff_image.as_deref().map(path_text);
    let mut pictures = vec![
        ("baseline", "Baseline", baseline),
        ("actual", "Actual", shot.file.clone()),
    ];
    pictures.extend(diff.map(|d| ("diff", "Diff", d)));
    let mut out = String::from("<div class=\"vcompare\">");
    // Radio buttons first, so the stack after them can follow `:checked`.
    for (key, label, _) in &pictures {
        let _ = write!(
            out,
            "<input type=\"radio\" name=\"flip-{number}\" id=\"flip-{number}-{key}\" \
             class=\"show-{key}\"{checked}><label for=\"flip-{number}-{key}\">{label}</label>",
            checked = if *key == "actual" { " checked" } else { "" },
        );
    }
    out.push_str("<div class=\"flip\">");
    for (key, label, file) in &pictures {
        let _ = write!(
            out,
            "<img class=\"{key}\" src=\"{src}\" alt=\"{label}\" loading=\"lazy\">",
            src = href(file),
        );
    }
    out.push_str("</div><div class=\"sides\">");
    for (key, label, file) in &pictures {
        let _ = write!(
            out,
            "<figure class=\"{key}\"><a href=\"{src}\"><img src=\"{src}\" alt=\"{label}\" \
             loading=\"lazy\"></a><figcaption>{label} <span class=\"sub\">\
             (<a href=\"{src}\">{name}</a>)</span></figcaption></figure>",
            src = href(file),
            name = esc(file),
        );
    }
    out.push_str("</div></div>");
    Some(out)
}

fn plural(n: usize) -> &'static str {
    if n == 1 { "" } else { "s" }
}

fn path_text(path: &std::path::Path) -> String {
    path.to_string_lossy().into_owned()
}
