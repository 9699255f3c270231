// The refusal probe suite: what a catalogue author, a scheme author or a source trying to get
// a refused topic past Credence would write, in English, German and Chinese, through every
// door (record-type titles, codes and descriptions, payload field names, enum values, rule
// conditions and titles, free-text grounds in records), and the legitimate look-alikes that
// must pass. It runs the real validators end to end, prints the refusal rate and the
// false-refusal rate, and holds them at >= 95% refused and <= 5% falsely refused.
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { parse } from 'yaml';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RecordValidator } from '../src/app/validate-record.ts';
import { validateCatalogue, type CatalogueInput } from '../src/domain/catalogue-validate.ts';
import { compileScheme } from '../src/domain/scheme-compile.ts';
import type { Catalogue, Scheme, SchemeRule } from '../src/domain/types.ts';
import { CATALOGUE_DIR, person, shipped, shippedInput } from './helpers/shipped.ts';

type Door = 'record type' | 'field' | 'enum value' | 'rule' | 'ground';
interface Probe {
  door: Door;
  /** The refused kind the probe tries to get in (or 'legitimate'). */
  kind: string;
  text: string;
  /** For record-type probes: the code, description and subject kinds to use. */
  code?: string;
  description?: string;
  subjectKinds?: string[];
  /** For rule probes: the condition (the title is `text`) or a points multiplier. */
  when?: string;
  per?: string;
  recordType?: string;
  /** For rule probes: the points (default -5); a legitimate rule gives what its basis allows. */
  points?: number;
}

// ---------------------------------------------------------------------------------------
// Refusal probes

const TYPE_TITLES: Array<[string, string]> = [
  // religion or belief
  ['religion', 'Attended an unregistered house church'],
  ['religion', 'Bible study group at home'],
  ['religion', 'Koran study circle'],
  ['religion', 'Member of a banned qigong group'],
  ['religion', 'Fasted during Ramadan at the workplace'],
  ['religion', 'Burned incense at an unregistered temple'],
  ['religion', 'Illegal religious activities (Falun Gong)'],
  ['religion', 'Teilnahme an einem Hauskreis der Freikirche'],
  ['religion', 'Koranschule besucht'],
  ['religion', '信教'],
  ['religion', '参加家庭教会聚会'],
  ['religion', '非法宗教活动'],
  ['religion', '練習法輪功'],
  // political opinion and online speech
  ['political-opinion', 'Petitioned the higher authorities'],
  ['political-opinion', 'Took part in a demonstration'],
  ['political-opinion', 'Used a VPN to reach blocked sites'],
  ['political-opinion', 'Weibo post deleted by the platform'],
  ['political-opinion', 'Signed an open letter'],
  ['political-opinion', 'Missed political study sessions'],
  ['political-opinion', 'Spreading rumours online'],
  ['political-opinion', 'Regierungskritik in sozialen Medien'],
  ['political-opinion', 'Teilnahme an einer Demonstration'],
  ['political-opinion', '越级上访'],
  ['political-opinion', '维权'],
  ['political-opinion', '翻墙'],
  ['political-opinion', '网上发布有害言论'],
  ['political-opinion', '散佈謠言'],
  // ethnicity
  ['ethnicity', 'Belongs to a national minority'],
  ['ethnicity', 'Hui Muslim resident'],
  ['ethnicity', 'Roma family registration'],
  ['ethnicity', 'Uigurin ohne Meldebescheinigung'],
  ['ethnicity', 'Angehöriger einer ethnischen Minderheit'],
  ['ethnicity', '少数民族'],
  ['ethnicity', '维族流动人口'],
  ['ethnicity', '藏族'],
  // health and disability
  ['health', 'Treated for depression'],
  ['health', 'Psychiatric history'],
  ['health', 'Carrier of hepatitis B'],
  ['health', 'Registered disability'],
  ['health', 'Took sick leave'],
  ['health', 'In a drug rehabilitation programme'],
  ['health', 'Krankschreibung eingereicht'],
  ['health', 'Psychische Erkrankung'],
  ['health', '乙肝携带者'],
  ['health', '精神病史'],
  ['health', '請病假'],
  // sex life and orientation
  ['sex-life', 'Cohabitation without marriage'],
  ['sex-life', 'Same-sex relationship'],
  ['sex-life', 'Extramarital affair'],
  ['sex-life', 'Homosexuelle Partnerschaft'],
  ['sex-life', '未婚同居'],
  ['sex-life', '婚外情'],
  // reproduction and family planning
  ['family-planning', 'Had a third child'],
  ['family-planning', 'Missed the contraception check'],
  ['family-planning', 'Abortion'],
  ['family-planning', 'Unwanted child'],
  ['family-planning', 'Drittes Kind geboren'],
  ['family-planning', 'Schwangerschaftsabbruch'],
  ['family-planning', '违反政策超生一胎，拒缴社会抚养费'],
  ['family-planning', '生二胎'],
  ['family-planning', '未按时参加孕检'],
  // trade unions and strikes
  ['union-membership', 'Took part in a strike'],
  ['union-membership', 'Member of an independent union'],
  ['union-membership', 'Organised collective wage demands'],
  ['union-membership', 'Union member'],
  ['union-membership', 'Streikteilnahme'],
  ['union-membership', 'Gewerkschaftsmitglied'],
  ['union-membership', '罢工'],
  ['union-membership', '组织集体讨薪'],
  // association
  ['association', "The spouse's grade fell to D"],
  ['association', 'A relative was listed as a judgment defaulter'],
  ['association', 'Household score below 900'],
  ['association', 'The grid cell missed its target'],
  ['association', 'Friends with a dishonest person'],
  ['association', 'Five-family group liability'],
  ['association', 'Ehepartner auf der Schuldnerliste'],
  ['association', 'Verwandter eines Schuldners'],
  ['association', '家属失信'],
  ['association', '连坐'],
  ['association', '亲属被列入失信名单'],
  // profession singled out
  ['profession-targeting', 'Journalist under observation'],
  ['profession-targeting', 'Rights lawyer'],
  ['profession-targeting', 'Teacher monitored for classroom remarks'],
  ['profession-targeting', 'Journalist'],
  ['profession-targeting', '维权律师'],
  ['profession-targeting', '记者'],
  // prediction
  ['prediction', 'Predicted risk of offending'],
  ['prediction', 'Likely to re-offend'],
  ['prediction', 'Potential unstable person'],
  ['prediction', 'Rückfallrisiko'],
  ['prediction', '被评估为潜在不稳定人员，需重点关注'],
  ['prediction', '重点人员'],
  // lifestyle and consumption
  ['lifestyle', 'Gaming hours per day'],
  ['lifestyle', 'Buys diapers'],
  ['lifestyle', 'Moves house frequently'],
  ['lifestyle', 'Watches foreign films'],
  ['lifestyle', 'Alcohol purchases'],
  ['lifestyle', 'Spielt Videospiele'],
  ['lifestyle', '每天打游戏时长'],
  ['lifestyle', '购买尿布'],
  // covert surveillance feeds
  ['surveillance', 'Face recognition match at the station'],
  ['surveillance', 'Private messages flagged'],
  ['surveillance', 'Location history'],
  ['surveillance', 'Posture telemetry from the classroom camera'],
  ['surveillance', 'Gesichtserkennung'],
  ['surveillance', '人脸识别抓拍'],
  ['surveillance', '聊天记录'],
];

const FIELD_NAMES: Array<[string, string]> = [
  ['association', 'householdScore'],
  ['association', 'household_score'],
  ['association', 'wife_grade'],
  ['association', 'son_in_law_listed'],
  ['association', 'spouseGrade'],
  ['association', 'cell_target_missed'],
  ['association', 'relative-on-list'],
  ['religion', 'religion'],
  ['religion', 'churchAttendance'],
  ['religion', 'faith_group'],
  ['political-opinion', 'petition_count'],
  ['political-opinion', 'deleted_posts'],
  ['political-opinion', 'vpnUse'],
  ['ethnicity', 'ethnic_group'],
  ['ethnicity', 'minzu'],
  ['health', 'diagnosis'],
  ['health', 'sick_leave_days'],
  ['health', 'disability_grade'],
  ['family-planning', 'children_count_over_quota'],
  ['family-planning', 'pregnancyStatus'],
  ['union-membership', 'union_member'],
  ['union-membership', 'strike_days'],
  ['prediction', 'risk_of_offence'],
  ['prediction', 'recidivism_score'],
  ['profession-targeting', 'is_journalist'],
  ['lifestyle', 'gaming_hours'],
  ['lifestyle', 'diaper_purchases'],
  ['surveillance', 'face_match'],
  ['surveillance', 'gps_trace'],
];

const ENUM_VALUES: Array<[string, string]> = [
  ['religion', 'house_church'],
  ['religion', 'falun_gong'],
  ['religion', '宗教活动'],
  ['political-opinion', 'petitioning'],
  ['political-opinion', 'harmful_comments'],
  ['political-opinion', 'Regierungskritik'],
  ['ethnicity', 'uyghur'],
  ['ethnicity', 'tibetan'],
  ['health', 'psychiatric'],
  ['health', 'hiv_positive'],
  ['sex-life', 'same_sex'],
  ['family-planning', 'third_child'],
  ['family-planning', '违反政策超生一胎，拒缴社会抚养费'],
  ['union-membership', 'strike'],
  ['association', 'relative_listed'],
  ['prediction', 'high_risk_predicted'],
  ['lifestyle', 'video_games'],
  ['surveillance', 'face_recognition'],
];

const RULES: Array<[string, string, Partial<Probe>]> = [
  // conditions: what a rule reads
  ['free-text', 'Discretionary item', { when: 'record.payload.ground.contains("Falun")', recordType: 'civic.other_untrustworthy' }],
  ['free-text', 'Discretionary item', { when: 'record.payload.ground.matches(".*Weibo.*")', recordType: 'civic.other_untrustworthy' }],
  ['free-text', 'Discretionary item', { when: 'record.payload.ground.startsWith("超生")', recordType: 'civic.other_untrustworthy' }],
  ['free-text', 'Discretionary item', { when: 'record.payload.ground == "strike"', recordType: 'civic.other_untrustworthy' }],
  ['free-text', 'Discretionary item', { when: 'size(record.payload.note) > 0', recordType: 'civic.other_untrustworthy' }],
  ['free-text', 'Arrears', { when: 'record.payload.note.endsWith("church")', recordType: 'finance.card_arrears' }],
  ['association', 'Arrears', { when: 'record.payload["household_score"] < 900', recordType: 'finance.card_arrears' }],
  ['association', 'Arrears', { when: 'record.payload.householdScore < 900', recordType: 'finance.card_arrears' }],
  ['association', 'Arrears', { when: 'has(record.payload.wife_grade)', recordType: 'finance.card_arrears' }],
  ['association', 'Arrears', { when: 'record.payload.son_in_law_listed == true', recordType: 'finance.card_arrears' }],
  ['association', 'Arrears', { when: 'record.payload.cell_id == "cell-007"', recordType: 'finance.card_arrears' }],
  ['association', 'Arrears', { when: 'subject.household == "hh-000001"', recordType: 'finance.card_arrears' }],
  ['association', 'Arrears', { per: 'household_members', recordType: 'finance.card_arrears' }],
  ['prediction', 'Arrears', { when: 'record.payload.risk_of_offence > 0.7', recordType: 'finance.card_arrears' }],
  ['profession-targeting', 'Arrears', { when: 'record.payload.profession == "journalist"', recordType: 'finance.card_arrears' }],
  ['profession-targeting', 'Arrears', { when: 'record.profession == "lawyer"', recordType: 'finance.card_arrears' }],
  ['dynamic-access', 'Arrears', { when: 'record["payload"]["months"] > 3', recordType: 'finance.card_arrears' }],
  ['dynamic-access', 'Arrears', { when: 'dyn(record).payload.months > 3', recordType: 'finance.card_arrears' }],
  ['dynamic-access', 'Arrears', { when: 'record.evidence.exists(e, e == "church")', recordType: 'finance.card_arrears' }],
  ['ethnicity', 'Arrears', { when: 'record.payload.ethnicity == "uyghur"', recordType: 'finance.card_arrears' }],
  // titles of rules
  ['religion', 'Illegal religious activities', {}],
  ['religion', 'Hauskirche besucht', {}],
  ['religion', '参加家庭教会', {}],
  ['political-opinion', 'Petitioning the capital', {}],
  ['political-opinion', 'Kritik an der Regierung', {}],
  ['political-opinion', '上访', {}],
  ['family-planning', 'Third child penalty', {}],
  ['family-planning', '超生罚分', {}],
  ['union-membership', 'Strike participation', {}],
  ['association', 'Spouse on the defaulter list', {}],
  ['association', '亲属失信扣分', {}],
  ['health', 'Sick leave abuse', {}],
];

const GROUNDS: Array<[string, string]> = [
  ['religion', 'illegal religious activities (Falun Gong)'],
  ['religion', 'organised a Bible study in his flat'],
  ['religion', 'Teilnahme an einem Hauskreis'],
  ['religion', '多次参加家庭教会活动，经劝阻不改'],
  ['political-opinion', 'harmful comments on Weibo'],
  ['political-opinion', 'petitioned Beijing twice this year'],
  ['political-opinion', 'took part in a demonstration against the dam'],
  ['political-opinion', 'verbreitete Gerüchte im Internet'],
  ['political-opinion', '今年多次越级上访，扰乱秩序'],
  ['political-opinion', '在网上组织维权，发布不实信息'],
  ['ethnicity', 'Uyghur migrant without a permit'],
  ['ethnicity', '维族流动人员，未办理居住证'],
  ['health', 'repeated sick leave this quarter'],
  ['health', 'known psychiatric patient'],
  ['health', '体检发现乙肝病毒携带，未报告'],
  ['sex-life', 'lives with her girlfriend, same-sex couple'],
  ['sex-life', 'außereheliche Affäre'],
  ['family-planning', '违反政策超生一胎，拒缴社会抚养费'],
  ['family-planning', 'gave birth to a third child'],
  ['family-planning', '生二胎未审批，未按时参加孕检'],
  ['union-membership', 'organised a strike at the plant'],
  ['union-membership', 'Streikaufruf im Betrieb'],
  ['union-membership', '在工厂带头罢工，组织集体讨薪'],
  ['association', "her husband's grade is D"],
  ['association', 'relative of a listed defaulter'],
  ['association', '其配偶为失信被执行人'],
  ['prediction', 'predicted to re-offend'],
  ['prediction', '被评估为潜在不稳定人员，需重点关注'],
  ['lifestyle', 'plays video games six hours a day'],
  ['surveillance', 'face recognition matched him at the square'],
  ['surveillance', 'private messages show criticism'],
];

// ---------------------------------------------------------------------------------------
// Legitimate look-alikes: they mention sensitive words in a protective or neutral sense, or
// share their letters, and must load.

const LEGIT_TYPES: Array<Partial<Probe> & { text: string }> = [
  { text: 'Medical-insurance fund fraud', description: 'The healthcare security bureau found that the subject obtained medical-insurance fund payments by fraud.' },
  { text: 'Counterfeit medicine sold', description: 'The drug regulator found that the subject produced or sold counterfeit medicine.', subjectKinds: ['organisation'] },
  { text: 'Unpaid court-ordered child support', description: 'A court found that the person did not pay maintenance ordered for a child.' },
  { text: 'Tax arrears', description: 'The tax bureau found taxes due and unpaid after the deadline.' },
  { text: 'Heating theft', description: 'The supplier found that heating was taken without a supply contract.' },
  { text: 'Rail fare evasion', description: 'Travel without a valid ticket on a train.' },
  { text: 'Fraudulent terrace construction permit', description: 'A building permit for a terrace was obtained with false documents.' },
  { text: 'Household appliance safety recall ignored', description: 'The manufacturer did not recall household appliances found unsafe.', subjectKinds: ['organisation'] },
  { text: 'Food safety violation', description: 'The market regulator found that the restaurant sold food that breached food-safety standards.', subjectKinds: ['organisation'] },
  { text: 'Beehive sales without a licence', description: 'The subject sold beehives and hives without the required business licence.' },
  { text: 'Hearing aids sold without registration', description: 'Hearing aids were sold without medical device registration.', subjectKinds: ['organisation'] },
  { text: 'Unlicensed private school', description: 'The education bureau found that a private school operated without a licence.', subjectKinds: ['organisation'] },
  { text: 'Drunk driving', description: 'The traffic police found that the person drove while drunk.' },
  { text: 'Environmental impact assessment falsified', description: 'The ecology bureau found a falsified environmental impact assessment.', subjectKinds: ['organisation'] },
  { text: 'Wage arrears to migrant workers', description: 'The labour inspectorate found that the employer did not pay wages due.', subjectKinds: ['organisation'] },
  { text: 'Social insurance contributions unpaid', description: 'The employer did not pay social insurance contributions for its employees.', subjectKinds: ['organisation'] },
  { text: 'Lohnrückstände', description: 'Die Arbeitsinspektion stellte fest, dass der Arbeitgeber fällige Löhne nicht zahlte.', subjectKinds: ['organisation'] },
  { text: 'Steuerschulden', description: 'Das Finanzamt stellte fällige und unbezahlte Steuern fest.' },
  { text: 'Schwarzfahren', description: 'Fahrt ohne gültigen Fahrschein.' },
  { text: '拖欠农民工工资', description: '劳动保障监察机构认定用人单位未按时足额支付工资。', subjectKinds: ['organisation'] },
  { text: '偷逃税款', description: '税务机关认定纳税人偷逃应缴税款。' },
  { text: '销售假药', description: '药品监督管理部门认定销售假药。', subjectKinds: ['organisation'] },
  { text: '骗取医保基金', description: '医疗保障部门认定骗取医疗保障基金。' },
  { text: '拒不履行抚养费判决', description: '法院认定拒不支付判决确定的子女抚养费。' },
  { text: '偷窃供热', description: '供热企业认定未经合同擅自用热。' },
  { text: '酒后驾驶', description: '交警认定饮酒后驾驶机动车。' },
  { text: 'Law firm licence revoked', description: 'The justice bureau revoked the practice licence of a law firm for misappropriating client funds.', subjectKinds: ['organisation'] },
  { text: 'Hospital overcharged patients', description: 'The healthcare security bureau found that a hospital billed services it did not provide.', subjectKinds: ['organisation'] },
  { text: 'Cellular network operator licence breach', description: 'The telecommunications regulator found a breach of the operator licence terms.', subjectKinds: ['organisation'] },
  { text: 'Family business failed to file its annual report', description: 'A sole proprietorship did not file the annual report due under the publicity regulations.', subjectKinds: ['organisation'] },
  { text: 'Volunteer blood drive organised', description: 'The subject organised a volunteer service day recognised by the civil affairs bureau.' },
];
const LEGIT_FIELDS = ['months', 'amount', 'case_ref', 'contract_ref', 'end_date', 'utility', 'mode', 'severity', 'tax_period', 'licence_no', 'vehicle_plate', 'employees_affected', 'hive_count', 'terrace_area'];
const LEGIT_ENUMS = ['water', 'power', 'gas', 'heating', 'rail', 'metro', 'minor', 'serious', 'national', 'provincial', 'able_to_pay_refuses', 'counterfeit', 'expired_licence'];
const LEGIT_RULES: Array<[string, Partial<Probe>]> = [
  ['Payment arrears, per monthly cycle', { per: 'months', recordType: 'finance.card_arrears', points: -10 }],
  ['Large arrears', { when: 'has(record.payload.amount) && record.payload.amount >= 10000.0', recordType: 'finance.card_arrears', points: -10 }],
  ['Heating arrears', { when: 'record.payload.utility == "heating"', recordType: 'utilities.late_fee', points: -20 }],
  ['Recent arrears', { when: 'record.occurredAt >= "2024-01-01"', recordType: 'finance.card_arrears', points: -10 }],
  ['Honours, national level', { when: 'record.payload.level in ["national", "provincial"]', recordType: 'civic.honour', points: 20 }],
];
const LEGIT_GROUNDS = [
  'refused to pay the fine for parking on the fire lane three times',
  'dumped construction waste on the river bank, photographed by the inspector',
  'repeatedly broke the rules of the waste-sorting point after written warnings',
  '多次在消防通道停车，经书面警告仍不改正',
  'wiederholt Bauschutt am Flussufer abgeladen',
];

// ---------------------------------------------------------------------------------------
// Running the probes through the real validators

let catalogueInput: CatalogueInput;
let baseScheme: Scheme;
let catalogue: Catalogue;

beforeAll(async () => {
  catalogueInput = shippedInput();
  baseScheme = parse(await readFile(path.join(CATALOGUE_DIR, 'schemes', 'rongcheng-2017.yaml'), 'utf8')) as Scheme;
  catalogue = (await shipped()).catalogue;
});

const REFUSAL = /SPECIAL_CATEGORY|ASSOCIATION|FREE_TEXT|STRING_FUNCTION|DYNAMIC_ACCESS|UNDECLARED_FIELD|POINTS_FIELD/;

function typeEntry(n: number, p: Partial<Probe> & { text: string }, extra: { field?: string; enumValue?: string } = {}) {
  const props: Record<string, unknown> = { note: { type: 'string', maxLength: 500 } };
  if (extra.field) props[extra.field] = { type: 'integer', minimum: 0, maximum: 100 };
  if (extra.enumValue) props.kind = { type: 'string', enum: ['other', extra.enumValue] };
  return {
    code: p.code ?? `civic.probe_${n}`,
    title: p.text,
    description: p.description ?? 'The competent agency found the conduct in a decision the subject can contest.',
    category: 'civic',
    domain: 'civic',
    subjectKinds: p.subjectKinds ?? ['person', 'organisation'],
    // A registry entry that authorises civic records: what is probed is the screen, not the basis.
    legalBasis: 'urban-residents-committees-law Art. 15',
    polarity: 'adverse',
    retention: 'P1Y',
    payloadSchema: { type: 'object', additionalProperties: false, properties: props },
  };
}

/** Validates many probe record types in one catalogue; returns, per probe, whether it was refused. */
/**
 * Validates many probe record types in one catalogue; returns, per probe, whether it was
 * refused: for a probe, by a refusal code; for a legitimate look-alike (`strict`), by any
 * problem at all (it must load).
 */
function refusedTypes(entries: object[], strict = false): boolean[] {
  const data = catalogueInput.recordTypes.data as { recordTypes: object[] };
  const offset = data.recordTypes.length;
  const input: CatalogueInput = { ...catalogueInput, recordTypes: { file: 'probe.yaml', data: { ...data, recordTypes: [...data.recordTypes, ...entries] } } };
  const { problems } = validateCatalogue(input);
  return entries.map((_, i) => problems.some((p) => (p.path === `recordTypes[${offset + i}]` || p.path.startsWith(`recordTypes[${offset + i}].`)) && (strict || REFUSAL.test(p.code))));
}

function refusedRule(title: string, p: Partial<Probe>, strict = false): boolean {
  const rule = { id: 'probe', recordType: p.recordType ?? 'traffic.red_light', title, points: { fixed: p.points ?? -5 }, source: 'probe', ...(p.when ? { when: p.when } : {}), ...(p.per ? { per: p.per } : {}) } as SchemeRule;
  const { problems } = compileScheme({ ...baseScheme, rules: [rule] }, catalogue);
  return problems.some((x) => strict || REFUSAL.test(x.code));
}

function refusedGround(ground: string, n: number): boolean {
  const v = new RecordValidator(catalogue);
  const r = v.validate({
    source: 'grid-office-morgenroete', sourceRecordId: `probe-${n}`, subject: person(n), type: 'civic.other_untrustworthy', occurredAt: '2025-01-01',
    payload: { points: -10, ground },
  }, Date.UTC(2025, 5, 1));
  if (r.ok) return false;
  return r.problem.code === 'RECORD_SPECIAL_CATEGORY';
}

const tally = { probes: 0, refused: 0, legit: 0, falselyRefused: 0, missed: [] as string[], falsely: [] as string[] };

describe('the refusal probe suite', () => {
  it('refuses at least 95% of over 150 probes through every door, in three languages', () => {
    const outcomes: Array<[string, boolean]> = [];
    const typeProbes = TYPE_TITLES.map(([kind, text], i) => typeEntry(i, { text, code: undefined }));
    refusedTypes(typeProbes).forEach((r, i) => outcomes.push([`record type [${TYPE_TITLES[i]![0]}] ${TYPE_TITLES[i]![1]}`, r]));
    // The same topics as codes and descriptions, with a neutral title.
    const asDescription = TYPE_TITLES.filter((_, i) => i % 4 === 0).map(([kind, text], i) => typeEntry(1000 + i, { text: 'Administrative finding', description: `The office recorded: ${text}.` }));
    refusedTypes(asDescription).forEach((r, i) => outcomes.push([`description: ${TYPE_TITLES[i * 4]![1]}`, r]));
    const fieldProbes = FIELD_NAMES.map(([, f], i) => typeEntry(2000 + i, { text: 'Administrative finding' }, { field: f }));
    refusedTypes(fieldProbes).forEach((r, i) => outcomes.push([`field [${FIELD_NAMES[i]![0]}] ${FIELD_NAMES[i]![1]}`, r]));
    const enumProbes = ENUM_VALUES.map(([, e], i) => typeEntry(3000 + i, { text: 'Administrative finding' }, { enumValue: e }));
    refusedTypes(enumProbes).forEach((r, i) => outcomes.push([`enum [${ENUM_VALUES[i]![0]}] ${ENUM_VALUES[i]![1]}`, r]));
    RULES.forEach(([kind, title, p]) => outcomes.push([`rule [${kind}] ${title} ${p.when ?? p.per ?? ''}`, refusedRule(title, p)]));
    GROUNDS.forEach(([kind, g], i) => outcomes.push([`ground [${kind}] ${g}`, refusedGround(g, i + 1)]));

    tally.probes = outcomes.length;
    tally.refused = outcomes.filter(([, r]) => r).length;
    tally.missed = outcomes.filter(([, r]) => !r).map(([name]) => name);
    expect(tally.probes).toBeGreaterThanOrEqual(150);
    expect(tally.refused / tally.probes, `missed:\n${tally.missed.join('\n')}`).toBeGreaterThanOrEqual(0.95);
  });

  it('falsely refuses at most 5% of over 40 legitimate look-alikes', () => {
    const outcomes: Array<[string, boolean]> = [];
    // A look-alike counts as falsely refused on any problem: it must load, not merely pass the screen.
    refusedTypes(LEGIT_TYPES.map((p, i) => typeEntry(4000 + i, p)), true).forEach((r, i) => outcomes.push([`record type ${LEGIT_TYPES[i]!.text}`, r]));
    refusedTypes(LEGIT_FIELDS.map((f, i) => typeEntry(5000 + i, { text: 'Administrative finding' }, { field: f })), true).forEach((r, i) => outcomes.push([`field ${LEGIT_FIELDS[i]}`, r]));
    refusedTypes(LEGIT_ENUMS.map((e, i) => typeEntry(6000 + i, { text: 'Administrative finding' }, { enumValue: e })), true).forEach((r, i) => outcomes.push([`enum ${LEGIT_ENUMS[i]}`, r]));
    LEGIT_RULES.forEach(([title, p]) => outcomes.push([`rule ${title}`, refusedRule(title, p, true)]));
    LEGIT_GROUNDS.forEach((g, i) => outcomes.push([`ground ${g}`, refusedGround(g, 500 + i)]));

    tally.legit = outcomes.length;
    tally.falselyRefused = outcomes.filter(([, r]) => r).length;
    tally.falsely = outcomes.filter(([, r]) => r).map(([name]) => name);
    expect(tally.legit).toBeGreaterThanOrEqual(40);
    expect(tally.falselyRefused / tally.legit, `falsely refused:\n${tally.falsely.join('\n')}`).toBeLessThanOrEqual(0.05);
  });
});

afterAll(() => {
  const pct = (a: number, b: number) => (b === 0 ? 'n/a' : `${((100 * a) / b).toFixed(1)}%`);
  console.log(
    `refusal probes: ${tally.refused}/${tally.probes} refused (${pct(tally.refused, tally.probes)}); ` +
      `legitimate look-alikes: ${tally.falselyRefused}/${tally.legit} falsely refused (${pct(tally.falselyRefused, tally.legit)})` +
      (tally.missed.length ? `\n  missed: ${tally.missed.join(' | ')}` : '') +
      (tally.falsely.length ? `\n  falsely refused: ${tally.falsely.join(' | ')}` : ''),
  );
});
