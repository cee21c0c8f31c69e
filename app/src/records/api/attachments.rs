//! Uploading a file to a consultation: a multipart form, so it works as a plain form post
//! without JavaScript; the page's island sends the same form in the background so the note
//! being written stays on the screen whatever the answer. Downloads are a plain route
//! (`/attachments/{id}`, the server's `attachment_file`), as a browser opens a file.

use crate::kernel::error::AppError;
use leptos::prelude::*;
use server_fn::codec::{MultipartData, MultipartFormData};

/// The form's file field and the text fields beside it.
#[cfg(feature = "ssr")]
#[derive(Default)]
struct Parts {
    encounter_id: String,
    order_id: String,
    kind: String,
    title: String,
    shared: Option<String>,
    file: Vec<u8>,
    /// The file was larger than the limit: reading stopped there.
    too_large: bool,
}

/// Reads the form, keeping at most `max` bytes of the file (one more tells it was larger);
/// text fields are short, so each is capped at a few kilobytes.
#[cfg(feature = "ssr")]
async fn read_parts(data: MultipartData, max: usize) -> Result<Parts, AppError> {
    const TEXT_MAX: usize = 4 * 1024;
    let mut form = data.into_inner().ok_or(AppError::BadRequest)?;
    let mut parts = Parts::default();
    while let Some(mut field) = form.next_field().await.map_err(|_| AppError::BadRequest)? {
        let name = field.name().unwrap_or_default().to_owned();
        let limit = if name == "att_file" { max } else { TEXT_MAX };
        let mut bytes = Vec::new();
        while let Some(chunk) = field.chunk().await.map_err(|_| AppError::BadRequest)? {
            if bytes.len() + chunk.len() > limit {
                if name != "att_file" {
                    return Err(AppError::BadRequest);
                }
                parts.too_large = true;
                break;
            }
            bytes.extend_from_slice(&chunk);
        }
        let text = || String::from_utf8(bytes.clone()).map_err(|_| AppError::BadRequest);
        match name.as_str() {
            "encounter_id" => parts.encounter_id = text()?,
            "att_order" => parts.order_id = text()?,
            "att_kind" => parts.kind = text()?,
            "att_title" => parts.title = text()?,
            "att_shared" => parts.shared = Some(text()?),
            "att_file" => parts.file = bytes,
            _ => return Err(AppError::BadRequest),
        }
        if parts.too_large {
            break;
        }
    }
    Ok(parts)
}

#[server(endpoint = "upload_attachment", input = MultipartFormData)]
pub async fn upload_attachment(data: MultipartData) -> Result<(), AppError> {
    use crate::kernel::auth::request::RequestCtx;
    use crate::records::service::attachments::{upload, UploadForm, Vault};
    let ctx = RequestCtx::current()?;
    let user = ctx.require(crate::kernel::access::Area::Clinical).await?;
    let vault = Vault::of(&ctx.state)?;
    let parts = read_parts(data, vault.max_bytes).await?;
    if parts.too_large {
        return Err(AppError::field("att_file", "err-attachment-too-large"));
    }
    let id = crate::kernel::error::record_id(&parts.encounter_id)?;
    let form = UploadForm {
        order_id: crate::kernel::error::optional_id(Some(&parts.order_id))?,
        kind: &parts.kind,
        title: &parts.title,
        shared: crate::kernel::error::parse_tick(parts.shared.as_deref())?,
        bytes: &parts.file,
    };
    upload(ctx.pool(), &vault, &user, ctx.ip, id, &form).await?;
    let anchor = if form.order_id.is_some() {
        "orders"
    } else {
        "attachments"
    };
    leptos_axum::redirect(&format!("/encounters/{id}?attached=1#{anchor}"));
    Ok(())
}
