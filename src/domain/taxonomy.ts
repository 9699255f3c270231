// The closed taxonomy of domains and contexts: where data is collected and where a measure
// acts. Cross-context (charter, EU AI Act Art. 5(1)(c)) compares the contexts this table
// gives two domains. The catalogue validator, the legal-basis registry and the schemes read it.

/** Trigger domain of grade-triggered measures and grade-derived lists. */
export const GENERAL_CREDIT_DOMAIN = 'general-credit';

/**
 * The closed taxonomy of domains, by context. Every record type and every measure declares
 * one of these domains, and so does every list that triggers a measure; nothing else is a
 * domain. A context is the area of life in which data is collected or a measure acts; the
 * domains under it are reviewed entries of this table, not prefixes of a free label: a
 * measure with the domain `courts.rail-tickets` is refused (CATALOGUE_UNKNOWN_DOMAIN), it
 * does not pass as a court matter. Cross-context (charter, EU AI Act Art. 5(1)(c)) compares
 * the contexts that this table gives the trigger's domain and the measure's domain.
 * `general-credit` is the context of grades and grade-derived lists: a grade aggregates
 * records from every context, so a measure it triggers is cross-context wherever it acts.
 * Adding a domain is a change to this table, reviewed like code.
 */
export const DOMAIN_TAXONOMY: Readonly<Record<string, readonly string[]>> = {
  [GENERAL_CREDIT_DOMAIN]: [GENERAL_CREDIT_DOMAIN],
  administration: ['administration', 'administration.licensing', 'administration.permits', 'administration.services', 'administration.registration', 'administration.examinations', 'administration.research', 'administration.statistics', 'administration.professions', 'administration.marriage-registration'],
  border: ['border', 'border.exit'],
  civic: ['civic', 'civic.honours', 'civic.publicity', 'civic.volunteering', 'civic.community', 'civic.charity'],
  commerce: ['commerce', 'commerce.contracts', 'commerce.advertising', 'commerce.e-commerce', 'commerce.pricing', 'commerce.registration', 'commerce.food', 'commerce.real-estate', 'commerce.tourism', 'commerce.services', 'commerce.intellectual-property', 'commerce.quality', 'commerce.construction', 'commerce.foreign-trade'],
  consumption: ['consumption', 'consumption.hotels', 'consumption.leisure', 'consumption.travel', 'consumption.restaurants', 'consumption.vehicles', 'consumption.luxury'],
  courts: ['courts', 'courts.enforcement', 'courts.litigation', 'courts.criminal'],
  culture: ['culture', 'culture.library', 'culture.museums', 'culture.sports'],
  education: ['education', 'education.private-schools', 'education.higher', 'education.examinations'],
  employment: ['employment', 'employment.public', 'employment.soe', 'employment.private'],
  environment: ['environment', 'environment.emissions', 'environment.waste', 'environment.water', 'environment.resources'],
  finance: ['finance', 'finance.credit', 'finance.insurance', 'finance.banking', 'finance.securities', 'finance.payments', 'finance.foreign-exchange', 'finance.accounting'],
  labour: ['labour', 'labour.wages', 'labour.safety', 'labour.social-insurance', 'labour.medical-insurance', 'labour.human-resources'],
  procurement: ['procurement', 'procurement.tenders', 'procurement.public-resources'],
  'product-safety': ['product-safety', 'product-safety.food', 'product-safety.drugs', 'product-safety.medical-devices', 'product-safety.cosmetics', 'product-safety.consumer-goods', 'product-safety.special-equipment', 'product-safety.agriculture', 'product-safety.fire'],
  property: ['property', 'property.housing', 'property.land'],
  tax: ['tax', 'tax.customs', 'tax.invoices'],
  traffic: ['traffic', 'traffic.licensing', 'traffic.violations', 'traffic.parking'],
  transport: ['transport', 'transport.air', 'transport.rail', 'transport.road', 'transport.bike', 'transport.water', 'transport.taxi', 'transport.bus', 'transport.postal'],
  utilities: ['utilities', 'utilities.power', 'utilities.water', 'utilities.gas', 'utilities.heating', 'utilities.telecom', 'utilities.energy'],
};

/** Every domain of the closed taxonomy, with its context. */
export const DOMAINS: ReadonlyMap<string, string> = new Map(
  Object.entries(DOMAIN_TAXONOMY).flatMap(([context, domains]) => domains.map((d) => [d, context] as const)),
);

/**
 * Context of a domain: from the taxonomy for a domain it lists; for any other string, its
 * part before the first dot (only so that messages and the category-family check can name
 * something; such a domain is refused with CATALOGUE_UNKNOWN_DOMAIN).
 */
export function topDomain(domain: string): string {
  const context = DOMAINS.get(domain);
  if (context !== undefined) return context;
  const i = domain.indexOf('.');
  return i < 0 ? domain : domain.slice(0, i);
}

/**
 * Cross-context: the measure acts in another context than the one its trigger's data comes
 * from. Both contexts come from the closed taxonomy; a domain outside it is never "the same
 * context" (fail closed: it counts as cross-context).
 */
export function isCrossContext(measureDomain: string, triggerDomain: string): boolean {
  const m = DOMAINS.get(measureDomain);
  const t = DOMAINS.get(triggerDomain);
  return m === undefined || t === undefined || m !== t;
}

