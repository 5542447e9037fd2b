// The language analysis that Elasticsearch's analysis-common module gives a full distribution, for the
// integ-test-zip distribution the tests run, which ships without that module (and no other source of it is
// published). Built from Lucene's own analyzers and filters in the distribution's lib/, with the names and
// settings of analysis-common (core Elasticsearch already has the stop filter), so that index settings written for a full distribution work here unchanged:
//   analyzers dutch, english, french, german (setting: stopwords, a list or _none_);
//   token filters asciifolding, elision, lowercase, stemmer (language: dutch, english, porter2, french, german, light_french, light_german, possessive_english).
// test/support/elasticsearch-server.ts compiles it with javac against that lib/ and installs it as a plugin.
package org.vindbaar.analysis;

import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;
import org.apache.lucene.analysis.Analyzer;
import org.apache.lucene.analysis.CharArraySet;
import org.apache.lucene.analysis.LowerCaseFilter;
import org.apache.lucene.analysis.util.ElisionFilter;
import org.apache.lucene.analysis.TokenStream;
import org.apache.lucene.analysis.de.GermanAnalyzer;
import org.apache.lucene.analysis.de.GermanLightStemFilter;
import org.apache.lucene.analysis.en.EnglishAnalyzer;
import org.apache.lucene.analysis.en.EnglishPossessiveFilter;
import org.apache.lucene.analysis.en.PorterStemFilter;
import org.apache.lucene.analysis.fr.FrenchAnalyzer;
import org.apache.lucene.analysis.fr.FrenchLightStemFilter;
import org.apache.lucene.analysis.miscellaneous.ASCIIFoldingFilter;
import org.apache.lucene.analysis.nl.DutchAnalyzer;
import org.apache.lucene.analysis.snowball.SnowballFilter;
import org.elasticsearch.common.settings.Settings;
import org.elasticsearch.index.analysis.AbstractIndexAnalyzerProvider;
import org.elasticsearch.index.analysis.AbstractTokenFilterFactory;
import org.elasticsearch.index.analysis.AnalyzerProvider;
import org.elasticsearch.index.analysis.TokenFilterFactory;
import org.elasticsearch.indices.analysis.AnalysisModule.AnalysisProvider;
import org.elasticsearch.plugins.AnalysisPlugin;
import org.elasticsearch.plugins.Plugin;

public class VindbaarAnalysisPlugin extends Plugin implements AnalysisPlugin {
  private static final Map<String, CharArraySet> STOP_SETS = Map.of(
      "_dutch_", DutchAnalyzer.getDefaultStopSet(),
      "_english_", EnglishAnalyzer.getDefaultStopSet(),
      "_french_", FrenchAnalyzer.getDefaultStopSet(),
      "_german_", GermanAnalyzer.getDefaultStopSet(),
      "_none_", CharArraySet.EMPTY_SET);

  /** The stop words a setting names: a predefined set, or a list of words; the default when absent. */
  static CharArraySet stopWords(Settings settings, CharArraySet fallback) {
    List<String> list = settings.getAsList("stopwords", null);
    if (list == null) return fallback;
    if (list.size() == 1 && STOP_SETS.containsKey(list.get(0))) return STOP_SETS.get(list.get(0));
    return CharArraySet.unmodifiableSet(new CharArraySet(list, settings.getAsBoolean("ignore_case", false)));
  }

  static <A extends Analyzer> AnalysisProvider<AnalyzerProvider<? extends Analyzer>> analyzer(
      CharArraySet defaults, Function<CharArraySet, A> make) {
    return (indexSettings, env, name, settings) -> {
      A built = make.apply(stopWords(settings, defaults));
      return new AbstractIndexAnalyzerProvider<A>(name, settings) {
        @Override
        public A get() {
          return built;
        }
      };
    };
  }

  static AnalysisProvider<TokenFilterFactory> filter(Function<Settings, Function<TokenStream, TokenStream>> make) {
    return (indexSettings, env, name, settings) -> {
      Function<TokenStream, TokenStream> wrap = make.apply(settings);
      return new AbstractTokenFilterFactory(name, settings) {
        @Override
        public TokenStream create(TokenStream in) {
          return wrap.apply(in);
        }
      };
    };
  }

  static Function<TokenStream, TokenStream> stemmer(Settings settings) {
    String language = settings.get("language", settings.get("name", "english")).toLowerCase(Locale.ROOT);
    switch (language) {
      case "dutch": return in -> new SnowballFilter(in, "Dutch");
      case "english": case "porter": return PorterStemFilter::new;
      case "porter2": return in -> new SnowballFilter(in, "English");
      case "possessive_english": return EnglishPossessiveFilter::new;
      case "french": return in -> new SnowballFilter(in, "French");
      case "light_french": return FrenchLightStemFilter::new;
      case "german": return in -> new SnowballFilter(in, "German");
      case "light_german": return GermanLightStemFilter::new;
      default: throw new IllegalArgumentException("stemmer language [" + language + "] is not supported by vindbaar-analysis");
    }
  }

  @Override
  public Map<String, AnalysisProvider<AnalyzerProvider<? extends Analyzer>>> getAnalyzers() {
    return Map.of(
        "dutch", analyzer(DutchAnalyzer.getDefaultStopSet(), DutchAnalyzer::new),
        "english", analyzer(EnglishAnalyzer.getDefaultStopSet(), EnglishAnalyzer::new),
        "french", analyzer(FrenchAnalyzer.getDefaultStopSet(), FrenchAnalyzer::new),
        "german", analyzer(GermanAnalyzer.getDefaultStopSet(), GermanAnalyzer::new));
  }

  @Override
  public Map<String, AnalysisProvider<TokenFilterFactory>> getTokenFilters() {
    return Map.of(
        "asciifolding", filter(s -> {
          boolean keep = s.getAsBoolean("preserve_original", false);
          return in -> new ASCIIFoldingFilter(in, keep);
        }),
        "lowercase", filter(s -> LowerCaseFilter::new),
        "elision", filter(s -> {
          CharArraySet articles = s.getAsList("articles", null) == null
              ? FrenchAnalyzer.DEFAULT_ARTICLES
              : CharArraySet.unmodifiableSet(new CharArraySet(s.getAsList("articles"), s.getAsBoolean("articles_case", false)));
          return in -> new ElisionFilter(in, articles);
        }),
        "stemmer", filter(VindbaarAnalysisPlugin::stemmer));
  }
}
