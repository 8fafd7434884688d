//! Reading a reporter's multipart form: text fields into memory (bounded), files
//! encrypted as they stream in, straight into a pending blob. No file is ever
//! buffered whole or written in clear, not even to a temporary file.

use std::collections::BTreeMap;
use std::io::Write;
use std::sync::Arc;
use std::time::Duration;

use actix_multipart::Multipart;
use futures_util::TryStreamExt;

use crate::envelope;
use crate::ids::AttachmentId;
use crate::message::AttachmentInfo;
use crate::sizes::LengthSeal;
use crate::store::{AttachmentRef, PendingBlob, Store, StoreError};

use super::uploads::{Uploads, WriterFailed};

/// The next item of a body stream, or an error if the client went quiet for
/// `idle` (a slow-loris attack, or a phone that lost its signal).
async fn next_within<S, T, E>(stream: &mut S, idle: Duration) -> Result<Option<T>, FormError>
where
    S: futures_util::Stream<Item = Result<T, E>> + Unpin,
{
    match tokio::time::timeout(idle, stream.try_next()).await {
        Err(_) => Err(FormError::Malformed("the client stopped sending")),
        Ok(Err(_)) => Err(FormError::Malformed("multipart")),
        Ok(Ok(item)) => Ok(item),
    }
}

/// Bounds on what one form may carry.
#[derive(Clone, Copy, Debug)]
pub struct FormLimits {
    /// Most text fields.
    pub max_fields: usize,
    /// Most bytes in one text field.
    pub max_field_bytes: usize,
    /// Most bytes of all text fields together (held in memory until the form
    /// is read, so this bounds a form's memory).
    pub max_text_bytes: usize,
    /// Most file parts, empty ones included.
    pub max_files: usize,
    /// Most bytes in one file.
    pub max_file_bytes: u64,
    /// Most bytes of all files together.
    pub max_total_bytes: u64,
    /// Longest silence while the body streams in.
    pub idle: Duration,
    /// Longest time the whole body may take, however steadily it trickles.
    pub deadline: Duration,
    /// Most bytes all stored attachments may take on disk together.
    pub max_disk_bytes: u64,
}

/// Why a form could not be read.
#[derive(Debug, thiserror::Error)]
pub enum FormError {
    /// Not multipart, broken boundaries, a field without a name, invalid UTF-8.
    #[error("malformed form: {0}")]
    Malformed(&'static str),
    /// A file, or the files together, over the limit.
    #[error("too large")]
    TooLarge(u64),
    /// The attachment store reached its disk budget.
    #[error("attachment storage is full")]
    StorageFull,
    /// Storing an attachment failed.
    #[error("storing an attachment failed: {0}")]
    Store(String),
}

impl From<StoreError> for FormError {
    fn from(e: StoreError) -> Self {
        match e {
            StoreError::DiskFull(_) => FormError::StorageFull,
            other => FormError::Store(other.to_string()),
        }
    }
}

impl From<std::io::Error> for FormError {
    fn from(e: std::io::Error) -> Self {
        match e.kind() {
            std::io::ErrorKind::StorageFull => FormError::StorageFull,
            _ => FormError::Store(e.to_string()),
        }
    }
}

impl From<WriterFailed> for FormError {
    fn from(e: WriterFailed) -> Self {
        FormError::Store(e.to_string())
    }
}

/// A failed form, with the language its `lang` field asked for if that field
/// arrived before the failure (so the error page speaks the reporter's language).
#[derive(Debug)]
pub struct FormFailure {
    /// What went wrong.
    pub error: FormError,
    /// The `lang` field, if it was read.
    pub lang: Option<String>,
}

/// What a form carried. Attachments are already stored (encrypted, committed);
/// if the message is then not stored, they must be discarded.
#[derive(Default)]
pub struct Submission {
    /// Text fields by name; repeated names keep every value in order.
    pub fields: BTreeMap<String, Vec<String>>,
    /// Stored attachments, with their (secret) names and sizes.
    pub attachments: Vec<AttachmentInfo>,
    /// The same attachments as the store records them (sealed lengths).
    pub stored: Vec<AttachmentRef>,
    /// An attachment being moved into place, to discard if the form fails then.
    committing: Option<AttachmentId>,
}

impl Submission {
    /// The first value of a text field.
    pub fn field(&self, name: &str) -> Option<&str> {
        self.fields
            .get(name)
            .and_then(|v| v.first())
            .map(String::as_str)
    }

    /// Ids of the stored attachments, to discard them after a failure.
    pub fn attachment_ids(&self) -> Vec<AttachmentId> {
        self.attachments
            .iter()
            .map(|a| a.id)
            .chain(self.committing)
            .collect()
    }
}

/// Where a form's files go: the store, encrypted to the centre by the writer pool.
pub struct FileSink<'a> {
    /// The store that keeps the files.
    pub store: &'a Store,
    /// The centre's recipients.
    pub recipients: &'a Arc<Vec<crate::hybrid::AnyRecipient>>,
    /// Seals the stored lengths.
    pub seal: &'a LengthSeal,
    /// The writer pool.
    pub uploads: &'a Uploads,
}

/// Reads the whole form, within `limits.deadline`. On error, attachments
/// already stored are removed.
pub async fn read(
    mut form: Multipart,
    sink: FileSink<'_>,
    limits: FormLimits,
) -> Result<Submission, FormFailure> {
    let mut sub = Submission::default();
    let outcome = tokio::time::timeout(
        limits.deadline,
        read_into(&mut form, &mut sub, &sink, limits),
    )
    .await
    .unwrap_or(Err(FormError::Malformed("the body took too long")));
    match outcome {
        Ok(()) => Ok(sub),
        Err(error) => {
            // Dropping the stream closes the request; nothing more is read.
            sink.store.discard_blobs(&sub.attachment_ids());
            Err(FormFailure {
                error,
                lang: sub.field("lang").map(str::to_string),
            })
        }
    }
}

async fn read_into(
    form: &mut Multipart,
    sub: &mut Submission,
    sink: &FileSink<'_>,
    limits: FormLimits,
) -> Result<(), FormError> {
    let mut text_fields = 0usize;
    let mut text_bytes = 0usize;
    let mut file_parts = 0usize;
    let mut total_file_bytes = 0u64;
    while let Some(mut field) = next_within(form, limits.idle).await? {
        let name = field
            .name()
            .ok_or(FormError::Malformed("field without a name"))?
            .to_string();

        if name == "attachment" {
            // Every file part counts, empty or not, before any work is done for it.
            file_parts += 1;
            if file_parts > limits.max_files {
                return Err(FormError::TooLarge(limits.max_total_bytes));
            }
            let Some(file_name) = field
                .content_disposition()
                .and_then(|cd| cd.get_filename())
                .map(str::to_string)
            else {
                return Err(FormError::Malformed("attachment without a file name"));
            };
            let content_type = field
                .content_type()
                .map(|m| m.essence_str().to_string())
                .unwrap_or_else(|| "application/octet-stream".into());
            let budget = limits
                .max_file_bytes
                .min(limits.max_total_bytes.saturating_sub(total_file_bytes));
            let stored = stream_file(&mut field, sink, budget, limits).await?;
            let Some((blob, size, stored_len)) = stored else {
                // The empty part a browser sends when no file was chosen.
                continue;
            };
            total_file_bytes += size;
            let id = AttachmentId::generate();
            sub.committing = Some(id);
            sink.uploads.run(move || blob.commit(id)).await??;
            sub.committing = None;
            sub.attachments.push(AttachmentInfo {
                id,
                name: file_name,
                content_type,
                size,
            });
            sub.stored.push(AttachmentRef {
                id,
                sealed_len: sink.seal.seal(stored_len),
            });
            continue;
        }

        text_fields += 1;
        if text_fields > limits.max_fields {
            return Err(FormError::Malformed("too many fields"));
        }
        let mut value = Vec::new();
        while let Some(chunk) = next_within(&mut field, limits.idle).await? {
            if value.len() + chunk.len() > limits.max_field_bytes {
                return Err(FormError::TooLarge(limits.max_field_bytes as u64));
            }
            text_bytes += chunk.len();
            if text_bytes > limits.max_text_bytes {
                return Err(FormError::TooLarge(limits.max_text_bytes as u64));
            }
            value.extend_from_slice(&chunk);
        }
        let value = String::from_utf8(value).map_err(|_| FormError::Malformed("invalid UTF-8"))?;
        sub.fields.entry(name).or_default().push(value);
    }
    Ok(())
}

/// Plaintext gathered before one trip to the writer pool: large enough that
/// the trips are few, small enough that many uploads fit in memory.
const WRITE_BATCH: usize = 64 * 1024;

/// An encrypting writer into a pending blob.
type BlobWriter = age::stream::StreamWriter<PendingBlob>;

/// Streams one file part into an encrypted pending blob. Nothing is opened
/// until the first byte arrives; `Ok(None)` for an empty part (no file chosen).
/// Between batches the upload holds no thread, only its buffer.
async fn stream_file(
    field: &mut actix_multipart::Field,
    sink: &FileSink<'_>,
    budget: u64,
    limits: FormLimits,
) -> Result<Option<(PendingBlob, u64, u64)>, FormError> {
    let mut writer: Option<BlobWriter> = None;
    let mut batch: Vec<u8> = Vec::new();
    let mut received = 0u64;
    while let Some(chunk) = next_within(field, limits.idle).await? {
        received += chunk.len() as u64;
        if received > budget {
            return Err(FormError::TooLarge(budget));
        }
        if received > limits.max_disk_bytes {
            return Err(FormError::StorageFull);
        }
        batch.extend_from_slice(&chunk);
        if batch.len() >= WRITE_BATCH {
            let data = std::mem::take(&mut batch);
            writer = Some(write_batch(sink, writer, data, limits.max_disk_bytes).await?);
        }
    }
    if received == 0 {
        return Ok(None);
    }
    // Dropping the writer on any error above deletes the pending file.
    let writer = write_batch(sink, writer, batch, limits.max_disk_bytes).await?;
    let (blob, stored_len) = sink
        .uploads
        .run(move || -> Result<(PendingBlob, u64), FormError> {
            let mut blob = writer.finish()?;
            let stored_len = blob.pad()?;
            Ok((blob, stored_len))
        })
        .await??;
    Ok(Some((blob, received, stored_len)))
}

/// Encrypts and writes one batch on the writer pool, opening the blob first if
/// this is the file's first batch.
async fn write_batch(
    sink: &FileSink<'_>,
    writer: Option<BlobWriter>,
    data: Vec<u8>,
    max_disk_bytes: u64,
) -> Result<BlobWriter, FormError> {
    let store = sink.store.clone();
    let recipients = sink.recipients.clone();
    sink.uploads
        .run(move || -> Result<BlobWriter, FormError> {
            let mut writer = match writer {
                Some(w) => w,
                None => {
                    let blob = store.begin_blob(max_disk_bytes)?;
                    envelope::seal_stream(blob, envelope::as_recipients(&recipients))
                        .map_err(|e| FormError::Store(e.to_string()))?
                }
            };
            writer.write_all(&data)?;
            Ok(writer)
        })
        .await?
}

#[cfg(test)]
mod tests {
    use super::*;
    use actix_web::http::header::{HeaderMap, HeaderValue, CONTENT_TYPE};
    use actix_web::web::Bytes;

    struct Fixture {
        dir: tempfile::TempDir,
        store: Store,
        recipients: Arc<Vec<crate::hybrid::AnyRecipient>>,
        seal: LengthSeal,
        identity: age::x25519::Identity,
    }

    fn fixture() -> Fixture {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::open(dir.path()).unwrap();
        let identity = age::x25519::Identity::generate();
        Fixture {
            store,
            recipients: Arc::new(vec![crate::hybrid::AnyRecipient::Classical(
                identity.to_public(),
            )]),
            seal: LengthSeal::new(&[3u8; 32]),
            identity,
            dir,
        }
    }

    const LIMITS: FormLimits = FormLimits {
        max_fields: 10,
        max_field_bytes: 1000,
        max_text_bytes: 1500,
        max_files: 2,
        max_file_bytes: 5000,
        max_total_bytes: 8000,
        idle: Duration::from_millis(300),
        deadline: Duration::from_secs(30),
        max_disk_bytes: 20_000,
    };

    fn run(f: &Fixture, body: Vec<u8>) -> Result<Submission, FormError> {
        run_with(f, body, LIMITS)
    }

    fn run_with(f: &Fixture, body: Vec<u8>, limits: FormLimits) -> Result<Submission, FormError> {
        let mut headers = HeaderMap::new();
        headers.insert(
            CONTENT_TYPE,
            HeaderValue::from_static("multipart/form-data; boundary=XyZ"),
        );
        // Feed the body in small pieces, as a network would.
        let chunks: Vec<Result<Bytes, actix_web::error::PayloadError>> = body
            .chunks(7)
            .map(|c| Ok(Bytes::copy_from_slice(c)))
            .collect();
        let stream = futures_util::stream::iter(chunks);
        let rt = tokio::runtime::Builder::new_current_thread()
            .enable_time()
            .build()
            .unwrap();
        let uploads = Uploads::new(4, 1);
        let sink = FileSink {
            store: &f.store,
            recipients: &f.recipients,
            seal: &f.seal,
            uploads: &uploads,
        };
        rt.block_on(read(Multipart::new(&headers, stream), sink, limits))
            .map_err(|failure| failure.error)
    }

    fn part(name: &str, file: Option<&str>, body: &[u8]) -> Vec<u8> {
        let mut v = b"--XyZ\r\n".to_vec();
        match file {
            Some(f) => v.extend(
                format!("Content-Disposition: form-data; name=\"{name}\"; filename=\"{f}\"\r\nContent-Type: image/png\r\n\r\n").bytes(),
            ),
            None => v.extend(format!("Content-Disposition: form-data; name=\"{name}\"\r\n\r\n").bytes()),
        }
        v.extend_from_slice(body);
        v.extend_from_slice(b"\r\n");
        v
    }

    fn files_in(f: &Fixture) -> usize {
        std::fs::read_dir(f.dir.path().join("blobs"))
            .unwrap()
            .filter(|e| e.as_ref().unwrap().path().is_file())
            .count()
    }

    #[test]
    fn text_fields_and_files_are_read_and_files_decrypt_to_their_bytes() {
        let f = fixture();
        let data: Vec<u8> = (0..=255u8).cycle().take(3000).collect();
        let mut body = part("message", None, "hallo wereld".as_bytes());
        body.extend(part("attachment", Some("chat.png"), &data));
        body.extend(b"--XyZ--\r\n");
        let sub = run(&f, body).unwrap();
        assert_eq!(sub.field("message"), Some("hallo wereld"));
        assert_eq!(sub.attachments.len(), 1);
        assert_eq!(sub.attachments[0].name, "chat.png");
        assert_eq!(sub.attachments[0].size, 3000);
        let len = f.seal.open(&sub.stored[0].sealed_len).unwrap();
        let file = f.store.open_blob(sub.attachments[0].id).unwrap().unwrap();
        assert!(
            file.metadata().unwrap().len() >= len,
            "stored file is padded"
        );
        let mut reader = crate::envelope::open_stream(
            std::io::Read::take(file, len),
            std::iter::once(&f.identity as &dyn age::Identity),
        )
        .unwrap();
        let mut back = Vec::new();
        std::io::Read::read_to_end(&mut reader, &mut back).unwrap();
        assert_eq!(back, data);
    }

    #[test]
    fn a_file_over_the_limit_is_refused_and_leaves_nothing() {
        let f = fixture();
        let mut body = part("attachment", Some("a.bin"), &[1u8; 4000]);
        body.extend(part("attachment", Some("b.bin"), &[2u8; 4500]));
        body.extend(b"--XyZ--\r\n");
        assert!(matches!(run(&f, body), Err(FormError::TooLarge(_))));
        assert_eq!(files_in(&f), 0);
    }

    #[test]
    fn a_body_cut_off_mid_file_is_refused_and_leaves_nothing() {
        let f = fixture();
        let mut body = part("message", None, b"x");
        body.extend(part("attachment", Some("a.bin"), &[1u8; 3000]));
        body.truncate(body.len() - 1500);
        assert!(run(&f, body).is_err());
        assert_eq!(files_in(&f), 0);
    }

    #[test]
    fn uploads_stop_when_the_disk_budget_is_spent() {
        let f = fixture();
        let mut first = part("attachment", Some("a.bin"), &[1u8; 4000]);
        first.extend(b"--XyZ--\r\n");
        let mut kept = Vec::new();
        let mut refused = false;
        for _ in 0..10 {
            match run(&f, first.clone()) {
                Ok(sub) => kept.push(sub),
                Err(FormError::StorageFull) => {
                    refused = true;
                    break;
                }
                Err(e) => panic!("{e}"),
            }
        }
        assert!(refused, "the budget of 20,000 bytes was never reached");
        assert!(f.store.blob_bytes() <= 20_000);
        let before = f.store.blob_bytes();
        f.store.discard_blobs(&kept[0].attachment_ids());
        assert!(
            f.store.blob_bytes() < before,
            "removing a file frees budget"
        );
    }

    #[test]
    fn text_fields_together_may_not_pass_the_text_limit() {
        let f = fixture();
        let mut body = Vec::new();
        for _ in 0..4 {
            body.extend(part("q", None, &[b'a'; 900]));
        }
        body.extend(b"--XyZ--\r\n");
        assert!(matches!(run(&f, body), Err(FormError::TooLarge(1500))));
    }

    #[test]
    fn empty_file_parts_count_against_the_file_limit_and_open_no_file() {
        let f = fixture();
        let mut body = Vec::new();
        for _ in 0..3 {
            body.extend(part("attachment", Some(""), b""));
        }
        body.extend(b"--XyZ--\r\n");
        assert!(matches!(run(&f, body), Err(FormError::TooLarge(_))));
        let mut body = part("attachment", Some(""), b"");
        body.extend(b"--XyZ--\r\n");
        let sub = run(&f, body).unwrap();
        assert!(sub.attachments.is_empty());
        assert_eq!(files_in(&f), 0);
        let tmp = std::fs::read_dir(f.dir.path().join("blobs").join("tmp")).unwrap();
        assert_eq!(tmp.count(), 0, "no temporary file was opened");
    }

    #[test]
    fn a_body_that_trickles_past_the_deadline_is_refused_and_leaves_nothing() {
        let f = fixture();
        let mut body = part("attachment", Some("a.bin"), &[1u8; 3000]);
        body.extend(b"--XyZ--\r\n");
        let mut headers = HeaderMap::new();
        headers.insert(
            CONTENT_TYPE,
            HeaderValue::from_static("multipart/form-data; boundary=XyZ"),
        );
        // Every piece well within the idle limit, the whole well past the deadline.
        let pieces: Vec<Bytes> = body.chunks(100).map(Bytes::copy_from_slice).collect();
        let stream = futures_util::stream::unfold(pieces.into_iter(), |mut it| async move {
            let next = it.next()?;
            tokio::time::sleep(Duration::from_millis(20)).await;
            Some((Ok::<_, actix_web::error::PayloadError>(next), it))
        });
        let limits = FormLimits {
            deadline: Duration::from_millis(200),
            ..LIMITS
        };
        let rt = tokio::runtime::Builder::new_current_thread()
            .enable_time()
            .build()
            .unwrap();
        let uploads = Uploads::new(4, 1);
        let sink = FileSink {
            store: &f.store,
            recipients: &f.recipients,
            seal: &f.seal,
            uploads: &uploads,
        };
        let result = rt.block_on(read(Multipart::new(&headers, stream), sink, limits));
        assert!(matches!(
            result.map_err(|e| e.error),
            Err(FormError::Malformed("the body took too long"))
        ));
        assert_eq!(files_in(&f), 0);
    }

    #[test]
    fn concurrent_uploads_together_never_pass_the_disk_budget() {
        let f = fixture();
        let mut body = part("attachment", Some("a.bin"), &[1u8; 4000]);
        body.extend(b"--XyZ--\r\n");
        let results: Vec<_> = std::thread::scope(|scope| {
            let handles: Vec<_> = (0..12)
                .map(|_| scope.spawn(|| run(&f, body.clone()).map(|_| ())))
                .collect();
            handles.into_iter().map(|h| h.join().unwrap()).collect()
        });
        assert!(results
            .iter()
            .any(|r| matches!(r, Err(FormError::StorageFull))));
        let on_disk: u64 = std::fs::read_dir(f.dir.path().join("blobs"))
            .unwrap()
            .filter_map(|e| e.ok()?.metadata().ok())
            .filter(|m| m.is_file())
            .map(|m| m.len())
            .sum();
        assert!(on_disk <= 20_000, "{on_disk} bytes stored");
        assert_eq!(on_disk, f.store.blob_bytes());
    }

    #[test]
    fn invalid_utf8_in_a_text_field_is_malformed() {
        let f = fixture();
        let mut body = part("message", None, &[0xff, 0xfe, 0x41]);
        body.extend(b"--XyZ--\r\n");
        assert!(matches!(run(&f, body), Err(FormError::Malformed(_))));
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(64))]
        #[test]
        fn arbitrary_bodies_never_panic_and_failures_leave_no_files(
            body in proptest::collection::vec(proptest::prelude::any::<u8>(), 0..600),
            prefix in proptest::prelude::any::<bool>(),
        ) {
            let f = fixture();
            // Half the cases start like a real part, to get past the first boundary.
            let mut input = if prefix { part("attachment", Some("x"), b"") } else { Vec::new() };
            input.extend(body);
            if run(&f, input).is_err() {
                proptest::prop_assert_eq!(files_in(&f), 0);
            }
        }
    }
}
