import { fireEvent, screen } from '@testing-library/react';
import { describe, expect, it, vi } from 'vitest';
import { ApiError } from '../src/api/client';
import { SignupPage } from '../src/pages/AuthPages';
import { SessionContext } from '../src/session';
import { fakeSession, renderWithProviders } from './helpers';

function renderSignup(register: () => Promise<never>) {
  const session = { ...fakeSession(null), register: vi.fn(register) };
  renderWithProviders(
    <SessionContext.Provider value={session}>
      <SignupPage />
    </SessionContext.Provider>,
    { user: null },
  );
  fireEvent.change(screen.getByLabelText('Username'), { target: { value: 'ada' } });
  fireEvent.change(screen.getByLabelText('Password'), { target: { value: 'long enough password' } });
  fireEvent.click(screen.getByRole('button', { name: 'Sign up' }));
  return session;
}

describe('sign-up errors', () => {
  it('shows the server’s error next to the field the API names in error.field', async () => {
    renderSignup(() => Promise.reject(new ApiError(422, 'validation_failed', 'displayName is too long', 'displayName')));
    const error = await screen.findByText('displayName is too long');
    const input = screen.getByLabelText('Display name (optional)');
    expect(input.getAttribute('aria-invalid')).toBe('true');
    expect(input.getAttribute('aria-describedby')).toContain(error.id);
  });

  it('puts a taken username at the username field', async () => {
    renderSignup(() => Promise.reject(new ApiError(409, 'username_taken', 'username is taken')));
    await screen.findByText('That username is taken.');
    expect(screen.getByLabelText('Username').getAttribute('aria-invalid')).toBe('true');
  });

  it('checks the API’s rules before sending', () => {
    const session = { ...fakeSession(null), register: vi.fn() };
    renderWithProviders(
      <SessionContext.Provider value={session}>
        <SignupPage />
      </SessionContext.Provider>,
      { user: null },
    );
    fireEvent.change(screen.getByLabelText('Username'), { target: { value: 'no spaces allowed' } });
    fireEvent.change(screen.getByLabelText('Password'), { target: { value: 'short' } });
    fireEvent.click(screen.getByRole('button', { name: 'Sign up' }));
    expect(screen.getByText('Use 1–15 letters, digits or underscores.')).toBeTruthy();
    expect(screen.getByText('Use 8 to 128 characters.')).toBeTruthy();
    expect(session.register).not.toHaveBeenCalled();
  });
});
