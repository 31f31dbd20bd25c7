import { goalsPlugin } from '@streaming-companion/plugin-goals';
import { menuPlugin } from '@streaming-companion/plugin-menu';
import { tipsPlugin } from '@streaming-companion/plugin-tips';
import { startTestKernel, type TestKernel } from '@streaming-companion/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chatbotPlugin, type PersonaDto } from '../src/index.ts';
import { chatbotMigrations } from '../src/migrations.ts';

/** A database left at the first migration, as a server of that time would have it; the later ones are run by hand. */
let t: TestKernel;
beforeAll(async () => {
  t = await startTestKernel({ plugins: [tipsPlugin, goalsPlugin, menuPlugin, { ...chatbotPlugin, migrations: chatbotMigrations.slice(0, 1) }] });
});
afterAll(() => t?.stop());

describe('0002_recent_tips_tiers', () => {
  it('keeps personas saved with recent_tipper valid: they require at least some, their other levels untouched', async () => {
    const { token, creator } = await t.createCreator();
    const em = t.kernel.forkEm();
    const trigger = (command: string, minLevel: string | null) => ({ id: crypto.randomUUID(), type: 'command', command, minLevel });
    const oldTriggers = [trigger('!a', 'recent_tipper'), trigger('!b', 'moderator'), trigger('!c', null), trigger('!d', 'recent_tipper')];
    const insert = (name: string, minLevel: string, triggers: object[]) =>
      em.execute(
        `insert into chatbot_personas (id, creator_id, name, enabled, priority, triggers, cooldowns, min_level, created_at, updated_at)
         values (?, ?, ?, true, 0, ?::jsonb, '{"personaSeconds":0,"triggerSeconds":0,"senderSeconds":0}'::jsonb, ?, now(), now())`,
        [crypto.randomUUID(), creator.id, name, JSON.stringify(triggers), minLevel],
      );
    await insert('Tippers', 'recent_tipper', oldTriggers);
    await insert('Fans', 'fan_club', [trigger('!e', 'has_tokens')]);

    for (const statement of chatbotMigrations.slice(1).flatMap((migration) => migration.up)) await em.execute(statement);

    const personas = (await t.http.get<{ items: PersonaDto[] }>('/api/chatbot/personas', { token })).body.items;
    const byName = Object.fromEntries(personas.map((p) => [p.name, p]));
    expect(byName.Tippers).toMatchObject({ minLevel: 'recent_tips_some' });
    expect(byName.Tippers!.triggers).toEqual(oldTriggers.map((old) => ({ ...old, minLevel: old.minLevel === 'recent_tipper' ? 'recent_tips_some' : old.minLevel })));
    expect(byName.Fans).toMatchObject({ minLevel: 'fan_club', triggers: [{ command: '!e', minLevel: 'has_tokens' }] });
    // The old name is gone for good.
    await expect(insert('Late', 'recent_tipper', [])).rejects.toThrow(/chatbot_personas_min_level_check/);
    await insert('Whales', 'recent_tips_tons', []);
  });
});
