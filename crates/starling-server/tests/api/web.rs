//! The web UI's files and compression (issue 13, "Fast on a phone"): hashed assets cached
//! for good, the HTML shell revalidated, precompressed copies chosen by Accept-Encoding,
//! no source maps, and API answers compressed above 1 KiB.

use crate::support::spawn;
use reqwest::StatusCode;
use reqwest::header;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn assets_are_cached_for_good_the_shell_revalidated_and_compressed_copies_chosen() {
    let web = tempfile::tempdir().unwrap();
    let assets = web.path().join("assets");
    std::fs::create_dir_all(&assets).unwrap();
    std::fs::write(
        web.path().join("index.html"),
        "<!doctype html><title>Starling</title>",
    )
    .unwrap();
    std::fs::write(web.path().join("index.html.br"), "BROTLI-SHELL").unwrap();
    std::fs::write(assets.join("index-AbC123.js"), "console.log('hello')").unwrap();
    std::fs::write(assets.join("index-AbC123.js.br"), "BROTLI-BYTES").unwrap();
    std::fs::write(assets.join("index-AbC123.js.gz"), "GZIP-BYTES").unwrap();
    std::fs::write(assets.join("index-AbC123.js.map"), "{\"sources\":[]}").unwrap();
    let dir = web.path().to_path_buf();
    let app = spawn(move |c| c.api.web_dir = Some(dir)).await;
    let get = |path: &'static str, encoding: Option<&'static str>| {
        let mut req = app.request(reqwest::Method::GET, path, None);
        if let Some(e) = encoding {
            req = req.header(header::ACCEPT_ENCODING, e);
        }
        req.send()
    };

    let plain = get("/assets/index-AbC123.js", None).await.unwrap();
    assert_eq!(plain.status(), StatusCode::OK);
    assert_eq!(
        plain.headers()[header::CACHE_CONTROL],
        "public, max-age=31536000, immutable"
    );
    assert!(plain.headers().get(header::CONTENT_ENCODING).is_none());
    assert_eq!(plain.text().await.unwrap(), "console.log('hello')");

    let br = get("/assets/index-AbC123.js", Some("gzip, deflate, br"))
        .await
        .unwrap();
    assert_eq!(br.headers()[header::CONTENT_ENCODING], "br");
    assert_eq!(
        br.headers()[header::CACHE_CONTROL],
        "public, max-age=31536000, immutable"
    );
    assert_eq!(br.text().await.unwrap(), "BROTLI-BYTES");
    let gz = get("/assets/index-AbC123.js", Some("gzip")).await.unwrap();
    assert_eq!(gz.headers()[header::CONTENT_ENCODING], "gzip");
    assert_eq!(gz.text().await.unwrap(), "GZIP-BYTES");

    // The shell and the app's routes (answered with the shell): revalidated every time.
    for path in ["/", "/home", "/tweets/123"] {
        let shell = get(path, Some("br")).await.unwrap();
        assert_eq!(shell.status(), StatusCode::OK, "{path}");
        assert_eq!(shell.headers()[header::CACHE_CONTROL], "no-cache", "{path}");
        assert_eq!(shell.headers()[header::CONTENT_ENCODING], "br", "{path}");
    }
    // No source maps, even left in the directory; a missing asset is not cached.
    let map = get("/assets/index-AbC123.js.map", None).await.unwrap();
    assert_eq!(map.status(), StatusCode::NOT_FOUND);
    let missing = get("/assets/gone-123.js", None).await.unwrap();
    assert_ne!(
        missing
            .headers()
            .get(header::CACHE_CONTROL)
            .map(|v| v.to_str().unwrap()),
        Some("public, max-age=31536000, immutable")
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn api_answers_are_compressed_above_a_kilobyte_when_accepted() {
    let app = spawn(|_| {}).await;
    let (_, token) = app.register("ada").await;
    for i in 0..20 {
        app.post_tweet(
            &token,
            &format!("tweet number {i} with some words to fill it #starling"),
        )
        .await;
    }
    let page = |encoding: Option<&'static str>| {
        let mut req = app.request(reqwest::Method::GET, "/api/tweets?limit=20", None);
        if let Some(e) = encoding {
            req = req.header(header::ACCEPT_ENCODING, e);
        }
        req.send()
    };
    let plain = page(None).await.unwrap();
    assert!(plain.headers().get(header::CONTENT_ENCODING).is_none());
    let plain_len = plain.bytes().await.unwrap().len();
    assert!(plain_len > 4096, "{plain_len}");
    for encoding in ["br", "gzip"] {
        let packed = page(Some(encoding)).await.unwrap();
        assert_eq!(packed.headers()[header::CONTENT_ENCODING], encoding);
        let len = packed.bytes().await.unwrap().len();
        assert!(len * 3 < plain_len, "{encoding}: {len} of {plain_len}");
    }
    // Small answers are sent as they are.
    let small = app
        .request(reqwest::Method::GET, "/api/health", None)
        .header(header::ACCEPT_ENCODING, "br")
        .send()
        .await
        .unwrap();
    assert!(small.headers().get(header::CONTENT_ENCODING).is_none());
}
