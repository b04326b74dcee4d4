import { describe, expect, it } from 'vitest';
import { formatSyntax, guessType, parseSyntax, tokensOf, type Arg } from '../../src/engine/commands/grammar';

/** A compact form of the parsed tree: name:type, TOKEN, ? optional, * multiple, ** multiple_token. */
function brief(args: readonly Arg[]): string[] {
  return args.map((a) => {
    let s = a.token && a.type !== 'pure-token' ? a.token + ' ' : '';
    if (a.type === 'pure-token') s += a.token!;
    else if (a.type === 'oneof') s += `oneof(${brief(a.args!).join(' | ')})`;
    else if (a.type === 'block') s += `block(${brief(a.args!).join(', ')})`;
    else s += `${a.name}:${a.type}`;
    if (a.optional) s += '?';
    if (a.multiple) s += a.multipleToken ? '**' : '*';
    return s;
  });
}

describe('parseSyntax', () => {
  it('plain arguments, with types guessed from their names', () => {
    expect(brief(parseSyntax('key value'))).toEqual(['key:key', 'value:string']);
    expect(brief(parseSyntax('key seconds value'))).toEqual(['key:key', 'seconds:integer', 'value:string']);
    expect(brief(parseSyntax('pattern'))).toEqual(['pattern:pattern']);
    expect(brief(parseSyntax('key unix-time-seconds'))).toEqual(['key:key', 'unix-time-seconds:unix-time']);
    expect(brief(parseSyntax('source destination'))).toEqual(['source:key', 'destination:key']);
  });

  it('explicit types with name:type', () => {
    expect(brief(parseSyntax('key increment:double'))).toEqual(['key:key', 'increment:double']);
    // a colon that is not a type annotation stays in the name
    expect(brief(parseSyntax('ip:port'))).toEqual(['ip:port:string']);
  });

  it('empty syntax has no arguments', () => {
    expect(parseSyntax('')).toEqual([]);
    expect(parseSyntax('   ')).toEqual([]);
  });

  it('optional tokens and one-of choices', () => {
    expect(brief(parseSyntax('key value [NX|XX] [GET]'))).toEqual([
      'key:key', 'value:string', 'oneof(NX | XX)?', 'GET?',
    ]);
    expect(brief(parseSyntax('[ASYNC|SYNC]'))).toEqual(['oneof(ASYNC | SYNC)?']);
    expect(brief(parseSyntax('ON|OFF|SKIP'))).toEqual(['oneof(ON | OFF | SKIP)']);
    // spaces around bars (Redis 7.2's notation) read the same
    expect(brief(parseSyntax('[NX | XX]'))).toEqual(['oneof(NX | XX)?']);
  });

  it('a token introduces the argument that follows it', () => {
    const set = parseSyntax('key value [EX seconds|PX milliseconds|EXAT unix-time-seconds|PXAT unix-time-milliseconds|KEEPTTL]');
    expect(brief(set)).toEqual([
      'key:key', 'value:string',
      'oneof(EX seconds:integer | PX milliseconds:integer | EXAT unix-time-seconds:unix-time | PXAT unix-time-milliseconds:unix-time | KEEPTTL)?',
    ]);
    expect(brief(parseSyntax('cursor [MATCH pattern] [COUNT count] [TYPE type]'))).toEqual([
      'cursor:integer', 'MATCH pattern:pattern?', 'COUNT count:integer?', 'TYPE type:string?',
    ]);
  });

  it('words next to bars bind tightly when the other choices are single words', () => {
    expect(brief(parseSyntax('[AGGREGATE SUM|MIN|MAX]'))).toEqual(['AGGREGATE oneof(SUM | MIN | MAX)?']);
    expect(parseSyntax('[AGGREGATE SUM|MIN|MAX]')[0].name).toBe('aggregate');
    expect(brief(parseSyntax('AND|OR|XOR|NOT destkey key [key ...]'))).toEqual([
      'oneof(AND | OR | XOR | NOT)', 'destkey:key', 'key:key*',
    ]);
    // ...but not across kinds: "EX seconds" or "KEEPTTL"
    expect(brief(parseSyntax('[EX seconds|KEEPTTL]'))).toEqual(['oneof(EX seconds:integer | KEEPTTL)?']);
  });

  it('repetition: "x [x ...]", "[x ...]", "x ..."', () => {
    expect(brief(parseSyntax('key [key ...]'))).toEqual(['key:key*']);
    expect(brief(parseSyntax('[key [key ...]]'))).toEqual(['key:key?*']);
    expect(brief(parseSyntax('subcommand [argument ...]'))).toEqual(['subcommand:string', 'argument:string?*']);
    expect(brief(parseSyntax('key ...'))).toEqual(['key:key*']);
    expect(brief(parseSyntax('key value [key value ...]'))).toEqual(['block(key:key, value:string)*']);
  });

  it('repeated tokens and tokens before a repeated argument', () => {
    expect(brief(parseSyntax('[GET pattern [GET pattern ...]]'))).toEqual(['GET pattern:pattern?**']);
    expect(brief(parseSyntax('[WEIGHTS weight [weight ...]]'))).toEqual(['WEIGHTS weight:double?*']);
    expect(brief(parseSyntax('[ID client-id [client-id ...]]'))).toEqual(['ID client-id:integer?*']);
  });

  it('blocks: a token with several arguments, and nested optional groups', () => {
    expect(brief(parseSyntax('[LIMIT offset count]'))).toEqual(['LIMIT block(offset:integer, count:integer)?']);
    expect(parseSyntax('[LIMIT offset count]')[0].name).toBe('limit');
    expect(brief(parseSyntax('key [start end [BYTE|BIT]]'))).toEqual([
      'key:key', 'block(start:integer, end:integer, oneof(BYTE | BIT)?)?',
    ]);
    expect(brief(parseSyntax('[protover [AUTH username password] [SETNAME clientname]]'))).toEqual([
      'block(protover:integer, AUTH block(username:string, password:string)?, SETNAME clientname:string?)?',
    ]);
  });

  it('SORT and friends', () => {
    expect(brief(parseSyntax('key [BY pattern] [LIMIT offset count] [GET pattern [GET pattern ...]] [ASC|DESC] [ALPHA] [STORE destination]'))).toEqual([
      'key:key', 'BY pattern:pattern?', 'LIMIT block(offset:integer, count:integer)?', 'GET pattern:pattern?**',
      'oneof(ASC | DESC)?', 'ALPHA?', 'STORE destination:key?',
    ]);
  });

  it('required groups in parentheses', () => {
    expect(brief(parseSyntax('key (LEFT|RIGHT)'))).toEqual(['key:key', 'oneof(LEFT | RIGHT)']);
  });

  it('never throws on odd or unbalanced input', () => {
    for (const s of ['[', ']', 'a ] b', '[a [b', '|', 'a |', '| a', '...', '[...]', '( ]', 'a|[b c]|d e ...']) {
      expect(() => parseSyntax(s)).not.toThrow();
    }
  });
});

describe('formatSyntax', () => {
  it('gives back redis-cli notation', () => {
    for (const s of [
      'key value [NX|XX] [GET] [EX seconds|PX milliseconds|EXAT unix-time-seconds|PXAT unix-time-milliseconds|KEEPTTL]',
      'key [key ...]',
      'key value [key value ...]',
      'cursor [MATCH pattern] [COUNT count] [TYPE type]',
      'destination numkeys key [key ...] [WEIGHTS weight [weight ...]] [AGGREGATE SUM|MIN|MAX]',
      'key [BY pattern] [LIMIT offset count] [GET pattern [GET pattern ...]] [ASC|DESC] [ALPHA] [STORE destination]',
      'key [start end [BYTE|BIT]]',
      '[protover [AUTH username password] [SETNAME clientname]]',
      '',
    ]) {
      expect(formatSyntax(parseSyntax(s))).toBe(s);
    }
  });

  it('optional repeats show their first element', () => {
    expect(formatSyntax(parseSyntax('[key ...]'))).toBe('[key [key ...]]');
    expect(formatSyntax(parseSyntax('a:integer b:double'))).toBe('a b');
  });
});

describe('tokensOf and guessType', () => {
  it('lists the literal words, once each', () => {
    expect(tokensOf(parseSyntax('key value [NX|XX] [GET] [EX seconds|PX milliseconds|KEEPTTL] [GET]'))).toEqual([
      'NX', 'XX', 'GET', 'EX', 'PX', 'KEEPTTL',
    ]);
  });

  it('guesses Redis argument types', () => {
    expect(guessType('key')).toBe('key');
    expect(guessType('destkey')).toBe('key');
    expect(guessType('numkeys')).toBe('integer');
    expect(guessType('pattern')).toBe('pattern');
    expect(guessType('score')).toBe('double');
    expect(guessType('member')).toBe('string');
  });
});
