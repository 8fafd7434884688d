//! What the staff API parses from a request: bearer tokens, ids in the path,
//! the status body, and reply bodies (age headers). None may panic.
#![no_main]

use libfuzzer_sys::fuzz_target;
use tipline::ids::{AttachmentId, MessageId, ReportId};
use tipline::staff_token::StaffToken;
use tipline::status::Status;

fuzz_target!(|data: &[u8]| {
    if let Ok(text) = std::str::from_utf8(data) {
        let _ = text.parse::<StaffToken>().map(|t| t.hash());
        if let Ok(id) = text.parse::<ReportId>() {
            assert_eq!(id.to_string().parse::<ReportId>().ok(), Some(id));
        }
        let _ = text.parse::<MessageId>();
        let _ = text.parse::<AttachmentId>();
        let _ = text.parse::<Status>();
    }
    let _ = serde_json::from_slice::<serde_json::Value>(data)
        .ok()
        .and_then(|v| v.get("status")?.as_str()?.parse::<Status>().ok());
    let _ = age::Decryptor::new(data);
});
