// Texts picked from language maps for pages, titles and mails: the page's language first, regional
// tags ("nl-BE", "FR") counting as their language, machine translations ("nl-t-fr") not.
import { describe, expect, it } from 'vitest';
import { pickText } from '../src/dcat/schema-org.js';
import { langAttr, text, texts, translationNote } from '../src/web/values.js';

describe('texts of a language map', () => {
  it('takes a regional tag as its language, in any case, before another language', () => {
    const title = { 'nl-BE': 'Gemeentegrenzen', FR: 'Limites communales', de: 'Gemeindegrenzen' };
    expect(pickText(title)).toBe('Gemeentegrenzen');
    expect(text(title, 'nl')).toBe('Gemeentegrenzen');
    expect(text({ FR: 'Limites communales', de: 'Gemeindegrenzen' }, 'nl')).toBe('Limites communales');
    expect(text({ 'en-GB': 'Municipal boundaries', nl: 'Gemeentegrenzen' }, 'en')).toBe('Municipal boundaries');
    expect(texts({ 'nl-BE': ['water', 'bodem'], en: ['soil'] }, 'nl')).toEqual(['water', 'bodem']);
  });

  it('does not take a machine translation for the language it was translated into', () => {
    expect(pickText({ 'nl-t-fr': 'Machinevertaling', fr: 'Texte original' })).toBe('Texte original');
    expect(pickText({ nl: 'Exact', 'nl-BE': 'Regionaal' })).toBe('Exact');
  });
});

describe('machine translations on pages', () => {
  // As data.gov.be publishes a Brussels dataset written in French, with translations it made.
  const title = { fr: 'Maisons de repos', 'nl-t-fr': 'Rusthuizen', 'en-t-fr': 'Nursing homes' };

  it('reads a text translated into the page\'s language when none was written in it, and says so', () => {
    expect(text(title, 'nl')).toBe('Rusthuizen');
    expect(text(title, 'en')).toBe('Nursing homes');
    expect(String(translationNote(title, 'nl'))).toBe('<p class="translated">automatisch vertaald uit het Frans door de bron</p>');
    expect(String(translationNote(title, 'en'))).toBe('<p class="translated">machine-translated from French by the source</p>');
    // Marked as what it is: Dutch transformed from French.
    expect(String(langAttr(title, 'nl'))).toBe(' lang="nl-t-fr"');
  });

  it('prefers text written in the page\'s language, and says nothing of a translation it does not show', () => {
    const both = { ...title, 'nl-BE': 'Woonzorgcentra' };
    expect(text(both, 'nl')).toBe('Woonzorgcentra');
    expect(translationNote(both, 'nl')).toBe('');
    // No translation into English: the page falls back to another language as before, unmarked as translated.
    expect(text({ fr: 'Maisons de repos', 'nl-t-fr': 'Rusthuizen' }, 'en')).toBe('Maisons de repos');
    expect(translationNote({ fr: 'Maisons de repos', 'nl-t-fr': 'Rusthuizen' }, 'en')).toBe('');
    // An empty translation is no text.
    expect(text({ fr: 'Maisons de repos', 'nl-t-fr': ' ' }, 'nl')).toBe('Maisons de repos');
  });
});

describe('dates on pages', () => {
  it('shows a year as a year and a month as a month, not as their first day', async () => {
    const { formatDate } = await import('../src/web/i18n.js');
    expect(formatDate('2024', 'nl')).toBe('2024');
    expect(formatDate('2024Z', 'en')).toBe('2024');
    expect(formatDate('2024-03', 'nl')).toBe('maart 2024');
    expect(formatDate('2024-03', 'en')).toBe('March 2024');
    expect(formatDate('2024-03-05', 'nl')).toBe('5 maart 2024');
    expect(formatDate('geen datum', 'nl')).toBe('geen datum');
  });
});

describe('schema.org markup of a dataset', () => {
  it('names its languages by BCP 47 tags and takes its texts in the asked language first', async () => {
    const { schemaOrg } = await import('../src/dcat/schema-org.js');
    const record = {
      iri: 'https://data.example.be/id/dataset/1',
      title: { nl: 'Werkloosheid', en: 'Unemployment' },
      language: ['http://publications.europa.eu/resource/authority/language/NLD', 'http://publications.europa.eu/resource/authority/language/ENG', 'http://example.org/lang/xx'],
    };
    expect(schemaOrg(record, 'Dataset', 'https://vindbaar.test/d/1')).toMatchObject({ name: 'Werkloosheid', inLanguage: ['nl', 'en', 'http://example.org/lang/xx'] });
    expect(schemaOrg(record, 'Dataset', 'https://vindbaar.test/d/1', ['en', 'nl'])).toMatchObject({ name: 'Unemployment' });
  });
});
