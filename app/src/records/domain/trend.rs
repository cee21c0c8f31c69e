//! Where readings fall on the chart's small trend lines: pure arithmetic, so the server draws
//! the chart as SVG and the tests check the geometry.

/// A chart's drawing area in SVG units (y grows downwards).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Frame {
    pub width: f64,
    pub height: f64,
    /// Room left free on every side, so a dot on the edge is drawn whole.
    pub pad: f64,
}

/// The vertical scale: the readings and the usual range both fit, so a line inside the range
/// never looks alarming for want of scale.
pub fn scale(values: &[Option<i32>], usual: Option<(i32, i32)>) -> Option<(i32, i32)> {
    let mut all: Vec<i32> = values.iter().flatten().copied().collect();
    if all.is_empty() {
        return None;
    }
    if let Some((low, high)) = usual {
        all.extend([low, high]);
    }
    let (low, high) = (*all.iter().min()?, *all.iter().max()?);
    Some(if low == high {
        (low - 1, high + 1)
    } else {
        (low, high)
    })
}

/// The y of `value` on `scale` in `frame`.
pub fn y_of(value: i32, (low, high): (i32, i32), frame: Frame) -> f64 {
    let inner = frame.height - 2.0 * frame.pad;
    let share = f64::from(value - low) / f64::from(high - low);
    frame.pad + inner * (1.0 - share)
}

/// Each present reading's point, evenly spaced from the oldest (left) to the newest (right);
/// a reading not taken leaves its place empty.
pub fn points(values: &[Option<i32>], scale: (i32, i32), frame: Frame) -> Vec<(f64, f64)> {
    let inner = frame.width - 2.0 * frame.pad;
    let step = if values.len() > 1 {
        inner / (values.len() - 1) as f64
    } else {
        0.0
    };
    values
        .iter()
        .enumerate()
        .filter_map(|(i, v)| v.map(|v| (frame.pad + step * i as f64, y_of(v, scale, frame))))
        .collect()
}

/// The points as an SVG `points` attribute, rounded to a tenth of a unit.
pub fn polyline(points: &[(f64, f64)]) -> String {
    points
        .iter()
        .map(|(x, y)| format!("{x:.1},{y:.1}"))
        .collect::<Vec<_>>()
        .join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;

    const FRAME: Frame = Frame {
        width: 300.0,
        height: 100.0,
        pad: 10.0,
    };

    #[test]
    fn the_scale_holds_the_readings_and_the_usual_range() {
        assert_eq!(
            scale(&[Some(120), None, Some(150)], Some((90, 139))),
            Some((90, 150))
        );
        assert_eq!(scale(&[Some(70), Some(70)], None), Some((69, 71)));
        assert_eq!(scale(&[None, None], Some((60, 100))), None);
    }

    #[test]
    fn oldest_left_newest_right_highest_on_top() {
        let pts = points(&[Some(90), None, Some(150)], (90, 150), FRAME);
        assert_eq!(pts, vec![(10.0, 90.0), (290.0, 10.0)]);
        assert_eq!(polyline(&pts), "10.0,90.0 290.0,10.0");
        assert_eq!(y_of(120, (90, 150), FRAME), 50.0);
    }

    #[test]
    fn a_single_reading_sits_at_the_start() {
        assert_eq!(points(&[Some(5)], (4, 6), FRAME), vec![(10.0, 50.0)]);
    }
}
