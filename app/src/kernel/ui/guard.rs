//! Page-level gate over the access policy's areas. It only decides what to render; every
//! server function asks the policy again, because hiding a page is not a security boundary.

use crate::kernel::access::Area;
use crate::kernel::ui::errors::Forbidden;
use crate::kernel::ui::once::awaited;
use crate::kernel::ui::shell_data::ShellData;
use leptos::prelude::*;
use leptos_router::components::Redirect;

#[component]
pub fn RequireRole(area: Area, children: ChildrenFn) -> impl IntoView {
    let shell = expect_context::<ShellData>().0;
    let children = StoredValue::new(children);
    view! {
        {awaited(async move {
            let user = shell.await.ok().and_then(|s| s.user);
            match user {
                None => view! { <Redirect path="/login"/> }.into_any(),
                Some(user) if area.admits(user.role) => children.read_value()().into_any(),
                Some(_) => view! { <Forbidden/> }.into_any(),
            }
        })}
    }
}
