//! The multipart form reader on arbitrary bodies: it returns a submission or an
//! error, never panics, and on error leaves no attachment file behind.
#![no_main]

use std::sync::{Arc, OnceLock};

use actix_web::http::header::{HeaderMap, HeaderValue, CONTENT_TYPE};
use actix_web::web::Bytes;
use libfuzzer_sys::fuzz_target;
use tipline::hybrid::AnyRecipient;
use tipline::sizes::LengthSeal;
use tipline::store::Store;
use tipline::web::form::{self, FormLimits};

struct Fixture {
    _dir: tempfile::TempDir,
    blobs: std::path::PathBuf,
    store: Store,
    recipients: Arc<Vec<AnyRecipient>>,
    seal: LengthSeal,
    rt: tokio::runtime::Runtime,
}

fn fixture() -> &'static Fixture {
    static F: OnceLock<Fixture> = OnceLock::new();
    F.get_or_init(|| {
        let dir = tempfile::tempdir().expect("temp dir");
        let store = Store::open(dir.path()).expect("store");
        Fixture {
            blobs: dir.path().join("blobs"),
            store,
            recipients: Arc::new(vec![AnyRecipient::Classical(
                age::x25519::Identity::generate().to_public(),
            )]),
            seal: LengthSeal::new(&[0u8; 32]),
            rt: tokio::runtime::Builder::new_current_thread()
                .enable_time()
                .build()
                .expect("runtime"),
            _dir: dir,
        }
    })
}

fuzz_target!(|data: &[u8]| {
    let f = fixture();
    let mut headers = HeaderMap::new();
    headers.insert(
        CONTENT_TYPE,
        HeaderValue::from_static("multipart/form-data; boundary=XyZ"),
    );
    let body = Bytes::copy_from_slice(data);
    let stream = futures_util::stream::once(async move { Ok::<_, actix_web::error::PayloadError>(body) });
    let limits = FormLimits {
        max_fields: 20,
        max_field_bytes: 4096,
        max_files: 3,
        max_file_bytes: 65536,
        max_total_bytes: 131072,
        idle: std::time::Duration::from_millis(100),
        max_disk_bytes: 1 << 30,
    };
    let result = f.rt.block_on(async {
        let mp = actix_multipart::Multipart::new(&headers, stream);
        form::read(mp, &f.store, &f.recipients, &f.seal, limits).await
    });
    match result {
        Ok(sub) => f.store.discard_blobs(&sub.attachment_ids()),
        Err(_) => {
            let left = std::fs::read_dir(&f.blobs)
                .expect("blobs dir")
                .filter(|e| e.as_ref().map(|e| e.path().is_file()).unwrap_or(false))
                .count();
            assert_eq!(left, 0, "a failed form left attachment files");
        }
    }
});
