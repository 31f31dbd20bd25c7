import { ApiError } from '@streaming-companion/client';
import { describe, expect, it } from 'vitest';
import { describeError, fieldMessage, formErrors } from '../src/errors.ts';

const LABELS = { amountCents: { input: 'amount', label: 'Amount' }, tipperName: { input: 'tipperName', label: 'Tipper name' } };

describe('formErrors', () => {
  it('puts each field error next to its input, in a sentence naming the field', () => {
    const error = new ApiError({
      status: 400,
      code: 'validation_failed',
      detail: 'invalid request',
      errors: [
        { field: 'body.amountCents', rule: 'too_small', message: 'must be greater than 0' },
        { field: 'body.tipperName', rule: 'too_big', message: 'Too long: expected at most 64 characters' },
      ],
    });
    expect(formErrors(error, LABELS)).toEqual({
      fields: { amount: 'Amount must be greater than 0.', tipperName: 'Too long: expected at most 64 characters.' },
      form: undefined,
    });
  });

  it('gives a field the form has no input for to the form as a whole', () => {
    const error = new ApiError({ status: 400, code: 'validation_failed', detail: 'x', errors: [{ field: 'body.sessionId', rule: 'invalid', message: 'invalid UUID' }] });
    expect(formErrors(error, LABELS)).toEqual({ fields: {}, form: 'Invalid UUID.' });
  });

  it('shows a taken email next to the email input', () => {
    const error = new ApiError({ status: 409, code: 'email_taken', detail: 'an account with this email exists' });
    expect(formErrors(error, { email: { input: 'email', label: 'Email' } }).fields.email).toMatch(/already exists/);
  });
});

describe('describeError', () => {
  it('says in words what went wrong, whatever the failure', () => {
    expect(describeError(new ApiError({ status: 0, code: 'unreachable', detail: 'fetch failed' }))).toMatch(/^Can't reach the server/);
    expect(describeError(new ApiError({ status: 401, code: 'invalid_credentials', detail: 'x' }))).toBe("That email and password don't match an account.");
    expect(describeError(new ApiError({ status: 401, code: 'unauthorized', detail: 'x' }))).toBe('Your sign-in has expired. Log in again.');
    expect(describeError(new ApiError({ status: 500, code: 'internal_error', detail: 'boom' }))).toMatch(/went wrong on the server/);
    expect(describeError(new ApiError({ status: 404, code: 'not_found', detail: 'goal not found' }))).toBe('Goal not found.');
    expect(describeError(new TypeError('x'))).toBe('Something went wrong. Try again.');
  });

  it("says a refusal in a form's own words when it has some, and the usual ones elsewhere", () => {
    const live = new ApiError({ status: 409, code: 'session_already_active', detail: 'session x is live' });
    const words = { session_already_active: 'End your live session first.' };
    expect(describeError(live, words)).toBe('End your live session first.');
    expect(formErrors(live, {}, words)).toEqual({ fields: {}, form: 'End your live session first.' });
    expect(describeError(live)).toBe('A session is already live. End it before starting another.');
  });

  it('reads a rule as a sentence about its field', () => {
    expect(fieldMessage('Password', 'must be at least 10 characters')).toBe('Password must be at least 10 characters.');
    expect(fieldMessage('Email', 'Invalid email address')).toBe('Invalid email address.');
  });
});
