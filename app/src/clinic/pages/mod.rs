pub mod closures;
pub mod doctor_setup;
pub mod holidays;
pub mod prayer_breaks;
pub mod ramadan_hours;
pub mod setup;
pub mod setup_reminders;
pub mod setup_specialties;
pub mod setup_week;

/// Whether the page was reached by saving `form`: the save redirects here with `saved=<form>`,
/// with or without JavaScript.
pub(crate) fn saved_notice(form: &'static str) -> bool {
    reached_by_saving(form, |_| ()).is_some()
}

/// How many booked visits to come the save of `form` left outside the new hours or days, when
/// the page was reached by that save (`saved=<form>&booked=<n>`): the forms are not islands,
/// so the count reaches the page through the address the save redirects to.
pub(crate) fn saved_count(form: &'static str) -> Option<i64> {
    reached_by_saving(form, |q| {
        q.get("booked")
            .and_then(|n| n.parse::<i64>().ok())
            .unwrap_or(0)
    })
}

/// `read` of the address when the page was reached by saving `form` (`saved=<form>`). Read
/// once, as the page is built (see `kernel::ui::form::SubmitButton`).
fn reached_by_saving<T>(
    form: &'static str,
    read: impl FnOnce(&leptos_router::params::ParamsMap) -> T,
) -> Option<T> {
    leptos::prelude::WithUntracked::with_untracked(&leptos_router::hooks::use_query_map(), |q| {
        (q.get("saved").as_deref() == Some(form)).then(|| read(q))
    })
}

/// The check every setup change starts with: the caller may set the clinic up. Returns them,
/// with their address, as the editor the change's audit row names.
#[cfg(feature = "ssr")]
pub(crate) async fn setup_editor(
    ctx: &crate::kernel::auth::request::RequestCtx,
) -> Result<crate::clinic::service::Editor, crate::kernel::error::AppError> {
    let user = ctx
        .require(crate::kernel::access::Area::ClinicSetup)
        .await?;
    Ok(crate::clinic::service::Editor { user, ip: ctx.ip })
}
