//! One virtual client's connection: a single HTTP/1.1 keep-alive connection driven through
//! hyper's connection-level client (no pool, no per-request lookups), re-opened only when the
//! server closes it.

use std::sync::Arc;
use std::time::Duration;

use anyhow::{Context, Result, bail};
use bytes::Bytes;
use http_body_util::{BodyExt, Full};
use hyper::client::conn::http1::{self, SendRequest};
use hyper::header::{AUTHORIZATION, CONTENT_TYPE, HOST, HeaderMap, HeaderValue};
use hyper::{Method, Request, StatusCode, Uri};
use hyper_util::rt::TokioIo;
use tokio::net::TcpStream;

use crate::target::Target;

pub type Body = Full<Bytes>;

/// Why a request has no status to show.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Failure {
    /// The TCP connection could not be opened.
    Connect,
    /// The connection broke while the request or its answer was in flight: the server may or may
    /// not have applied it.
    Io,
    /// No answer in time (setup requests only; measured requests are bounded by the run).
    Timeout,
}

impl Failure {
    pub fn as_str(self) -> &'static str {
        match self {
            Failure::Connect => "connect",
            Failure::Io => "io",
            Failure::Timeout => "timeout",
        }
    }
}

pub type Outcome = Result<StatusCode, Failure>;

pub struct Conn {
    target: Arc<Target>,
    sender: Option<SendRequest<Body>>,
}

impl Conn {
    pub async fn connect(target: Arc<Target>) -> Result<Conn> {
        let sender = open(&target)
            .await
            .with_context(|| format!("cannot connect to {}", target.base))?;
        Ok(Conn {
            target,
            sender: Some(sender),
        })
    }

    /// A connection that opens itself on first use.
    pub fn lazy(target: Arc<Target>) -> Conn {
        Conn {
            target,
            sender: None,
        }
    }

    pub fn target(&self) -> &Target {
        &self.target
    }

    /// A sender that is ready for a request; reconnects when the server closed an idle connection,
    /// which is not a failure of any request.
    async fn ready(&mut self) -> Result<&mut SendRequest<Body>, Failure> {
        if let Some(sender) = &mut self.sender
            && sender.ready().await.is_err()
        {
            self.sender = None;
        }
        if self.sender.is_none() {
            self.sender = Some(open(&self.target).await.map_err(|_| Failure::Connect)?);
        }
        Ok(self.sender.as_mut().expect("just opened"))
    }

    /// Sends a request and drains the answer's body without keeping it (the body must be read for
    /// the connection to be reused).
    pub async fn send(&mut self, req: Request<Body>) -> Outcome {
        let sender = self.ready().await?;
        match sender.send_request(req).await {
            Ok(res) => {
                let status = res.status();
                let mut body = res.into_body();
                while let Some(frame) = body.frame().await {
                    if frame.is_err() {
                        self.sender = None;
                        return Err(Failure::Io);
                    }
                }
                Ok(status)
            }
            Err(_) => {
                self.sender = None;
                Err(Failure::Io)
            }
        }
    }

    /// Sends a request and keeps the answer's body (setup and checks, never the measured loop).
    pub async fn send_collect(
        &mut self,
        req: Request<Body>,
    ) -> Result<(StatusCode, Bytes), Failure> {
        let fut = async {
            let sender = self.ready().await?;
            let res = sender.send_request(req).await.map_err(|_| Failure::Io)?;
            let status = res.status();
            let body = res
                .into_body()
                .collect()
                .await
                .map_err(|_| Failure::Io)?
                .to_bytes();
            Ok((status, body))
        };
        match tokio::time::timeout(Duration::from_secs(60), fut).await {
            Ok(Ok(answer)) => Ok(answer),
            Ok(Err(failure)) => {
                self.sender = None;
                Err(failure)
            }
            Err(_) => {
                self.sender = None;
                Err(Failure::Timeout)
            }
        }
    }

    /// `send_collect` that insists on a 2xx answer and parses it as JSON.
    pub async fn json<T: serde::de::DeserializeOwned>(&mut self, req: Request<Body>) -> Result<T> {
        let what = format!("{} {}", req.method(), req.uri());
        let (status, body) = self
            .send_collect(req)
            .await
            .map_err(|f| anyhow::anyhow!("{what}: {}", f.as_str()))?;
        if !status.is_success() {
            bail!("{what}: {status}: {}", String::from_utf8_lossy(&body));
        }
        serde_json::from_slice(&body).with_context(|| format!("{what}: unexpected answer"))
    }

    pub fn get(&self, uri: Uri) -> Request<Body> {
        request(&self.target, Method::GET, uri, None, Bytes::new())
    }

    pub fn get_auth(&self, uri: Uri, token: &HeaderValue) -> Request<Body> {
        request(&self.target, Method::GET, uri, Some(token), Bytes::new())
    }

    pub fn post_json(&self, uri: Uri, token: Option<&HeaderValue>, body: Bytes) -> Request<Body> {
        request(&self.target, Method::POST, uri, token, body)
    }
}

async fn open(target: &Target) -> Result<SendRequest<Body>> {
    let stream = TcpStream::connect(target.addr).await?;
    stream.set_nodelay(true)?;
    let (sender, conn) = http1::handshake(TokioIo::new(stream)).await?;
    tokio::spawn(async move {
        // Ends when the server closes the connection or the sender is dropped.
        let _ = conn.await;
    });
    Ok(sender)
}

/// Builds a request from parts that are all cheap to clone (static or shared bytes).
pub fn request(
    target: &Target,
    method: Method,
    uri: Uri,
    token: Option<&HeaderValue>,
    body: Bytes,
) -> Request<Body> {
    let has_body = !body.is_empty();
    let mut headers = HeaderMap::with_capacity(4);
    headers.insert(HOST, target.host_header.clone());
    if has_body {
        headers.insert(CONTENT_TYPE, HeaderValue::from_static("application/json"));
    }
    if let Some(token) = token {
        headers.insert(AUTHORIZATION, token.clone());
    }
    let mut req = Request::new(Full::new(body));
    *req.method_mut() = method;
    *req.uri_mut() = uri;
    *req.headers_mut() = headers;
    req
}

/// A `Bearer` header value for a token.
pub fn bearer(token: &str) -> Result<HeaderValue> {
    HeaderValue::from_str(&format!("Bearer {token}"))
        .context("the server sent a token that is not a valid header value")
}
