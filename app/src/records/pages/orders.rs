//! Orders and results on screen: the list (each order with its status, its values flagged
//! against their ranges, the report and the files that came with it), the form that places an
//! order while the note is a draft, and, on an open order of the reader's own, the forms that
//! record its result or cancel it. The result form starts from the catalogue's usual range
//! for the patient's sex; the doctor corrects it to the lab's printed range where it differs.

use crate::kernel::i18n::{use_i18n, I18n};
use crate::kernel::ui::form::{
    action_error, field_message, ErrorSummary, Field, SelectField, SubmitButton, TextAreaField,
    TEXT_INPUT_CLASS,
};
use crate::kernel::ui::when::{gregorian_label, time_label, zoned};
use crate::records::api::orders::{CancelOrder, PlaceOrder, RecordResult};
use crate::records::domain::order::{
    self, analyte_name_key, field_names, scaled_text, OrderKind, OrderStatus, Range, ResultFlag,
};
use crate::records::model::{AttachmentView, EncounterPage, OrderView, ResultLine};
use leptos::prelude::*;

fn range_text(range: Range, decimals: u32) -> String {
    let t = |v| scaled_text(v, decimals);
    match (range.low, range.high) {
        (Some(l), Some(h)) => format!("{}–{}", t(l), t(h)),
        (None, Some(h)) => format!("≤ {}", t(h)),
        (Some(l), None) => format!("≥ {}", t(l)),
        (None, None) => String::new(),
    }
}

fn status_class(o: &OrderView) -> &'static str {
    match o.status {
        OrderStatus::Ordered => {
            "rounded-full bg-amber-100 px-2 py-0.5 text-xs font-semibold text-amber-900"
        }
        OrderStatus::Resulted if o.abnormal => {
            "rounded-full bg-rose-100 px-2 py-0.5 text-xs font-semibold text-rose-900"
        }
        OrderStatus::Resulted => {
            "rounded-full bg-teal-100 px-2 py-0.5 text-xs font-semibold text-teal-900"
        }
        OrderStatus::Cancelled => {
            "rounded-full bg-slate-100 px-2 py-0.5 text-xs font-semibold text-slate-600"
        }
    }
}

/// A result's values: name, value with unit (out of range in a warning colour, with its
/// mark in words, not only colour), and the range it was read against.
fn values_table(i18n: I18n, values: Vec<ResultLine>) -> impl IntoView {
    view! {
        <table class="mt-2 w-full text-sm" data-testid="result-values">
            <thead class="text-xs text-slate-500">
                <tr>
                    <th class="py-1 text-start font-normal">{i18n.t("order-analyte")}</th>
                    <th class="py-1 text-start font-normal">{i18n.t("order-value")}</th>
                    <th class="py-1 text-start font-normal">{i18n.t("order-range")}</th>
                </tr>
            </thead>
            <tbody>
                {values.into_iter().map(|v| {
                    let (cls, mark) = match v.flag {
                        ResultFlag::High => ("font-bold text-rose-700", Some(i18n.t("enc-flag-high"))),
                        ResultFlag::Low => ("font-bold text-rose-700", Some(i18n.t("enc-flag-low"))),
                        ResultFlag::Normal => ("text-slate-900", None),
                    };
                    view! {
                        <tr class="border-t border-slate-100" data-analyte=v.analyte.clone() data-flag=v.flag.code()>
                            <td class="py-1">{i18n.t(&analyte_name_key(&v.analyte))}</td>
                            <td class=format!("py-1 {cls}")>
                                <bdi dir="ltr">{scaled_text(v.value, v.decimals)}" "{v.unit.clone()}</bdi>
                                {mark.map(|m| view! { <span class="ms-1 text-xs">{m}</span> })}
                            </td>
                            <td class="py-1 text-slate-600"><bdi dir="ltr">{range_text(v.range, v.decimals)}</bdi></td>
                        </tr>
                    }
                }).collect_view()}
            </tbody>
        </table>
    }
}

/// The orders with their results; `forms` adds the result and cancel forms to the reader's
/// own open orders (the consultation screen; the chart lists them read-only).
#[component]
pub fn OrderList(
    orders: Vec<OrderView>,
    files: Vec<AttachmentView>,
    timezone: String,
    #[prop(optional)] forms: bool,
    /// The patient's sex, for the ranges the result form starts from.
    #[prop(default = None)]
    sex: Option<String>,
) -> impl IntoView {
    let i18n = use_i18n();
    if orders.is_empty() {
        return view! { <p class="text-sm text-slate-500" data-testid="orders-none">{i18n.t("order-none")}</p> }
            .into_any();
    }
    view! {
        <ul class="mt-2 grid gap-3" data-testid="orders-list">
            {orders.into_iter().map(|o| {
                let day = zoned(o.ordered_at, &timezone).date();
                let when = format!("{} {}", gregorian_label(i18n, day), time_label(i18n, o.ordered_at, &timezone));
                let closed = o.closed_at.map(|at| format!(
                    "{} {}", gregorian_label(i18n, zoned(at, &timezone).date()), time_label(i18n, at, &timezone)));
                let own_files: Vec<AttachmentView> = files.iter().filter(|f| f.order_id == Some(o.id)).cloned().collect();
                let status = if o.status == OrderStatus::Resulted && o.abnormal { "order-status-abnormal" } else { o.status.label_key() };
                view! {
                    <li class="rounded-xl border border-slate-200 p-3" data-testid="order" data-status=format!("{:?}", o.status).to_lowercase()>
                        <div class="flex flex-wrap items-center gap-2">
                            <span class="font-semibold text-slate-900">{i18n.t(&format!("order-test-{}", o.test_code))}</span>
                            <span class="text-xs text-slate-500">{i18n.t(o.kind.label_key())}</span>
                            {o.urgent.then(|| view! { <span class="rounded-full bg-rose-600 px-2 py-0.5 text-xs font-semibold text-white">{i18n.t("order-priority-urgent")}</span> })}
                            <span class=status_class(&o) data-testid="orders-status">{i18n.t(status)}</span>
                        </div>
                        <p class="mt-1 text-xs text-slate-600">{o.doctor_name.clone()}" · "<bdi>{when}</bdi></p>
                        {(!o.indication.is_empty()).then(|| view! {
                            <p class="mt-1 text-sm"><span class="text-slate-500">{i18n.t("order-indication")}": "</span><bdi dir="auto">{o.indication.clone()}</bdi></p>
                        })}
                        {(!o.values.is_empty()).then(|| values_table(i18n, o.values.clone()))}
                        {(!o.report.is_empty()).then(|| view! {
                            <p class="mt-2 whitespace-pre-line rounded-lg bg-slate-50 px-3 py-2 text-sm" dir="auto" data-testid="orders-report">{o.report.clone()}</p>
                        })}
                        {closed.map(|c| view! {
                            <p class="mt-1 text-xs text-slate-500">{o.closed_by.clone().unwrap_or_default()}" · "<bdi>{c}</bdi></p>
                        })}
                        {(!own_files.is_empty()).then(|| view! {
                            <crate::records::pages::attachments::AttachmentList files=own_files timezone=timezone.clone() staff=true/>
                        })}
                        {(forms && o.actionable).then(|| view! { <ResultForm order=o.clone() sex=sex.clone()/> })}
                    </li>
                }
            }).collect_view()}
        </ul>
    }
    .into_any()
}

/// Recording the result of an open order, and cancelling it instead.
#[component]
fn ResultForm(order: OrderView, sex: Option<String>) -> impl IntoView {
    let i18n = use_i18n();
    let action = ServerAction::<RecordResult>::new();
    let error = action_error(action.value());
    let summary = Signal::derive(move || error.get().filter(|e| e.field_errors().is_none()));
    let cancel = ServerAction::<CancelOrder>::new();
    let cancel_error = action_error(cancel.value());
    let whole = field_message(error, "result");
    let spec = order::test(&order.test_code);
    let analytes = spec.map(|s| s.analytes).unwrap_or_default();
    let row = order.id.to_string();
    view! {
        <details class="mt-2" data-testid="result-form">
            <summary class="cursor-pointer text-sm font-semibold text-teal-800">{i18n.t("order-result-add")}</summary>
            <ActionForm action=action attr:class="mt-2 grid gap-3" attr:novalidate=true>
                <ErrorSummary error=summary/>
                <input type="hidden" name="order_id" value=row.clone()/>
                <p class="min-h-4 text-sm text-rose-700" role="alert" data-field-error="result">{whole}</p>
                {(!analytes.is_empty()).then(|| view! {
                    <div class="grid gap-2">
                        <p class="text-xs text-slate-500">{i18n.t("order-range-hint")}</p>
                        {analytes.iter().map(|a| {
                            let [value, low, high] = field_names(a.code);
                            let usual = a.usual_for(sex.as_deref());
                            let input = |name: String, label: String, start: Option<String>| {
                                let id = format!("input-{}-{row}", name.replace(['[', ']'], "-"));
                                let message = field_message(error, &name);
                                view! {
                                    <div class="flex flex-col gap-1">
                                        <label for=id.clone() class="text-xs text-slate-600">{label}</label>
                                        <input id=id name=name.clone() inputmode="decimal" dir="ltr" value=start
                                            aria-invalid=message.is_some().to_string() class=TEXT_INPUT_CLASS/>
                                        <p class="min-h-4 text-xs text-rose-700" role="alert" data-field-error=name>{message}</p>
                                    </div>
                                }
                            };
                            let start = |v: Option<i32>| v.map(|v| scaled_text(v, a.decimals));
                            view! {
                                <fieldset class="grid grid-cols-3 gap-2 rounded-lg bg-slate-50 p-2" data-analyte=a.code>
                                    <legend class="px-1 text-sm font-semibold text-slate-800">
                                        {i18n.t(&analyte_name_key(a.code))}" "<bdi dir="ltr" class="font-normal text-slate-500">"("{a.unit}")"</bdi>
                                    </legend>
                                    {input(value, i18n.t("order-value"), None)}
                                    {input(low, i18n.t("order-range-low"), start(usual.low))}
                                    {input(high, i18n.t("order-range-high"), start(usual.high))}
                                </fieldset>
                            }
                        }).collect_view()}
                    </div>
                })}
                <TextAreaField name="result_report" label_key=if order.kind == OrderKind::Radiology { "order-report" } else { "order-comment" }
                    server_error=error rows=3 required=order.kind == OrderKind::Radiology/>
                {(order.kind == OrderKind::Radiology).then(|| view! {
                    <label class="flex items-center gap-2 text-sm">
                        <input type="checkbox" name="result_abnormal" value="on" class="size-4"/>
                        {i18n.t("order-abnormal")}
                    </label>
                })}
                <SubmitButton label_key="order-result-save" pending=action.pending().into()/>
            </ActionForm>
            <ActionForm action=cancel attr:class="mt-2" attr:novalidate=true>
                <ErrorSummary error=cancel_error/>
                <input type="hidden" name="order_id" value=order.id.to_string()/>
                <button type="submit" data-testid="orders-cancel"
                    class="text-sm font-semibold text-rose-700 underline underline-offset-2">{i18n.t("order-cancel")}</button>
            </ActionForm>
        </details>
    }
}

/// The consultation's orders section: its orders, and while the note is a draft the form that
/// places one.
#[component]
pub fn OrdersSection(p: EncounterPage) -> impl IntoView {
    let i18n = use_i18n();
    let action = ServerAction::<PlaceOrder>::new();
    let error = action_error(action.value());
    let summary = Signal::derive(move || error.get().filter(|e| e.field_errors().is_none()));
    let test_message = field_message(error, "order_test");
    let group = move |kind: OrderKind| {
        order::CATALOGUE
            .iter()
            .filter(move |t| t.kind == kind)
            .map(move |t| view! { <option value=t.code>{i18n.t(&t.name_key())}</option> })
            .collect_view()
    };
    view! {
        <section id="orders" class="mt-4 rounded-2xl bg-white p-5 shadow-sm" aria-label=i18n.t("order-title") data-testid="orders">
            <h2 class="font-semibold text-slate-800">{i18n.t("order-title")}</h2>
            <OrderList orders=p.orders.clone() files=p.attachments.clone() timezone=p.timezone.clone() forms=true sex=p.header.sex.clone()/>
            {(!p.signed).then(|| view! {
                <ActionForm action=action attr:class="mt-4 grid gap-3 sm:grid-cols-3" attr:novalidate=true attr:data-testid="orders-form">
                    <div class="sm:col-span-3"><ErrorSummary error=summary/></div>
                    <input type="hidden" name="id" value=p.id.to_string()/>
                    <div class="flex flex-col gap-1">
                        <label for="input-order_test" class="text-sm font-semibold text-slate-700">
                            {i18n.t("order-test")}<span class="text-rose-600 ms-1" aria-hidden="true">"*"</span>
                        </label>
                        <select id="input-order_test" name="order_test" required aria-invalid=test_message.is_some().to_string()
                            class="w-full rounded-lg border border-slate-300 bg-white px-3 py-2 text-base">
                            <option value="">{i18n.t("field-choose")}</option>
                            <optgroup label=i18n.t("order-kind-lab")>{group(OrderKind::Lab)}</optgroup>
                            <optgroup label=i18n.t("order-kind-radiology")>{group(OrderKind::Radiology)}</optgroup>
                        </select>
                        <p class="min-h-4 text-sm text-rose-700" role="alert" data-field-error="order_test">{test_message}</p>
                    </div>
                    <SelectField name="order_priority" label_key="order-priority" server_error=error required=true
                        options=vec![("routine", "order-priority-routine"), ("urgent", "order-priority-urgent")]/>
                    <Field name="order_indication" label_key="order-indication" server_error=error dir="auto"/>
                    <div class="sm:col-span-3"><SubmitButton label_key="order-place" pending=action.pending().into()/></div>
                </ActionForm>
            })}
        </section>
    }
}
