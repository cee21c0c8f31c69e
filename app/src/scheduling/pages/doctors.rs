//! Finding a doctor: by name (Arabic or Latin, forgiving spelling), specialty, branch and sex;
//! one card per doctor and branch, each with the next time they can see you there.

use crate::kernel::error::AppError;
use crate::kernel::i18n::use_i18n;
use crate::kernel::ui::errors::LoadError;
use crate::kernel::ui::kept::kept;
use crate::kernel::ui::once::{awaited, Loaded};
use crate::kernel::ui::when::gregorian_label;
use crate::kernel::ui::when::time_label;
use crate::kernel::ui::when::zoned;
pub use crate::scheduling::model::{DoctorCard, DoctorSearch};
use crate::scheduling::pages::doctor::carried;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

#[server(endpoint = "find_doctors")]
pub async fn find_doctors(
    q: String,
    specialty: String,
    sex: String,
    clinic: Option<String>,
) -> Result<DoctorSearch, AppError> {
    use crate::kernel::auth::request::RequestCtx;
    use crate::scheduling::search::SearchAsk;
    let ctx = RequestCtx::current()?;
    let ask = SearchAsk {
        q,
        specialty,
        sex,
        clinic,
    };
    // The page cache may have run this very search to decide whether its copy is current; the
    // page then shows what it read.
    if let Some(read) =
        crate::kernel::page_data::prefetched::<(SearchAsk, DoctorSearch)>(|(asked, _)| {
            *asked == ask
        })
    {
        return Ok(read.1.clone());
    }
    let filter = ask.filter()?;
    Ok(
        crate::scheduling::search::find_doctors(&ctx.state, &filter, jiff::Timestamp::now())
            .await?,
    )
}

#[component]
pub fn DoctorsPage() -> impl IntoView {
    let i18n = use_i18n();
    let query = use_query_map();
    let param = move |k: &str| query.read_untracked().get(k).unwrap_or_default();
    let search = Loaded::new(find_doctors(
        param("q"),
        param("specialty"),
        param("sex"),
        Some(param("clinic")),
    ));
    // Full width and allowed to shrink: a select sizes itself to its longest option, which
    // pushed the form past the screen's edge on phones.
    let select = "w-full min-w-0 rounded-lg border border-slate-300 bg-white px-3 py-2";
    view! {
        <Title text=i18n.t("book-find-title")/>
        <h1 class="text-2xl font-bold text-teal-900">{i18n.t("book-find-title")}</h1>
        {awaited(async move {
            match search.await {
                Err(e) => view! { <LoadError error=e/> }.into_any(),
                Ok(found) => view! {
                    <form method="get" action="/doctors" class="mt-4 grid grid-cols-1 gap-3 rounded-2xl bg-white p-4 shadow-sm sm:grid-cols-5" role="search">
                        {query.read().get("for").map(|p| view! { <input type="hidden" name="for" value=p/> })}
                        <input type="search" name="q" value=param("q") placeholder=i18n.t("book-search-placeholder")
                            aria-label=i18n.t("book-search-placeholder") data-testid="doctor-search"
                            class="w-full min-w-0 rounded-lg border border-slate-300 px-3 py-2 sm:col-span-2"/>
                        <select name="specialty" class=select aria-label=i18n.t("admin-col-specialty")>
                            <option value="">{i18n.t("book-any-specialty")}</option>
                            {found.specialties.iter().map(|s| {
                                let selected = param("specialty") == s.id.to_string();
                                view! { <option value=s.id.to_string() selected=selected>{s.name(i18n.locale).to_owned()}</option> }
                            }).collect_view()}
                        </select>
                        <select name="sex" class=select aria-label=i18n.t("book-doctor-sex")>
                            <option value="">{i18n.t("book-any-sex")}</option>
                            <option value="female" selected=param("sex") == "female">{i18n.t("book-female-doctor")}</option>
                            <option value="male" selected=param("sex") == "male">{i18n.t("book-male-doctor")}</option>
                        </select>
                        {(found.branches.len() > 1).then(|| view! {
                            <select name="clinic" class=select aria-label=i18n.t("branch-label") data-testid="filter-branch">
                                <option value="">{i18n.t("branch-any")}</option>
                                {found.branches.iter().map(|b| {
                                    let selected = param("clinic") == b.id.to_string();
                                    view! { <option value=b.id.to_string() selected=selected>{b.name(i18n.locale).to_owned()}</option> }
                                }).collect_view()}
                            </select>
                        })}
                        <button type="submit" class="rounded-lg bg-teal-700 px-4 py-2 font-semibold text-white sm:col-span-5 sm:justify-self-start">
                            {i18n.t("book-search")}
                        </button>
                    </form>
                    {
                        // The same for everyone who asks the same while the doctors' next free
                        // times are unchanged.
                        // The desk books for a patient; the choice travels with every link
                        // until confirmation.
                        let carry = carried(&query, &["for"]);
                        kept("doctor-results", &carry.clone(), found.results, move |results| view! { <ResultList results carry/> })
                    }
                }.into_any(),
            }
        })}
    }
}

#[component]
fn ResultList(results: Vec<DoctorCard>, carry: String) -> impl IntoView {
    let i18n = use_i18n();
    if results.is_empty() {
        return view! { <p class="mt-6 text-slate-600" data-testid="no-doctors">{i18n.t("book-no-doctors")}</p> }.into_any();
    }
    view! {
        <ul class="mt-6 grid gap-4 sm:grid-cols-2" data-testid="doctor-results">
            {results.into_iter().map(|d| {
                let name = i18n.name(&d.name_ar, d.latin_name.as_deref()).to_owned();
                let next = d.next_slot.map(|ts| {
                    let date = zoned(ts, &d.timezone).date();
                    format!("{} · {}", gregorian_label(i18n, date), time_label(i18n, ts, &d.timezone))
                });
                view! {
                    <li class="flex flex-col gap-2 rounded-2xl bg-white p-4 shadow-sm">
                        <a href=format!("/doctors/{}?clinic={}{carry}", d.id, d.clinic.id) class="text-lg font-bold text-teal-900 hover:underline">
                            {i18n.t_with("book-doctor-title", &[("name", name)])}
                        </a>
                        <p class="text-slate-600">{d.specialty.name(i18n.locale).to_owned()}</p>
                        <p class="text-sm text-slate-500" data-testid="result-branch">{d.clinic.name(i18n.locale).to_owned()}</p>
                        <p class="text-sm">
                            <span class="text-slate-500">{i18n.t("book-next-available")}" "</span>
                            <span class="font-semibold">{next.unwrap_or_else(|| i18n.t("book-no-slot-soon"))}</span>
                        </p>
                    </li>
                }
            }).collect_view()}
        </ul>
    }.into_any()
}
