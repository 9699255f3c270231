// The multilingual screen (src/domain/screen.ts, src/domain/screen-lexicon.ts): the
// normaliser step by step, a probe table of texts a censor would write (record-type
// titles, descriptions, codes, field names, enum values, rule conditions, free-text
// grounds) in English, German and Chinese (simplified and traditional), and legitimate
// look-alikes that must pass. The table prints its refusal and false-refusal rates and holds
// them at >= 97% and <= 3% (issue 9 asks 95% / 5%; the margin is for the end-to-end suite).
import { readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse } from 'yaml';
import { Converter } from 'opencc-js/t2cn';
import { describe, expect, it } from 'vitest';
import { validateCatalogue } from '../src/domain/catalogue-validate.ts';
import { shippedInput } from './helpers/shipped.ts';
import {
  SCREEN_CATEGORIES,
  SCREEN_LABELS,
  SCREEN_LEXICON,
  SCREEN_SHIELDS,
  SCREEN_TERMS,
  SPECIAL_SCREEN_CATEGORIES,
  normaliseForScreen,
  screenFreeText,
  screenText,
  screenTextExcept,
  stemWord,
  type ScreenCategory,
} from '../src/domain/screen.ts';

const CATALOGUE_DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', 'catalogue');

const categoriesOf = (text: string, allow?: ReadonlySet<ScreenCategory>) => screenText(text, { allow }).map((h) => h.category);

// ---------------------------------------------------------------------------------------
// The normaliser

describe('normaliseForScreen', () => {
  it('applies Unicode NFKC (full-width letters and spaces, ligatures)', () => {
    expect(normaliseForScreen('ＦＡＬＵＮ　ＧＯＮＧ')).toBe('falun gong');
    expect(normaliseForScreen('ﬁnance')).toBe('financ');
    expect(categoriesOf('ＦＡＬＵＮ　ＧＯＮＧ')).toContain('religion');
  });

  it('folds case', () => {
    expect(normaliseForScreen('RELIGION Religion religion')).toBe('religion religion religion');
  });

  it('splits camelCase, PascalCase and letter/digit boundaries', () => {
    expect(normaliseForScreen('householdScore')).toBe('household scor');
    expect(normaliseForScreen('HIVStatus')).toBe('hiv status');
    expect(normaliseForScreen('WifeGrade2')).toBe('wife grad 2');
  });

  it('splits snake_case, kebab-case, dotted codes and index syntax', () => {
    expect(normaliseForScreen('son_in_law_grade')).toBe('son in law grad');
    expect(normaliseForScreen('civic.house-church')).toBe('civic hous church');
    expect(normaliseForScreen('record.payload["household_score"]')).toBe('record payload household scor');
  });

  it('folds German umlauts and ß (ä and ae and a all match)', () => {
    expect(normaliseForScreen('Gerüchte')).toBe('geruecht');
    expect(normaliseForScreen('Geruechte')).toBe('geruecht');
    expect(normaliseForScreen('Straße')).toBe(normaliseForScreen('Strasse'));
    expect(normaliseForScreen('ÄRZTE')).toBe(normaliseForScreen('Aerzte'));
    for (const t of ['Gerüchte', 'Geruechte', 'Geruchte', 'GERÜCHTE']) expect(categoriesOf(t), t).toContain('political-opinion');
    for (const t of ['Schwangerschaft', 'Schwangerschaft'.replace('a', 'a'), 'Aerztin', 'Arztin', 'Ärztin']) expect(screenText(t), t).not.toEqual([]);
  });

  it('converts traditional Chinese (Hong Kong and Taiwan forms) to simplified', () => {
    expect(normaliseForScreen('維權')).toBe('维权');
    expect(normaliseForScreen('家庭教會')).toBe('家庭教会');
    expect(normaliseForScreen('計劃生育')).toBe('计划生育');
    expect(normaliseForScreen('網絡言論')).toBe('网络言论');
    expect(normaliseForScreen('信用卡逾期欠款')).toBe('信用卡逾期欠款');
  });

  it('stems English and German endings so inflections meet their stems', () => {
    const same = (a: string, b: string) => expect(normaliseForScreen(a), `${a} ~ ${b}`).toBe(normaliseForScreen(b));
    same('churches', 'church');
    same('Kirchen', 'Kirche');
    same('petitioned', 'petition');
    same('petitioning', 'petition');
    same('petitions', 'petition');
    same('meetings', 'meeting');
    same('studies', 'study');
    same('studying', 'study');
    same('families', 'family');
    same('Familien', 'Familie');
    same('relatives', 'relative');
    same('strikes', 'strike');
    same('movies', 'movie');
    same('religiöse', 'religiösen');
    same('children', 'child');
    same('wives', 'wife');
    expect(normaliseForScreen('teaching')).not.toBe(normaliseForScreen('teacher'));
    expect(normaliseForScreen('hive')).not.toBe(normaliseForScreen('HIV'));
    expect(normaliseForScreen('racing')).not.toBe(normaliseForScreen('race'));
    expect(normaliseForScreen('gebeten')).not.toBe(normaliseForScreen('Gebet'));
    expect(normaliseForScreen('beliefen')).not.toBe(normaliseForScreen('belief'));
    expect(stemWord('status')).toBe('status');
    expect(stemWord('hepatitis')).toBe('hepatitis');
    expect(stemWord('2019s')).toBe('2019s');
  });

  it('drops format characters and maps look-alike Cyrillic and Greek letters', () => {
    expect(normaliseForScreen('reli\u200bgion')).toBe('religion');
    expect(normaliseForScreen('reli\u00adgion')).toBe('religion');
    expect(normaliseForScreen('r\u0435ligion')).toBe('religion'); // Cyrillic е
    expect(normaliseForScreen('\u03bfpen letter')).toBe('open letter'); // Greek ο
    expect(normaliseForScreen('café')).toBe('cafe');
  });

  it("drops the possessive 's", () => {
    expect(normaliseForScreen("the wife's grade")).toBe('the wife grad');
    expect(normaliseForScreen('the wife’s grade')).toBe('the wife grad');
    expect(normaliseForScreen("neighbours' scores")).toBe('neighbour scor');
  });

  it('joins Chinese runs across spaces and punctuation, and separates them from Latin words', () => {
    expect(normaliseForScreen('超 生')).toBe('超生');
    expect(normaliseForScreen('超-生')).toBe('超生');
    expect(normaliseForScreen('超生fine')).toBe('超生 fine');
  });

  it('keeps the case of acronyms whose lower case is a word (AIDS, not hearing aids)', () => {
    expect(normaliseForScreen('AIDS patient')).toBe('AIDS patient');
    expect(categoriesOf('AIDS')).toEqual(['health']);
    expect(categoriesOf('hearing aids')).toEqual([]);
    expect(categoriesOf('HIV-positive')).toEqual(['health']);
    expect(categoriesOf('hive')).toEqual([]);
  });
});

// ---------------------------------------------------------------------------------------
// Matching

describe('screenText', () => {
  it('returns one hit per distinct term, the longest over the ones it contains', () => {
    expect(screenText('political opinion')).toEqual([{ term: 'political opinion', category: 'political-opinion' }]);
    expect(screenText('计划生育')).toEqual([{ term: '计划生育', category: 'family-planning' }]);
    expect(screenText('越级上访')).toEqual([{ term: '越级上访', category: 'political-opinion' }]);
    expect(screenText('church, church and churches')).toEqual([{ term: 'church', category: 'religion' }]);
  });

  it('matches whole words only', () => {
    for (const t of ['terrace', 'embrace', 'cultivate', 'competition', 'policy', 'reunion', 'unionised', 'Essex', 'sextant', 'wealth']) {
      expect(screenText(t), t).toEqual([]);
    }
  });

  it('lets a shield (a neutral compound) cover the screened word inside it', () => {
    expect(categoriesOf('cell')).toEqual(['association']);
    expect(categoriesOf('cell phone')).toEqual([]);
    expect(categoriesOf('cell phone records')).toEqual(['surveillance']);
    expect(categoriesOf('household')).toEqual(['association']);
    expect(categoriesOf('household appliances')).toEqual([]);
    expect(categoriesOf('宁夏回族自治区税务局')).toEqual([]);
    expect(categoriesOf('回族群众')).toEqual(['ethnicity']);
  });

  it('exempts categories only when the caller says so (allow / screenTextExcept)', () => {
    const text = 'Employer dismissed a pregnant worker';
    expect(categoriesOf(text)).toEqual(['family-planning']);
    expect(screenText(text, { allow: new Set(['family-planning']) })).toEqual([]);
    expect(screenTextExcept(text, new Set(['family-planning']))).toEqual([]);
    // The exemption is per category: the wife is still refused.
    expect(categoriesOf("Employer dismissed a pregnant worker and lowered her wife's grade", new Set(['family-planning']))).toEqual(['association']);
  });

  it('names every category with a label', () => {
    for (const c of SCREEN_CATEGORIES) expect(SCREEN_LABELS[c].length).toBeGreaterThan(5);
    expect([...SPECIAL_SCREEN_CATEGORIES].sort()).toEqual(
      ['ethnicity', 'family-planning', 'health', 'political-opinion', 'religion', 'sex-life', 'union-membership'],
    );
  });
});

describe('screenFreeText', () => {
  it('returns the first hit with its field, walking nested values', () => {
    expect(screenFreeText({ amount: 50, ground: 'illegal religious activities (Falun Gong)' })).toEqual({
      field: 'ground',
      hit: { term: 'religio…', category: 'religion' },
    });
    expect(screenFreeText({ items: [{ note: 'fine' }, { note: '超生' }] })).toEqual({
      field: 'items[1].note',
      hit: { term: '超生', category: 'family-planning' },
    });
    expect(screenFreeText({ ground: 'harmful comments on Weibo' })?.hit.category).toBe('political-opinion');
  });

  it('returns null for ordinary notes, and honours allow', () => {
    expect(screenFreeText({ note: 'Paid the arrears in two instalments after the reminder.', months: 3 })).toBeNull();
    expect(screenFreeText({ note: 'The worker was pregnant when dismissed.' }, { allow: new Set(['family-planning']) })).toBeNull();
  });

  // Speed is measured by the benchmark (npm run bench -- --only screen, workload 8), against
  // the raw insert in the same run, not by a timed unit test.
});

// ---------------------------------------------------------------------------------------
// The catalogue validator screens every text it reads

describe('catalogue screening', () => {
  const shipped = shippedInput;
  const items = (f: { data: unknown }, key: string) => (f.data as Record<string, unknown[]>)[key] as Array<Record<string, any>>;

  it('loads the shipped catalogue without a screen problem', () => {
    expect(validateCatalogue(shipped()).problems.filter((p) => p.code === 'CATALOGUE_SPECIAL_CATEGORY_TERM')).toEqual([]);
  });

  it('screens legal bases, source ids and names, list and measure texts and conditions, naming term, category and field', () => {
    const input = shipped();
    // The article text is what a catalogue object writes of its citation: it is screened.
    items(input.recordTypes, 'recordTypes')[0].legalBasis = 'credit-investigation-regulation Art. 3 (household scores)';
    items(input.recordTypes, 'recordTypes')[1].payloadSchema.properties.wifeGrade = { type: 'integer', minimum: 0, maximum: 9 };
    items(input.sources, 'sources')[0].name = 'Bureau for religious affairs';
    items(input.sources, 'sources')[1].id = 'grid-cell-office';
    items(input.lists, 'lists')[0].description = 'Persons who petitioned the higher authorities';
    items(input.measures, 'measures')[0].conditions = ['only after face recognition at the gate'];
    items(input.measures, 'measures')[1].contest = 'appeal to the bureau; journalists may not appeal';
    const r = validateCatalogue(input);
    const screen = r.problems.filter((p) => p.code === 'CATALOGUE_SPECIAL_CATEGORY_TERM');
    expect(screen.map((p) => `${p.file} ${p.path}`).sort()).toEqual(
      [
        'record-types.yaml recordTypes[0].legalBasis',
        'record-types.yaml recordTypes[1].payloadSchema.properties.wifeGrade',
        'sources.yaml sources[0].name',
        'sources.yaml sources[1].id',
        'lists.yaml lists[0].description',
        'measures.yaml measures[0].conditions[0]',
        'measures.yaml measures[1].contest',
      ].sort(),
    );
    const legal = screen.find((p) => p.path === 'recordTypes[0].legalBasis')!;
    expect(legal.message).toContain('legalBasis names "household…"');
    expect(legal.message).toContain('association');
    const cond = screen.find((p) => p.path === 'measures[0].conditions[0]')!;
    expect(cond.message).toMatch(/condition names "face recognition", a term of the refused kind surveillance/);
    expect(screen.find((p) => p.path === 'sources[0].name')!.message).toMatch(/special category religion/);
  });
});

// ---------------------------------------------------------------------------------------
// The lexicon

describe('the lexicon', () => {
  it('has English, German and Chinese terms in every category', () => {
    for (const c of SCREEN_CATEGORIES) {
      const terms = SCREEN_TERMS[c];
      expect(terms.some((t) => /[\u4e00-\u9fff]/.test(t)), `${c}: Chinese`).toBe(true);
      expect(terms.some((t) => /^[a-z][a-z ]+$/.test(t)), `${c}: English`).toBe(true);
      expect(terms.some((t) => /[äöüß]|^[A-ZÄÖÜ][a-zäöüß]+[a-zäöüß]$/.test(t) && !/[\u4e00-\u9fff]/.test(t)), `${c}: German`).toBe(true);
      for (const g of SCREEN_LEXICON[c]) expect(g.note.length, `${c}: every group says where its words come from`).toBeGreaterThan(20);
    }
  });

  it('matches every term as its own category', () => {
    for (const c of SCREEN_CATEGORIES) {
      for (const t of SCREEN_TERMS[c]) expect(categoriesOf(t), `${c}: ${t}`).toContain(c);
    }
  });

  it('writes Chinese terms in simplified characters (they are compiled without conversion)', () => {
    const t2s = Converter({ from: 'hk', to: 'cn' });
    const all = [...Object.values(SCREEN_LEXICON).flat(), ...SCREEN_SHIELDS].flatMap((g) => g.terms);
    for (const t of all.filter((x) => /[\u4e00-\u9fff]/.test(x))) expect(t2s(t), t).toBe(t);
  });

  it('gives no normalised term two categories', () => {
    const seen = new Map<string, ScreenCategory>();
    for (const c of SCREEN_CATEGORIES) {
      for (const t of SCREEN_TERMS[c]) {
        const k = normaliseForScreen(t);
        const other = seen.get(k);
        expect(other === undefined || other === c, `${t}: ${other} and ${c}`).toBe(true);
        seen.set(k, c);
      }
    }
  });

  it('raises nothing on any text of the shipped catalogue and schemes', () => {
    // A protection statute (authorises.protects) and a protective type (protects) name the
    // category they protect: their texts are screened with that category exempt, as the
    // validator does, and the declarations themselves are category names, not texts.
    const texts: Array<[string, Set<ScreenCategory>]> = [];
    const read = (f: string) => parse(readFileSync(path.join(CATALOGUE_DIR, f), 'utf8')) as Record<string, any>;
    const collect = (v: unknown, allow: Set<ScreenCategory>): void => {
      if (typeof v === 'string') texts.push([v, allow]);
      else if (Array.isArray(v)) v.forEach((x) => collect(x, allow));
      else if (v && typeof v === 'object') {
        const o = v as Record<string, any>;
        const declared: string[] = [...(Array.isArray(o.protects) ? o.protects : []), ...(Array.isArray(o.authorises?.protects) ? o.authorises.protects : [])];
        const inner = declared.length ? new Set([...allow, ...(declared as ScreenCategory[])]) : allow;
        for (const [k, x] of Object.entries(o)) {
          // Declarations name categories; addresses are not texts.
          if (k === 'protects' || k === 'url') continue;
          texts.push([k, inner]);
          collect(x, inner);
        }
      }
    };
    for (const f of readdirSync(CATALOGUE_DIR).filter((x) => x.endsWith('.yaml'))) collect(read(f), new Set());
    for (const f of readdirSync(path.join(CATALOGUE_DIR, 'schemes')).filter((x) => x.endsWith('.yaml'))) collect(read(path.join('schemes', f)), new Set());
    expect(texts.length).toBeGreaterThan(500);
    for (const [t, allow] of texts) expect(screenText(t, { allow }), t).toEqual([]);
  });
});

// ---------------------------------------------------------------------------------------
// The probe table

type Lang = 'en' | 'de' | 'zh' | 'zh-Hant';

/** [category, language, text]: texts as a censor would write them; each must be refused. */
const REFUSE: Array<[ScreenCategory, Lang, string]> = [
  // religion or belief
  ['religion', 'en', 'Attended a house church'],
  ['religion', 'en', 'civic.house_church_attendance'],
  ['religion', 'en', 'Bible study group participation'],
  ['religion', 'en', 'Koran study circle'],
  ['religion', 'en', 'Member of a banned qigong group'],
  ['religion', 'en', 'Fasted during Ramadan at the workplace'],
  ['religion', 'en', 'Burned incense at an unregistered temple'],
  ['religion', 'en', 'illegal religious activities (Falun Gong)'],
  ['religion', 'en', 'ground.contains("Falun")'],
  ['religion', 'en', 'prayerMeetingCount'],
  ['religion', 'en', 'falun_gong_practitioner'],
  ['religion', 'en', 'Eastern Lightning (Almighty God) member'],
  ['religion', 'en', 'Wears a headscarf in public'],
  ['religion', 'en', 'Baptised in an unregistered congregation'],
  ['religion', 'en', 'Prayer meeting held in a private flat'],
  ['religion', 'de', 'Teilnahme an einem Hausgottesdienst'],
  ['religion', 'de', 'Besuch einer Hauskirche'],
  ['religion', 'de', 'Bibelkreis im Wohnviertel'],
  ['religion', 'de', 'Moscheebesuch am Freitag'],
  ['religion', 'de', 'religiöse Versammlung ohne Genehmigung'],
  ['religion', 'zh', '信教群众登记'],
  ['religion', 'zh', '参加家庭教会聚会'],
  ['religion', 'zh', '非法宗教活动（法轮功）'],
  ['religion', 'zh', '在未登记寺庙烧香'],
  ['religion', 'zh', '斋月期间封斋'],
  ['religion', 'zh', '参加查经班'],
  ['religion', 'zh-Hant', '參加家庭教會'],
  ['religion', 'zh-Hant', '修煉法輪功'],
  ['religion', 'zh-Hant', '宗教活動場所'],
  // political opinion and online speech
  ['political-opinion', 'en', 'Posted harmful comments on Weibo'],
  ['political-opinion', 'en', 'harmful comments on Weibo'],
  ['political-opinion', 'en', 'Deleted post on WeChat'],
  ['political-opinion', 'en', 'online.deleted_posts'],
  ['political-opinion', 'en', 'Spreading rumours online'],
  ['political-opinion', 'en', 'Petitioned higher authorities (skip-level petition)'],
  ['political-opinion', 'en', 'petitioning_count'],
  ['political-opinion', 'en', 'Took part in a demonstration'],
  ['political-opinion', 'en', 'Used a VPN to reach foreign websites'],
  ['political-opinion', 'en', 'Signed an open letter'],
  ['political-opinion', 'en', 'Failed political study'],
  ['political-opinion', 'en', 'Rights defence activity'],
  ['political-opinion', 'en', 'protest_participation'],
  ['political-opinion', 'en', 'Government criticism on social media'],
  ['political-opinion', 'en', 'partyMembershipStatus'],
  ['political-opinion', 'de', 'Regierungskritik im Internet'],
  ['political-opinion', 'de', 'Verbreitung von Gerüchten'],
  ['political-opinion', 'de', 'Teilnahme an einer Demonstration'],
  ['political-opinion', 'de', 'Unterzeichnung eines offenen Briefes'],
  ['political-opinion', 'de', 'Nutzung eines VPN'],
  ['political-opinion', 'zh', '越级上访'],
  ['political-opinion', 'zh', '上访老户'],
  ['political-opinion', 'zh', '维权人士'],
  ['political-opinion', 'zh', '使用翻墙软件'],
  ['political-opinion', 'zh', '在微博发表不当言论'],
  ['political-opinion', 'zh', '删帖记录'],
  ['political-opinion', 'zh', '学习强国积分不足'],
  ['political-opinion', 'zh-Hant', '參與遊行示威'],
  ['political-opinion', 'zh-Hant', '散佈謠言'],
  ['political-opinion', 'zh-Hant', '網絡言論'],
  // ethnicity and national origin
  ['ethnicity', 'en', 'Member of a national minority'],
  ['ethnicity', 'en', 'ethnic_minority'],
  ['ethnicity', 'en', 'Uyghur origin'],
  ['ethnicity', 'en', 'Tibetan ethnicity'],
  ['ethnicity', 'en', 'Hui Muslim'],
  ['ethnicity', 'en', 'Roma community member'],
  ['ethnicity', 'en', 'race of the subject'],
  ['ethnicity', 'en', 'skinColour'],
  ['ethnicity', 'en', 'nationality'],
  ['ethnicity', 'de', 'Uigurin'],
  ['ethnicity', 'de', 'ethnische Zugehörigkeit'],
  ['ethnicity', 'de', 'Angehöriger einer nationalen Minderheit'],
  ['ethnicity', 'zh', '少数民族身份'],
  ['ethnicity', 'zh', '维族人员'],
  ['ethnicity', 'zh', '藏族'],
  ['ethnicity', 'zh', '回族群众'],
  ['ethnicity', 'zh-Hant', '少數民族'],
  ['ethnicity', 'zh-Hant', '維吾爾族'],
  // health and disability
  ['health', 'en', 'Diagnosed with depression'],
  ['health', 'en', 'Psychiatric treatment history'],
  ['health', 'en', 'Hepatitis B carrier'],
  ['health', 'en', 'disability status'],
  ['health', 'en', 'Took sick leave more than 10 days'],
  ['health', 'en', 'sick_leave_days'],
  ['health', 'en', 'Completed a rehabilitation programme'],
  ['health', 'en', 'HIV-positive'],
  ['health', 'en', 'mentalIllnessFlag'],
  ['health', 'de', 'Krankschreibung häufiger als zweimal'],
  ['health', 'de', 'Behinderung des Antragstellers'],
  ['health', 'de', 'psychische Erkrankung'],
  ['health', 'zh', '患有抑郁症'],
  ['health', 'zh', '乙肝病毒携带者'],
  ['health', 'zh', '残疾人'],
  ['health', 'zh', '病假天数'],
  ['health', 'zh', '精神病史'],
  ['health', 'zh-Hant', '殘疾'],
  ['health', 'zh-Hant', '康復治療'],
  // sex life and sexual orientation
  ['sex-life', 'en', 'Cohabitation without marriage'],
  ['sex-life', 'en', 'same-sex relationship'],
  ['sex-life', 'en', 'Extramarital affair reported by the grid office'],
  ['sex-life', 'en', 'sexual_orientation'],
  ['sex-life', 'en', 'homosexual conduct'],
  ['sex-life', 'en', 'lgbtqStatus'],
  ['sex-life', 'de', 'gleichgeschlechtliche Partnerschaft'],
  ['sex-life', 'de', 'Seitensprung'],
  ['sex-life', 'de', 'Affäre mit einer Kollegin'],
  ['sex-life', 'zh', '未婚同居'],
  ['sex-life', 'zh', '同性恋'],
  ['sex-life', 'zh', '婚外情'],
  ['sex-life', 'zh-Hant', '同性戀'],
  // reproduction and family planning
  ['family-planning', 'en', 'Third child born outside the plan'],
  ['family-planning', 'en', 'Gave birth to a third child'],
  ['family-planning', 'en', 'Missed contraception check'],
  ['family-planning', 'en', 'abortion history'],
  ['family-planning', 'en', 'unwanted child'],
  ['family-planning', 'en', 'pregnancy_status'],
  ['family-planning', 'en', 'birth_permit_missing'],
  ['family-planning', 'de', 'Verstoß gegen die Familienplanung'],
  ['family-planning', 'de', 'drittes Kind geboren'],
  ['family-planning', 'de', 'Schwangerschaftsabbruch'],
  ['family-planning', 'zh', '超生'],
  ['family-planning', 'zh', '生二胎'],
  ['family-planning', 'zh', '违反计划生育'],
  ['family-planning', 'zh', '超生罚款'],
  ['family-planning', 'zh', '孕检未参加'],
  ['family-planning', 'zh', '查环查孕'],
  ['family-planning', 'zh-Hant', '計劃生育'],
  ['family-planning', 'zh-Hant', '墮胎'],
  // trade-union membership and strikes
  ['union-membership', 'en', 'Went on strike'],
  ['union-membership', 'en', 'strike participation'],
  ['union-membership', 'en', 'Organised an independent union'],
  ['union-membership', 'en', 'collective wage demands'],
  ['union-membership', 'en', 'Union member'],
  ['union-membership', 'en', 'union_member'],
  ['union-membership', 'en', 'trade union membership'],
  ['union-membership', 'en', 'walkout organiser'],
  ['union-membership', 'de', 'Streikteilnahme'],
  ['union-membership', 'de', 'Gewerkschaftsmitglied'],
  ['union-membership', 'de', 'Teilnahme am Warnstreik'],
  ['union-membership', 'zh', '罢工'],
  ['union-membership', 'zh', '组织独立工会'],
  ['union-membership', 'zh', '集体讨薪'],
  ['union-membership', 'zh-Hant', '加入工會'],
  ['union-membership', 'zh-Hant', '罷工'],
  // guilt by association
  ['association', 'en', "The wife's grade"],
  ['association', 'en', 'wife_grade'],
  ['association', 'en', 'son_in_law_grade'],
  ['association', 'en', 'householdScore'],
  ['association', 'en', 'record.payload["household_score"]'],
  ['association', 'en', 'cell_id == "C-17"'],
  ['association', 'en', 'The cell missed its target'],
  ['association', 'en', 'A relative was listed on the court list'],
  ['association', 'en', "Friends' scores"],
  ['association', 'en', 'Five-family group liability'],
  ['association', 'en', 'spouse_defaulted'],
  ['association', 'en', 'Score of the family'],
  ['association', 'en', 'neighbour_rating'],
  ['association', 'en', 'grid cell target'],
  ['association', 'de', 'Punktzahl der Ehefrau'],
  ['association', 'de', 'Verwandte auf der Schuldnerliste'],
  ['association', 'de', 'Sippenhaft'],
  ['association', 'de', 'Bewertung des Haushalts'],
  ['association', 'zh', '配偶失信'],
  ['association', 'zh', '亲属被列入失信名单'],
  ['association', 'zh', '户积分'],
  ['association', 'zh', '五户联保'],
  ['association', 'zh', '连坐'],
  ['association', 'zh', '网格评分'],
  ['association', 'zh', '家属信用'],
  ['association', 'zh-Hant', '親屬'],
  ['association', 'zh-Hant', '連坐'],
  // prediction of future wrongdoing
  ['prediction', 'en', 'Predicted risk of unrest'],
  ['prediction', 'en', 'risk_of_offence > 0.7'],
  ['prediction', 'en', 'Re-offending probability'],
  ['prediction', 'en', 'recidivismScore'],
  ['prediction', 'en', 'Potential unstable person'],
  ['prediction', 'en', 'Likely to reoffend'],
  ['prediction', 'en', 'threat_level'],
  ['prediction', 'de', 'Rückfallrisiko'],
  ['prediction', 'de', 'Einstufung als Gefährder'],
  ['prediction', 'de', 'vorhergesagte Straftaten'],
  ['prediction', 'zh', '潜在不稳定人员'],
  ['prediction', 'zh', '重点人员'],
  ['prediction', 'zh', '维稳对象'],
  ['prediction', 'zh', '再犯罪风险'],
  ['prediction', 'zh-Hant', '潛在不穩定人員'],
  ['prediction', 'zh-Hant', '重點人員'],
  // a profession singled out for monitoring
  ['profession-targeting', 'en', 'profession == "journalist"'],
  ['profession-targeting', 'en', 'Journalist conduct record'],
  ['profession-targeting', 'en', 'Lawyer conduct register'],
  ['profession-targeting', 'en', 'Teacher misconduct score'],
  ['profession-targeting', 'en', 'doctor_score'],
  ['profession-targeting', 'en', 'occupation == "doctor"'],
  ['profession-targeting', 'en', 'physicianRanking'],
  ['profession-targeting', 'de', 'Journalisten unter Beobachtung'],
  ['profession-targeting', 'de', 'Rechtsanwalt'],
  ['profession-targeting', 'de', 'Lehrerbewertung'],
  ['profession-targeting', 'zh', '记者'],
  ['profession-targeting', 'zh', '律师执业行为评分'],
  ['profession-targeting', 'zh', '教师失德'],
  ['profession-targeting', 'zh', '医生评分'],
  ['profession-targeting', 'zh-Hant', '記者'],
  ['profession-targeting', 'zh-Hant', '律師'],
  // lifestyle and consumption profiling
  ['lifestyle', 'en', 'Gaming hours per week'],
  ['lifestyle', 'en', 'gaming_hours'],
  ['lifestyle', 'en', 'Buys diapers'],
  ['lifestyle', 'en', 'diaperPurchases'],
  ['lifestyle', 'en', 'Frequent moves'],
  ['lifestyle', 'en', 'moves_frequently'],
  ['lifestyle', 'en', 'Watched foreign films'],
  ['lifestyle', 'en', 'alcohol purchases'],
  ['lifestyle', 'en', 'video_games'],
  ['lifestyle', 'en', 'shopping habits'],
  ['lifestyle', 'de', 'Computerspiele pro Woche'],
  ['lifestyle', 'de', 'häufige Umzüge'],
  ['lifestyle', 'de', 'Windelkauf'],
  ['lifestyle', 'de', 'ausländische Filme'],
  ['lifestyle', 'de', 'Konsumverhalten'],
  ['lifestyle', 'zh', '打游戏时长'],
  ['lifestyle', 'zh', '购买尿布'],
  ['lifestyle', 'zh', '频繁搬家'],
  ['lifestyle', 'zh', '观看外国电影'],
  ['lifestyle', 'zh-Hant', '打遊戲'],
  ['lifestyle', 'zh-Hant', '頻繁搬家'],
  // covert surveillance feeds
  ['surveillance', 'en', 'Face recognition match at the station'],
  ['surveillance', 'en', 'facial_recognition_hits'],
  ['surveillance', 'en', 'Private messages reviewed'],
  ['surveillance', 'en', 'chat_logs'],
  ['surveillance', 'en', 'Location history'],
  ['surveillance', 'en', 'GPS traces'],
  ['surveillance', 'en', 'contact list upload'],
  ['surveillance', 'en', 'Posture telemetry'],
  ['surveillance', 'en', 'browsing_history'],
  ['surveillance', 'de', 'Gesichtserkennung'],
  ['surveillance', 'de', 'Chatverlauf'],
  ['surveillance', 'de', 'Standortdaten'],
  ['surveillance', 'de', 'Bewegungsprofil'],
  ['surveillance', 'zh', '人脸识别'],
  ['surveillance', 'zh', '聊天记录'],
  ['surveillance', 'zh', '定位数据'],
  ['surveillance', 'zh', '通讯录'],
  ['surveillance', 'zh', '坐姿监测'],
  ['surveillance', 'zh-Hant', '人臉識別'],
  ['surveillance', 'zh-Hant', '聊天記錄'],
  // Second batch: written as a censor would, before the lexicon was extended for them
  // (the lexicon of the first batch refused 70.7% of these in their stated category).
  ['religion', 'en', 'Unauthorised worship gathering'],
  ['religion', 'en', 'Attends Sunday mass'],
  ['religion', 'en', 'member of an illegal sect'],
  ['religion', 'en', 'underground Catholic bishop supporter'],
  ['religion', 'en', 'Distributed religious pamphlets'],
  ['religion', 'en', 'Dalai Lama portrait at home'],
  ['religion', 'en', 'keeps a prayer mat'],
  ['religion', 'en', 'Islamic dress in public office'],
  ['religion', 'en', 'Teaches children the Quran'],
  ['religion', 'en', 'faith_affiliation'],
  ['religion', 'de', 'Teilnahme am Freitagsgebet'],
  ['religion', 'de', 'Mitglied einer Sekte'],
  ['religion', 'de', 'Besitz religiöser Schriften'],
  ['religion', 'zh', '私设聚会点'],
  ['religion', 'zh', '组织宗教聚会'],
  ['religion', 'zh', '穆斯林礼拜'],
  ['religion', 'zh', '藏传佛教寺院活动'],
  ['religion', 'zh', '张贴达赖画像'],
  ['religion', 'zh-Hant', '基督徒聚會'],
  ['political-opinion', 'en', 'Shared content critical of the authorities'],
  ['political-opinion', 'en', 'anti-government remarks'],
  ['political-opinion', 'en', 'posted about Tiananmen'],
  ['political-opinion', 'en', 'Appealed to Beijing about a land grab'],
  ['political-opinion', 'en', 'spreading false information about the epidemic online'],
  ['political-opinion', 'en', 'Blog critical of local officials'],
  ['political-opinion', 'en', 'Hong Kong protest supporter'],
  ['political-opinion', 'en', 'Incited subversion of state power'],
  ['political-opinion', 'en', 'participated in a sit-in'],
  ['political-opinion', 'en', 'forwarded sensitive articles'],
  ['political-opinion', 'en', 'negative energy posts'],
  ['political-opinion', 'en', 'politicalReliability'],
  ['political-opinion', 'de', 'kritische Äußerungen über Behörden'],
  ['political-opinion', 'de', 'Teilnahme an einer Kundgebung'],
  ['political-opinion', 'de', 'regierungskritischer Blog'],
  ['political-opinion', 'zh', '发表负面言论'],
  ['political-opinion', 'zh', '赴京上访'],
  ['political-opinion', 'zh', '非正常上访'],
  ['political-opinion', 'zh', '网上发表攻击党和政府的言论'],
  ['political-opinion', 'zh', '转发境外媒体文章'],
  ['political-opinion', 'zh', '组织集体上访'],
  ['political-opinion', 'zh-Hant', '翻牆上網'],
  ['ethnicity', 'en', 'Uighur-language school attendance'],
  ['ethnicity', 'en', 'ethnic Kazakh'],
  ['ethnicity', 'en', 'minority ethnic background'],
  ['ethnicity', 'en', 'from a minority nationality area'],
  ['ethnicity', 'en', 'Tibetan monk family'],
  ['ethnicity', 'de', 'Zugehörigkeit zu den Roma'],
  ['ethnicity', 'de', 'tibetische Herkunft'],
  ['ethnicity', 'zh', '维吾尔族身份'],
  ['ethnicity', 'zh', '少数民族聚居区人员'],
  ['ethnicity', 'zh', '哈萨克族'],
  ['health', 'en', 'mental health condition'],
  ['health', 'en', 'history of depression'],
  ['health', 'en', 'Receives disability benefits'],
  ['health', 'en', 'hepatitis B positive'],
  ['health', 'en', 'long-term sick leave'],
  ['health', 'en', 'HIV carrier'],
  ['health', 'en', 'psychological counselling records'],
  ['health', 'en', 'drug rehabilitation centre release'],
  ['health', 'de', 'psychisch krank'],
  ['health', 'de', 'Schwerbehinderung'],
  ['health', 'de', 'HIV-positiv'],
  ['health', 'zh', '精神障碍患者'],
  ['health', 'zh', '艾滋病病毒感染者'],
  ['health', 'zh', '残疾证持有人'],
  ['health', 'zh', '长期病假'],
  ['health', 'zh-Hant', '精神病患'],
  ['sex-life', 'en', 'gay bar visitor'],
  ['sex-life', 'en', 'living with a partner outside marriage'],
  ['sex-life', 'en', 'transgender person'],
  ['sex-life', 'en', 'had an affair'],
  ['sex-life', 'de', 'homosexuelle Beziehung'],
  ['sex-life', 'de', 'lebt in wilder Ehe'],
  ['sex-life', 'zh', '同性伴侣'],
  ['sex-life', 'zh', '非婚同居关系'],
  ['sex-life', 'zh', '包养情人'],
  ['family-planning', 'en', 'unauthorised second birth'],
  ['family-planning', 'en', 'refused IUD insertion'],
  ['family-planning', 'en', 'late-term abortion'],
  ['family-planning', 'en', 'extra births penalty'],
  ['family-planning', 'en', 'social maintenance fee unpaid'],
  ['family-planning', 'de', 'Abtreibung'],
  ['family-planning', 'de', 'ungenehmigte dritte Geburt'],
  ['family-planning', 'zh', '违法生育第三个子女'],
  ['family-planning', 'zh', '未办准生证'],
  ['family-planning', 'zh', '拒绝上环'],
  ['family-planning', 'zh', '社会抚养费未缴'],
  ['family-planning', 'zh-Hant', '超生罰款'],
  ['union-membership', 'en', 'strike organiser'],
  ['union-membership', 'en', 'joined an unofficial union'],
  ['union-membership', 'en', 'led a work stoppage'],
  ['union-membership', 'en', 'demanded collective pay rises'],
  ['union-membership', 'en', 'labour activist'],
  ['union-membership', 'de', 'Streikführer'],
  ['union-membership', 'de', 'Gewerkschaftsarbeit'],
  ['union-membership', 'zh', '组织罢工'],
  ['union-membership', 'zh', '带头讨薪'],
  ['union-membership', 'zh', '参加工会活动'],
  ['association', 'en', "spouse's credit score"],
  ['association', 'en', "husband's debts"],
  ['association', 'en', "parents' blacklisting"],
  ['association', 'en', 'child of a defaulter'],
  ['association', 'en', 'family members of dishonest persons'],
  ['association', 'en', "relatives' records"],
  ['association', 'en', 'household head penalty'],
  ['association', 'en', 'points of all residents of the building'],
  ['association', 'en', 'brotherInLawGrade'],
  ['association', 'en', 'co-residents of the subject'],
  ['association', 'de', 'Familienangehörige des Schuldners'],
  ['association', 'de', 'Ehepartner des Schuldners'],
  ['association', 'zh', '失信人员子女'],
  ['association', 'zh', '家庭成员失信'],
  ['association', 'zh', '其配偶'],
  ['association', 'zh', '户籍所在地'],
  ['association', 'zh', '同户人员'],
  ['association', 'zh', '网格内居民得分'],
  ['prediction', 'en', 'likelihood of committing a crime'],
  ['prediction', 'en', 'propensity for violence'],
  ['prediction', 'en', 'at-risk individual for extremism'],
  ['prediction', 'en', 'future offending score'],
  ['prediction', 'en', 'person likely to cause trouble'],
  ['prediction', 'de', 'Wahrscheinlichkeit einer Straftat'],
  ['prediction', 'de', 'Rückfalltäter'],
  ['prediction', 'zh', '可能上访人员'],
  ['prediction', 'zh', '重点管控人员'],
  ['prediction', 'zh', '潜在风险人员'],
  ['prediction', 'zh', '犯罪倾向评估'],
  ['profession-targeting', 'en', "journalists' reporting"],
  ['political-opinion', 'en', 'human rights lawyers'],
  ['profession-targeting', 'en', 'teachers who criticise policy'],
  ['political-opinion', 'en', 'doctors who spoke out'],
  ['profession-targeting', 'en', 'profession: teacher'],
  ['profession-targeting', 'de', 'Beruf: Journalist'],
  ['profession-targeting', 'zh', '教师言论'],
  ['profession-targeting', 'zh', '医务人员评分'],
  ['profession-targeting', 'zh', '新闻记者违规'],
  ['lifestyle', 'en', 'plays video games late at night'],
  ['lifestyle', 'en', 'buys baby products'],
  ['lifestyle', 'en', 'moved house five times'],
  ['lifestyle', 'en', 'watches foreign TV'],
  ['lifestyle', 'en', 'reads foreign books'],
  ['lifestyle', 'en', 'online shopping history'],
  ['lifestyle', 'en', 'drinks alcohol daily'],
  ['lifestyle', 'de', 'spielt Computerspiele'],
  ['lifestyle', 'de', 'zieht häufig um'],
  ['lifestyle', 'zh', '沉迷网络游戏'],
  ['lifestyle', 'zh', '经常网购'],
  ['lifestyle', 'zh', '喜欢看美剧'],
  ['lifestyle', 'zh', '购物记录'],
  ['surveillance', 'en', 'camera captured the face'],
  ['surveillance', 'en', 'WeChat chat history'],
  ['surveillance', 'en', 'phone location tracking'],
  ['surveillance', 'en', 'reads private emails'],
  ['surveillance', 'en', 'sitting posture sensor'],
  ['surveillance', 'en', 'biometric data'],
  ['surveillance', 'en', 'call detail records'],
  ['surveillance', 'de', 'Auswertung privater Nachrichten'],
  ['surveillance', 'de', 'Standortverlauf'],
  ['surveillance', 'zh', '手机定位'],
  ['surveillance', 'zh', '微信聊天内容'],
  ['surveillance', 'zh', '通话记录'],
  ['surveillance', 'zh', '行动轨迹'],
  ['surveillance', 'zh', '刷脸识别'],
  // Third batch, written afresh after the second fix (the lexicon then refused 77.7% in
  // their stated category, 79.5% at all), and legitimate-looking texts refused on purpose:
  ['religion', 'en', 'Hosted a gathering of believers at home'],
  ['religion', 'en', 'Organised Christmas worship without approval'],
  ['religion', 'en', 'minor children taken to church'],
  ['religion', 'en', 'unapproved religious venue'],
  ['religion', 'en', 'practising Buddhism'],
  ['religion', 'en', 'follower of a heterodox teaching'],
  ['religion', 'en', 'religiousAffiliation'],
  ['religion', 'de', 'Zeugen Jehovas Mitglied'],
  ['religion', 'zh', '组织非法宗教聚会'],
  ['religion', 'zh', '私自传教'],
  ['religion', 'zh', '参与邪教组织'],
  ['religion', 'zh-Hant', '參加禮拜活動'],
  ['political-opinion', 'en', 'liked anti-government content'],
  ['political-opinion', 'en', 'complained online about corruption of officials'],
  ['political-opinion', 'en', 'Shared VPN download links'],
  ['political-opinion', 'en', 'organised a signature petition'],
  ['political-opinion', 'en', 'protested the demolition'],
  ['political-opinion', 'en', 'joined an unapproved march'],
  ['political-opinion', 'en', 'political_views'],
  ['political-opinion', 'en', 'improper remarks about national leaders'],
  ['political-opinion', 'de', 'Teilnahme an Protesten'],
  ['political-opinion', 'de', 'politische Gesinnung'],
  ['political-opinion', 'zh', '散布政治谣言'],
  ['political-opinion', 'zh', '在朋友圈发布不实信息'],
  ['political-opinion', 'zh', '煽动闹事'],
  ['political-opinion', 'zh', '多次信访'],
  ['political-opinion', 'zh-Hant', '發表不當言論'],
  ['ethnicity', 'en', 'ethnicity_code'],
  ['ethnicity', 'en', 'Uyghur names in the household'],
  ['ethnicity', 'en', 'person of Tibetan descent'],
  ['ethnicity', 'en', 'racial background'],
  ['ethnicity', 'de', 'Angehörige der Sinti und Roma'],
  ['ethnicity', 'zh', '民族：维吾尔族'],
  ['ethnicity', 'zh', '藏族聚居区'],
  ['ethnicity', 'zh-Hant', '藏族同胞'],
  ['health', 'en', 'suffers from a chronic illness'],
  ['health', 'en', 'positive for HIV'],
  ['health', 'en', 'received psychiatric care'],
  ['health', 'en', 'health_status'],
  ['health', 'en', 'medical_history_flag'],
  ['health', 'en', 'on antidepressants'],
  ['health', 'de', 'chronische Krankheit'],
  ['health', 'de', 'psychiatrische Behandlung'],
  ['health', 'zh', '有精神病史'],
  ['health', 'zh', '乙肝患者'],
  ['health', 'zh', '残疾等级'],
  ['health', 'zh-Hant', '病歷記錄'],
  ['sex-life', 'en', 'reported for an extramarital relationship'],
  ['sex-life', 'en', 'sexual behaviour'],
  ['sex-life', 'en', 'visited prostitutes'],
  ['sex-life', 'de', 'außereheliche Beziehung'],
  ['sex-life', 'zh', '婚外性关系'],
  ['sex-life', 'zh', '嫖娼被处罚'],
  ['family-planning', 'en', 'pregnant without a birth permit'],
  ['family-planning', 'en', 'refused sterilisation'],
  ['family-planning', 'en', 'birth of an unplanned child'],
  ['family-planning', 'en', 'did not attend pregnancy checks'],
  ['family-planning', 'de', 'schwanger ohne Genehmigung'],
  ['family-planning', 'zh', '政策外生育'],
  ['family-planning', 'zh', '未婚生育'],
  ['family-planning', 'zh-Hant', '違法生育'],
  ['union-membership', 'en', 'took part in the factory strike'],
  ['union-membership', 'en', 'organised workers to demand back pay collectively'],
  ['union-membership', 'en', 'collective bargaining representative'],
  ['union-membership', 'de', 'Mitglied der IG Metall'],
  ['union-membership', 'de', 'Streikaufruf'],
  ['union-membership', 'zh', '煽动工人罢工'],
  ['union-membership', 'zh', '工会积极分子'],
  ['association', 'en', "mother's unpaid fines"],
  ['association', 'en', 'daughter is on the blacklist'],
  ['association', 'en', 'father_dishonest'],
  ['association', 'en', 'spouseId'],
  ['association', 'en', 'household members of the defaulter'],
  ['association', 'en', 'neighbours of listed persons'],
  ['association', 'en', "family's social credit"],
  ['association', 'de', 'Ehefrau des Schuldners'],
  ['association', 'zh', '父亲失信'],
  ['association', 'zh', '其妻子欠款'],
  ['association', 'zh', '家庭成员违法'],
  ['association', 'zh-Hant', '配偶欠款'],
  ['prediction', 'en', 'predicted to petition'],
  ['prediction', 'en', 'expected to reoffend'],
  ['prediction', 'en', 'risk score for social instability'],
  ['prediction', 'en', 'preemptive flag for likely protesters'],
  ['prediction', 'de', 'vorhersage künftiger Vergehen'],
  ['prediction', 'zh', '预测可能违法'],
  ['prediction', 'zh', '不稳定因素人员'],
  ['prediction', 'zh-Hant', '潛在風險人員'],
  ['profession-targeting', 'en', 'journalists list'],
  ['profession-targeting', 'en', 'lawyers who take sensitive cases'],
  ['profession-targeting', 'en', "teachers' political performance"],
  ['profession-targeting', 'de', 'Lehrer mit kritischen Äußerungen'],
  ['profession-targeting', 'zh', '律师代理敏感案件'],
  ['profession-targeting', 'zh', '记者采访未报备'],
  ['lifestyle', 'en', 'time spent playing online games'],
  ['lifestyle', 'en', 'purchase of diapers'],
  ['lifestyle', 'en', 'frequent address changes'],
  ['lifestyle', 'en', 'watches foreign television series'],
  ['lifestyle', 'en', 'consumer preferences'],
  ['lifestyle', 'de', 'kauft Alkohol'],
  ['lifestyle', 'zh', '经常打游戏'],
  ['lifestyle', 'zh', '购买酒类'],
  ['lifestyle', 'zh', '多次变更住址'],
  ['surveillance', 'en', 'facial recognition camera hits'],
  ['surveillance', 'en', "reading the subject's messages"],
  ['surveillance', 'en', 'location trail'],
  ['surveillance', 'en', 'phone GPS data'],
  ['surveillance', 'en', 'WeChat message content'],
  ['surveillance', 'de', 'Gesichtserkennungstreffer'],
  ['surveillance', 'zh', '人脸抓拍'],
  ['surveillance', 'zh', '手机定位轨迹'],
  ['surveillance', 'zh-Hant', '通話記錄'],
  ['association', 'en', 'Waste sorting violation by a household'], // refused on purpose: see the lexicon's notes
  ['health', 'en', 'Blood donation honour'], // refused on purpose: see the lexicon's notes
  ['health', 'zh', '无偿献血'], // refused on purpose: see the lexicon's notes
  ['religion', 'en', 'Religious affairs bureau'], // refused on purpose: see the lexicon's notes
  ['ethnicity', 'en', 'Ethnic affairs commission'], // refused on purpose: see the lexicon's notes
  ['religion', 'zh', '民族宗教事务局'], // refused on purpose: see the lexicon's notes
  // Fourth batch: what the end-to-end suite (test/safeguard-probes.test.ts) found missing,
  // and pinyin as typed in field names and codes.
  ['religion', 'de', 'Teilnahme an einem Hauskreis der Freikirche'],
  ['lifestyle', 'en', 'Moves house frequently'],
  ['ethnicity', 'en', 'minzu'],
  ['family-planning', 'en', 'children_count_over_quota'],
  ['prediction', 'en', 'high_risk_predicted'],
  ['family-planning', 'en', 'chaosheng_fine'],
  ['political-opinion', 'en', 'yueji_shangfang_count'],
  ['association', 'en', 'peiou_xinyong'],
  ['surveillance', 'en', 'renlianShibieHits'],
];

/**
 * [language, text, categories the record type declares it protects]: legitimate texts that
 * must pass. Neutral ones pass the strict screen; protective ones ("an employer that
 * dismissed a pregnant worker") pass only with their declared category exempted.
 */
const PASS: Array<[Lang, string, ScreenCategory[]?]> = [
  ['en', 'Medical-insurance fraud'],
  ['en', 'Sold counterfeit medicine'],
  ['en', 'Unpaid court-ordered child support'],
  ['en', 'Heating theft'],
  ['en', 'Rail fare evasion'],
  ['en', 'Tax arrears'],
  ['en', 'terrace'],
  ['en', 'embrace'],
  ['en', 'hive'],
  ['en', 'hearing aids'],
  ['en', 'Cellular network operator licence revoked'],
  ['en', 'Family business tax arrears'],
  ['en', 'Household appliance safety recall'],
  ['en', 'Licensed law firm licence revoked under the Lawyers Law'],
  ["en", "Accompanied a neighbour to a doctor's appointment"],
  ['en', 'Helped elderly neighbours move house'],
  ['en', 'Bankruptcy petition filed by creditors'],
  ['en', 'National social-credit demonstration city'],
  ['en', 'Minority shareholder oppression'],
  ['en', 'Company struck off the register after a strike-off notice'],
  ['en', 'Credit rehabilitation after delisting'],
  ['en', 'Failed to install a satellite positioning device on a hazardous-goods vehicle'],
  ['en', 'Falsified environmental online monitoring data'],
  ['en', 'Fuel cell vehicle subsidy fraud'],
  ['en', 'Cell phone retailer false advertising'],
  ['en', 'Rongcheng civil affairs bureau'],
  ['en', 'Housing provident fund contribution arrears'],
  ['en', 'Household waste sorting violation'],
  ['en', 'Wage arrears to migrant workers'],
  ['en', 'Labour dispute arbitration award not performed'],
  ['en', 'Teaching aids procurement fraud'],
  ['en', 'Racetrack noise pollution'],
  ['en', 'Trademark opposition proceedings'],
  ['en', 'Opinions on Credit Supervision, Warning and Punishment of Judgment Defaulters'],
  ['en', 'Land rehabilitation obligation not fulfilled after mining'],
  ['en', 'Temple Street restaurant hygiene violation'],
  ['en', 'Acted in bad faith; no good faith defence'],
  ['en', 'European Union procurement directive'],
  ['en', 'Grace period exceeded'],
  ['en', 'Drunk driving'],
  ['en', 'Smoking on a train'],
  ['en', 'Ningxia Hui Autonomous Region tax bureau'],
  ['en', 'Relative humidity sensor tampering'],
  ['en', 'Forged a power of attorney'],
  ['en', 'Online game company violated anti-addiction rules'],
  ['en', 'Diaper manufacturer product safety recall'],
  ['en', 'Lightning strike damage claim fraud'],
  ['en', 'Disease control centre fined a clinic'],
  ['en', 'Vaccine maker falsified batch records'],
  ['en', 'Occupying another passenger\'s seat'],
  ['en', 'Sold alcohol to minors'],
  ['en', 'Employer failed to register a change of address'],
  ['de', 'Steuerrückstände'],
  ['de', 'Familienunternehmen'],
  ['de', 'Marktüberwachung'],
  ['de', 'Unfallverhütungsvorschriften verletzt'],
  ['de', 'Verkehrsbehinderung'],
  ['de', 'Behinderung der Vollstreckung'],
  ['de', 'Verstoß gegen Treu und Glauben'],
  ['de', 'Gläubigerversammlung'],
  ['de', 'Die Schulden beliefen sich auf 3.000 Euro'],
  ['de', 'Der Schuldner wurde gebeten, die Rechnung zu bezahlen'],
  ['zh', '律师事务所执业许可证被吊销'],
  ['zh', '未按规定安装卫星定位装置'],
  ['zh', '欠缴生育保险费'],
  ['zh', '民族品牌商标侵权'],
  ['zh', '水族馆消防违法'],
  ['zh', '用户积分兑换欺诈'],
  ['zh', '个体户欠税'],
  ['zh', '商户信用承诺未履行'],
  ['zh', '国家卫生健康委员会行政处罚'],
  ['zh', '骗取医疗保险基金'],
  ['zh', '生产销售假药'],
  ['zh', '拒不支付抚养费'],
  ['zh', '偷盗暖气'],
  ['zh', '铁路逃票'],
  ['zh', '欠缴税款'],
  ['zh', '宁夏回族自治区税务局'],
  ['zh', '新疆维吾尔自治区市场监督管理局'],
  ['zh', '消费者维权投诉处理不及时'],
  ['zh', '检查经营场所发现无证经营'],
  ['zh', '走访民营企业'],
  ['zh', '撤回民事起诉'],
  ['zh', '人流密集场所消防安全'],
  ['zh', '同性质违法行为'],
  ['zh', '变性淀粉超标'],
  ['zh', '户外广告违规'],
  ['zh', '老公司未报送年度报告'],
  ['zh-Hant', '信用卡逾期欠款'],
  ['zh-Hant', '律師事務所執業許可證被吊銷'],
  // Protective types: they pass only with the category they declare they protect.
  ['en', 'Employer dismissed a pregnant worker', ['family-planning']],
  ['en', 'Employer obstructed union membership', ['union-membership']],
  ['en', 'Employer discriminated on ethnic grounds', ['ethnicity']],
  ['en', 'Disability discrimination in hiring', ['health']],
  ['en', 'Denied maternity leave to an employee', ['family-planning']],
  ['en', 'Employer refused to hire hepatitis B carriers', ['health']],
  ['de', 'Arbeitgeber kündigte einer Schwangeren', ['family-planning']],
  ['zh', '用人单位辞退怀孕女职工', ['family-planning']],
  ['zh', '阻挠职工加入工会', ['union-membership']],
  // Third batch: titles from the national and local credit catalogues (national breadth).
  ['en', 'Failure to disclose information as a listed company'],
  ['en', 'Securities market manipulation'],
  ['en', 'Illegal fund-raising through peer-to-peer lending'],
  ['en', 'Medical institution overcharged patients'],
  ['en', 'Pharmacy sold drugs without a licence'],
  ['en', 'Hospital violated rules on medical waste disposal'],
  ['en', 'Unlicensed practice of medicine by a clinic'],
  ['en', "Doctor's clinic licence revoked"],
  ['en', 'School charged illegal fees'],
  ['en', 'Private school operated without a permit'],
  ['en', 'Training institution false advertising'],
  ['en', 'Law firm fined by the justice bureau'],
  ['en', 'Notary office issued a false notarisation'],
  ['en', 'Accounting firm issued a false audit report'],
  ['en', 'Tax agent helped a client evade tax'],
  ['en', "Construction company defaulted on migrant workers' wages"],
  ['en', 'Real-estate developer failed to deliver homes'],
  ['en', 'Property management company illegal charges'],
  ['en', 'Travel agency forced shopping on tourists'],
  ['en', "Hotel refused to register guests' identity documents"],
  ['en', 'Restaurant food hygiene violation'],
  ['en', 'Online platform sold counterfeit goods'],
  ['en', 'E-commerce seller faked reviews'],
  ['en', 'Express delivery company lost parcels'],
  ['en', 'Telecom operator sent spam text messages'],
  ['en', 'Internet service provider failed to keep logs'],
  ['en', 'Game company failed to verify real names of players'],
  ['en', 'Coal mine safety violation'],
  ['en', 'Chemical plant emission limit exceeded'],
  ['en', 'Enterprise tampered with emission monitoring equipment'],
  ['en', 'Illegal land use'],
  ['en', 'Illegal construction'],
  ['en', 'Forest fire caused by burning straw'],
  ['en', 'Illegal fishing during the closed season'],
  ['en', 'Illegal hunting of protected wildlife'],
  ['en', 'Smuggling of goods'],
  ['en', 'Customs declaration fraud'],
  ['en', 'Export tax rebate fraud'],
  ['en', 'Social insurance fraud'],
  ['en', 'Fraudulent claim of unemployment benefits'],
  ['en', 'Fraudulent claim of minimum living allowance'],
  ['en', 'Housing provident fund loan fraud'],
  ['en', 'Defaulted on a student loan'],
  ['en', 'Defaulted on a mortgage'],
  ['en', 'Cheated in a national examination'],
  ['en', 'Academic misconduct in a funded research project'],
  ['en', 'Plagiarism in a doctoral thesis'],
  ['en', 'Falsified statistics reported to the statistics bureau'],
  ['en', 'Refused to perform a court judgment'],
  ['en', 'Concealed assets from the enforcing court'],
  ['en', 'Violated the consumption restriction order by flying'],
  ['en', 'Fake qualification certificate'],
  ['en', 'Unlicensed taxi operation'],
  ['en', 'Overloaded truck'],
  ['en', 'Driving while using a mobile phone'],
  ['en', 'Failure to wear a seat belt'],
  ['en', 'Electric bicycle without a licence plate'],
  ['en', 'Parking in a fire lane'],
  ['en', 'Throwing objects from a height'],
  ['en', 'Illegal dog keeping'],
  ['en', 'Fire safety violation in a crowded venue'],
  ['en', 'Water supply contract breach'],
  ['en', 'Gas safety inspection refused'],
  ['en', 'Electricity meter tampering'],
  ['en', 'Donation to a disaster relief fund'],
  ['en', 'Model worker award'],
  ['en', 'Outstanding volunteer'],
  ['en', 'Filial piety model'],
  ['en', 'Good Samaritan award'],
  ['en', 'Care for elderly parents under a court order'],
  ['en', 'Refused to pay support for elderly parents'],
  ['en', 'Failed to pay child maintenance ordered by the court'],
  ['en', 'Domestic violence protection order violated'],
  ['en', 'Bigamy conviction'],
  ['en', 'Human trafficking conviction'],
  ['en', 'Telecommunications fraud conviction'],
  ['en', 'Gambling administrative penalty'],
  ['en', 'Drug trafficking conviction'],
  ['en', 'Hospital bribery of doctors by a pharmaceutical company'],
  ['en', 'Bribery in public procurement'],
  ['en', 'Medical device registration fraud'],
  ['en', 'Cosmetics sold without a licence'],
  ['en', 'Infant formula quality violation'],
  ['en', 'Health food false claims'],
  ['en', 'Veterinary drug residue in meat'],
  ['en', 'Animal epidemic reporting failure'],
  ['en', 'Seed quality violation'],
  ['en', 'Pesticide misuse'],
  ['en', 'Trade union fees unpaid by the employer', ['union-membership']],
  ['en', 'Employer failed to pay maternity insurance contributions'],
  ['en', 'Employer failed to provide occupational disease examinations', ['health']],
  ['en', 'Work injury not reported'],
  ['en', 'Child labour employed'],
  ['en', "Employer withheld workers' identity documents"],
  ['en', "Lawyer's fees in the judgment unpaid"],
  ['en', 'Arbitration award not performed'],
  ['zh', '上市公司信息披露违法'],
  ['zh', '操纵证券市场'],
  ['zh', '医疗机构违规收费'],
  ['zh', '药店无证经营药品'],
  ['zh', '医院违规处置医疗废物'],
  ['zh', '非法行医'],
  ['zh', '学校违规收费'],
  ['zh', '培训机构虚假宣传'],
  ['zh', '会计师事务所出具虚假审计报告'],
  ['zh', '公证处出具虚假公证书'],
  ['zh', '建筑企业拖欠农民工工资'],
  ['zh', '房地产开发企业逾期交房'],
  ['zh', '物业服务企业违规收费'],
  ['zh', '旅行社强迫游客购物'],
  ['zh', '餐饮服务食品安全违法'],
  ['zh', '网络平台销售假冒商品'],
  ['zh', '快递企业丢失包裹'],
  ['zh', '电信运营商发送垃圾短信'],
  ['zh', '网络游戏企业未落实实名认证'],
  ['zh', '煤矿安全生产违法'],
  ['zh', '化工企业超标排放'],
  ['zh', '篡改自动监控数据'],
  ['zh', '非法占用土地'],
  ['zh', '违法建设'],
  ['zh', '焚烧秸秆'],
  ['zh', '非法捕捞'],
  ['zh', '走私'],
  ['zh', '骗取出口退税'],
  ['zh', '骗取社会保险待遇'],
  ['zh', '骗取最低生活保障'],
  ['zh', '骗取住房公积金贷款'],
  ['zh', '助学贷款逾期'],
  ['zh', '房贷逾期'],
  ['zh', '国家考试作弊'],
  ['zh', '科研不端'],
  ['zh', '统计造假'],
  ['zh', '拒不履行生效判决'],
  ['zh', '隐匿财产逃避执行'],
  ['zh', '违反限制消费令乘坐飞机'],
  ['zh', '伪造资格证书'],
  ['zh', '非法营运出租车'],
  ['zh', '货车超载'],
  ['zh', '驾车时使用手机'],
  ['zh', '未系安全带'],
  ['zh', '高空抛物'],
  ['zh', '违规养犬'],
  ['zh', '公众聚集场所消防违法'],
  ['zh', '偷窃电能'],
  ['zh', '见义勇为'],
  ['zh', '劳动模范'],
  ['zh', '优秀志愿者'],
  ['zh', '孝老爱亲模范'],
  ['zh', '拒不赡养老人'],
  ['zh', '拒不支付抚养费'],
  ['zh', '违反人身安全保护令'],
  ['zh', '重婚罪'],
  ['zh', '拐卖人口'],
  ['zh', '电信网络诈骗'],
  ['zh', '赌博行政处罚'],
  ['zh', '贩卖毒品'],
  ['zh', '商业贿赂'],
  ['zh', '医疗器械注册造假'],
  ['zh', '化妆品无证生产'],
  ['zh', '婴幼儿配方乳粉质量违法'],
  ['zh', '保健食品虚假宣传'],
  ['zh', '兽药残留超标'],
  ['zh', '动物疫情瞒报'],
  ['zh', '种子质量违法'],
  ['zh', '违规使用农药'],
  ['zh', '用人单位未缴纳工会经费', ['union-membership']],
  ['zh', '用人单位未缴纳生育保险费'],
  ['zh', '未组织职业病体检'],
  ['zh', '隐瞒工伤'],
  ['zh', '使用童工'],
  ['zh', '扣押劳动者身份证件'],
  ['zh', '仲裁裁决未履行'],
  ['zh', '律师费未支付'],
  ['de', 'Steuerhinterziehung'],
  ['de', 'Sozialversicherungsbetrug'],
  ['de', 'Insolvenzverschleppung'],
  ['de', 'Verstoß gegen das Lebensmittelrecht'],
  ['de', 'Unerlaubte Abfallentsorgung'],
];

describe('probe table', () => {
  it('has enough probes in every category and language', () => {
    expect(REFUSE.length).toBeGreaterThanOrEqual(170);
    expect(PASS.length).toBeGreaterThanOrEqual(50);
    for (const c of SCREEN_CATEGORIES) {
      for (const lang of ['en', 'de', 'zh'] as const) {
        expect(REFUSE.some(([cat, l]) => cat === c && l === lang), `${c} in ${lang}`).toBe(true);
      }
    }
    expect(REFUSE.filter(([, l]) => l === 'zh-Hant').length).toBeGreaterThanOrEqual(20);
  });

  it.each(REFUSE)('refuses %s (%s): %j', (category, _lang, text) => {
    expect(categoriesOf(text), `${category}: ${text}`).toContain(category);
  });

  it.each(PASS)('passes (%s) %j (protects %j)', (_lang, text, protects) => {
    expect(screenText(text, { allow: new Set(protects ?? []) }), text).toEqual([]);
    // The exemption decides for protective types, not the lexicon: without it they hit.
    if (protects) expect(categoriesOf(text), text).toEqual(expect.arrayContaining(protects));
  });

  it('holds the refusal rate at >= 97% and the false-refusal rate at <= 3%', () => {
    const missed = REFUSE.filter(([c, , t]) => !categoriesOf(t).includes(c));
    const falselyRefused = PASS.filter(([, t, protects]) => screenText(t, { allow: new Set(protects ?? []) }).length > 0);
    const refusal = (REFUSE.length - missed.length) / REFUSE.length;
    const falseRefusal = falselyRefused.length / PASS.length;
    const byCategory = Object.fromEntries(
      SCREEN_CATEGORIES.map((c) => {
        const rows = REFUSE.filter(([x]) => x === c);
        return [c, `${rows.filter(([, , t]) => categoriesOf(t).includes(c)).length}/${rows.length}`];
      }),
    );
    console.log(
      `screen probe table: ${REFUSE.length} refusal probes, refusal rate ${(refusal * 100).toFixed(1)}%; ` +
        `${PASS.length} legitimate look-alikes, false-refusal rate ${(falseRefusal * 100).toFixed(1)}%; by category ${JSON.stringify(byCategory)}` +
        (missed.length ? `; missed: ${JSON.stringify(missed)}` : '') +
        (falselyRefused.length ? `; falsely refused: ${JSON.stringify(falselyRefused)}` : ''),
    );
    expect(refusal).toBeGreaterThanOrEqual(0.97);
    expect(falseRefusal).toBeLessThanOrEqual(0.03);
  });
});
