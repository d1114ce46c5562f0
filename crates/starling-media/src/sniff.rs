//! What an upload is, from its first bytes (magic numbers), never from its name or the
//! `Content-Type` the client declared.

/// The formats Starling accepts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Jpeg,
    Png,
    Gif,
    Webp,
    Mp4,
    Mov,
    Webm,
}

/// Bytes [`sniff`] needs to decide (the longest signature it reads).
pub const SNIFF_BYTES: usize = 64;

impl Format {
    pub fn is_video(self) -> bool {
        matches!(self, Format::Mp4 | Format::Mov | Format::Webm)
    }

    /// The ffmpeg demuxer to read it with: named, so ffmpeg never guesses a format from
    /// the content (a file that claims to be a playlist would otherwise make it fetch
    /// other files or URLs).
    pub fn demuxer(self) -> &'static str {
        match self {
            Format::Mp4 | Format::Mov => "mov",
            Format::Webm => "matroska",
            Format::Gif => "gif",
            Format::Jpeg => "jpeg_pipe",
            Format::Png => "png_pipe",
            Format::Webp => "webp_pipe",
        }
    }
}

/// What the bytes are, if a format Starling accepts; `Err` names what was found
/// instead, for the refusal's message.
pub fn sniff(head: &[u8]) -> Result<Format, String> {
    if looks_like_svg(head) {
        return Err("SVG images are not accepted".into());
    }
    // ISO base media (MP4, MOV, and HEIF/AVIF images, which are not accepted): the brand
    // after `ftyp` says which. Read here, since brands vary more than a matcher lists.
    if head.len() >= 12 && &head[4..8] == b"ftyp" {
        return match &head[8..12] {
            b"qt  " => Ok(Format::Mov),
            b"heic" | b"heix" | b"hevc" | b"mif1" | b"msf1" | b"avif" | b"avis" => {
                Err("HEIF and AVIF images are not accepted".into())
            }
            _ => Ok(Format::Mp4),
        };
    }
    // EBML (WebM, Matroska): the DocType near the start says which.
    if head.starts_with(b"\x1A\x45\xDF\xA3") {
        return if head.windows(4).any(|w| w == b"webm") {
            Ok(Format::Webm)
        } else {
            Err("Matroska files are not accepted (WebM is)".into())
        };
    }
    let found = infer::get(head);
    let format = match found.map(|t| t.mime_type()) {
        Some("image/jpeg") => Format::Jpeg,
        Some("image/png") => Format::Png,
        Some("image/gif") => Format::Gif,
        Some("image/webp") => Format::Webp,
        Some("video/mp4") => Format::Mp4,
        Some("video/quicktime") => Format::Mov,
        Some("video/webm") => Format::Webm,
        Some(other) => return Err(format!("{other} files are not accepted")),
        None => return Err("the file's type could not be recognised".into()),
    };
    Ok(format)
}

/// SVG has no magic number; it is refused like any other unknown type, but named.
fn looks_like_svg(head: &[u8]) -> bool {
    let text = String::from_utf8_lossy(head).to_ascii_lowercase();
    text.contains("<svg") || text.trim_start().starts_with("<?xml")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formats_are_told_by_their_bytes() {
        assert_eq!(sniff(b"\xFF\xD8\xFF\xE0\0\x10JFIF\0"), Ok(Format::Jpeg));
        assert_eq!(sniff(b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR"), Ok(Format::Png));
        assert_eq!(sniff(b"GIF89a\x01\0\x01\0"), Ok(Format::Gif));
        assert_eq!(sniff(b"RIFF\0\0\0\0WEBPVP8 "), Ok(Format::Webp));
        assert_eq!(
            sniff(b"\0\0\0\x18ftypmp42\0\0\0\0mp42isom"),
            Ok(Format::Mp4)
        );
        assert_eq!(sniff(b"\0\0\0\x14ftypqt  \0\0\0\0qt  "), Ok(Format::Mov));
        assert_eq!(
            sniff(b"\0\0\0\x20ftypisom\0\0\x02\0isomiso2avc1mp41"),
            Ok(Format::Mp4)
        );
        assert!(sniff(b"\0\0\0\x18ftypheic\0\0\0\0mif1heic").is_err());
        assert!(sniff(b"<?xml version=\"1.0\"?><svg onload=alert(1)>").is_err());
        assert!(sniff(b"%PDF-1.7\n").is_err());
        assert_eq!(
            sniff(b"\x1A\x45\xDF\xA3\x9fB\x86\x81\x01B\x82\x84webmB"),
            Ok(Format::Webm)
        );
        assert!(sniff(b"\x1A\x45\xDF\xA3\xa3B\x82\x88matroska").is_err());
        assert!(sniff(b"").is_err());
        assert!(sniff(b"hello, I am a text file").is_err());
    }
}
