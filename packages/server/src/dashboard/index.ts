export { DASHBOARD_CSP, type DashboardServices, registerDashboard, SESSION_COOKIE } from './routes.js';
export { DashboardSessions, type SessionLimits } from './sessions.js';
