//! The one route table of the app.

use super::platform::{Dashboard, PlatformLayout};
use super::ui::NotFound;
use crate::areas::audit::pages::AuditPage;
use crate::areas::billing::pages::{ArrearsPage, BillingPage, InvoicePage, LeaseBillingPage};
use crate::areas::buildings::pages::{BuildingPage, BuildingsPage, UnitsPage};
use crate::areas::clients::pages::{ClientPage, ClientsPage};
use crate::areas::content::pages::{CompanyPage, PortfolioPage, PostEditorPage, PostsPage};
use crate::areas::contracts::pages::{ContractPage, ContractsPage};
use crate::areas::expenses::pages::{ExpensePage, ExpensesPage, OwnerReportPage};
use crate::areas::inquiries::pages::InquiriesPage;
use crate::areas::jobs::backups_page::BackupsPage;
use crate::areas::jobs::pages::JobsPage;
use crate::areas::jobs::queue_page::QueuePage;
use crate::areas::leases::pages::{LeasePage, LeasesPage};
use crate::areas::tenants::pages::{TenantPage, TenantsPage};
use crate::areas::users::pages::{AccountPage, UsersPage};
use crate::areas::utilities::pages::{ReadingsPage, UtilitiesPage};
use leptos::prelude::*;
use leptos_meta::provide_meta_context;
use leptos_router::components::{ParentRoute, Route, Router, Routes};
use leptos_router::{SsrMode, path};

#[component]
pub fn App() -> impl IntoView {
    provide_meta_context();
    view! {
        <Router>
            <Routes fallback=|| view! { <NotFound /> }>
                // Async: the server waits for the page's data and sends it whole. Streaming nested
                // suspense here sometimes never finished under load (seen in the test suite).
                <ParentRoute path=path!("/platform") view=PlatformLayout ssr=SsrMode::Async>
                    <Route path=path!("") view=Dashboard />
                    <Route path=path!("admin/users") view=UsersPage />
                    <Route path=path!("account") view=AccountPage />
                    <Route path=path!("inquiries") view=InquiriesPage />
                    <Route path=path!("buildings") view=BuildingsPage />
                    <Route path=path!("buildings/:id") view=BuildingPage />
                    <Route path=path!("buildings/:id/units") view=UnitsPage />
                    <Route path=path!("clients") view=ClientsPage />
                    <Route path=path!("clients/:id") view=ClientPage />
                    <Route path=path!("contracts") view=ContractsPage />
                    <Route path=path!("contracts/:id") view=ContractPage />
                    <Route path=path!("admin/audit") view=AuditPage />
                    <Route path=path!("admin/jobs") view=JobsPage />
                    <Route path=path!("admin/queue") view=QueuePage />
                    <Route path=path!("admin/backups") view=BackupsPage />
                    <Route path=path!("tenants") view=TenantsPage />
                    <Route path=path!("tenants/:id") view=TenantPage />
                    <Route path=path!("leases") view=LeasesPage />
                    <Route path=path!("leases/:id") view=LeasePage />
                    <Route path=path!("billing") view=BillingPage />
                    <Route path=path!("billing/arrears") view=ArrearsPage />
                    <Route path=path!("billing/invoices/:id") view=InvoicePage />
                    <Route path=path!("billing/leases/:id") view=LeaseBillingPage />
                    <Route path=path!("expenses") view=ExpensesPage />
                    <Route path=path!("utilities") view=UtilitiesPage />
                    <Route path=path!("utilities/readings") view=ReadingsPage />
                    <Route path=path!("expenses/report") view=OwnerReportPage />
                    <Route path=path!("expenses/items/:id") view=ExpensePage />
                    <Route path=path!("content/posts") view=PostsPage />
                    <Route path=path!("content/posts/new") view=PostEditorPage />
                    <Route path=path!("content/posts/:id") view=PostEditorPage />
                    <Route path=path!("content/company") view=CompanyPage />
                    <Route path=path!("content/portfolio") view=PortfolioPage />
                </ParentRoute>
            </Routes>
        </Router>
    }
}
