//! Form pieces shared by every page: a labelled field that shows its error in the user's
//! language. The page is rendered on the server only; a field that names a `Check` is also
//! checked in the browser by the same domain rule (see `enhance`), before anything is sent.

use crate::kernel::error::AppError;
use crate::kernel::i18n::use_i18n;
use crate::kernel::ui::checks::Check;
use crate::kernel::ui::enhance::EnhanceOnce;
use leptos::prelude::*;

/// The translated server-side message for field `name`, if the last submission had one.
pub fn field_message(server_error: Signal<Option<AppError>>, name: &str) -> Option<String> {
    let i18n = use_i18n();
    server_error.get_untracked().and_then(|e| {
        e.field_errors()
            .and_then(|f| f.for_field(name))
            .map(|k| i18n.t(k))
    })
}

/// How a text field and a multi-line field look, wrong ones outlined in red.
pub const TEXT_INPUT_CLASS: &str = "w-full rounded-lg border border-slate-300 bg-white px-3 py-2 text-base text-start shadow-sm focus:border-teal-600 focus:outline-none focus:ring-2 focus:ring-teal-600/30 aria-[invalid=true]:border-rose-500";

/// A field's label, with a star when the field is required.
#[component]
fn FieldLabel(for_id: String, label_key: &'static str, required: bool) -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <label for=for_id class="text-sm font-semibold text-slate-700">
            {i18n.t(label_key)}
            {required.then(|| view! { <span class="text-rose-600 ms-1" aria-hidden="true">"*"</span> })}
        </label>
    }
}

/// The error of the last submission of a server action, if it failed.
pub fn action_error(
    value: impl Get<Value = Option<Result<(), AppError>>> + Send + Sync + 'static,
) -> Signal<Option<AppError>> {
    Signal::derive(move || value.get().and_then(|r| r.err()))
}

#[component]
pub fn Field(
    name: &'static str,
    label_key: &'static str,
    server_error: Signal<Option<AppError>>,
    #[prop(default = "text")] kind: &'static str,
    #[prop(optional)] required: bool,
    #[prop(optional)] autocomplete: Option<&'static str>,
    #[prop(optional)] inputmode: Option<&'static str>,
    #[prop(optional)] dir: Option<&'static str>,
    #[prop(optional)] hint_key: Option<&'static str>,
    /// The domain rule the browser runs when the value changes.
    #[prop(optional)]
    check: Option<Check>,
    /// What the field holds when the form opens, for editing a saved value.
    #[prop(optional, into)]
    value: Option<String>,
    /// Tells apart the ids of one field repeated in a list of forms (one form per row).
    #[prop(optional, into)]
    row: Option<String>,
) -> impl IntoView {
    let i18n = use_i18n();
    let id = match row {
        Some(row) => format!("input-{name}-{row}"),
        None => format!("input-{name}"),
    };
    let error_id = format!("{id}-error");
    let message = field_message(server_error, name);
    let invalid = message.is_some().to_string();
    view! {
        <div class="flex flex-col gap-1">
            <FieldLabel for_id=id.clone() label_key required/>
            <input
                id=id
                name=name
                type=kind
                required=required
                autocomplete=autocomplete
                inputmode=inputmode
                dir=dir
                value=value
                aria-invalid=invalid
                aria-describedby=error_id.clone()
                data-check=check.map(Check::code)
                class=TEXT_INPUT_CLASS
            />
            {hint_key.map(|k| view! { <p class="text-xs text-slate-500">{i18n.t(k)}</p> })}
            <p id=error_id class="min-h-4 text-sm text-rose-700" role="alert" data-field-error=name>
                {message}
            </p>
        </div>
    }
}

/// A multi-line field (a note's section) with its saved text. `dir="auto"`: a doctor writes
/// English and Arabic, and each text takes its own direction.
#[component]
pub fn TextAreaField(
    name: &'static str,
    label_key: &'static str,
    server_error: Signal<Option<AppError>>,
    #[prop(optional, into)] value: String,
    #[prop(default = 4)] rows: u32,
    #[prop(optional)] required: bool,
) -> impl IntoView {
    let id = format!("input-{name}");
    let error_id = format!("{id}-error");
    let message = field_message(server_error, name);
    let invalid = message.is_some().to_string();
    view! {
        <div class="flex flex-col gap-1">
            <FieldLabel for_id=id.clone() label_key required/>
            <textarea id=id name=name rows=rows dir="auto" aria-invalid=invalid aria-describedby=error_id.clone()
                class=TEXT_INPUT_CLASS
            >{value}</textarea>
            <p id=error_id class="min-h-4 text-sm text-rose-700" role="alert" data-field-error=name>
                {message}
            </p>
        </div>
    }
}

/// The message for errors that belong to no single field (wrong password, rate limit, …).
#[component]
pub fn ErrorSummary(error: Signal<Option<AppError>>) -> impl IntoView {
    let i18n = use_i18n();
    let message = error.get_untracked().map(|e| i18n.t(e.message_key()));
    let empty = message.is_none();
    // Rendered even when empty, so the browser has a place for the answer of a form it sent.
    view! {
        <div role="alert" data-testid="form-error" data-form-error="" hidden=empty
            class="rounded-lg border border-rose-200 bg-rose-50 px-4 py-3 text-sm text-rose-800">
            {message}
        </div>
        <EnhanceOnce/>
    }
}

#[component]
pub fn SubmitButton(label_key: &'static str, pending: Signal<bool>) -> impl IntoView {
    let i18n = use_i18n();
    // Read as the page is built, not while its HTML is written: forms outside islands are
    // never re-rendered (the enhancer marks a sent form busy in the browser), and a page part
    // written after an await could find the action's signal already disposed — the server
    // panicked ("a reactive value that has already been disposed") and the browser got an
    // empty response, a few times in every run of the browser tests.
    let pending = pending.try_get_untracked().unwrap_or(false);
    view! {
        <button
            type="submit"
            disabled=pending
            class="w-full rounded-lg bg-teal-700 px-4 py-2.5 font-semibold text-white shadow hover:bg-teal-800 disabled:opacity-60 sm:w-auto"
        >
            {i18n.t(label_key)}
        </button>
    }
}

/// The four parts of an Arabic name as on the national ID. `own` turns on the browser's
/// autofill, which suits a person typing their own name and not a desk typing someone else's.
#[component]
pub fn ArabicNameFields(
    server_error: Signal<Option<AppError>>,
    #[prop(optional)] own: bool,
) -> impl IntoView {
    let check = Check::ArabicNamePart;
    view! {
        <Field name="first_name" label_key="field-first-name" server_error required=true
            autocomplete=if own { "given-name" } else { "off" } check/>
        <Field name="father_name" label_key="field-father-name" server_error required=true check/>
        <Field name="grandfather_name" label_key="field-grandfather-name" server_error required=true check/>
        <Field name="family_name" label_key="field-family-name" server_error required=true
            autocomplete=if own { "family-name" } else { "off" } check/>
    }
}

/// A labelled `<select>` whose server-side error shows under it like a text field's.
#[component]
pub fn SelectField(
    name: &'static str,
    label_key: &'static str,
    server_error: Signal<Option<AppError>>,
    /// Value and Fluent key of each choice, after an empty "choose" option.
    options: Vec<(&'static str, &'static str)>,
    #[prop(optional)] required: bool,
    /// The domain rule the browser runs when the choice changes.
    #[prop(optional)]
    check: Option<Check>,
) -> impl IntoView {
    let i18n = use_i18n();
    let id = format!("input-{name}");
    let message = field_message(server_error, name);
    let invalid = message.is_some().to_string();
    view! {
        <div class="flex flex-col gap-1">
            <FieldLabel for_id=id.clone() label_key required/>
            <select id=id name=name required=required data-check=check.map(Check::code)
                aria-invalid=invalid
                class="w-full rounded-lg border border-slate-300 bg-white px-3 py-2 text-base">
                <option value="">{i18n.t("field-choose")}</option>
                {options.into_iter().map(|(value, key)| view! { <option value=value>{i18n.t(key)}</option> }).collect_view()}
            </select>
            <p class="min-h-4 text-sm text-rose-700" role="alert" data-field-error=name>{message}</p>
        </div>
    }
}
