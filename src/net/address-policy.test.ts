import { describe, expect, it } from 'vitest';
import { classifyAddress, forbiddenCategory } from './address-policy';
import { HostPattern, hostAllowed } from './host-allowlist';

describe('classifyAddress', () => {
  it.each([
    ['93.184.216.34', 'public'],
    ['2606:4700:4700::1111', 'public'],
    ['127.0.0.1', 'loopback'],
    ['127.255.0.9', 'loopback'],
    ['::1', 'loopback'],
    ['[::1]', 'loopback'],
    ['::ffff:127.0.0.1', 'loopback'],
    ['::ffff:7f00:1', 'loopback'],
    ['10.1.2.3', 'private'],
    ['172.16.0.1', 'private'],
    ['172.31.255.255', 'private'],
    ['192.168.1.1', 'private'],
    ['fd00::1', 'private'],
    ['fc12:3456::1', 'private'],
    ['::ffff:10.0.0.1', 'private'],
    ['169.254.169.254', 'link-local'],
    ['fe80::1', 'link-local'],
    ['::ffff:169.254.169.254', 'link-local'],
    ['0.0.0.0', 'unspecified'],
    ['::', 'unspecified'],
    ['100.64.0.1', 'shared'],
    ['224.0.0.1', 'multicast'],
    ['ff02::1', 'multicast'],
    ['255.255.255.255', 'reserved'],
    ['198.18.0.1', 'reserved'],
    ['192.0.2.10', 'documentation'],
    ['2001:db8::1', 'documentation'],
    ['64:ff9b::a00:1', 'translation'],
    ['2002:a00:1::', 'translation'],
    ['::ffff:0:a00:1', 'translation'], // IPv4-translated 10.0.0.1
    ['::ffff:0:7f00:1', 'translation'], // IPv4-translated 127.0.0.1
    ['::ffff:8.8.8.8', 'public'], // IPv4-mapped public: still an ordinary address
    ['not-an-ip', 'invalid'],
  ])('%s is %s', (address, category) => {
    expect(classifyAddress(address)).toBe(category);
  });

  it('lets loopback through only when the unsafe test setting says so, and never private or link-local', () => {
    expect(forbiddenCategory('127.0.0.1', { allowLoopback: false })).toBe('loopback');
    expect(forbiddenCategory('127.0.0.1', { allowLoopback: true })).toBeNull();
    expect(forbiddenCategory('::1', { allowLoopback: true })).toBeNull();
    expect(forbiddenCategory('10.0.0.1', { allowLoopback: true })).toBe('private');
    expect(forbiddenCategory('169.254.169.254', { allowLoopback: true })).toBe('link-local');
    expect(forbiddenCategory('8.8.8.8', { allowLoopback: false })).toBeNull();
  });
});

describe('host allow-list', () => {
  it('matches exact hosts and subdomain wildcards, not look-alikes', () => {
    const patterns = ['api.lever.co', '*.s3.amazonaws.com'];
    expect(hostAllowed('api.lever.co', patterns)).toBe(true);
    expect(hostAllowed('API.LEVER.CO.', patterns)).toBe(true);
    expect(hostAllowed('bucket.s3.amazonaws.com', patterns)).toBe(true);
    expect(hostAllowed('a.b.s3.amazonaws.com', patterns)).toBe(true);
    expect(hostAllowed('s3.amazonaws.com', patterns)).toBe(false);
    expect(hostAllowed('evil-s3.amazonaws.com', patterns)).toBe(false);
    expect(hostAllowed('api.lever.co.evil.test', patterns)).toBe(false);
    expect(hostAllowed('xapi.lever.co', patterns)).toBe(false);
  });

  it('validates patterns', () => {
    expect(HostPattern.safeParse('*.S3.amazonaws.com').data).toBe('*.s3.amazonaws.com');
    expect(HostPattern.safeParse('127.0.0.1').success).toBe(true);
    expect(HostPattern.safeParse('*').success).toBe(false);
    expect(HostPattern.safeParse('*.com/x').success).toBe(false);
    expect(HostPattern.safeParse('a..b').success).toBe(false);
  });
});
