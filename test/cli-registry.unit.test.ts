// The command registry lists each command's name and summary without loading it; they must
// be the command module's own, and every command must load.
import { describe, expect, it } from 'vitest';
import { COMMANDS } from '../src/main/cli.ts';

describe('the credence command registry', () => {
  it('names each command as its module does, with the same summary, and every one loads', async () => {
    for (const entry of COMMANDS) {
      const command = await entry.load();
      expect({ name: command.name, summary: command.summary }).toEqual({ name: entry.name, summary: entry.summary });
      expect(command.help).toMatch(/^usage: credence /);
    }
    expect(new Set(COMMANDS.map((c) => c.name)).size).toBe(COMMANDS.length);
  });
});
