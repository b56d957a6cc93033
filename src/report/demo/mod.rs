//! `demo.gif`: the run as an animation, one frame per step that shows on
//! the page, each with a caption bar (section and step) and the pointer's
//! press marked, about 1.5 s per frame, on a palette.
//!
//! Frames are scaled down to at most [`MAX_WIDTH`] pixels wide and the
//! caption bar is added below the page rather than over it, so nothing of
//! the page is hidden and the caption's text stays sharp whatever the
//! scale. The bar's first line says where in the procedure the frame is
//! (the section, and frame n of N, also drawn as a thin progress line),
//! the second what the step does; a failed step's frame has a red bar
//! that says what was looked for and what was found. The pointer's press
//! is a red ring with a dot at its centre, edged in white so it shows on
//! any colour.
//!
//! Each frame after the first carries only what changed (see [`delta`]),
//! on a palette of its own from NeuQuant, with the colours docent drew
//! kept exact (see [`palette`]). Decoding, scaling and quantising are left
//! to `image` and `gif`, which are built optimised even in debug builds;
//! what this module does per pixel is kept to row copies, the marker, the
//! caption's glyphs and a few passes over palette indices.

mod canvas;
mod delta;
mod palette;
mod text;

use super::record::{ItemRecord, RunRecord, Status, StepRecord};
use crate::engine::{FramePng, Point};
use canvas::{Canvas, Rect, Rgb};
use image::DynamicImage;
use std::collections::HashMap;
use std::io::Cursor;
use text::Face;

/// The widest a frame gets; wider viewports are scaled down to it. A
/// 1280 px viewport becomes 960 px: the page's text stays readable, and
/// the GIF is a third smaller than at full size.
pub const MAX_WIDTH: usize = 960;
/// The narrowest a frame gets, so the caption has room.
const MIN_WIDTH: usize = 480;
/// The tallest the page part of a frame gets (full-page figures would
/// otherwise make giant frames).
const MAX_PAGE_HEIGHT: usize = 960;
/// Height of the caption bar under the page.
const BAR_HEIGHT: usize = 64;
/// How long each frame shows, in hundredths of a second: long enough to
/// read both lines of the caption.
const STEP_DELAY: u16 = 150;
/// The last frame is held longer, so the end of the run can be read
/// before the animation starts again.
const LAST_DELAY: u16 = 300;

/// The caption bar of a frame of a passing step.
const BAR: Rgb = [32, 33, 36];
/// The caption bar of a failed step's frame.
const BAR_FAILED: Rgb = [183, 28, 28];
/// The caption bar of an `optional` step that failed.
const BAR_TOLERATED: Rgb = [130, 85, 0];
/// Around a page narrower or shorter than the frame.
const MARGIN: Rgb = [60, 64, 67];
const SECTION_TEXT: Rgb = [189, 193, 198];
const STEP_TEXT: Rgb = [255, 255, 255];
const PROGRESS: Rgb = [138, 180, 248];
const PROGRESS_TRACK: Rgb = [60, 64, 67];
/// The pointer's press.
const MARKER: Rgb = [234, 33, 39];
const MARKER_HALO: Rgb = [255, 255, 255];

/// NeuQuant's sampling factor, from 1 (slowest, best) to 30 (fastest).
/// At 1 it also gets the page's thin coloured accents right, but takes ten
/// times as long (about 0.3 s a frame in a debug build); at 10 those
/// accents may come out a shade off, which a demo can afford.
const QUANTISER_SPEED: i32 = 10;

/// The marker's sizes in page (CSS) pixels; they scale with the frame.
const RING_RADIUS: f32 = 20.0;
const RING_WIDTH: f32 = 3.5;
const DOT_RADIUS: f32 = 3.0;

/// The demo of a run recorded with frames (`--demo`), or `None` when the
/// run has no frames.
#[cfg(test)]
pub fn gif(
    record: &RunRecord,
    caption: &dyn Fn(&StepRecord) -> String,
) -> Result<Option<Vec<u8>>, String> {
    if !has_frames(record) {
        return Ok(None);
    }
    encode(record, caption, Vec::new()).map(Some)
}

/// Whether the run was recorded with frames (`--demo`).
pub fn has_frames(record: &RunRecord) -> bool {
    record.steps().iter().any(|step| !step.frames.is_empty())
}

/// Encodes the demo of a run with frames into `out`, frame by frame: the
/// pictures are read as they are drawn and each GIF frame is written as
/// soon as it is made, so memory does not grow with the run's length.
pub fn encode<W: std::io::Write>(
    record: &RunRecord,
    caption: &dyn Fn(&StepRecord) -> String,
    out: W,
) -> Result<W, String> {
    let shots = shots(record, caption);
    if shots.is_empty() {
        return Err("the run has no demo frames".into());
    }
    let sizes = shots
        .iter()
        .map(|shot| png_size(shot.png))
        .collect::<Result<Vec<_>, _>>()?;
    let layout = Layout::new(&sizes);
    let height = layout.page_height + BAR_HEIGHT;
    let mut encoder = gif::Encoder::new(out, layout.width as u16, height as u16, &[])
        .map_err(|e| e.to_string())?;
    encoder
        .set_repeat(gif::Repeat::Infinite)
        .map_err(|e| e.to_string())?;
    // Frames are drawn and quantised two at a time, in parallel (a third
    // faster on two cores); only finding what changed needs them in order.
    // Each frame in flight costs about 10 MB, so no more than two.
    let workers = std::thread::available_parallelism().map_or(1, |n| n.get().min(2));
    let count = shots.len();
    let mut previous: Option<Canvas> = None;
    for (c, chunk) in shots.chunks(workers).enumerate() {
        let first = c * workers;
        let drawn = in_parallel(chunk.iter().enumerate().collect(), |(k, shot)| {
            layout.compose(shot, sizes[first + k], (first + k + 1, count))
        });
        let mut patches = Vec::with_capacity(drawn.len());
        for (shot, result) in chunk.iter().zip(drawn) {
            let (canvas, areas) = result?;
            let patch = delta::patch(
                previous.as_ref().map(|p| &p.pixels[..]),
                &canvas.pixels,
                canvas.width,
            );
            patches.push((patch, areas, shot.bar.colour));
            previous = Some(canvas);
        }
        let frames = in_parallel(patches, |(patch, areas, bar)| quantise(patch, &areas, bar));
        for (k, mut frame) in frames.into_iter().enumerate() {
            frame.delay = if first + k + 1 == count {
                LAST_DELAY
            } else {
                STEP_DELAY
            };
            encoder.write_frame(&frame).map_err(|e| e.to_string())?;
        }
    }
    encoder.into_inner().map_err(|e| e.to_string())
}

/// The GIF frame for `patch`, on a palette of its own in which the
/// colours docent drew in `areas` (a bar of colour `bar`, the marker) are
/// exact.
fn quantise(patch: delta::Patch, areas: &[Rect], bar: Rgb) -> gif::Frame<'static> {
    let mut rgba = patch.rgba;
    let mut frame = gif::Frame::from_rgba_speed(
        patch.width as u16,
        patch.height as u16,
        &mut rgba,
        QUANTISER_SPEED,
    );
    frame.left = patch.x as u16;
    frame.top = patch.y as u16;
    // Each frame draws over the one before; see `delta`.
    frame.dispose = gif::DisposalMethod::Keep;
    let pinned = [
        bar,
        MARKER,
        MARKER_HALO,
        SECTION_TEXT,
        PROGRESS,
        PROGRESS_TRACK,
    ];
    palette::pin(&mut frame, &rgba, &pinned, areas);
    frame
}

/// `work` on each item, each on a thread of its own; results in order.
fn in_parallel<T: Send, R: Send>(items: Vec<T>, work: impl Fn(T) -> R + Sync) -> Vec<R> {
    if items.len() < 2 {
        return items.into_iter().map(work).collect();
    }
    let work = &work;
    std::thread::scope(|scope| {
        let handles: Vec<_> = items
            .into_iter()
            .map(|item| scope.spawn(move || work(item)))
            .collect();
        handles
            .into_iter()
            .map(|handle| {
                handle
                    .join()
                    .unwrap_or_else(|panic| std::panic::resume_unwind(panic))
            })
            .collect()
    })
}

/// One frame to draw: the page, the press, and what its bar says.
struct Shot<'a> {
    /// Read only when its frame is drawn, so at most two frames' pictures
    /// are in memory at a time.
    png: &'a FramePng,
    pointer: Option<Point>,
    bar: Bar,
}

struct Bar {
    colour: Rgb,
    /// Where in the procedure (the section), or what went wrong.
    first: String,
    /// What the step does, or what was looked for and found.
    second: String,
    /// Whether the first line ends with "frame n/N".
    counter: bool,
}

/// Every frame of the run in step order, with its caption.
fn shots<'a>(record: &'a RunRecord, caption: &dyn Fn(&StepRecord) -> String) -> Vec<Shot<'a>> {
    let titles = section_titles(&record.items);
    let mut shots = Vec::new();
    for step in record.steps() {
        for (k, frame) in step.frames.iter().enumerate() {
            // A failed step's last frame is the page at the failure.
            let at_failure = k + 1 == step.frames.len();
            let bar = match (&step.error, step.status) {
                (Some(error), Status::Failed) if at_failure => Bar {
                    colour: BAR_FAILED,
                    first: format!("Failed: {}", caption(step)),
                    second: error.to_string(),
                    counter: false,
                },
                (Some(error), Status::Tolerated) if at_failure => Bar {
                    colour: BAR_TOLERATED,
                    first: format!("Optional step failed: {}", caption(step)),
                    second: error.to_string(),
                    counter: false,
                },
                _ => Bar {
                    colour: BAR,
                    first: match titles.get(step.section.as_str()) {
                        Some(title) => format!("{}  {title}", step.section),
                        None => record.runbook.name.clone(),
                    },
                    second: caption(step),
                    counter: true,
                },
            };
            shots.push(Shot {
                png: &frame.png,
                pointer: frame.pointer,
                bar,
            });
        }
    }
    shots
}

fn section_titles(items: &[ItemRecord]) -> HashMap<&str, &str> {
    let mut titles = HashMap::new();
    for item in items {
        if let ItemRecord::Section(section) = item {
            titles.insert(section.number.as_str(), section.title.as_str());
            titles.extend(section_titles(&section.items));
        }
    }
    titles
}

/// A spooled frame that could not be read back.
fn unreadable(png: &FramePng, error: std::io::Error) -> String {
    match png {
        FramePng::Spooled(path) => format!("cannot read demo frame {}: {error}", path.display()),
        FramePng::InMemory(_) => format!("cannot read a demo frame: {error}"),
    }
}

/// Width and height of a PNG, read from its header (only the header of a
/// spooled frame is read).
fn png_size(png: &FramePng) -> Result<(usize, usize), String> {
    let not_png = |e: image::ImageError| format!("a demo frame is not a PNG: {e}");
    let (width, height) = match png {
        FramePng::Spooled(path) => {
            let file = std::fs::File::open(path).map_err(|e| unreadable(png, e))?;
            let reader = std::io::BufReader::new(file);
            image::ImageReader::with_format(reader, image::ImageFormat::Png)
                .into_dimensions()
                .map_err(not_png)?
        }
        FramePng::InMemory(bytes) => {
            image::ImageReader::with_format(Cursor::new(&bytes[..]), image::ImageFormat::Png)
                .into_dimensions()
                .map_err(not_png)?
        }
    };
    if width == 0 || height == 0 {
        return Err("a demo frame is an empty picture".into());
    }
    Ok((width as usize, height as usize))
}

/// The GIF's size, shared by every frame: as wide as the widest page
/// allows, as tall as the tallest scaled page, plus the bar.
struct Layout {
    width: usize,
    page_height: usize,
}

/// Where a page goes in the frame, and at what scale.
struct Placement {
    x: usize,
    width: usize,
    height: usize,
    scale: f32,
}

impl Layout {
    fn new(sizes: &[(usize, usize)]) -> Layout {
        let widest = sizes.iter().map(|s| s.0).max().unwrap_or(MIN_WIDTH);
        let width = widest.clamp(MIN_WIDTH, MAX_WIDTH);
        let tallest = sizes
            .iter()
            .map(|&(w, h)| (h as f32 * (width as f32 / w as f32).min(1.0)).round() as usize)
            .max()
            .unwrap_or(1);
        Layout {
            width,
            page_height: tallest.clamp(1, MAX_PAGE_HEIGHT),
        }
    }

    /// A page of `size` fits the frame without being scaled up.
    fn place(&self, (w, h): (usize, usize)) -> Placement {
        let scale = (self.width as f32 / w as f32)
            .min(self.page_height as f32 / h as f32)
            .min(1.0);
        let width = ((w as f32 * scale).round() as usize).clamp(1, self.width);
        let height = ((h as f32 * scale).round() as usize).clamp(1, self.page_height);
        Placement {
            x: (self.width - width) / 2,
            width,
            height,
            scale,
        }
    }

    /// The frame for `shot`: its page scaled, the press marked, the bar
    /// under it. `position` is the frame's number and the count of frames.
    /// Also returns the areas docent drew in (the marker, the bar), whose
    /// colours are kept exact.
    fn compose(
        &self,
        shot: &Shot<'_>,
        size: (usize, usize),
        position: (usize, usize),
    ) -> Result<(Canvas, Vec<Rect>), String> {
        let place = self.place(size);
        let png = shot.png.bytes().map_err(|e| unreadable(shot.png, e))?;
        let page = image::load_from_memory_with_format(&png, image::ImageFormat::Png)
            .map_err(|e| format!("a demo frame is not a PNG: {e}"))?;
        drop(png);
        // Dropping alpha first: a transparent pixel in a screenshot must
        // not become a hole in the GIF.
        let mut page = DynamicImage::ImageRgb8(page.into_rgb8());
        if (place.width, place.height) != size {
            // Area averaging: three times faster than a triangle filter in
            // debug builds, and as legible at three quarters of the size.
            page = page.thumbnail_exact(place.width as u32, place.height as u32);
        }
        let page = page.into_rgba8();

        let mut canvas = Canvas::new(self.width, self.page_height + BAR_HEIGHT, MARGIN);
        canvas.paste(place.x, 0, page.width() as usize, page.as_raw());
        let page_area = Rect {
            x: place.x,
            y: 0,
            width: place.width,
            height: place.height,
        };
        let mut drawn = vec![Rect {
            x: 0,
            y: self.page_height,
            width: self.width,
            height: BAR_HEIGHT,
        }];
        if let Some(pointer) = shot.pointer {
            drawn.push(mark(&mut canvas, &place, pointer, page_area));
        }
        self.bar(&mut canvas, &shot.bar, position);
        Ok((canvas, drawn))
    }

    fn bar(&self, canvas: &mut Canvas, bar: &Bar, (n, count): (usize, usize)) {
        let top = self.page_height;
        let full = |y: usize, height: usize| Rect {
            x: 0,
            y,
            width: self.width,
            height,
        };
        canvas.fill(full(top, BAR_HEIGHT), bar.colour);
        // A thin progress line across the top of the bar.
        let progress_height = 3;
        canvas.fill(full(top, progress_height), PROGRESS_TRACK);
        canvas.fill(
            Rect {
                width: self.width * n / count.max(1),
                ..full(top, progress_height)
            },
            PROGRESS,
        );

        let padding = 12;
        let room = |face: Face, taken: usize| {
            self.width.saturating_sub(2 * padding + taken) / face.advance()
        };
        let first_y = top + progress_height + 7;
        let second_y = first_y + Face::Small.height() + 6;
        let mut taken = 0;
        if bar.counter {
            let counter = text::fit(&format!("{n}/{count}"), Face::Small, usize::MAX);
            taken = (counter.len() + 2) * Face::Small.advance();
            let x = self.width - padding - counter.len() * Face::Small.advance();
            text::draw(canvas, x, first_y, &counter, Face::Small, SECTION_TEXT);
        }
        let first_colour = if bar.colour == BAR {
            SECTION_TEXT
        } else {
            STEP_TEXT
        };
        let first = text::fit(&bar.first, Face::Small, room(Face::Small, taken));
        text::draw(canvas, padding, first_y, &first, Face::Small, first_colour);
        let second = text::fit(&bar.second, Face::Large, room(Face::Large, 0));
        text::draw(canvas, padding, second_y, &second, Face::Large, STEP_TEXT);
    }
}

/// The red ring and dot where the pointer pressed, kept to the page;
/// returns the square it was drawn in.
fn mark(canvas: &mut Canvas, place: &Placement, pointer: Point, page: Rect) -> Rect {
    let s = place.scale;
    let cx = place.x as f32 + pointer.x as f32 * s;
    let cy = pointer.y as f32 * s;
    let outer = (RING_RADIUS * s).max(10.0);
    let inner = outer - (RING_WIDTH * s).max(2.5);
    let dot = (DOT_RADIUS * s).max(2.0);
    // White edges keep the marker visible on red or dark controls; the
    // ring's inside is left clear so the control shows through.
    canvas.ring(cx, cy, inner, outer + 1.5, MARKER_HALO, page);
    canvas.ring(cx, cy, inner, outer, MARKER, page);
    canvas.disc(cx, cy, dot + 1.0, MARKER_HALO, page);
    canvas.disc(cx, cy, dot, MARKER, page);
    let reach = outer + 3.0;
    let corner = |c: f32| (c - reach).max(0.0) as usize;
    Rect {
        x: corner(cx),
        y: corner(cy),
        width: (2.0 * reach) as usize + 1,
        height: (2.0 * reach) as usize + 1,
    }
}

#[cfg(test)]
mod tests;
