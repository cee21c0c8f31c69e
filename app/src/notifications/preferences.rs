//! `/me/notifications`: how a patient (or guardian) wants to be told — which of the clinic's
//! channels, in which language, and whether to get reminders. Messages about a change to a
//! booking are sent whatever is chosen (on the clinic's first channel when none is).

use crate::kernel::error::AppError;
use crate::kernel::i18n::use_i18n;
use crate::kernel::ui::errors::LoadError;
use crate::kernel::ui::form::{action_error, ErrorSummary, SubmitButton};
use crate::kernel::ui::guard::RequireRole;
use crate::kernel::ui::once::awaited;
use crate::notifications::domain::message::Channel;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;
use serde::{Deserialize, Serialize};

/// The channels the clinic runs, in its order of preference (registered by the server).
#[derive(Debug, Clone, Default)]
pub struct RunningChannels(pub Vec<Channel>);

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct NotificationSettings {
    /// What the patient can choose from: the clinic's channels (the log channel is not one).
    pub offered: Vec<Channel>,
    pub chosen: Vec<Channel>,
    pub reminders: bool,
    pub language: String,
}

#[cfg(feature = "ssr")]
fn offered(ctx: &crate::kernel::auth::request::RequestCtx) -> Vec<Channel> {
    ctx.state
        .feature::<std::sync::Arc<RunningChannels>>()
        .map(|r| r.0.iter().copied().filter(|c| *c != Channel::Log).collect())
        .unwrap_or_default()
}

#[server(endpoint = "my_notification_settings")]
pub async fn my_notification_settings() -> Result<NotificationSettings, AppError> {
    use crate::kernel::auth::request::RequestCtx;
    let ctx = RequestCtx::current()?;
    let user = ctx
        .require(crate::kernel::access::Area::PatientSelf)
        .await?;
    let offered = offered(&ctx);
    let stored = crate::notifications::db::settings(ctx.pool(), user.id).await?;
    Ok(match stored {
        Some((channels, reminders, language)) => NotificationSettings {
            chosen: crate::notifications::domain::message::Preferences::stored(
                &channels, reminders,
            )
            .channels,
            offered,
            reminders,
            language,
        },
        None => NotificationSettings {
            chosen: offered.clone(),
            offered,
            reminders: true,
            language: crate::kernel::i18n::request_locale().code().to_owned(),
        },
    })
}

#[server(endpoint = "save_notification_settings")]
pub async fn save_notification_settings(
    email: Option<String>,
    sms: Option<String>,
    whatsapp: Option<String>,
    reminders: Option<String>,
    language: String,
) -> Result<(), AppError> {
    use crate::kernel::auth::request::RequestCtx;
    let ctx = RequestCtx::current()?;
    let user = ctx
        .require(crate::kernel::access::Area::PatientSelf)
        .await?;
    let language = crate::kernel::i18n::Locale::from_code(language.trim())
        .ok_or_else(|| AppError::field("language", "err-notify-language"))?;
    let offered = offered(&ctx);
    let mut chosen = vec![];
    for (channel, ticked) in [
        (Channel::WhatsApp, &whatsapp),
        (Channel::Email, &email),
        (Channel::Sms, &sms),
    ] {
        if ticked.is_some() {
            if !offered.contains(&channel) {
                return Err(AppError::field(
                    channel.code(),
                    "err-notify-channel-not-offered",
                ));
            }
            chosen.push(channel);
        }
    }
    crate::notifications::db::save_settings(
        ctx.pool(),
        user.id,
        &chosen,
        reminders.is_some(),
        language.code(),
    )
    .await?;
    leptos_axum::redirect("/me/notifications?saved=1");
    Ok(())
}

#[component]
pub fn NotificationSettingsPage() -> impl IntoView {
    view! { <RequireRole area=crate::kernel::access::Area::PatientSelf><SettingsForm/></RequireRole> }
}

#[component]
fn SettingsForm() -> impl IntoView {
    let i18n = use_i18n();
    let save = ServerAction::<SaveNotificationSettings>::new();
    let error = action_error(save.value());
    let query = use_query_map();
    // Read once, as the page is built (see `kernel::ui::form::SubmitButton`).
    let saved = query.with_untracked(|q| q.get("saved").is_some())
        && error.try_get_untracked().flatten().is_none();
    let settings = Resource::new(move || save.version().get(), |_| my_notification_settings());
    view! {
        <Title text=i18n.t("notify-pref-title")/>
        <section class="mx-auto max-w-md rounded-2xl bg-white p-5 shadow-sm sm:p-8" data-testid="notification-settings">
            <h1 class="text-2xl font-bold text-teal-900">{i18n.t("notify-pref-title")}</h1>
            {saved.then(|| view! {
                <p role="status" data-testid="settings-saved" class="mt-4 rounded-lg bg-emerald-50 px-4 py-3 text-emerald-800">{i18n.t("notify-pref-saved")}</p>
            })}
            {awaited(async move {
                let s = match settings.await {
                    Err(e) => return view! { <LoadError error=e/> }.into_any(),
                    Ok(s) => s,
                };
                let channels = s.offered.iter().copied().map(|c: Channel| {
                    let key = format!("notify-channel-{}", c.code());
                    let checked = s.chosen.contains(&c);
                    view! {
                        <label class="flex items-center gap-3 text-base">
                            <input type="checkbox" name=c.code() value="on" checked=checked class="h-5 w-5"/>
                            {i18n.t(&key)}
                        </label>
                    }
                }).collect_view();
                view! {
                    <ActionForm action=save attr:class="mt-6 flex flex-col gap-5">
                        <ErrorSummary error=error/>
                        <fieldset class="flex flex-col gap-2">
                            <legend class="mb-2 font-semibold text-slate-700">{i18n.t("notify-pref-channels")}</legend>
                            {channels}
                            <p class="text-sm text-slate-500">{i18n.t("notify-pref-always")}</p>
                        </fieldset>
                        <label class="flex items-center gap-3 text-base">
                            <input type="checkbox" name="reminders" value="on" checked=s.reminders class="h-5 w-5"/>
                            {i18n.t("notify-pref-reminders")}
                        </label>
                        <label class="flex flex-col gap-1 font-semibold text-slate-700">{i18n.t("notify-pref-language")}
                            <select name="language" id="input-language" class="rounded-lg border border-slate-300 px-3 py-2 text-base font-normal">
                                <option value="ar" selected=s.language == "ar">"العربية"</option>
                                <option value="en" selected=s.language == "en">"English"</option>
                            </select>
                        </label>
                        <SubmitButton label_key="notify-pref-save" pending=save.pending().into()/>
                    </ActionForm>
                }.into_any()
            })}
        </section>
    }
}
