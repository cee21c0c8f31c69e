//! "For whom": the patient or one of their family, as the booking and waitlist forms ask it.

use crate::kernel::{
    i18n::use_i18n,
    ui::{once::Loaded, shell_data::ShellData},
    values::Role,
};
use crate::patients::api::my_family;
use leptos::prelude::*;

/// The caller's family for a "for whom" choice; empty for anyone but a patient. Loaded when
/// the form's `awaited` block first awaits it.
pub fn family_choices() -> Loaded<Vec<crate::patients::model::Dependent>> {
    let shell = expect_context::<ShellData>().0;
    Loaded::new(async move {
        let is_patient = shell
            .await
            .ok()
            .and_then(|s| s.user)
            .is_some_and(|u| u.role == Role::Patient);
        if is_patient {
            my_family().await.unwrap_or_default()
        } else {
            vec![]
        }
    })
}

/// "For whom": the patient or one of their family. Without family (or at the desk, where the
/// patient is already chosen) it is an empty `patient_id`, which means "myself".
#[component]
pub fn PatientChoice(members: Vec<crate::patients::model::Dependent>) -> impl IntoView {
    let i18n = use_i18n();
    if members.is_empty() {
        return view! { <input type="hidden" name="patient_id" value=""/> }.into_any();
    }
    view! {
        <label class="flex flex-col gap-1 text-sm font-semibold text-slate-700">{i18n.t("fam-for-whom")}
            <select name="patient_id" id="input-patient-id" class="rounded-lg border border-slate-300 bg-white px-3 py-2 text-base font-normal">
                <option value="">{i18n.t("fam-myself")}</option>
                {members.into_iter().map(|m| view! {
                    <option value=m.id.to_string()>{format!("{} ({})", i18n.name(&m.full_name, m.latin_name.as_deref()), i18n.t(m.relation.label_key()))}</option>
                }).collect_view()}
            </select>
        </label>
    }.into_any()
}
