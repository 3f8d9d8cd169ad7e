package dev.ironcore.boot.ignition.butane;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * YAML merge keys ({@code <<: *base}) as Go yaml.v3 applies them: the mapping's own keys win, then
 * each merged mapping in order adds the keys not yet set. Butane also reports {@code <<} as unused.
 */
final class MergeKeys {

  private static final String MERGE = "<<";

  private MergeKeys() {}

  static List<YamlNode.Entry> effectiveEntries(YamlNode.Mapping mapping, Report report, String path,
      ExpansionBudget budget) {
    List<YamlNode.Entry> entries = new ArrayList<>();
    Set<String> seen = new HashSet<>();
    collect(mapping, entries, seen, new Context(report, path, budget), 0);
    return entries;
  }

  private record Context(Report report, String path, ExpansionBudget budget) {}

  private static void collect(YamlNode.Mapping mapping, List<YamlNode.Entry> entries, Set<String> seen,
      Context context, int depth) {
    context.budget().spend(mapping.position());
    if (depth > YamlReader.MAX_DEPTH) {
      throw new ButaneException("Error unmarshaling yaml: merge keys nested too deeply, " + mapping.position());
    }
    List<YamlNode> merged = new ArrayList<>();
    for (YamlNode.Entry entry : mapping.entries()) {
      if (isMergeKey(entry.key())) {
        context.report().warn(context.path() + "." + MERGE, entry.key().position(), "Unused key " + MERGE);
        merged.addAll(mergeSources(entry.value()));
      } else if (seen.add(entry.key().value())) {
        entries.add(entry);
      }
    }
    for (YamlNode source : merged) {
      collect((YamlNode.Mapping) source, entries, seen, context, depth + 1);
    }
  }

  private static List<YamlNode> mergeSources(YamlNode value) {
    List<YamlNode> sources = value instanceof YamlNode.Sequence sequence ? sequence.items() : List.of(value);
    for (YamlNode source : sources) {
      if (!(source instanceof YamlNode.Mapping)) {
        throw new ButaneException("Error unmarshaling yaml: map merge requires map or sequence of maps as the value, "
            + source.position());
      }
    }
    return sources;
  }

  private static boolean isMergeKey(YamlNode.Scalar key) {
    return key.plain() && MERGE.equals(key.value())
        && (key.tag() == null || key.tag().equals("tag:yaml.org,2002:merge"));
  }
}
