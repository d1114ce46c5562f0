//! Files the tests of every crate build their corpus from (`testing` feature).

/// A JPEG of `w` × `h` (left half red, right half blue) with an EXIF block giving
/// `orientation` and a GPS latitude.
pub fn jpeg_with_exif(w: u16, h: u16, orientation: u16) -> Vec<u8> {
    let mut rgb = Vec::new();
    for _ in 0..h {
        for x in 0..w {
            rgb.extend(if x < w / 2 { [255, 0, 0] } else { [0, 0, 255] });
        }
    }
    let mut plain = Vec::new();
    jpeg_encoder::Encoder::new(&mut plain, 90)
        .encode(&rgb, w, h, jpeg_encoder::ColorType::Rgb)
        .unwrap();
    // TIFF, little-endian: IFD0 at 8 with Orientation and the GPS IFD pointer; the
    // GPS IFD at 38 with GPSLatitudeRef = "N".
    let mut tiff = b"II*\0\x08\0\0\0".to_vec();
    tiff.extend(2u16.to_le_bytes());
    tiff.extend([0x12, 0x01, 3, 0, 1, 0, 0, 0]);
    tiff.extend(orientation.to_le_bytes());
    tiff.extend([0, 0]);
    tiff.extend([0x25, 0x88, 4, 0, 1, 0, 0, 0]);
    tiff.extend(38u32.to_le_bytes());
    tiff.extend(0u32.to_le_bytes());
    tiff.extend(1u16.to_le_bytes());
    tiff.extend([1, 0, 2, 0, 2, 0, 0, 0, b'N', 0, 0, 0]);
    tiff.extend(0u32.to_le_bytes());
    let mut app1 = b"Exif\0\0".to_vec();
    app1.extend(tiff);
    let mut out = plain[..2].to_vec();
    out.extend([0xFF, 0xE1]);
    out.extend(((app1.len() + 2) as u16).to_be_bytes());
    out.extend(app1);
    out.extend(&plain[2..]);
    out
}
