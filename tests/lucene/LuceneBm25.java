// The reference side of tests/js/search_lucene_diff.test.mjs: the real
// Lucene 8 (Debian's liblucene8-java) indexes and searches what the test
// writes, the way Elasticsearch 7 drives it (StandardAnalyzer, BM25Similarity,
// text fields as TextField, keyword as StringField, integer as IntPoint, a
// match query through Lucene's QueryBuilder, a pure negative bool with a
// match_all FILTER, an empty bool as match_all), and prints hits with their
// scores as float bits.
//
// Input (stdin), one command per line, fields tab-separated and
// percent-encoded:
//   D id title body tag price     index (updateDocument: replaces the id)
//   X id                          delete
//   R                             refresh: open a near-real-time reader
//   F n                           force merge to n segments, then refresh
//   Q qid from size explain query query in prefix form (see parse)
//   A text                        analyze with StandardAnalyzer
// Output: R qid total / H qid rank id scoreBits / E qid rank idfBits tfBits scoreBits
//   / T token... (for A)
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import org.apache.lucene.analysis.Analyzer;
import org.apache.lucene.analysis.TokenStream;
import org.apache.lucene.analysis.standard.StandardAnalyzer;
import org.apache.lucene.analysis.tokenattributes.CharTermAttribute;
import org.apache.lucene.document.Document;
import org.apache.lucene.document.Field;
import org.apache.lucene.document.IntPoint;
import org.apache.lucene.document.StringField;
import org.apache.lucene.document.TextField;
import org.apache.lucene.index.DirectoryReader;
import org.apache.lucene.index.IndexWriter;
import org.apache.lucene.index.IndexWriterConfig;
import org.apache.lucene.index.LogDocMergePolicy;
import org.apache.lucene.index.Term;
import org.apache.lucene.search.BooleanClause;
import org.apache.lucene.search.BooleanQuery;
import org.apache.lucene.search.Explanation;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.search.MatchAllDocsQuery;
import org.apache.lucene.search.MatchNoDocsQuery;
import org.apache.lucene.search.Query;
import org.apache.lucene.search.ScoreDoc;
import org.apache.lucene.search.TermQuery;
import org.apache.lucene.search.TopDocs;
import org.apache.lucene.search.TopScoreDocCollector;
import org.apache.lucene.search.similarities.BM25Similarity;
import org.apache.lucene.store.ByteBuffersDirectory;
import org.apache.lucene.util.QueryBuilder;

public final class LuceneBm25 {
  private static final Analyzer ANALYZER = new StandardAnalyzer();
  private static String[] tokens;
  private static int at;

  private static String dec(String s) {
    return URLDecoder.decode(s, StandardCharsets.UTF_8);
  }

  private static boolean isText(String f) { return f.equals("title") || f.equals("body"); }
  private static boolean isKeyword(String f) { return f.equals("tag"); }
  private static boolean isInteger(String f) { return f.equals("price"); }

  // match F and|or TEXT | phrase F SLOP TEXT | term F V | range F LO HI | all | none
  // | bool nMust nShould nFilter nMustNot <children in that order>
  private static Query parse() {
    String kind = tokens[at++];
    switch (kind) {
      case "all": return new MatchAllDocsQuery();
      case "none": return new MatchNoDocsQuery();
      case "match": {
        String f = dec(tokens[at++]);
        boolean and = tokens[at++].equals("and");
        String text = dec(tokens[at++]);
        if (isInteger(f)) return IntPoint.newExactQuery(f, Integer.parseInt(text));
        if (isKeyword(f)) return new TermQuery(new Term(f, text));
        if (!isText(f)) return new MatchNoDocsQuery();
        Query q = new QueryBuilder(ANALYZER).createBooleanQuery(f, text,
            and ? BooleanClause.Occur.MUST : BooleanClause.Occur.SHOULD);
        return q == null ? new MatchNoDocsQuery() : q;
      }
      case "phrase": {  // ES's match_phrase: QueryBuilder.createPhraseQuery
        String f = dec(tokens[at++]);
        int slop = Integer.parseInt(tokens[at++]);
        String text = dec(tokens[at++]);
        if (isInteger(f)) return IntPoint.newExactQuery(f, Integer.parseInt(text));
        if (isKeyword(f)) return new TermQuery(new Term(f, text));
        if (!isText(f)) return new MatchNoDocsQuery();
        Query q = new QueryBuilder(ANALYZER).createPhraseQuery(f, text, slop);
        return q == null ? new MatchNoDocsQuery() : q;
      }
      case "term": {
        String f = dec(tokens[at++]);
        String v = dec(tokens[at++]);
        if (isInteger(f)) return IntPoint.newExactQuery(f, Integer.parseInt(v));
        if (!isText(f) && !isKeyword(f)) return new MatchNoDocsQuery();
        return new TermQuery(new Term(f, v));
      }
      case "range": {
        String f = dec(tokens[at++]);
        int lo = Integer.parseInt(tokens[at++]);
        int hi = Integer.parseInt(tokens[at++]);
        return IntPoint.newRangeQuery(f, lo, hi);
      }
      case "bool": {
        int[] n = new int[4];
        for (int i = 0; i < 4; i++) n[i] = Integer.parseInt(tokens[at++]);
        BooleanClause.Occur[] occurs = {BooleanClause.Occur.MUST, BooleanClause.Occur.SHOULD,
            BooleanClause.Occur.FILTER, BooleanClause.Occur.MUST_NOT};
        BooleanQuery.Builder b = new BooleanQuery.Builder();
        int clauses = 0;
        for (int k = 0; k < 4; k++) {
          for (int i = 0; i < n[k]; i++) {
            b.add(parse(), occurs[k]);
            clauses++;
          }
        }
        if (clauses == 0) return new MatchAllDocsQuery();  // ES: an empty bool
        if (clauses == n[3]) b.add(new MatchAllDocsQuery(), BooleanClause.Occur.FILTER);  // fixNegativeQueryIfNeeded
        return b.build();
      }
      default: throw new IllegalArgumentException("unknown query kind " + kind);
    }
  }

  // The scoring term leaves: [idf, tf, score]; FILTER clauses are explained
  // too ("match on required clause") but do not score, so they are skipped.
  private static void leaves(Explanation e, List<float[]> out) {
    if (e.getDescription().startsWith("match on required clause")) return;
    if (e.getDescription().startsWith("score(freq=")) {
      float idf = Float.NaN, tf = Float.NaN;
      for (Explanation d : e.getDetails()) {
        if (d.getDescription().startsWith("idf,")) idf = d.getValue().floatValue();
        if (d.getDescription().startsWith("tf,")) tf = d.getValue().floatValue();
      }
      out.add(new float[] {idf, tf, e.getValue().floatValue()});
      return;
    }
    for (Explanation d : e.getDetails()) leaves(d, out);
  }

  public static void main(String[] args) throws Exception {
    IndexWriterConfig config = new IndexWriterConfig(ANALYZER);
    config.setSimilarity(new BM25Similarity());
    LogDocMergePolicy policy = new LogDocMergePolicy();  // merges neighbours only: doc order stays
    policy.setMergeFactor(1000);  // no merges but the forced ones
    config.setMergePolicy(policy);
    config.setRAMBufferSizeMB(512);
    config.setMaxBufferedDocs(IndexWriterConfig.DISABLE_AUTO_FLUSH);
    IndexWriter writer = new IndexWriter(new ByteBuffersDirectory(), config);
    DirectoryReader reader = DirectoryReader.open(writer);
    BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
    PrintWriter out = new PrintWriter(System.out);
    String line;
    while ((line = in.readLine()) != null) {
      if (line.isEmpty()) continue;
      String[] f = line.split("\t", -1);
      switch (f[0]) {
        case "D": {
          Document doc = new Document();
          String id = dec(f[1]);
          doc.add(new StringField("_id", id, Field.Store.YES));
          if (!f[2].isEmpty()) doc.add(new TextField("title", dec(f[2]), Field.Store.NO));
          if (!f[3].isEmpty()) doc.add(new TextField("body", dec(f[3]), Field.Store.NO));
          if (!f[4].isEmpty()) doc.add(new StringField("tag", dec(f[4]), Field.Store.NO));
          if (!f[5].isEmpty()) doc.add(new IntPoint("price", Integer.parseInt(f[5])));
          writer.updateDocument(new Term("_id", id), doc);
          break;
        }
        case "X": writer.deleteDocuments(new Term("_id", dec(f[1]))); break;
        case "F":
          writer.forceMerge(Integer.parseInt(f[1]));
          // fall through: a refresh
        case "R": {
          DirectoryReader next = DirectoryReader.openIfChanged(reader, writer);
          if (next != null) {
            reader.close();
            reader = next;
          }
          break;
        }
        case "A": {
          StringBuilder sb = new StringBuilder("T");
          try (TokenStream ts = ANALYZER.tokenStream("body", dec(f[1]))) {
            CharTermAttribute term = ts.addAttribute(CharTermAttribute.class);
            ts.reset();
            while (ts.incrementToken()) sb.append('\t').append(java.net.URLEncoder.encode(term.toString(), StandardCharsets.UTF_8));
            ts.end();
          }
          out.println(sb);
          break;
        }
        case "Q": {
          String qid = f[1];
          int from = Integer.parseInt(f[2]);
          int size = Integer.parseInt(f[3]);
          boolean explain = f[4].equals("1");
          tokens = f[5].split(" ");
          at = 0;
          Query q = parse();
          IndexSearcher searcher = new IndexSearcher(reader);
          searcher.setSimilarity(new BM25Similarity());
          TopScoreDocCollector collector = TopScoreDocCollector.create(Math.max(1, from + size), Integer.MAX_VALUE);
          searcher.search(q, collector);
          TopDocs top = collector.topDocs(from, size);
          out.println("R\t" + qid + "\t" + collector.getTotalHits());
          ScoreDoc[] hits = top.scoreDocs;
          for (int i = 0; i < hits.length; i++) {
            String id = searcher.doc(hits[i].doc).get("_id");
            out.println("H\t" + qid + "\t" + i + "\t" + id + "\t" + Float.floatToIntBits(hits[i].score));
            if (explain) {
              List<float[]> ls = new ArrayList<>();
              leaves(searcher.explain(q, hits[i].doc), ls);
              for (float[] l : ls) {
                out.println("E\t" + qid + "\t" + i + "\t" + Float.floatToIntBits(l[0]) + "\t"
                    + Float.floatToIntBits(l[1]) + "\t" + Float.floatToIntBits(l[2]));
              }
            }
          }
          break;
        }
        default: throw new IllegalArgumentException("bad line: " + line);
      }
    }
    out.flush();
    reader.close();
    writer.close();
  }
}
