//! The reporter document as the desk reads it: arbitrary bytes never panic, and
//! whatever parses survives a padded round trip.
#![no_main]

use libfuzzer_sys::fuzz_target;
use tipline::message::ReporterMessage;

fuzz_target!(|data: &[u8]| {
    if let Ok(doc) = serde_json::from_slice::<ReporterMessage>(data) {
        let padded = doc.to_padded_json().expect("serialising a parsed document");
        let back: ReporterMessage = serde_json::from_slice(&padded).expect("padded JSON parses");
        assert_eq!(back, doc);
    }
});
