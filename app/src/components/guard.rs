//! Page-level role gate. It only decides what to render; every server function checks the
//! role again on its own, because hiding a page is not a security boundary.

use crate::{domain::Role, pages::errors::Forbidden, ShellResource};
use leptos::prelude::*;
use leptos_router::components::Redirect;

#[component]
pub fn RequireRole(roles: &'static [Role], children: ChildrenFn) -> impl IntoView {
    let shell = expect_context::<ShellResource>().0;
    let children = StoredValue::new(children);
    view! {
        <Suspense>
            {move || Suspend::new(async move {
                let user = shell.await.ok().and_then(|s| s.user);
                match user {
                    None => view! { <Redirect path="/login"/> }.into_any(),
                    Some(user) if roles.contains(&user.role) => children.read_value()().into_any(),
                    Some(_) => view! { <Forbidden/> }.into_any(),
                }
            })}
        </Suspense>
    }
}
