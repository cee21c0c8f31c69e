//! "All branches" and one link per branch, for the staff day and week lists.

use crate::kernel::i18n::use_i18n;
use crate::kernel::values::Named;
use leptos::prelude::*;
use uuid::Uuid;

const ACTIVE: &str = "rounded-full bg-teal-800 px-3 py-1 text-sm text-white";
const IDLE: &str = "rounded-full border border-slate-300 px-3 py-1 text-sm text-slate-700";

/// Links to `{base}` (which already carries its query, e.g. `/staff?day=…`) for every branch
/// and for each one; nothing when there is only one branch.
#[component]
pub fn BranchFilter(
    base: String,
    branches: Vec<Named>,
    current: Option<Uuid>,
    testid: &'static str,
) -> impl IntoView {
    let i18n = use_i18n();
    (branches.len() > 1).then(|| {
        view! {
            <nav class="mt-4 flex flex-wrap gap-2" aria-label=i18n.t("branch-label") data-testid=testid>
                <a href=base.clone() aria-current=current.is_none().then_some("page")
                    class=if current.is_none() { ACTIVE } else { IDLE }>
                    {i18n.t("branch-any")}
                </a>
                {branches.into_iter().map(|b| {
                    let active = current == Some(b.id);
                    view! {
                        <a href=format!("{base}&clinic={}", b.id) aria-current=active.then_some("page")
                            class=if active { ACTIVE } else { IDLE }>
                            {b.name(i18n.locale).to_owned()}
                        </a>
                    }
                }).collect_view()}
            </nav>
        }
    })
}
