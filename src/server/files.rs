//! Attached files: bytes in an object store (a local folder by default, S3 when its settings
//! are given), one database row per file. Types come from the content, sizes are limited, and
//! downloads go through the owner record's permission check.

use crate::server::config::{FileStorage, S3Access, Settings};
use crate::server::error::AppError;
use object_store::path::Path;
use object_store::{ObjectStore, ObjectStoreExt, PutPayload};
use std::sync::Arc;

#[derive(Clone)]
pub struct FileStore {
    store: Arc<dyn ObjectStore>,
    /// Largest accepted file.
    pub max_bytes: u64,
    pub backend: &'static str,
}

impl std::fmt::Debug for FileStore {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("FileStore")
            .field("backend", &self.backend)
            .field("max_bytes", &self.max_bytes)
            .finish()
    }
}

impl FileStore {
    pub fn from_settings(settings: &Settings) -> Result<Self, String> {
        let max_bytes = settings.file_max_bytes;
        match &settings.file_storage {
            FileStorage::Local { dir } => {
                std::fs::create_dir_all(dir)
                    .map_err(|e| format!("파일 저장 폴더 {dir}를 만들 수 없습니다: {e}"))?;
                let store = object_store::local::LocalFileSystem::new_with_prefix(dir)
                    .map_err(|e| format!("파일 저장 폴더 {dir}: {e}"))?;
                Ok(FileStore {
                    store: Arc::new(store),
                    max_bytes,
                    backend: "local",
                })
            }
            FileStorage::S3 { bucket, access } => {
                let b = s3_builder(bucket, access);
                let store = b.build().map_err(|e| format!("S3 설정: {e}"))?;
                Ok(FileStore {
                    store: Arc::new(store),
                    max_bytes,
                    backend: "s3",
                })
            }
        }
    }

    pub async fn put(&self, key: &str, bytes: Vec<u8>) -> Result<(), AppError> {
        self.store
            .put(&Path::from(key), PutPayload::from(bytes))
            .await
            .map(|_| ())
            .map_err(|e| AppError::internal(format!("file store put {key}: {e}")))
    }

    /// The bytes under `key`, or `None` when the store has no such object.
    pub async fn get(&self, key: &str) -> Result<Option<Vec<u8>>, AppError> {
        match self.store.get(&Path::from(key)).await {
            Ok(r) => r
                .bytes()
                .await
                .map(|b| Some(b.to_vec()))
                .map_err(|e| AppError::internal(format!("file store read {key}: {e}"))),
            Err(object_store::Error::NotFound { .. }) => Ok(None),
            Err(e) => Err(AppError::internal(format!("file store get {key}: {e}"))),
        }
    }

    pub async fn delete(&self, key: &str) -> Result<(), AppError> {
        match self.store.delete(&Path::from(key)).await {
            Ok(()) | Err(object_store::Error::NotFound { .. }) => Ok(()),
            Err(e) => Err(AppError::internal(format!("file store delete {key}: {e}"))),
        }
    }
}

/// An S3 client for `bucket` (any S3-compatible store when an endpoint is given).
pub fn s3_builder(bucket: &str, access: &S3Access) -> object_store::aws::AmazonS3Builder {
    let mut b = object_store::aws::AmazonS3Builder::new()
        .with_bucket_name(bucket)
        .with_region(&access.region);
    if let Some(endpoint) = &access.endpoint {
        b = b
            .with_endpoint(endpoint)
            .with_allow_http(endpoint.starts_with("http://"));
    }
    if let (Some(id), Some(secret)) = (&access.access_key_id, &access.secret_access_key) {
        b = b
            .with_access_key_id(id)
            .with_secret_access_key(secret.expose());
    }
    b
}

/// A new object key: `files/2026/11/<uuid>`; the name stays in the database only.
pub fn new_key() -> String {
    let now = chrono::Utc::now();
    format!(
        "files/{}/{}",
        now.format("%Y/%m"),
        uuid::Uuid::new_v4().simple()
    )
}
