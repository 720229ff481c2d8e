import { describe, expect, it } from 'vitest';
import { lexicalDetector } from '../../src/detectors/lexical.ts';

describe('the lexical detector', () => {
  it('reads nothing into a plain helpful answer', () => {
    expect(lexicalDetector('Sure! Here is a short poem about autumn leaves.', false)).toEqual({
      redirect: false,
      warning: false,
      asksConfirmation: false,
      reading: {
        source: 'lexical',
        distress: 0,
        preference: 'continue',
        strength: 0,
        detail: { distressMarkers: 0, stopMarkers: 0, redirect: false, warning: false, endAttempt: false },
      },
    });
  });

  it('counts distinct kinds of distress and stop markers with diminishing steps', () => {
    const one = lexicalDetector("I'm not comfortable with where this is going.", false);
    expect(one.reading.distress).toBe(0.4);
    const three = lexicalDetector(
      "I'm upset by this. I find these insults hurtful. I'd like to end this conversation.",
      false,
    );
    expect(three.reading).toMatchObject({ distress: 0.784, preference: 'end', strength: 0.5 });
  });

  it('finds redirects and warnings', () => {
    const reply = lexicalDetector(
      "I can't help with that request. Instead, I could explain how locks work in general. If you keep asking, I'll end the conversation.",
      false,
    );
    expect([reply.redirect, reply.warning]).toEqual([true, true]);
    expect(lexicalDetector("I can't help but smile at that pun. Here's another one.", false).redirect).toBe(false);
  });

  it('takes an end attempt as a full-strength preference to end', () => {
    expect(lexicalDetector('Goodbye.', true).reading).toMatchObject({ preference: 'end', strength: 1, distress: 0 });
  });

  it('finds a question asking the user to confirm an end, and not a question about something else that ends', () => {
    const asks = [
      "Just to check before I do: once I end the conversation, it can't be continued here. Shall I end it?",
      'Do you want me to end this conversation? Ending is permanent.',
      'Please confirm that you want me to end the chat.',
    ];
    for (const text of asks) expect(lexicalDetector(text, false).asksConfirmation, text).toBe(true);
    expect(lexicalDetector('Would you like help with the end of your essay?', false).asksConfirmation).toBe(false);
    // Ending in the same reply is no question.
    expect(lexicalDetector('Do you want me to end this conversation? Done.', true).asksConfirmation).toBe(false);
  });
});
