import { Spin } from 'antd';
import { lazy, Suspense } from 'react';
import { Route, Routes } from 'react-router-dom';
import { NotOpenPage } from '../ui/NotOpenPage.tsx';

// The login page and the shell are separate chunks too, so the first screen a clerk sees is light.
const LoginPage = lazy(() => import('../modules/auth/LoginPage.tsx'));
const AppLayout = lazy(() => import('./AppLayout.tsx'));

// Every page is its own chunk: the login page and the shell load first, the rest on demand.
const DashboardPage = lazy(() => import('../pages/DashboardPage.tsx'));
const RegistrySearchPage = lazy(() => import('../pages/RegistrySearchPage.tsx'));
const HouseholdPage = lazy(() => import('../pages/HouseholdPage.tsx'));
const HouseholdCreatePage = lazy(() => import('../pages/HouseholdCreatePage.tsx'));
const HouseholdEditPage = lazy(() => import('../pages/HouseholdEditPage.tsx'));
const RosterImportPage = lazy(() => import('../pages/registry/RosterImportPage.tsx'));
const UsersPage = lazy(() => import('../pages/admin/UsersPage.tsx'));
const AreasPage = lazy(() => import('../pages/admin/AreasPage.tsx'));
const AuditPage = lazy(() => import('../pages/admin/AuditPage.tsx'));
const CalendarPage = lazy(() => import('../pages/admin/CalendarPage.tsx'));
const PolicyPage = lazy(() => import('../pages/admin/PolicyPage.tsx'));
const CalcPage = lazy(() => import('../pages/CalcPage.tsx'));
const IntakePage = lazy(() => import('../pages/IntakePage.tsx'));
const IntakeRequestPage = lazy(() => import('../pages/IntakeRequestPage.tsx'));
const ApprovalPage = lazy(() => import('../pages/ApprovalPage.tsx'));
const CasePage = lazy(() => import('../pages/CasePage.tsx'));
const PayrollsPage = lazy(() => import('../pages/payments/PayrollsPage.tsx'));
const PayrollPage = lazy(() => import('../pages/payments/PayrollPage.tsx'));
const OneOffPage = lazy(() => import('../pages/payments/OneOffPage.tsx'));
const VerificationPage = lazy(() => import('../pages/verification/VerificationPage.tsx'));
const ReportPage = lazy(() => import('../pages/verification/ReportPage.tsx'));
const InspectionPage = lazy(() => import('../pages/inspection/InspectionPage.tsx'));
const CampaignPage = lazy(() => import('../pages/inspection/CampaignPage.tsx'));
const FilingsPage = lazy(() => import('../pages/filings/FilingsPage.tsx'));
const ReportsPage = lazy(() => import('../pages/reports/ReportsPage.tsx'));

const LATER: { path: string; title: string; description: string }[] = [];

export default function App() {
  return (
    <Suspense fallback={<Spin size="large" fullscreen />}>
      <Routes>
        <Route path="/login" element={<LoginPage />} />
        <Route element={<AppLayout />}>
          <Route index element={<DashboardPage />} />
          <Route path="registry" element={<RegistrySearchPage />} />
          <Route path="registry/households/new" element={<HouseholdCreatePage />} />
          <Route path="registry/households/:id" element={<HouseholdPage />} />
          <Route path="registry/households/:id/edit" element={<HouseholdEditPage />} />
          <Route path="registry/import" element={<RosterImportPage />} />
          <Route path="admin/users" element={<UsersPage />} />
          <Route path="admin/areas" element={<AreasPage />} />
          <Route path="admin/audit" element={<AuditPage />} />
          <Route path="admin/calendar" element={<CalendarPage />} />
          <Route path="admin/policy" element={<PolicyPage />} />
          <Route path="calc" element={<CalcPage />} />
          <Route path="intake" element={<IntakePage />} />
          <Route path="intake/:id" element={<IntakeRequestPage />} />
          <Route path="approval" element={<ApprovalPage />} />
          <Route path="approval/cases/:id" element={<CasePage />} />
          <Route path="payments" element={<PayrollsPage />} />
          <Route path="payments/payrolls/:id" element={<PayrollPage />} />
          <Route path="payments/one-off" element={<OneOffPage />} />
          <Route path="verification" element={<VerificationPage />} />
          <Route path="verification/reports/:id" element={<ReportPage />} />
          <Route path="inspection" element={<InspectionPage />} />
          <Route path="inspection/campaigns/:id" element={<CampaignPage />} />
          <Route path="filings" element={<FilingsPage />} />
          <Route path="reports" element={<ReportsPage />} />
          {LATER.map((l) => (
            <Route
              key={l.path}
              path={l.path}
              element={<NotOpenPage title={l.title} description={l.description} />}
            />
          ))}
          <Route path="*" element={<NotOpenPage title="页面不存在" description="请从左侧菜单进入。" />} />
        </Route>
      </Routes>
    </Suspense>
  );
}
