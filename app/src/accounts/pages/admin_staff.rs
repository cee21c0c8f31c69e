//! Admins create and list staff accounts (doctors, receptionists, admins).

use crate::accounts::model::StaffRow;
use crate::kernel::error::AppError;
use crate::kernel::i18n::use_i18n;
use crate::kernel::i18n::Locale;
use crate::kernel::ui::checks::Check;
use crate::kernel::ui::errors::LoadError;
use crate::kernel::ui::form::action_error;
use crate::kernel::ui::form::ArabicNameFields;
use crate::kernel::ui::form::ErrorSummary;
use crate::kernel::ui::form::Field;
use crate::kernel::ui::form::SubmitButton;
use crate::kernel::ui::guard::RequireRole;
use crate::kernel::ui::once::awaited;
use crate::kernel::values::Named;
use crate::kernel::values::Role;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct StaffDirectory {
    pub staff: Vec<StaffRow>,
    pub specialties: Vec<Named>,
}

#[server(endpoint = "staff_directory")]
pub async fn load_staff_directory() -> Result<StaffDirectory, AppError> {
    use crate::kernel::auth::request::RequestCtx;

    let ctx = RequestCtx::current()?;
    ctx.require(crate::kernel::access::Area::StaffAdmin).await?;
    Ok(StaffDirectory {
        staff: crate::accounts::db::users::list_staff(ctx.pool()).await?,
        specialties: crate::clinic::service::specialties(ctx.pool()).await?,
    })
}

#[server(endpoint = "create_staff")]
pub async fn create_staff(
    role: String,
    specialty_id: String,
    first_name: String,
    father_name: String,
    grandfather_name: String,
    family_name: String,
    latin_name: String,
    phone: String,
    national_id: String,
    email: String,
    password: String,
) -> Result<(), AppError> {
    use crate::accounts::domain::StaffInput;
    use crate::kernel::auth::request::RequestCtx;
    let ctx = RequestCtx::current()?;
    let admin = ctx.require(crate::kernel::access::Area::StaffAdmin).await?;
    let input = StaffInput {
        role,
        first_name,
        father_name,
        grandfather_name,
        family_name,
        latin_name,
        phone,
        national_id,
        email,
        password,
    };
    let staff = input.parse().map_err(AppError::Validation)?;
    let specialty = if staff.role == Role::Doctor {
        let specialties = crate::clinic::service::specialties(ctx.pool()).await?;
        let chosen = uuid::Uuid::parse_str(specialty_id.trim())
            .ok()
            .filter(|id| specialties.iter().any(|s| s.id == *id));
        Some(chosen.ok_or_else(|| AppError::field("specialty_id", "err-specialty-required"))?)
    } else {
        None
    };
    crate::accounts::service::create_staff(
        ctx.pool(),
        &*ctx.keys()?,
        &ctx.state.hashing,
        &admin,
        ctx.ip,
        &staff,
        specialty,
    )
    .await?;

    leptos_axum::redirect("/admin/staff?created=1");
    Ok(())
}

#[component]
pub fn AdminStaffPage() -> impl IntoView {
    view! { <RequireRole area=crate::kernel::access::Area::StaffAdmin><StaffAdmin/></RequireRole> }
}

#[component]
fn StaffAdmin() -> impl IntoView {
    let i18n = use_i18n();
    let create = ServerAction::<CreateStaff>::new();
    let directory = Resource::new(move || create.version().get(), |_| load_staff_directory());
    let query = use_query_map();
    let error = action_error(create.value());
    // Read once, as the page is built (see `kernel::ui::form::SubmitButton`).
    let created = query.with_untracked(|q| q.get("created").is_some())
        && error.try_get_untracked().flatten().is_none();
    view! {
        <Title text=i18n.t("admin-staff-title")/>
        <div class="flex flex-col gap-8">
            <h1 class="text-2xl font-bold text-teal-900">{i18n.t("admin-staff-title")}</h1>
            {created.then(|| view! {
                <p role="status" data-testid="team-created" class="rounded-lg bg-emerald-50 px-4 py-3 text-emerald-800">
                    {i18n.t("admin-staff-created")}
                </p>
            })}
            {awaited(async move {
                match directory.await {
                    Err(e) => view! { <LoadError error=e/> }.into_any(),
                    Ok(dir) => view! {
                        <StaffTable staff=dir.staff.clone() locale=i18n.locale/>
                        <NewStaffForm action=create specialties=dir.specialties.clone()/>
                    }.into_any(),
                }
            })}
        </div>
    }
}

#[component]
fn StaffTable(staff: Vec<StaffRow>, locale: Locale) -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <section class="overflow-x-auto rounded-2xl bg-white shadow-sm">
            <table class="w-full text-start text-sm" data-testid="team-table">
                <thead class="bg-slate-100 text-slate-600">
                    <tr>
                        <th class="px-4 py-2 text-start">{i18n.t("admin-col-name")}</th>
                        <th class="px-4 py-2 text-start">{i18n.t("admin-col-role")}</th>
                        <th class="px-4 py-2 text-start">{i18n.t("admin-col-specialty")}</th>
                        <th class="px-4 py-2 text-start">{i18n.t("field-phone")}</th>
                    </tr>
                </thead>
                <tbody>
                    {staff.into_iter().map(|s| {
                        let specialty = match locale {
                            Locale::Ar => s.specialty_ar.clone(),
                            Locale::En => s.specialty_en.clone(),
                        }.unwrap_or_else(|| "—".into());
                        view! {
                            <tr class="border-t border-slate-100">
                                <td class="px-4 py-2 font-semibold">{s.full_name.clone()}</td>
                                <td class="px-4 py-2">{i18n.t(s.role.label_key())}</td>
                                <td class="px-4 py-2">{specialty}</td>
                                <td class="px-4 py-2"><bdi dir="ltr">{s.phone.clone()}</bdi></td>
                            </tr>
                        }
                    }).collect_view()}
                </tbody>
            </table>
        </section>
    }
}

#[component]
fn NewStaffForm(action: ServerAction<CreateStaff>, specialties: Vec<Named>) -> impl IntoView {
    let i18n = use_i18n();
    let error = action_error(action.value());
    let summary = Signal::derive(move || error.get().filter(|e| e.field_errors().is_none()));
    let field_message = move |field: &'static str| {
        move || {
            error.get().and_then(|e| {
                e.field_errors()
                    .and_then(|f| f.for_field(field))
                    .map(|k| i18n.t(k))
            })
        }
    };
    let select_class = "w-full rounded-lg border border-slate-300 bg-white px-3 py-2 text-base";
    view! {
        <section class="rounded-2xl bg-white p-5 shadow-sm sm:p-8">
            <h2 class="text-xl font-bold text-teal-900">{i18n.t("admin-new-staff")}</h2>
            <ActionForm action=action attr:class="mt-6 flex flex-col gap-5" attr:novalidate=true>
                <ErrorSummary error=summary/>
                <div class="grid gap-4 sm:grid-cols-2">
                    <div class="flex flex-col gap-1">
                        <label for="input-role" class="text-sm font-semibold text-slate-700">{i18n.t("admin-col-role")}</label>
                        <select id="input-role" name="role" class=select_class>
                            {Role::STAFF.into_iter().map(|r| view! { <option value=r.as_str()>{i18n.t(r.label_key())}</option> }).collect_view()}
                        </select>
                        <p class="min-h-4 text-sm text-rose-700" role="alert" data-field-error="role">{field_message("role")}</p>
                    </div>
                    <div class="flex flex-col gap-1">
                        <label for="input-specialty" class="text-sm font-semibold text-slate-700">{i18n.t("admin-col-specialty")}</label>
                        <select id="input-specialty" name="specialty_id" class=select_class>
                            <option value="">{i18n.t("admin-specialty-none")}</option>
                            {specialties.into_iter().map(|s| view! { <option value=s.id.to_string()>{s.name(i18n.locale).to_owned()}</option> }).collect_view()}
                        </select>
                        <p class="min-h-4 text-sm text-rose-700" role="alert" data-field-error="specialty_id">{field_message("specialty_id")}</p>
                    </div>
                    <ArabicNameFields server_error=error/>
                    <Field name="latin_name" label_key="field-latin-name" server_error=error dir="ltr" check=Check::LatinName/>
                    <Field name="phone" label_key="field-phone" server_error=error kind="tel" required=true dir="ltr" check=Check::Mobile/>
                    <Field name="national_id" label_key="field-national-id" server_error=error required=true inputmode="numeric" dir="ltr" check=Check::NationalId/>
                    <Field name="email" label_key="field-email" server_error=error kind="email" dir="ltr" check=Check::Email/>
                    <Field name="password" label_key="admin-initial-password" server_error=error kind="password" required=true autocomplete="new-password" hint_key="reg-password-hint" check=Check::Password/>
                </div>
                <SubmitButton label_key="admin-create-staff" pending=action.pending().into()/>
            </ActionForm>
        </section>
    }
}
