// The environment is read once, into the frozen Config: the server's address, log level and
// seed size too, each refused with a message that names the variable and what it takes.
import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../src/config/config.ts';

describe('the server\'s settings in Config', () => {
  it('defaults to 127.0.0.1:3000, log level info, a town of 2,000', () => {
    const c = loadConfig({});
    expect(c.server).toEqual({ host: '127.0.0.1', port: 3000, logLevel: 'info', seedSubjects: 2000 });
    expect(Object.isFrozen(c.server)).toBe(true);
  });

  it('reads HOST, PORT, LOG_LEVEL and CREDENCE_SEED_SUBJECTS', () => {
    expect(loadConfig({ HOST: '::1', PORT: '0', LOG_LEVEL: 'WARN', CREDENCE_SEED_SUBJECTS: '0' }).server).toEqual({ host: '::1', port: 0, logLevel: 'warn', seedSubjects: 0 });
  });

  it('refuses what it cannot use, naming the variable and what it takes', () => {
    expect(() => loadConfig({ PORT: '70000' })).toThrow(new ConfigError('PORT must be a whole number from 0 to 65535, got "70000"'));
    expect(() => loadConfig({ PORT: 'http' })).toThrow(ConfigError);
    expect(() => loadConfig({ LOG_LEVEL: 'verbose' })).toThrow(new ConfigError('LOG_LEVEL must be one of fatal, error, warn, info, debug, trace, silent, got "verbose"'));
    expect(() => loadConfig({ CREDENCE_SEED_SUBJECTS: '-1' })).toThrow(/CREDENCE_SEED_SUBJECTS must be a whole number from 0 to 1000000/);
  });
});
