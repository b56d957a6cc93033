//! The runbook's outline as a run numbers it: sections numbered `5`,
//! `5.3`, steps given ids in document order. `Event::RunStarted` carries
//! it, and each step's events carry its [`StepInfo`].

use super::{OutlineItem, OutlineSection, StepInfo};
use crate::runbook::{Action, Item, Runbook, Step};

/// The runbook's sections and steps, numbered as a run numbers them (what
/// [`Event::RunStarted`] carries).
pub fn outline_of(runbook: &Runbook) -> Vec<OutlineItem> {
    outline(&runbook.items, &[], "")
}

/// The runbook's sections and steps, numbered as the run will number them.
pub(super) fn outline(items: &[Item], numbers: &[usize], section: &str) -> Vec<OutlineItem> {
    let mut out = Vec::new();
    let mut section_index = 0;
    for item in items {
        match item {
            Item::Section(s) => {
                section_index += 1;
                let mut nested = numbers.to_vec();
                nested.push(section_index);
                let number = section_number(&nested);
                out.push(OutlineItem::Section(OutlineSection {
                    title: s.title.clone(),
                    guide: s.guide.clone(),
                    path: s.file.to_path_buf(),
                    pos: s.pos,
                    items: outline(&s.items, &nested, &number),
                    number,
                }));
            }
            Item::Step(step) => {
                out.push(OutlineItem::Step(step_info(step, &step.action, section)));
            }
        }
    }
    out
}

pub(super) fn section_number(nested: &[usize]) -> String {
    nested
        .iter()
        .map(usize::to_string)
        .collect::<Vec<_>>()
        .join(".")
}

/// How the events name a step; `action` is the step with stored values
/// filled in, once it runs.
pub(super) fn step_info(step: &Step, action: &Action, section: &str) -> StepInfo {
    StepInfo {
        id: step.id,
        section: section.to_string(),
        keyword: action.keyword(),
        description: action.describe(),
        action: action.clone(),
        guide: step.guide.clone(),
        path: step.file.to_path_buf(),
        pos: step.pos,
    }
}
