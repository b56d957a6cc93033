//! Colours for the terminal reporter, as `anstyle` styles (the crate clap
//! already draws its help with). The choice of colour or none stays in
//! [`super::TerminalOptions`] alone: with colours off every style returns
//! the text unchanged, so plain output carries no escape codes at all.

use anstyle::{AnsiColor, Style};

/// Applies styles when colours are on.
#[derive(Debug, Clone, Copy)]
pub struct Paint {
    pub on: bool,
}

impl Paint {
    fn wrap(self, style: Style, text: &str) -> String {
        if self.on && !text.is_empty() {
            format!("{style}{text}{style:#}")
        } else {
            text.to_string()
        }
    }

    pub fn bold(self, text: &str) -> String {
        self.wrap(Style::new().bold(), text)
    }

    pub fn dim(self, text: &str) -> String {
        self.wrap(Style::new().dimmed(), text)
    }

    pub fn red(self, text: &str) -> String {
        self.wrap(Style::new().fg_color(Some(AnsiColor::Red.into())), text)
    }

    pub fn bold_red(self, text: &str) -> String {
        self.wrap(
            Style::new().fg_color(Some(AnsiColor::Red.into())).bold(),
            text,
        )
    }

    pub fn green(self, text: &str) -> String {
        self.wrap(Style::new().fg_color(Some(AnsiColor::Green.into())), text)
    }

    pub fn bold_green(self, text: &str) -> String {
        self.wrap(
            Style::new().fg_color(Some(AnsiColor::Green.into())).bold(),
            text,
        )
    }

    pub fn yellow(self, text: &str) -> String {
        self.wrap(Style::new().fg_color(Some(AnsiColor::Yellow.into())), text)
    }

    pub fn bold_yellow(self, text: &str) -> String {
        self.wrap(
            Style::new().fg_color(Some(AnsiColor::Yellow.into())).bold(),
            text,
        )
    }

    pub fn cyan(self, text: &str) -> String {
        self.wrap(Style::new().fg_color(Some(AnsiColor::Cyan.into())), text)
    }
}
