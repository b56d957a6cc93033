//! Encoding a demo frame as what changed since the frame before. Steps of
//! a console procedure change a small part of the page (a switch, a
//! dialog, a toast) and the caption's text, so each GIF frame after the
//! first covers only the rectangle that changed, and inside it the runs of
//! pixels that did not change are transparent: the frame before shows
//! through (every frame is disposed by keeping it), and long transparent
//! runs cost the LZW coder almost nothing.
//!
//! Pixels are compared in blocks of a few pixels with slice comparisons,
//! which stay fast in an unoptimised build.

/// Pixels compared at once; a block with any change is sent whole.
const BLOCK: usize = 8;

/// What a GIF frame has to draw: an RGBA rectangle at (`x`, `y`) of the
/// screen, where transparent pixels (all zeros) leave the screen as it was.
#[derive(Debug)]
pub struct Patch {
    pub x: usize,
    pub y: usize,
    pub width: usize,
    pub height: usize,
    pub rgba: Vec<u8>,
}

/// The patch that turns `previous` (if any) into `current`; both are
/// opaque RGBA pictures `width` pixels wide.
pub fn patch(previous: Option<&[u8]>, current: &[u8], width: usize) -> Patch {
    let height = current.len() / 4 / width;
    let Some(previous) = previous.filter(|p| p.len() == current.len()) else {
        return Patch {
            x: 0,
            y: 0,
            width,
            height,
            rgba: current.to_vec(),
        };
    };
    let row = width * 4;
    let changed = |y: usize| current[y * row..(y + 1) * row] != previous[y * row..(y + 1) * row];
    let Some(top) = (0..height).find(|&y| changed(y)) else {
        // Nothing moved; one transparent pixel still holds the frame's time.
        return Patch {
            x: 0,
            y: 0,
            width: 1,
            height: 1,
            rgba: vec![0; 4],
        };
    };
    let bottom = (top..height).rev().find(|&y| changed(y)).unwrap_or(top);

    let blocks = width.div_ceil(BLOCK);
    let block = |y: usize, b: usize| {
        let start = y * row + b * BLOCK * 4;
        let end = (start + BLOCK * 4).min((y + 1) * row);
        start..end
    };
    let (mut left, mut right) = (blocks, 0);
    for y in top..=bottom {
        for b in 0..blocks {
            let range = block(y, b);
            if current[range.clone()] != previous[range] {
                left = left.min(b);
                right = right.max(b + 1);
                break;
            }
        }
        for b in (right..blocks).rev() {
            let range = block(y, b);
            if current[range.clone()] != previous[range] {
                right = b + 1;
                break;
            }
        }
    }
    let x = left * BLOCK;
    let w = (right * BLOCK).min(width) - x;
    let h = bottom - top + 1;

    let mut pixels = Vec::with_capacity(w * h * 4);
    for y in top..=bottom {
        for b in left..right {
            let range = block(y, b);
            if current[range.clone()] == previous[range.clone()] {
                pixels.extend_from_slice(&TRANSPARENT[..range.len()]);
            } else {
                pixels.extend_from_slice(&current[range]);
            }
        }
    }
    Patch {
        x,
        y: top,
        width: w,
        height: h,
        rgba: pixels,
    }
}

const TRANSPARENT: [u8; BLOCK * 4] = [0; BLOCK * 4];

#[cfg(test)]
mod tests {
    use super::*;

    fn picture(width: usize, height: usize, colour: [u8; 3]) -> Vec<u8> {
        [colour[0], colour[1], colour[2], 255].repeat(width * height)
    }

    fn paint(pixels: &mut [u8], width: usize, x: usize, y: usize, colour: [u8; 3]) {
        let at = (y * width + x) * 4;
        pixels[at..at + 3].copy_from_slice(&colour);
    }

    #[test]
    fn the_first_frame_is_whole() {
        let current = picture(20, 10, [10, 20, 30]);
        let patch = patch(None, &current, 20);
        assert_eq!(
            (patch.x, patch.y, patch.width, patch.height),
            (0, 0, 20, 10)
        );
        assert_eq!(patch.rgba, current);
    }

    #[test]
    fn later_frames_cover_the_changed_blocks_only() {
        let width = 40;
        let previous = picture(width, 30, [255, 255, 255]);
        let mut current = previous.clone();
        paint(&mut current, width, 9, 5, [200, 0, 0]);
        paint(&mut current, width, 25, 20, [0, 0, 200]);
        let patch = patch(Some(&previous), &current, width);
        assert_eq!((patch.x, patch.y), (8, 5));
        assert_eq!((patch.width, patch.height), (24, 16));
        let at = |x: usize, y: usize| {
            let i = (y * 24 + x) * 4;
            &patch.rgba[i..i + 4]
        };
        assert_eq!(at(0, 1), [0, 0, 0, 0], "an unchanged block is transparent");
        assert_eq!(at(1, 0), [200, 0, 0, 255], "the changed pixel");
        assert_eq!(at(0, 0), [255; 4], "an unchanged pixel of a changed block");
        assert_eq!(at(17, 15), [0, 0, 200, 255], "the other changed pixel");
    }

    #[test]
    fn an_unchanged_frame_is_one_transparent_pixel() {
        let previous = picture(16, 4, [1, 2, 3]);
        let patch = patch(Some(&previous), &previous.clone(), 16);
        assert_eq!((patch.width, patch.height), (1, 1));
        assert_eq!(patch.rgba, [0; 4]);
    }
}
