//! Streams a stored file to a client in chunks read on blocking threads, so a
//! 100 MiB attachment never sits whole in memory.

use std::io::Read;

use actix_web::web::Bytes;
use futures_util::Stream;

const CHUNK: usize = 64 * 1024;

/// The file's bytes as a stream of chunks.
pub fn chunks<R: Read + Send + 'static>(
    file: R,
) -> impl Stream<Item = Result<Bytes, actix_web::Error>> {
    futures_util::stream::unfold(Some(file), |state| async move {
        let mut file = state?;
        let read = actix_web::web::block(move || {
            let mut buf = vec![0u8; CHUNK];
            let n = file.read(&mut buf)?;
            buf.truncate(n);
            Ok::<_, std::io::Error>((file, buf))
        })
        .await;
        match read {
            Ok(Ok((_, buf))) if buf.is_empty() => None,
            Ok(Ok((file, buf))) => Some((Ok(Bytes::from(buf)), Some(file))),
            Ok(Err(e)) => Some((Err(actix_web::error::ErrorInternalServerError(e)), None)),
            Err(e) => Some((Err(actix_web::error::ErrorInternalServerError(e)), None)),
        }
    })
}
