//! Attached files: bytes in an object store (a local folder by default, S3 when its settings
//! are given), one database row per file. Types come from the content, sizes are limited, and
//! downloads go through the owner record's permission check.

use crate::server::config::{FileStorage, S3Access, Settings};
use crate::server::error::AppError;
use object_store::path::Path;
use object_store::{ObjectStore, ObjectStoreExt, PutPayload};
use std::collections::HashMap;
use std::sync::Arc;

/// A folder of objects, on local disk or in S3 (under a prefix): what attachments and backups
/// are kept in.
#[derive(Clone)]
pub struct Objects {
    store: Arc<dyn ObjectStore>,
    /// Keys are under this (`""`: the store's top).
    prefix: String,
}

impl Objects {
    /// The local folder `dir` (made when missing); `what` names it in errors (`파일 저장`).
    pub fn local(dir: &str, what: &str) -> Result<Self, String> {
        std::fs::create_dir_all(dir)
            .map_err(|e| format!("{what} 폴더 {dir}를 만들 수 없습니다: {e}"))?;
        let store = object_store::local::LocalFileSystem::new_with_prefix(dir)
            .map_err(|e| format!("{what} 폴더 {dir}: {e}"))?;
        Ok(Objects {
            store: Arc::new(store),
            prefix: String::new(),
        })
    }

    pub fn s3(bucket: &str, prefix: &str, access: &S3Access, what: &str) -> Result<Self, String> {
        let store = s3_builder(bucket, access)
            .build()
            .map_err(|e| format!("{what}용 S3 설정: {e}"))?;
        Ok(Objects {
            store: Arc::new(store),
            prefix: prefix.trim_matches('/').to_string(),
        })
    }

    fn path(&self, key: &str) -> Path {
        if self.prefix.is_empty() {
            Path::from(key)
        } else {
            Path::from(format!("{}/{key}", self.prefix))
        }
    }

    pub async fn put(&self, key: &str, bytes: Vec<u8>) -> Result<(), AppError> {
        self.store
            .put(&self.path(key), PutPayload::from(bytes))
            .await
            .map(|_| ())
            .map_err(|e| AppError::internal(format!("object store put {key}: {e}")))
    }

    /// The bytes under `key`, or `None` when there is no such object.
    pub async fn get(&self, key: &str) -> Result<Option<Vec<u8>>, AppError> {
        match self.store.get(&self.path(key)).await {
            Ok(r) => r
                .bytes()
                .await
                .map(|b| Some(b.to_vec()))
                .map_err(|e| AppError::internal(format!("object store read {key}: {e}"))),
            Err(object_store::Error::NotFound { .. }) => Ok(None),
            Err(e) => Err(AppError::internal(format!("object store get {key}: {e}"))),
        }
    }

    pub async fn delete(&self, key: &str) -> Result<(), AppError> {
        match self.store.delete(&self.path(key)).await {
            Ok(()) | Err(object_store::Error::NotFound { .. }) => Ok(()),
            Err(e) => Err(AppError::internal(format!(
                "object store delete {key}: {e}"
            ))),
        }
    }

    /// Keys and sizes of the objects under `folder` (`""`: all), at any depth.
    pub async fn list(&self, folder: &str) -> Result<HashMap<String, u64>, AppError> {
        use futures_util::StreamExt;
        let base = match (self.prefix.is_empty(), folder.is_empty()) {
            (true, true) => None,
            (true, false) => Some(Path::from(folder)),
            (false, true) => Some(Path::from(self.prefix.as_str())),
            (false, false) => Some(Path::from(format!("{}/{folder}", self.prefix))),
        };
        let strip = if self.prefix.is_empty() {
            String::new()
        } else {
            format!("{}/", self.prefix)
        };
        let mut out = HashMap::new();
        let mut stream = self.store.list(base.as_ref());
        while let Some(meta) = stream.next().await {
            let meta = meta.map_err(|e| AppError::internal(format!("object store list: {e}")))?;
            let full = meta.location.to_string();
            let key = full.strip_prefix(&strip).unwrap_or(&full).to_string();
            out.insert(key, meta.size);
        }
        Ok(out)
    }
}

/// Attached files' store.
#[derive(Clone)]
pub struct FileStore {
    objects: Objects,
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
        let (objects, backend) = match &settings.file_storage {
            FileStorage::Local { dir } => (Objects::local(dir, "파일 저장")?, "local"),
            FileStorage::S3 { bucket, access } => {
                (Objects::s3(bucket, "", access, "파일 저장")?, "s3")
            }
        };
        Ok(FileStore {
            objects,
            max_bytes,
            backend,
        })
    }

    pub async fn put(&self, key: &str, bytes: Vec<u8>) -> Result<(), AppError> {
        self.objects.put(key, bytes).await
    }

    /// The bytes under `key`, or `None` when the store has no such object.
    pub async fn get(&self, key: &str) -> Result<Option<Vec<u8>>, AppError> {
        self.objects.get(key).await
    }

    pub async fn delete(&self, key: &str) -> Result<(), AppError> {
        self.objects.delete(key).await
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
