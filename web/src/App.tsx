import { lazy, Suspense, useState, type ReactNode } from 'react';
import { BrowserRouter, Link, Navigate, NavLink, Route, Routes, useLocation, useMatch, useNavigate } from 'react-router';
import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { ApiError } from './api/client';
import { ErrorBoundary } from './components/ErrorBoundary';
import { KeyboardShortcuts } from './components/ShortcutsDialog';
import { useRouteFocus } from './hooks/useRouteFocus';
import { useScrollRestoration } from './hooks/useScrollRestoration';
import { HomeFeedProvider, useHomeFeed } from './home';
import { LiveProvider, useLive } from './live';
import { TimelinesProvider } from './timelines';
import { ConnectionBanner } from './components/ConnectionBanner';
import { ComposeButton, MoreMenu } from './components/PhoneNav';
import { NotificationsProvider, useNotifications } from './notifications';
import { LoginPage, SignupPage } from './pages/AuthPages';
import { FollowRequestsPage } from './pages/FollowRequestsPage';
import { HomePage } from './pages/HomePage';
import { MyTweetsPage } from './pages/MyTweetsPage';
import { NotificationsPage } from './pages/NotificationsPage';
import { ProfilePage } from './pages/ProfilePage';
import { UserListPage } from './pages/UserListPage';
import { SettingsPage } from './pages/SettingsPage';
import { TimelinePage } from './pages/TimelinePage';
import { TweetPage } from './pages/TweetPage';
import { SessionProvider, SIGNED_OUT_MESSAGE, useSession } from './session';

// The chart library is only needed on the dashboard.
const DashboardPage = lazy(() => import('./pages/DashboardPage').then((m) => ({ default: m.DashboardPage })));

export function makeQueryClient(): QueryClient {
  return new QueryClient({
    defaultOptions: {
      queries: {
        staleTime: 30_000,
        // 4xx answers will not change on retry; network and 5xx might.
        retry: (count, e) => count < 2 && !(e instanceof ApiError && e.status >= 400 && e.status < 500),
      },
    },
  });
}

function RequireUser({ children }: { children: ReactNode }) {
  const { user } = useSession();
  const location = useLocation();
  if (user === undefined) return <p className="muted center">Loading…</p>;
  if (user === null) return <Navigate to="/login" replace state={{ from: location.pathname + location.search }} />;
  return <>{children}</>;
}

/**
 * `/`: the home timeline for a signed-in reader, the latest tweets otherwise. Older links
 * to `/?hashtag=` and `/?author=` (the filters of Latest) keep working.
 */
function Landing() {
  const { user } = useSession();
  const location = useLocation();
  if (location.search) return <Navigate to={`/latest${location.search}`} replace />;
  if (user === undefined) return <p className="muted center">Loading…</p>;
  return <Navigate to={user ? '/home' : '/latest'} replace />;
}

function HomeRoute() {
  const { user } = useSession();
  return <RequireUser>{user && <HomePage user={user} />}</RequireUser>;
}

/** "Home", with how many new entries wait there while the reader is on another page (on Home the banner says it). */
function HomeNavLink() {
  const { waiting } = useHomeFeed();
  const onHome = useMatch('/home') !== null;
  const n = onHome ? 0 : waiting.length;
  return (
    // The label reads "Home, 3 new" (the badge alone would be read as a bare number).
    <NavLink to="/home" aria-label={n > 0 ? `Home, ${n} new` : undefined}>
      Home
      {n > 0 && (
        <span className="nav-count" aria-hidden="true">
          {n > 99 ? '99+' : n}
        </span>
      )}
    </NavLink>
  );
}

/** "Notifications", with how many are unread (from the stream; 0 once the page has shown them). */
export function NotificationsNavLink() {
  const { unread } = useNotifications();
  return (
    <NavLink to="/notifications" aria-label={unread > 0 ? `Notifications, ${unread} unread` : undefined}>
      Notifications
      {unread > 0 && (
        <span className="nav-count" aria-hidden="true">
          {unread > 99 ? '99+' : unread}
        </span>
      )}
    </NavLink>
  );
}

function SiteHeader() {
  const { user, logout } = useSession();
  const { status } = useLive();
  const navigate = useNavigate();
  return (
    <header className="site-header">
      <Link to="/" className="brand" aria-label="Starling home">
        <svg viewBox="0 0 24 24" width="26" height="26" aria-hidden="true">
          <path d="M3 15c4 0 6-3 8-7 1.4-2.7 4-4 7-3l3-1-1.5 3c.3 5-3.5 11-11 11-2.3 0-4.2-.9-5.5-3z" />
        </svg>
        <span>Starling</span>
      </Link>
      {/* On a phone: a tab bar at the bottom, the `nav-secondary` links behind "More" (PhoneNav.tsx). */}
      <nav aria-label="Main" className="main-nav">
        {user && <HomeNavLink />}
        <NavLink to="/latest">Latest</NavLink>
        {user && <NotificationsNavLink />}
        {user && (
          <NavLink className="nav-secondary" to="/me/tweets">
            My tweets
          </NavLink>
        )}
        {user && <NavLink to={`/u/${encodeURIComponent(user.username)}`}>Profile</NavLink>}
        {user && (
          <NavLink className="nav-secondary" to="/requests">
            Requests
          </NavLink>
        )}
        {user && (
          <NavLink className="nav-secondary" to="/settings">
            Settings
          </NavLink>
        )}
        <NavLink className="nav-secondary" to="/dashboard">
          Dashboard
        </NavLink>
        <MoreMenu>
          {user && <NavLink to="/me/tweets">My tweets</NavLink>}
          {user && <NavLink to="/requests">Requests</NavLink>}
          {user && <NavLink to="/settings">Settings</NavLink>}
          <NavLink to="/dashboard">Dashboard</NavLink>
        </MoreMenu>
      </nav>
      {user && <ComposeButton />}
      <div className="session-box">
        <span className={`live-dot live-${status}`} title={status === 'open' ? 'Live updates on' : 'Live updates reconnecting'}>
          <span className="visually-hidden">{status === 'open' ? 'Live updates on' : 'Live updates off'}</span>
        </span>
        {user ? (
          <>
            <span className="whoami" title={`@${user.username}`}>
              {user.displayName}
            </span>
            <button
              type="button"
              onClick={() => {
                void logout().then(() => navigate('/'));
              }}
            >
              Log out
            </button>
          </>
        ) : (
          user === null && (
            <>
              <NavLink to="/login">Log in</NavLink>
              <Link to="/signup" className="button primary">
                Sign up
              </Link>
            </>
          )
        )}
      </div>
    </header>
  );
}

function NotFound() {
  return (
    <section className="center">
      <h1>Page not found</h1>
      <Link to="/">Back to the timeline</Link>
    </section>
  );
}

export function AppRoutes() {
  return (
    <Routes>
      <Route path="/" element={<Landing />} />
      <Route path="/home" element={<HomeRoute />} />
      <Route path="/latest" element={<TimelinePage />} />
      <Route path="/login" element={<LoginPage />} />
      <Route path="/signup" element={<SignupPage />} />
      <Route
        path="/me/tweets"
        element={
          <RequireUser>
            <MyTweetsPage />
          </RequireUser>
        }
      />
      <Route path="/u/:username" element={<ProfilePage />} />
      <Route path="/u/:username/followers" element={<UserListPage kind="followers" />} />
      <Route path="/u/:username/following" element={<UserListPage kind="following" />} />
      <Route
        path="/me/blocks"
        element={
          <RequireUser>
            <UserListPage kind="blocks" />
          </RequireUser>
        }
      />
      <Route
        path="/me/mutes"
        element={
          <RequireUser>
            <UserListPage kind="mutes" />
          </RequireUser>
        }
      />
      <Route
        path="/settings"
        element={
          <RequireUser>
            <SettingsPage />
          </RequireUser>
        }
      />
      <Route
        path="/notifications"
        element={
          <RequireUser>
            <NotificationsPage />
          </RequireUser>
        }
      />
      <Route
        path="/requests"
        element={
          <RequireUser>
            <FollowRequestsPage />
          </RequireUser>
        }
      />
      <Route path="/tweets/:id" element={<TweetPage />} />
      <Route path="/tweets/:id/history" element={<TweetPage history />} />
      <Route
        path="/dashboard"
        element={
          <Suspense fallback={<p className="muted center">Loading dashboard…</p>}>
            <DashboardPage />
          </Suspense>
        }
      />
      <Route path="*" element={<NotFound />} />
    </Routes>
  );
}

/** Says why the tab was signed out when the reader did not ask (the sign-in page says it itself). */
function SignedOutNotice() {
  const { user, signedOut } = useSession();
  const location = useLocation();
  if (user !== null || !signedOut || location.pathname === '/login') return null;
  return (
    <p role="status" className="signed-out-notice">
      {SIGNED_OUT_MESSAGE[signedOut]} <Link to="/login">Log in</Link>
    </p>
  );
}

function Shell() {
  const location = useLocation();
  useRouteFocus('main');
  useScrollRestoration();
  return (
    <>
      <KeyboardShortcuts />
      <a href="#main" className="skip-link">
        Skip to content
      </a>
      <SiteHeader />
      <SignedOutNotice />
      <ConnectionBanner />
      <main id="main" tabIndex={-1} className={location.pathname === '/dashboard' ? 'wide' : undefined}>
        {/* Keyed by path so an error on one page clears when the reader navigates away. */}
        <ErrorBoundary key={location.pathname} what="this page">
          <AppRoutes />
        </ErrorBoundary>
      </main>
    </>
  );
}

export function App({ queryClient }: { queryClient?: QueryClient }) {
  const [client] = useState(() => queryClient ?? makeQueryClient());
  return (
    <QueryClientProvider client={client}>
      <SessionProvider>
        <LiveProvider>
          <HomeFeedProvider>
            <TimelinesProvider>
              <NotificationsProvider>
                <BrowserRouter>
                  <Shell />
                </BrowserRouter>
              </NotificationsProvider>
            </TimelinesProvider>
          </HomeFeedProvider>
        </LiveProvider>
      </SessionProvider>
    </QueryClientProvider>
  );
}
