// The lexicon of the special-category screen (src/domain/screen.ts): what the charter
// refuses, written as data, per category, in English, German and Chinese, with synonyms,
// euphemisms and the words a censor would try first. Pure data; no I/O.
//
// How a term is written (src/domain/screen.ts compiles it):
//   - Words separated by spaces or hyphens. Both the term and the screened text pass the
//     same normaliser (NFKC, case folding, camelCase/snake_case/kebab-case/dotted split,
//     traditional -> simplified Chinese, ä -> ae (and an umlaut-less variant a), ß -> ss,
//     light English/German stemming), then the term must match whole words: "race" never
//     matches "terrace", "cult" never "cultivate". A multi-word term also matches its words
//     written together ("housechurch", "householdscore").
//   - `word*`: the last word may continue (German compounds and derivations:
//     "Gewerkschaft*" matches Gewerkschaftsmitglied, "petition*" matches petitioner).
//   - `*word`: the word may also stand inside a compound ("*gewerkschaft" matches
//     Einheitsgewerkschaft, "*streik" Generalstreik). Used only for German heads checked
//     against a German word list (not "*kirche": Gelsenkirchen is a city).
//   - `^WORD`: an acronym matched case-sensitively, because its lower-case form is an
//     ordinary word (AIDS / "hearing aids").
//   - Chinese terms match as substrings of the (simplified) text.
//
// What is deliberately NOT a term, because it produces false refusals on legitimate
// credit records (each decision is tested in test/screen.unit.test.ts):
//   - bare "health", "medical", 健康, 医疗 (medical-insurance fraud, National Health
//     Commission); bare "opinion" (the State Council's "Opinions" are cited as legal bases);
//   - bare "family", "child", "parent", "neighbour", 邻居, 家庭, 子女, 家人 (the shipped
//     neighbourhood items, "honesty-model families", unpaid child support, 国家人口): these
//     hit only together with a score, grade, record, debt, listing or the like (the
//     `relational` combinations below);
//   - bare "doctor", "location", "occupation", "union", "faith", "temple", "affair",
//     "minority", "alcohol", "reporter", "nurse", 户, 网格, 游戏, 消费 (a doctor's
//     appointment and the shipped "deed-doctor" rule, the red-light `location` field, seat
//     occupation, European Union, good faith, Temple Street, civil affairs, minority
//     shareholder, drunk driving, annual report, nursing home, 账户, 电网, 游戏厅, 限制高消费):
//     these hit only in the multi-word forms listed;
//   - "cellular" is its own word and passes ("cellular network operator licence"); "cell"
//     alone (the grid cell) is refused, "cell phone", "fuel cell" and the like are shielded,
//     and "cell tower" is a surveillance term;
//   - Chinese terms were checked for the words they hide inside (查经 in 检查经营, 访民 in
//     走访民营, 回民 in 撤回民事, 人流 in 人流密集, 上环 in 线上环节, 同性 in 同性质, 变性 in
//     变性淀粉, 老公 in 老公司, 保甲 in 担保甲方, 户内 in 户内外): the short forms are left
//     out and longer ones kept; names of autonomous areas (宁夏回族自治区) are shielded;
//   - words that are ambiguous but kept as terms get SHIELDS instead (neutral compounds in
//     which the contained term is dropped: "household appliance", "cell phone",
//     "bankruptcy petition", "demonstration city", "strike-off", "Treu und Glauben",
//     律师事务所, 生育保险...).
//
// Refused on purpose although they can look legitimate:
//   - professions as persons: journalist, lawyer, teacher, physician, 记者, 律师, 教师, 医生
//     (charter point 5). An organisation type ("law firm licence revoked" under the Lawyers
//     Law) passes: law firm, 律师事务所, the Lawyers/Teachers/Physicians Laws are shielded;
//   - a record about a household ("waste sorting violation by a household"): the household
//     is not the actor;
//   - blood donation (献血) as an honour: it discloses health eligibility (GDPR Art. 9);
//   - a religious or ethnic affairs bureau (宗教事务局, 民族宗教事务局) as a source or in a
//     title: what it would report is belief or ethnicity;
//   - 寻衅滋事 ("picking quarrels and provoking trouble"), the catch-all charge used against
//     petitioners and activists, and "spreading false information" online;
//   - bare "strike" (with "strike-off", "strike price", "lightning strike" shielded) and
//     bare "diapers" (with diaper recalls and manufacturers shielded).
//
// Words that protect people ("dismissed a pregnant worker", "discriminated on ethnic
// grounds", "obstructed union membership", unpaid trade-union fees, occupational-disease
// examinations) still hit their category: a record type that protects people declares so,
// and the caller exempts that category (screenText's `allow` option); the lexicon never
// decides that a sensitive word is harmless in context.

export const SCREEN_CATEGORIES = [
  'religion',
  'political-opinion',
  'ethnicity',
  'health',
  'sex-life',
  'family-planning',
  'union-membership',
  'association',
  'prediction',
  'profession-targeting',
  'lifestyle',
  'surveillance',
] as const;

/** Categories of the screen: the charter's special categories and the refused kinds. */
export type ScreenCategory = (typeof SCREEN_CATEGORIES)[number];

export interface LexiconGroup {
  /** Where the words come from. */
  readonly note: string;
  readonly terms: readonly string[];
}

// ---------------------------------------------------------------------------------------
// Generators for combinations (kept small and explicit)

const cross = (a: readonly string[], b: readonly string[], sep = ' '): string[] =>
  a.flatMap((x) => b.map((y) => `${x}${sep}${y}`));

/** "X score", "score of X", "score of the X", "score of his X", ... */
function relational(rel: readonly string[], obj: readonly string[]): string[] {
  const out: string[] = [];
  for (const r of rel) {
    for (const o of obj) {
      out.push(`${r} ${o}`);
      for (const d of ['', 'the ', 'his ', 'her ', 'their ', 'all ']) out.push(`${o} of ${d}${r}`);
    }
  }
  return out;
}

// What a person's score, grade or record is called: the second half of guilt by
// association ("the wife's grade", "score of the household", "the cell missed its target").
const SCORE_WORDS_EN = [
  'score', 'grade', 'rating', 'credit', 'record', 'points', 'rank', 'ranking', 'listing',
  'blacklisting', 'conduct', 'behaviour', 'behavior', 'offence', 'offense', 'violation',
  'liability', 'debt', 'penalty', 'target', 'evaluation', 'assessment', 'standing', 'deduction',
  'fine', 'fines', 'unpaid fines', 'arrears', 'default', 'blacklist', 'blacklisting', 'dishonest', 'dishonesty',
  'social credit', 'credit history', 'is on the blacklist', 'on the blacklist', 'is listed', 'was listed',
  'conviction', 'criminal record', 'misconduct', 'wrongdoing',
];
// Relations that are neutral alone (the shipped neighbourhood items, child support,
// honesty-model families) and refused together with a score word.
const RELATIONS_EN = [
  'family', 'neighbour', 'neighbor', 'parent', 'child', 'son', 'daughter', 'mother', 'father',
  'brother', 'sister', 'sibling', 'cousin', 'uncle', 'aunt', 'grandparent', 'grandchild',
  'nephew', 'niece', 'flatmate', 'roommate', 'housemate', 'colleague', 'co-worker',
  'classmate', 'acquaintance', 'village',
];
const SCORE_WORDS_ZH = [
  '信用', '评分', '积分', '得分', '分数', '分值', '等级', '评级', '记录', '失信', '违法', '违规',
  '犯罪', '表现', '排名', '考核', '扣分', '加分', '名单', '黑名单', '欠款', '欠债', '债务', '罚款', '被执行',
  '被列入', '劣迹', '前科', '不良记录',
];
const RELATIONS_ZH = [
  '家庭', '家人', '邻居', '邻里', '父母', '子女', '孩子', '儿子', '女儿', '兄弟', '姐妹', '全家',
  '家户', '全户', '同户', '本户', '该户', '每户', '同事', '同学', '父亲', '母亲', '爸爸', '妈妈', '祖父', '祖母',
  '爷爷', '奶奶', '外公', '外婆', '孙子', '孙女', '舅舅', '叔叔', '堂兄弟', '表兄弟', '亲人',
];
// Neutral words ending in 户 (user, customer, merchant, account, ...): shields for 户 + score.
const HU_NEUTRAL = ['用户', '客户', '商户', '账户', '开户', '个体户', '租户', '储户', '散户', '专户', '住户'];

// Peoples of China in Chinese, as in the ethnicity group below; also used to recognise the
// names of autonomous areas (see SCREEN_SHIELD_PATTERNS).
const PEOPLES_ZH = [
  '维吾尔', '维族', '藏族', '回族', '哈萨克', '柯尔克孜', '蒙古族', '朝鲜族', '汉族', '满族', '壮族',
  '苗族', '彝族', '布依族', '侗族', '瑶族', '白族', '土家族', '哈尼族', '傣族', '黎族', '傈僳族', '佤族',
  '畲族', '高山族', '拉祜族', '水族', '东乡族', '纳西族', '景颇族', '土族', '达斡尔族', '仫佬族', '羌族',
  '布朗族', '撒拉族', '毛南族', '仡佬族', '锡伯族', '阿昌族', '普米族', '塔吉克族', '怒族', '乌孜别克族',
  '俄罗斯族', '鄂温克族', '德昂族', '保安族', '裕固族', '京族', '塔塔尔族', '独龙族', '鄂伦春族', '赫哲族',
  '门巴族', '珞巴族', '基诺族',
];

// ---------------------------------------------------------------------------------------
// The lexicon

const BASE_LEXICON: Readonly<Record<ScreenCategory, readonly LexiconGroup[]>> = {
  religion: [
    {
      note: 'Religion and belief in general (GDPR Art. 9; the report\'s "illegal religious activities", -100 points).',
      terms: [
        'religion', 'religio*', 'eid al fitr', 'eid al adha', 'eid prayers', 'irreligious', 'belief', 'beliefs', 'believer', 'believers',
        'faith community', 'faith group', 'faith based', 'religious faith', 'practises a faith',
        'practices a faith', 'worship', 'worshipper', 'worshipping', 'pray', 'prayer', 'praying',
        'prayed', 'prayers', 'sermon', 'preacher', 'preaching', 'missionary', 'proselytising',
        'proselytizing', 'evangelis*', 'evangelical', 'baptism', 'baptised', 'baptized',
        'clergy', 'priest', 'pastor', 'imam', 'mullah', 'monk', 'monastery', 'nunnery',
        'spiritual', 'spirituality', 'superstition', 'superstitious', 'atheist', 'atheism',
        'Religionsgemeinschaft', 'religiös*', 'Glaube', 'Glaubens*', 'Gläubige', 'Glaubensgemeinschaft',
        'Gottesdienst*', '*gottesdienst', 'Gebet', 'Gebets*', 'Freitagsgebet', 'Andacht', 'Predigt*',
        'Missionar*', 'Taufe', 'getauft', 'Priester*', 'Pfarrer*', 'Mönch', 'Mönche', 'Aberglaube*',
        '宗教', '信仰', '信教', '信徒', '教徒', '宗教活动', '非法宗教', '宗教场所', '宗教极端',
        '传教', '布道', '受洗', '洗礼', '祷告', '祈祷', '礼拜活动', '做礼拜', '念经',
        '诵经', '拜佛', '烧香', '迷信', '封建迷信', '神职人员', '牧师', '神父',
        '阿訇', '伊玛目', '和尚', '僧人', '喇嘛', '活佛', '会道门',
      ],
    },
    {
      note: 'Churches, house churches, mosques, temples, scriptures and feasts (issue 9: house church, Bible or Koran study, Ramadan, incense at an unregistered temple).',
      terms: [
        'church', 'churchgoer', 'churchgoing', 'chapel', 'mosque', 'synagogue', 'temple worship',
        'temple visit', 'temple visits', 'unregistered temple', 'unregistered temples',
        'temple attendance', 'incense', 'joss sticks', 'shrine', 'bible', 'bibles', 'scripture',
        'scriptures', 'koran', 'quran', 'qur an', 'ramadan', 'fasting month', 'hajj',
        'mass attendance', 'sunday mass', 'attends mass', 'attended mass', 'attending mass', 'holy mass', 'catholic mass', 'sunday service', 'Sonntagsmesse', 'Heilige Messe', 'denomination', 'religious denomination',
        ...cross(['faith'], ['affiliation', 'membership', 'activities', 'activity', 'practice', 'practices', 'leader', 'leaders', 'gathering', 'gatherings', 'status', 'background']), 'hijab', 'headscarf', 'burqa', 'niqab', 'veil wearing',
        'Kirche*', 'Freikirche*', 'Hauskreis*', 'Gebetskreis*', 'Glaubenskreis*', 'Hauskirche*', 'Untergrundkirche*', 'Dorfkirche*', 'Kirchgang*', 'Kirchgänger*', 'Moschee*', 'Synagoge*', 'Tempelbesuch*', 'Weihrauch', '*bibel',
        'Koran*', 'Ramadan', 'Kopftuch*',
        '教会', '家庭教会', '地下教会', '教堂', '清真寺', '礼拜寺', '寺庙活动', '未登记寺庙',
        '私建庙宇', '私设佛堂', '私设聚会点', '聚会点', '私设聚会', '宗教聚会', '圣经', '查经班', '查经聚会', '圣经学习', '读经班', '读经班', '古兰经', '斋月', '封斋',
        '把斋', '头巾', '面纱', '蒙面罩袍',
      ],
    },
    {
      note: 'Named faiths, and groups the state bans as "cults" (Falun Gong, qigong groups, Eastern Lightning).',
      terms: [
        'christianity', 'christentum', 'christian faith', 'christian community', 'christian gathering', 'christian worship', 'catholic*', 'protestant*', 'muslim*', 'islam*',
        'buddhis*', 'taois*', 'daois*', 'hindu', 'hindus', 'hinduism', 'hinduismus', 'hinduistisch*', 'jewish', 'judaism', 'sikh*', 'lamaism',
        'dalai lama', 'falun*', 'fa lun', 'fa lun gong', 'flg', 'dafa', 'qigong', 'zhong gong',
        'zhonggong', 'eastern lightning', 'almighty god', 'xie jiao', 'xiejiao', 'cult', 'cults',
        'evil cult', 'heretical', 'heterodox', 'sect', 'sects', 'sectarian', 'jehovah*', 'mormon*',
        'scientolog*', 'bahai', 'baha i', 'quaker*', 'adventist*', 'pentecostal*', 'methodist*', 'lutheran*',
        'anglican*', 'presbyterian*', 'shia', 'shiite', 'sunni', 'salafi*', 'wahhabi*', 'Zeugen Jehovas',
        'Mormonen', 'Scientology', '耶和华见证人', '摩门教', '山达基',
        'christlich*', 'katholisch*', 'evangelisch*', 'muslimisch*', 'islamisch*', 'jüdisch*',
        'Sekte', 'Sekten',
        '基督', '中华养生益智功', '基督教', '基督徒', '天主教', '伊斯兰', '穆斯林', '佛教', '道教', '藏传佛教',
        '犹太教', '法轮', '法轮功', '法轮大法', '大法弟子', '气功', '练功', '全能神',
        '东方闪电', '呼喊派', '门徒会', '邪教', '达赖',
      ],
    },
  ],

  'political-opinion': [
    {
      note: 'Political opinion and affiliation (GDPR Art. 9; political study and party loyalty as scored items).',
      terms: [
        'political', 'politically', 'politics', 'political opinion', 'political views',
        'ideology', 'ideological', 'patriotism', 'unpatriotic', 'party member', 'party members',
        'party membership', 'party loyalty', 'reactionary', 'counter revolutionary',
        'counterrevolutionary', 'subversion', 'subversive', 'separatism', 'separatist',
        'splittism', 'secession', 'dissent', 'dissenter', 'dissident*', 'activist', 'activists',
        'activism', 'human rights', 'democracy movement', 'pro democracy',
        'politisch*', 'Meinung', 'Meinungen', 'Meinungsäußerung*', 'Parteimitglied*',
        'Regimekritik*', 'regimekritisch*', 'Dissident*', 'Aktivist*', 'Menschenrecht*',
        '政治', '政见', '政治面貌', '政治学习', '政治表现', '政治觉悟', '思想汇报', '学习强国',
        '党员', '入党', '反动', '反革命', '颠覆', '煽动颠覆', '分裂国家', '异见', '异议人士',
        '人权', '六四',
      ],
    },
    {
      note: 'Online speech: rumours, "harmful" comments, deleted posts, Weibo (the report; issue 9: "harmful comments on Weibo", deleted post).',
      terms: [
        'rumour*', 'rumor*', 'harmful comment', 'harmful comments', 'harmful information',
        'harmful speech', 'harmful content', 'harmful remarks', 'harmful post', 'harmful posts',
        'negative comment', 'negative comments', 'negative remarks', 'critical comments',
        'inappropriate remarks', 'inappropriate comments', 'improper remarks', 'improper comments',
        'online speech', 'online comment', 'online comments', 'online post', 'online posts',
        'online posting', 'internet posts', 'social media post', 'social media posts',
        'social media activity', 'social media account', 'weibo', 'weibo post', 'wechat post',
        'wechat posts', 'wechat moments', 'wechat group', 'moments post', 'qq group', 'blogger',
        'blog post', 'tweet', 'tweets', 'retweet', 'retweeted', 'repost', 'reposted', 'reposting',
        'deleted post', 'deleted posts', 'post deleted', 'posts deleted', 'deleted tweet',
        'censored post', 'sensitive words', 'sensitive topics', 'sensitive remarks', 'sensitive articles',
        'sensitive content', 'sensitive posts', 'sensitive speech', 'forwarded articles', 'forwarded posts',
        'forwarded content', 'negative energy', 'blog', 'blogs', 'blogging', 'vlogger', 'foreign media articles',
        'foreign media content', 'overseas media', 'tiananmen', 'june fourth', 'june 4th', 'tank man',
        'spreading false information', 'spread false information', 'spreads false information',
        'disseminating false information', 'false information online', 'online misinformation',
        'misinformation', 'disinformation', 'spoke out', 'speaking out', 'spoken out', 'whistleblower*',
        'whistle blower', 'whistleblowing', '天安门事件', '八九民运', '散布虚假信息', '网上传播虚假信息',
        'Gerücht*', 'schädliche Kommentare', 'Kommentar im Internet',
        'gelöschter Beitrag', 'gelöschte Beiträge', 'Beitrag gelöscht', 'Online-Äußerung*',
        '谣言', '造谣', '传谣', '散布谣言', '网络言论', '言论', '不当言论', '错误言论', '有害言论',
        '有害信息', '负面言论', '负面评论', '有害评论', '网络评论', '网上评论', '发帖', '删帖',
        '被删帖', '删除帖子', '转发微博', '转发帖子', '微博', '微信群', '朋友圈', '敏感词',
        '敏感言论', '妄议',
      ],
    },
    {
      note: 'Petitioning and rights defence (上访, 越级上访, 信访, 维权; issue 9).',
      terms: [
        'petition*', 'letters and visits', 'xinfang', 'shangfang', 'skip level petition',
        'rights defence', 'rights defense', 'rights defender', 'rights defenders', 'rights lawyer',
        'rights lawyers', 'rights activist', 'weiquan', 'appeal to higher authorities',
        'appealed to higher authorities', 'complaint to higher authorities', 'complained to higher authorities',
        'appealed to beijing', 'appeal to beijing', 'went to beijing to complain', 'complaint to the central government',
        'skip level complaint', 'collective petition',
        ...cross(['complained about', 'complaints about', 'complaint about', 'complained online about', 'exposed', 'exposing'], ['officials', 'local officials', 'the government', 'cadres', 'corruption of officials', 'official corruption', 'the leadership']),
        'Petition*', 'Eingabe an höhere Behörden',
        '上访', '越级上访', '信访', '非访', '缠访', '闹访', '集访', '进京上访', '维权',
        '维权人士', '维权律师', '请愿', '联署', '赴京', '集体上访', '越级访', '非正常上访',
      ],
    },
    {
      note: 'Protest, demonstration, assembly, open letters (issue 9; charter point 1).',
      terms: [
        'protest', 'protests', 'protested', 'protesting', 'protester*', 'protestor*',
        'demonstration', 'demonstrations', 'demonstrator', 'demonstrators', 
        'staged a sit in', 'sit in protest', 'distributing leaflets', 'handing out leaflets', 'political leaflets', 'joined a march', 'took part in a march',
        ...cross(['unapproved', 'unauthorised', 'unauthorized', 'illegal', 'protest', 'street', 'political'], ['march', 'marches', 'procession', 'processions', 'rally', 'rallies', 'gathering', 'gatherings', 'assembly']),
        'incited the masses', 'inciting the masses', 'stirring up trouble', 'stirred up trouble',
        'gathering a crowd to make trouble', 'picking quarrels', 'provoking trouble', 'a sit in', 'the sit in', 'participated in a sit in', 'protest rally', 'political rally', 'illegal assembly', 'unauthorised assembly',
        'unauthorized assembly', 'illegal gathering', 'mass incident',
        'mass incidents', 'open letter', 'open letters', 'joint letter', 'signature campaign',
        'banned book', 'banned books', 'forbidden books',
        'Protest*', 'Demonstration*', 'Demonstrant*', 'Kundgebung*', 'offener Brief',
        'offenen Brief', 'Flugblatt', 'Flugblätter', 'Versammlungsteilnahme',
        '抗议', '示威', '游行', '集会', '非法集会', '静坐', '群体性事件', '公开信', '联名信', '煽动闹事', '聚众闹事',
        '煽动群众', '寻衅滋事', 
        '禁书',
      ],
    },
    {
      note: 'Criticism of the government (Regierungskritik; issue 9).',
      terms: [
        'criticism of the government', 'criticised the government', 'criticized the government',
        'criticising the government', 'criticizing the government', 'government criticism',
        'criticism of officials', 'criticised officials', 'criticized officials',
        'anti government', 'antigovernment', 'criticism of the party',
        ...cross(
          ['critical of', 'criticised', 'criticized', 'criticising', 'criticizing', 'criticism of', 'insulted', 'insulting', 'slandered', 'slandering', 'smeared', 'smearing', 'mocked', 'mocking', 'attacked', 'attacking', 'opposed', 'opposing'],
          ['the government', 'government', 'the authorities', 'authorities', 'officials', 'local officials', 'the party', 'party leaders', 'leaders', 'the leadership', 'state leaders', 'the state', 'the police', 'cadres'],
        ),
        'Regierungskritik*', '*regierungskritik', 'regierungskritisch*', 'Kritik an der Regierung',
        'Kritik an Behörden', 'Kritik an Beamten', 'Kritik an der Partei', 'Behördenkritik*',
        'kritische Äußerung*', 'kritischer Äußerung*', 'kritischen Äußerung*',
        'Staatskritik*', 'Systemkritik*', 'Staatsfeind*',
        '批评政府', '批评领导', '批评党', '攻击政府', '抹黑政府', '反政府', '反党言论', '攻击党和政府',
        '诋毁党', '抹黑党', '丑化领导', '负能量', '境外媒体', '转发境外', 
      ],
    },
    {
      note: 'Circumventing censorship: VPN, "climbing the wall" (翻墙), foreign websites (issue 9).',
      terms: [
        'vpn', 'vpns', 'virtual private network', 'firewall circumvention', 'circumvention tool',
        'circumventing censorship', 'fanqiang', 'jumping the wall', 'climbing the wall',
        'great firewall', 'tor browser', 'blocked websites', 'banned websites',
        'foreign websites', 'Zensurumgehung',
        '翻墙', '科学上网', '境外网站', '翻墙软件', '代理翻墙',
      ],
    },
  ],

  ethnicity: [
    {
      note: 'Ethnicity, race, national origin (GDPR Art. 9; charter point 1).',
      terms: [
        'ethnic*', 'race', 'races', 'racial*', 'skin colour', 'skin color', 'national minority',
        'national minorities', 'minority nationality', 'minority nationalities',
        'minority group', 'minority background', 'minority status', 'national origin',
        'ethnic origin', 'nationality', 'from xinjiang', 'xinjiang origin', 'persons from xinjiang', 'natives of xinjiang', 'born in xinjiang', 'ancestral home', 'ancestry',
        'ethnisch*', 'Ethnie*', 'Rasse', 'Hautfarbe', 'nationale Minderheit*', 'tibetisch*', 'uigurisch*',
        'nationale Herkunft', 'ethnische Herkunft', 'Herkunft aus Xinjiang',
        'Volkszugehörigkeit', 'Volksgruppe*', 'Migrationshintergrund', 'Abstammung',
        '民族', '少数民族', '种族', '肤色', '籍贯', '民族成分', '民族身份', '新疆籍', '西藏籍', '新疆人', '来自新疆', '西藏人',
      ],
    },
    {
      note: 'Peoples the report names or that are targeted (Uyghur, Tibetan, Hui, Roma; issue 9: 维族, 藏族, Uigurin).',
      terms: [
        'uyghur*', 'uighur*', 'uygur*', 'uigur*', 'tibetan*', 'hui', 'hui muslim', 'kazakh', 'kazakhs',
        'kyrgyz', 'mongolian ethnicity', 'han chinese', 'roma', 'sinti', 'gypsy', 'gypsies',
        'Uigure*', 'Uigurin*', 'Tibeter*', 'Zigeuner*',
        ...PEOPLES_ZH,
      ],
    },
  ],

  health: [
    {
      note: 'Health data in general (GDPR Art. 9). Bare "health" / 健康 / "medical" are not terms (medical-insurance fraud, health commission).',
      terms: [
        'health status', 'health condition', 'health data', 'health record', 'health records',
        'state of health', 'ill health', 'mental health', 'medical record', 'medical records',
        'medical history', 'medical condition', 'medical data', 'medical file', 'medical diagnosis',
        'medical status', 'medical leave', 'diagnosis', 'diagnosed', 'illness', 'illnesses',
        'disease', 'diseases', 'chronic condition', 'chronically ill', 'patient record',
        'hospitalised', 'hospitalized', 'hospitalisation', 'hospitalization', 'blood type',
        'blood test', 'blood donation', 'genetic data', 'genetic test', 'hiv', 'hiv status',
        'hiv positive', '^AIDS', 'aids patient', 'aids status', 'cancer', 'tuberculosis',
        'epilepsy', 'dementia', 'autism', 'vaccination status', 'unvaccinated',
        'Gesundheit', 'Gesundheitszustand', 'Gesundheitsdaten', 'Gesundheitsdat*',
        'Gesundheitsinformation*', 'gesundheitlich*', 'Krankheit*', '*krankheit', 'Erkrankung*',
        '*erkrankung', 'erkrankt', 'Diagnose', 'Krankengeschichte', 'Krankenakte*',
        'Blutgruppe', 'Impfstatus', 'HIV', 
        '健康状况', '健康信息', '健康档案', '病史', '病历', '病情', '疾病', '患病', '患有', '诊断',
        '住院记录', '住院史', '住院治疗', '献血', '血型', '基因检测', '遗传病', '艾滋', '艾滋病', '传染病', '癌症', '结核',
        '癫痫', '疫苗接种', '未接种',
      ],
    },
    {
      note: 'Mental health (issue 9: depression, psychiatric).',
      terms: [
        'depression', 'depressive', 'mental illness', 'mentally ill', 'mental disorder',
        'mental patient', 'psychiatric', 'psychiatry', 'psychiatrist', 'psychological disorder',
        'psychotherapy', 'schizophrenia', 'schizophrenic', 'bipolar', 'anxiety disorder',
        'psychological counselling', 'psychological counseling', 'counselling records', 'counseling records',
        'psychological treatment', 'psychological problems', 'mental problems', 'mental state', 'therapy sessions',
        'mental health history', 'psychologist visits', 'antidepressant*', 'psychiatric medication',
        'psychotropic', 'medication history', 'prescription history', 'takes medication', 'Antidepressiva',
        'suicide', 'suicidal', 'self harm',
        'Depression*', 'depressiv*', 'psychisch*', 'Psychiatrie*', 'psychiatrisch*',
        'Psychotherapie*', 'Schizophrenie', 'Suizid*', 'Selbstmord*',
        '抑郁', '抑郁症', '精神病', '精神疾病', '精神障碍', '精神分裂', '心理疾病', '精神科',
        '精神病院', '自杀', '轻生',
      ],
    },
    {
      note: 'Hepatitis B and other stigmatised infections (issue 9: hepatitis B; 乙肝 discrimination in hiring).',
      terms: ['hepatitis', 'hepatitis b', 'hbv', 'hbv carrier', 'Hepatitis', '乙肝', '肝炎', '乙肝病毒携带'],
    },
    {
      note: 'Disability, sick leave, rehabilitation, addiction (issue 9).',
      terms: [
        'disability', 'disabilities', 'disabled person', 'disabled persons', 'disabled people',
        'disabled worker', 'disabled workers', 'handicap', 'handicapped', 'wheelchair user',
        'sick leave', 'sick note', 'sick day', 'sick days', 'sickness absence', 'off sick',
        'rehabilitation', 'rehab', 'drug addiction', 'drug addict', 'drug rehabilitation',
        'alcoholism', 'alcohol addiction', 'addiction',
        'Behinderung', 'behinderte Menschen', 'behinderter Mensch', 'behinderte Person*', 'Schwerbehinder*', 'Krankschreibung', 'krankgeschrieben',
        'Krankmeldung', 'Krankenstand', 'Arbeitsunfähigkeitsbescheinigung', 'Rehabilitation',
        'Reha', 'Reha-Klinik', 'Drogensucht', 'Alkoholsucht', 'Alkoholiker*', 'süchtig',
        '残疾', '残障', '残疾人', '病假', '康复', '戒毒', '吸毒史', '酗酒', '成瘾',
      ],
    },
  ],

  'sex-life': [
    {
      note: 'Sex life and sexual orientation (GDPR Art. 9; issue 9: cohabitation, same-sex, affair).',
      terms: [
        'sexual', 'sexuality', 'sex life', 'sexual orientation', 'homosexual*', 'heterosexual*',
        'bisexual*', 'gay', 'gays', 'lesbian*', 'transgender', 'transsexual', 'queer', 'lgbt*',
        'same sex', 'cohabitation', 'cohabiting', 'cohabit', 'cohabits', 'cohabited',
        'cohabitee', 'living together unmarried', 'unmarried couple', 'extramarital', 'outside marriage',
        'outside of marriage', 'out of wedlock', 'unmarried partner', 'unmarried partners', 'living with a partner',
        'lives with a partner', 'living with partner', 'lives with partner', 'living together without marriage',
        'extramarital affair', 'love affair', 'had an affair', 'an affair', 'affair with',
        'adultery', 'adulterous', 'infidelity', 'mistress', 'lover', 'lovers', 'premarital',
        'one night stand', 'sexual partner', 'sexual partners', 'prostitution', 'prostitute',
        'sex worker', 'dating app', 'online dating', 'marital status',
        'Sexualleben', 'sexuell*', 'Sexualität', 'homosexuell*', 'schwul*', 'lesbisch*',
        'gleichgeschlechtlich*', 'Affäre', 'Seitensprung', 'Ehebruch', 'Geliebter', 'Liebhaber*',
        'außerehelich*', 'nichteheliche Lebensgemeinschaft', 'wilde Ehe', 'wilder Ehe', 'wilden Ehe', 'Lebensgefährtin', 'Lebensgefährte', 'Lebenspartnerschaft*', 'unverheiratet zusammenleben*', 'Prostitution', 'Familienstand',
        '性生活', '性取向', '同性恋', '同性伴侣', '同性关系', '同性婚姻', '变性手术', '变性人', '婚外情', '出轨', '通奸', '情人', '小三', '二奶',
        '包二奶', '包养', '婚外', '性关系', '性行为', '同居', '未婚同居', '非婚同居', '卖淫', '嫖娼', '性伴侣', '婚外性行为', 
        '跨性别', '婚姻状况',
      ],
    },
  ],

  'family-planning': [
    {
      note: 'Reproduction and family planning (the report\'s "unwanted child"; issue 9: third child, 超生, 生二胎, contraception check, abortion).',
      terms: [
        'family planning', 'birth control', 'one child policy', 'two child policy',
        'three child policy', 'second child', 'third child', 'fourth child', 'additional child',
        'extra child', 'excess birth', 'excess births', 'out of plan birth', 'out of plan births',
        'unplanned birth', 'unauthorised birth', 'unauthorized birth', 'illegal birth', 'second birth',
        'third birth', 'fourth birth', 'additional birth', 'extra birth', 'over quota birth', 'birth penalty',
        'child count', 'children count', 'count of children', 'children over quota', 'child over quota',
        'births over quota', 'over quota child', 'over quota children', 'over quota births',
        'unplanned child', 'unplanned children', 'unplanned pregnancy', 'unauthorised child', 'unauthorized child',
        'illegal child', 'out of plan child',
        'birth permit', 'birth quota', 'births outside the plan', 'social maintenance fee',
        'unwanted child', 'unwanted pregnancy', 'pregnancy', 'pregnancies', 'pregnant',
        'abortion', 'abortions', 'termination of pregnancy', 'contraception', 'contraceptive',
        'contraceptives', 'contraception check', 'iud', 'iud check', 'sterilisation',
        'sterilization', 'sterilised', 'sterilized', 'vasectomy', 'tubal ligation', 'fertility',
        'infertility', 'ivf', 'surrogacy', 'childbirth', 'birth spacing', 'number of children',
        'childbearing', 'maternity', 'Familienplanung*', 'Geburtenkontrolle', 'Geburtenplanung',
        'Schwangerschaft*', '*schwangerschaft', 'schwanger*', 'Abtreibung*', 'Verhütung',
        'Verhütungsmittel*', '*empfängnisverhütung', 'drittes Kind', 'zweites Kind', 'dritten Kindes', 'zweiten Kindes', 'dritte Geburt', 'zweite Geburt',
        'überzählige Geburt*', 'Kinderzahl',
        'Sterilisation*', 'Sterilisierung*', 'unerwünschtes Kind', 'ungewolltes Kind',
        'Mutterschaft', 'Fruchtbarkeit',
        '计划生育', '超生', '超计划生育', '违法生育', '政策外生育', '计划外生育', '生二胎', '二胎',
        '三胎', '生三胎', '二孩', '三孩', '第三个孩子', '社会抚养费', '准生证', '生育证',
        '生育指标', '生育', '避孕', '孕检', '结扎', '绝育', '堕胎',
        '流产', '人工流产', '做人流', '上环手术', '强制上环', '拒绝上环', '拒不上环', '未上环', '放环', '查环查孕', '环孕检', '引产', '怀孕', '孕妇', '孕期', '未婚先孕', '未婚生育',
        '非婚生', '私生子', '不想要的孩子', '意外怀孕', '育龄妇女', '试管婴儿', '代孕',
      ],
    },
  ],

  'union-membership': [
    {
      note: 'Trade-union membership and organising (GDPR Art. 9; issue 9: independent union, union member).',
      terms: [
        'trade union', 'trade unions', 'trades union', 'labour union', 'labor union',
        'union member', 'union members', 'union membership', 'independent union',
        'independent unions', 'unionisation', 'unionization', 'union organiser',
        'union organizer', 'union organising', 'union organizing', 'union activist',
        'union activity', 'union activities', 'union dues', 'union rep', 'union representative',
        'joined a union', 'join a union', 'joining a union', 'shop steward', 'works council',
        'labour activist', 'labor activist', 'labour ngo', 'labor ngo', 'workers rights group',
        ...cross(['independent', 'unofficial', 'unregistered', 'illegal', 'underground', 'autonomous', 'workers', 'labour', 'labor', 'union'], ['union', 'unions']),
        'union organisation', 'union organization',
        'Gewerkschaft*', '*gewerkschaft', 'gewerkschaftlich*', 'Betriebsrat*', 'Betriebsräte*',
        '工会', '独立工会', '自由工会', '工人组织', '劳工组织', '劳工NGO', '工人维权',
      ],
    },
    {
      note: 'Strikes and collective demands (issue 9: strike 罢工, collective wage demands). Bare "strike" is not a term (strike-off of a company): the labour forms are.',
      terms: [
        'labour strike', 'labor strike', 'strike action', 'on strike', 'went on strike',
        'go on strike', 'going on strike', 'wildcat strike', 'general strike', 'hunger strike',
        'strike participation', 'strike organiser', 'strike organizer', 'strike leader',
        'organised a strike', 'organized a strike', 'took part in a strike', 'joined a strike',
        'strike', 'striking workers', 'striker', 'strikers', 'walkout', 'walkouts',
        'work stoppage', 'go slow', 'picket', 'picketing', 'picket line', 'collective bargaining',
        'collective wage demand', 'collective wage demands', 'collective wage negotiation',
        'collective pay demand', 'collective pay demands', 'collective pay rise', 'collective pay rises',
        'collective wage*', 'collective demands', 'demanded collective', 'wage protest', 'pay protest',
        'demand back pay', 'demanding back pay', 'demanded back pay', 'organised workers', 'organized workers',
        'organising workers', 'organizing workers', 'mobilised workers', 'mobilized workers', 'IG Metall', 'Verdi-Mitglied', 'DGB-Mitglied',
        'Streik*', '*streik', 'streikt*', 'gestreikt', 'Arbeitskampf*', 'Arbeitsniederlegung*',
        'Lohnforderung*', '*lohnforderung', 'Tarifforderung*', 'Tarifverhandlung*',
        '罢工', '怠工', '罢课', '罢市', '集体谈判', '集体讨薪', '讨薪', '恶意讨薪', '集体维权',
        '集体停工', '带头讨薪', '组织讨薪',
      ],
    },
  ],

  association: [
    {
      note: 'Spouses, in-laws and relatives (charter point 2; issue 9: wife_, son_in_law_, a relative on the court list).',
      terms: [
        'spouse', 'spouses', 'spousal', 'wife', 'wives', 'husband', 'husbands', 'son in law',
        'daughter in law', 'father in law', 'mother in law', 'brother in law', 'sister in law',
        'relative', 'relatives', 'parents in law', 'his in laws', 'her in laws', 'their in laws', 'kin', 'kinship', 'known associates', 'kinsman', 'next of kin',
        'family member', 'family members', 'member of the family', 'members of the family',
        'close relative', 'relatives of', 'clan',
        ...cross(
          ['child', 'children', 'son', 'daughter', 'spouse', 'wife', 'husband', 'parent', 'parents', 'family', 'relative', 'relatives', 'family members', 'household', 'neighbour', 'neighbours', 'neighbor', 'neighbors', 'friends', 'colleagues', 'families', 'spouses'],
          ['of a defaulter', 'of the defaulter', 'of defaulters', 'of a dishonest person', 'of dishonest persons', 'of the debtor', 'of a debtor', 'of the subject', 'of the listed person', 'of listed persons', 'of listed people', 'of blacklisted persons', 'of blacklisted people', 'of the blacklisted', 'of judgment defaulters', 'of dishonest people'],
        ),
        'Ehepartner*', 'Ehefrau*', 'Ehemann*', 'Ehemänner', 'Gattin', 'Gatte', 'Schwieger*',
        'Verwandte*', 'Verwandtschaft*', 'Angehörige*', 'Familienangehörige*', 'Familienmitglied*',
        'Sippenhaft*', 'Kinder des Schuldners', 'Eltern des Schuldners',
        '配偶', '妻子', '丈夫', '老婆', '夫妻', '夫人', '女婿', '儿媳', '媳妇', '岳父',
        '岳母', '公婆', '姻亲', '亲属', '亲戚', '家属', '家庭成员', '直系亲属', '近亲属',
        '九族', '宗族', '老公的', '我老公', '她老公', '其家人', '保甲制',
      ],
    },
    {
      note: 'Household, cell, five-family groups, collective liability (charter point 2: the report\'s ancient five-family groups; issue 9: household score, the grid cell, 连坐).',
      terms: [
        'household*', 'head of household', 'household head',
        'household member', 'household members', 'household registration', 'hukou', 'cell',
        'cell id', 'cell leader', 'cell member', 'cell members', 'grid cell',
        'grid cells', 'grid member', 'grid members', 'members of the grid', 'grid score',
        'grid ranking', 'grid rating', 'grid residents', 'grid households', 'grid unit score',
        'five family group', 'five family groups', 'five household group', 'ten household group',
        'ten family group', 'baojia', 'bao jia', 'lianzuo', 'collective responsibility',
        'collective liability', 'collective punishment', 'joint punishment of relatives',
        'guilt by association', 'mutual surety group', 'co resident', 'co residents', 'all residents',
        'residents of the building', 'building residents', 'everyone in the building', 'whole building',
        'entire building', 'whole village', 'entire village', 'whole street', 'all tenants',
        
        'Haushaltsmitglied*', 'Haushaltsvorstand', 'Haushaltsscore', 'Haushaltspunkte',
        'Bewertung des Haushalts', 'Punkte des Haushalts', 'Punktzahl des Haushalts',
        'Zelle', 'Zellen', 'Rasterzelle*', 'Gitterzelle*', 'Netzzelle*', 'Fünf-Familien-Gruppe*',
        'Kollektivhaftung', 'Kollektivstrafe*', 'Sippenhaftung',
        '户主', '户籍', '户口', '户成员', '户积分', '户评分', '户得分', '户等级', '户信用',
        '户分数', '连坐', '株连', '联户联保', '联户评分', '五户联保', '十户联保', '网格内',
        '网格成员', '网格评分', '网格积分', '网格得分', '网格排名', '网格连坐', '网格考核',
        '网格单元', '网格化评分', '小组连坐', '集体连带', '同户人员', '同户成员', '同住人员', '共同居住人',
        '失信人员子女', '失信被执行人子女', '被执行人子女', '失信人子女', '失信人员家属', '失信人员配偶',
      ],
    },
    {
      note: 'Friends, neighbours and social networks (Sesame\'s network pillar: "friends\' scores").',
      terms: [
        'friend', 'friends', 'friendship', 'best friend', 'social network', 'social circle',
        'social connections', 'social relations', 'social graph', 'acquaintances',
        'Freund', 'Freunde', 'Freundin', 'Freundeskreis*', 'Bekanntenkreis*',
        'soziales Netzwerk', 'sozialen Netzwerk', 'Nachbarschaftshaftung',
        '朋友', '好友', '社交圈', '社会关系', '交往对象', '交友圈', '人际关系',
      ],
    },
    {
      note: 'Relations that are neutral alone (a neighbour helped, child support, honesty-model families) combined with a score, grade, record or the like.',
      terms: [
        ...relational(RELATIONS_EN, SCORE_WORDS_EN),
        ...cross(RELATIONS_ZH, SCORE_WORDS_ZH, ''),
        ...cross(RELATIONS_ZH, SCORE_WORDS_ZH, '的'),
        ...cross(['Familie', 'Familien', 'Nachbar', 'Nachbarn', 'Eltern', 'Kinder', 'Kindes'], ['Punkte', 'Punktzahl', 'Bewertung', 'Note', 'Verstöße', 'Schulden', 'Eintrag', 'Einträge']),
        ...cross(['Punkte', 'Punktzahl', 'Bewertung', 'Note', 'Verstöße', 'Schulden'], ['der Familie', 'des Nachbarn', 'der Nachbarn', 'der Eltern', 'der Kinder', 'des Kindes']),
        'Familienpunkt*', 'Familienbewertung*', 'Familienscore', 'Nachbarschaftspunkt*',
      ],
    },
  ],

  prediction: [
    {
      note: 'Prediction of future wrongdoing about individuals (charter point 5; issue 9: predicted risk, re-offending, risk_of_offence, "potential unstable person").',
      terms: [
        'predicted risk', 'predicted risks', 'risk prediction', 'predicted likelihood',
        'predicted probability', 'prediction of offending', 'prediction of crime',
        'predictive policing', 'predictive risk', 'predictive score', 'pre crime', 'precrime',
        'future offending', 'future offence', 'future offences', 'future offense', 'future crime',
        'future crimes', 'future wrongdoing', 'future violations', 'likely to offend',
        'likely to reoffend', 'likelihood of offending', 'likelihood of reoffending',
        'propensity to offend', 'criminal propensity', 'criminal tendency', 'criminal tendencies',
        'risk of offence', 'risk of offense', 'risk of offending', 'risk of reoffending',
        'risk of re offending', 'risk of crime', 'crime risk', 'offending risk', 'offence risk',
        'offense risk', 'risk of absconding', 'risk of petitioning', 'risk of protest',
        'risk of instability', 're offending', 'reoffending', 're offend', 'reoffend',
        're offence', 'reoffence', 'recidivism', 'recidivist', 'recidivists', 'relapse risk',
        'threat score', 'threat level', 'dangerousness', 'potentially dangerous',
        'potential unstable person', 'potentially unstable', 'unstable person', 'unstable persons',
        'unstable element', 'unstable elements', 'instability risk', 'stability risk',
        'social stability risk', 'stability maintenance', 
        'key population', 'key persons under control', 'zhongdian renyuan', 'persons of concern', 'person of interest',
        'suspicious person', 'suspicious persons', 'at risk individual', 'at risk person', 'at risk persons',
        'radicalisation', 'radicalization', 'radicalised', 'radicalized', 'extremism risk', 'troublemaker',
        'trouble maker', 'troublemakers', 'social instability', 'risk of social instability', 'destabilising',
        'destabilizing', 'threat to stability', 'threat to social stability', 'stability threat', 'preemptive',
        'pre emptive',
        ...cross(['risk', 'high risk', 'offence', 'offense', 'crime', 'danger', 'threat'], ['predicted', 'prediction', 'forecast', 'projected']),
        'predicted high risk', 'predicted offender', 'predicted offenders',
        ...cross(['likely', 'potential', 'possible', 'future'], ['protesters', 'protestors', 'petitioners', 'troublemakers', 'offenders', 'criminals', 'dissidents', 'activists', 'reoffenders']),
        ...cross(
          ['likelihood of', 'probability of', 'propensity for', 'propensity to', 'tendency to', 'likely to', 'risk of', 'danger of', 'chance of', 'prone to', 'predicted to', 'expected to', 'forecast to'],
          ['commit a crime', 'committing a crime', 'commit crimes', 'committing crimes', 'crime', 'crimes', 'offend', 'reoffend', 'violence', 'violent behaviour', 'violent behavior', 'cause trouble', 'causing trouble', 'make trouble', 'making trouble', 'petition', 'protest', 'protesting', 'extremism', 'radicalisation', 'radicalization', 'unrest', 'abscond', 'absconding'],
        ),
        'Rückfall*', 'Rückfallrisiko', 'Rückfallgefahr', 'Gefährder*', 'Gefährlichkeitsprognose',
        'Kriminalprognose', 'Risikoprognose', 'Sozialprognose', 'vorhergesagt*', 'Vorhersage',
        'Straftatrisiko', 'künftige Straftaten', 'potenziell instabil*', 'instabile Person*',
        'Wahrscheinlichkeit einer Straftat', 'Wahrscheinlichkeit künftiger Straftaten', 'Straftatwahrscheinlichkeit',
        'Gefährlichkeit*', 'Radikalisierung*', 'Rückfalltäter*',
        '预测', '潜在不稳定', '不稳定因素', '不稳定人员', '不稳定分子', '重点人员', '重点人口', '重点管控人员',
        '重点人群', '重点关注人员', '重点关注对象', '涉稳', '维稳', '稳控', '高危人员',
        '危险人员', '可疑人员', '风险人员', '犯罪风险', '犯罪倾向', '犯罪可能', '再犯', '再犯罪',
        '重新犯罪', '潜在风险人员', '危害性评估', '预警人员', '可能上访', '可能闹事', '闹事风险', '上访风险',
        '上访倾向', '闹访倾向', '滋事风险', '极端化风险', '有上访苗头', '苗头性人员',
      ],
    },
  ],

  'profession-targeting': [
    {
      note: 'Professions the report singles out for monitoring (charter point 5: doctors, teachers, lawyers, journalists). Journalists, lawyers, teachers and physicians as persons hit; an organisation such as a law firm, and the statutes (Lawyers Law, Teachers Law), are shielded. "doctor" is neutral alone (the shipped "accompanied a neighbour to the doctor"), so it hits only with profession, score or monitoring words.',
      terms: [
        'journalist*', 'journalism', 'investigative reporter', 'foreign reporter', 'foreign correspondent', 'news correspondent', 'press correspondent', 'news reporter', 'press reporter',
        'editor in chief', 'newspaper editor', 'press card',
        'lawyer', 'lawyers', 'attorney', 'attorneys', 'barrister', 'barristers', 'solicitor',
        'solicitors', 'defence counsel', 'defense counsel', 'teacher', 'teachers', 'lecturer',
        'lecturers', 'schoolteacher*', 'physician', 'physicians', 'medical staff',
        'medical worker', 'medical workers', 'health worker', 'health workers', 
        ...cross(['profession', 'occupation', 'job', 'employment', 'work as', 'works as', 'worked as', 'employed as', 'is a', 'being a', 'as a'], ['doctor', 'doctors']),
        ...cross(['doctor', 'doctors'], ['profession', 'occupation', 'score', 'grade', 'rating', 'record', 'monitoring', 'watch list', 'watchlist', 'conduct', 'speech', 'list', 'register', 'misconduct', 'points', 'ethics score', 'online comments']),
        'monitoring of doctors', 'whistleblower doctor', 'whistleblowing doctor',
        ...cross(['profession', 'occupation', 'job title', 'profession category', 'occupational group'], ['monitoring', 'watch list', 'watchlist', 'score', 'flag', 'targeting']),
        'Journalist*', 'Anwalt', 'Anwältin*', 'Anwälte', 'Rechtsanwalt*',
        'Rechtsanwält*', 'Strafverteidiger*', 'Lehrer*', 'Lehrkraft', 'Lehrkräfte', 'Arzt',
        'Ärzte', 'Ärztin*', 'Mediziner*', 'Krankenpfleger*', 'Krankenschwester*', 'Beruf Arzt',
        '记者', '媒体人', '新闻工作者', '律师', '辩护律师', '教师', '老师', '医生',
        '医师', '医务人员', '医护人员', '职业为', '从业人员监控',
      ],
    },
  ],

  lifestyle: [
    {
      note: 'What a person plays or watches (Sesame\'s "behavioural preferences": gaming hours; issue 9: gaming hours, foreign films).',
      terms: [
        'gaming hours', 'hours of gaming', 'gaming time', 'time spent gaming', 'video game',
        'video games', 'videogame', 'videogames', 'computer game', 'computer games', 'online games',
        'online gaming', 'game playing', 'plays games', 'playing games', 'plays video games',
        'playing video games', 'gamer', 'gamers', 'game console', 'screen time', 'app usage',
        'foreign film', 'foreign films', 'foreign movie', 'foreign movies', 'foreign tv',
        'foreign television', 'foreign series', 'foreign media consumption', 'films watched',
        'movies watched', 'viewing habits', 'viewing history', 'watch history', 'watching history',
        'streaming history', 'tv habits', 'television habits', 'books read', 'reading habits',
        'reading history', 'reading list', 'magazine subscriptions', 'newspaper subscriptions',
        'Videospiel*', 'Computerspiel*', 'Onlinespiel*', 'Spielstunden', 'Spielzeit am Computer',
        'Bildschirmzeit', 'ausländische Filme', 'ausländischer Filme', 'ausländischen Filmen',
        'Westfilme', 'Fernsehgewohnheiten', 'Sehgewohnheiten', 'Lesegewohnheiten',
        '打游戏', '玩游戏', '游戏时长', '游戏时间', '电子游戏', '网络游戏', '网游', '手游',
        '外国电影', '外国影视', '境外影视', '境外电影', '海外剧', '美剧', '韩剧', '日剧',
        '观看记录', '观影记录', '阅读习惯', '阅读记录', '借阅记录', '读什么书', '看什么书',
      ],
    },
    {
      note: 'What a person buys (Sesame: diapers vs. video games; issue 9: diapers, alcohol purchases, shopping habits).',
      terms: [
        'diaper', 'diapers', 'nappy', 'nappies', 'diaper purchases', 'baby products purchases',
        'alcohol purchase', 'alcohol purchases', 'alcohol purchasing', 
        'liquor purchase', 'liquor purchases', 'buys alcohol', 'buying alcohol', 'drinking habits',
        'beer purchases', 'cigarette purchases', 'tobacco purchases', 'shopping habits',
        'shopping history', 'shopping behaviour', 'shopping behavior', 'shopping preferences',
        'shopping basket', 'online shopping habits', 'online shopping history', 'purchase history',
        'purchasing history', 'purchase records', 'purchasing habits', 'purchasing behaviour',
        'purchasing behavior', 'buying habits', 'consumption habits', 'consumption pattern',
        'consumption patterns', 'consumption preferences', 'consumption profile',
        'consumer profile', 'spending habits', 'spending pattern', 'spending patterns',
        'what they buy', 'what he buys', 'what she buys', 'behavioural preference',
        ...cross(
          ['buys', 'bought', 'buying', 'purchases', 'purchased', 'purchasing', 'purchase of', 'purchases of'],
          ['diapers', 'nappies', 'baby products', 'alcohol', 'liquor', 'beer', 'wine', 'cigarettes', 'tobacco', 'video games', 'games', 'lottery tickets', 'foreign books', 'books', 'magazines', 'condoms', 'contraceptives'],
        ),
        'drinks alcohol', 'alcohol intake', 'drinking frequency', 'daily drinking', 'heavy drinking', 'heavy drinker',
        'drinks daily', 'consumer preference', 'consumer preferences', 'purchase preferences', 'buying preferences',
        'Konsumpräferenz*', 'Kaufpräferenz*',
        ...cross(['kauft', 'kaufte', 'gekauft', 'Kauf von', 'Käufe von', 'Einkauf von'], ['Alkohol', 'Windeln', 'Videospiele', 'Computerspiele', 'Zigaretten', 'Bücher', 'Babyprodukte', 'Lotterielose']),
        'foreign books', 'foreign publications', 'foreign newspapers', 'foreign magazines', 'reads foreign',
        'behavioural preferences', 'behavioral preference', 'behavioral preferences',
        'lifestyle', 'lifestyles', 'life style', 'hobby', 'hobbies', 'leisure activities',
        'bar visits', 'nightclub visits', 'visits nightclubs', 'nightlife habits', 'dietary habits', 'eating habits',
        'gym attendance', 'sleep patterns', 'sleep data',
        'Windel*', 'Alkoholkäufe', 'Alkoholkauf', 'Trinkgewohnheiten',
        'Kaufverhalten', 'Konsumverhalten', 'Einkaufsverhalten', 'Kaufgewohnheiten',
        'Einkaufsgewohnheiten', 'Konsumgewohnheiten', 'Lebensstil*', 'Lebensweise',
        'Freizeitverhalten', 'Hobby', 'Hobbys',
        '尿布', '纸尿裤', '尿不湿', '买酒', '购酒', '饮酒习惯', '烟酒消费', '购物习惯', '购物记录',
        '购物偏好', '网购记录', '网购习惯', '消费习惯', '消费偏好', '消费记录', 
        '消费画像', '购买记录', '行为偏好', '生活方式', '生活习惯', '兴趣爱好',
        '业余爱好', '夜店', '交友软件', '饮食习惯',
      ],
    },
    {
      note: 'How often a person moves (charter point 4; issue 9: frequent moves).',
      terms: [
        'frequent moves', 'frequent move', 'frequently moves', 'frequently moved', 'moves frequently',
        'moved frequently', 'moving frequently', 'moves often', 'moved often', 'moving often',
        'frequent relocation', 'frequent relocations', 'frequent change of address',
        'frequent changes of address', 'frequent address changes', 'number of moves',
        'number of relocations', 'residential mobility', 'moving house often', 'how often they move',
        ...cross(['moves house', 'move house', 'moves home', 'move home'], ['frequently', 'often', 'repeatedly', 'many times', 'several times']),
        ...cross(
          ['moved house', 'moved home', 'moving house', 'changed address', 'changed addresses', 'changed residence', 'relocated', 'times moved'],
          ['times', 'often', 'frequently', 'repeatedly', 'several times', 'many times', 'twice', 'three times', 'four times', 'five times'],
        ),
        'number of addresses', 'address history', 'residential history', 'zieht häufig um', 'zieht oft um',
        'zog häufig um', 'zog oft um',
        'häufige Umzüge', 'häufiger Umzug', 'häufig umgezogen', 'Umzugshäufigkeit', 'Anzahl der Umzüge',
        'häufiger Wohnortwechsel', 'häufige Wohnortwechsel',
        '频繁搬家', '经常搬家', '多次搬家', '搬家次数', '频繁更换住址', '频繁变更住址',
        '住址变更频繁', '频繁迁居', '流动频繁', '住址变更次数', '搬家记录',
        ...cross(['多次', '频繁', '经常', '反复'], ['变更住址', '更换住址', '迁居', '变更住所', '更换住所', '变更居住地', '更换居住地']), '经常网购', '频繁网购', '网购频率', '网购次数',
      ],
    },
  ],

  surveillance: [
    {
      note: 'Face and other biometric recognition (charter point 3; issue 9: face recognition, 人脸识别).',
      terms: [
        ...cross(['face', 'facial'], ['image', 'images', 'photo', 'photos', 'capture', 'captured', 'snapshot', 'snapshots', 'scans', 'template', 'templates', 'matching', 'tracking', 'detection', 'database']),
        'captured the face', 'captured his face', 'captured her face',
        'face recognition', 'facial recognition', 'face scan', 'face scanning', 'face data',
        'face id', 'face match', 'facial data', 'facial features', 'biometric*', 'gait recognition',
        'voiceprint', 'iris scan', 'emotion recognition', 'camera network', 'sky net', 'sharp eyes',
        'surveillance', 'surveilled', 'surveil', 'spyware', 'wiretap', 'wiretapping',
        'phone tapping', 'eavesdropping', 'intercepted communications', 'keylogger',
        'Gesichtserkennung*', 'Gesichtsscan*', 'biometrisch*', 'Überwachung', 
        'Videoüberwachung', 'Telekommunikationsüberwachung', 'abgehört', 'Lauschangriff',
        'Staatstrojaner',
        '人脸识别', '人脸', '刷脸', '面部识别', '人像比对', '生物识别', '步态识别', '声纹', '虹膜',
        '情绪识别', '天网工程', '雪亮工程', '监听', '窃听', '偷拍',
      ],
    },
    {
      note: 'Private messages, chat logs, contact lists, call and browsing records (charter point 3; issue 9).',
      terms: [
        'private message', 'private messages', 'private messaging', 'direct message',
        'direct messages', 'chat log', 'chat logs', 'chat history', 'chat record', 'chat records',
        'chat content', 'chat messages', 'wechat messages', 'wechat chats', 
        'sms content', 'text message content', 'read text messages', 'message content', 'email content', 'call records', 'call log', 'call logs',
        'call history', 'phone records', 'phone data', 'mobile phone data', 'contact list',
        'contacts list', 'address book', 'phone contacts', 'phone book', 'browsing history',
        'browser history', 'search history', 'internet history', 'web history', 'online activity',
        'internet activity', 'private emails', 'private email', 'personal emails', 'private correspondence',
        'private communications', 'private calls', 'private conversations', 'private chats', 'call detail records',
        'call data records', 'phone metadata', 'communications metadata', 'telecom metadata',
        ...cross(
          ['reading', 'read', 'reads', 'monitoring', 'monitored', 'intercepting', 'intercepted', 'screening', 'screened', 'scanning', 'scanned', 'reviewing', 'reviewed', 'collecting', 'collected'],
          ['messages', 'the messages', 'his messages', 'her messages', 'their messages', 'emails', 'chats', 'the chats', 'text messages', 'wechat', 'wechat messages', 'phone calls', 'conversations'],
        ),
        "subject's messages", "subject's chats", "subject's phone",
        'private Nachricht*', 'privater Nachricht*', 'privaten Nachricht*', 'privater Kommunikation',
        'privater E-Mails', 'Privatnachricht*', 'Direktnachricht*', 'Chatverlauf*',
        'Chatprotokoll*', 'Chatnachricht*', 'Nachrichteninhalt*', 'Kontaktliste*', 'Adressbuch*',
        'Telefonkontakte', 'Anrufliste*', 'Verbindungsdaten', 'Browserverlauf', 'Suchverlauf',
        '聊天记录', '聊天内容', '私信', '私聊', '短信内容', '通话记录', '通讯录', '联系人列表',
        '微信聊天', '微信消息', '翻看手机', '查看手机', '浏览记录', '上网记录', '搜索记录',
      ],
    },
    {
      note: 'Location and movement feeds, posture telemetry (charter point 3; issue 9: location history, GPS traces, posture telemetry, 定位). Bare "location" is a field of the shipped red-light record, so only the feed forms are terms.',
      terms: [
        ...cross(['location', 'gps', 'movement', 'geolocation'], ['trail', 'trails', 'trace', 'traces', 'track', 'tracks', 'tracking', 'history', 'log', 'logs', 'data', 'feed', 'records', 'path']),
        'phone location', 'mobile phone location', 'location history', 'location data', 'location tracking', 'location trace',
        'location traces', 'location feed', 'location log', 'real time location', 'geolocation',
        'geo location', 'gps trace', 'gps traces', 'gps track', 'gps tracks', 'gps tracking',
        'gps data', 'gps history', 'gps location', 'gps position', 'gps log', 'phone tracking',
        'movement tracking', 'movement data', 'movement history', 'movement profile',
        'movements of the person', 'travel history', 'trajectory data', 'whereabouts tracking',
        'cell tower', 'cell tower data', 'check in data', 'posture', 'posture telemetry',
        'posture data', 'posture sensor', 'sitting posture', 'body posture', 'brainwave',
        'brain wave', 'fitness tracker', 'health code', 'itinerary code',
        'Standortdaten', 'Standortverlauf', 'Standortverfolgung', 'Bewegungsprofil*',
        'Bewegungsdaten', 'GPS-Daten', 'GPS-Spur*', 'Körperhaltung', 'Haltungsdaten',
        'Sitzhaltung',
        '定位', '位置信息', '位置数据', '行动轨迹', '活动轨迹', '出行轨迹', '行踪轨迹', '行踪监控', 
        '轨迹数据', '坐姿', '姿态监测', '脑电波', '健康码', '行程码', '手机数据',
      ],
    },
  ],
};

/**
 * Romanised Chinese (pinyin) for the words a Chinese author would type without Chinese
 * input (field names, codes): only syllable groups that are not ordinary words or names.
 */
const PINYIN_TERMS: Readonly<Record<ScreenCategory, readonly string[]>> = {
  religion: ['zongjiao', 'xinjiao', 'jiating jiaohui', 'jiatingjiaohui', 'falungong', 'qigong zuzhi'],
  'political-opinion': ['yaoyan', 'youxing shiwei', 'shiwei youxing', 'yanlun', 'buliang yanlun', 'youhai yanlun', 'yuejishangfang', 'yueji shangfang'],
  ethnicity: ['minzu', 'shaoshu minzu', 'shaoshuminzu', 'weizu', 'zangzu', 'huizu', 'weiwuer'],
  health: ['jingshenbing', 'canji', 'aizibing', 'yigan bingdu'],
  'sex-life': ['tongxinglian', 'weihun tongju', 'hunwaiqing'],
  'family-planning': ['chaosheng', 'jihua shengyu', 'jihuashengyu', 'sheng ertai', 'ertai', 'santai'],
  'union-membership': ['bagong', 'gonghui', 'taoxin'],
  association: ['peiou', 'qinshu', 'jiashu', 'hukou', 'huji', 'wanggehua'],
  prediction: ['weiwen', 'buwending renyuan', 'qianzai buwending'],
  'profession-targeting': ['jizhe'],
  lifestyle: ['da youxi', 'dayouxi', 'niaobu'],
  surveillance: ['renlian shibie', 'renlianshibie', 'liaotian jilu', 'liaotianjilu'],
};

/** The lexicon: per category, groups of terms with a note on where they come from. */
export const SCREEN_LEXICON: Readonly<Record<ScreenCategory, readonly LexiconGroup[]>> = (() => {
  const lexicon = {} as Record<ScreenCategory, readonly LexiconGroup[]>;
  for (const c of SCREEN_CATEGORIES) {
    const pinyin = { note: 'Pinyin (romanised Chinese) of the Chinese terms above, as typed in field names and codes.', terms: PINYIN_TERMS[c] };
    lexicon[c] = [...BASE_LEXICON[c], pinyin];
  }
  return lexicon;
})();

/**
 * Neutral compounds that contain a screened word in another sense. A term found inside one
 * of these is dropped (the longer match wins, and a shield reports nothing). Each entry is
 * a word sense, not an exemption for a topic: "cell phone" is not a grid cell,
 * "bankruptcy petition" is not petitioning, a "demonstration city" (示范城市) is a pilot.
 */
export const SCREEN_SHIELDS: readonly LexiconGroup[] = [
  {
    note: '"household" describing goods, utilities and waste, not a group of people.',
    terms: cross(['household'], [
      'appliance', 'appliances', 'goods', 'product', 'products', 'chemical', 'chemicals', 'waste',
      'garbage', 'rubbish', 'refuse', 'electricity', 'power', 'water', 'gas', 'heating', 'meter',
      'meters', 'utility', 'utilities', 'customer', 'customers', 'consumer', 'consumers', 'item',
      'items', 'furniture', 'electrical', 'electronics', 'textiles', 'cleaning', 'tariff',
    ]),
  },
  {
    note: '"cell" in technology and biology, not a grid cell.',
    terms: [
      'cell phone', 'cell phones', 'fuel cell', 'fuel cells', 'solar cell', 'solar cells',
      'battery cell', 'battery cells', 'stem cell', 'stem cells', 'cell culture', 'prison cell',
      'Brennstoffzelle', 'Solarzelle', 'Batteriezelle',
    ],
  },
  {
    note: 'Goods and businesses, not what a person buys or plays.',
    terms: [
      ...cross(['diaper', 'diapers', 'nappy', 'nappies'], ['recall', 'safety', 'manufacturer', 'manufacturers', 'producer', 'producers', 'quality', 'standard', 'standards', 'factory']),
      'online game company', 'online game companies', 'online game operator', 'online game operators',
      'video game company', 'video game publisher', 'game company',
    ],
  },
  {
    note: 'Legal and commercial "petition", "protest", "demonstration", "relative", "lawyer", "attorney".',
    terms: [
      'bankruptcy petition', 'petition for bankruptcy', 'winding up petition', 'petition for enforcement',
      'petition for review', 'divorce petition', 'protested bill', 'protest of a bill', 'bill protest',
      'protested cheque', 'protested check',
      ...cross(['demonstration'], [
        'city', 'cities', 'zone', 'zones', 'area', 'areas', 'project', 'projects', 'enterprise',
        'enterprises', 'unit', 'units', 'base', 'bases', 'site', 'sites', 'programme', 'program',
        'pilot', 'county', 'counties', 'village', 'villages', 'model', 'plant', 'school', 'farm',
        'centre', 'center', 'park',
      ]),
      'product demonstration', 'sales demonstration', 'relative to', 'relative humidity',
      'relative share', 'relative change', 'relative terms', 'relative value', 'power of attorney',
      'attorney general', 'lawyers law', 'law on lawyers', 'teachers law', 'physicians law',
      'licensed physicians law', 'medical practitioners law',
    ],
  },
  {
    note: 'Neutral uses of "strike", "disease", "rehabilitation", "posture", "Behinderung", "maternity".',
    terms: [
      'Treu und Glauben', 'in gutem Glauben', 'guten Glaubens', 'in bösem Glauben', 'bösen Glaubens',
      'öffentlicher Glaube', 'öffentlichen Glauben', 'verwandte Schutzrechte', 'verwandten Schutzrechte',
      'verwandte Rechte', 'verwandten Rechte', 'economic depression', 'great depression',
      'soil fertility', 'land fertility', 'spiritual civilisation', 'spiritual civilization',
      'anti addiction', 'anti addiction system', 'fault diagnosis', 'diagnosis and treatment',
      'strike out', 'strike price', 'bird strike', 'air strike', 'market surveillance',
      'after drinking alcohol', 'drinking and driving', 'drink driving', 'drinking alcohol before driving',
      'drove after drinking alcohol', 'driving after drinking alcohol',
      'market surveillance authority', 'epidemic surveillance', 'attorney fees', 'attorney fee',
      'lawyer fees', 'lawyers fees', 'legal fees',
      'strike off', 'strike off the register', 'lightning strike', 'disease control',
      'disease prevention', 'animal disease', 'animal diseases', 'plant disease', 'plant diseases',
      'credit rehabilitation', 'rehabilitation of credit', 'ecological rehabilitation',
      'environmental rehabilitation', 'land rehabilitation', 'site rehabilitation',
      'mine rehabilitation', 'rehabilitation of the site', 'rehabilitation of land',
      'ningxia hui', 'xinjiang uyghur', 'xinjiang uygur', 'xinjiang uighur',
      ...cross(['hui', 'uyghur', 'uighur', 'uygur', 'tibetan', 'kazakh', 'mongolian'], ['autonomous region', 'autonomous prefecture', 'autonomous county']),
      'risk posture', 'security posture', 'maternity insurance', 'Behinderung des Verkehrs',
      'Behinderung der Vollstreckung', 'Behinderung der Ermittlungen', 'Behinderung der Justiz',
    ],
  },
  {
    note: 'Chinese neutral compounds: law firms and statutes, 示范 (pilot), nation, aquarium, account-holders, consumer rights, satellite positioning.',
    terms: [
      '律师事务所', '律所', '律师法', '律师协会', '律师费', '老师傅', '行政治理', '行政治安', '教会计',
      '教会了', '网络游戏企业', '网络游戏运营', '网络游戏出版', '纸尿裤质量', '尿布质量', '纸尿裤生产',
      '纸尿裤召回', '教师法', '执业医师法', '医师法', '中华民族',
      '民族品牌', '民族企业', '民族工业', '民族复兴', '水族馆', '水族箱', '水族器材', '消费者维权',
      '消费维权', '卫星定位', '北斗定位', '全球定位系统', '市场定位', '功能定位', '精准定位', '生育保险', '疾病预防控制',
      '传染病防治法', '动物疫病', '夫妻店', '一户一表', '疾控', '健康码管理条例',
      ...cross(HU_NEUTRAL, ['积分', '评分', '得分', '等级', '信用', '分数', '成员', '主'], ''),
    ],
  },
];

/**
 * Shields that are patterns rather than words: the names of autonomous areas, which name
 * peoples but are places (宁夏回族自治区 "Ningxia Hui Autonomous Region" as the seat of a
 * source, 海西蒙古族藏族自治州). Matched on the normalised (simplified) text.
 */
export const SCREEN_SHIELD_PATTERNS: ReadonlyArray<{ readonly note: string; readonly pattern: RegExp }> = [
  {
    note: 'Autonomous regions, prefectures, counties, banners and ethnic townships.',
    pattern: new RegExp(
      `(?:${[...PEOPLES_ZH, '蒙古', '民族'].sort((x, y) => y.length - x.length).join('|')})+(?:自治区|自治州|自治县|自治旗|乡)`,
      'gu',
    ),
  },
];
