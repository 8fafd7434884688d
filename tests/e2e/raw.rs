//! Raw sockets, for what no polite HTTP client sends: bodies that do not match
//! their headers, requests that are not HTTP at all.

use std::io::{Read, Write};
use std::net::TcpStream;
use std::time::{Duration, Instant};

/// A response read off a raw socket.
#[derive(Debug)]
pub struct RawResp {
    /// The status from the status line.
    pub status: u16,
    /// Header block, as text.
    pub head: String,
    /// The body (not de-chunked).
    pub body: Vec<u8>,
}

impl RawResp {
    /// The body as lossy text.
    pub fn text(&self) -> String {
        String::from_utf8_lossy(&self.body).into_owned()
    }
}

/// Sends `request` (head and body, byte for byte) and reads the answer until the
/// server closes the connection. The request should say `Connection: close`.
pub fn raw_http(host_port: &str, request: &[u8]) -> RawResp {
    let started = Instant::now();
    let mut stream = TcpStream::connect(host_port).expect("connect");
    stream
        .set_read_timeout(Some(Duration::from_secs(90)))
        .expect("timeout");
    // The server may answer and close before taking all of an oversized body.
    let _ = stream.write_all(request);
    let mut answer = Vec::new();
    let _ = stream.read_to_end(&mut answer);
    let split = answer
        .windows(4)
        .position(|w| w == b"\r\n\r\n")
        .unwrap_or_else(|| {
            panic!(
                "no response head after {:?}: {:?}",
                started.elapsed(),
                String::from_utf8_lossy(&answer)
            )
        });
    let head = String::from_utf8_lossy(&answer[..split]).into_owned();
    let status = head
        .split_whitespace()
        .nth(1)
        .and_then(|s| s.parse().ok())
        .unwrap_or_else(|| panic!("bad status line: {head}"));
    RawResp {
        status,
        head,
        body: answer[split + 4..].to_vec(),
    }
}

/// Sends bytes and reads whatever comes back (maybe nothing) within two seconds.
pub fn raw_http_lenient(host_port: &str, request: &[u8]) -> Vec<u8> {
    let mut s = TcpStream::connect(host_port).expect("connect");
    s.set_read_timeout(Some(Duration::from_secs(2)))
        .expect("timeout");
    let _ = s.write_all(request);
    let mut out = Vec::new();
    let _ = s.read_to_end(&mut out);
    out
}

/// A request head for `POST PATH` with the given content type and length.
pub fn raw_post_head(host_port: &str, path: &str, content_type: &str, length: usize) -> String {
    format!(
        "POST {path} HTTP/1.1\r\nHost: {host_port}\r\nContent-Type: {content_type}\r\n\
         Content-Length: {length}\r\nConnection: close\r\n\r\n"
    )
}
