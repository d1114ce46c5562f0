//! Images: decoded under limits, turned upright from their EXIF orientation, and
//! re-encoded from pixels alone, so no metadata survives (EXIF, GPS, XMP, ICC text,
//! comments, trailing data): the original (at most [`ORIGINAL_SIDE`] on its longest
//! side) as JPEG, or PNG when it has transparency, and each width of [`WIDTHS`]
//! narrower than it as WebP and as the same fallback.
//!
//! Widths: 150 (a four-image grid cell on a phone at 1×, and the notification
//! thumbnails), 360 (one image in a phone's column at 1×, a grid cell at 2×), 680 (the
//! timeline column on a desktop at 1×, 600 px wide, with room), 1200 (the column at 2×,
//! and the lightbox on a phone). WebP for every browser in use; JPEG or PNG for the rest.

use crate::{MediaError, Output};
use bytes::Bytes;
use fast_image_resize::images::{Image, ImageRef};
use fast_image_resize::{FilterType, PixelType, ResizeAlg, ResizeOptions, Resizer};
use image::{DynamicImage, ImageDecoder, ImageFormat, ImageReader};
use starling_core::media::{MediaFile, MediaKind, Processed};
use std::io::Cursor;

/// Widths of the variants, narrowest first.
pub const WIDTHS: [u32; 4] = [150, 360, 680, 1200];
/// Longest side of the stored original.
pub const ORIGINAL_SIDE: u32 = 4096;
const JPEG_QUALITY: u8 = 85;
const WEBP_QUALITY: f32 = 80.0;

/// Pixels ready to encode: 3 or 4 bytes each.
struct Pixels {
    width: u32,
    height: u32,
    alpha: bool,
    data: Vec<u8>,
}

impl Pixels {
    fn pixel_type(&self) -> PixelType {
        if self.alpha {
            PixelType::U8x4
        } else {
            PixelType::U8x3
        }
    }

    /// Resized to fit `width` wide (height keeps the ratio, at least 1).
    fn resized(&self, width: u32, resizer: &mut Resizer) -> Result<Pixels, MediaError> {
        let height =
            ((u64::from(self.height) * u64::from(width)) / u64::from(self.width)).max(1) as u32;
        let src = ImageRef::new(self.width, self.height, &self.data, self.pixel_type())
            .map_err(MediaError::internal)?;
        let mut dst = Image::new(width, height, self.pixel_type());
        resizer
            .resize(
                &src,
                &mut dst,
                &ResizeOptions::new().resize_alg(ResizeAlg::Convolution(FilterType::Lanczos3)),
            )
            .map_err(MediaError::internal)?;
        Ok(Pixels {
            width,
            height,
            alpha: self.alpha,
            data: dst.into_vec(),
        })
    }
}

/// The header's dimensions, checked against `max_pixels` before any pixel is decoded.
pub fn check_dimensions(
    data: &[u8],
    format: ImageFormat,
    max_pixels: u64,
) -> Result<(u32, u32), MediaError> {
    let (w, h) = ImageReader::with_format(Cursor::new(data), format)
        .into_dimensions()
        .map_err(|e| MediaError::Invalid(format!("the image could not be read: {e}")))?;
    let pixels = u64::from(w) * u64::from(h);
    if pixels == 0 {
        return Err(MediaError::Invalid("the image has no pixels".into()));
    }
    if pixels > max_pixels {
        return Err(MediaError::Invalid(format!(
            "the image is {w} × {h} pixels; at most {max_pixels} pixels are accepted"
        )));
    }
    Ok((w, h))
}

pub fn image_format(format: crate::Format) -> Option<ImageFormat> {
    Some(match format {
        crate::Format::Jpeg => ImageFormat::Jpeg,
        crate::Format::Png => ImageFormat::Png,
        crate::Format::Gif => ImageFormat::Gif,
        crate::Format::Webp => ImageFormat::WebP,
        _ => return None,
    })
}

/// Whether a GIF has more than one frame (then it is shown as a looping video).
pub fn is_animated_gif(data: &[u8], max_pixels: u64) -> Result<bool, MediaError> {
    use image::AnimationDecoder;
    check_dimensions(data, ImageFormat::Gif, max_pixels)?;
    let decoder = image::codecs::gif::GifDecoder::new(Cursor::new(data))
        .map_err(|e| MediaError::Invalid(format!("the GIF could not be read: {e}")))?;
    let mut frames = decoder.into_frames();
    let mut n = 0;
    while n < 2 {
        match frames.next() {
            Some(Ok(_)) => n += 1,
            Some(Err(e)) => return Err(MediaError::Invalid(format!("the GIF is corrupt: {e}"))),
            None => break,
        }
    }
    Ok(n > 1)
}

/// Decode `data` (of `format`), upright, within `max_pixels`.
fn decode(data: &[u8], format: ImageFormat, max_pixels: u64) -> Result<Pixels, MediaError> {
    let (w, h) = check_dimensions(data, format, max_pixels)?;
    let mut reader = ImageReader::with_format(Cursor::new(data), format);
    let mut limits = image::Limits::default();
    limits.max_image_width = Some(w);
    limits.max_image_height = Some(h);
    // The largest buffer a decoder may need: 16-bit RGBA at the pixel limit.
    limits.max_alloc = Some(max_pixels.saturating_mul(8).saturating_add(16 << 20));
    reader.limits(limits);
    let mut decoder = reader
        .into_decoder()
        .map_err(|e| MediaError::Invalid(format!("the image could not be read: {e}")))?;
    let orientation = decoder
        .orientation()
        .unwrap_or(image::metadata::Orientation::NoTransforms);
    let mut img = DynamicImage::from_decoder(decoder)
        .map_err(|e| MediaError::Invalid(format!("the image is corrupt or truncated: {e}")))?;
    img.apply_orientation(orientation);
    let (width, height) = (img.width(), img.height());
    let pixels = if img.color().has_alpha() {
        let rgba = img.into_rgba8().into_raw();
        if rgba.chunks_exact(4).all(|p| p[3] == 255) {
            // An alpha channel nothing uses: encode as a photo.
            let rgb = rgba
                .chunks_exact(4)
                .flat_map(|p| [p[0], p[1], p[2]])
                .collect();
            Pixels {
                width,
                height,
                alpha: false,
                data: rgb,
            }
        } else {
            Pixels {
                width,
                height,
                alpha: true,
                data: rgba,
            }
        }
    } else {
        Pixels {
            width,
            height,
            alpha: false,
            data: img.into_rgb8().into_raw(),
        }
    };
    Ok(pixels)
}

fn jpeg(p: &Pixels) -> Result<Vec<u8>, MediaError> {
    let mut out = Vec::with_capacity(p.data.len() / 8);
    let encoder = jpeg_encoder::Encoder::new(&mut out, JPEG_QUALITY);
    encoder
        .encode(
            &p.data,
            p.width as u16,
            p.height as u16,
            jpeg_encoder::ColorType::Rgb,
        )
        .map_err(MediaError::internal)?;
    Ok(out)
}

fn png(p: &Pixels) -> Result<Vec<u8>, MediaError> {
    use image::ImageEncoder;
    let mut out = Vec::new();
    let encoder = image::codecs::png::PngEncoder::new_with_quality(
        &mut out,
        image::codecs::png::CompressionType::Fast,
        image::codecs::png::FilterType::Adaptive,
    );
    let color = if p.alpha {
        image::ExtendedColorType::Rgba8
    } else {
        image::ExtendedColorType::Rgb8
    };
    encoder
        .write_image(&p.data, p.width, p.height, color)
        .map_err(MediaError::internal)?;
    Ok(out)
}

fn webp(p: &Pixels) -> Result<Vec<u8>, MediaError> {
    let encoder = if p.alpha {
        webp::Encoder::from_rgba(&p.data, p.width, p.height)
    } else {
        webp::Encoder::from_rgb(&p.data, p.width, p.height)
    };
    let encoded = encoder
        .encode_simple(false, WEBP_QUALITY)
        .map_err(|e| MediaError::internal(format!("webp: {e:?}")))?;
    Ok(encoded.to_vec())
}

/// The blurhash of `p` (computed on a 32-pixel-wide copy: a blurhash has 4 × 3 numbers).
fn blurhash(p: &Pixels, resizer: &mut Resizer) -> Result<String, MediaError> {
    let small = if p.width > 32 {
        p.resized(32, resizer)?
    } else {
        Pixels {
            data: p.data.clone(),
            ..*p
        }
    };
    let rgba: Vec<u8> = if small.alpha {
        small.data
    } else {
        small
            .data
            .chunks_exact(3)
            .flat_map(|c| [c[0], c[1], c[2], 255])
            .collect()
    };
    blurhash::encode(4, 3, small.width, small.height, &rgba)
        .map_err(|e| MediaError::internal(format!("blurhash: {e:?}")))
}

impl Clone for Pixels {
    fn clone(&self) -> Self {
        Pixels {
            data: self.data.clone(),
            ..*self
        }
    }
}

/// Files of one image: `original` and the variants, their bytes beside.
struct Files {
    files: Vec<MediaFile>,
    blobs: Vec<Bytes>,
}

impl Files {
    fn add(&mut self, name: &str, p: &Pixels, content_type: &str, bytes: Vec<u8>) {
        self.files.push(MediaFile {
            name: name.to_owned(),
            width: p.width,
            height: p.height,
            content_type: content_type.to_owned(),
            key: crate::key_of(&bytes),
            bytes: bytes.len() as u64,
        });
        self.blobs.push(Bytes::from(bytes));
    }

    /// The fallback format (JPEG, or PNG with transparency) of `p` under `name`.
    fn add_fallback(&mut self, name: &str, p: &Pixels) -> Result<(), MediaError> {
        if p.alpha {
            self.add(name, p, "image/png", png(p)?);
        } else {
            self.add(name, p, "image/jpeg", jpeg(p)?);
        }
        Ok(())
    }
}

/// Process an image upload: every file to store, and what to record. CPU-bound: run it
/// on the processing pool, never on the async runtime.
pub fn process(data: &[u8], format: crate::Format, max_pixels: u64) -> Result<Output, MediaError> {
    let format = image_format(format).ok_or_else(|| MediaError::internal("not an image format"))?;
    let decoded = decode(data, format, max_pixels)?;
    let mut resizer = Resizer::new();
    let longest = decoded.width.max(decoded.height);
    let original = if longest > ORIGINAL_SIDE {
        let width = (u64::from(decoded.width) * u64::from(ORIGINAL_SIDE) / u64::from(longest))
            .max(1) as u32;
        decoded.resized(width, &mut resizer)?
    } else {
        decoded
    };
    let mut out = Files {
        files: Vec::new(),
        blobs: Vec::new(),
    };
    out.add_fallback("original", &original)?;
    // Narrowest last from the widest: each step shrinks the previous one, not the
    // original again (as libvips' thumbnail does with its shrink-on-load).
    let mut source = original.clone();
    let mut variants = Vec::new();
    for &width in WIDTHS.iter().rev().filter(|w| **w < original.width) {
        let v = source.resized(width, &mut resizer)?;
        variants.push((width, v.clone()));
        source = v;
    }
    for (width, v) in variants.iter().rev() {
        let name = format!("w{width}");
        out.add(&name, v, "image/webp", webp(v)?);
        out.add_fallback(&name, v)?;
    }
    let smallest = variants.first().map(|(_, v)| v).unwrap_or(&original);
    let hash = blurhash(
        variants.last().map(|(_, v)| v).unwrap_or(smallest),
        &mut resizer,
    )?;
    Ok(Output {
        kind: MediaKind::Image,
        processed: Processed {
            width: original.width,
            height: original.height,
            blurhash: hash,
            duration_ms: None,
            files: out.files,
        },
        blobs: out.blobs,
    })
}

/// A poster frame (decoded PNG from ffmpeg) as a JPEG at most 1200 wide, and its
/// blurhash.
pub fn poster(png_data: &[u8]) -> Result<(MediaFile, Bytes, String), MediaError> {
    let decoded = decode(png_data, ImageFormat::Png, u64::MAX / 16)?;
    let mut resizer = Resizer::new();
    let frame = if decoded.width > 1200 {
        decoded.resized(1200, &mut resizer)?
    } else {
        decoded
    };
    let frame = if frame.alpha {
        let rgb = frame
            .data
            .chunks_exact(4)
            .flat_map(|p| [p[0], p[1], p[2]])
            .collect();
        Pixels {
            alpha: false,
            data: rgb,
            ..frame
        }
    } else {
        frame
    };
    let hash = blurhash(&frame, &mut resizer)?;
    let mut out = Files {
        files: Vec::new(),
        blobs: Vec::new(),
    };
    out.add("poster", &frame, "image/jpeg", jpeg(&frame)?);
    Ok((out.files.remove(0), out.blobs.remove(0), hash))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn find(haystack: &[u8], needle: &[u8]) -> bool {
        haystack.windows(needle.len()).any(|w| w == needle)
    }

    #[test]
    fn images_are_upright_and_stripped_in_every_size() {
        let upload = crate::testing::jpeg_with_exif(800, 400, 6);
        assert!(find(&upload, b"Exif\0\0"));
        let out = process(&upload, crate::Format::Jpeg, 33_177_600).unwrap();
        // Orientation 6: turned a quarter clockwise, so 400 wide and 800 high.
        assert_eq!((out.processed.width, out.processed.height), (400, 800));
        let names: Vec<(&str, &str, u32)> = out
            .processed
            .files
            .iter()
            .map(|f| (f.name.as_str(), f.content_type.as_str(), f.width))
            .collect();
        assert_eq!(
            names,
            vec![
                ("original", "image/jpeg", 400),
                ("w150", "image/webp", 150),
                ("w150", "image/jpeg", 150),
                ("w360", "image/webp", 360),
                ("w360", "image/jpeg", 360),
            ]
        );
        for (file, bytes) in out.processed.files.iter().zip(&out.blobs) {
            assert!(!find(bytes, b"Exif"), "{} carries EXIF", file.name);
            assert_eq!(file.key, crate::key_of(bytes));
            assert_eq!(file.bytes, bytes.len() as u64);
            let decoded = image::load_from_memory(bytes).unwrap();
            assert_eq!(
                (decoded.width(), decoded.height()),
                (file.width, file.height)
            );
        }
        // Upright: the red half is now on top.
        let original = image::load_from_memory(&out.blobs[0]).unwrap().to_rgb8();
        assert!(original.get_pixel(200, 100)[0] > 200, "red on top");
        assert!(original.get_pixel(200, 700)[2] > 200, "blue below");
        // 4 × 3 components: 4 characters of header and 2 per component.
        assert_eq!(out.processed.blurhash.len(), 4 + 2 * 12);
    }

    #[test]
    fn transparency_keeps_png_and_bombs_are_refused_before_decoding() {
        let mut png = Vec::new();
        let img =
            image::RgbaImage::from_fn(300, 200, |x, _| image::Rgba([0, 0, 0, (x % 256) as u8]));
        img.write_to(&mut Cursor::new(&mut png), ImageFormat::Png)
            .unwrap();
        let out = process(&png, crate::Format::Png, 33_177_600).unwrap();
        assert_eq!(out.processed.files[0].content_type, "image/png");
        assert_eq!(out.processed.files[2].content_type, "image/png");

        // 100,000 × 100,000 declared in the header: refused from the header alone.
        let mut bomb = png[..33].to_vec();
        bomb[16..20].copy_from_slice(&100_000u32.to_be_bytes());
        bomb[20..24].copy_from_slice(&100_000u32.to_be_bytes());
        let crc = crc32fast::hash(&bomb[12..29]);
        bomb[29..33].copy_from_slice(&crc.to_be_bytes());
        bomb.extend(&png[33..]);
        let err = process(&bomb, crate::Format::Png, 33_177_600).unwrap_err();
        assert!(
            matches!(&err, MediaError::Invalid(m) if m.contains("pixels")),
            "{err}"
        );

        let truncated = &png[..png.len() / 2];
        assert!(matches!(
            process(truncated, crate::Format::Png, 33_177_600),
            Err(MediaError::Invalid(_))
        ));
        assert!(matches!(
            process(b"\xFF\xD8\xFF\xE0garbage", crate::Format::Jpeg, 33_177_600),
            Err(MediaError::Invalid(_))
        ));
    }
}
