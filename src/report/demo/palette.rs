//! Exact colours for what the demo draws itself. A frame's palette comes
//! from NeuQuant, which learns the colours that cover many pixels: the
//! page's and the caption bar's. The pointer's marker covers a few hundred
//! pixels of a frame, so NeuQuant turns its red into whatever orange or
//! brown the page has. After quantising, the colours docent drew are
//! pinned: a colour the palette lacks (no entry within a few levels) gets
//! an entry of its own, and the pixels docent drew in it use it. Room is
//! made by giving up the entries that cost least to lose (few pixels, or a
//! near twin among the other entries); their pixels move to their nearest
//! remaining colour.
//!
//! This runs on every frame, unoptimised in debug builds, so it looks at
//! pixels only when a colour is missing: usually the marker's red.

use super::canvas::{Rect, Rgb};
use gif::Frame;

/// Gives every colour of `colours` that appears in `areas` (canvas
/// pixels) an exact entry in `frame`'s palette and points those pixels at
/// it. `rgba` is the frame's picture before quantising.
pub fn pin(frame: &mut Frame<'_>, rgba: &[u8], colours: &[Rgb], areas: &[Rect]) {
    let Some(mut palette) = frame.palette.take() else {
        return;
    };
    let transparent = frame.transparent.map(usize::from);
    let missing: Vec<Rgb> = colours
        .iter()
        .filter(|c| {
            !palette.chunks_exact(3).enumerate().any(|(e, entry)| {
                Some(e) != transparent && distance(**c, [entry[0], entry[1], entry[2]]) <= CLOSE
            })
        })
        .copied()
        .collect();
    let hits = if missing.is_empty() {
        Vec::new()
    } else {
        hits(frame, rgba, &missing, areas)
    };
    if hits.is_empty() {
        frame.palette = Some(palette);
        return;
    }
    let mut taken = [false; 256];
    if let Some(t) = transparent {
        taken[t] = true;
    }
    let mut slots: Vec<Option<usize>> = vec![None; missing.len()];
    let mut needed: Vec<usize> = (0..missing.len())
        .filter(|&j| hits.iter().any(|&(_, k)| k == j))
        .collect();
    // A palette with room just grows.
    while palette.len() < 256 * 3 {
        let Some(j) = needed.pop() else { break };
        palette.extend_from_slice(&missing[j]);
        let e = palette.len() / 3 - 1;
        taken[e] = true;
        slots[j] = Some(e);
    }
    if !needed.is_empty() {
        let entries: Vec<Rgb> = palette
            .chunks_exact(3)
            .map(|entry| [entry[0], entry[1], entry[2]])
            .collect();
        // Index loops: iterator adapters cost a call per pixel when unoptimised.
        let mut uses = [0u64; 256];
        let buffer = &frame.buffer;
        let mut at = 0;
        while at < buffer.len() {
            uses[usize::from(buffer[at])] += 1;
            at += 1;
        }
        // What losing an entry would cost: its pixels times how far they
        // would move. Computed once; evicting a few entries barely changes it.
        let mut loss = [u64::MAX; 256];
        for (e, here) in entries.iter().enumerate() {
            if taken[e] {
                continue;
            }
            let mut nearest = u32::MAX;
            for (other, there) in entries.iter().enumerate() {
                if other != e && Some(other) != transparent {
                    nearest = nearest.min(distance(*here, *there));
                }
            }
            loss[e] = uses[e] * u64::from(nearest);
        }
        let mut evicted = Vec::new();
        for j in needed {
            let Some(e) = (0..entries.len())
                .filter(|&e| !taken[e])
                .min_by_key(|&e| loss[e])
            else {
                break;
            };
            if uses[e] > 0 {
                evicted.push(e);
            }
            taken[e] = true;
            palette[e * 3..e * 3 + 3].copy_from_slice(&missing[j]);
            slots[j] = Some(e);
        }
        if !evicted.is_empty() {
            // Every entry now taken is a pinned colour, the transparent one,
            // or evicted; the evicted entries' pixels go to the nearest other.
            let mut moved: Vec<u8> = (0..=255).collect();
            for &e in &evicted {
                let nearest = (0..entries.len())
                    .filter(|&other| !taken[other])
                    .min_by_key(|&other| distance(entries[other], entries[e]));
                if let Some(nearest) = nearest {
                    moved[e] = nearest as u8;
                }
            }
            let buffer = frame.buffer.to_mut();
            let mut at = 0;
            while at < buffer.len() {
                buffer[at] = moved[usize::from(buffer[at])];
                at += 1;
            }
        }
    }

    let buffer = frame.buffer.to_mut();
    for (at, j) in hits {
        if let Some(e) = slots[j] {
            buffer[at] = e as u8;
        }
    }
    frame.palette = Some(palette);
}

/// The pixels of `areas` drawn in one of `colours`: (index in the frame,
/// index in `colours`).
fn hits(frame: &Frame<'_>, rgba: &[u8], colours: &[Rgb], areas: &[Rect]) -> Vec<(usize, usize)> {
    let (left, top) = (usize::from(frame.left), usize::from(frame.top));
    let width = usize::from(frame.width);
    let height = usize::from(frame.height);
    let mut hits = Vec::new();
    for area in areas {
        let x0 = area.x.max(left);
        let x1 = (area.x + area.width).min(left + width);
        let y0 = area.y.max(top);
        let y1 = (area.y + area.height).min(top + height);
        for y in y0..y1 {
            let row = (y - top) * width;
            for (i, pixel) in rgba[(row + x0 - left) * 4..(row + x1 - left) * 4]
                .chunks_exact(4)
                .enumerate()
            {
                if pixel[3] == 0 {
                    continue;
                }
                if let Some(j) = colours.iter().position(|c| c[..] == pixel[..3]) {
                    hits.push((row + x0 - left + i, j));
                }
            }
        }
    }
    hits
}

/// Squared distance within which a palette entry stands for a colour: a
/// few levels per channel, which nobody sees.
const CLOSE: u32 = 3 * 3 * 3;

fn distance(a: Rgb, b: Rgb) -> u32 {
    let d = |x: u8, y: u8| u32::from(x.abs_diff(y)).pow(2);
    d(a[0], b[0]) + d(a[1], b[1]) + d(a[2], b[2])
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A frame with more colours than a palette holds (a gradient) and a
    /// few pixels of red, quantised as the demo does.
    fn quantised(red_at: &[usize]) -> (Frame<'static>, Vec<u8>) {
        let (width, height) = (64usize, 64usize);
        let mut rgba = Vec::with_capacity(width * height * 4);
        for y in 0..height {
            for x in 0..width {
                rgba.extend_from_slice(&[(x * 4) as u8, (y * 4) as u8, 128, 255]);
            }
        }
        for &at in red_at {
            rgba[at * 4..at * 4 + 4].copy_from_slice(&[234, 33, 39, 255]);
        }
        rgba[..4].copy_from_slice(&[0, 0, 0, 0]);
        let frame = Frame::from_rgba_speed(width as u16, height as u16, &mut rgba.clone(), 10);
        (frame, rgba)
    }

    fn entry(frame: &Frame<'_>, index: u8) -> [u8; 3] {
        let at = usize::from(index) * 3;
        frame.palette.as_ref().unwrap()[at..at + 3]
            .try_into()
            .unwrap()
    }

    #[test]
    fn drawn_colours_get_exact_entries_and_the_rest_stays_close() {
        let reds = [64 * 10 + 10, 64 * 10 + 11, 64 * 40 + 50];
        let (mut frame, rgba) = quantised(&reds);
        let before = frame.clone();
        let everywhere = Rect {
            x: 0,
            y: 0,
            width: 64,
            height: 64,
        };
        let red = [234, 33, 39];
        let absent = [1, 2, 3];
        pin(&mut frame, &rgba, &[absent, red], &[everywhere]);

        let palette = frame.palette.as_ref().unwrap();
        assert_eq!(palette.len(), 256 * 3);
        for at in reds {
            assert_eq!(entry(&frame, frame.buffer[at]), red);
        }
        assert!(
            palette.chunks_exact(3).all(|e| e != absent),
            "colours not drawn take no entry"
        );
        let transparent = frame.transparent.expect("the corner is transparent");
        assert_eq!(before.transparent, Some(transparent));
        assert_eq!(frame.buffer[0], transparent);
        for (at, (&now, &was)) in frame.buffer.iter().zip(before.buffer.iter()).enumerate() {
            if at == 0 || reds.contains(&at) {
                continue;
            }
            assert_ne!(now, transparent, "pixel {at} stays opaque");
            let moved = distance(entry(&frame, now), entry(&before, was));
            assert!(moved <= 3 * 16 * 16, "pixel {at} moved by {moved}");
        }
    }

    #[test]
    fn pixels_outside_the_areas_keep_their_entries() {
        let (mut frame, rgba) = quantised(&[100]);
        let before = frame.buffer.clone();
        let elsewhere = Rect {
            x: 0,
            y: 30,
            width: 64,
            height: 4,
        };
        pin(&mut frame, &rgba, &[[234, 33, 39]], &[elsewhere]);
        assert_eq!(frame.buffer, before);
    }
}
