//! `make bench`: how long comparing a figure with its baseline takes, for a
//! 1280×800 figure (the default viewport), in the three cases a run meets:
//! nothing changed (the usual one), one label changed, and everything
//! moved (every pixel differs, so each is checked for anti-aliasing — the
//! worst case). The figures are drawn here: a console-like page of text
//! lines, table rules and buttons, with grey edges as a renderer blends them.
//!
//! The diff image is timed apart: it is drawn only for a figure that
//! changed. No bench framework: medians are a sort away.

use docent::visual::diff::{Tolerance, compare};
use image::{Rgba, RgbaImage};
use std::time::{Duration, Instant};

const WIDTH: u32 = 1280;
const HEIGHT: u32 = 800;
const SAMPLES: usize = 30;

/// A page-like figure: header bar, rows of "words" (dark blocks with grey
/// edges), table rules and a few coloured buttons; `shift` moves
/// everything right by that many pixels.
fn page(shift: u32) -> RgbaImage {
    let mut image = RgbaImage::from_pixel(WIDTH, HEIGHT, Rgba([255, 255, 255, 255]));
    let mut block = |x0: u32, y0: u32, w: u32, h: u32, c: [u8; 3]| {
        for y in y0..(y0 + h).min(HEIGHT) {
            for x in (x0 + shift)..(x0 + shift + w).min(WIDTH) {
                image.put_pixel(x, y, Rgba([c[0], c[1], c[2], 255]));
            }
        }
        // The blended right edge.
        let edge = x0 + shift + w;
        if edge < WIDTH {
            for y in y0..(y0 + h).min(HEIGHT) {
                image.put_pixel(edge, y, Rgba([170, 170, 170, 255]));
            }
        }
    };
    block(0, 0, WIDTH, 48, [30, 40, 60]);
    let mut seed = 0x2545_f491_u32;
    for row in 0..28 {
        let y = 70 + row * 25;
        block(20, y + 20, WIDTH - 60, 1, [225, 228, 232]);
        let mut x = 24;
        while x < WIDTH - 200 {
            seed ^= seed << 13;
            seed ^= seed >> 17;
            seed ^= seed << 5;
            let word = 12 + seed % 60;
            block(x, y + 4, word, 10, [40, 44, 52]);
            x += word + 7;
        }
        if row % 4 == 0 {
            block(WIDTH - 150, y, 90, 18, [0, 110, 230]);
        }
    }
    image
}

fn median(mut times: Vec<Duration>) -> Duration {
    times.sort();
    times[times.len() / 2]
}

/// The median time to compare, to draw the diff image, and the pixels changed.
fn time(expected: &RgbaImage, actual: &RgbaImage) -> (Duration, Duration, u64) {
    let mut changed = 0;
    let (mut comparing, mut drawing) = (Vec::new(), Vec::new());
    for _ in 0..SAMPLES {
        let started = Instant::now();
        let diff = compare(expected, actual, &[], Tolerance::default()).expect("same size");
        comparing.push(started.elapsed());
        changed = diff.changed;
        let started = Instant::now();
        std::hint::black_box(diff.image(actual));
        drawing.push(started.elapsed());
    }
    (median(comparing), median(drawing), changed)
}

fn main() {
    let baseline = page(0);
    let same = baseline.clone();
    let mut label = baseline.clone();
    for y in 100..112 {
        for x in 300..380 {
            label.put_pixel(x, y, Rgba([200, 30, 30, 255]));
        }
    }
    let moved = page(1);
    println!("visual compare of a {WIDTH}×{HEIGHT} figure (median of {SAMPLES}):");
    for (case, actual) in [
        ("nothing changed", &same),
        ("one label changed", &label),
        ("everything moved 1 px", &moved),
    ] {
        let (comparing, drawing, changed) = time(&baseline, actual);
        println!(
            "  {case:24} compare {:>6.2} ms   diff image {:>6.2} ms   {changed} pixels changed",
            comparing.as_secs_f64() * 1e3,
            drawing.as_secs_f64() * 1e3,
        );
    }
}
