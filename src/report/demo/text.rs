//! Text for the caption bar, drawn from the pre-rasterised Noto Sans Mono
//! glyphs that ship inside the binary (no font files at run time). The
//! font covers Latin-1 only, so the few characters the outputs commonly
//! carry beyond it get stand-ins: the secret mask `•••` becomes drawn
//! dots, dashes and curly quotes their ASCII forms; anything else shows
//! as `?`. Being monospaced, a line's width is its count of cells, which
//! makes fitting a line to the bar a matter of counting.

use super::canvas::{Canvas, Rgb};
use noto_sans_mono_bitmap::{FontWeight, RasterHeight, get_raster, get_raster_width};

/// The two faces of the caption bar.
#[derive(Debug, Clone, Copy)]
pub enum Face {
    /// Regular, 16 px: the section line.
    Small,
    /// Bold, 20 px: the step line.
    Large,
}

impl Face {
    fn font(self) -> (FontWeight, RasterHeight) {
        match self {
            Face::Small => (FontWeight::Regular, RasterHeight::Size16),
            Face::Large => (FontWeight::Bold, RasterHeight::Size20),
        }
    }

    /// Width of one character cell.
    pub fn advance(self) -> usize {
        let (weight, height) = self.font();
        get_raster_width(weight, height)
    }

    /// Height of a line.
    pub fn height(self) -> usize {
        self.font().1.val()
    }
}

/// What one cell of a line shows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Cell {
    /// A character the font has.
    Glyph(char),
    /// A round dot, for the secret mask `•`, which the font lacks.
    Dot,
}

/// `text` as cells, on one line (line breaks and tabs become spaces),
/// cut to at most `max` cells with `...` at the end when it is longer.
pub fn fit(text: &str, face: Face, max: usize) -> Vec<Cell> {
    let (weight, height) = face.font();
    let mut cells = Vec::new();
    for c in text.chars() {
        match c {
            '•' | '●' | '∙' => cells.push(Cell::Dot),
            '…' => cells.extend([Cell::Glyph('.'); 3]),
            '–' | '—' | '‒' | '−' => cells.push(Cell::Glyph('-')),
            '‘' | '’' | '‚' | '′' => cells.push(Cell::Glyph('\'')),
            '“' | '”' | '„' | '″' => cells.push(Cell::Glyph('"')),
            '→' => cells.extend([Cell::Glyph('-'), Cell::Glyph('>')]),
            c if c.is_whitespace() || c.is_control() => cells.push(Cell::Glyph(' ')),
            c if get_raster(c, weight, height).is_some() => cells.push(Cell::Glyph(c)),
            _ => cells.push(Cell::Glyph('?')),
        }
    }
    if cells.len() > max {
        cells.truncate(max.saturating_sub(3));
        while cells.last() == Some(&Cell::Glyph(' ')) {
            cells.pop();
        }
        cells.extend([Cell::Glyph('.'); 3]);
        cells.truncate(max);
    }
    cells
}

/// Draws `cells` with the top-left of the first cell at (`x`, `y`).
pub fn draw(canvas: &mut Canvas, x: usize, y: usize, cells: &[Cell], face: Face, colour: Rgb) {
    let (weight, height) = face.font();
    let advance = face.advance();
    for (i, cell) in cells.iter().enumerate() {
        let left = x + i * advance;
        match cell {
            Cell::Glyph(' ') => {}
            Cell::Glyph(c) => {
                let Some(raster) = get_raster(*c, weight, height) else {
                    continue;
                };
                for (row, line) in raster.raster().iter().enumerate() {
                    for (column, intensity) in line.iter().enumerate() {
                        canvas.blend(left + column, y + row, colour, *intensity);
                    }
                }
            }
            Cell::Dot => {
                let (centre, radius) = dot(face);
                canvas.disc(
                    left as f32 + advance as f32 / 2.0,
                    y as f32 + centre,
                    radius,
                    colour,
                    canvas.bounds(),
                );
            }
        }
    }
}

/// Where a dot sits in its cell (its centre from the cell's top) and how
/// big it is: centred on the lower-case letters, as a bullet is.
fn dot(face: Face) -> (f32, f32) {
    let (weight, height) = face.font();
    let radius = face.advance() as f32 * 0.3;
    let Some(x) = get_raster('x', weight, height) else {
        return (height.val() as f32 * 0.6, radius);
    };
    let inked: Vec<usize> = x
        .raster()
        .iter()
        .enumerate()
        .filter(|(_, line)| line.iter().any(|&i| i > 64))
        .map(|(row, _)| row)
        .collect();
    let (top, bottom) = (inked.first().copied(), inked.last().copied());
    match (top, bottom) {
        (Some(top), Some(bottom)) => ((top + bottom + 1) as f32 / 2.0, radius),
        _ => (height.val() as f32 * 0.6, radius),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn text(cells: &[Cell]) -> String {
        cells
            .iter()
            .map(|c| match c {
                Cell::Glyph(c) => *c,
                Cell::Dot => '•',
            })
            .collect()
    }

    #[test]
    fn long_lines_end_in_an_ellipsis() {
        let cells = fit("Toggle on Transfer to LTS.", Face::Large, 12);
        assert_eq!(text(&cells), "Toggle on...");
        assert_eq!(fit("short", Face::Large, 12).len(), 5);
        assert_eq!(text(&fit("abcdef", Face::Small, 2)), "..");
    }

    #[test]
    fn characters_the_font_lacks_get_stand_ins() {
        let cells = fit("Enter ••• in Password — “中文” …\n", Face::Small, 100);
        assert_eq!(text(&cells), "Enter ••• in Password - \"??\" ... ");
        assert_eq!(cells[6], Cell::Dot);
        assert_eq!(text(&fit("Überprüfen", Face::Small, 100)), "Überprüfen");
    }

    #[test]
    fn dots_and_glyphs_leave_ink() {
        let mut canvas = Canvas::new(60, 30, [0, 0, 0]);
        draw(
            &mut canvas,
            2,
            2,
            &[Cell::Glyph('A'), Cell::Dot, Cell::Glyph('中')],
            Face::Large,
            [255, 255, 255],
        );
        let inked = |from: usize, to: usize| {
            (0..30).any(|y| (from..to).any(|x| canvas.pixels[(y * 60 + x) * 4] > 200))
        };
        let advance = Face::Large.advance();
        assert!(inked(2, 2 + advance), "the letter");
        assert!(inked(2 + advance, 2 + 2 * advance), "the dot");
        assert!(
            !inked(2 + 2 * advance, 60),
            "nothing for a glyph the font lacks"
        );
    }
}
