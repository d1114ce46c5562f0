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
    for v in item["variants"].as_array().unwrap() {
        let bytes = client
            .get(v["url"].as_str().unwrap(), None)
            .await
            .bytes()
            .await
            .unwrap();
        assert!(!bytes.windows(4).any(|w| w == b"Exif"), "{v}");
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
    let huge = client
        .request(reqwest::Method::POST, "/api/media", Some(&ada))
        .header(
            header::CONTENT_TYPE,
            format!("multipart/form-data; boundary={BOUNDARY}"),
        )
        .header(header::CONTENT_LENGTH, (200u64 << 20).to_string())
        .body(vec![0u8; 64 * 1024])
        .send()
        .await;
    if let Ok(huge) = huge {
        assert_eq!(huge.status(), StatusCode::PAYLOAD_TOO_LARGE);
    }
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
