import { describe, expect, it } from '@jest/globals';
import { DISCOVERY_VERSION, encodeProbe, encodeReply, MAX_PROBE_BYTES, MAX_REPLY_BYTES, parseProbe, parseReply } from './discovery';
import { PROTOCOL_VERSION } from './handshake';

const bytes = (text: string): Uint8Array => new TextEncoder().encode(text);
const HUB = { hubId: '6f0c2a9e-1b4d-4c55-9a57-0d3e8f1c2b7a', name: 'Trung tâm Phục vụ hành chính công xã Hà Trung', httpPort: 8080 };

describe('the discovery probe', () => {
  it('is the datagram docs/protocol.md shows, and reads back as a probe', () => {
    expect(encodeProbe()).toBe('{"xephang":"probe","v":1}');
    expect(parseProbe(bytes(encodeProbe()))).toEqual({ xephang: 'probe', v: DISCOVERY_VERSION });
  });

  it('from a newer shell (a later format version) is still answered', () => {
    expect(parseProbe(bytes('{"xephang":"probe","v":2}'))).toEqual({ xephang: 'probe', v: 2 });
  });

  it.each([
    ['not JSON', bytes('hello hub')],
    ['JSON that is not an object', bytes('[1,2,3]')],
    ['null', bytes('null')],
    ['another kind of message', bytes('{"xephang":"hub","v":1}')],
    ['an extra key', bytes('{"xephang":"probe","v":1,"please":"amplify"}')],
    ['a key missing', bytes('{"xephang":"probe"}')],
    ['a prototype key', bytes('{"xephang":"probe","v":1,"__proto__":{"polluted":true}}')],
    ['version 0', bytes('{"xephang":"probe","v":0}')],
    ['a fractional version', bytes('{"xephang":"probe","v":1.5}')],
    ['a version as text', bytes('{"xephang":"probe","v":"1"}')],
    ['an oversized datagram', bytes(encodeProbe().padEnd(MAX_PROBE_BYTES + 1, ' '))],
    ['an empty datagram', new Uint8Array(0)],
    ['bytes that are not UTF-8', Uint8Array.from([0xff, 0xfe, 0x7b, 0x00, 0xc3])],
  ])('is refused when it is %s', (_what, datagram) => {
    expect(parseProbe(datagram)).toBeUndefined();
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it('is read up to its size limit, spaces included', () => {
    expect(parseProbe(bytes(encodeProbe().padEnd(MAX_PROBE_BYTES, ' ')))).toEqual({ xephang: 'probe', v: 1 });
  });
});

describe("the hub's answer", () => {
  it('carries the HTTP port, the id, the name and the protocol version, and reads back', () => {
    const text = encodeReply(HUB);
    expect(JSON.parse(text)).toEqual({ xephang: 'hub', v: 1, protocolVersion: PROTOCOL_VERSION, hubId: HUB.hubId, name: HUB.name, port: 8080 });
    expect(parseReply(bytes(text))).toEqual(JSON.parse(text));
  });

  it('cuts a long id and name to what a device accepts, so the answer is still read', () => {
    const reply = parseReply(bytes(encodeReply({ hubId: 'h'.repeat(100), name: 'Trung tâm '.repeat(40), httpPort: 1 })));
    expect(reply?.hubId).toHaveLength(64);
    expect(reply?.name).toHaveLength(200);
  });

  it('stays readable at its longest, escapes and all', () => {
    const text = encodeReply({ hubId: '\u0001'.repeat(64), name: '\u0001'.repeat(200), httpPort: 65535 });
    expect(bytes(text).length).toBeLessThanOrEqual(MAX_REPLY_BYTES);
    expect(parseReply(bytes(text))?.name).toHaveLength(200);
  });

  it.each([
    ['a probe', encodeProbe()],
    ['another format version', encodeReply(HUB).replace('"v":1', '"v":2')],
    ['port 0', encodeReply(HUB).replace('"port":8080', '"port":0')],
    ['port 70000', encodeReply(HUB).replace('"port":8080', '"port":70000')],
    ['a port as text', encodeReply(HUB).replace('"port":8080', '"port":"8080"')],
    ['a name too long', encodeReply(HUB).replace(HUB.name, 'x'.repeat(201))],
    ['an extra key', encodeReply(HUB).replace('{', '{"redirect":"http://evil.example",')],
    ['an oversized datagram', encodeReply(HUB).padEnd(MAX_REPLY_BYTES + 1, ' ')],
    ['not JSON', '<html>'],
  ])('is refused when it is %s', (_what, text) => {
    expect(parseReply(bytes(text))).toBeUndefined();
  });
});
