//! `index.html`: one page over several runs, with the overall verdict (the
//! worst run's), a row per run linking to its report and guide, and totals.

use super::*;

/// The index page over several runs.
pub fn index(runs: &[IndexEntry<'_>]) -> String {
    let overall = overall(runs.iter().map(|r| r.record.status));
    let plural = if runs.len() == 1 { "" } else { "s" };
    let mut page = head(&format!(
        "{} — {} runbook{plural}",
        verdict_word(overall),
        runs.len()
    ));
    let _ = write!(
        page,
        "<header class=\"run {class}\">\n<p class=\"kicker\">docent runs</p>\n\
         <h1>{count} runbook{plural}</h1>\n\
         <p><span class=\"verdict\">{word}</span> {summary}</p>\n",
        class = overall.as_str(),
        count = runs.len(),
        word = verdict_word(overall),
        summary = esc(&run_summary(runs)),
    );
    page.push_str(
        "<p class=\"files\"><span>Files:</span><a href=\"junit.xml\">junit.xml</a></p>\n</header>\n",
    );
    page.push_str(
        "<main>\n<table>\n<thead><tr><th>Runbook</th><th>Verdict</th>\
         <th class=\"num\">Passed</th><th class=\"num\">Failed</th><th class=\"num\">Tolerated</th>\
         <th class=\"num\">Skipped</th><th class=\"num\">Not run</th><th class=\"num\">Duration</th>\
         <th>Started</th></tr></thead>\n<tbody>\n",
    );
    let mut total = crate::report::record::Counts::default();
    let mut time = std::time::Duration::ZERO;
    for run in runs {
        let record = run.record;
        let c = &record.counts;
        total.passed += c.passed;
        total.failed += c.failed;
        total.tolerated += c.tolerated;
        total.skipped += c.skipped;
        total.not_run += c.not_run;
        time += record.duration_ms;
        let folder = run
            .report
            .strip_suffix("report.html")
            .unwrap_or("")
            .to_string();
        let mut detail = format!(
            "<span class=\"sub mono\">{}</span>",
            esc(&record.runbook.path.display().to_string())
        );
        if let Some(f) = &record.failure {
            let _ = write!(
                detail,
                "<span class=\"sub\">step {} failed: {} <code>{}</code></span>",
                f.step,
                esc(&f.description),
                esc(&location(&f.path, f.line, f.column)),
            );
        } else if let Some(reason) = &record.reason {
            let _ = write!(detail, "<span class=\"sub\">{}</span>", esc(reason));
        }
        // A runbook that never started has no report to link to.
        let title = if record.status == Status::NotRun {
            esc(&display_name(record))
        } else {
            format!(
                "<a href=\"{report}\">{name}</a> <a class=\"sub-link\" href=\"{guide}\">guide</a>",
                report = href(&run.report),
                name = esc(&display_name(record)),
                guide = href(&format!("{folder}guide.html")),
            )
        };
        let _ = writeln!(
            page,
            "<tr class=\"{class}\"><td>{title}{detail}</td>\
             <td class=\"nowrap\"><span class=\"mark\">{mark}</span>{word}</td>\
             {counts}<td class=\"num\">{duration}</td><td class=\"nowrap\">{started}</td></tr>",
            class = record.status.as_str(),
            mark = mark(record.status),
            word = status_word(record.status),
            counts = count_cells(c),
            duration = human(record.duration_ms),
            started = esc(&started(&record.started_at)),
        );
    }
    let _ = writeln!(
        page,
        "</tbody>\n<tfoot><tr><td>All</td><td>{word}</td>{counts}\
         <td class=\"num\">{duration}</td><td></td></tr></tfoot>\n</table>\n</main>",
        word = status_word(overall),
        counts = count_cells(&total),
        duration = human(time),
    );
    page.push_str(&footer());
    page
}

fn count_cells(c: &crate::report::record::Counts) -> String {
    [c.passed, c.failed, c.tolerated, c.skipped, c.not_run]
        .iter()
        .map(|n| format!("<td class=\"num\">{n}</td>"))
        .collect()
}

/// "2 passed, 1 failed".
fn run_summary(runs: &[IndexEntry<'_>]) -> String {
    let mut parts = Vec::new();
    for status in [
        Status::Passed,
        Status::Failed,
        Status::Broken,
        Status::Interrupted,
        Status::Running,
        Status::NotRun,
    ] {
        let n = runs.iter().filter(|r| r.record.status == status).count();
        if n > 0 {
            parts.push(format!("{n} {}", status_word(status)));
        }
    }
    parts.join(", ")
}

/// The verdict over several runs: the worst of theirs.
fn overall(statuses: impl Iterator<Item = Status>) -> Status {
    let rank = |s: &Status| match s {
        Status::Interrupted => 4,
        Status::Broken => 3,
        Status::Failed => 2,
        Status::Running | Status::NotRun => 1,
        _ => 0,
    };
    statuses
        // A run's own status is never tolerated or skipped; if it were, it
        // would still count as a pass.
        .map(|s| match s {
            Status::Tolerated | Status::Skipped => Status::Passed,
            s => s,
        })
        .max_by_key(rank)
        .unwrap_or(Status::NotRun)
}
