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

/// The CRC-32 of PNG chunks (IEEE, reflected), bit by bit: test files only.
fn crc32(bytes: &[u8]) -> u32 {
    let mut crc = !0u32;
    for &b in bytes {
        crc ^= u32::from(b);
        for _ in 0..8 {
            crc = if crc & 1 == 1 {
                (crc >> 1) ^ 0xEDB8_8320
            } else {
                crc >> 1
            };
        }
    }
    !crc
}

fn chunk(kind: &[u8; 4], data: &[u8]) -> Vec<u8> {
    let mut out = (data.len() as u32).to_be_bytes().to_vec();
    let mut body = kind.to_vec();
    body.extend_from_slice(data);
    out.extend_from_slice(&body);
    out.extend_from_slice(&crc32(&body).to_be_bytes());
    out
}

/// A PNG of a few hundred bytes whose header claims `side` × `side` pixels (the rest is
/// one small compressed block of zeros): a decompression bomb when `side` is large.
pub fn png_claiming(side: u32) -> Vec<u8> {
    let mut out = b"\x89PNG\r\n\x1a\n".to_vec();
    let mut ihdr = side.to_be_bytes().to_vec();
    ihdr.extend_from_slice(&side.to_be_bytes());
    ihdr.extend_from_slice(&[8, 2, 0, 0, 0]); // 8-bit RGB
    out.extend(chunk(b"IHDR", &ihdr));
    // A zlib stream of a stored block of 256 zero bytes.
    let mut idat = vec![0x78, 0x01, 0x01, 0x00, 0x01, 0xFF, 0xFE];
    idat.extend_from_slice(&[0; 256]);
    idat.extend_from_slice(&[0, 0, 0, 1]);
    out.extend(chunk(b"IDAT", &idat));
    out.extend(chunk(b"IEND", &[]));
    out
}

#[cfg(test)]
mod tests {
    #[test]
    fn the_crc_is_pngs() {
        // The IEND chunk's CRC, as every PNG ends.
        assert_eq!(super::crc32(b"IEND"), 0xAE42_6082);
    }
}
