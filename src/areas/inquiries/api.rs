//! Server functions of the inquiry inbox (staff only).

use super::{InquiryInbox, InquiryUpdate};
use crate::domain::ApiError;
use crate::domain::list::ListQuery;
use leptos::prelude::*;

#[cfg(feature = "ssr")]
use {
    super::service,
    crate::domain::Role,
    crate::server::context::{fail, require_role, state},
};

#[server(endpoint = "inquiries/count-new")]
pub async fn count_new_inquiries() -> Result<i64, ApiError> {
    require_role(&Role::STAFF)?;
    service::count_new(&state()?).await.map_err(fail)
}

/// A page of the inbox (status tab, the likely spam, search text, page in the query).
#[server(endpoint = "inquiries/list")]
pub async fn list_inquiries(#[server(default)] query: ListQuery) -> Result<InquiryInbox, ApiError> {
    require_role(&Role::STAFF)?;
    service::inbox(&state()?, &query).await.map_err(fail)
}

#[server(endpoint = "inquiries/update")]
pub async fn update_inquiry(#[server(flatten)] form: InquiryUpdate) -> Result<(), ApiError> {
    require_role(&Role::STAFF)?;
    service::update(&state()?, &form).await.map_err(fail)
}
