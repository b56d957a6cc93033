//! A frame of the demo being drawn: an opaque RGBA picture with the few
//! drawing operations the demo needs (filled rectangles, pasted pictures,
//! blended pixels, anti-aliased discs and rings). docent builds at
//! opt-level 0 in debug, so whole rows are moved with slice copies and
//! per-pixel loops are kept to the small areas of the marker and the text.

/// An sRGB colour.
pub type Rgb = [u8; 3];

/// A rectangle in canvas pixels; drawing outside it is dropped.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Rect {
    pub x: usize,
    pub y: usize,
    pub width: usize,
    pub height: usize,
}

impl Rect {
    fn contains(&self, x: usize, y: usize) -> bool {
        x >= self.x && y >= self.y && x < self.x + self.width && y < self.y + self.height
    }
}

/// RGBA pixels, row by row, every pixel opaque.
#[derive(Debug, Clone)]
pub struct Canvas {
    pub width: usize,
    pub height: usize,
    pub pixels: Vec<u8>,
}

impl Canvas {
    pub fn new(width: usize, height: usize, colour: Rgb) -> Canvas {
        Canvas {
            width,
            height,
            pixels: opaque(colour).repeat(width * height),
        }
    }

    pub fn bounds(&self) -> Rect {
        Rect {
            x: 0,
            y: 0,
            width: self.width,
            height: self.height,
        }
    }

    pub fn fill(&mut self, area: Rect, colour: Rgb) {
        let area = self.clip(area);
        if area.width == 0 {
            return;
        }
        let row = opaque(colour).repeat(area.width);
        for y in area.y..area.y + area.height {
            let start = (y * self.width + area.x) * 4;
            self.pixels[start..start + row.len()].copy_from_slice(&row);
        }
    }

    /// Copies `rgba` (`width` pixels a row, opaque) with its top-left
    /// corner at (`x`, `y`).
    pub fn paste(&mut self, x: usize, y: usize, width: usize, rgba: &[u8]) {
        if width == 0 || x >= self.width {
            return;
        }
        let visible = width.min(self.width - x) * 4;
        for (row, line) in rgba.chunks_exact(width * 4).enumerate() {
            let y = y + row;
            if y >= self.height {
                break;
            }
            let start = (y * self.width + x) * 4;
            self.pixels[start..start + visible].copy_from_slice(&line[..visible]);
        }
    }

    /// Mixes `colour` into the pixel at (`x`, `y`) with weight `alpha`
    /// (0 keeps the pixel, 255 replaces it).
    pub fn blend(&mut self, x: usize, y: usize, colour: Rgb, alpha: u8) {
        if alpha == 0 || x >= self.width || y >= self.height {
            return;
        }
        let at = (y * self.width + x) * 4;
        let a = u16::from(alpha);
        for (channel, value) in colour.iter().enumerate() {
            let old = u16::from(self.pixels[at + channel]);
            self.pixels[at + channel] =
                ((old * (255 - a) + u16::from(*value) * a + 127) / 255) as u8;
        }
    }

    /// A filled disc of radius `r` around (`cx`, `cy`), drawn only inside `clip`.
    pub fn disc(&mut self, cx: f32, cy: f32, r: f32, colour: Rgb, clip: Rect) {
        self.shape(cx, cy, r, clip, colour, |d| coverage(r - d));
    }

    /// A ring between radii `inner` and `outer`, drawn only inside `clip`.
    pub fn ring(&mut self, cx: f32, cy: f32, inner: f32, outer: f32, colour: Rgb, clip: Rect) {
        self.shape(cx, cy, outer, clip, colour, |d| {
            coverage(outer - d).min(coverage(d - inner))
        });
    }

    /// Blends `colour` over the square around a circle of radius `r`, each
    /// pixel weighted by `cover(distance from the centre)` (0 to 1).
    fn shape(
        &mut self,
        cx: f32,
        cy: f32,
        r: f32,
        clip: Rect,
        colour: Rgb,
        cover: impl Fn(f32) -> f32,
    ) {
        let clip = self.clip(clip);
        let low = |c: f32| (c - r - 1.0).floor().max(0.0) as usize;
        let high = |c: f32| (c + r + 1.0).ceil().max(0.0) as usize;
        for y in low(cy)..high(cy) {
            for x in low(cx)..high(cx) {
                if !clip.contains(x, y) {
                    continue;
                }
                // Distance from the pixel's centre.
                let (dx, dy) = (x as f32 + 0.5 - cx, y as f32 + 0.5 - cy);
                let alpha = cover((dx * dx + dy * dy).sqrt());
                self.blend(x, y, colour, (alpha * 255.0).round() as u8);
            }
        }
    }

    fn clip(&self, area: Rect) -> Rect {
        let x = area.x.min(self.width);
        let y = area.y.min(self.height);
        Rect {
            x,
            y,
            width: area.width.min(self.width - x),
            height: area.height.min(self.height - y),
        }
    }
}

fn opaque([r, g, b]: Rgb) -> [u8; 4] {
    [r, g, b, 255]
}

/// How much of a pixel an edge covers, from how far inside the edge its
/// centre lies (a one-pixel ramp smooths the edge).
fn coverage(inside: f32) -> f32 {
    (inside + 0.5).clamp(0.0, 1.0)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pixel(canvas: &Canvas, x: usize, y: usize) -> [u8; 4] {
        let at = (y * canvas.width + x) * 4;
        canvas.pixels[at..at + 4].try_into().unwrap()
    }

    #[test]
    fn shapes_stay_inside_their_clip() {
        let mut canvas = Canvas::new(40, 40, [255, 255, 255]);
        let clip = Rect {
            x: 0,
            y: 0,
            width: 40,
            height: 20,
        };
        canvas.disc(20.0, 20.0, 8.0, [200, 0, 0], clip);
        assert_eq!(pixel(&canvas, 20, 19), [200, 0, 0, 255]);
        assert_eq!(pixel(&canvas, 20, 21), [255, 255, 255, 255]);
        canvas.ring(10.0, 10.0, 4.0, 7.0, [0, 0, 200], canvas.bounds());
        assert_eq!(pixel(&canvas, 10, 10), [255, 255, 255, 255], "hollow");
        assert_eq!(pixel(&canvas, 15, 10), [0, 0, 200, 255], "on the ring");
    }

    #[test]
    fn pasting_and_filling_clip_at_the_edges() {
        let mut canvas = Canvas::new(4, 3, [0, 0, 0]);
        canvas.paste(2, 1, 3, &[9, 9, 9, 255].repeat(3 * 5));
        assert_eq!(pixel(&canvas, 3, 2), [9, 9, 9, 255]);
        assert_eq!(pixel(&canvas, 1, 1), [0, 0, 0, 255]);
        canvas.fill(
            Rect {
                x: 3,
                y: 0,
                width: 10,
                height: 10,
            },
            [1, 2, 3],
        );
        assert_eq!(pixel(&canvas, 3, 2), [1, 2, 3, 255]);
        canvas.blend(0, 0, [255, 255, 255], 128);
        assert_eq!(pixel(&canvas, 0, 0), [128, 128, 128, 255]);
    }
}
