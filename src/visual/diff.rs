//! Comparing a figure with its approved baseline, pixel by pixel, the way a
//! person would notice a change: two colours count as different only when
//! their perceived difference (a weighted distance in the YIQ colour space
//! television uses, where brightness weighs most) passes a threshold, and a
//! pixel that differs only because a glyph's or a border's edge was blended
//! a little differently (anti-aliasing, which varies with font hinting and
//! sub-pixel position) is not counted. What is left is grouped into the
//! boxes a report draws round the changes, and painted into a diff image:
//! changed pixels red, anti-aliasing yellow, ignored areas blue, the rest a
//! faded copy of the actual figure.

use image::{Rgba, RgbaImage};

/// How tolerant a comparison is.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Tolerance {
    /// The perceived colour difference, from 0 (any change counts) to 1
    /// (nothing does), above which two pixels differ.
    pub threshold: f64,
    /// Pixels that differ only by anti-aliasing are left out of the count.
    pub skip_antialiasing: bool,
}

impl Default for Tolerance {
    fn default() -> Self {
        Tolerance {
            threshold: 0.1,
            skip_antialiasing: true,
        }
    }
}

/// A rectangle of the figure, in pixels; `x + width` is one past the right edge.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
pub struct Rect {
    pub x: u32,
    pub y: u32,
    pub width: u32,
    pub height: u32,
}

impl Rect {
    fn contains(&self, x: u32, y: u32) -> bool {
        x >= self.x && y >= self.y && x - self.x < self.width && y - self.y < self.height
    }
}

/// What a comparison found. The diff image is drawn only when asked for
/// ([`Diff::image`]): most figures match, and drawing costs more than
/// comparing.
#[derive(Debug, Clone)]
pub struct Diff {
    /// Pixels that changed beyond the tolerance.
    pub changed: u64,
    /// Pixels that differ only by anti-aliasing (not in `changed`).
    pub antialiased: u64,
    /// Pixels compared (ignored areas left out).
    pub compared: u64,
    /// Boxes round the changed pixels, nearby changes merged, top to bottom.
    pub regions: Vec<Rect>,
    /// Where the changed and the anti-aliased pixels are, for the image.
    changed_at: Vec<(u32, u32)>,
    antialiased_at: Vec<(u32, u32)>,
    ignored: Vec<Rect>,
}

impl Diff {
    /// The share of compared pixels that changed, from 0 to 1.
    pub fn ratio(&self) -> f64 {
        if self.compared == 0 {
            0.0
        } else {
            self.changed as f64 / self.compared as f64
        }
    }

    /// The diff image of `actual` (the figure compared): changed pixels
    /// red, anti-aliasing yellow, ignored areas blue, the rest a faded grey
    /// copy of the figure.
    pub fn image(&self, actual: &RgbaImage) -> RgbaImage {
        let mut image = RgbaImage::new(actual.width(), actual.height());
        let pixels: &mut [u8] = &mut image;
        for (to, from) in pixels
            .chunks_exact_mut(4)
            .zip(actual.as_raw().chunks_exact(4))
        {
            let v = faded(from);
            to.copy_from_slice(&[v, v, v, 255]);
        }
        for area in &self.ignored {
            for y in area.y..(area.y + area.height).min(actual.height()) {
                for x in area.x..(area.x + area.width).min(actual.width()) {
                    let p = actual.get_pixel(x, y);
                    image.put_pixel(x, y, tint(p.0, [120, 170, 255]));
                }
            }
        }
        for &(x, y) in &self.antialiased_at {
            image.put_pixel(x, y, Rgba([255, 200, 0, 255]));
        }
        for &(x, y) in &self.changed_at {
            image.put_pixel(x, y, Rgba([230, 20, 20, 255]));
        }
        image
    }
}

/// Figures of different sizes cannot be compared pixel by pixel.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[error(
    "the figure is {actual_width}×{actual_height} pixels, its baseline {expected_width}×{expected_height}"
)]
pub struct SizeMismatch {
    pub expected_width: u32,
    pub expected_height: u32,
    pub actual_width: u32,
    pub actual_height: u32,
}

/// The largest squared YIQ distance two colours can have (black against
/// white); thresholds are fractions of its square root.
const MAX_DISTANCE_SQUARED: f64 = 35215.0;

/// Changes closer than this many pixels (a letter gap, a border and its
/// label) are reported as one region.
const REGION_GAP: u32 = 8;

/// Compares `actual` with `expected`, leaving out `ignored` rectangles.
pub fn compare(
    expected: &RgbaImage,
    actual: &RgbaImage,
    ignored: &[Rect],
    tolerance: Tolerance,
) -> Result<Diff, SizeMismatch> {
    if expected.dimensions() != actual.dimensions() {
        return Err(SizeMismatch {
            expected_width: expected.width(),
            expected_height: expected.height(),
            actual_width: actual.width(),
            actual_height: actual.height(),
        });
    }
    let (width, height) = actual.dimensions();
    let limit = MAX_DISTANCE_SQUARED * tolerance.threshold * tolerance.threshold;
    let mut changed_at = Vec::new();
    let mut antialiased_at = Vec::new();
    let row_bytes = width as usize * 4;
    let rows = expected
        .as_raw()
        .chunks_exact(row_bytes)
        .zip(actual.as_raw().chunks_exact(row_bytes));
    for (y, (row_a, row_b)) in (0..height).zip(rows) {
        // Most rows of a figure are exactly as they were.
        if row_a == row_b {
            continue;
        }
        let pixels = row_a.chunks_exact(4).zip(row_b.chunks_exact(4));
        for (x, (a, b)) in (0..width).zip(pixels) {
            if a == b || distance_squared(a, b) <= limit {
                continue;
            }
            if ignored.iter().any(|r| r.contains(x, y)) {
                continue;
            }
            if tolerance.skip_antialiasing
                && (antialiasing(expected, actual, x, y)
                    || antialiasing(actual, expected, x, y)
                    || reblended(expected, actual, x, y))
            {
                antialiased_at.push((x, y));
            } else {
                changed_at.push((x, y));
            }
        }
    }
    let left_out = if ignored.is_empty() {
        0
    } else {
        // Overlapping areas count once.
        let mut hidden = vec![false; width as usize * height as usize];
        for area in ignored {
            for y in area.y..(area.y + area.height).min(height) {
                for x in area.x..(area.x + area.width).min(width) {
                    hidden[y as usize * width as usize + x as usize] = true;
                }
            }
        }
        hidden.iter().filter(|&&h| h).count() as u64
    };
    Ok(Diff {
        changed: changed_at.len() as u64,
        antialiased: antialiased_at.len() as u64,
        compared: u64::from(width) * u64::from(height) - left_out,
        regions: regions(&changed_at, width, height),
        changed_at,
        antialiased_at,
        ignored: ignored.to_vec(),
    })
}

/// The perceived difference of two colours, squared: the YIQ distance with
/// brightness weighted most. Transparent pixels are seen over white.
fn distance_squared(a: &[u8], b: &[u8]) -> f64 {
    let (r1, g1, b1) = over_white(a);
    let (r2, g2, b2) = over_white(b);
    let y = brightness(r1, g1, b1) - brightness(r2, g2, b2);
    let i = in_phase(r1, g1, b1) - in_phase(r2, g2, b2);
    let q = quadrature(r1, g1, b1) - quadrature(r2, g2, b2);
    0.5053 * y * y + 0.299 * i * i + 0.1957 * q * q
}

fn over_white(p: &[u8]) -> (f64, f64, f64) {
    let alpha = f64::from(p[3]) / 255.0;
    let mix = |c: u8| 255.0 + (f64::from(c) - 255.0) * alpha;
    (mix(p[0]), mix(p[1]), mix(p[2]))
}

fn brightness(r: f64, g: f64, b: f64) -> f64 {
    r * 0.298_895_31 + g * 0.586_622_47 + b * 0.114_482_23
}

fn in_phase(r: f64, g: f64, b: f64) -> f64 {
    r * 0.595_977_99 - g * 0.274_176_10 - b * 0.321_801_89
}

fn quadrature(r: f64, g: f64, b: f64) -> f64 {
    r * 0.211_470_17 - g * 0.522_617_11 + b * 0.311_146_94
}

fn pixel_brightness(p: &[u8]) -> f64 {
    let (r, g, b) = over_white(p);
    brightness(r, g, b)
}

/// Whether the pixel at (x, y) of `image` looks like the blended edge of a
/// shape: among its eight neighbours there are both darker and brighter
/// ones, at most two of the same brightness (an edge, not a flat area or a
/// line), and the darkest or the brightest of them lies inside a flat area
/// in both images — the shape's body, which did not move.
fn antialiasing(image: &RgbaImage, other: &RgbaImage, x: u32, y: u32) -> bool {
    let (width, height) = image.dimensions();
    let centre = pixel_brightness(&image.get_pixel(x, y).0);
    let mut same = 0;
    let (mut darkest, mut brightest) = (0.0, 0.0);
    let (mut darkest_at, mut brightest_at) = (None, None);
    for (nx, ny) in neighbours(x, y, width, height) {
        let delta = pixel_brightness(&image.get_pixel(nx, ny).0) - centre;
        if delta == 0.0 {
            same += 1;
            if same > 2 {
                return false;
            }
        } else if delta < darkest {
            darkest = delta;
            darkest_at = Some((nx, ny));
        } else if delta > brightest {
            brightest = delta;
            brightest_at = Some((nx, ny));
        }
    }
    let (Some(dark), Some(bright)) = (darkest_at, brightest_at) else {
        return false;
    };
    let flat_in_both = |(px, py): (u32, u32)| flat(image, px, py) && flat(other, px, py);
    flat_in_both(dark) || flat_in_both(bright)
}

/// Whether the pixel at (x, y) is an edge blended anew: in each image it
/// lies strictly between the brightness of its darkest and its brightest
/// neighbour, and in each image its brightness is one the other image's
/// neighbourhood spans. Text is drawn in strokes a pixel or two wide, too
/// thin for [`antialiasing`]'s flat areas: when a glyph's edge is blended
/// a little differently (another rasteriser, a sub-pixel offset) only its
/// in-between pixels change, and each stays a mix of what is round it. A
/// glyph that changed or moved turns a background pixel into stroke or a
/// stroke into background — the extreme of its neighbourhood, never in
/// between — and that pixel counts.
fn reblended(expected: &RgbaImage, actual: &RgbaImage, x: u32, y: u32) -> bool {
    let (width, height) = expected.dimensions();
    let span = |image: &RgbaImage| {
        let centre = pixel_brightness(&image.get_pixel(x, y).0);
        let (mut low, mut high) = (f64::INFINITY, f64::NEG_INFINITY);
        for (nx, ny) in neighbours(x, y, width, height) {
            let b = pixel_brightness(&image.get_pixel(nx, ny).0);
            low = low.min(b);
            high = high.max(b);
        }
        (centre, low, high)
    };
    let (was, was_low, was_high) = span(expected);
    let (is, is_low, is_high) = span(actual);
    was_low < was
        && was < was_high
        && is_low < is
        && is < is_high
        && (was_low..=was_high).contains(&is)
        && (is_low..=is_high).contains(&was)
}

/// Whether at least three of a pixel's neighbours have exactly its colour.
fn flat(image: &RgbaImage, x: u32, y: u32) -> bool {
    let (width, height) = image.dimensions();
    let centre = image.get_pixel(x, y);
    neighbours(x, y, width, height)
        .filter(|&(nx, ny)| image.get_pixel(nx, ny) == centre)
        .nth(2)
        .is_some()
}

/// The up-to-eight pixels round (x, y) that lie inside the image.
fn neighbours(x: u32, y: u32, width: u32, height: u32) -> impl Iterator<Item = (u32, u32)> {
    let xs = x.saturating_sub(1)..=(x + 1).min(width - 1);
    xs.flat_map(move |nx| {
        let ys = y.saturating_sub(1)..=(y + 1).min(height - 1);
        ys.map(move |ny| (nx, ny))
    })
    .filter(move |&p| p != (x, y))
}

/// A grey copy of the actual pixel, faded toward white, so the changes
/// stand out and the page is still recognisable under them. Integer
/// arithmetic: it runs for every pixel of the figure.
fn faded(p: &[u8]) -> u8 {
    let alpha = u32::from(p[3]);
    let over = |c: u8| (u32::from(c) * alpha + 255 * (255 - alpha)) / 255;
    let grey = (over(p[0]) * 77 + over(p[1]) * 150 + over(p[2]) * 29) >> 8;
    (255 - (255 - grey) * 15 / 100) as u8
}

fn tint(p: [u8; 4], colour: [u8; 3]) -> Rgba<u8> {
    let grey = pixel_brightness(&p) / 255.0;
    let mix = |c: u8| (f64::from(c) * (0.6 + 0.4 * grey)).round() as u8;
    Rgba([mix(colour[0]), mix(colour[1]), mix(colour[2]), 255])
}

/// Boxes round groups of changed pixels: the figure is cut into cells of
/// `REGION_GAP` pixels, cells holding a change that touch (diagonally too)
/// form one group, and each group's box is the exact bounds of its pixels.
fn regions(changed: &[(u32, u32)], width: u32, height: u32) -> Vec<Rect> {
    if changed.is_empty() {
        return Vec::new();
    }
    let columns = width.div_ceil(REGION_GAP) as usize;
    let rows = height.div_ceil(REGION_GAP) as usize;
    let cell = |(x, y): (u32, u32)| (y / REGION_GAP) as usize * columns + (x / REGION_GAP) as usize;
    let mut occupied = vec![false; columns * rows];
    for &p in changed {
        occupied[cell(p)] = true;
    }
    // Flood-fill the occupied cells into groups.
    let mut group = vec![usize::MAX; columns * rows];
    let mut groups = 0;
    for start in 0..occupied.len() {
        if !occupied[start] || group[start] != usize::MAX {
            continue;
        }
        let mut stack = vec![start];
        group[start] = groups;
        while let Some(at) = stack.pop() {
            let (cx, cy) = ((at % columns) as i64, (at / columns) as i64);
            for dy in -1..=1 {
                for dx in -1..=1 {
                    let (nx, ny) = (cx + dx, cy + dy);
                    if nx < 0 || ny < 0 || nx >= columns as i64 || ny >= rows as i64 {
                        continue;
                    }
                    let next = ny as usize * columns + nx as usize;
                    if occupied[next] && group[next] == usize::MAX {
                        group[next] = groups;
                        stack.push(next);
                    }
                }
            }
        }
        groups += 1;
    }
    let mut bounds: Vec<Option<(u32, u32, u32, u32)>> = vec![None; groups];
    for &(x, y) in changed {
        let b = &mut bounds[group[cell((x, y))]];
        *b = Some(match *b {
            None => (x, y, x, y),
            Some((x0, y0, x1, y1)) => (x0.min(x), y0.min(y), x1.max(x), y1.max(y)),
        });
    }
    let mut boxes: Vec<Rect> = bounds
        .into_iter()
        .flatten()
        .map(|(x0, y0, x1, y1)| Rect {
            x: x0,
            y: y0,
            width: x1 - x0 + 1,
            height: y1 - y0 + 1,
        })
        .collect();
    boxes.sort_by_key(|r| (r.y, r.x));
    boxes
}

#[cfg(test)]
mod tests;
