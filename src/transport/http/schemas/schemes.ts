// Wire shapes of the scheme routes: versions (SchemeOut and schemeDto of schemas/catalogue.ts,
// shared with GET /v1/catalogue/schemes), the impact preview (the grade migration matrix of a
// dry-run rescore), a publication, and the draft upload's body (documentation only).
import { Type } from '@sinclair/typebox';
import { SchemeOut } from './catalogue.ts';
import { Identifier, IsoTime } from './common.ts';

export { SchemeOut };

const SCHEME_VERSION_EXAMPLE = {
  id: 'rongcheng', version: 2, key: 'rongcheng@2', title: 'Rongcheng social credit', status: 'draft', publishedAt: null, base: 1000, range: null, defaultGrade: 'A',
  bands: [{ grade: 'AAA', label: 'exemplary', min: 1050, max: null }, { grade: 'A', label: 'honest', min: 960, max: 1049 }, { grade: 'D', label: 'dishonest', min: null, max: 599 }],
  rules: [{ id: 'red-light', recordType: 'traffic.red_light', title: 'Ran a red light', when: null, points: { fixed: -5 }, per: null, cap: null, lifetime: null, directGrade: null, source: 'Deutschlandfunk 2017 (-5)', citations: [] }],
  listRules: [],
};
/** One version, as the draft upload and the version read answer it. */
export const SchemeVersionOut = { ...SchemeOut, examples: [SCHEME_VERSION_EXAMPLE] };

export const SchemeListOut = Type.Object({
  items: Type.Array(SchemeOut),
}, { additionalProperties: false, description: 'every scheme version (published ones; drafts too with an operator key)', examples: [{ items: [SCHEME_VERSION_EXAMPLE] }] });

const Matrix = Type.Record(Type.String(), Type.Record(Type.String(), Type.Integer({ minimum: 0 })), {
  description: 'subjects per current grade (outer key) and grade under the version (inner key)',
  examples: [{ A: { A: 120, B: 3 }, B: { B: 14 } }],
});

export const SchemePreviewOut = Type.Object({
  scheme: Type.String({ description: 'the version previewed (ID@VERSION)' }),
  comparedWith: Type.String({ description: 'the version in force it is compared with (itself when none is)' }),
  subjects: Type.Integer({ minimum: 0, description: 'subjects rescored' }),
  matrix: Matrix,
}, { additionalProperties: false, description: 'what publishing would do: nothing is written', examples: [{ scheme: 'rongcheng@2', comparedWith: 'rongcheng@1', subjects: 137, matrix: { A: { A: 120, B: 3 }, B: { B: 14 } } }] });

export const SchemePublishOut = Type.Object({
  scheme: Type.String({ description: 'the version published (ID@VERSION)' }),
  publishedAt: IsoTime('when it was published: decisions from now on are taken under it'),
  subjects: Type.Integer({ minimum: 0, description: 'subjects rescored' }),
  matrix: Matrix,
}, { additionalProperties: false, examples: [{ scheme: 'rongcheng@2', publishedAt: '2026-03-01T09:30:00.000Z', subjects: 137, matrix: { A: { A: 120, B: 3 }, B: { B: 14 } } }] });

// A version is written as a whole number in decimal: not 0x1, 1e0, +1 or " 1" (which a number coercion would take).
export const VersionParams = Type.Object({
  id: Identifier('scheme id'),
  version: Type.String({ pattern: '^[1-9][0-9]{0,5}$', description: 'the version number, 1 to 999999, in decimal digits', examples: ['2'] }),
}, { additionalProperties: false });

/**
 * The draft's document, as catalogue/schemes/*.yaml writes it. Only documented: the route
 * compiles the raw text itself and lists every problem (these schemas accept any body).
 */
const SCHEME_EXAMPLE = 'id: rongcheng\nversion: 2\ntitle: Rongcheng social credit scheme\n...';
export const SchemeDraftIn = {
  content: {
    'application/yaml': { schema: Type.String({ description: 'a scheme document in YAML (also accepted as application/x-yaml, text/yaml, text/plain)', examples: [SCHEME_EXAMPLE] }) },
    'application/json': { schema: Type.Unknown({ description: 'the same document in JSON' }) },
  },
};
