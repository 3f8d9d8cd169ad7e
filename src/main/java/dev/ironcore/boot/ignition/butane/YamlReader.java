package dev.ironcore.boot.ignition.butane;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.snakeyaml.engine.v2.api.LoadSettings;
import org.snakeyaml.engine.v2.common.Anchor;
import org.snakeyaml.engine.v2.common.ScalarStyle;
import org.snakeyaml.engine.v2.events.AliasEvent;
import org.snakeyaml.engine.v2.events.Event;
import org.snakeyaml.engine.v2.events.NodeEvent;
import org.snakeyaml.engine.v2.events.ScalarEvent;
import org.snakeyaml.engine.v2.exceptions.Mark;
import org.snakeyaml.engine.v2.exceptions.MarkedYamlEngineException;
import org.snakeyaml.engine.v2.exceptions.YamlEngineException;
import org.snakeyaml.engine.v2.parser.ParserImpl;
import org.snakeyaml.engine.v2.scanner.StreamReader;

/**
 * Composes the first document of a YAML stream into {@link YamlNode}s, with the limits a server needs:
 * bounded nesting, and duplicate keys rejected as Go yaml.v3 does. Alias expansion is bounded later,
 * where aliases are actually expanded ({@link ExpansionBudget}).
 */
final class YamlReader {

  static final int MAX_DEPTH = 256;
  private static final String PREFIX = "Error unmarshaling yaml: ";
  /** Problems that go on with the input they found, by prefix, and what they say without it. */
  private static final Map<String, String> INPUT_FOLLOWS = Map.of(
      "found unknown escape character", "found unknown escape character",
      "found undefined tag handle", "found undefined tag handle",
      "found a number which cannot represent a valid version", "found an invalid YAML version",
      "expected URI in UTF-8", "expected URI in UTF-8",
      "found character", "found a character that cannot start any token");
  private static final Set<String> FIXED_PROBLEMS = Set.of("could not find expected ':'",
      "found unexpected document separator", "found unexpected end of stream", "mapping keys are not allowed here",
      "mapping values are not allowed here", "sequence entries are not allowed here",
      "found duplicate YAML directive", "special characters are not allowed",
      "A simple key is required only if it is the first token in the current line");

  /** Returns the root node of the first document, or empty for an empty stream. */
  Optional<YamlNode> read(byte[] yaml) {
    try {
      String text = decodeUtf8(yaml);
      // The reader's window holds the whole input: with the default 1024 characters it copies the window
      // for every further 1024 of a long token (scalar, comment, run of blanks), quadratic in the token
      LoadSettings settings = LoadSettings.builder().setUseMarks(true).setBufferSize(text.length() + 1).build();
      ParserImpl parser = new ParserImpl(settings, new StreamReader(settings, text));
      return new Composition(parser).firstDocument();
    } catch (MarkedYamlEngineException e) {
      // getProblem() without the snippet of input that getMessage() appends
      String location = locationOf(e.getProblemMark());
      throw new ButaneException(PREFIX + e.getProblem() + location, PREFIX + kindOf(e.getProblem()) + location);
    } catch (YamlEngineException e) {
      throw new ButaneException(PREFIX + e.getMessage(), PREFIX + "the input is not valid YAML");
    }
  }

  /**
   * The kind of a snakeyaml problem without the input it quotes: these messages end in the offending
   * characters ("expected ..., but found X", "found unknown escape character X"), and any other message
   * is shown only if it is one of the library's fixed texts.
   */
  static String kindOf(String problem) {
    int foundAt = problem.indexOf(", but found");
    if (foundAt >= 0) {
      return problem.substring(0, foundAt);
    }
    for (Map.Entry<String, String> kind : INPUT_FOLLOWS.entrySet()) {
      if (problem.startsWith(kind.getKey())) {
        return kind.getValue();
      }
    }
    return FIXED_PROBLEMS.contains(problem) ? problem : "invalid YAML syntax";
  }

  private static String decodeUtf8(byte[] yaml) {
    try {
      return StandardCharsets.UTF_8.newDecoder()
          .onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT)
          .decode(ByteBuffer.wrap(yaml))
          .toString();
    } catch (CharacterCodingException e) {
      throw new ButaneException(PREFIX + "invalid UTF-8 in input");
    }
  }

  private static String locationOf(Optional<Mark> mark) {
    return mark.map(m -> ", " + position(m)).orElse("");
  }

  static Position position(Mark mark) {
    return new Position(mark.getLine() + 1, mark.getColumn() + 1);
  }

  /** One pass over the parser's events; recursion depth is bounded by {@link #MAX_DEPTH}. */
  private static final class Composition {
    private final ParserImpl parser;
    private final Map<String, YamlNode> anchors = new HashMap<>();

    Composition(ParserImpl parser) {
      this.parser = parser;
    }

    Optional<YamlNode> firstDocument() {
      parser.next(); // stream start
      if (parser.checkEvent(Event.ID.StreamEnd)) {
        return Optional.empty();
      }
      parser.next(); // document start
      return Optional.of(node(parser.next(), 1));
    }

    private YamlNode node(Event event, int depth) {
      Position position = event.getStartMark().map(YamlReader::position).orElse(null);
      if (Thread.currentThread().isInterrupted()) {
        throw new ButaneException("translation interrupted");
      }
      if (depth > MAX_DEPTH) {
        throw new ButaneException(PREFIX + "exceeded max depth of " + MAX_DEPTH + ", " + position);
      }
      YamlNode node = switch (event.getEventId()) {
        case Alias -> alias((AliasEvent) event, position);
        case Scalar -> scalar((ScalarEvent) event, position);
        case SequenceStart -> new YamlNode.Sequence(items(depth), position);
        case MappingStart -> new YamlNode.Mapping(entries(depth, position), position);
        default -> throw new ButaneException(PREFIX + "unexpected " + event.getEventId() + ", " + position);
      };
      if (event instanceof NodeEvent nodeEvent && !(event instanceof AliasEvent)) {
        nodeEvent.getAnchor().map(Anchor::getValue).ifPresent(name -> anchors.put(name, node));
      }
      return node;
    }

    private YamlNode alias(AliasEvent event, Position position) {
      YamlNode target = anchors.get(event.getAlias().getValue());
      if (target == null) {
        throw new ButaneException(PREFIX + "unknown anchor '" + ButaneException.quoted(event.getAlias().getValue())
            + "' referenced, " + position, PREFIX + "unknown anchor referenced, " + position);
      }
      return target;
    }

    private static YamlNode.Scalar scalar(ScalarEvent event, Position position) {
      boolean plain = event.getScalarStyle() == ScalarStyle.PLAIN;
      return new YamlNode.Scalar(event.getValue(), plain, event.getTag().orElse(null), position);
    }

    private List<YamlNode> items(int depth) {
      List<YamlNode> items = new ArrayList<>();
      while (!parser.checkEvent(Event.ID.SequenceEnd)) {
        items.add(node(parser.next(), depth + 1));
      }
      parser.next();
      return items;
    }

    private List<YamlNode.Entry> entries(int depth, Position mappingPosition) {
      List<YamlNode.Entry> entries = new ArrayList<>();
      Map<String, Position> seenKeys = new HashMap<>();
      while (!parser.checkEvent(Event.ID.MappingEnd)) {
        YamlNode key = node(parser.next(), depth + 1);
        if (!(key instanceof YamlNode.Scalar scalarKey)) {
          throw new ButaneException(PREFIX + "invalid map key, " + key.position());
        }
        Position earlier = seenKeys.putIfAbsent(scalarKey.value(), scalarKey.position());
        if (earlier != null) {
          String where = PREFIX + scalarKey.position() + ": mapping key";
          String already = " already defined at line " + earlier.line();
          throw new ButaneException(where + " \"" + ButaneException.quoted(scalarKey.value()) + "\"" + already,
              where + already);
        }
        entries.add(new YamlNode.Entry(scalarKey, node(parser.next(), depth + 1)));
      }
      parser.next();
      return entries;
    }
  }
}
