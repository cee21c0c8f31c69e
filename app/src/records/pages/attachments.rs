//! Files in the chart: the list (each opens through `/attachments/{id}`, after the access
//! check) and, on the consultation screen, the upload form. The form is a plain multipart post
//! without JavaScript; with it, the page's form enhancer sends it in the background, so a
//! refusal (a spoofed type, a file too large, storage down) shows beside the field and the
//! note on the screen stays as it is.

use crate::kernel::error::AppError;
use crate::kernel::i18n::{use_i18n, I18n};
use crate::kernel::ui::form::{ErrorSummary, Field, SelectField, SubmitButton};
use crate::kernel::ui::when::{gregorian_label, hijri_label, zoned};
use crate::records::api::attachments::UploadAttachment;
use crate::records::domain::attachment::AttachmentKind;
use crate::records::model::AttachmentView;
use leptos::prelude::*;
use server_fn::ServerFn as _;

/// "1.2 MB", "340 KB": sizes as people read them.
pub fn size_label(bytes: i32) -> String {
    let bytes = f64::from(bytes.max(0));
    if bytes >= 1024.0 * 1024.0 {
        format!("{:.1} MB", bytes / (1024.0 * 1024.0))
    } else {
        format!("{} KB", (bytes / 1024.0).ceil().max(1.0))
    }
}

/// One file as a link that opens it, with its kind, date and size.
#[component]
pub fn AttachmentList(
    files: Vec<AttachmentView>,
    timezone: String,
    /// Doctors see who added each file and whether the patient sees it.
    #[prop(optional)]
    staff: bool,
) -> impl IntoView {
    let i18n = use_i18n();
    if files.is_empty() {
        return view! { <p class="text-sm text-slate-500" data-testid="attachments-none">{i18n.t("att-none")}</p> }
            .into_any();
    }
    view! {
        <ul class="mt-2 grid gap-2" data-testid="attachment-list">
            {files.into_iter().map(|f| line(i18n, f, &timezone, staff)).collect_view()}
        </ul>
    }
    .into_any()
}

fn line(i18n: I18n, f: AttachmentView, tz: &str, staff: bool) -> impl IntoView {
    let day = zoned(f.created_at, tz).date();
    let kind = if f.file_type.is_image() {
        "image"
    } else {
        "pdf"
    };
    view! {
        <li class="flex flex-wrap items-center justify-between gap-2 rounded-lg border border-slate-200 px-3 py-2" data-testid="attachment">
            <a href=format!("/attachments/{}", f.id) target="_blank" rel="noopener"
                class="font-semibold text-teal-800 underline underline-offset-2" data-testid="attachment-link">
                <span class="me-1 rounded bg-slate-100 px-1.5 py-0.5 text-xs font-normal uppercase text-slate-700" data-kind=kind>{f.file_type.extension()}</span><bdi>{f.title}</bdi>
            </a>
            <span class="text-xs text-slate-600">
                {i18n.t(f.kind.label_key())}" · "{gregorian_label(i18n, day)}" · "{hijri_label(i18n, day)}" · "<bdi>{size_label(f.size_bytes)}</bdi>
                {staff.then(|| view! {
                    " · "{f.uploaded_by}" · "
                    <span data-testid="attachment-shared">{i18n.t(if f.shared { "att-shared-yes" } else { "att-shared-no" })}</span>
                })}
            </span>
        </li>
    }
}

/// The consultation's files section: every file in the patient's chart, and the upload form.
#[component]
pub fn AttachmentsSection(
    encounter_id: uuid::Uuid,
    files: Vec<AttachmentView>,
    timezone: String,
    max_mb: usize,
    /// The consultation's orders, one of which the file may report on.
    #[prop(optional)]
    orders: Vec<crate::records::model::OrderView>,
) -> impl IntoView {
    let i18n = use_i18n();
    // A multipart form has no `ServerAction` (its data cannot be cloned); the error a plain
    // post came back with is read from the address the way `ServerAction` reads it.
    let returned: Option<AppError> = use_context::<leptos::server::ServerActionError>()
        .filter(|e| e.path() == UploadAttachment::PATH)
        .map(|e| server_fn::error::ServerFnUrlError::<AppError>::decode_err(e.err()));
    let error = Signal::derive(move || returned.clone());
    let summary = Signal::derive(move || error.get().filter(|e| e.field_errors().is_none()));
    let file_message = error.get_untracked().and_then(|e: AppError| {
        e.field_errors()
            .and_then(|f| f.for_field("att_file"))
            .map(|k| i18n.t(k))
    });
    let kinds: Vec<(&'static str, &'static str)> = AttachmentKind::ALL
        .into_iter()
        .map(|k| (k.code(), k.label_key()))
        .collect();
    view! {
        <section id="attachments" class="mt-4 rounded-2xl bg-white p-5 shadow-sm" aria-label=i18n.t("att-title") data-testid="attachments">
            <h2 class="font-semibold text-slate-800">{i18n.t("att-title")}</h2>
            <AttachmentList files timezone staff=true/>
            <form action=UploadAttachment::PATH method="post" enctype="multipart/form-data" novalidate
                class="mt-4 grid gap-3 sm:grid-cols-2" data-testid="attachment-form">
                <div class="sm:col-span-2"><ErrorSummary error=summary/></div>
                <input type="hidden" name="encounter_id" value=encounter_id.to_string()/>
                <SelectField name="att_kind" label_key="att-kind" server_error=error options=kinds required=true/>
                <Field name="att_title" label_key="att-title-field" server_error=error required=true dir="auto"/>
                {(!orders.is_empty()).then(|| view! {
                    <div class="flex flex-col gap-1 sm:col-span-2">
                        <label for="input-att_order" class="text-sm font-semibold text-slate-700">{i18n.t("att-order")}</label>
                        <select id="input-att_order" name="att_order" class="w-full rounded-lg border border-slate-300 bg-white px-3 py-2 text-base">
                            <option value="">{i18n.t("att-order-none")}</option>
                            {orders.iter().filter(|o| o.status != crate::records::domain::order::OrderStatus::Cancelled).map(|o| view! {
                                <option value=o.id.to_string()>{i18n.t(&format!("order-test-{}", o.test_code))}</option>
                            }).collect_view()}
                        </select>
                    </div>
                })}
                <div class="flex flex-col gap-1 sm:col-span-2">
                    <label for="input-att_file" class="text-sm font-semibold text-slate-700">
                        {i18n.t("att-file")}<span class="text-rose-600 ms-1" aria-hidden="true">"*"</span>
                    </label>
                    <input id="input-att_file" name="att_file" type="file" required
                        accept="application/pdf,image/png,image/jpeg,image/webp"
                        aria-describedby="input-att_file-error" aria-invalid=file_message.is_some().to_string()
                        class="block w-full text-sm file:me-3 file:rounded-lg file:border-0 file:bg-teal-50 file:px-3 file:py-2 file:font-semibold file:text-teal-900"/>
                    <p class="text-xs text-slate-500">{i18n.t_with("att-file-hint", &[("mb", max_mb.to_string())])}</p>
                    <p id="input-att_file-error" class="min-h-4 text-sm text-rose-700" role="alert" data-field-error="att_file">{file_message}</p>
                </div>
                <label class="flex items-center gap-2 text-sm sm:col-span-2">
                    <input type="checkbox" name="att_shared" value="on" class="size-4"/>
                    {i18n.t("att-share")}
                </label>
                <div class="sm:col-span-2"><SubmitButton label_key="att-upload" pending=Signal::from(false)/></div>
            </form>
        </section>
    }
}
