import { describe, expect, it } from '@jest/globals';
import { postgresMigrations } from '../../src/db/postgres/postgres-migrations.js';
import { migrations as sqliteMigrations } from '../../src/db/sqlite/sqlite-migrations.js';

const numberOf = (name: string) => name.slice(0, name.indexOf('-'));

describe('migration names across the dialects', () => {
  it('when both dialects have a step of one number, then it has one name', () => {
    const sqlite = new Map(sqliteMigrations.map((m) => [numberOf(m.name), m.name]));
    for (const { name } of postgresMigrations) {
      const other = sqlite.get(numberOf(name));
      if (other !== undefined) expect(name).toBe(other);
    }
  });

  it('when a dialect lists its steps, then their numbers only grow and no name repeats a former one', () => {
    for (const list of [sqliteMigrations, postgresMigrations]) {
      const numbers = list.map((m) => Number(numberOf(m.name)));
      expect(numbers).toEqual([...numbers].sort((a, b) => a - b));
      expect(new Set(numbers).size).toBe(numbers.length);
      const names = new Set(list.map((m) => m.name));
      for (const { formerly } of list) if (formerly) expect(names.has(formerly)).toBe(false);
    }
  });
});
