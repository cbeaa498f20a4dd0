package org.fmnistbench.ci.replay;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.BooleanNode;
import com.fasterxml.jackson.databind.node.DoubleNode;
import com.fasterxml.jackson.databind.node.MissingNode;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * GitHub Actions' expression language ({@code ${{ ... }}}), as far as the workflows here use it:
 * literals, context lookups ({@code matrix.runner.name}, {@code needs.plan.outputs.runners},
 * {@code steps.x.outputs.y}), {@code ! == != < <= > >= && ||} with GitHub's loose equality
 * (strings compared case-insensitively, other types as numbers) and its value-returning
 * {@code &&}/{@code ||}, and the functions {@code fromJSON toJSON contains startsWith endsWith
 * format join hashFiles} plus the status checks. Anything else is an error naming the expression,
 * so a workflow that uses more fails its replay instead of being replayed wrongly.
 */
public final class Expressions {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Pattern INTERPOLATION = Pattern.compile("\\$\\{\\{(.*?)}}", Pattern.DOTALL);
  private static final Pattern STATUS = Pattern.compile("\\b(always|success|failure|cancelled)\\s*\\(");

  /** The job's state the status functions read, and {@code hashFiles}' answer. */
  public interface Runtime {
    /**
     * success, failure or cancelled: the job so far; for a job's if, what its needs add up to,
     * which may also be skipped (then neither success() nor failure() holds).
     */
    String status();

    String hashFiles(List<String> patterns);
  }

  private final ObjectNode contexts;
  private final Runtime runtime;

  public Expressions(ObjectNode contexts, Runtime runtime) {
    this.contexts = contexts;
    this.runtime = runtime;
  }

  /** A string with every {@code ${{ }}} replaced by its value's text. */
  public String interpolate(String text) {
    Matcher m = INTERPOLATION.matcher(text);
    StringBuilder out = new StringBuilder();
    while (m.find()) {
      m.appendReplacement(out, Matcher.quoteReplacement(text(evaluate(m.group(1)))));
    }
    m.appendTail(out);
    return out.toString();
  }

  /** A value: a lone {@code ${{ x }}} keeps x's type (so fromJSON yields an array), else text. */
  public JsonNode value(String text) {
    Matcher m = INTERPOLATION.matcher(text.trim());
    if (m.matches()) {
      return evaluate(m.group(1));
    }
    return TextNode.valueOf(interpolate(text));
  }

  /**
   * An {@code if:}: with or without {@code ${{ }}}; without a status function it means
   * {@code success() && (...)}, as on GitHub.
   */
  public boolean condition(String text) {
    if (text == null || text.isBlank()) {
      return "success".equals(runtime.status());
    }
    String expr = text.trim();
    Matcher m = INTERPOLATION.matcher(expr);
    if (m.matches()) {
      expr = m.group(1);
    }
    if (!STATUS.matcher(expr).find()) {
      expr = "success() && (" + expr + ")";
    }
    return truthy(evaluate(expr));
  }

  public JsonNode evaluate(String expression) {
    Parser p = new Parser(expression);
    JsonNode v = p.or();
    p.expectEnd();
    return v;
  }

  public static boolean truthy(JsonNode v) {
    if (v == null || v.isNull() || v.isMissingNode()) {
      return false;
    }
    if (v.isBoolean()) {
      return v.booleanValue();
    }
    if (v.isNumber()) {
      return v.doubleValue() != 0 && !Double.isNaN(v.doubleValue());
    }
    if (v.isTextual()) {
      return !v.textValue().isEmpty();
    }
    return true;
  }

  /** A value as GitHub writes it into text: objects and arrays as JSON, null as nothing. */
  public static String text(JsonNode v) {
    if (v == null || v.isNull() || v.isMissingNode()) {
      return "";
    }
    if (v.isTextual()) {
      return v.textValue();
    }
    if (v.isNumber()) {
      double d = v.doubleValue();
      return d == Math.rint(d) && Math.abs(d) < 1e15 ? Long.toString((long) d) : Double.toString(d);
    }
    if (v.isBoolean()) {
      return Boolean.toString(v.booleanValue());
    }
    return v.toString();
  }

  private static double number(JsonNode v) {
    if (v == null || v.isNull() || v.isMissingNode()) {
      return 0;
    }
    if (v.isBoolean()) {
      return v.booleanValue() ? 1 : 0;
    }
    if (v.isNumber()) {
      return v.doubleValue();
    }
    if (v.isTextual()) {
      String s = v.textValue().trim();
      if (s.isEmpty()) {
        return 0;
      }
      try {
        return Double.parseDouble(s);
      } catch (NumberFormatException e) {
        return Double.NaN;
      }
    }
    return Double.NaN;
  }

  private static boolean looselyEqual(JsonNode a, JsonNode b) {
    if (a.isTextual() && b.isTextual()) {
      return a.textValue().equalsIgnoreCase(b.textValue());
    }
    if ((a.isObject() || a.isArray()) || (b.isObject() || b.isArray())) {
      return a == b;
    }
    if ((a.isNull() || a.isMissingNode()) && (b.isNull() || b.isMissingNode())) {
      return true;
    }
    return number(a) == number(b);
  }

  /** Recursive descent over one expression. */
  private final class Parser {
    private final String src;
    private int pos;

    Parser(String src) {
      this.src = src;
    }

    private IllegalArgumentException error(String what) {
      return new IllegalArgumentException("expression '" + src.trim() + "': " + what + " at column " + (pos + 1));
    }

    private void skip() {
      while (pos < src.length() && Character.isWhitespace(src.charAt(pos))) {
        pos++;
      }
    }

    private boolean eat(String token) {
      skip();
      if (src.startsWith(token, pos)) {
        pos += token.length();
        return true;
      }
      return false;
    }

    void expectEnd() {
      skip();
      if (pos != src.length()) {
        throw error("unexpected '" + src.substring(pos) + "'");
      }
    }

    JsonNode or() {
      JsonNode left = and();
      while (eat("||")) {
        JsonNode right = and();
        left = truthy(left) ? left : right;
      }
      return left;
    }

    JsonNode and() {
      JsonNode left = equality();
      while (eat("&&")) {
        JsonNode right = equality();
        left = truthy(left) ? right : left;
      }
      return left;
    }

    JsonNode equality() {
      JsonNode left = comparison();
      while (true) {
        if (eat("==")) {
          left = BooleanNode.valueOf(looselyEqual(left, comparison()));
        } else if (eat("!=")) {
          left = BooleanNode.valueOf(!looselyEqual(left, comparison()));
        } else {
          return left;
        }
      }
    }

    JsonNode comparison() {
      JsonNode left = unary();
      while (true) {
        String op = eat("<=") ? "<=" : eat(">=") ? ">=" : eat("<") ? "<" : eat(">") ? ">" : null;
        if (op == null) {
          return left;
        }
        double a = number(left);
        double b = number(unary());
        left = BooleanNode.valueOf(switch (op) {
          case "<=" -> a <= b;
          case ">=" -> a >= b;
          case "<" -> a < b;
          default -> a > b;
        });
      }
    }

    JsonNode unary() {
      skip();
      if (src.startsWith("!", pos) && !src.startsWith("!=", pos)) {
        pos++;
        return BooleanNode.valueOf(!truthy(unary()));
      }
      return postfix();
    }

    JsonNode postfix() {
      JsonNode v = primary();
      while (true) {
        if (eat(".")) {
          String name = identifier();
          v = member(v, name);
        } else if (eat("[")) {
          JsonNode index = or();
          if (!eat("]")) {
            throw error("expected ]");
          }
          v = index.isNumber() && v.isArray() ? v.path(index.intValue()) : member(v, text(index));
        } else {
          return v;
        }
      }
    }

    /** Property access; GitHub's contexts are case-insensitive. */
    private JsonNode member(JsonNode v, String name) {
      if (v == null || !v.isObject()) {
        return MissingNode.getInstance();
      }
      JsonNode exact = v.get(name);
      if (exact != null) {
        return exact;
      }
      for (var it = v.fields(); it.hasNext(); ) {
        var e = it.next();
        if (e.getKey().equalsIgnoreCase(name)) {
          return e.getValue();
        }
      }
      return MissingNode.getInstance();
    }

    private String identifier() {
      skip();
      int start = pos;
      while (pos < src.length() && (Character.isLetterOrDigit(src.charAt(pos)) || src.charAt(pos) == '_'
          || src.charAt(pos) == '-')) {
        pos++;
      }
      if (start == pos) {
        throw error("expected a name");
      }
      return src.substring(start, pos);
    }

    JsonNode primary() {
      skip();
      if (pos >= src.length()) {
        throw error("unexpected end");
      }
      char c = src.charAt(pos);
      if (c == '(') {
        pos++;
        JsonNode v = or();
        if (!eat(")")) {
          throw error("expected )");
        }
        return v;
      }
      if (c == '\'') {
        StringBuilder s = new StringBuilder();
        pos++;
        while (true) {
          if (pos >= src.length()) {
            throw error("unterminated string");
          }
          char d = src.charAt(pos++);
          if (d == '\'') {
            if (pos < src.length() && src.charAt(pos) == '\'') {
              s.append('\'');
              pos++;
            } else {
              return TextNode.valueOf(s.toString());
            }
          } else {
            s.append(d);
          }
        }
      }
      if (Character.isDigit(c) || c == '-') {
        int start = pos++;
        while (pos < src.length() && (Character.isDigit(src.charAt(pos)) || src.charAt(pos) == '.')) {
          pos++;
        }
        return DoubleNode.valueOf(Double.parseDouble(src.substring(start, pos)));
      }
      String name = identifier();
      switch (name.toLowerCase(Locale.ROOT)) {
        case "true":
          return BooleanNode.TRUE;
        case "false":
          return BooleanNode.FALSE;
        case "null":
          return NullNode.getInstance();
        default:
          break;
      }
      if (eat("(")) {
        List<JsonNode> args = new ArrayList<>();
        if (!eat(")")) {
          do {
            args.add(or());
          } while (eat(","));
          if (!eat(")")) {
            throw error("expected ) after the arguments of " + name);
          }
        }
        return call(name.toLowerCase(Locale.ROOT), args);
      }
      return member(contexts, name);
    }

    private JsonNode call(String name, List<JsonNode> args) {
      Function<Integer, String> arg = i -> text(args.get(i));
      return switch (name) {
        case "always" -> BooleanNode.TRUE;
        case "success" -> BooleanNode.valueOf("success".equals(runtime.status()));
        case "failure" -> BooleanNode.valueOf("failure".equals(runtime.status()));
        case "cancelled" -> BooleanNode.valueOf("cancelled".equals(runtime.status()));
        case "fromjson" -> {
          try {
            yield JSON.readTree(arg.apply(0));
          } catch (JsonProcessingException e) {
            throw error("fromJSON of text that is not JSON: " + arg.apply(0));
          }
        }
        case "tojson" -> TextNode.valueOf(args.get(0).toPrettyString());
        case "contains" -> {
          JsonNode hay = args.get(0);
          if (hay.isArray()) {
            boolean found = false;
            for (JsonNode e : hay) {
              found |= looselyEqual(e, args.get(1));
            }
            yield BooleanNode.valueOf(found);
          }
          yield BooleanNode.valueOf(arg.apply(0).toLowerCase(Locale.ROOT).contains(arg.apply(1).toLowerCase(Locale.ROOT)));
        }
        case "startswith" -> BooleanNode.valueOf(arg.apply(0).toLowerCase(Locale.ROOT)
            .startsWith(arg.apply(1).toLowerCase(Locale.ROOT)));
        case "endswith" -> BooleanNode.valueOf(arg.apply(0).toLowerCase(Locale.ROOT)
            .endsWith(arg.apply(1).toLowerCase(Locale.ROOT)));
        case "format" -> {
          String out = arg.apply(0);
          for (int i = 1; i < args.size(); i++) {
            out = out.replace("{" + (i - 1) + "}", arg.apply(i));
          }
          yield TextNode.valueOf(out);
        }
        case "join" -> {
          String sep = args.size() > 1 ? arg.apply(1) : ",";
          List<String> parts = new ArrayList<>();
          args.get(0).forEach(e -> parts.add(text(e)));
          yield TextNode.valueOf(args.get(0).isArray() ? String.join(sep, parts) : arg.apply(0));
        }
        case "hashfiles" -> {
          List<String> patterns = new ArrayList<>();
          for (int i = 0; i < args.size(); i++) {
            patterns.add(arg.apply(i));
          }
          yield TextNode.valueOf(runtime.hashFiles(patterns));
        }
        default -> throw error("function " + name + "() is not replayed");
      };
    }
  }
}
