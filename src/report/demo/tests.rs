//! The demo decoded as a viewer plays it: frames, captions, marks, timing.

use super::*;
use crate::engine::Event;
use crate::report::sample;
use std::sync::Arc;

const VIEWPORT: (u32, u32) = (1280, 800);
/// 1280 px viewports are drawn at 960 px.
const SCALE: f64 = 0.75;

/// A console-like page: header, side menu, a gradient banner (so the
/// frame has more colours than a palette holds), lines of "text", and
/// a block whose place and colour belong to frame `k` alone.
fn page(k: usize) -> Vec<u8> {
    let (width, height) = VIEWPORT;
    let mut page = image::RgbImage::from_pixel(width, height, image::Rgb([255, 255, 255]));
    let mut fill = |x: u32, y: u32, w: u32, h: u32, colour: [u8; 3]| {
        for yy in y..(y + h).min(height) {
            for xx in x..(x + w).min(width) {
                page.put_pixel(xx, yy, image::Rgb(colour));
            }
        }
    };
    fill(0, 0, width, 50, [37, 43, 58]);
    fill(0, 50, 200, height - 50, [240, 242, 245]);
    for line in 0..12 {
        fill(
            240,
            300 + line * 24,
            200 + (line * 97 % 300),
            10,
            [80, 80, 80],
        );
    }
    fill(
        block(k).0 as u32 - 40,
        block(k).1 as u32 - 30,
        80,
        60,
        colour(k),
    );
    let mut page = DynamicImage::ImageRgb8(page).into_rgba8();
    for y in 80..240 {
        for x in 240..700 {
            page.put_pixel(x, y, image::Rgba([x as u8, y as u8, (x + y) as u8, 255]));
        }
    }
    let mut png = Vec::new();
    DynamicImage::ImageRgba8(page)
        .write_to(&mut Cursor::new(&mut png), image::ImageFormat::Png)
        .unwrap();
    png
}

/// The centre of frame `k`'s own block, in page pixels.
fn block(k: usize) -> (f64, f64) {
    (
        800.0 + (k % 4) as f64 * 100.0,
        120.0 + (k / 4) as f64 * 150.0,
    )
}

fn colour(k: usize) -> [u8; 3] {
    [[0, 120, 215], [16, 150, 72], [255, 170, 0], [120, 60, 200]][k % 4]
}

/// Where frame `k` presses (on the side menu, away from the blocks).
fn press(k: usize) -> Point {
    Point {
        x: 60.0 + 10.0 * k as f64,
        y: 100.0 + 50.0 * k as f64,
    }
}

/// The sample run's events with console-like frames; pointer frames
/// keep their pointer, moved to [`press`].
fn events(fail_at: Option<usize>) -> Vec<Event> {
    let mut k = 0;
    sample::masked(&sample::run(fail_at))
        .into_iter()
        .map(|event| match event {
            Event::DemoFrame { pointer, .. } => {
                k += 1;
                Event::DemoFrame {
                    png: FramePng::InMemory(Arc::new(page(k - 1))),
                    pointer: pointer.map(|_| press(k - 1)),
                }
            }
            other => other,
        })
        .collect()
}

fn sentence(step: &StepRecord) -> String {
    format!("{}.", step.description)
}

/// The GIF as a viewer shows it: every frame composed over the ones
/// before (each is kept), as RGBA, with its delay.
struct Shown {
    width: usize,
    height: usize,
    repeat: gif::Repeat,
    frames: Vec<(u16, Vec<u8>)>,
    /// Pixels each GIF frame covers.
    areas: Vec<usize>,
}

impl Shown {
    fn pixel(&self, frame: usize, x: usize, y: usize) -> [u8; 3] {
        let at = (y * self.width + x) * 4;
        self.frames[frame].1[at..at + 3].try_into().unwrap()
    }
}

fn show(bytes: &[u8]) -> Shown {
    let mut options = gif::DecodeOptions::new();
    options.set_color_output(gif::ColorOutput::RGBA);
    let mut decoder = options.read_info(bytes).unwrap();
    let (width, height) = (decoder.width() as usize, decoder.height() as usize);
    let mut screen = vec![0u8; width * height * 4];
    let mut frames = Vec::new();
    let mut areas = Vec::new();
    while let Some(frame) = decoder.read_next_frame().unwrap() {
        assert!(matches!(
            frame.dispose,
            gif::DisposalMethod::Keep | gif::DisposalMethod::Any
        ));
        let (left, top, w) = (
            frame.left as usize,
            frame.top as usize,
            frame.width as usize,
        );
        for (i, pixel) in frame.buffer.chunks_exact(4).enumerate() {
            if pixel[3] != 0 {
                let at = ((top + i / w) * width + left + i % w) * 4;
                screen[at..at + 4].copy_from_slice(pixel);
            }
        }
        areas.push(w * frame.height as usize);
        frames.push((frame.delay, screen.clone()));
    }
    Shown {
        width,
        height,
        repeat: decoder.repeat(),
        frames,
        areas,
    }
}

fn near(actual: [u8; 3], expected: Rgb) -> bool {
    actual
        .iter()
        .zip(expected)
        .all(|(a, e)| a.abs_diff(e) <= 16)
}

fn frame_count(record: &RunRecord) -> usize {
    record.steps().iter().map(|s| s.frames.len()).sum()
}

fn at(point: (f64, f64)) -> (usize, usize) {
    ((point.0 * SCALE) as usize, (point.1 * SCALE) as usize)
}

#[test]
fn every_recorded_frame_becomes_a_captioned_gif_frame_in_order() {
    let record = RunRecord::from_events(&events(None));
    let bytes = gif(&record, &sentence).unwrap().expect("frames");
    let shown = show(&bytes);

    assert_eq!(shown.frames.len(), frame_count(&record));
    assert_eq!(shown.frames.len(), 10);
    assert_eq!((shown.width, shown.height), (960, 600 + BAR_HEIGHT));
    assert!(shown.width <= MAX_WIDTH);
    assert_eq!(shown.repeat, gif::Repeat::Infinite);
    let (last, rest) = shown.frames.split_last().unwrap();
    assert!(rest.iter().all(|(delay, _)| *delay == STEP_DELAY));
    assert_eq!(last.0, LAST_DELAY);

    for k in 0..shown.frames.len() {
        let (x, y) = at(block(k));
        assert!(near(shown.pixel(k, x, y), colour(k)), "frame {k}: its page");
        if k > 0 && block(k - 1) != block(k) {
            let (x, y) = at(block(k - 1));
            assert!(
                near(shown.pixel(k, x, y), [255, 255, 255]),
                "frame {k}: nothing left of the page before"
            );
        }
        let bottom = shown.height - 2;
        assert!(near(shown.pixel(k, 3, bottom), BAR), "frame {k}: the bar");
        assert!(near(shown.pixel(k, shown.width - 3, bottom), BAR));
        let lit = (shown.height - BAR_HEIGHT + 4..shown.height)
            .flat_map(|y| (0..shown.width).map(move |x| (x, y)))
            .filter(|&(x, y)| shown.pixel(k, x, y)[0] > 200)
            .count();
        assert!(lit > 150, "frame {k}: a caption ({lit} light pixels)");
    }
    let later = &shown.areas[1..];
    assert!(
        later.iter().all(|&a| a < shown.width * shown.height),
        "later frames send only what changed: {later:?}"
    );
}

#[test]
fn the_press_is_marked_on_the_page_but_not_on_the_bar() {
    let record = RunRecord::from_events(&events(None));
    let shown = show(&gif(&record, &sentence).unwrap().unwrap());
    let frames: Vec<_> = record.steps().into_iter().flat_map(|s| &s.frames).collect();
    let pressed = frames.iter().filter(|f| f.pointer.is_some()).count();
    assert!(pressed >= 4, "the sample clicks and toggles");
    for (k, frame) in frames.iter().enumerate() {
        let (x, y) = at((press(k).x, press(k).y));
        let red = near(shown.pixel(k, x, y), MARKER);
        assert_eq!(red, frame.pointer.is_some(), "frame {k}");
    }

    // A press at the page's bottom edge stays above the bar.
    let mut record = RunRecord::from_events(&events(None));
    let ItemRecord::Section(login) = &mut record.items[0] else {
        panic!("the sample opens with a section")
    };
    let ItemRecord::Step(first) = &mut login.items[0] else {
        panic!("and a step")
    };
    first.frames[0].pointer = Some(Point { x: 640.0, y: 799.0 });
    let shown = show(&gif(&record, &sentence).unwrap().unwrap());
    let edge = shown.height - BAR_HEIGHT;
    assert!(near(shown.pixel(0, 480, edge - 1), MARKER));
    assert!(!near(shown.pixel(0, 480, edge + 1), MARKER));
    assert!(!near(shown.pixel(0, 480 + 12, edge + 1), MARKER_HALO));
}

#[test]
fn a_failed_step_ends_the_demo_on_a_red_bar() {
    let record = RunRecord::from_events(&events(Some(10)));
    let shown = show(&gif(&record, &sentence).unwrap().unwrap());
    assert_eq!(shown.frames.len(), frame_count(&record));
    let bottom = shown.height - 2;
    let (last, before) = (shown.frames.len() - 1, shown.frames.len() - 2);
    assert!(near(shown.pixel(last, 3, bottom), BAR_FAILED));
    assert!(near(shown.pixel(before, 3, bottom), BAR));
    assert_eq!(shown.frames[last].0, LAST_DELAY);
}

#[test]
fn a_run_without_frames_has_no_demo() {
    let events: Vec<Event> = sample::masked(&sample::run(None))
        .into_iter()
        .filter(|e| !matches!(e, Event::DemoFrame { .. }))
        .collect();
    let record = RunRecord::from_events(&events);
    assert_eq!(gif(&record, &sentence), Ok(None));
}

/// The sample run with every frame replaced by `png`.
fn with_frames(png: Vec<u8>) -> RunRecord {
    let png = FramePng::InMemory(Arc::new(png));
    let events: Vec<Event> = events(None)
        .into_iter()
        .map(|event| match event {
            Event::DemoFrame { pointer, .. } => Event::DemoFrame {
                png: png.clone(),
                pointer,
            },
            other => other,
        })
        .collect();
    RunRecord::from_events(&events)
}

#[test]
fn a_smaller_page_is_centred_and_never_enlarged() {
    let mut record = RunRecord::from_events(&events(None));
    let small = DynamicImage::ImageRgb8(image::RgbImage::from_pixel(
        640,
        400,
        image::Rgb([0, 200, 0]),
    ));
    let mut png = Vec::new();
    small
        .write_to(&mut Cursor::new(&mut png), image::ImageFormat::Png)
        .unwrap();
    let ItemRecord::Section(login) = &mut record.items[0] else {
        panic!("the sample opens with a section")
    };
    let ItemRecord::Step(first) = &mut login.items[0] else {
        panic!("and a step")
    };
    first.frames[0].png = FramePng::InMemory(Arc::new(png));
    let shown = show(&gif(&record, &sentence).unwrap().unwrap());
    assert_eq!(shown.width, 960);
    assert!(near(shown.pixel(0, 480, 200), [0, 200, 0]));
    assert!(near(shown.pixel(0, 480, 399), [0, 200, 0]));
    assert!(near(shown.pixel(0, 100, 200), MARGIN), "beside the page");
    assert!(near(shown.pixel(0, 480, 420), MARGIN), "under the page");
    assert!(
        near(shown.pixel(1, 100, 200), [240, 242, 245]),
        "then a full page"
    );
}

#[test]
fn a_frame_that_is_not_a_png_is_an_error() {
    let record = with_frames(b"not a picture".to_vec());
    let error = gif(&record, &sentence).unwrap_err();
    assert!(error.contains("not a PNG"), "{error}");
}

#[test]
fn captions_beyond_the_font_and_tiny_frames_still_make_a_demo() {
    // The sample's own frames are 4x3 pixels.
    let record = RunRecord::from_events(&sample::masked(&sample::run(None)));
    let odd = |step: &StepRecord| {
        format!(
            "{} — 在密码中输入 ••• → ✓ {}",
            step.description,
            "very long ".repeat(40)
        )
    };
    let shown = show(&gif(&record, &odd).unwrap().unwrap());
    assert_eq!(shown.frames.len(), frame_count(&record));
    assert_eq!(shown.width, MIN_WIDTH);
    assert_eq!(shown.height, 3 + BAR_HEIGHT);
}
