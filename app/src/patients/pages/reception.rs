//! The reception desk: find a patient by name, phone or ID (or register a walk-in in one
//! short form) and book on their behalf.

use crate::kernel::error::AppError;
use crate::kernel::i18n::use_i18n;
use crate::kernel::ui::checks::Check;
use crate::kernel::ui::errors::LoadError;
use crate::kernel::ui::form::action_error;
use crate::kernel::ui::form::ArabicNameFields;
use crate::kernel::ui::form::ErrorSummary;
use crate::kernel::ui::form::Field;
use crate::kernel::ui::form::SubmitButton;
use crate::kernel::ui::guard::RequireRole;
use crate::kernel::ui::once::awaited;
use crate::patients::model::PatientHit;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

#[server(endpoint = "find_patients")]
pub async fn find_patients(q: String) -> Result<Vec<PatientHit>, AppError> {
    use crate::kernel::auth::request::RequestCtx;
    let ctx = RequestCtx::current()?;
    let user = ctx.require(crate::kernel::access::Area::Desk).await?;
    let Some(query) =
        crate::patients::domain::PatientQuery::parse(&q).map_err(|k| AppError::field("q", k))?
    else {
        return Ok(vec![]);
    };
    Ok(crate::patients::service::search(
        ctx.pool(),
        &*ctx.keys()?,
        &user,
        ctx.ip,
        query.exact.as_deref(),
        &query.literal,
    )
    .await?)
}

#[server(endpoint = "register_walk_in")]
pub async fn register_walk_in(
    first_name: String,
    father_name: String,
    grandfather_name: String,
    family_name: String,
    phone: String,
    national_id: String,
    date_of_birth: String,
    sex: String,
) -> Result<(), AppError> {
    use crate::accounts::domain::RegistrationInput;
    use crate::kernel::auth::request::RequestCtx;
    let ctx = RequestCtx::current()?;
    let user = ctx.require(crate::kernel::access::Area::Desk).await?;
    let input = RegistrationInput {
        first_name,
        father_name,
        grandfather_name,
        family_name,
        phone,
        national_id,
        date_of_birth,
        sex,
        ..Default::default()
    };
    let reg = input
        .parse_walk_in(time::OffsetDateTime::now_utc().date())
        .map_err(AppError::Validation)?;
    let id =
        crate::patients::service::register_walk_in(ctx.pool(), &*ctx.keys()?, &user, ctx.ip, &reg)
            .await?;
    leptos_axum::redirect(&format!("/doctors?for={id}"));
    Ok(())
}

/// A family member's record claimed by its owner, whose ID the desk has checked: it leaves the
/// guardian's account and becomes the owner's, with their mobile number.
#[server(endpoint = "claim_family_record")]
pub async fn claim_family_record(
    claim_national_id: String,
    claim_phone: String,
) -> Result<(), AppError> {
    use crate::kernel::auth::request::RequestCtx;
    use crate::kernel::values::{FieldErrors, NationalId, SaudiMobile};
    let ctx = RequestCtx::current()?;
    let user = ctx.require(crate::kernel::access::Area::Desk).await?;
    let mut errors = FieldErrors::default();
    let national_id = errors.check("claim_national_id", NationalId::parse(&claim_national_id));
    let phone = errors.check("claim_phone", SaudiMobile::parse(&claim_phone));
    let (Some(national_id), Some(phone)) = (national_id, phone) else {
        return Err(AppError::Validation(errors));
    };
    let id = crate::patients::service::claim_dependent(
        ctx.pool(),
        &*ctx.keys()?,
        &user,
        ctx.ip,
        &national_id,
        &phone,
    )
    .await
    .map_err(|e| match AppError::from(e) {
        // The form's fields are named for this form.
        AppError::Validation(mut f) | AppError::Conflict(mut f) => {
            for e in &mut f.0 {
                e.field = format!("claim_{}", e.field);
            }
            AppError::Validation(f)
        }
        other => other,
    })?;
    leptos_axum::redirect(&format!("/doctors?for={id}"));
    Ok(())
}

#[component]
pub fn ReceptionPage() -> impl IntoView {
    view! { <RequireRole area=crate::kernel::access::Area::Desk><Desk/></RequireRole> }
}

#[component]
fn Desk() -> impl IntoView {
    let i18n = use_i18n();
    let query = use_query_map();
    let q = move || query.read().get("q").unwrap_or_default();
    let hits = Resource::new(q, find_patients);
    view! {
        <Title text=i18n.t("desk-title")/>
        <h1 class="text-2xl font-bold text-teal-900">{i18n.t("desk-title")}</h1>
        <form method="get" action="/reception" role="search" class="mt-4 flex gap-2">
            <input type="search" name="q" value=q data-testid="patient-search" placeholder=i18n.t("desk-search-placeholder")
                aria-label=i18n.t("desk-search-placeholder") class="min-w-0 flex-1 rounded-lg border border-slate-300 px-3 py-2"/>
            <button type="submit" class="rounded-lg bg-teal-700 px-4 py-2 font-semibold text-white">{i18n.t("book-search")}</button>
        </form>
        {awaited(async move {
            match hits.await {
                Err(e) => view! { <LoadError error=e/> }.into_any(),
                Ok(list) if list.is_empty() => view! { <p class="mt-3 text-slate-500">{(!q().is_empty()).then(|| i18n.t("desk-no-patients"))}</p> }.into_any(),
                Ok(list) => view! {
                    <ul class="mt-4 grid gap-2" data-testid="patient-hits">
                        {list.into_iter().map(|p| view! {
                            <li class="flex flex-wrap items-center justify-between gap-2 rounded-xl bg-white p-3 shadow-sm">
                                <span class="font-semibold">{p.full_name.clone()}</span>
                                <span class="text-sm text-slate-500"><bdi dir="ltr">{p.phone.clone()}" · "{crate::kernel::values::national_id::mask_last4(&p.national_id_last4)}</bdi></span>
                                <a href=format!("/doctors?for={}", p.id) class="rounded-lg bg-teal-700 px-3 py-1.5 text-sm font-semibold text-white">{i18n.t("desk-book-for")}</a>
                            </li>
                        }).collect_view()}
                    </ul>
                }.into_any(),
            }
        })}
        <WalkInForm/>
        <ClaimForm/>
    }
}

#[component]
fn ClaimForm() -> impl IntoView {
    let i18n = use_i18n();
    let action = ServerAction::<ClaimFamilyRecord>::new();
    let error = action_error(action.value());
    let summary = Signal::derive(move || error.get().filter(|e| e.field_errors().is_none()));
    view! {
        <section class="mt-8 rounded-2xl bg-white p-5 shadow-sm sm:p-8">
            <h2 class="text-xl font-bold text-teal-900">{i18n.t("desk-claim")}</h2>
            <p class="mt-1 text-sm text-slate-600">{i18n.t("desk-claim-lead")}</p>
            <ActionForm action=action attr:class="mt-4 grid gap-4 sm:grid-cols-2" attr:novalidate=true>
                <div class="sm:col-span-2"><ErrorSummary error=summary/></div>
                <Field name="claim_national_id" label_key="field-national-id" server_error=error required=true inputmode="numeric" dir="ltr" check=Check::NationalId/>
                <Field name="claim_phone" label_key="field-phone" server_error=error kind="tel" required=true dir="ltr" check=Check::Mobile/>
                <div class="sm:col-span-2"><SubmitButton label_key="desk-claim-submit" pending=action.pending().into()/></div>
            </ActionForm>
        </section>
    }
}

#[component]
fn WalkInForm() -> impl IntoView {
    let i18n = use_i18n();
    let action = ServerAction::<RegisterWalkIn>::new();
    let error = action_error(action.value());
    let summary = Signal::derive(move || error.get().filter(|e| e.field_errors().is_none()));
    let sex_error = move || {
        error.get().and_then(|e| {
            e.field_errors()
                .and_then(|f| f.for_field("sex"))
                .map(|k| i18n.t(k))
        })
    };
    view! {
        <section class="mt-8 rounded-2xl bg-white p-5 shadow-sm sm:p-8">
            <h2 class="text-xl font-bold text-teal-900">{i18n.t("desk-walk-in")}</h2>
            <ActionForm action=action attr:class="mt-4 grid gap-4 sm:grid-cols-2" attr:novalidate=true>
                <div class="sm:col-span-2"><ErrorSummary error=summary/></div>
                <ArabicNameFields server_error=error/>
                <Field name="phone" label_key="field-phone" server_error=error kind="tel" required=true dir="ltr" check=Check::Mobile/>
                <Field name="national_id" label_key="field-national-id" server_error=error required=true inputmode="numeric" dir="ltr" check=Check::NationalId/>
                <Field name="date_of_birth" label_key="field-date-of-birth" server_error=error kind="date" required=true check=Check::DateOfBirth/>
                <div class="flex flex-col gap-1">
                    <label for="input-walk-in-sex" class="text-sm font-semibold text-slate-700">{i18n.t("field-sex")}</label>
                    <select id="input-walk-in-sex" name="sex" class="w-full rounded-lg border border-slate-300 bg-white px-3 py-2 text-base">
                        <option value="">{i18n.t("field-choose")}</option>
                        <option value="female">{i18n.t("field-sex-female")}</option>
                        <option value="male">{i18n.t("field-sex-male")}</option>
                    </select>
                    <p class="min-h-4 text-sm text-rose-700" role="alert" data-field-error="sex">{sex_error}</p>
                </div>
                <div class="sm:col-span-2"><SubmitButton label_key="desk-register-and-book" pending=action.pending().into()/></div>
            </ActionForm>
        </section>
    }
}
