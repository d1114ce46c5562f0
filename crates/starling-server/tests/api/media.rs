//! Media (docs/API.md, "Media"): uploads typed from their bytes, images served without
//! metadata in every size, byte ranges and ETags, attachment to tweets and versions, and
//! the documented refusal of each bad file.

use crate::support::{Client, expect_status, id_of, spawn};
use reqwest::StatusCode;
use reqwest::header;
use serde_json::{Value, json};

const BOUNDARY: &str = "starling-test-boundary";

/// A multipart form with `file` (and `altText` if given).
fn form(file: &[u8], alt: Option<&str>) -> Vec<u8> {
    let mut body = Vec::new();
    if let Some(alt) = alt {
        body.extend(
            format!(
                "--{BOUNDARY}\r\nContent-Disposition: form-data; name=\"altText\"\r\n\r\n{alt}\r\n"
            )
            .as_bytes(),
        );
    }
    // The declared name and type lie: only the bytes count.
    body.extend(format!(
        "--{BOUNDARY}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"cat.gif\"\r\n\
         Content-Type: text/plain\r\n\r\n"
    ).as_bytes());
    body.extend(file);
    body.extend(format!("\r\n--{BOUNDARY}--\r\n").as_bytes());
    body
}

async fn upload(client: &Client, token: &str, file: &[u8], alt: Option<&str>) -> reqwest::Response {
    client
        .request(reqwest::Method::POST, "/api/media", Some(token))
        .header(
            header::CONTENT_TYPE,
            format!("multipart/form-data; boundary={BOUNDARY}"),
        )
        .body(form(file, alt))
        .send()
        .await
        .expect("upload")
}

/// Files under `dir`, at any depth (0 if it does not exist).
fn count_files(dir: &std::path::Path) -> usize {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return 0;
    };
    entries
        .flatten()
        .map(|e| {
            let path = e.path();
            if path.is_dir() { count_files(&path) } else { 1 }
        })
        .sum()
}

/// Every JPEG segment marker before the image data: what metadata a file carries.
fn jpeg_markers(bytes: &[u8]) -> Vec<u8> {
    assert_eq!(&bytes[..2], b"\xFF\xD8", "a JPEG");
    let mut markers = Vec::new();
    let mut at = 2;
    while at + 4 <= bytes.len() && bytes[at] == 0xFF {
        let marker = bytes[at + 1];
        markers.push(marker);
        if marker == 0xDA {
            break;
        }
        let len = u16::from_be_bytes([bytes[at + 2], bytes[at + 3]]) as usize;
        at += 2 + len;
    }
    markers
}

/// Every tag exiftool finds in `bytes`, as `Group:Tag` (`EXIF:GPSLatitudeRef`…).
fn metadata(bytes: &[u8]) -> Vec<String> {
    let file = tempfile::NamedTempFile::new().unwrap();
    std::fs::write(file.path(), bytes).unwrap();
    let out = std::process::Command::new("exiftool")
        .args(["-j", "-G", "-a"])
        .arg(file.path())
        .output()
        .expect("exiftool is installed (scripts/test.sh installs libimage-exiftool-perl)");
    let tags: Value = serde_json::from_slice(&out.stdout).expect("exiftool JSON");
    tags[0]
        .as_object()
        .unwrap()
        .keys()
        .filter(|k| k.contains(':'))
        .cloned()
        .collect()
}

#[tokio::test]
async fn an_image_is_stored_stripped_served_and_attached() {
    let app = spawn(|_| {}).await;
    let client = &app.client();
    let (_, ada) = client.register("ada").await;
    let (_, bob) = client.register("bob").await;

    let jpeg = starling_media::testing::jpeg_with_exif(1600, 800, 6);
    assert!(
        jpeg_markers(&jpeg).contains(&0xE1),
        "the upload carries EXIF"
    );
    let item = expect_status(
        upload(client, &ada, &jpeg, Some("a red and blue flag")).await,
        StatusCode::CREATED,
    )
    .await;
    assert_eq!(item["type"], "image");
    assert_eq!(item["state"], "ready");
    assert_eq!(item["altText"], "a red and blue flag");
    // Turned upright from its EXIF orientation.
    assert_eq!(
        (item["width"].as_u64(), item["height"].as_u64()),
        (Some(800), Some(1600))
    );
    assert_eq!(item["blurhash"].as_str().map(str::len), Some(28));
    let variants: Vec<(String, String)> = item["variants"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| {
            (
                v["name"].as_str().unwrap().to_owned(),
                v["contentType"].as_str().unwrap().to_owned(),
            )
        })
        .collect();
    for w in ["w150", "w360", "w680"] {
        assert!(
            variants.contains(&(w.into(), "image/webp".into())),
            "{variants:?}"
        );
        assert!(
            variants.contains(&(w.into(), "image/jpeg".into())),
            "{variants:?}"
        );
    }
    assert!(
        !variants.iter().any(|(n, _)| n == "w1200"),
        "never wider than the original"
    );

    // Every served file is free of metadata; the original is a JPEG with no APP1.
    let url = item["url"].as_str().unwrap().to_owned();
    let served = client.get(&url, None).await;
    assert_eq!(served.status(), StatusCode::OK);
    let h = served.headers().clone();
    assert_eq!(h[header::CONTENT_TYPE], "image/jpeg");
    assert_eq!(h[header::X_CONTENT_TYPE_OPTIONS], "nosniff");
    assert_eq!(
        h[header::CACHE_CONTROL],
        "public, max-age=31536000, immutable"
    );
    assert!(
        h[header::CONTENT_SECURITY_POLICY]
            .to_str()
            .unwrap()
            .contains("sandbox")
    );
    let etag = h[header::ETAG].to_str().unwrap().to_owned();
    let original = served.bytes().await.unwrap();
    let markers = jpeg_markers(&original);
    assert!(
        !markers
            .iter()
            .any(|m| (0xE1..=0xEF).contains(m) || *m == 0xFE),
        "{markers:x?}"
    );
    let mut served_files = vec![original.to_vec()];
    for v in item["variants"].as_array().unwrap() {
        let url = v["url"].as_str().unwrap();
        served_files.push(client.get(url, None).await.bytes().await.unwrap().to_vec());
    }
    // exiftool reads every metadata block it knows: none but the file's own facts remain.
    let upload_tags = metadata(&jpeg);
    assert!(
        upload_tags.iter().any(|t| t == "EXIF:GPSLatitudeRef"),
        "{upload_tags:?}"
    );
    for bytes in served_files {
        let tags = metadata(&bytes);
        let plain = ["ExifTool", "File", "RIFF", "JFIF", "Composite", "PNG"];
        assert!(
            tags.iter()
                .all(|t| plain.iter().any(|g| t.starts_with(&format!("{g}:")))
                    && !t.contains("GPS")
                    && t != "File:Comment"),
            "metadata left: {tags:?}"
        );
    }
    // A strong ETag and byte ranges.
    let again = client
        .request(reqwest::Method::GET, &url, None)
        .header(header::IF_NONE_MATCH, &etag)
        .send()
        .await
        .unwrap();
    assert_eq!(again.status(), StatusCode::NOT_MODIFIED);
    let part = client
        .request(reqwest::Method::GET, &url, None)
        .header(header::RANGE, "bytes=2-11")
        .send()
        .await
        .unwrap();
    assert_eq!(part.status(), StatusCode::PARTIAL_CONTENT);
    assert_eq!(
        part.headers()[header::CONTENT_RANGE],
        format!("bytes 2-11/{}", original.len()).as_str()
    );
    assert_eq!(&part.bytes().await.unwrap()[..], &original[2..12]);
    let beyond = client
        .request(reqwest::Method::GET, &url, None)
        .header(header::RANGE, format!("bytes={}-", original.len() + 10))
        .send()
        .await
        .unwrap();
    assert_eq!(beyond.status(), StatusCode::RANGE_NOT_SATISFIABLE);
    let missing = client
        .get(&format!("/media/{}.jpg", "0".repeat(64)), None)
        .await;
    assert_eq!(missing.status(), StatusCode::NOT_FOUND);

    // Only its owner sees and describes it before it is posted.
    let id = item["id"].as_str().unwrap().to_owned();
    expect_status(
        client.get(&format!("/api/media/{id}"), Some(&bob)).await,
        StatusCode::NOT_FOUND,
    )
    .await;
    let patched = client
        .request(
            reqwest::Method::PATCH,
            &format!("/api/media/{id}"),
            Some(&ada),
        )
        .json(&json!({"altText": "a flag"}))
        .send()
        .await
        .unwrap();
    assert_eq!(
        expect_status(patched, StatusCode::OK).await["altText"],
        "a flag"
    );

    // Attached, with no words; shown with its tweet in every read.
    let tweet = expect_status(
        client
            .post(
                "/api/tweets",
                Some(&ada),
                &json!({"content": "", "mediaIds": [id]}),
            )
            .await,
        StatusCode::CREATED,
    )
    .await;
    assert_eq!(tweet["media"][0]["id"], id.as_str());
    assert_eq!(tweet["media"][0]["altText"], "a flag");
    let read = client
        .get_ok(&format!("/api/tweets/{}", id_of(&tweet)), Some(&bob))
        .await;
    assert_eq!(read["media"], tweet["media"]);
    let listed = client.get_ok("/api/tweets", None).await;
    assert_eq!(listed["items"][0]["media"][0]["url"], url.as_str());
    // Taken, and described for good.
    let twice = client
        .post(
            "/api/tweets",
            Some(&ada),
            &json!({"content": "again", "mediaIds": [id]}),
        )
        .await;
    assert_eq!(
        expect_status(twice, StatusCode::CONFLICT).await["error"]["code"],
        "media_in_use"
    );
    let late = client
        .request(
            reqwest::Method::PATCH,
            &format!("/api/media/{id}"),
            Some(&ada),
        )
        .json(&json!({"altText": "changed"}))
        .send()
        .await
        .unwrap();
    assert_eq!(
        expect_status(late, StatusCode::CONFLICT).await["error"]["code"],
        "media_attached"
    );
    // Someone else's item answers as missing; no words and no media is refused.
    let theirs = client
        .post(
            "/api/tweets",
            Some(&bob),
            &json!({"content": "x", "mediaIds": [id]}),
        )
        .await;
    assert_eq!(
        expect_status(theirs, StatusCode::NOT_FOUND).await["error"]["code"],
        "media_not_found"
    );
    let empty = client
        .post("/api/tweets", Some(&ada), &json!({"content": ""}))
        .await;
    expect_status(empty, StatusCode::UNPROCESSABLE_ENTITY).await;
    // The version history keeps the media of each version.
    let edited = client
        .put(
            &format!("/api/tweets/{}", id_of(&tweet)),
            Some(&ada),
            &json!({"content": "now with words", "mediaIds": []}),
        )
        .await;
    assert_eq!(
        expect_status(edited, StatusCode::OK).await["media"],
        json!([])
    );
    let versions = client
        .get_ok(
            &format!("/api/tweets/{}/versions", id_of(&tweet)),
            Some(&ada),
        )
        .await;
    let media: Vec<usize> = versions["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v["media"].as_array().unwrap().len())
        .collect();
    assert_eq!(media, vec![1, 0]);
}

#[tokio::test]
async fn bad_files_get_their_documented_answer_and_leave_nothing() {
    let app = spawn(|_| {}).await;
    let client = &app.client();
    let (_, ada) = client.register("ada").await;
    let code = |v: Value| v["error"]["code"].as_str().unwrap_or_default().to_owned();

    let blobs = || count_files(&app.data_dir().join("media"));
    assert_eq!(blobs(), 0);
    // A 100,000 x 100,000 PNG of a few hundred bytes: refused from its header, unread.
    let bomb = starling_media::testing::png_claiming(100_000);
    assert!(bomb.len() < 1024);
    let r = expect_status(
        upload(client, &ada, &bomb, None).await,
        StatusCode::UNPROCESSABLE_ENTITY,
    )
    .await;
    assert!(
        r["error"]["message"].as_str().unwrap().contains("pixels"),
        "{r}"
    );
    let svg = b"<?xml version=\"1.0\"?><svg xmlns=\"http://www.w3.org/2000/svg\" onload=\"alert(1)\"></svg>";
    let r = expect_status(
        upload(client, &ada, svg, None).await,
        StatusCode::UNSUPPORTED_MEDIA_TYPE,
    )
    .await;
    assert!(
        r["error"]["message"].as_str().unwrap().contains("SVG"),
        "{r}"
    );
    let pdf =
        b"%PDF-1.7\n%\xE2\xE3\xCF\xD3\n1 0 obj << /Type /Catalog >> endobj\ntrailer << >>\n%%EOF\n";
    assert_eq!(
        code(
            expect_status(
                upload(client, &ada, pdf, None).await,
                StatusCode::UNSUPPORTED_MEDIA_TYPE
            )
            .await
        ),
        "unsupported_media_type"
    );
    assert_eq!(
        code(
            expect_status(
                upload(client, &ada, b"", None).await,
                StatusCode::UNPROCESSABLE_ENTITY
            )
            .await
        ),
        "invalid_media"
    );

    let jpeg = starling_media::testing::jpeg_with_exif(64, 64, 1);
    let truncated = &jpeg[..jpeg.len() / 2];
    assert_eq!(
        code(
            expect_status(
                upload(client, &ada, truncated, None).await,
                StatusCode::UNPROCESSABLE_ENTITY
            )
            .await
        ),
        "invalid_media"
    );
    let mut corrupt = jpeg.clone();
    for b in corrupt.iter_mut().skip(200).take(200) {
        *b = 0xFF;
    }
    let answer = upload(client, &ada, &corrupt, None).await;
    assert!(
        matches!(answer.status().as_u16(), 201 | 422),
        "{}",
        answer.status()
    );

    // Nothing refused left a file behind.
    assert_eq!(blobs(), 0, "refused uploads left files");
    // A JPEG with an HTML page after it (a polyglot): served re-encoded, without it.
    let mut polyglot = starling_media::testing::jpeg_with_exif(64, 64, 1);
    polyglot.extend(b"<html><script>alert(1)</script></html>");
    let item = expect_status(
        upload(client, &ada, &polyglot, None).await,
        StatusCode::CREATED,
    )
    .await;
    let served = client
        .get(item["url"].as_str().unwrap(), None)
        .await
        .bytes()
        .await
        .unwrap();
    assert!(!served.windows(7).any(|w| w == b"<script"));

    // Not multipart; a declared length over the limit is refused before it is read.
    let plain = client
        .post("/api/media", Some(&ada), &json!({"file": "x"}))
        .await;
    assert_eq!(
        code(expect_status(plain, StatusCode::UNSUPPORTED_MEDIA_TYPE).await),
        "unsupported_media_type"
    );
    // 120 MiB really sent: the answer comes from the declared length at once, and the
    // client reads it (the rest is read and dropped, not reset under it).
    let huge = client
        .request(reqwest::Method::POST, "/api/media", Some(&ada))
        .header(
            header::CONTENT_TYPE,
            format!("multipart/form-data; boundary={BOUNDARY}"),
        )
        .body(vec![0u8; 120 << 20])
        .send()
        .await
        .expect("the 413 is read, not reset");
    assert_eq!(huge.status(), StatusCode::PAYLOAD_TOO_LARGE);
    assert_eq!(
        huge.json::<Value>().await.unwrap()["error"]["code"],
        "payload_too_large"
    );
    // An image over 16 MiB (its bytes, whatever it claims to be).
    let mut big = starling_media::testing::jpeg_with_exif(16, 16, 1);
    big.resize(17 << 20, 0);
    let r = upload(client, &ada, &big, None).await;
    assert_eq!(r.status(), StatusCode::PAYLOAD_TOO_LARGE);
    // Without auth.
    let anon = client
        .request(reqwest::Method::POST, "/api/media", None)
        .header(
            header::CONTENT_TYPE,
            format!("multipart/form-data; boundary={BOUNDARY}"),
        )
        .body(form(&jpeg, None))
        .send()
        .await
        .unwrap();
    assert_eq!(anon.status(), StatusCode::UNAUTHORIZED);
}

/// Run ffmpeg to make a test file (lavfi test sources: no input file).
fn ffmpeg(args: &[&str]) {
    let status = std::process::Command::new("ffmpeg")
        .args(["-nostdin", "-hide_banner", "-loglevel", "error", "-y"])
        .args(args)
        .status()
        .expect("ffmpeg is installed (scripts/test.sh installs Debian's)");
    assert!(status.success(), "ffmpeg {args:?}");
}

async fn until_processed(client: &Client, token: &str, id: &str) -> Value {
    crate::support::eventually(std::time::Duration::from_secs(60), "processing", || async {
        let m = client
            .get_ok(&format!("/api/media/{id}"), Some(token))
            .await;
        (m["state"] != "processing").then_some(m)
    })
    .await
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn video_and_animated_gifs_become_mp4_and_long_ones_are_refused() {
    let app =
        spawn(|c| c.engine.media.max_video_duration = std::time::Duration::from_secs(3)).await;
    let client = &app.client();
    let (_, ada) = client.register("ada").await;
    let dir = tempfile::tempdir().unwrap();
    let path = |name: &str| dir.path().join(name).to_string_lossy().into_owned();
    ffmpeg(&[
        "-f",
        "lavfi",
        "-i",
        "testsrc=duration=2:size=320x240:rate=25",
        "-f",
        "lavfi",
        "-i",
        "sine=frequency=440:duration=2",
        "-metadata",
        "location=+40.7128-074.0060/",
        "-metadata",
        "title=secret-title",
        "-c:v",
        "libx264",
        "-pix_fmt",
        "yuv420p",
        "-c:a",
        "aac",
        "-shortest",
        &path("clip.mp4"),
    ]);
    ffmpeg(&[
        "-f",
        "lavfi",
        "-i",
        "testsrc=duration=2:size=320x240:rate=25",
        "-c:v",
        "libvpx-vp9",
        "-b:v",
        "200k",
        &path("clip.webm"),
    ]);
    ffmpeg(&[
        "-f",
        "lavfi",
        "-i",
        "testsrc=duration=1:size=64x48:rate=10",
        &path("moving.gif"),
    ]);
    ffmpeg(&[
        "-f",
        "lavfi",
        "-i",
        "testsrc=duration=5:size=160x120:rate=10",
        "-c:v",
        "libx264",
        "-pix_fmt",
        "yuv420p",
        &path("long.mp4"),
    ]);
    let read = |name: &str| std::fs::read(path(name)).unwrap();

    for (name, kind) in [
        ("clip.mp4", "video"),
        ("clip.webm", "video"),
        ("moving.gif", "gif"),
    ] {
        let item = expect_status(
            upload(client, &ada, &read(name), None).await,
            StatusCode::ACCEPTED,
        )
        .await;
        assert_eq!(item["state"], "processing", "{name}");
        assert_eq!(item["type"], kind, "{name}");
        // Not attachable until ready.
        let id = item["id"].as_str().unwrap().to_owned();
        let m = until_processed(client, &ada, &id).await;
        assert_eq!(m["state"], "ready", "{name}: {m}");
        assert!(m["durationMs"].as_u64().unwrap() >= 900, "{m}");
        assert_eq!(
            m["previewUrl"].as_str().map(|u| u.ends_with(".jpg")),
            Some(true),
            "{m}"
        );
        let url = m["url"].as_str().unwrap();
        assert!(url.ends_with(".mp4"), "{m}");
        let served = client.get(url, None).await;
        assert_eq!(served.headers()[header::CONTENT_TYPE], "video/mp4");
        let mp4 = served.bytes().await.unwrap();
        // faststart: the index (moov) before the media data (mdat).
        let at = |box_name: &[u8]| mp4.windows(4).position(|w| w == box_name).unwrap();
        assert!(at(b"moov") < at(b"mdat"), "{name} is not faststart");
        assert!(
            !mp4.windows(8).any(|w| w == b"+40.7128"),
            "{name} kept its location"
        );
        assert!(
            !mp4.windows(12).any(|w| w == b"secret-title"),
            "{name} kept its title"
        );
        let poster = client
            .get(m["previewUrl"].as_str().unwrap(), None)
            .await
            .bytes()
            .await
            .unwrap();
        assert_eq!(&poster[..2], b"\xFF\xD8");
        let tweet = client
            .post(
                "/api/tweets",
                Some(&ada),
                &json!({"content": name, "mediaIds": [id]}),
            )
            .await;
        assert_eq!(
            expect_status(tweet, StatusCode::CREATED).await["media"][0]["type"],
            kind
        );
    }

    // Longer than the limit (3 s here): refused while the upload waits, nothing kept.
    let long = expect_status(
        upload(client, &ada, &read("long.mp4"), None).await,
        StatusCode::UNPROCESSABLE_ENTITY,
    )
    .await;
    assert_eq!(long["error"]["code"], "invalid_media");
    assert!(
        long["error"]["message"].as_str().unwrap().contains("long"),
        "{long}"
    );
    // An MP4 cut in half: ffprobe may still read its header; either way no 5xx.
    let mut cut = read("clip.mp4");
    cut.truncate(cut.len() / 3);
    let answer = upload(client, &ada, &cut, None).await;
    assert!(
        matches!(answer.status().as_u16(), 202 | 422),
        "{}",
        answer.status()
    );
    if answer.status() == StatusCode::ACCEPTED {
        let id = answer.json::<Value>().await.unwrap()["id"]
            .as_str()
            .unwrap()
            .to_owned();
        let m = until_processed(client, &ada, &id).await;
        assert!(m["state"] == "failed" || m["state"] == "ready", "{m}");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn unattached_uploads_and_their_blobs_are_swept_but_attached_ones_stay() {
    let app = spawn(|c| {
        c.engine.media.unattached_ttl = std::time::Duration::ZERO;
        c.engine.media.blob_grace = std::time::Duration::ZERO;
        c.engine.media.sweep_interval = std::time::Duration::from_millis(200);
    })
    .await;
    let client = &app.client();
    let (_, ada) = client.register("ada").await;
    let kept = expect_status(
        upload(
            client,
            &ada,
            &starling_media::testing::jpeg_with_exif(64, 32, 1),
            None,
        )
        .await,
        StatusCode::CREATED,
    )
    .await;
    let id = kept["id"].as_str().unwrap();
    expect_status(
        client
            .post(
                "/api/tweets",
                Some(&ada),
                &json!({"content": "", "mediaIds": [id]}),
            )
            .await,
        StatusCode::CREATED,
    )
    .await;
    let left = expect_status(
        upload(
            client,
            &ada,
            &starling_media::testing::jpeg_with_exif(48, 32, 1),
            None,
        )
        .await,
        StatusCode::CREATED,
    )
    .await;
    let left_id = left["id"].as_str().unwrap();
    crate::support::eventually(std::time::Duration::from_secs(20), "the sweep", || async {
        let gone = client
            .get(&format!("/api/media/{left_id}"), Some(&ada))
            .await
            .status()
            == StatusCode::NOT_FOUND;
        let blob_gone = client
            .get(left["url"].as_str().unwrap(), None)
            .await
            .status()
            == StatusCode::NOT_FOUND;
        (gone && blob_gone).then_some(())
    })
    .await;
    // The attached item and every file of it are still there.
    assert_eq!(
        client
            .get(&format!("/api/media/{id}"), Some(&ada))
            .await
            .status(),
        StatusCode::OK
    );
    for v in kept["variants"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v["url"].as_str().unwrap())
        .chain([kept["url"].as_str().unwrap()])
    {
        assert_eq!(client.get(v, None).await.status(), StatusCode::OK, "{v}");
    }
}

/// A form with `content`, files in `media` and their `altText`s, in that order.
fn tweet_form(content: &str, files: &[(&[u8], &str)]) -> Vec<u8> {
    let mut body = format!(
        "--{BOUNDARY}\r\nContent-Disposition: form-data; name=\"content\"\r\n\r\n{content}\r\n"
    )
    .into_bytes();
    for (file, alt) in files {
        body.extend(
            format!(
                "--{BOUNDARY}\r\nContent-Disposition: form-data; name=\"altText\"\r\n\r\n{alt}\r\n\
                 --{BOUNDARY}\r\nContent-Disposition: form-data; name=\"media\"; filename=\"x\"\r\n\r\n"
            )
            .as_bytes(),
        );
        body.extend(*file);
        body.extend(b"\r\n");
    }
    body.extend(format!("--{BOUNDARY}--\r\n").as_bytes());
    body
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_tweet_and_its_files_can_be_posted_in_one_form() {
    let app = spawn(|_| {}).await;
    let client = &app.client();
    let (_, ada) = client.register("ada").await;
    let post = |body: Vec<u8>| {
        client
            .request(reqwest::Method::POST, "/api/tweets", Some(&ada))
            .header(
                header::CONTENT_TYPE,
                format!("multipart/form-data; boundary={BOUNDARY}"),
            )
            .body(body)
            .send()
    };
    let one = starling_media::testing::jpeg_with_exif(64, 32, 1);
    let two = starling_media::testing::jpeg_with_exif(32, 64, 1);
    let tweet = expect_status(
        post(tweet_form(
            "two flags",
            &[(&one, "first"), (&two, "second")],
        ))
        .await
        .unwrap(),
        StatusCode::CREATED,
    )
    .await;
    assert_eq!(tweet["content"], "two flags");
    let alts: Vec<&str> = tweet["media"]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| m["altText"].as_str().unwrap())
        .collect();
    assert_eq!(alts, vec!["first", "second"]);
    assert_eq!(tweet["media"][0]["width"], 64);

    // A video waits for its processing, then the tweet is made.
    let dir = tempfile::tempdir().unwrap();
    let clip = dir.path().join("clip.webm");
    ffmpeg(&[
        "-f",
        "lavfi",
        "-i",
        "testsrc=duration=1:size=160x120:rate=10",
        "-c:v",
        "libvpx-vp9",
        &clip.to_string_lossy(),
    ]);
    let video = std::fs::read(&clip).unwrap();
    let tweet = expect_status(
        post(tweet_form("", &[(&video, "")])).await.unwrap(),
        StatusCode::CREATED,
    )
    .await;
    assert_eq!(tweet["media"][0]["type"], "video");
    assert_eq!(tweet["content"], "");

    // Refusals are those of the upload endpoint; nothing is posted.
    let svg = b"<svg xmlns=\"http://www.w3.org/2000/svg\"><script>alert(1)</script></svg>";
    let refused = post(tweet_form("no", &[(svg, "")])).await.unwrap();
    assert_eq!(refused.status(), StatusCode::UNSUPPORTED_MEDIA_TYPE);
    let five: Vec<(&[u8], &str)> = (0..5).map(|_| (&one[..], "")).collect();
    assert_eq!(
        post(tweet_form("five", &five)).await.unwrap().status(),
        StatusCode::UNPROCESSABLE_ENTITY
    );
    let mine = client.get_ok("/api/tweets?limit=10", None).await;
    assert_eq!(mine["items"].as_array().unwrap().len(), 2, "{mine}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn png_text_chunks_and_webp_are_accepted_clean() {
    let app = spawn(|_| {}).await;
    let client = &app.client();
    let (_, ada) = client.register("ada").await;
    let dir = tempfile::tempdir().unwrap();
    let png = dir.path().join("notes.png");
    let webp = dir.path().join("photo.webp");
    ffmpeg(&[
        "-f",
        "lavfi",
        "-i",
        "testsrc=size=320x200",
        "-frames:v",
        "1",
        &png.to_string_lossy(),
    ]);
    ffmpeg(&[
        "-f",
        "lavfi",
        "-i",
        "testsrc=size=320x200",
        "-frames:v",
        "1",
        "-c:v",
        "libwebp",
        &webp.to_string_lossy(),
    ]);
    let tagged = std::process::Command::new("exiftool")
        .args([
            "-q",
            "-overwrite_original",
            "-PNG:Comment=my home address",
            "-XMP-dc:Description=secret",
        ])
        .arg(&png)
        .status()
        .expect("exiftool");
    assert!(tagged.success());
    let png = std::fs::read(&png).unwrap();
    assert!(
        metadata(&png).iter().any(|t| t.starts_with("XMP")),
        "{:?}",
        metadata(&png)
    );
    for (bytes, name) in [(png, "png"), (std::fs::read(&webp).unwrap(), "webp")] {
        let item = expect_status(
            upload(client, &ada, &bytes, None).await,
            StatusCode::CREATED,
        )
        .await;
        assert_eq!(
            (item["width"].as_u64(), item["height"].as_u64()),
            (Some(320), Some(200)),
            "{name}"
        );
        let mut urls = vec![item["url"].as_str().unwrap().to_owned()];
        urls.extend(
            item["variants"]
                .as_array()
                .unwrap()
                .iter()
                .map(|v| v["url"].as_str().unwrap().to_owned()),
        );
        for url in urls {
            let served = client.get(&url, None).await.bytes().await.unwrap();
            assert!(
                !served.windows(14).any(|w| w == b"my home addres"),
                "{name}: {url}"
            );
            let tags = metadata(&served);
            assert!(
                !tags
                    .iter()
                    .any(|t| t.starts_with("XMP") || t.contains("Comment")),
                "{name}: {tags:?}"
            );
        }
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_flood_of_uploads_gets_503_with_retry_after_not_an_out_of_memory_kill() {
    let app = spawn(|c| {
        c.engine.media.jobs = 1;
        c.engine.media.queue = 0;
        c.engine.media.max_receiving = 2;
    })
    .await;
    let client = app.client();
    let (_, ada) = client.register("ada").await;
    let photo = std::sync::Arc::new(starling_media::testing::jpeg_with_exif(1600, 1200, 1));
    let mut tasks = Vec::new();
    for _ in 0..12 {
        let (client, ada, photo) = (client.clone(), ada.clone(), photo.clone());
        tasks.push(tokio::spawn(async move {
            let r = upload(&client, &ada, &photo, None).await;
            let retry = r.headers().get(header::RETRY_AFTER).is_some();
            (r.status(), retry)
        }));
    }
    let mut made = 0;
    let mut refused = 0;
    for t in tasks {
        match t.await.unwrap() {
            (StatusCode::CREATED, _) => made += 1,
            (StatusCode::SERVICE_UNAVAILABLE, true) => refused += 1,
            other => panic!("unexpected answer {other:?}"),
        }
    }
    assert!(made >= 1, "none went through");
    assert!(refused >= 1, "a flood of 12 against 2 places refused none");
    // And the server still serves.
    assert_eq!(
        client.get("/api/health", None).await.status(),
        StatusCode::OK
    );
}
