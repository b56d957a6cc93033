//! The comparison on small figures drawn here: what counts as a change,
//! what is forgiven (slight colour shifts, anti-aliased edges, ignored
//! areas), and where the boxes round the changes go.

use super::*;

const WHITE: Rgba<u8> = Rgba([255, 255, 255, 255]);
const BLACK: Rgba<u8> = Rgba([0, 0, 0, 255]);

fn blank(width: u32, height: u32) -> RgbaImage {
    RgbaImage::from_pixel(width, height, WHITE)
}

fn fill(image: &mut RgbaImage, area: Rect, colour: Rgba<u8>) {
    for y in area.y..area.y + area.height {
        for x in area.x..area.x + area.width {
            image.put_pixel(x, y, colour);
        }
    }
}

fn rect(x: u32, y: u32, width: u32, height: u32) -> Rect {
    Rect {
        x,
        y,
        width,
        height,
    }
}

#[test]
fn identical_figures_have_no_change() {
    let mut figure = blank(40, 30);
    fill(&mut figure, rect(5, 5, 10, 10), BLACK);
    let diff = compare(&figure, &figure.clone(), &[], Tolerance::default()).unwrap();
    assert_eq!(diff.changed, 0);
    assert_eq!(diff.antialiased, 0);
    assert_eq!(diff.compared, 1200);
    assert!(diff.regions.is_empty());
    assert_eq!(diff.ratio(), 0.0);
}

#[test]
fn a_recoloured_area_is_counted_and_boxed_exactly() {
    let expected = blank(100, 60);
    let mut actual = expected.clone();
    fill(&mut actual, rect(30, 20, 25, 8), Rgba([200, 40, 40, 255]));
    let diff = compare(&expected, &actual, &[], Tolerance::default()).unwrap();
    assert_eq!(diff.changed, 200);
    assert_eq!(diff.regions, [rect(30, 20, 25, 8)]);
    assert!((diff.ratio() - 200.0 / 6000.0).abs() < 1e-12);
    let image = diff.image(&actual);
    assert_eq!(*image.get_pixel(30, 20), Rgba([230, 20, 20, 255]));
    // Unchanged white stays (faded) white, black becomes a light grey.
    assert_eq!(*image.get_pixel(0, 0), Rgba([255, 255, 255, 255]));
}

#[test]
fn changes_far_apart_are_separate_regions_and_near_ones_merge() {
    let expected = blank(200, 100);
    let mut actual = expected.clone();
    // Two "letters" 3 px apart: one word, one region.
    fill(&mut actual, rect(10, 10, 4, 6), BLACK);
    fill(&mut actual, rect(17, 10, 4, 6), BLACK);
    // Far below and to the right: a region of its own.
    fill(&mut actual, rect(150, 80, 5, 5), BLACK);
    let diff = compare(&expected, &actual, &[], Tolerance::default()).unwrap();
    assert_eq!(diff.regions, [rect(10, 10, 11, 6), rect(150, 80, 5, 5)]);
}

#[test]
fn a_shift_below_the_threshold_is_not_a_change() {
    let expected = RgbaImage::from_pixel(10, 10, Rgba([250, 250, 250, 255]));
    let actual = RgbaImage::from_pixel(10, 10, Rgba([244, 246, 250, 255]));
    let diff = compare(&expected, &actual, &[], Tolerance::default()).unwrap();
    assert_eq!(diff.changed, 0);
    // With no tolerance at all it is.
    let strict = Tolerance {
        threshold: 0.0,
        skip_antialiasing: true,
    };
    assert_eq!(
        compare(&expected, &actual, &[], strict).unwrap().changed,
        100
    );
}

/// A black block on white whose right edge is a column of grey, as a
/// renderer blends a shape's edge; only the grey differs between the two.
fn block_with_edge(edge: u8) -> RgbaImage {
    let mut image = blank(20, 20);
    fill(&mut image, rect(5, 5, 5, 10), BLACK);
    fill(
        &mut image,
        rect(10, 5, 1, 10),
        Rgba([edge, edge, edge, 255]),
    );
    image
}

#[test]
fn an_edge_blended_differently_is_antialiasing_not_a_change() {
    let expected = block_with_edge(170);
    let actual = block_with_edge(80);
    let diff = compare(&expected, &actual, &[], Tolerance::default()).unwrap();
    assert_eq!(diff.changed, 0, "{:?}", diff.regions);
    assert_eq!(diff.antialiased, 10);
    assert_eq!(
        *diff.image(&actual).get_pixel(10, 8),
        Rgba([255, 200, 0, 255])
    );
    let counting = Tolerance {
        skip_antialiasing: false,
        ..Tolerance::default()
    };
    let diff = compare(&expected, &actual, &[], counting).unwrap();
    assert_eq!(diff.changed, 10);
    assert_eq!(diff.regions, [rect(10, 5, 1, 10)]);
}

#[test]
fn a_block_that_moved_is_a_change_even_with_antialiasing_skipped() {
    let mut expected = blank(30, 30);
    fill(&mut expected, rect(5, 5, 6, 6), BLACK);
    let mut actual = blank(30, 30);
    fill(&mut actual, rect(15, 5, 6, 6), BLACK);
    let diff = compare(&expected, &actual, &[], Tolerance::default()).unwrap();
    assert_eq!(diff.changed, 72);
    assert_eq!(diff.regions, [rect(5, 5, 16, 6)]);
}

#[test]
fn ignored_areas_are_left_out_of_the_count() {
    let expected = blank(50, 50);
    let mut actual = expected.clone();
    fill(&mut actual, rect(10, 10, 10, 10), BLACK);
    let diff = compare(
        &expected,
        &actual,
        &[rect(8, 8, 14, 14)],
        Tolerance::default(),
    )
    .unwrap();
    assert_eq!(diff.changed, 0);
    assert_eq!(diff.compared, 2500 - 196);
    // Painted so the reader sees what was left out.
    let ignored = *diff.image(&actual).get_pixel(9, 9);
    assert!(ignored[2] > ignored[0], "{ignored:?}");
}

#[test]
fn figures_of_different_sizes_are_refused() {
    let error = compare(&blank(10, 10), &blank(10, 12), &[], Tolerance::default()).unwrap_err();
    assert_eq!(
        error.to_string(),
        "the figure is 10×12 pixels, its baseline 10×10"
    );
}

#[test]
fn transparent_pixels_are_seen_over_white() {
    let expected = RgbaImage::from_pixel(4, 4, Rgba([0, 0, 0, 0]));
    let actual = blank(4, 4);
    let diff = compare(&expected, &actual, &[], Tolerance::default()).unwrap();
    assert_eq!(diff.changed, 0);
}

/// A word's strokes, a pixel wide with a grey blended edge on each side,
/// drawn at column `at` with edges of brightness `edge`.
fn strokes(at: u32, edge: u8) -> RgbaImage {
    let mut image = blank(40, 12);
    let grey = Rgba([edge, edge, edge, 255]);
    for x in [at, at + 4, at + 8] {
        fill(&mut image, rect(x - 1, 2, 1, 8), grey);
        fill(&mut image, rect(x, 2, 1, 8), BLACK);
        fill(&mut image, rect(x + 1, 2, 1, 8), grey);
    }
    image
}

#[test]
fn thin_strokes_blended_differently_are_antialiasing_but_moved_ones_are_a_change() {
    // Another rasteriser blends the strokes' edges darker: every edge
    // pixel differs well beyond the threshold, and none counts.
    let diff = compare(
        &strokes(10, 200),
        &strokes(10, 110),
        &[],
        Tolerance::default(),
    )
    .unwrap();
    assert_eq!(diff.changed, 0, "{:?}", diff.regions);
    assert_eq!(diff.antialiased, 48);
    // The same strokes a pixel to the right: the cores moved, and count.
    let diff = compare(
        &strokes(10, 200),
        &strokes(11, 200),
        &[],
        Tolerance::default(),
    )
    .unwrap();
    assert!(diff.changed > 0);
    assert_eq!(
        diff.regions,
        [rect(10, 3, 10, 7)],
        "{} changed",
        diff.changed
    );
}
