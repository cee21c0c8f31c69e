//! The patient's home page: the next visits, the latest visit summary and their details. It
//! draws on accounts, scheduling and records, so it lives above the features, not in one of
//! them (a feature page here would make the features depend on each other in a ring).

use crate::accounts::pages::me::my_profile;
use crate::kernel::i18n::use_i18n;
use crate::kernel::ui::errors::LoadError;
use crate::kernel::ui::guard::RequireRole;
use crate::kernel::ui::once::awaited;
use leptos::prelude::*;
use leptos_meta::Title;

#[component]
pub fn PatientHomePage() -> impl IntoView {
    view! { <RequireRole area=crate::kernel::access::Area::PatientSelf><ProfileCard/></RequireRole> }
}

#[component]
fn ProfileCard() -> impl IntoView {
    let i18n = use_i18n();
    let profile = Resource::new(|| (), |_| my_profile());
    view! {
        <Title text=i18n.t("me-title")/>
        {awaited(async move {
            match profile.await {
                Err(e) => view! { <LoadError error=e/> }.into_any(),
                Ok(p) => view! {
                    <section class="rounded-2xl bg-white p-5 shadow-sm sm:p-8" data-testid="patient-home">
                        <h1 class="text-2xl font-bold text-teal-900">
                            {i18n.t_with("common-welcome-user", &[("name", p.full_name.clone())])}
                        </h1>
                        <crate::scheduling::pages::appointments::NextAppointments/>
                        <crate::records::pages::portal::LatestVisit/>
                        <h2 class="mt-8 font-semibold text-slate-800">{i18n.t("me-details")}</h2>
                        <dl class="mt-3 grid gap-4 sm:grid-cols-2">
                            <Item label_key="field-phone" value=p.phone.as_deref().map(local_phone).unwrap_or_else(|| "—".into()) ltr=true/>
                            <Item label_key="field-national-id" value=crate::kernel::values::national_id::mask_last4(&p.national_id_last4) ltr=true/>
                            <Item label_key="field-date-of-birth" value=p.date_of_birth.map(|d| d.to_string()).unwrap_or_default() ltr=true/>
                            <Item label_key="field-email" value=p.email.clone().unwrap_or_else(|| "—".into()) ltr=true/>
                        </dl>
                    </section>
                }.into_any(),
            }
        })}
    }
}

fn local_phone(e164: &str) -> String {
    crate::kernel::values::SaudiMobile::parse(e164)
        .map(|p| p.local())
        .unwrap_or_else(|_| e164.to_owned())
}

#[component]
fn Item(label_key: &'static str, value: String, #[prop(optional)] ltr: bool) -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <div class="rounded-xl border border-slate-200 p-4">
            <dt class="text-sm text-slate-500">{i18n.t(label_key)}</dt>
            <dd class="mt-1 font-semibold text-start"><bdi dir=ltr.then_some("ltr")>{value}</bdi></dd>
        </div>
    }
}
