import { describe, expect, it } from 'vitest';
import { SizedLru } from './lru.js';

describe('SizedLru', () => {
  it('evicts the least recently used entries beyond its budget', () => {
    const evicted: string[] = [];
    const lru = new SizedLru<string, number>(10, (key) => evicted.push(key));
    lru.set('a', 1, 4);
    lru.set('b', 2, 4);
    lru.get('a');
    lru.set('c', 3, 4);
    expect(evicted).toEqual(['b']);
    expect(lru.keys()).toEqual(['a', 'c']);
    expect(lru.stats()).toMatchObject({ entries: 2, bytes: 8, evictions: 1, hits: 1 });
  });

  it('keeps pinned entries over budget until shrunk without the pin', () => {
    const lru = new SizedLru<string, number>(5);
    lru.set('a', 1, 4);
    lru.set('b', 2, 4, (key) => key === 'a' || key === 'b');
    expect(lru.stats().bytes).toBe(8);
    lru.shrink((key) => key === 'b');
    expect(lru.keys()).toEqual(['b']);
  });

  it('does not keep an entry larger than the budget', () => {
    const lru = new SizedLru<string, number>(5);
    expect(lru.set('big', 1, 6)).toBe(false);
    expect(lru.stats().entries).toBe(0);
  });
});
