//! A patient's family members: adding a child or a parent they book for.

use crate::kernel::error::AppError;
use crate::kernel::i18n::use_i18n;
use crate::kernel::ui::checks::Check;
use crate::kernel::ui::errors::LoadError;
use crate::kernel::ui::form::action_error;
use crate::kernel::ui::form::ArabicNameFields;
use crate::kernel::ui::form::ErrorSummary;
use crate::kernel::ui::form::Field;
use crate::kernel::ui::form::SelectField;
use crate::kernel::ui::form::SubmitButton;
use crate::kernel::ui::guard::RequireRole;
use crate::kernel::ui::once::awaited;
use crate::patients::api::my_family;
use crate::patients::domain::Relation;
use leptos::prelude::*;
use leptos_meta::Title;

#[server(endpoint = "add_dependent")]
#[allow(clippy::too_many_arguments)]
pub async fn add_dependent(
    first_name: String,
    father_name: String,
    grandfather_name: String,
    family_name: String,
    latin_name: String,
    national_id: String,
    date_of_birth: String,
    sex: String,
    relation: String,
    phone: String,
) -> Result<(), AppError> {
    use crate::kernel::auth::request::RequestCtx;
    use crate::patients::domain::DependentInput;
    let ctx = RequestCtx::current()?;
    let user = ctx
        .require(crate::kernel::access::Area::PatientSelf)
        .await?;
    let input = DependentInput {
        first_name,
        father_name,
        grandfather_name,
        family_name,
        latin_name,
        national_id,
        date_of_birth,
        sex,
        relation,
        phone,
    };
    let dependent = input
        .parse(time::OffsetDateTime::now_utc().date())
        .map_err(AppError::Validation)?;
    crate::patients::service::add_dependent(
        ctx.pool(),
        &*ctx.keys()?,
        &user,
        ctx.ip,
        &dependent,
        ctx.state.config.max_dependents,
    )
    .await?;
    leptos_axum::redirect("/me/family?added=1");
    Ok(())
}

#[component]
pub fn FamilyPage() -> impl IntoView {
    view! { <RequireRole area=crate::kernel::access::Area::PatientSelf><Family/></RequireRole> }
}

#[component]
fn Family() -> impl IntoView {
    let i18n = use_i18n();
    let action = ServerAction::<AddDependent>::new();
    let members = Resource::new(move || action.version().get(), |_| my_family());
    let error = action_error(action.value());
    let summary = Signal::derive(move || error.get().filter(|e| e.field_errors().is_none()));
    // Adding redirects here with `added=1`, with or without JavaScript.
    let query = leptos_router::hooks::use_query_map();
    let added = query.with_untracked(|q| q.get("added").is_some());
    let relations: Vec<(&'static str, &'static str)> = Relation::ALL
        .iter()
        .map(|r| (r.as_str(), r.label_key()))
        .collect();
    view! {
        <Title text=i18n.t("fam-title")/>
        <h1 class="text-2xl font-bold text-teal-900">{i18n.t("fam-title")}</h1>
        <p class="mt-1 text-slate-600">{i18n.t("fam-lead")}</p>
        {awaited(async move {
            match members.await {
                Err(e) => view! { <LoadError error=e/> }.into_any(),
                Ok(list) if list.is_empty() => view! {
                    <p class="mt-4 text-slate-500" data-testid="family-empty">{i18n.t("fam-none")}</p>
                }.into_any(),
                Ok(list) => view! {
                    <ul class="mt-4 grid gap-2" data-testid="family">
                        {list.into_iter().map(|d| view! {
                            <li class="flex flex-wrap items-center justify-between gap-2 rounded-xl bg-white p-4 shadow-sm">
                                <span class="font-semibold">{i18n.name(&d.full_name, d.latin_name.as_deref()).to_owned()}</span>
                                <span class="text-sm text-slate-500">{i18n.t(d.relation.label_key())}</span>
                                <a href="/doctors" class="text-sm text-teal-800 underline">{i18n.t("fam-book")}</a>
                            </li>
                        }).collect_view()}
                    </ul>
                }.into_any(),
            }
        })}
        <section class="mt-8 rounded-2xl bg-white p-5 shadow-sm sm:p-8">
            <h2 class="text-xl font-bold text-teal-900">{i18n.t("fam-add")}</h2>
            {added.then(|| view! {
                <p role="status" data-testid="fam-added" class="mt-3 rounded-lg bg-emerald-50 px-4 py-3 text-emerald-800">{i18n.t("fam-added")}</p>
            })}
            <ActionForm action=action attr:class="mt-4 grid gap-4 sm:grid-cols-2" attr:novalidate=true>
                <div class="sm:col-span-2"><ErrorSummary error=summary/></div>
                <ArabicNameFields server_error=error/>
                <Field name="latin_name" label_key="field-latin-name" server_error=error dir="ltr" check=Check::LatinName/>
                <Field name="national_id" label_key="field-national-id" server_error=error required=true inputmode="numeric" dir="ltr" check=Check::NationalId/>
                <Field name="date_of_birth" label_key="field-date-of-birth" server_error=error kind="date" required=true check=Check::DateOfBirth/>
                <SelectField name="sex" label_key="field-sex" server_error=error required=true
                    options=vec![("female", "field-sex-female"), ("male", "field-sex-male")]/>
                <SelectField name="relation" label_key="fam-relation" server_error=error required=true options=relations/>
                <Field name="phone" label_key="fam-phone-optional" server_error=error kind="tel" inputmode="tel" dir="ltr"/>
                <div class="sm:col-span-2"><SubmitButton label_key="fam-add-submit" pending=action.pending().into()/></div>
            </ActionForm>
        </section>
    }
}
