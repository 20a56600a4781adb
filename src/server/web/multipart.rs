//! Reading a multipart form posted to a server function: its text fields, and the `file`
//! field's name and bytes, refusing a file as soon as it passes the size limit.

use crate::server::error::AppError;
use leptos::server_fn::codec::MultipartData;

/// Reads a multipart form: text fields, and the `file` field's name and bytes, refusing a file
/// over `max_bytes` as soon as it passes the limit.
pub async fn read_form(
    data: MultipartData,
    max_bytes: u64,
) -> Result<
    (
        std::collections::HashMap<String, String>,
        Option<(String, Vec<u8>)>,
    ),
    AppError,
> {
    let too_big = || {
        AppError::field(
            "file",
            format!(
                "파일이 너무 큽니다. {}MB 이하만 올릴 수 있습니다.",
                max_bytes / 1024 / 1024
            ),
        )
    };
    let mut form = data
        .into_inner()
        .ok_or_else(|| AppError::internal("multipart data missing"))?;
    let mut fields = std::collections::HashMap::new();
    let mut file = None;
    loop {
        let next = form.next_field().await.map_err(|e| {
            tracing::info!(error = %e, "multipart read failed");
            too_big()
        })?;
        let Some(mut field) = next else { break };
        let name = field.name().unwrap_or_default().to_string();
        if name == "file" {
            let file_name = field.file_name().unwrap_or_default().to_string();
            let mut bytes = Vec::new();
            while let Some(chunk) = field.chunk().await.map_err(|_| too_big())? {
                if (bytes.len() + chunk.len()) as u64 > max_bytes {
                    return Err(too_big());
                }
                bytes.extend_from_slice(&chunk);
            }
            file = Some((file_name, bytes));
        } else {
            let text = field
                .text()
                .await
                .map_err(|_| AppError::field(&name, "입력값을 읽지 못했습니다."))?;
            fields.insert(name, text);
        }
    }
    Ok((fields, file))
}
