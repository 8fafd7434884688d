//! Code normalisation: any text parses or is refused, never panics; whatever
//! parses shows as a code that parses back to the same code.
#![no_main]

use libfuzzer_sys::fuzz_target;
use tipline::receipt::ReceiptCode;

fuzz_target!(|input: &str| {
    if let Ok(code) = input.parse::<ReceiptCode>() {
        let shown = code.to_display();
        assert_eq!(shown.parse::<ReceiptCode>().ok(), Some(code));
    }
});
