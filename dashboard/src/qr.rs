//! QR codes for posters: SVG for print and the page, PNG for chat groups and documents.

use qrcode::render::svg;
use qrcode::{Color, EcLevel, QrCode};

/// Level M survives a poster that is a little scuffed or folded.
fn code(data: &str) -> Result<QrCode, qrcode::types::QrError> {
    QrCode::with_error_correction_level(data, EcLevel::M)
}

pub fn svg(data: &str) -> Result<String, qrcode::types::QrError> {
    Ok(code(data)?
        .render::<svg::Color>()
        .min_dimensions(320, 320)
        .quiet_zone(true)
        .build())
}

/// A black-and-white PNG, `scale` pixels per module, with the standard 4-module quiet zone.
pub fn png(data: &str, scale: usize) -> Result<Vec<u8>, String> {
    const QUIET: usize = 4;
    let code = code(data).map_err(|e| e.to_string())?;
    let width = code.width();
    let colors = code.to_colors();
    let side = (width + 2 * QUIET) * scale;
    let mut pixels = vec![255u8; side * side];
    for (i, color) in colors.iter().enumerate() {
        if *color != Color::Dark {
            continue;
        }
        let (x, y) = ((i % width + QUIET) * scale, (i / width + QUIET) * scale);
        for row in y..y + scale {
            pixels[row * side + x..row * side + x + scale].fill(0);
        }
    }
    let mut out = Vec::new();
    let side = u32::try_from(side).map_err(|e| e.to_string())?;
    let mut encoder = png::Encoder::new(&mut out, side, side);
    encoder.set_color(png::ColorType::Grayscale);
    encoder.set_depth(png::BitDepth::Eight);
    let mut writer = encoder.write_header().map_err(|e| e.to_string())?;
    writer
        .write_image_data(&pixels)
        .map_err(|e| e.to_string())?;
    writer.finish().map_err(|e| e.to_string())?;
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_render_as_svg_and_png() {
        let link = "https://t.me/qingfeng_bot?start=h_baofeng_longjing_AAAAAAAAAAA";
        let svg = svg(link).unwrap();
        assert!(svg.contains("<svg") && svg.contains("</svg>"));
        let png = png(link, 8).unwrap();
        assert!(png.starts_with(b"\x89PNG\r\n\x1a\n"));
        assert!(png.len() > 200);
    }
}
