import type { ProcedureView } from '@xephang/protocol';
import { editDistance, fold, readings, splitTone, wordPairs } from './text';

/** How well one query word matches one word of a name. */
const EXACT = 1;
const PREFIX = 0.75;
const TYPO = 0.5;
/** A match in the keywords or the field's name counts less than one in the procedure's name. */
const KEYWORD_WEIGHT = 0.8;
const FIELD_WEIGHT = 0.5;
/** Two query words matching two neighbouring words of the name, in order. */
const ADJACENT = 0.3;
/** The query starts where the name starts. */
const STARTS = 0.2;
/** Times the share of the name's words the query covers: a short, specific name comes first. */
const COVERAGE = 0.5;
/** A word typed with diacritics that match a word only once both are folded ("đỏ" and "do"). */
const OTHER_MARKS = 0.7;

interface Doc {
  procedure: ProcedureView;
  order: number;
  name: Int32Array;
  /** The same words with their diacritics, as ids into `accented`. */
  nameAccented: Int32Array;
  keywords: Int32Array;
  keywordsAccented: Int32Array;
  field: Int32Array;
}

/** A catalog prepared for searching: every name folded and split once. */
export interface SearchIndex {
  readonly size: number;
  readonly vocabulary: readonly string[];
  /** Every word with its diacritics, tone apart (see `splitTone`). */
  readonly accented: readonly { base: string; tone: string }[];
  readonly docs: readonly Doc[];
  /** Scores of a query word against every vocabulary word, kept while a citizen types. */
  readonly cache: Map<string, Float32Array>;
}

export interface SearchHit {
  procedure: ProcedureView;
  score: number;
}

/**
 * Folds and splits every name, keyword and field name once, so a search costs one pass over
 * the distinct words and one over the procedures. `fieldNames` maps a service id to its name.
 */
export function buildIndex(procedures: readonly ProcedureView[], fieldNames: Readonly<Record<string, string>> = {}): SearchIndex {
  const vocabulary: string[] = [];
  const accented: { base: string; tone: string }[] = [];
  const intern = (ids: Map<string, number>, w: string, add: () => void): number => {
    let id = ids.get(w);
    if (id === undefined) {
      id = ids.size;
      ids.set(w, id);
      add();
    }
    return id;
  };
  const foldedIds = new Map<string, number>();
  const accentedIds = new Map<string, number>();
  const idsOf = (text: string): [Int32Array, Int32Array] => {
    const pairs = wordPairs(text);
    return [
      Int32Array.from(pairs, (w) => intern(foldedIds, w.folded, () => vocabulary.push(w.folded))),
      // Keyed by the word as written; "hòa" and "hoà" get two ids with the same base and tone.
      Int32Array.from(pairs, (w) => intern(accentedIds, w.accented, () => accented.push(splitTone(w.accented)))),
    ];
  };
  const docs = procedures.map((procedure, order): Doc => {
    const [name, nameAccented] = idsOf(procedure.name);
    const [keywords, keywordsAccented] = idsOf((procedure.keywords ?? []).join(' '));
    return { procedure, order, name, nameAccented, keywords, keywordsAccented, field: idsOf(fieldNames[procedure.serviceId] ?? '')[0] };
  });
  return { size: docs.length, vocabulary, accented, docs, cache: new Map() };
}

/** How well the folded query word `q` matches the vocabulary word `w`, 0 for not at all. */
function wordScore(q: string, w: string): number {
  if (q === w) return EXACT;
  if (w.startsWith(q)) return PREFIX;
  if (q.length >= 4) {
    const allowed = q.length >= 8 ? 2 : 1;
    // A typo in a word still being typed: compare with the same length of the word too.
    const d = Math.min(editDistance(q, w, allowed), w.length > q.length ? editDistance(q, w.slice(0, q.length), allowed) : allowed + 1);
    if (d <= allowed) return TYPO - 0.05 * (d - 1);
  }
  return 0;
}

/** A query word's score against every vocabulary word, the best of its readings (typed, Telex, VNI). */
function scoresFor(index: SearchIndex, word: string): Float32Array {
  let scores = index.cache.get(word);
  if (scores) return scores;
  scores = new Float32Array(index.vocabulary.length);
  for (const r of readings(word)) {
    for (let i = 0; i < scores.length; i++) {
      const s = wordScore(r, index.vocabulary[i]!);
      if (s > scores[i]!) scores[i] = s;
    }
  }
  if (index.cache.size > 200) index.cache.clear();
  index.cache.set(word, scores);
  return scores;
}

/**
 * The procedures matching `query`, best first. Diacritics (đ included) are ignored; Telex or
 * VNI typed without an input method is read as such; one typo per word is forgiven (two in
 * long words). Whole words rank above prefixes above typos; procedures matching every word
 * come before those matching only some.
 */
export function search(index: SearchIndex, query: string, limit = 10): SearchHit[] {
  const pairs = wordPairs(query);
  if (pairs.length === 0) return [];
  const terms = pairs.map((p) => p.folded);
  const tables = terms.map((t) => scoresFor(index, t));
  // For a word typed with its diacritics: which words carry the same ones (or start with them).
  const marks = pairs.map((p) => (p.accented === fold(p.accented) ? undefined : sameMarks(index, p.accented)));
  const hits: { hit: SearchHit; matched: number; order: number }[] = [];
  let bestMatched = 1;
  const positions = new Int32Array(terms.length);
  for (const doc of index.docs) {
    let total = 0;
    let matched = 0;
    let inName = 0;
    for (let t = 0; t < tables.length; t++) {
      const table = tables[t]!;
      const same = marks[t];
      let best = 0;
      let at = -1;
      for (let p = 0; p < doc.name.length; p++) {
        let s = table[doc.name[p]!]!;
        if (same && s > 0 && !same[doc.nameAccented[p]!]) s *= OTHER_MARKS;
        if (s > best) {
          best = s;
          at = p;
        }
      }
      const inNameBest = best;
      for (let k = 0; k < doc.keywords.length; k++) {
        let s = table[doc.keywords[k]!]! * KEYWORD_WEIGHT;
        if (same && s > 0 && !same[doc.keywordsAccented[k]!]) s *= OTHER_MARKS;
        if (s > best) best = s;
      }
      for (const id of doc.field) best = Math.max(best, table[id]! * FIELD_WEIGHT);
      positions[t] = best > 0 && at >= 0 && inNameBest === best ? at : -1;
      if (best > 0) matched++;
      if (positions[t]! >= 0) inName++;
      total += best;
    }
    if (matched < bestMatched) continue;
    bestMatched = matched;
    for (let t = 1; t < terms.length; t++) {
      if (positions[t - 1]! >= 0 && positions[t]! === positions[t - 1]! + 1) total += ADJACENT;
    }
    if (positions[0] === 0) total += STARTS;
    if (doc.name.length > 0) total += (COVERAGE * inName) / doc.name.length;
    hits.push({ hit: { procedure: doc.procedure, score: total }, matched, order: doc.order });
  }
  return hits
    .filter((h) => h.matched === bestMatched)
    .sort((a, b) => b.hit.score - a.hit.score || a.order - b.order)
    .slice(0, limit)
    .map((h) => h.hit);
}

/**
 * 1 for each vocabulary word whose diacritics agree with the query word's: the same letters
 * (or more, while it is typed) and the same tone, wherever the tone was placed; no tone typed
 * yet agrees with any.
 */
function sameMarks(index: SearchIndex, accented: string): Uint8Array {
  const q = splitTone(accented);
  const out = new Uint8Array(index.accented.length);
  for (let i = 0; i < out.length; i++) {
    const w = index.accented[i]!;
    if (w.base.startsWith(q.base) && (q.tone === '' || q.tone === w.tone)) out[i] = 1;
  }
  return out;
}

/** Procedures grouped by field, in the order the fields are given, each field's in catalog order. */
export function byField(procedures: readonly ProcedureView[], serviceIds: readonly string[]): Map<string, ProcedureView[]> {
  const groups = new Map<string, ProcedureView[]>(serviceIds.map((id) => [id, []]));
  for (const p of procedures) groups.get(p.serviceId)?.push(p);
  return groups;
}
