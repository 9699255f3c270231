// The command registry lists each command's name and summary without loading it; each entry
// must load the command of that name, with its help.
import { describe, expect, it } from 'vitest';
import { COMMANDS } from '../src/main/cli.ts';

describe('the credence command registry', () => {
  it('names each command as its module does, with a summary, and every one loads', async () => {
    for (const entry of COMMANDS) {
      const command = await entry.load();
      expect(command.name).toBe(entry.name);
      expect(entry.summary.length).toBeGreaterThan(10);
      expect(command.help).toMatch(/^usage: credence /);
    }
    expect(new Set(COMMANDS.map((c) => c.name)).size).toBe(COMMANDS.length);
  });
});
